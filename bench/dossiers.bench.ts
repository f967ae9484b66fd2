/**
 * Dossier benchmark: intake (POST /api/v1/dossiers, multipart with a 200 kB PDF),
 * the public tracking look-up (API and /tra-cuu page), the officials' work-queue page
 * with 100,000 dossiers in one commune, and the server's memory, on PostgreSQL and
 * on the embedded PGlite, each against targets and beside bare-Hono baselines
 * measured in the same run (hello-world for the GETs, the same multipart upload
 * parsed and discarded for intake). Servers are child processes on 127.0.0.1.
 *
 *   npm run bench:dossiers [-- --engines postgres,pglite --duration 10 --warmup 2
 *     --connections 50 --queue-connections 1,10,50 --dossiers 100000 --pdf-kb 200 --profile]
 *
 * PostgreSQL: XASO_DURABLE_PG_URL when set, else `scripts/test-postgres.sh durable` starts one; the
 * run creates its own database and drops it at the end.
 * Writes bench/results/dossiers-<YYYY-MM-DD>.{md,json}. Exits 1 if a load had errors
 * or unexpected statuses (the figures would be wrong), 2 if a target was missed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadDefaultCalendar } from '../src/calendar/index.js';
import { DEMO_CITIZENS, DEMO_PASSWORD } from '../src/demo/seed.js';
import { openPglite, openPostgres, type Db, type DbHandle } from '../src/platform/db.js';
import { startChild, type Child } from './lib/children.js';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.js';
import { share, snapshot, type CpuShare, type CpuSnapshot } from './lib/cpu.js';
import { dossierPlans, IntakeBodies, loadQueue, PgWaitSampler, trackingKeys, type QueueLoad } from './lib/dossiers-data.js';
import { cpuByComm, measureDynamic, procCpuMs, RssSampler, type DynamicRequest, type RssPhase } from './lib/dossiers-load.js';
import { monotonicUs, summarise, type ProfileSummary } from './lib/dossiers-profile.js';
import { measure, numberOption, type LoadResult, type LoadSettings } from './lib/load.js';
import { machine, revision, table, versions, type Machine, type TargetRow } from './lib/report.js';
import { cookieHeader, expectOk, signIn } from './lib/signin.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const log = (msg: string) => process.stderr.write(`[bench:dossiers] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);

const COMMUNE = '25459';
const PROCEDURE = '1.001193'; // Đăng ký khai sinh: commune level, case 0 has papers
const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const CITIZEN = DEMO_CITIZENS[0]!;

const TARGETS = {
  intakePerSecond: 300,
  trackingPerSecond: 3000,
  queueP95Ms: 50,
  rssMiB: 512,
};
/** The queue page's latency is judged at this many concurrent officials (see the report's notes). */
const QUEUE_JUDGED_AT = 10;
const OTHER_CPU_WARN_PCT = 10;

const { values: args } = parseArgs({
  options: {
    engines: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'queue-connections': { type: 'string' },
    dossiers: { type: 'string' },
    'pdf-kb': { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'boolean' },
  },
});
const engines = (args.engines ?? 'postgres,pglite').split(',').map((e) => e.trim()) as ('postgres' | 'pglite')[];
for (const e of engines) if (e !== 'postgres' && e !== 'pglite') throw new Error(`--engines: postgres and/or pglite, got "${e}"`);
const settings: LoadSettings = {
  duration: numberOption('duration', args.duration, 10),
  warmup: numberOption('warmup', args.warmup, 2),
  connections: numberOption('connections', args.connections, 50),
  pipelining: 1,
  timeout: 20,
};
const queueConnections = (args['queue-connections'] ?? `1,${QUEUE_JUDGED_AT},50`).split(',').map((x) => numberOption('queue-connections', x, 10));
const DOSSIERS = numberOption('dossiers', args.dossiers, 100_000);
const PDF_BYTES = Math.round(numberOption('pdf-kb', args['pdf-kb'], 200) * 1000);
const only = new Set((args.only ?? 'intake,tracking,queue').split(',').map((x) => x.trim()));

/** The child's environment: ours minus anything that would point the app elsewhere. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('XASO_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'LOG_LEVEL' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

interface Measured {
  engine: 'baseline' | 'postgres' | 'pglite';
  name: string;
  path: string;
  note: string;
  result: LoadResult;
  cpu: CpuShare;
  /** Which baseline the ratios are against. */
  against: 'hello' | 'upload';
  /** The measured run, in monotonic µs (to cut the server's CPU profile to it). */
  window: { fromUs: number; toUs: number };
  /** CPU ms per response: the server process, and (PostgreSQL) the run database's backends. */
  serverCpu: { appMsPerRequest: number | null; mainThreadMsPerRequest: number | null; dbMsPerRequest: number | null };
  profile?: ProfileSummary;
}

