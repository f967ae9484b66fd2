/**
 * Payment callbacks under duplicate fire: 100 payments, each confirmed by 10
 * identical signed callbacks, all 1,000 sent at once over real HTTP to the app
 * on 127.0.0.1. Checks exactly 100 confirmations (and 100 receipts) and records
 * the throughput, next to a baseline measured in the same run: the same 1,000
 * concurrent POSTs to a bare Hono handler that only checks the HMAC.
 *
 *   npm run bench:payments [-- --engines pglite,postgres --payments 100 --copies 10]
 *
 * PostgreSQL: XASO_TEST_PG_URL when set, else scripts/test-postgres.sh starts one.
 * Writes bench/results/payments-callbacks-<date>.{md,json}. Exits 1 if the count is wrong.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase, type DbHandle, type Engine } from '../src/platform/db.js';
import { silentLogger } from '../src/platform/logger.js';
import { migrate } from '../src/platform/migrate.js';
import { signCallback, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyCallback } from '../src/payments/callback.js';
import { requestPayment, setCollectionAccount } from '../src/payments/payments.service.js';
import { ensureUnits } from '../src/units/units.store.js';
import { numberOption } from './lib/load.js';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.js';
import { machine, revision } from './lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SECRET = 'bench-secret';
const COMMUNE = '25459';
const ACCOUNT = '1023456789';
const log = (msg: string) => process.stderr.write(`[bench:payments] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);

const { values: args } = parseArgs({ options: { engines: { type: 'string' }, payments: { type: 'string' }, copies: { type: 'string' } } });
const engines = (args.engines ?? 'pglite,postgres').split(',').map((e) => e.trim()) as Engine[];
const nPayments = numberOption('payments', args.payments, 100);
const copies = numberOption('copies', args.copies, 10);

interface Shot {
  status: number;
  result: string;
}

/** At most this many sockets: all requests are in flight at once, queued on them (a listen backlog refuses more connections). */
const SOCKETS = 100;

function post(agent: http.Agent, port: number, raw: string, headers: Record<string, string>): Promise<Shot> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/payments/callback', method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(raw) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: string };
        resolve({ status: res.statusCode ?? 0, result: json.result ?? 'error' });
      });
    });
    req.on('error', reject);
    req.end(raw);
  });
}

async function fire(port: number, bodies: string[]): Promise<{ ms: number; shots: Shot[] }> {
  const ts = String(Math.floor(Date.now() / 1000));
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS });
  const started = performance.now();
  const shots = await Promise.all(bodies.map((raw) => post(agent, port, raw, { 'content-type': 'application/json', [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: signCallback(SECRET, ts, raw) })));
  const ms = performance.now() - started;
  agent.destroy();
  return { ms, shots };
}

function listen(fetchFn: (req: Request) => Response | Promise<Response>): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: fetchFn, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({ port: info.port, close: () => new Promise<void>((r) => server.close(() => r())) }),
    );
  });
}

async function openEngine(engine: Engine): Promise<{ handle: DbHandle; cleanup(): Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'xaso-bench-pay-'));
    const handle = await openDatabase({ databaseUrl: null, dataDir: dir });
    return { handle, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const bdb: BenchDatabase = await createBenchDatabase(root, 'xaso_bench_pay');
  const handle = await openDatabase({ databaseUrl: bdb.url, dataDir: tmpdir() });
  return { handle, cleanup: () => bdb.drop() };
}

interface EngineResult {
  engine: Engine;
  requests: number;
  confirmed: number;
  alreadyRecorded: number;
  other: number;
  receipts: number;
  ms: number;
  perSecond: number;
  baselineMs: number;
  baselinePerSecond: number;
  ratio: number;
  ok: boolean;
}

