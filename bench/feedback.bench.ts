/**
 * Feedback benchmark: Open311 and the feedback pages with 100,000 items in a
 * province, next to a bare Hono hello-world measured in the same run.
 *
 *   npm run bench:feedback [-- --items 100000 --duration 10 --warmup 2 --connections 1,10]
 *   (script: "bench:feedback": "tsx bench/feedback.bench.ts")
 *
 * The database (embedded PGlite, demo data, catalog) is prepared in this
 * process and the items bulk-loaded with one INSERT … SELECT generate_series;
 * then the real app serves it as a child process on 127.0.0.1 (bench/lib/serve-app.ts).
 * Target (the issue): p95 under 50 ms. Writes bench/results/feedback-<date>.{md,json}.
 * Exits 1 if any target had errors, timeouts or non-2xx answers.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { loadConfig } from '../src/platform/config.js';
import type { Db } from '../src/platform/db.js';
import { queueDays } from '../src/feedback/feedback.service.js';
import { open311List, publishedList, queueCounts, queueList } from '../src/feedback/feedback.store.js';
import { requestJson } from '../src/feedback/open311.js';
import { createLogger } from '../src/platform/logger.js';
import { createSession, loadSession } from '../src/platform/session.js';
import { prepareDatabase } from '../src/server.js';
import { startChild, type Child } from './lib/children.js';
import { share, snapshot, type CpuShare, type CpuSnapshot } from './lib/cpu.js';
import { measure, type LoadResult, type LoadSettings } from './lib/load.js';
import { machine, revision, table, versions, type TargetRow } from './lib/report.js';
import { cookieHeader, expectOk, signIn } from './lib/signin.js';

// ---- the data --------------------------------------------------------------------------

/*
 * N items over the last 365 days across the demo province's communes (a tenth of
 * them in Phường Tân Ninh, 25459), in one INSERT … SELECT over generate_series.
 * The mix: 70 % public; 92 % closed (most with a public answer, a third rated),
 * 8 % new or in progress (many overdue).
 */
const BUSY_COMMUNE = '25459';

/** Words the descriptions are made of (already folded for the search column). */
const PHRASES = [
  ['Đèn đường không sáng', 'den duong khong sang'],
  ['Ổ gà trên đường liên ấp', 'o ga tren duong lien ap'],
  ['Rác thải tồn đọng ở đầu hẻm', 'rac thai ton dong o dau hem'],
  ['Cống thoát nước bị tắc', 'cong thoat nuoc bi tac'],
  ['Tụ tập gây mất trật tự ban đêm', 'tu tap gay mat trat tu ban dem'],
  ['Hồ sơ chứng thực chậm trả kết quả', 'ho so chung thuc cham tra ket qua'],
  ['Cây xanh gãy đổ chắn lối đi', 'cay xanh gay do chan loi di'],
  ['Nước sinh hoạt có mùi lạ', 'nuoc sinh hoat co mui la'],
] as const;

const CATEGORIES = ['duong-sa-chieu-sang', 'moi-truong-rac-thai', 'an-ninh-trat-tu', 'thu-tuc-hanh-chinh', 'khac'];