interface Verdict {
  engine: 'postgres' | 'pglite';
  target: string;
  measured: number;
  limit: string;
  pass: boolean;
  /** measured ÷ target: at least 1 passes an "at least" target, at most 1 an "at most" one. */
  ofTarget: number;
  /** False for figures the brief asks to report but that carry no target of their own. */
  binding: boolean;
}

type Row = TargetRow & { engine: string; profile?: ProfileSummary; serverCpu: Measured['serverCpu'] };

interface EngineRun {
  engine: 'postgres' | 'pglite';
  startupMs: number;
  restartMs: number;
  intake: {
    created: number;
    replays: number;
    other: Record<string, number>;
    dossiersInDb: number | null;
    storedFiles: number | null;
    /** PostgreSQL: backend states summed over samples taken every 100 ms during the intake run (warm-up included). */
    pgWaits: { samples: number; states: Record<string, number> } | null;
  } | null;
  queueLoad: QueueLoad | null;
  plans: Record<string, string>;
  rss: RssPhase[];
  maxRssMiB: number | null;
  /** After the first start's catalog import (not a load; reported apart). */
  firstStartRssMiB: number | null;
  profile: string[];
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const children: Child[] = [];
  const measured: Measured[] = [];
  const runs: EngineRun[] = [];
  const verdicts: Verdict[] = [];
  const problems: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const calendar = await loadDefaultCalendar();
  const profileDir = args.profile ? mkdtempSync(join(tmpdir(), 'xaso-bench-prof-')) : null;
  const drift0: { again: { result: LoadResult; cpu: CpuShare } | null } = { again: null };
  const bodies = new IntakeBodies({ commune: COMMUNE, procedure: PROCEDURE, caseNo: 0, paperNo: 0 }, PDF_BYTES);
  log(`intake body: ${bodies.size} bytes (PDF ${PDF_BYTES} bytes); load average ${loadBefore.join(' ')}`);

  /**
   * Runs a load and measures, over the measured part: the machine's CPU shares (cpu.ts), the
   * server's own CPU time, and with PostgreSQL the CPU time of the run database's backends
   * (per request: what the load costs wherever it runs, which a busy machine hardly changes).
   */
  const withCpu = async (pids: number[], f: (onMeasure: () => void) => Promise<LoadResult>, pgDatabase?: BenchDatabase) => {
    let before: CpuSnapshot | null = null;
    let fromUs = 0;
    let appBefore: number | null = null;
    let mainBefore: number | null = null;
    let pgBefore: Map<number, number> | null = null;
    const result = await f(() => {
      before = snapshot(pids);
      fromUs = monotonicUs();
      appBefore = procCpuMs(pids[0]!);
      mainBefore = procCpuMs(pids[0]!, pids[0]!);
      if (pgDatabase) pgBefore = cpuByComm('postgres');
    });
    const cpu = share(before!, snapshot(pids));
    const toUs = monotonicUs();
    const appAfter = procCpuMs(pids[0]!);
    const mainAfter = procCpuMs(pids[0]!, pids[0]!);
    let dbMs: number | null = null;
    if (pgDatabase && pgBefore) {
      dbMs = 0;
      for (const pid of await pgDatabase.backendPids()) dbMs += (procCpuMs(pid) ?? 0) - ((pgBefore as Map<number, number>).get(pid) ?? 0);
    }
    const per = (ms: number | null) => (ms === null || !result.requests ? null : Math.round((ms / result.requests) * 1000) / 1000);
    const serverCpu = {
      appMsPerRequest: per(appBefore === null || appAfter === null ? null : appAfter - appBefore),
      mainThreadMsPerRequest: per(mainBefore === null || mainAfter === null ? null : mainAfter - mainBefore),
      dbMsPerRequest: per(dbMs),
    };
    return { result, cpu, window: { fromUs, toUs }, serverCpu };
  };
  const record = (m: Measured) => {
    measured.push(m);
    const x = m.result;
    log(`  ${m.engine} ${m.name}: ${x.rps} rps, p50 ${x.latencyMs.p50} ms, p95 ${x.latencyMs.p95} ms, errors ${x.errors}, codes ${JSON.stringify(x.statusCodes)}; other CPU ${m.cpu.otherPct ?? '?'} %, load ${m.cpu.loadAvg1}; CPU ms/response: server ${m.serverCpu.appMsPerRequest ?? '?'} (main thread ${m.serverCpu.mainThreadMsPerRequest ?? '?'}), PostgreSQL ${m.serverCpu.dbMsPerRequest ?? '—'}`);
  };