async function runEngine(engine: Engine): Promise<EngineResult> {
  log(`${engine}: preparing`);
  const { handle, cleanup } = await openEngine(engine);
  try {
    await migrate(handle.db);
    await ensureUnits(handle.db);
    const actor = { id: null, label: 'bench', ip: null };
    await setCollectionAccount({ db: handle.db }, actor, COMMUNE, { bankBin: '970436', accountNo: ACCOUNT, accountName: 'UBND PHUONG TAN NINH' });
    const bodies: string[] = [];
    for (let i = 0; i < nPayments; i++) {
      const p = await requestPayment(handle.db, {
        communeCode: COMMUNE,
        dossierId: null,
        dossierCode: `${COMMUNE}-261203-${String(i + 1).padStart(4, '0')}`,
        procedureCode: '1.001612',
        procedureName: 'Đăng ký thành lập hộ kinh doanh',
        payerName: 'Người nộp',
        amountVnd: 50_000,
        at: new Date(),
        actor,
      });
      const body = JSON.stringify({ transactionId: `FT${i}`, reference: p.reference, amount: 50_000, accountNo: ACCOUNT, bankBin: '970436', paidAt: new Date().toISOString() });
      for (let k = 0; k < copies; k++) bodies.push(body);
    }
    // Interleave so duplicates of one payment arrive together with other payments' callbacks.
    bodies.sort((a, b) => (a.length - b.length) || a.localeCompare(b));
    const config = { ...loadConfig({ PORT: '0', XASO_SECRET: 'bench-secret-0123456789abcdef', XASO_DATA_DIR: tmpdir() }), paymentCallbackSecret: SECRET };
    const app = createApp({ db: handle.db, engine, config, log: silentLogger });
    const server = await listen(app.fetch);
    log(`${engine}: firing ${bodies.length} callbacks at once`);
    const run = await fire(server.port, bodies);
    await server.close();
    const baseline = new Hono().post('/api/v1/payments/callback', async (c) => {
      const raw = await c.req.text();
      const v = verifyCallback(SECRET, raw, c.req.header(TIMESTAMP_HEADER), c.req.header(SIGNATURE_HEADER), Date.now());
      return c.json({ result: v.ok ? 'ok' : 'refused' });
    });
    const bare = await listen(baseline.fetch);
    const base = await fire(bare.port, bodies);
    await bare.close();
    const receipts = Number((await handle.db.selectFrom('receipt').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const confirmed = run.shots.filter((s) => s.result === 'confirmed').length;
    const alreadyRecorded = run.shots.filter((s) => s.result === 'already_recorded').length;
    const result: EngineResult = {
      engine,
      requests: bodies.length,
      confirmed,
      alreadyRecorded,
      other: bodies.length - confirmed - alreadyRecorded,
      receipts,
      ms: Math.round(run.ms),
      perSecond: Math.round((bodies.length / run.ms) * 1000),
      baselineMs: Math.round(base.ms),
      baselinePerSecond: Math.round((bodies.length / base.ms) * 1000),
      ratio: Math.round((run.ms / base.ms) * 10) / 10,
      ok: confirmed === nPayments && receipts === nPayments && alreadyRecorded === bodies.length - nPayments,
    };
    log(`${engine}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await handle.close();
    await cleanup();
  }
}

const results: EngineResult[] = [];
for (const e of engines) results.push(await runEngine(e));
const date = new Date().toISOString().slice(0, 10);
const m = machine();
const report = { date, revision: revision(), machine: m, payments: nPayments, copies, results };
const md = [
  `# Payment callbacks: ${nPayments * copies} concurrent duplicate callbacks for ${nPayments} payments (${date})`,
  '',
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.node}, ${m.os}. Revision ${report.revision}.`,
  `All requests issued at once over ${SOCKETS} keep-alive sockets. Baseline: the same requests to a bare Hono handler that only verifies the HMAC (same process, same run).`,
  '',
  '| Engine | Requests | Confirmed | Already recorded | Other | Receipts | Time (ms) | Callbacks/s | Baseline (ms) | Baseline/s | × baseline | Exactly one each |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.engine} | ${r.requests} | ${r.confirmed} | ${r.alreadyRecorded} | ${r.other} | ${r.receipts} | ${r.ms} | ${r.perSecond} | ${r.baselineMs} | ${r.baselinePerSecond} | ${r.ratio} | ${r.ok ? 'yes' : 'NO'} |`),
  '',
].join('\n');
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `payments-callbacks-${date}.md`), md);
writeFileSync(join(here, 'results', `payments-callbacks-${date}.json`), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(md);
if (results.some((r) => !r.ok)) process.exit(1);