async function loadFeedback(db: Db, total: number, provinceCode = '80'): Promise<{ rows: number; busyCommuneRows: number; ms: number }> {
  const started = performance.now();
  const communes = (await db.selectFrom('feedback_category').select('commune_code').distinct().execute()).map((r) => r.commune_code).filter((c) => c !== BUSY_COMMUNE);
  const inProvince = (await db.selectFrom('commune').select('code').where('province_code', '=', provinceCode).execute()).map((r) => r.code);
  const others = communes.filter((c) => inProvince.includes(c));
  if (!others.length) throw new Error('no feedback categories: seed the demo first');
  const texts = PHRASES.map(([t]) => t);
  const folded = PHRASES.map(([, f]) => f);
  await sql`
    insert into feedback (commune_code, code, category_code, description, location_text, is_public, contact_phone, channel,
      status, due_date, submitted_at, triaged_at, closed_at, updated_at, reply_count, public_reply, public_reply_at,
      rating, rated_at, responsible_unit, search_text, version)
    select g.commune, 'PA-' || g.commune || '-' || to_char(g.at at time zone 'UTC' + interval '7 hours', 'YYYY') || '-' || lpad(g.i::text, 6, '0'),
      (${sql.val(CATEGORIES)}::text[])[1 + g.i % 5],
      (${sql.val(texts)}::text[])[1 + g.i % 8] || ' (số ' || g.i || ')',
      'Tổ ' || (1 + g.i % 12) || ', khu phố ' || (1 + g.i % 5),
      g.r % 10 < 7,
      '09' || lpad((g.i % 100000000)::text, 8, '0'),
      case when g.i % 20 = 0 then 'open311' else 'web' end,
      g.status,
      (g.at at time zone 'UTC' + interval '7 hours')::date + 14,
      g.at,
      g.at + interval '1 day',
      case when g.status = 'closed' then g.at + (g.i % 20 || ' days')::interval end,
      g.at + interval '2 days',
      case when g.status = 'closed' then 1 else 0 end,
      case when g.status = 'closed' and g.i % 10 <> 9 then 'Đã xử lý xong: ' || (${sql.val(texts)}::text[])[1 + g.i % 8] || ' đã được khắc phục.' end,
      case when g.status = 'closed' and g.i % 10 <> 9 then g.at + (g.i % 20 || ' days')::interval end,
      case when g.status = 'closed' and g.i % 3 = 0 then 1 + g.i % 5 end,
      case when g.status = 'closed' and g.i % 3 = 0 then g.at + interval '21 days' end,
      'Tổ dân phố ' || (1 + g.i % 12),
      ' ' || (${sql.val(folded)}::text[])[1 + g.i % 8] || ' so ' || g.i || ' to ' || (1 + g.i % 12) || ' khu pho ' || (1 + g.i % 5)
        || case when g.status = 'closed' and g.i % 10 <> 9 then ' da xu ly xong ' || (${sql.val(folded)}::text[])[1 + g.i % 8] || ' da duoc khac phuc' else '' end || ' ',
      3
    from (
      select i, r,
        -- One in ten in the busy commune, the rest spread over the province.
        case when i % 10 = 0 then ${BUSY_COMMUNE}::text else (${sql.val(others)}::text[])[1 + (i / 10) % ${sql.lit(others.length)}] end as commune,
        -- Spread over the last 365 days, newest last.
        now() - ((${sql.lit(total)} - i) * (365.0 * 86400 / ${sql.lit(total)}) || ' seconds')::interval as at,
        case when r < 40 then 'new' when r < 80 then 'in_progress' else 'closed' end as status
      from generate_series(1, ${sql.lit(total)}) as i,
        -- A scrambled 0–999 per item (Knuth's multiplicative hash), so every commune gets every status.
        lateral (select (i::bigint * 2654435761 % 1000)::int as r) h
    ) g`.execute(db);
  // Open items submitted long ago are overdue; the newest open ones are not.
  await sql`analyze feedback`.execute(db);
  const n = await db.selectFrom('feedback').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const busy = await db.selectFrom('feedback').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_code', '=', BUSY_COMMUNE).executeTakeFirstOrThrow();
  return { rows: Number(n.n), busyCommuneRows: Number(busy.n), ms: Math.round(performance.now() - started) };
}

/** EXPLAIN ANALYZE of the queries the measured pages run (for the report). */
async function queryPlans(db: Db): Promise<Record<string, string>> {
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const queries: Record<string, ReturnType<typeof sql>> = {
    'queue counts': sql`explain analyze select count(*) filter (where status = 'new'), count(*) filter (where due_date < ${today}::date) from feedback where commune_code = ${BUSY_COMMUNE} and status in ('new', 'in_progress')`,
    'queue list': sql`explain analyze select code from feedback where commune_code = ${BUSY_COMMUNE} and status in ('new', 'in_progress') order by due_date, submitted_at limit 26`,
    'public list': sql`explain analyze select code from feedback where commune_code = ${BUSY_COMMUNE} and is_public and status = 'closed' and public_reply is not null order by closed_at desc, code desc limit 21`,
    'public search': sql`explain analyze select code from feedback where commune_code = ${BUSY_COMMUNE} and is_public and status = 'closed' and public_reply is not null and search_text like '%den duong%' order by closed_at desc, code desc limit 21`,
    'open311 requests': sql`explain analyze select code from feedback where submitted_at >= now() - interval '90 days' and submitted_at <= now() order by submitted_at desc limit 1000`,
  };
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(queries)) {
    const r = await q.execute(db);
    out[name] = (r.rows as Record<string, string>[]).map((row) => Object.values(row)[0]).join('\n');
  }
  return out;
}