  try {
    log('starting the baselines…');
    const [hello, upload] = await Promise.all([
      startChild('baseline', join(here, 'lib/serve-baseline.ts'), childEnv({ PORT: '0' })),
      startChild('upload-baseline', join(here, 'lib/dossiers-baseline.ts'), childEnv({ PORT: '0' })),
    ]);
    children.push(hello, upload);
    const helloUrl = `http://127.0.0.1:${hello.port}/`;
    const uploadOrigin = `http://127.0.0.1:${upload.port}`;
    await expectOk(helloUrl, {}, 'ok');

    log(`baseline GET / (${settings.warmup} s + ${settings.duration} s, ${settings.connections} connections)…`);
    const helloRun = await withCpu([hello.pid], (onMeasure) => measure(helloUrl, {}, settings, onMeasure));
    record({ engine: 'baseline', name: 'hello', path: '/', note: 'bare Hono + @hono/node-server, `c.text("ok")` (bench/lib/serve-baseline.ts)', against: 'hello', ...helloRun });

    const uploadReq = (): DynamicRequest => ({ method: 'POST', path: '/upload', headers: { 'content-type': bodies.contentType }, body: bodies.next().body });
    log('baseline POST /upload (same multipart bodies)…');
    const uploadRun = await withCpu([upload.pid], (onMeasure) => measureDynamic(uploadOrigin, '/upload', uploadReq, settings, { onMeasure }));
    record({
      engine: 'baseline',
      name: 'upload',
      path: '/upload',
      note: `bare Hono: \`c.req.parseBody({ all: true })\` of the same ${Math.round(bodies.size / 1000)} kB multipart body, file bytes read and discarded, 201 JSON (bench/lib/dossiers-baseline.ts)`,
      against: 'upload',
      ...uploadRun,
    });

    for (const engine of engines) {
      const run: EngineRun = { engine, startupMs: 0, restartMs: 0, intake: null, queueLoad: null, plans: {}, rss: [], maxRssMiB: null, firstStartRssMiB: null, profile: [] };
      runs.push(run);
      const dataDir = mkdtempSync(join(tmpdir(), `xaso-bench-dossiers-${engine}-`));
      if (profileDir) mkdirSync(join(profileDir, engine));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      let dbUrl: string | null = null;
      let pgDb: BenchDatabase | undefined;
      if (engine === 'postgres') {
        const created = await createBenchDatabase(root, 'xaso_bench_dossiers');
        pgDb = created;
        dbUrl = created.url;
        cleanups.push(() => created.drop());
        log(`PostgreSQL: fresh database ${created.name}`);
      }
      const appEnv = childEnv({
        PORT: '0',
        XASO_DATA_DIR: dataDir,
        XASO_SECRET: randomBytes(32).toString('hex'),
        XASO_SEED_DEMO: '1',
        // Behind a reverse proxy: every look-up comes from its own address (X-Forwarded-For), as real citizens do.
        XASO_TRUST_PROXY: '1',
        LOG_LEVEL: 'silent',
        ...(dbUrl ? { DATABASE_URL: dbUrl } : {}),
        ...(profileDir ? { BENCH_CPU_PROFILE_DIR: join(profileDir, engine) } : {}),
      });
      const startApp = async () => {
        const t = performance.now();
        const child = await startChild(`xaso-${engine}`, join(here, profileDir ? 'lib/dossiers-serve-profiled.ts' : 'lib/serve-app.ts'), appEnv, 600_000);
        children.push(child);
        return { child, ms: Math.round(performance.now() - t) };
      };
      log(`${engine}: first start on a fresh database (migrations, catalog import, demo data; can take a minute)…`);
      // The first start imports the national catalog once; its memory is reported apart, then the server is
      // restarted, as it runs every other day, and the loads are measured on that process.
      const first = await startApp();
      run.startupMs = first.ms;
      const sampler = new RssSampler(first.child.pid);
      sampler.phase('first start (catalog imported), idle');
      await new Promise((r) => setTimeout(r, 1000));
      sampler.end();
      await first.child.stop();
      const second = await startApp();
      let app = second.child;
      run.restartMs = second.ms;
      let appOrigin = `http://127.0.0.1:${app.port}`;
      sampler.follow(app.pid);
      sampler.phase('restarted, idle');
      log(`${engine}: first start ${first.ms} ms, restart ${second.ms} ms; on ${appOrigin} (pid ${app.pid})`);
      await new Promise((r) => setTimeout(r, 1000));

      const citizen = { cookie: cookieHeader(await signIn(appOrigin, CITIZEN.phone, DEMO_PASSWORD)) };
      const openDb = async (): Promise<DbHandle> => (dbUrl ? openPostgres(dbUrl, 2) : openPglite({ dir: join(dataDir, 'pgdata') }));

      // ---- Intake ----
      if (only.has('intake')) {
        const intakeReq = (): DynamicRequest => ({
          method: 'POST',
          path: '/api/v1/dossiers',
          headers: { ...citizen, 'content-type': bodies.contentType, 'x-requested-with': 'bench' },
          body: bodies.next().body,
        });
        // Preflight: a submission is created (201), the same key again answers 200 with the same dossier.
        const pre = intakeReq();
        const a = await fetch(`${appOrigin}/api/v1/dossiers`, { method: 'POST', headers: pre.headers, body: pre.body });
        const aBody = await a.text();
        const b = await fetch(`${appOrigin}/api/v1/dossiers`, { method: 'POST', headers: pre.headers, body: pre.body });
        const bBody = await b.text();
        if (a.status !== 201 || b.status !== 200 || aBody !== bBody) throw new Error(`intake preflight: ${a.status} ${aBody.slice(0, 300)} / ${b.status} ${bBody.slice(0, 300)}`);
        log(`${engine}: intake preflight ok (${aBody}); measuring…`);
        const intake: NonNullable<EngineRun['intake']> = { created: 0, replays: 0, other: {}, dossiersInDb: null, storedFiles: null, pgWaits: null };
        sampler.phase('intake');
        // With PostgreSQL: what the backends wait for while submissions pour in.
        const waitClient = pgDb ? new pg.Client({ connectionString: pgDb.url }) : null;
        await waitClient?.connect();
        const waits = waitClient && pgDb ? new PgWaitSampler(waitClient, pgDb.name) : null;
        waits?.start();
        const r = await withCpu([app.pid], (onMeasure) =>
          measureDynamic(appOrigin, '/api/v1/dossiers', intakeReq, settings, {
            onMeasure,
            onBody: (status, body) => {
              if (status === 201) intake.created++;
              else if (status === 200) intake.replays++;
              else intake.other[`${status} ${body.slice(0, 120)}`] = (intake.other[`${status} ${body.slice(0, 120)}`] ?? 0) + 1;
            },
          }),
          pgDb,
        );
        if (waits) {
          intake.pgWaits = { samples: waits.samples, states: waits.stop() };
          await waitClient!.end();
          log(`${engine}: backends during intake (${intake.pgWaits.samples} samples): ${JSON.stringify(intake.pgWaits.states)}`);
        }
        run.intake = intake;
        record({
          engine,
          name: 'intake',
          path: 'POST /api/v1/dossiers',
          note: `signed-in citizen, multipart: commune ${COMMUNE}, procedure ${PROCEDURE}, a new idempotency key and a new ${Math.round(PDF_BYTES / 1000)} kB PDF (paper_0) each; files stored under XASO_DATA_DIR (fsync); ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}`,
          against: 'upload',
          ...r,
        });
        if (intake.replays || Object.keys(intake.other).length) problems.push(`${engine} intake: ${intake.replays} replays (200) and ${JSON.stringify(intake.other)} besides ${intake.created} created (201)`);
      }

      // ---- 100,000 dossiers in the commune (PGlite: the server owns the database, so it stops meanwhile) ----
      let keys: { code: string; last4: string }[] = [];
      if (only.has('tracking') || only.has('queue')) {
        // Stop first: in-flight submissions finish, and PGlite's database has one owner (the server).
        sampler.end();
        await app.stop();
        const h = await openDb();
        try {
          if (run.intake) {
            run.intake.dossiersInDb = Number(
              (await sql<{ n: number }>`select count(*)::int as n from dossier where idempotency_key like ${`${bodies.key(1).slice(0, 8)}%`}`.execute(h.db)).rows[0]!.n,
            );
            run.intake.storedFiles = Number((await sql<{ n: number }>`select count(*)::int as n from stored_file`.execute(h.db)).rows[0]!.n);
          }
          log(`${engine}: inserting ${DOSSIERS} dossiers into ${COMMUNE}…`);
          run.queueLoad = await loadQueue(h.db, COMMUNE, DOSSIERS, OFFICER);
          log(`${engine}: ${JSON.stringify(run.queueLoad)}`);
          keys = await trackingKeys(h.db, COMMUNE, DOSSIERS);
          run.plans = await dossierPlans(h.db as Db, COMMUNE, calendar, keys[0]!.code);
        } finally {
          await h.close();
        }
        app = (await startApp()).child;
        appOrigin = `http://127.0.0.1:${app.port}`;
        sampler.follow(app.pid);
        sampler.phase('restarted with the queue data, idle');
        log(`${engine}: restarted on ${appOrigin} (pid ${app.pid})`);
        await new Promise((r) => setTimeout(r, 1000));
      }

      // ---- Tracking look-ups ----
      if (only.has('tracking')) {
        let n = 0;
        const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        const half = Math.floor(keys.length / 2);
        const apiReq = (): DynamicRequest => {
          const k = keys[n % half]!;
          return { method: 'GET', path: `/api/v1/dossiers/track?code=${k.code}&phoneLast4=${k.last4}`, headers: { 'x-forwarded-for': ip(++n) } };
        };
        let m = 0;
        const pageReq = (): DynamicRequest => {
          const k = keys[half + (m % half)]!;
          return { method: 'GET', path: `/tra-cuu?ma=${k.code}&so=${k.last4}`, headers: { 'x-forwarded-for': ip(++m + 5_000_000) } };
        };
        const k0 = keys[0]!;
        await expectOk(`${appOrigin}/api/v1/dossiers/track?code=${k0.code}&phoneLast4=${k0.last4}`, {}, `"code":"${k0.code}"`);
        await expectOk(`${appOrigin}/tra-cuu?ma=${k0.code}&so=${k0.last4}`, {}, k0.code);
        // The floor under every request: the middleware chain alone (no database query), for the CPU-per-response comparison.
        sampler.phase('healthz');
        log(`${engine}: /healthz (middleware chain only)…`);
        record({
          engine,
          name: 'healthz',
          path: 'GET /healthz',
          note: 'no target: the full middleware chain and a JSON answer, no database query (the floor under every other figure)',
          against: 'hello',
          ...(await withCpu([app.pid], (onMeasure) => measure(`${appOrigin}/healthz`, {}, settings, onMeasure), pgDb)),
        });
        sampler.phase('tracking API');
        log(`${engine}: tracking API…`);
        record({
          engine,
          name: 'track API',
          path: 'GET /api/v1/dossiers/track',
          note: `anonymous, a different dossier (code + last 4 phone digits) and X-Forwarded-For address each (XASO_TRUST_PROXY=1, so the per-address limit of 30 per 10 min holds per citizen); JSON with history`,
          against: 'hello',
          ...(await withCpu([app.pid], (onMeasure) => measureDynamic(appOrigin, '/api/v1/dossiers/track', apiReq, settings, { onMeasure }), pgDb)),
        });
        sampler.phase('tracking page');
        log(`${engine}: tracking page /tra-cuu…`);
        record({
          engine,
          name: 'track page',
          path: 'GET /tra-cuu?ma=&so=',
          note: 'anonymous, as above, the server-rendered page (also limited per code: 20 per hour, so every request has its own dossier)',
          against: 'hello',
          ...(await withCpu([app.pid], (onMeasure) => measureDynamic(appOrigin, '/tra-cuu', pageReq, settings, { onMeasure }), pgDb)),
        });
      }

      // ---- Work-queue page ----
      if (only.has('queue')) {
        const officer = { cookie: cookieHeader(await signIn(appOrigin, OFFICER, DEMO_PASSWORD)) };
        const pages = [
          { name: 'queue', path: `/can-bo/xa/${COMMUNE}/ho-so`, note: 'the officer\'s default queue (receive, "Chờ tiếp nhận")', conns: queueConnections },
          { name: 'queue overdue', path: `/can-bo/xa/${COMMUNE}/ho-so?hang=qua-han`, note: 'the overdue queue (4 statuses × 2 sources)', conns: [QUEUE_JUDGED_AT] },
        ];
        for (const p of pages) {
          await expectOk(`${appOrigin}${p.path}`, officer, 'Chờ tiếp nhận');
          for (const c of p.conns) {
            const s = { ...settings, connections: c };
            sampler.phase(`${p.name} ×${c}`);
            log(`${engine}: ${p.path} with ${c} connection(s)…`);
            record({
              engine,
              name: `${p.name} ×${c}`,
              path: `GET ${p.path}`,
              note: `signed-in receiving officer, ${DOSSIERS.toLocaleString('en-US')} dossiers in the commune, ${c} connection(s): ${p.note}`,
              against: 'hello',
              ...(await withCpu([app.pid], (onMeasure) => measure(`${appOrigin}${p.path}`, officer, s, onMeasure), pgDb)),
            });
          }
        }
      }

      sampler.stop();
      run.rss = sampler.phases;
      const loads = sampler.phases.filter((x) => !x.phase.startsWith('first start') && x.maxMiB !== null);
      run.maxRssMiB = loads.length ? Math.max(...loads.map((x) => x.maxMiB!)) : null;
      run.firstStartRssMiB = sampler.phases.find((x) => x.phase.startsWith('first start'))?.maxMiB ?? null;
      await app.stop();
      if (profileDir) {
        run.profile = readdirSync(join(profileDir, engine)).map((f) => join(profileDir, engine, f));
        for (const m of measured.filter((x) => x.engine === engine)) {
          const file = run.profile.find((f) => {
            const p = JSON.parse(readFileSync(f, 'utf8')) as { startTime: number; endTime: number };
            return p.startTime <= m.window.fromUs && p.endTime >= m.window.toUs;
          });
          if (file) m.profile = summarise(file, m.window.fromUs, m.window.toUs);
        }
      }
    }

    log('baseline GET / again (drift)…');
    drift0.again = await withCpu([hello.pid], (onMeasure) => measure(helloUrl, {}, settings, onMeasure));
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    for (const f of cleanups.reverse()) await f().catch((err: unknown) => log(`cleanup: ${String(err)}`));
  }

