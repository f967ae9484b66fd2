/**
 * Feedback benchmark: Open311 and the feedback pages with 100,000 items in a
 * province, on PostgreSQL and on the embedded PGlite, next to a bare Hono
 * hello-world measured in the same run.
 *
 *   npm run bench:feedback [-- --engines postgres,pglite --items 100000 --duration 10 --warmup 2 --connections 1,10]
 *   (script: "bench:feedback": "tsx bench/feedback.bench.ts")
 *
 * For each engine the database (migrations, demo data, catalog) is prepared in this
 * process and the items bulk-loaded with one INSERT … SELECT generate_series; then
 * the real app serves it as a child process on 127.0.0.1 (bench/lib/serve-app.ts).
 * PostgreSQL: XASO_DURABLE_PG_URL when set, else `scripts/test-postgres.sh durable` starts one; the
 * run creates its own database and drops it at the end.
 * Target (the issue): p95 under 50 ms, on both engines. Writes bench/results/feedback-<date>.{md,json}.
 * Exits 1 if any target had errors, timeouts or non-2xx answers.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { renderPublishedItems } from '../src/feedback/feedback.pages.js';
import { queueDays } from '../src/feedback/feedback.service.js';
import { open311List, publishedList, queueCounts, queueList } from '../src/feedback/feedback.store.js';
import { requestJson } from '../src/feedback/open311.js';
import { loadConfig } from '../src/platform/config.js';
import type { Engine } from '../src/platform/db.js';
import { createLogger } from '../src/platform/logger.js';
import { createSession, loadSession } from '../src/platform/session.js';
import { prepareDatabase } from '../src/server.js';
import { startChild, type Child } from './lib/children.js';
import { share, snapshot, type CpuShare, type CpuSnapshot } from './lib/cpu.js';
import { BUSY_COMMUNE, loadFeedback, queryPlans } from './lib/feedback-data.js';
import { measure, numberOption, type LoadResult, type LoadSettings } from './lib/load.js';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.js';
import { machine, revision, table, versions, type TargetRow } from './lib/report.js';
import { cookieHeader, expectOk, signIn } from './lib/signin.js';

// ---- the run ---------------------------------------------------------------------------

const TARGET_P95_MS = 50;
const OFFICIAL = 'tiepnhan.tanninh@demo.xaso.vn';
const ENGINE_NAMES: Record<Engine, string> = { postgres: 'PostgreSQL', pglite: 'PGlite' };

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const log = (msg: string) => process.stderr.write(`[bench:feedback] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);

const { values: args } = parseArgs({
  options: {
    engines: { type: 'string' },
    items: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
  },
});
const engines = (args.engines ?? 'postgres,pglite').split(',').map((e) => e.trim()) as Engine[];
for (const e of engines) if (e !== 'postgres' && e !== 'pglite') throw new Error(`--engines: postgres and/or pglite, got "${e}"`);
const items = numberOption('items', args.items, 100_000);
const levels = (args.connections ?? '1,10').split(',').map((s) => numberOption('connections', s.trim(), 1)).filter((n) => n >= 1);
const base: Omit<LoadSettings, 'connections'> = { duration: numberOption('duration', args.duration, 10), warmup: numberOption('warmup', args.warmup, 2), pipelining: 1, timeout: 10 };

/** The child's environment: ours minus anything that would point the app elsewhere (or profile it). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('XASO_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'LOG_LEVEL' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

interface Timing {
  p50: number;
  p95: number;
}

/** 3 warm-up runs, then 30 timed ones. */
async function timeIt(work: () => Promise<unknown>): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < 33; i++) {
    const t0 = performance.now();
    await work();
    if (i >= 3) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]! * 100) / 100;
  return { p50: at(0.5), p95: at(0.95) };
}

interface Measured {
  engine: Engine | 'baseline';
  name: string;
  path: string;
  note: string;
  connections: number;
  result: LoadResult;
  cpu: CpuShare;
}

interface EngineRun {
  engine: Engine;
  dataset: Awaited<ReturnType<typeof loadFeedback>>;
  /** Where the time goes, in-process, on the loaded database. */
  inProcess: Record<string, Timing>;
  plans: Record<string, string>;
}

