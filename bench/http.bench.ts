/**
 * HTTP benchmark: the real Xã Số server (embedded PGlite, demo data) against a bare
 * Hono hello-world measured in the same run, both as child processes on 127.0.0.1.
 *
 *   npm run bench:http [-- --duration 10 --warmup 2 --connections 50 --pipelining 1]
 *
 * Writes bench/results/http-<YYYY-MM-DD>.{md,json} and prints the table.
 * Exits 1 if any target had errors, timeouts or non-2xx responses.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_CITIZENS, DEMO_PASSWORD } from '../src/demo/seed.js';
import { startChild, type Child } from './lib/children.js';
import { share, snapshot, type CpuShare, type CpuSnapshot } from './lib/cpu.js';
import { measure, numberOption, type LoadResult, type LoadSettings } from './lib/load.js';
import { machine, markdown, revision, table, versions, type Report, type TargetRow } from './lib/report.js';
import { cookieHeader, expectOk, signIn } from './lib/signin.js';

/** Above this share of the machine's CPU used by other processes during a measurement, the run is flagged as noisy. */
const OTHER_CPU_WARN_PCT = 10;
/** Above this change of the baseline's rps between the first and the last run, likewise. */
const DRIFT_WARN_PCT = 10;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    pipelining: { type: 'string' },
    'no-repeat': { type: 'boolean' },
  },
});
const settings: LoadSettings = {
  duration: numberOption('duration', args.duration, 10),
  warmup: numberOption('warmup', args.warmup, 2),
  connections: numberOption('connections', args.connections, 50),
  pipelining: numberOption('pipelining', args.pipelining, 1),
  timeout: 10,
};
const demoCitizen = DEMO_CITIZENS[0]!;
const citizen = demoCitizen.phone;