  // ---- Figures, ratios, verdicts ----
  const base = { hello: measured.find((m) => m.name === 'hello')!.result, upload: measured.find((m) => m.name === 'upload')!.result };
  const rows: Row[] = measured.map((m) => ({
    engine: m.engine,
    serverCpu: m.serverCpu,
    ...(m.profile ? { profile: m.profile } : {}),
    name: m.engine === 'baseline' ? `baseline ${m.name}` : `${m.engine} ${m.name}`,
    path: m.path,
    note: m.note,
    result: m.result,
    cpu: m.cpu,
    rpsRatio: Math.round((m.result.rps / base[m.against].rps) * 1000) / 1000,
    p95Ratio: Math.round((m.result.latencyMs.p95 / base[m.against].latencyMs.p95) * 1000) / 1000,
  }));
  for (const m of measured) {
    const x = m.result;
    if (x.errors || x.timeouts) problems.push(`${m.engine} ${m.name}: ${x.errors} errors (${x.timeouts} timeouts)`);
    if (x.non2xx) problems.push(`${m.engine} ${m.name}: ${x.non2xx} non-2xx responses ${JSON.stringify(x.statusCodes)}`);
    if (!x.requests) problems.push(`${m.engine} ${m.name}: no responses`);
  }
  const verdict = (engine: 'postgres' | 'pglite', target: string, measuredValue: number, limit: number, atLeast: boolean, binding: boolean) => {
    const pass = atLeast ? measuredValue >= limit : measuredValue <= limit;
    verdicts.push({ engine, target, measured: measuredValue, limit: `${atLeast ? '≥' : '≤'} ${limit.toLocaleString('en-US')}`, pass, ofTarget: Math.round((measuredValue / limit) * 100) / 100, binding });
  };
  for (const run of runs) {
    const e = run.engine;
    const get = (name: string) => measured.find((m) => m.engine === e && m.name === name)?.result;
    const intake = get('intake');
    // Only 201s count as dossiers submitted.
    if (intake) verdict(e, 'intake, dossiers/s (201 Created)', Math.round(((intake.statusCodes['201'] ?? 0) / intake.seconds) * 10) / 10, TARGETS.intakePerSecond, true, e === 'postgres');
    const api = get('track API');
    if (api) verdict(e, 'tracking API, requests/s', api.rps, TARGETS.trackingPerSecond, true, true);
    const page = get('track page');
    if (page) verdict(e, 'tracking page /tra-cuu, requests/s', page.rps, TARGETS.trackingPerSecond, true, true);
    const queue = get(`queue ×${QUEUE_JUDGED_AT}`);
    if (queue) verdict(e, `queue page p95 at ${QUEUE_JUDGED_AT} connections, ms`, queue.latencyMs.p95, TARGETS.queueP95Ms, false, true);
    if (run.maxRssMiB !== null) verdict(e, 'server RSS, max during the loads, MiB', run.maxRssMiB, TARGETS.rssMiB, false, true);
    if (run.firstStartRssMiB !== null) verdict(e, 'server RSS after the first start (catalog import), MiB', run.firstStartRssMiB, TARGETS.rssMiB, false, false);
  }
  const warnings: string[] = [];
  for (const m of measured) {
    if (m.cpu.otherPct !== null && m.cpu.otherPct > OTHER_CPU_WARN_PCT) warnings.push(`${m.engine} ${m.name}: other processes used ${m.cpu.otherPct} % of the machine's CPU (load average ${m.cpu.loadAvg1})`);
  }
  const baselineAgain = drift0.again;
  const drift = baselineAgain ? Math.round(((baselineAgain.result.rps - base.hello.rps) / base.hello.rps) * 1000) / 10 : null;
  if (drift !== null && Math.abs(drift) > 10) warnings.push(`the hello baseline moved ${drift} % between the start and the end of the run`);
  if (warnings.length) warnings.push('the machine was not quiet: the absolute figures are low; compare ratios, and run again on an idle machine before drawing conclusions');

