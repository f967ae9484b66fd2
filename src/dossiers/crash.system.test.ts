/**
 * Crash safety of intake: the real server (`node --import tsx src/main.ts serve`)
 * takes a burst of 500 concurrent submissions and is killed with SIGKILL in the
 * middle of it, then restarted on the same data. Every submission the server
 * acknowledged (201/200) must exist exactly once with its file intact; nothing may
 * be half-written (a dossier without its submit event, audit entry or notification);
 * resending every unacknowledged submission with its key must give exactly one
 * dossier each; and `xaso audit verify` must pass.
 *
 * On the embedded PGlite (the default deployment), and on PostgreSQL when the run has one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { importCatalog } from '../catalog/catalog.store.js';
import { DEMO_CITIZENS, DEMO_PASSWORD } from '../demo/seed.js';
import { openPglite, openPostgres, type DbHandle, type Engine } from '../platform/db.js';
import { storedPath } from '../platform/files.js';
import { catalogSlice } from '../testing/catalog.js';
import { durablePg, testEngines } from '../testing/db.js';
import { withDatabase } from '../testing/global-setup.js';
import { tinyPdf } from './submit/test-files.js';
import './dossiers.tables.js';

const ROOT = resolve(import.meta.dirname, '../..');
const COMMUNE = '25459';
const BIRTH = '1.001193';
const CITIZEN = DEMO_CITIZENS[0]!.phone;
const BURST = 500;
/** SIGKILL once this many responses have come back. */
const KILL_AFTER = 150;

// ---- The server as a child process --------------------------------------------------

const live = new Set<ChildProcess>();
afterAll(() => {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

interface Setup {
  engine: Engine;
  dataDir: string;
  /** PostgreSQL only. */
  databaseUrl: string | null;
  port: number;
}

function childEnv(s: Setup): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('XASO_') && !['DATABASE_URL', 'PORT', 'LOG_LEVEL'].includes(k)) env[k] = v;
  return {
    ...env,
    XASO_HOST: '127.0.0.1',
    PORT: String(s.port),
    XASO_DATA_DIR: s.dataDir,
    // The burst signs in as the demo citizens: demo data is only made when asked for.
    XASO_SEED_DEMO: '1',
    // The audit key the test process wrote the prepared database's entries with (src/testing/setup.ts).
    ...(process.env.XASO_SECRET ? { XASO_SECRET: process.env.XASO_SECRET } : {}),
    LOG_LEVEL: 'warn',
    ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : {}),
  };
}

interface Server {
  proc: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function xaso(s: Setup, args: string[]): Server {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, env: childEnv(s), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  const keep = (chunk: Buffer) => (out = (out + chunk.toString('utf8')).slice(-8000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      ok({ code, signal });
    }),
  );
  return { proc, output: () => out, exited };
}

async function startServer(s: Setup): Promise<Server> {
  const server = xaso(s, ['serve']);
  const deadline = Date.now() + 120_000;
  let gone = false;
  void server.exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`server exited before it was ready:\n${server.output()}`);
    const ok = await fetch(`http://127.0.0.1:${s.port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  server.proc.kill('SIGKILL');
  throw new Error(`server not ready after 120 s:\n${server.output()}`);
}

async function stopServer(server: Server): Promise<void> {
  server.proc.kill('SIGTERM');
  const timer = setTimeout(() => server.proc.kill('SIGKILL'), 20_000);
  const { code } = await server.exited;
  clearTimeout(timer);
  expect(code, `graceful stop:\n${server.output()}`).toBe(0);
}

// ---- A browser's sign-in, over HTTP --------------------------------------------------

async function signIn(base: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  const absorb = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const page = await fetch(`${base}/dang-nhap`);
  absorb(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/dang-nhap`, {
    method: 'POST',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, password: DEMO_PASSWORD, _csrf: token }),
    redirect: 'manual',
  });
  absorb(res);
  await res.arrayBuffer();
  if (res.status !== 303 || !jar.get('xaso_sid')) throw new Error(`sign-in failed: ${res.status}`);
  return cookie();
}

// ---- The submissions ----------------------------------------------------------------------

interface Submission {
  key: string;
  pdf: Buffer;
  sha256: string;
  /** What the server answered before the crash: status and body, or the network error. */
  before: { status: number; id?: string; code?: string } | { error: string } | null;
}

function submissions(n: number): Submission[] {
  const run = randomBytes(4).toString('hex');
  return Array.from({ length: n }, (_, i) => {
    const key = `crash-${run}-${String(i).padStart(4, '0')}`;
    const pdf = tinyPdf(`Giay to ${key}`);
    return { key, pdf, sha256: createHash('sha256').update(pdf).digest('hex'), before: null };
  });
}