/** The child's environment: ours minus anything that would point the app elsewhere (a real DATABASE_URL, OIDC, SMTP…). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('XASO_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'LOG_LEVEL') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

const log = (msg: string) => process.stderr.write(`[bench:http] ${msg}\n`);

async function main(): Promise<number> {
  const startedAt = new Date();
  const dataDir = mkdtempSync(join(tmpdir(), 'xaso-bench-'));
  const children: Child[] = [];
  const measured: { name: string; path: string; note: string; result: LoadResult; cpu: CpuShare }[] = [];
  let baselineRepeat: { result: LoadResult; cpu: CpuShare } | null = null;
  const loadBefore = Math.round(os.loadavg()[0]! * 100) / 100;
  try {
    log(`starting servers (embedded database in ${dataDir}, first start takes a few seconds)…`);
    const [baseline, app] = await Promise.all([
      startChild('baseline', join(here, 'lib/serve-baseline.ts'), childEnv({ PORT: '0' })),
      startChild(
        'xaso',
        join(here, 'lib/serve-app.ts'),
        childEnv({
          PORT: '0',
          XASO_DATA_DIR: dataDir,
          XASO_SECRET: randomBytes(32).toString('hex'),
          XASO_SEED_DEMO: '1',
          LOG_LEVEL: 'silent',
        }),
        120_000,
      ),
    ]);
    children.push(baseline, app);
    const baseUrl = `http://127.0.0.1:${baseline.port}`;
    const appUrl = `http://127.0.0.1:${app.port}`;
    log(`baseline on ${baseUrl} (pid ${baseline.pid}), Xã Số on ${appUrl} (pid ${app.pid}, ${app.info.engine ?? '?'})`);

    const cookies = await signIn(appUrl, citizen, DEMO_PASSWORD);
    log(`signed in as ${citizen}`);
    const session = { cookie: cookieHeader(cookies) };

    const targets = [
      { name: 'baseline', path: '/', url: `${baseUrl}/`, headers: {}, note: 'bare Hono + @hono/node-server, `c.text("ok")`', mustContain: 'ok' },
      { name: 'healthz', path: '/healthz', url: `${appUrl}/healthz`, headers: {}, note: 'full middleware chain (incl. a new CSRF cookie, as for any cookieless page request), JSON, no database query', mustContain: '"ok"' },
      { name: 'home', path: '/', url: `${appUrl}/`, headers: {}, note: 'anonymous first visit: server-rendered page, sets a new CSRF cookie each time', mustContain: '<h1>' },
      {
        name: 'account',
        path: '/tai-khoan',
        url: `${appUrl}/tai-khoan`,
        headers: session,
        note: 'signed-in citizen (session + CSRF cookies): session lookup on PGlite and server-rendered page',
        mustContain: demoCitizen.fullName,
      },
    ];
    for (const t of targets) await expectOk(t.url, t.headers, t.mustContain);

    const pids = [baseline.pid, app.pid];
    const measureWithCpu = async (url: string, headers: Record<string, string>) => {
      let before: CpuSnapshot | null = null;
      const result = await measure(url, headers, settings, () => (before = snapshot(pids)));
      const cpu = share(before!, snapshot(pids));
      return { result, cpu };
    };
    for (const t of targets) {
      log(`${t.name} ${t.url}: ${settings.warmup} s warm-up + ${settings.duration} s…`);
      const { result, cpu } = await measureWithCpu(t.url, t.headers);
      measured.push({ name: t.name, path: t.path, note: t.note, result, cpu });
      log(`  ${result.rps} rps, p95 ${result.latencyMs.p95} ms, errors ${result.errors}, non-2xx ${result.non2xx}; CPU: benchmark ${cpu.benchPct ?? '?'} %, other processes ${cpu.otherPct ?? '?'} %`);
    }
    if (!args['no-repeat']) {
      log(`baseline again (drift check): ${settings.warmup} s warm-up + ${settings.duration} s…`);
      baselineRepeat = await measureWithCpu(targets[0]!.url, {});
    }
    // The session must still be valid after the run (a 303 here would mean the figures were for the sign-in redirect).
    await expectOk(targets[3]!.url, session, demoCitizen.fullName);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }

  const base = measured[0]!.result;
  const rows: TargetRow[] = measured.map((m) => ({
    ...m,
    rpsRatio: Math.round((m.result.rps / base.rps) * 1000) / 1000,
    p95Ratio: Math.round((m.result.latencyMs.p95 / base.latencyMs.p95) * 1000) / 1000,
  }));
  const problems: string[] = [];
  for (const m of measured) {
    const x = m.result;
    if (x.errors || x.timeouts) problems.push(`${m.name}: ${x.errors} errors (${x.timeouts} timeouts)`);
    if (x.non2xx) problems.push(`${m.name}: ${x.non2xx} non-2xx responses ${JSON.stringify(x.statusCodes)}`);
    if (!x.requests) problems.push(`${m.name}: no responses at all`);
  }
  // A busy machine does not make the figures wrong, only unreliable: warn, do not fail.
  const warnings: string[] = [];
  const all = baselineRepeat ? [...measured, { name: 'baseline (again)', ...baselineRepeat }] : measured;
  for (const m of all) {
    if (m.cpu.otherPct !== null && m.cpu.otherPct > OTHER_CPU_WARN_PCT) {
      warnings.push(`${m.name}: other processes used ${m.cpu.otherPct} % of the machine's CPU while it was measured (load average ${m.cpu.loadAvg1})`);
    }
  }
  const drift = baselineRepeat ? Math.round(((baselineRepeat.result.rps - base.rps) / base.rps) * 1000) / 10 : null;
  if (drift !== null && Math.abs(drift) > DRIFT_WARN_PCT) warnings.push(`the baseline moved ${drift} % between the first and the last run`);
  if (warnings.length) warnings.push('the machine was not quiet: compare ratios only with care, and run again when it is idle');

  const date = startedAt.toISOString().slice(0, 10);
  const report: Report = {
    benchmark: 'http',
    date,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    revision: revision(),
    machine: machine(),
    versions: versions(),
    settings: {
      ...settings,
      loadGenerator: `autocannon ${versions().autocannon ?? ''}`.trim(),
      servers: 'one child process each (tsx), 127.0.0.1, Xã Số with LOG_LEVEL=silent on a fresh embedded PGlite database with demo data',
      citizenLogin: citizen,
    },
    targets: rows,
    loadAvgBefore: loadBefore,
    baselineRepeat:
      baselineRepeat && drift !== null
        ? { rps: baselineRepeat.result.rps, p95: baselineRepeat.result.latencyMs.p95, rpsChangePct: drift, cpu: baselineRepeat.cpu }
        : null,
    problems,
    warnings,
  };

  const outDir = join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const md = join(outDir, `http-${date}.md`);
  const json = join(outDir, `http-${date}.json`);
  writeFileSync(md, markdown(report));
  writeFileSync(json, `${JSON.stringify({ ...report, baselineRepeatRaw: baselineRepeat?.result ?? null }, null, 2)}\n`);

  const m = report.machine;
  process.stdout.write(
    `\nHTTP benchmark ${date} — ${m.cpu} × ${m.cores}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}\n` +
      `${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s per target\n\n` +
      `${table(rows)}\n` +
      (report.baselineRepeat ? `\nbaseline again at the end: ${report.baselineRepeat.rps} rps (${report.baselineRepeat.rpsChangePct} %)\n` : '') +
      (problems.length ? `\nPROBLEMS:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` : '') +
      (warnings.length ? `\nWARNINGS:\n${warnings.map((w) => `  - ${w}`).join('\n')}\n` : '') +
      `\nwritten: ${relative(root, md)}, ${relative(root, json)}\n`,
  );
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[bench:http] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