interface Target {
  name: string;
  path: string;
  note: string;
  headers?: Record<string, string>;
  official?: boolean;
  mustContain: string;
}

const TARGETS: Target[] = [
  {
    name: 'open311',
    path: '/open311/v2/requests.json',
    note: 'Open311 GET requests, no filter: the province’s last 90 days, newest 1,000 (the spec’s default ceiling), JSON; the encoded answer is cached (one computation for concurrent misses) until a feedback change in the process, or 30 s',
    mustContain: 'service_request_id',
  },
  {
    name: 'open311-gzip',
    path: '/open311/v2/requests.json',
    note: 'the same answer to a client that sends `Accept-Encoding: gzip` (browsers and most HTTP libraries do): gzipped once per computation, cached with it',
    headers: { 'accept-encoding': 'gzip' },
    mustContain: 'service_request_id',
  },
  {
    name: 'open311-commune',
    path: `/open311/v2/requests.json?jurisdiction_id=${BUSY_COMMUNE}&status=open`,
    note: 'Open311 GET requests for one commune’s open items, cached likewise',
    mustContain: 'service_request_id',
  },
  { name: 'public-list', path: `/xa/${BUSY_COMMUNE}/phan-anh`, note: 'public list of answered items, first page (20), anonymous; the items are cached rendered, the page around them per request', mustContain: 'feedback-list' },
  { name: 'public-search', path: `/xa/${BUSY_COMMUNE}/phan-anh?q=den+duong&trang=3`, note: 'public list searched (“đèn đường”, folded), third page; cached likewise', mustContain: 'feedback-list' },
  {
    name: 'queue',
    path: `/can-bo/xa/${BUSY_COMMUNE}/phan-anh`,
    note: 'officials’ queue: session lookup, the 4 counts (cached per commune for 10 s or until a feedback change in the process), the first 25 open items by due date (every view on PostgreSQL; on PGlite cached until a feedback change)',
    official: true,
    mustContain: 'Quá hạn',
  },
];

const QUEUE = TARGETS.find((t) => t.official)!;