async function submit(base: string, cookie: string, s: Submission): Promise<{ status: number; id?: string; code?: string }> {
  const form = new FormData();
  form.append('commune', COMMUNE);
  form.append('procedure', BIRTH);
  form.append('case_no', '0');
  form.append('idempotency_key', s.key);
  form.append('paper_0', new File([s.pdf], `${s.key}.pdf`, { type: 'application/pdf' }));
  const res = await fetch(`${base}/api/v1/dossiers`, { method: 'POST', body: form, headers: { cookie, 'x-requested-with': 'crash-test' } });
  // A body cut off by the crash throws here: the client never learnt its code, so it was not acknowledged.
  const text = await res.text();
  let body: { id?: string; code?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: kept as a bare status
  }
  if ((res.status === 201 || res.status === 200) && !body.id) throw new Error(`${res.status} without a dossier: ${text.slice(0, 200)}`);
  return { status: res.status, ...(body.id ? { id: body.id, code: body.code } : {}) };
}

const acknowledged = (s: Submission): s is Submission & { before: { status: number; id: string; code: string } } =>
  s.before !== null && 'status' in s.before && (s.before.status === 201 || s.before.status === 200) && typeof s.before.id === 'string';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

// ---- The database, read directly (the server stopped: PGlite has one owner) ------------------

async function openDb(s: Setup): Promise<DbHandle> {
  return s.databaseUrl ? openPostgres(s.databaseUrl, 2) : openPglite({ dir: join(s.dataDir, 'pgdata') });
}