  const date = startedAt.toISOString().slice(0, 10);
  const report = {
    benchmark: 'dossiers' as const,
    date,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    revision: revision(),
    machine: machine(),
    versions: versions(),
    loadAvgBefore: loadBefore,
    loadAvgAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
    settings: {
      ...settings,
      queueConnections,
      queueJudgedAt: QUEUE_JUDGED_AT,
      dossiers: DOSSIERS,
      pdfBytes: PDF_BYTES,
      multipartBytes: bodies.size,
      engines,
      loadGenerator: `autocannon ${versions().autocannon ?? ''}`.trim(),
      servers: 'one child process each (tsx), 127.0.0.1; Xã Số via bench/lib/serve-app.ts with LOG_LEVEL=silent, XASO_TRUST_PROXY=1, demo data',
      postgres: 'scripts/test-postgres.sh durable server (production settings: fsync, synchronous_commit, full_page_writes on), a fresh database per run; app pool of 10 connections',
    },
    targets: TARGETS,
    verdicts,
    rows,
    baselineAgain: baselineAgain ? { rps: baselineAgain.result.rps, p95: baselineAgain.result.latencyMs.p95, rpsChangePct: drift, cpu: baselineAgain.cpu } : null,
    runs,
    problems,
    warnings,
  };
  const outDir = join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  // A profiled run is slower (the profiler samples every millisecond): it never replaces the day's figures.
  const stem = `dossiers-${date}${profileDir ? '-profile' : ''}`;
  const md = join(outDir, `${stem}.md`);
  const json = join(outDir, `${stem}.json`);
  writeFileSync(md, markdown(report));
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${verdictTable(verdicts)}\n\n${table(rows)}\n${problems.length ? `\nPROBLEMS:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` : ''}\nwritten: ${relative(root, md)}, ${relative(root, json)}\n`);
  if (profileDir) process.stdout.write(`CPU profiles: ${runs.flatMap((r) => r.profile).join(', ')}\n`);
  if (problems.length) return 1;
  return verdicts.some((v) => v.binding && !v.pass) ? 2 : 0;
}

// ---- Report ----

const fmt = (n: number | null, digits = 0) => (n === null || !Number.isFinite(n) ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

function verdictTable(verdicts: Verdict[]): string {
  const lines = verdicts.map(
    (v) =>
      `| ${v.engine} | ${v.target} | ${fmt(v.measured, v.measured < 100 ? 1 : 0)} | ${v.limit} | ${v.binding ? (v.pass ? '**PASS**' : '**FAIL**') : v.pass ? 'pass (info)' : 'fail (info)'} | ${v.ofTarget.toFixed(2)}× |`,
  );
  return ['| engine | target | measured | target | verdict | measured ÷ target |', '|---|---|--:|--:|---|--:|', ...lines].join('\n');
}

function markdown(r: {
  date: string;
  startedAt: string;
  finishedAt: string;
  revision: string;
  machine: Machine;
  versions: Record<string, string>;
  loadAvgBefore: number[];
  loadAvgAfter: number[];
  settings: LoadSettings & { queueConnections: number[]; queueJudgedAt: number; dossiers: number; pdfBytes: number; multipartBytes: number; engines: string[]; loadGenerator: string; servers: string; postgres: string };
  verdicts: Verdict[];
  rows: Row[];
  baselineAgain: { rps: number; p95: number; rpsChangePct: number | null; cpu: CpuShare } | null;
  runs: EngineRun[];
  problems: string[];
  warnings: string[];
}): string {
  const s = r.settings;
  const m = r.machine;
  const out = [
    `# Dossier benchmark — ${r.date}`,
    '',
    `Recorded by \`npm run bench:dossiers\` (bench/dossiers.bench.ts) from ${r.startedAt} to ${r.finishedAt} (revision \`${r.revision}\`).`,
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu} × ${m.cores} cores; memory ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}`,
    `- Load average (1, 5, 15 min) before the run: ${r.loadAvgBefore.join(', ')}; after: ${r.loadAvgAfter.join(', ')} (the machine is shared with other test runs)`,
    `- Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    '## Settings',
    '',
    `- Load generator: ${s.loadGenerator}, in the benchmark process; ${s.warmup} s warm-up (discarded) then ${s.duration} s measured per target; ${s.connections} connections unless stated; ${s.timeout} s request timeout`,
    `- Servers: ${s.servers}`,
    `- PostgreSQL: ${s.postgres}`,
    `- PGlite: embedded, a fresh XASO_DATA_DIR per run`,
    `- Intake body: ${fmt(s.multipartBytes)} bytes of multipart/form-data, the PDF ${fmt(s.pdfBytes)} bytes (valid: header, xref, \`%%EOF\`), a new idempotency key and new PDF content each`,
    `- Queue data: ${fmt(s.dossiers)} dossiers in commune ${COMMUNE} (INSERT … SELECT generate_series, plus their events; ANALYZE), see the mix below`,
    `- Queue page latency is judged at ${s.queueJudgedAt} concurrent connections (a commune office's officials refreshing continuously); ${s.queueConnections.join(', ')} are shown.`,
    '',
    '## Targets',
    '',
    verdictTable(r.verdicts),
    '',
    '"measured ÷ target": an "at least" target needs 1× or more, an "at most" target 1× or less. PGlite intake and the first start\'s memory carry no target of their own (reported as asked).',
    '',
    '## All measurements',
    '',
    'Ratios: intake against the upload baseline, everything else against the hello-world baseline, both measured in this run.',
    '"other CPU" is the share of the machine used by processes other than this benchmark while the target was measured.',
    '',
    table(r.rows),
    '',
  ];
  for (const t of r.rows) if (t.note) out.push(`- **${t.name}**: ${t.note}`);
  out.push(
    '',
    '### CPU time per response',
    '',
    'What one response costs, wherever it runs: the server process\'s CPU time (and, on PostgreSQL, that of the run database\'s backends) over the measured run ÷ responses. ' +
      'A busy machine changes this far less than the rates. JavaScript runs on one thread, so one server process can never answer more than about 1,000 ÷ (main-thread ms) per second, however idle the machine; ' +
      'the other threads are libuv\'s pool (file writes, fsync, hashing) and V8\'s (garbage collection, compilation). /proc counts CPU in 10 ms ticks: short runs are approximate.',
    '',
    '| target | server CPU ms (all threads) | of which the main (JavaScript) thread | PostgreSQL CPU ms | ceiling of the main thread, responses/s |',
    '|---|--:|--:|--:|--:|',
    ...r.rows.map((x) => {
      const main = x.serverCpu.mainThreadMsPerRequest;
      return `| ${x.name} | ${fmt(x.serverCpu.appMsPerRequest, 3)} | ${fmt(main, 3)} | ${fmt(x.serverCpu.dbMsPerRequest, 3)} | ${main ? fmt(1000 / main) : '—'} |`;
    }),
  );
  if (r.baselineAgain) {
    out.push('', `- **baseline hello, again at the end**: ${fmt(r.baselineAgain.rps)} rps, p95 ${r.baselineAgain.p95} ms (${r.baselineAgain.rpsChangePct} % vs the start; other CPU ${r.baselineAgain.cpu.otherPct ?? '—'} %)`);
  }
  out.push('');
  for (const run of r.runs) {
    out.push(
      `## ${run.engine}`,
      '',
      `- First start on a fresh database (migrations, catalog import, demo data): ${fmt(run.startupMs / 1000, 1)} s; a normal start afterwards: ${fmt(run.restartMs / 1000, 1)} s`,
      '- Memory is sampled every 200 ms (VmRSS). The first start\'s process is only sampled idle, after the import; the loads run on restarted processes, as on any day but the first.',
    );
    if (run.intake) {
      out.push(
        `- Intake responses: ${fmt(run.intake.created)} created (201), ${run.intake.replays} replays (200), others ${JSON.stringify(run.intake.other)}; ` +
          `dossiers from this run in the database afterwards: ${fmt(run.intake.dossiersInDb)}, stored files: ${fmt(run.intake.storedFiles)} (warm-up and measured run, plus the preflight)`,
      );
      const w = run.intake.pgWaits;
      if (w && w.samples) {
        out.push(
          `- PostgreSQL backends during intake (average number in each state over ${w.samples} samples of pg_stat_activity): ` +
            Object.entries(w.states)
              .map(([k, n]) => `${k} ${fmt(n / w.samples, 2)}`)
              .join('; '),
        );
      }
    }
    if (run.queueLoad) {
      const q = run.queueLoad;
      out.push(`- Queue data: ${fmt(q.rows)} dossiers and ${fmt(q.events)} events in ${fmt(q.ms / 1000, 1)} s; by status[/stage]: ${Object.entries(q.mix).map(([k, n]) => `${k}: ${fmt(n)}`).join(', ')}; overdue ${fmt(q.overdue)}, due within a day ${fmt(q.atRisk)}`);
    }
    out.push('', '| phase | samples | RSS at start MiB | max MiB | at end MiB |', '|---|--:|--:|--:|--:|');
    for (const p of run.rss) out.push(`| ${p.phase} | ${p.samples} | ${fmt(p.startMiB)} | ${fmt(p.maxMiB)} | ${fmt(p.endMiB)} |`);
    out.push('');
    for (const [name, plan] of Object.entries(run.plans)) out.push(`<details><summary>Plan: ${name}</summary>`, '', '```', plan, '```', '', '</details>', '');
  }
  const profiled = r.rows.filter((x) => x.profile);
  if (profiled.length) {
    out.push('## Where the server\'s CPU went (node --cpu-prof, cut to each measured run)', '');
    for (const x of profiled) {
      const p = x.profile!;
      const list = (l: { name: string; pct: number }[]) => l.map((e) => `${e.pct} % ${e.name}`).join('; ');
      out.push(
        `### ${x.name}`,
        '',
        `${fmt(p.samples)} samples over ${fmt(p.ms / 1000, 1)} s (idle ${p.idlePct} %). Shares of the busy samples:`,
        '',
        `- by module (self): ${list(p.modules)}`,
        `- by function (self): ${list(p.functions)}`,
        `- app functions (inclusive): ${list(p.appInclusive)}`,
        '',
      );
    }
  }
  if (r.problems.length) out.push('## Problems', '', ...r.problems.map((p) => `- ${p}`), '');
  if (r.warnings.length) out.push('## Warnings', '', ...r.warnings.map((w) => `- ${w}`), '');
  out.push(`Raw figures: the .json file of the same name.`, '');
  return out.join('\n');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[bench:dossiers] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