/** Prepares the engine's database with the items, times the parts in-process, then closes it. */
async function prepare(engine: Engine, env: Record<string, string>): Promise<EngineRun> {
  log(`${engine}: preparing the database (migrations, units, catalog, demo data: about a minute)…`);
  const handle = await prepareDatabase(loadConfig({ ...env, LOG_LEVEL: 'warn', PORT: '0' }), createLogger('warn'));
  try {
    log(`${engine}: loading ${items.toLocaleString('en-US')} feedback items…`);
    const dataset = await loadFeedback(handle.db, items);
    log(`${engine}:   ${dataset.rows.toLocaleString('en-US')} rows (${dataset.busyCommuneRows.toLocaleString('en-US')} in ${BUSY_COMMUNE}) in ${(dataset.ms / 1000).toFixed(1)} s`);
    const days = await queueDays();
    const plans = await queryPlans(handle.db, days.today, days.atRiskUntil);
    const officialUser = await handle.db.selectFrom('app_user').select('id').where('email', '=', OFFICIAL).executeTakeFirstOrThrow();
    const session = await createSession(handle.db, officialUser.id, { ip: null, userAgent: 'bench' });
    const end = new Date();
    const start = new Date(end.getTime() - 90 * 86_400_000);
    const firstPage = await publishedList(handle.db, BUSY_COMMUNE, [], 1, 20);
    const inProcess = {
      'Open311 default answer, uncached (query, mapping, JSON of 1,000 items)': await timeIt(async () => JSON.stringify((await open311List(handle.db, { start, end, limit: 1000 })).map(requestJson))),
      'queue: session lookup (platform, 1 query; every view)': await timeIt(() => loadSession(handle.db, session.token)),
      'queue: the four counts (1 query; cached per commune)': await timeIt(() => queueCounts(handle.db, BUSY_COMMUNE, days.today, days.atRiskUntil)),
      'queue: the first 25 open items (1 query; every view on PostgreSQL, cached on PGlite)': await timeIt(() => queueList(handle.db, BUSY_COMMUNE, 'open', days.today, days.atRiskUntil, 1, 25)),
      'public list: first 20 answered items, uncached (1 query)': await timeIt(() => publishedList(handle.db, BUSY_COMMUNE, [], 1, 20)),
      'public list: rendering those 20 items (cached with them)': await timeIt(() => renderPublishedItems(firstPage.items, firstPage.more)),
    };
    for (const [name, t] of Object.entries(inProcess)) log(`${engine}:   ${name}: p50 ${t.p50} ms, p95 ${t.p95} ms`);
    return { engine, dataset, inProcess, plans };
  } finally {
    await handle.close();
  }
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadBefore = Math.round(os.loadavg()[0]! * 100) / 100;
  const children: Child[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const measured: Measured[] = [];
  const runs: EngineRun[] = [];

  const run = async (m: Omit<Measured, 'result' | 'cpu'>, url: string, headers: Record<string, string>, pids: number[]) => {
    log(`${m.engine} ${m.name} × ${m.connections} connection(s): ${base.warmup} s warm-up + ${base.duration} s…`);
    let before: CpuSnapshot | null = null;
    const result = await measure(url, headers, { ...base, connections: m.connections }, () => (before = snapshot(pids)));
    const cpu = share(before!, snapshot(pids));
    measured.push({ ...m, result, cpu });
    log(`  ${result.rps} rps, p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, errors ${result.errors}, non-2xx ${result.non2xx}; other CPU ${cpu.otherPct ?? '?'} %`);
  };

  try {
    const baseline = await startChild('baseline', join(here, 'lib/serve-baseline.ts'), childEnv({ PORT: '0' }));
    children.push(baseline);
    const baseUrl = `http://127.0.0.1:${baseline.port}/`;
    await expectOk(baseUrl, {}, 'ok');
    for (const connections of levels) {
      await run({ engine: 'baseline', name: 'baseline', path: '/', note: 'bare Hono + @hono/node-server, `c.text("ok")`', connections }, baseUrl, {}, [baseline.pid]);
    }

    for (const engine of engines) {
      const dataDir = mkdtempSync(join(tmpdir(), `xaso-bench-feedback-${engine}-`));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      let pgDb: BenchDatabase | null = null;
      if (engine === 'postgres') {
        pgDb = await createBenchDatabase(root, 'xaso_bench_feedback');
        cleanups.push(() => pgDb!.drop());
        log(`PostgreSQL: fresh database ${pgDb.name}`);
      }
      const env = { XASO_DATA_DIR: dataDir, XASO_SECRET: randomBytes(32).toString('hex'), XASO_SEED_DEMO: '1', ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) };
      runs.push(await prepare(engine, env));

      const app = await startChild(`xaso-${engine}`, join(here, 'lib/serve-app.ts'), childEnv({ ...env, PORT: '0', LOG_LEVEL: 'silent' }), 120_000);
      children.push(app);
      const appUrl = `http://127.0.0.1:${app.port}`;
      const official = { cookie: cookieHeader(await signIn(appUrl, OFFICIAL, DEMO_PASSWORD)) };
      log(`${engine}: Xã Số on ${appUrl} (pid ${app.pid}); signed in as ${OFFICIAL}`);
      const headersOf = (t: Target) => ({ ...t.headers, ...(t.official ? official : {}) });
      for (const t of TARGETS) await expectOk(`${appUrl}${t.path}`, headersOf(t), t.mustContain);
      for (const connections of levels) {
        // Open the pool's connections first, so that their server processes count as the benchmark's CPU.
        await Promise.all(Array.from({ length: connections }, () => expectOk(`${appUrl}${QUEUE.path}`, official)));
        for (const t of TARGETS) {
          const pids = [app.pid, ...((await pgDb?.backendPids()) ?? [])];
          await run({ engine, name: t.name, path: t.path, note: t.note, connections }, `${appUrl}${t.path}`, headersOf(t), pids);
        }
      }
      await expectOk(`${appUrl}${QUEUE.path}`, official, 'Quá hạn');
      await app.stop();
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log(`cleanup failed: ${String(err)}`));
  }

  const problems: string[] = [];
  const warnings: string[] = [];
  const verdicts: { engine: Engine; connections: number; name: string; p95: number; met: boolean }[] = [];
  const sections: string[] = [];
  for (const engine of engines) {
    sections.push(`### ${ENGINE_NAMES[engine]}\n`);
    for (const connections of levels) {
      const baseline = measured.find((m) => m.engine === 'baseline' && m.connections === connections)!;
      const rows = [baseline, ...measured.filter((m) => m.engine === engine && m.connections === connections)];
      const tableRows: TargetRow[] = rows.map((m) => ({
        ...m,
        rpsRatio: Math.round((m.result.rps / baseline.result.rps) * 1000) / 1000,
        p95Ratio: Math.round((m.result.latencyMs.p95 / baseline.result.latencyMs.p95) * 1000) / 1000,
      }));
      sections.push(`#### ${ENGINE_NAMES[engine]}, ${connections} connection${connections > 1 ? 's' : ''}\n\n${table(tableRows)}\n`);
    }
  }
  for (const m of measured) {
    const x = m.result;
    const what = `${m.engine === 'baseline' ? '' : `${ENGINE_NAMES[m.engine]} `}${m.name} × ${m.connections}`;
    if (x.errors || x.timeouts) problems.push(`${what}: ${x.errors} errors (${x.timeouts} timeouts)`);
    if (x.non2xx) problems.push(`${what}: ${x.non2xx} non-2xx ${JSON.stringify(x.statusCodes)}`);
    if (!x.requests) problems.push(`${what}: no responses`);
    if (m.cpu.otherPct !== null && m.cpu.otherPct > 10) warnings.push(`${what}: other processes used ${m.cpu.otherPct} % of the machine's CPU (load average ${m.cpu.loadAvg1})`);
    if (m.engine !== 'baseline') verdicts.push({ engine: m.engine, connections: m.connections, name: m.name, p95: x.latencyMs.p95, met: x.latencyMs.p95 < TARGET_P95_MS });
  }
  if (warnings.length) warnings.push('the machine was not quiet: compare ratios only with care, and run again when it is idle');
  const summary = engines.flatMap((engine) =>
    levels.map((connections) => {
      const missed = verdicts.filter((v) => v.engine === engine && v.connections === connections && !v.met);
      const worst = verdicts.filter((v) => v.engine === engine && v.connections === connections).sort((a, b) => b.p95 - a.p95)[0];
      return missed.length
        ? `**${ENGINE_NAMES[engine]}, ${connections} connection(s): NOT MET** — ${missed.map((v) => `${v.name} p95 ${v.p95} ms`).join(', ')}`
        : `**${ENGINE_NAMES[engine]}, ${connections} connection(s): met** — every target under ${TARGET_P95_MS} ms (slowest: ${worst?.name} p95 ${worst?.p95} ms)`;
    }),
  );

  const date = startedAt.toISOString().slice(0, 10);
  const m = machine();
  const report = {
    benchmark: 'feedback',
    date,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    revision: revision(),
    machine: m,
    versions: versions(),
    settings: { ...base, connections: levels, engines, loadGenerator: `autocannon ${versions().autocannon ?? ''}`.trim(), items },
    engines: runs,
    targetP95Ms: TARGET_P95_MS,
    loadAvgBefore: loadBefore,
    targets: measured,
    summary,
    verdicts,
    problems,
    warnings,
  };
  const dataset = runs[0]?.dataset;
  const md = [
    `# Feedback benchmark — ${date}`,
    '',
    `Recorded by bench/feedback.bench.ts (\`npm run bench:feedback\`) at ${report.startedAt} (revision \`${report.revision}\`).`,
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu} × ${m.cores} cores`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- OS: ${m.os}`,
    `- Node: ${m.node}`,
    `- Load average (1 min) before the run: ${loadBefore}`,
    `- Versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    '## Data and settings',
    '',
    ...(dataset
      ? [
          `- ${dataset.rows.toLocaleString('en-US')} feedback items in province 80 (Tây Ninh, 96 communes) over the last 365 days; ${dataset.busyCommuneRows.toLocaleString('en-US')} of them in ${BUSY_COMMUNE} (Phường Tân Ninh), the commune measured. Loaded with one INSERT … SELECT generate_series (${runs.map((r) => `${ENGINE_NAMES[r.engine]} ${(r.dataset.ms / 1000).toFixed(1)} s`).join(', ')}). 70 % public, 92 % closed (90 % of those with a public answer), 8 % open (many overdue).`,
        ]
      : []),
    `- Engines: ${engines.map((e) => ENGINE_NAMES[e]).join(', ')}. PostgreSQL: a database of the run's own on the server of XASO_DURABLE_PG_URL or \`scripts/test-postgres.sh durable\` (production durability settings), the app's pool of 10 connections; its server processes' CPU counts as the benchmark's. PGlite: embedded, one connection in the server's own thread, so requests queue for it. Demo data and the national catalog on both; the app is the real server as a child process on 127.0.0.1 with LOG_LEVEL=silent.`,
    `- Load: ${report.settings.loadGenerator}, ${base.warmup} s warm-up (discarded) then ${base.duration} s measured per target, at ${levels.join(' and ')} concurrent connection(s). The baseline is measured once per concurrency, before the engines.`,
    `- Target (the issue): p95 under ${TARGET_P95_MS} ms.`,
    '- What is cached (src/feedback/cache.ts, per database, emptied by any feedback change this process makes): Open311 GET answers encoded (30 s), the public list\'s items rendered (30 s), each commune\'s queue counts (10 s). Concurrent misses share one computation. On PGlite (one process: every change is heard) the queue\'s list too; on PostgreSQL it is live. Sessions and permissions are never cached. What the uncached work costs is measured in-process below.',
    '',
    '## Against the target',
    '',
    ...summary.map((v) => `- ${v}`),
    '',
    '## Results',
    '',
    'Ratios are against the baseline measured at the same concurrency in the same run: rps ÷ baseline below 1 means slower; p95 ÷ baseline above 1 means slower.',
    '',
    ...sections,
    ...[...new Map(measured.map((x) => [x.name, x.note])).entries()].map(([name, note]) => `- **${name}**: ${note}`),
    '',
    '## Where the time goes (in-process, on the loaded database, 30 runs each)',
    '',
    `| work | ${runs.map((r) => `${ENGINE_NAMES[r.engine]} p50 ms | ${ENGINE_NAMES[r.engine]} p95 ms`).join(' | ')} |`,
    `|---|${runs.map(() => '--:|--:|').join('')}`,
    ...Object.keys(runs[0]?.inProcess ?? {}).map((name) => `| ${name} | ${runs.map((r) => `${r.inProcess[name]!.p50} | ${r.inProcess[name]!.p95}`).join(' | ')} |`),
    '',
    'PGlite runs in the server\'s own thread: every query holds the event loop, so with 10 connections requests wait for one another\'s queries. PostgreSQL runs them in its own processes, in parallel.',
    '',
    ...(problems.length ? ['## Problems', '', ...problems.map((p) => `- ${p}`), ''] : []),
    ...(warnings.length ? ['## Warnings', '', ...warnings.map((w) => `- ${w}`), ''] : []),
    '## Query plans (EXPLAIN ANALYZE on the loaded database)',
    '',
    ...runs.flatMap((r) => Object.entries(r.plans).flatMap(([name, plan]) => [`### ${ENGINE_NAMES[r.engine]}: ${name}`, '', '```', plan, '```', ''])),
    `Raw figures: \`feedback-${date}.json\`.`,
    '',
  ].join('\n');
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const mdFile = join(dir, `feedback-${date}.md`);
  const jsonFile = join(dir, `feedback-${date}.json`);
  writeFileSync(mdFile, md);
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${sections.join('\n')}\n${summary.map((v) => `  ${v}`).join('\n')}\n${problems.length ? `\nPROBLEMS:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` : ''}${warnings.length ? `\nWARNINGS:\n${warnings.map((w) => `  - ${w}`).join('\n')}\n` : ''}\nwritten: ${relative(root, mdFile)}, ${relative(root, jsonFile)}\n`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[bench:feedback] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
