import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type { CpuShare } from './cpu.js';
import type { LoadResult, LoadSettings } from './load.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
  };
}

/** Versions of what is being measured and what measures it. */
export function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = {};
  for (const name of ['hono', '@hono/node-server', '@electric-sql/pglite', 'autocannon']) {
    try {
      // Resolve the entry, then walk up to the package's own package.json.
      let dir = require.resolve(name);
      for (;;) {
        const parent = dir.slice(0, dir.lastIndexOf('/'));
        if (parent === dir || !parent) break;
        dir = parent;
        try {
          const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version?: string };
          if (pkg.name === name && pkg.version) {
            out[name] = pkg.version;
            break;
          }
        } catch {
          // no package.json at this level
        }
      }
    } catch {
      out[name] = 'unknown';
    }
  }
  return out;
}

/** The commit measured, with "+dirty" when the working tree has changes. */
export function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

export interface TargetRow {
  name: string;
  path: string;
  note: string;
  result: LoadResult;
  /** CPU used by the benchmark and by other processes while this target was measured. */
  cpu: CpuShare;
  /** target rps / baseline rps (1 for the baseline). */
  rpsRatio: number;
  /** target p95 / baseline p95 (1 for the baseline). */
  p95Ratio: number;
}

export interface Report {
  benchmark: 'http';
  date: string;
  startedAt: string;
  finishedAt: string;
  revision: string;
  machine: Machine;
  versions: Record<string, string>;
  settings: LoadSettings & { loadGenerator: string; servers: string; citizenLogin: string };
  targets: TargetRow[];
  /** 1-minute load average before the servers started. */
  loadAvgBefore: number;
  /** The baseline measured again after all targets: how much the machine drifted during the run. */
  baselineRepeat: { rps: number; p95: number; rpsChangePct: number; cpu: CpuShare } | null;
  /** Errors, timeouts, non-2xx: the figures are wrong (exit code 1). */
  problems: string[];
  /** A busy or drifting machine: the figures are unreliable. */
  warnings: string[];
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');
const ms = (n: number) => fmt(n, n < 10 ? 2 : 1);
const pct = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} %`);
const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 0.1 ? 3 : 2)}×` : '—');

export function table(rows: TargetRow[]): string {
  const head = '| target | path | rps | p50 ms | p95 ms | p99 ms | requests | errors | non-2xx | rps ÷ baseline | p95 ÷ baseline | other CPU |';
  const sep = '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
  const lines = rows.map((r) => {
    const x = r.result;
    return `| ${r.name} | \`${r.path}\` | ${fmt(x.rps)} | ${ms(x.latencyMs.p50)} | ${ms(x.latencyMs.p95)} | ${ms(x.latencyMs.p99)} | ${fmt(x.requests)} | ${fmt(x.errors)} | ${fmt(x.non2xx)} | ${ratio(r.rpsRatio)} | ${ratio(r.p95Ratio)} | ${pct(r.cpu.otherPct)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

export function markdown(r: Report): string {
  const s = r.settings;
  const m = r.machine;
  const out = [
    `# HTTP benchmark — ${r.date}`,
    '',
    `Recorded by \`npm run bench:http\` (bench/http.bench.ts) at ${r.startedAt} (revision \`${r.revision}\`).`,
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu} × ${m.cores} cores`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- OS: ${m.os}`,
    `- Node: ${m.node}`,
    `- Load average (1 min) before the run: ${r.loadAvgBefore}`,
    `- Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    '## Settings',
    '',
    `- Load generator: ${s.loadGenerator}, in the benchmark process`,
    `- Servers: ${s.servers}`,
    `- ${s.connections} connections, pipelining ${s.pipelining}, ${s.warmup} s warm-up (discarded) then ${s.duration} s measured per target, ${s.timeout} s request timeout`,
    `- Authenticated target signed in as demo citizen \`${s.citizenLogin}\``,
    '',
    '## Results',
    '',
    'Ratios are against the baseline measured in the same run: rps ÷ baseline below 1 means slower; p95 ÷ baseline above 1 means slower.',
    "\"other CPU\" is the share of the whole machine's CPU used by processes other than the benchmark while the target was measured (near 0 on a quiet machine).",
    '',
    table(r.targets),
    '',
  ];
  for (const t of r.targets) if (t.note) out.push(`- **${t.name}**: ${t.note}`);
  if (r.baselineRepeat) {
    out.push(
      `- **baseline, measured again at the end**: ${fmt(r.baselineRepeat.rps)} rps, p95 ${ms(r.baselineRepeat.p95)} ms (${r.baselineRepeat.rpsChangePct >= 0 ? '+' : ''}${r.baselineRepeat.rpsChangePct.toFixed(1)} % rps vs the first baseline run; other CPU ${pct(r.baselineRepeat.cpu.otherPct)}): the drift during the run.`,
    );
  }
  out.push('');
  if (r.problems.length) out.push('## Problems', '', ...r.problems.map((p) => `- ${p}`), '');
  if (r.warnings.length) out.push('## Warnings', '', ...r.warnings.map((w) => `- ${w}`), '');
  out.push(`Raw figures (status codes, mean/max latency, throughput): \`http-${r.date}.json\`.`, '');
  return out.join('\n');
}