// ---- the run ---------------------------------------------------------------------------

const TARGET_P95_MS = 50;
const OFFICIAL = 'tiepnhan.tanninh@demo.xaso.vn';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const log = (msg: string) => process.stderr.write(`[bench:feedback] ${msg}\n`);

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

const { values: args } = parseArgs({
  options: {
    items: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
  },
});
const items = positive('items', args.items, 100_000);
const levels = (args.connections ?? '1,10').split(',').map((s) => positive('connections', s.trim(), 1)).filter((n) => n >= 1);
const base: Omit<LoadSettings, 'connections'> = { duration: positive('duration', args.duration, 10), warmup: positive('warmup', args.warmup, 2), pipelining: 1, timeout: 10 };

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('XASO_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'LOG_LEVEL') continue;
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
  name: string;
  path: string;
  note: string;
  connections: number;
  result: LoadResult;
  cpu: CpuShare;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const dataDir = mkdtempSync(join(tmpdir(), 'xaso-bench-feedback-'));
  const secret = randomBytes(32).toString('hex');
  const children: Child[] = [];
  const measured: Measured[] = [];
  let dataset: Awaited<ReturnType<typeof loadFeedback>>;
  let plans: Record<string, string>;
  let parts: Record<string, Timing>;
  const loadBefore = Math.round(os.loadavg()[0]! * 100) / 100;
  try {
    log(`preparing the embedded database in ${dataDir} (migrations, units, catalog, demo data: about a minute)…`);
    const config = loadConfig({ XASO_DATA_DIR: dataDir, XASO_SECRET: secret, XASO_SEED_DEMO: '1', LOG_LEVEL: 'warn', PORT: '0' });
    const handle = await prepareDatabase(config, createLogger('warn'));
    log(`loading ${items.toLocaleString('en-US')} feedback items…`);
    dataset = await loadFeedback(handle.db, items);
    log(`  ${dataset.rows.toLocaleString('en-US')} rows (${dataset.busyCommuneRows.toLocaleString('en-US')} in ${BUSY_COMMUNE}) in ${(dataset.ms / 1000).toFixed(1)} s`);
    plans = await queryPlans(handle.db);
    // Where the time goes, in-process: the Open311 default answer uncached (it is cached between
    // changes), and the officials' queue: the platform's session lookup, then its two queries.
    const officialUser = await handle.db.selectFrom('app_user').select('id').where('email', '=', OFFICIAL).executeTakeFirstOrThrow();
    const session = await createSession(handle.db, officialUser.id, { ip: null, userAgent: 'bench' });
    const days = await queueDays();
    const end = new Date();
    const start = new Date(end.getTime() - 90 * 86_400_000);
    parts = {
      'Open311 default answer, uncached (query, mapping, JSON of 1,000 items)': await timeIt(async () => JSON.stringify((await open311List(handle.db, { start, end, limit: 1000 })).map(requestJson))),
      'queue: session lookup (platform, 2 queries)': await timeIt(() => loadSession(handle.db, session.token)),
      'queue: the four counts (1 query)': await timeIt(() => queueCounts(handle.db, BUSY_COMMUNE, days.today, days.atRiskUntil)),
      'queue: the first 25 open items (1 query)': await timeIt(() => queueList(handle.db, BUSY_COMMUNE, 'open', days.today, days.atRiskUntil, 1, 25)),
      'public list: first 20 answered items, uncached (1 query)': await timeIt(() => publishedList(handle.db, BUSY_COMMUNE, [], 1, 20)),
    };
    for (const [name, t] of Object.entries(parts)) log(`  ${name}: p50 ${t.p50} ms, p95 ${t.p95} ms`);
    await handle.close();

    log('starting servers…');
    const [baseline, app] = await Promise.all([
      startChild('baseline', join(here, 'lib/serve-baseline.ts'), childEnv({ PORT: '0' })),
      startChild('xaso', join(here, 'lib/serve-app.ts'), childEnv({ PORT: '0', XASO_DATA_DIR: dataDir, XASO_SECRET: secret, XASO_SEED_DEMO: '1', LOG_LEVEL: 'silent' }), 120_000),
    ]);
    children.push(baseline, app);
    const baseUrl = `http://127.0.0.1:${baseline.port}`;
    const appUrl = `http://127.0.0.1:${app.port}`;
    const official = { cookie: cookieHeader(await signIn(appUrl, OFFICIAL, DEMO_PASSWORD)) };
    log(`baseline ${baseUrl} (pid ${baseline.pid}), Xã Số ${appUrl} (pid ${app.pid}); signed in as ${OFFICIAL}`);

    const targets = [
      { name: 'baseline', path: '/', url: `${baseUrl}/`, headers: {}, note: 'bare Hono + @hono/node-server, `c.text("ok")`', mustContain: 'ok' },
      {
        name: 'open311',
        path: '/open311/v2/requests.json',
        url: `${appUrl}/open311/v2/requests.json`,
        headers: {},
        note: 'Open311 GET requests, no filter: the province’s last 90 days, newest 1,000 (the spec’s default ceiling), JSON; served from the answer cache after the first request',
        mustContain: 'service_request_id',
      },
      {
        name: 'open311-commune',
        path: `/open311/v2/requests.json?jurisdiction_id=${BUSY_COMMUNE}&status=open`,
        url: `${appUrl}/open311/v2/requests.json?jurisdiction_id=${BUSY_COMMUNE}&status=open`,
        headers: {},
        note: 'Open311 GET requests for one commune’s open items (about 200), cached likewise',
        mustContain: 'service_request_id',
      },
      { name: 'public-list', path: `/xa/${BUSY_COMMUNE}/phan-anh`, url: `${appUrl}/xa/${BUSY_COMMUNE}/phan-anh`, headers: {}, note: 'public list of answered items, first page (20), anonymous; items cached between changes, page rendered per request', mustContain: 'feedback-list' },
      {
        name: 'public-search',
        path: `/xa/${BUSY_COMMUNE}/phan-anh?q=den+duong&trang=3`,
        url: `${appUrl}/xa/${BUSY_COMMUNE}/phan-anh?q=den+duong&trang=3`,
        headers: {},
        note: 'public list searched (“đèn đường”, folded), third page; cached likewise',
        mustContain: 'feedback-list',
      },
      { name: 'queue', path: `/can-bo/xa/${BUSY_COMMUNE}/phan-anh`, url: `${appUrl}/can-bo/xa/${BUSY_COMMUNE}/phan-anh`, headers: official, note: 'officials’ queue, never cached: session lookup, 4 counts, first 25 open items by due date', mustContain: 'Quá hạn' },
    ];
    for (const t of targets) await expectOk(t.url, t.headers, t.mustContain);

    const pids = [baseline.pid, app.pid];
    for (const connections of levels) {
      for (const t of targets) {
        log(`${t.name} × ${connections} connection(s): ${base.warmup} s warm-up + ${base.duration} s…`);
        let before: CpuSnapshot | null = null;
        const result = await measure(t.url, t.headers, { ...base, connections }, () => (before = snapshot(pids)));
        const cpu = share(before!, snapshot(pids));
        measured.push({ name: t.name, path: t.path, note: t.note, connections, result, cpu });
        log(`  ${result.rps} rps, p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, errors ${result.errors}, non-2xx ${result.non2xx}; other CPU ${cpu.otherPct ?? '?'} %`);
      }
    }
    await expectOk(targets[5]!.url, official, 'Quá hạn');
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }

  const problems: string[] = [];
  const warnings: string[] = [];
  const verdicts: string[] = [];
  const sections: string[] = [];
  for (const connections of levels) {
    const rows = measured.filter((m) => m.connections === connections);
    const baseline = rows[0]!.result;
    const tableRows: TargetRow[] = rows.map((m) => ({
      ...m,
      rpsRatio: Math.round((m.result.rps / baseline.rps) * 1000) / 1000,
      p95Ratio: Math.round((m.result.latencyMs.p95 / baseline.latencyMs.p95) * 1000) / 1000,
    }));
    sections.push(`### ${connections} connection${connections > 1 ? 's' : ''}\n\n${table(tableRows)}\n`);
    for (const m of rows) {
      const x = m.result;
      if (x.errors || x.timeouts) problems.push(`${m.name} × ${connections}: ${x.errors} errors (${x.timeouts} timeouts)`);
      if (x.non2xx) problems.push(`${m.name} × ${connections}: ${x.non2xx} non-2xx ${JSON.stringify(x.statusCodes)}`);
      if (!x.requests) problems.push(`${m.name} × ${connections}: no responses`);
      if (m.cpu.otherPct !== null && m.cpu.otherPct > 10) warnings.push(`${m.name} × ${connections}: other processes used ${m.cpu.otherPct} % of the machine's CPU (load average ${m.cpu.loadAvg1})`);
      if (m.name !== 'baseline') verdicts.push(`${x.latencyMs.p95 < TARGET_P95_MS ? 'met' : 'NOT MET'}: ${m.name} × ${connections} — p95 ${x.latencyMs.p95} ms`);
    }
  }
  if (warnings.length) warnings.push('the machine was not quiet: compare ratios only with care, and run again when it is idle');

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
    settings: { ...base, connections: levels, loadGenerator: `autocannon ${versions().autocannon ?? ''}`.trim(), items },
    dataset,
    inProcess: parts,
    targetP95Ms: TARGET_P95_MS,
    loadAvgBefore: loadBefore,
    targets: measured,
    verdicts,
    problems,
    warnings,
    plans,
  };
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
    `- ${dataset.rows.toLocaleString('en-US')} feedback items in province 80 (Tây Ninh, 96 communes) over the last 365 days; ${dataset.busyCommuneRows.toLocaleString('en-US')} of them in ${BUSY_COMMUNE} (Phường Tân Ninh), the commune measured. Loaded with one INSERT … SELECT generate_series in ${(dataset.ms / 1000).toFixed(1)} s. 70 % public, 92 % closed (90 % of those with a public answer), 8 % open (many overdue).`,
    '- Database: embedded PGlite (one connection, so requests queue for it), demo data, the national catalog; the app is the real server as a child process on 127.0.0.1 with LOG_LEVEL=silent.',
    `- Load: ${report.settings.loadGenerator}, ${base.warmup} s warm-up (discarded) then ${base.duration} s measured per target, at ${levels.join(' and ')} concurrent connection(s).`,
    `- Target (the issue): p95 under ${TARGET_P95_MS} ms.`,
    '- Open311 GET answers and the public list\'s items are cached until the next feedback change in the process (or 30 s; src/feedback/cache.ts), so those rows are mostly cache hits; the officials\' queue is never cached. What the uncached work costs is measured in-process below.',
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
    '| work | p50 ms | p95 ms |',
    '|---|--:|--:|',
    ...Object.entries(parts).map(([name, t]) => `| ${name} | ${t.p50} | ${t.p95} |`),
    '',
    'PGlite runs in the server\'s own thread: every query holds the event loop, so with 10 connections requests wait for one another\'s queries.',
    '',
    '## Against the target',
    '',
    ...verdicts.map((v) => `- ${v}`),
    '',
    ...(problems.length ? ['## Problems', '', ...problems.map((p) => `- ${p}`), ''] : []),
    ...(warnings.length ? ['## Warnings', '', ...warnings.map((w) => `- ${w}`), ''] : []),
    '## Query plans (EXPLAIN ANALYZE on the loaded database)',
    '',
    ...Object.entries(plans).flatMap(([name, plan]) => [`### ${name}`, '', '```', plan, '```', '']),
    `Raw figures: \`feedback-${date}.json\`.`,
    '',
  ].join('\n');
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const mdFile = join(dir, `feedback-${date}.md`);
  const jsonFile = join(dir, `feedback-${date}.json`);
  writeFileSync(mdFile, md);
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${sections.join('\n')}\n${verdicts.map((v) => `  ${v}`).join('\n')}\n${problems.length ? `\nPROBLEMS:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` : ''}${warnings.length ? `\nWARNINGS:\n${warnings.map((w) => `  - ${w}`).join('\n')}\n` : ''}\nwritten: ${relative(root, mdFile)}, ${relative(root, jsonFile)}\n`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[bench:feedback] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