/** A database with the schema, the units and the birth-registration procedure, so the first start does not import the whole catalog. */
async function prepare(engine: Engine): Promise<Setup> {
  const dataDir = await mkdtemp(join(tmpdir(), `xaso-crash-${engine}-`));
  let databaseUrl: string | null = null;
  let h: DbHandle;
  if (engine === 'postgres') {
    // PostgreSQL with production durability settings (fsync on): what "nothing lost" is claimed for.
    const { url, template } = durablePg()!;
    // Named after the run's template, so the global teardown drops it even if this file does not.
    const name = `${template}_t_crash_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    databaseUrl = withDatabase(url, name);
    h = await openPostgres(databaseUrl, 2);
  } else {
    h = await openPglite({ dir: join(dataDir, 'pgdata'), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
  }
  await importCatalog(h.db, await catalogSlice([BIRTH], 3), { source: 'crash test' });
  await h.close();
  return { engine, dataDir, databaseUrl, port: await freePort() };
}

async function dispose(s: Setup): Promise<void> {
  await rm(s.dataDir, { recursive: true, force: true });
  if (s.databaseUrl) {
    const name = new URL(s.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: durablePg()!.url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

describe.each(testEngines())('intake survives SIGKILL mid-burst (%s)', (engine) => {
  it(
    `${BURST} concurrent submissions, SIGKILL after ~${KILL_AFTER} answers, restart: acknowledged ones kept whole, the rest resent once`,
    async () => {
      const s = await prepare(engine);
      try {
        const base = `http://127.0.0.1:${s.port}`;
        let server = await startServer(s);
        const cookie = await signIn(base, CITIZEN);
        const all = submissions(BURST);

        // ---- The burst, and the crash in its middle ----
        let answered = 0;
        let killedAt = -1;
        const kill = () => {
          if (killedAt >= 0) return;
          killedAt = answered;
          server.proc.kill('SIGKILL');
        };
        const guard = setTimeout(kill, 60_000);
        await Promise.all(
          all.map(async (x) => {
            try {
              x.before = await submit(base, cookie, x);
            } catch (err) {
              x.before = { error: String((err as Error).cause ?? err) };
            }
            if (++answered >= KILL_AFTER) kill();
          }),
        );
        clearTimeout(guard);
        expect((await server.exited).signal).toBe('SIGKILL');
        const acked = all.filter(acknowledged);
        const answeredOther = all.filter((x) => x.before && 'status' in x.before && !acknowledged(x));
        // Before the crash, every answer was "created": nothing was refused or failed under the burst.
        expect(answeredOther.map((x) => x.before)).toEqual([]);
        expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER - 1);
        expect(acked.length, 'the kill must land in the middle of the burst').toBeLessThan(BURST);
        expect(new Set(acked.map((x) => x.before.code)).size).toBe(acked.length);
        // What the kill interrupted: files already written (whole, or as temp files) for submissions not yet answered.
        const onDisk = await filesUnder(join(s.dataDir, 'files'));
        const interrupted = { files: onDisk.filter((f) => !f.endsWith('.tmp')).length - acked.length, tempFiles: onDisk.filter((f) => f.endsWith('.tmp')).length };

        // ---- Restart on the same data ----
        server = await startServer(s);
        // Every acknowledged dossier is there, readable by its owner, with its file.
        for (const x of acked) {
          const res = await fetch(`${base}/api/v1/dossiers/${x.before.id}`, { headers: { cookie } });
          expect(res.status, `${x.key} acknowledged as ${x.before.code}`).toBe(200);
          const d = (await res.json()) as { code: string; papers: { no: number; files: { sha256: string }[] }[] };
          expect(d.code).toBe(x.before.code);
          expect(d.papers.find((p) => p.no === 0)?.files.map((f) => f.sha256)).toEqual([x.sha256]);
        }
        // Resend every submission with its key: unacknowledged ones are created now (201) or were
        // committed before the crash (200); acknowledged ones answer 200 with the same dossier.
        const after = new Map<string, { status: number; id?: string; code?: string }>();
        const queue = [...all];
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            for (let x = queue.shift(); x; x = queue.shift()) after.set(x.key, await submit(base, cookie, x));
          }),
        );
        for (const x of all) {
          const r = after.get(x.key)!;
          if (acknowledged(x)) expect(r, x.key).toEqual({ status: 200, id: x.before.id, code: x.before.code });
          else expect([200, 201], `${x.key}: ${JSON.stringify(r)}`).toContain(r.status);
        }
        const committedUnanswered = all.filter((x) => !acknowledged(x) && after.get(x.key)!.status === 200).length;
        await stopServer(server);

        // ---- The database and the files, read directly ----
        const h = await openDb(s);
        try {
          const rows = await h.db
            .selectFrom('dossier')
            .select(['id', 'code', 'idempotency_key'])
            .where('commune_code', '=', COMMUNE)
            .execute();
          // Exactly one dossier per key, and no other.
          expect(rows.length).toBe(BURST);
          const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
          expect(byKey.size).toBe(BURST);
          for (const x of all) {
            const r = byKey.get(x.key);
            expect(r, x.key).toBeDefined();
            expect(r!.id).toBe(after.get(x.key)!.id);
          }
          // Nothing half-written: each dossier has its one submit event, its one audit entry and its SMS.
          const incomplete = await sql<{ code: string; events: number; audits: number; sms: number; files: number }>`
            select d.code,
              (select count(*)::int from dossier_event e where e.commune_code = d.commune_code and e.dossier_id = d.id and e.action = 'submit') as events,
              (select count(*)::int from audit_log a where a.subject_type = 'dossier' and a.subject_id = d.id::text and a.action = 'dossier.submit') as audits,
              (select count(*)::int from outbox o where o.dedupe_key = 'dossier:' || d.id || ':1:sms') as sms,
              (select count(*)::int from dossier_file f where f.commune_code = d.commune_code and f.dossier_id = d.id) as files
            from dossier d where d.commune_code = ${COMMUNE}`.execute(h.db);
          expect(incomplete.rows.filter((r) => r.events !== 1 || r.audits !== 1 || r.sms !== 1 || r.files !== 1)).toEqual([]);
          // Every attached file is on disk, whole: its content hashes to its name, and to what was sent.
          const files = await h.db
            .selectFrom('dossier_file as f')
            .innerJoin('dossier as d', (j) => j.onRef('d.commune_code', '=', 'f.commune_code').onRef('d.id', '=', 'f.dossier_id'))
            .innerJoin('stored_file as s', 's.sha256', 'f.sha256')
            .select(['d.idempotency_key', 'f.sha256', 's.size_bytes'])
            .execute();
          const sent = new Map(all.map((x) => [x.key, x]));
          for (const f of files) {
            const path = storedPath(s.dataDir, f.sha256);
            expect(existsSync(path), path).toBe(true);
            const bytes = readFileSync(path);
            expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
            expect(bytes.length).toBe(f.size_bytes);
            expect(f.sha256).toBe(sent.get(f.idempotency_key!)!.sha256);
          }
        } finally {
          await h.close();
        }

        // ---- The audit chain, checked by the command an operator would run ----
        const verify = xaso(s, ['audit', 'verify']);
        const { code } = await verify.exited;
        expect(code, verify.output()).toBe(0);
        expect(verify.output()).toContain('nguyên vẹn');

        console.info(
          `[crash ${engine}] killed after ${killedAt} answers: ${acked.length} acknowledged, ${all.filter((x) => x.before && 'error' in x.before).length} cut off ` +
            `(${committedUnanswered} of them had been committed; ${interrupted.files} had their file stored and ${interrupted.tempFiles} a temp file left), ` +
            `all ${BURST} present exactly once after the resend`,
        );
      } finally {
        for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
        await dispose(s);
      }
    },
    170_000,
  );
});
