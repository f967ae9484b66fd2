/**
 * Hostile load, bounded (issue 8, findings 5 and 6): the real server (embedded
 * database, demo data) as a child process, while
 *   - flood: 16 anonymous clients each stream a chunked 59 MB body at
 *     /api/v1/dossiers, /phan-anh/gui and a spreadsheet upload;
 *   - bomb: a signed-in officer uploads four spreadsheet bombs at once (2
 *     million rows compressed to ~100 kB, and 200,000 rows under the size cap);
 * the server's resident memory is sampled and /healthz is timed throughout.
 * Target: memory under 512 MB, health check within 200 ms. The baseline is the
 * same health check on the same idle server, measured first in the same run.
 *
 *   npm run bench:security
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startChild } from './lib/children.js';
import { machine, revision } from './lib/report.js';
import { cookieHeader, signIn } from './lib/signin.js';
import { xlsxBomb } from '../src/teams/spreadsheet.bomb.js';
import { DEMO_PASSWORD } from '../src/demo/seed.js';

const ROOT = new URL('..', import.meta.url).pathname;
const MEMORY_TARGET_MB = 512;
const HEALTH_TARGET_MS = 200;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
}

/** One health check on a fresh connection (a reused keep-alive socket could be closed under us); NaN when it fails. */
function health(base: string): Promise<number> {
  const t = performance.now();
  return new Promise((resolve) => {
    const req = http.get(`${base}/healthz`, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t : NaN));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(NaN));
  });
}

/** Samples memory and the health check every 100 ms while `work` runs. */
async function observe(pid: number, base: string, work: () => Promise<unknown>) {
  const mem: number[] = [];
  const lat: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      try {
        mem.push(rssMb(pid));
      } catch {
        throw new Error('the server process died during the run');
      }
      lat.push(await health(base));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const started = performance.now();
  const outcome = await work();
  const seconds = (performance.now() - started) / 1000;
  done = true;
  await sampler;
  const ok = lat.filter((x) => Number.isFinite(x));
  return { maxRssMb: Math.max(...mem), healthP50: pct(ok, 50), healthP95: pct(ok, 95), healthMax: ok.length < lat.length ? Infinity : Math.max(...ok), samples: lat.length, failed: lat.length - ok.length, seconds, outcome };
}

/** Streams a chunked body of `bytes` until the server answers or closes; returns the status (0: connection closed). */
function chunkedPost(base: string, path: string, bytes: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'x-requested-with': 'bench', ...headers } });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      req.destroy();
    });
    req.on('error', () => {
      if (!answered) resolve(0);
    });
    const pump = () => {
      while (!answered && sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function uploadSpreadsheet(base: string, path: string, cookie: string, token: string, file: Buffer): Promise<number> {
  const form = new FormData();
  form.set('_csrf', token);
  form.set('tep', new Blob([file]), 'ds.xlsx');
  // An early answer (503: this address already has its share of uploads in flight) closes the connection mid-send.
  try {
    const res = await fetch(new URL(path, base), { method: 'POST', headers: { cookie }, body: form, redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'xaso-bench-security-'));
const startedAt = new Date();
const server = await startChild(
  'xaso',
  join(ROOT, 'bench/lib/serve-app.ts'),
  { ...process.env, XASO_DATA_DIR: dataDir, XASO_SECRET: randomBytes(32).toString('hex'), XASO_SEED_DEMO: '1', DATABASE_URL: '', LOG_LEVEL: 'silent', PORT: '0' },
  300_000,
);
const base = `http://127.0.0.1:${server.port}`;
try {
  // Baseline: the same health check on the idle server, in this run.
  for (let i = 0; i < 5; i++) await health(base);
  const idle = await observe(server.pid, base, () => new Promise((r) => setTimeout(r, 3000)));

  const anonCsrf = (await fetch(`${base}/dang-nhap`)).headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const flood = await observe(server.pid, base, () =>
    Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const target = ['/api/v1/dossiers', '/phan-anh/gui', '/can-bo/xa/25459/to-cns/nhap'][i % 3]!;
        return chunkedPost(base, target, 59 * 1024 * 1024, { cookie: anonCsrf, 'x-forwarded-for': `198.51.100.${i}` });
      }),
    ),
  );

  const cookies = await signIn(base, 'tiepnhan.tanninh@demo.xaso.vn', DEMO_PASSWORD);
  const page = await fetch(`${base}/can-bo/xa/25459/to-cns/nhap`, { headers: { cookie: cookieHeader(cookies) } });
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const files = [xlsxBomb(2_000_000), xlsxBomb(200_000, { numbered: true }), xlsxBomb(2_000_000, { lieAboutSize: true }), xlsxBomb(200_000, { numbered: true })];
  const bomb = await observe(server.pid, base, () => Promise.all(files.map((f) => uploadSpreadsheet(base, '/can-bo/xa/25459/to-cns/nhap', cookieHeader(cookies), token, f))));

  const rows = [
    { name: 'idle (baseline)', ...idle, statuses: '' },
    { name: 'anonymous body flood: 16 × chunked 59 MB', ...flood, statuses: (flood.outcome as number[]).join(' ') },
    { name: `spreadsheet bombs: 4 at once (${files.map((f) => `${Math.round(f.length / 1024)} kB`).join(', ')})`, ...bomb, statuses: (bomb.outcome as number[]).join(' ') },
  ];
  const verdict = (r: (typeof rows)[number]) => (r.maxRssMb < MEMORY_TARGET_MB && r.healthMax <= HEALTH_TARGET_MS ? 'met' : 'NOT met');
  const m = machine();
  const date = startedAt.toISOString().slice(0, 10);
  const md = [
    `# Security benchmark — ${date}`,
    '',
    `Recorded by \`npm run bench:security\` (bench/security.bench.ts) at ${startedAt.toISOString()} (revision \`${revision()}\`).`,
    '',
    `Machine: ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. The server: a child process on the embedded database with demo data.`,
    '',
    `Target: server memory (RSS) under ${MEMORY_TARGET_MB} MB and every health check within ${HEALTH_TARGET_MS} ms while under attack. Health sampled every 100 ms.`,
    '',
    '| phase | seconds | max RSS MB | health p50 ms | health p95 ms | health max ms | health failed | p95 ÷ baseline | answers | target |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.seconds.toFixed(1)} | ${r.maxRssMb} | ${r.healthP50.toFixed(1)} | ${r.healthP95.toFixed(1)} | ${r.healthMax.toFixed(1)} | ${r.failed} of ${r.samples} | ${(r.healthP95 / idle.healthP95).toFixed(2)}× | ${r.statuses} | ${r === rows[0] ? '—' : verdict(r)} |`,
    ),
    '',
    'Answers: the flood is refused before its body is read (401 API without a session, 403 form without a valid token, 303 to sign in), or cut at the route limit (413); the bombs get 400 with the Vietnamese "too big / too many rows" message, or 503 / 0 (connection closed after an early 503) when this address already has two uploads in flight.',
    '',
  ].join('\n');
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, `bench/results/security-${date}.md`), md);
  writeFileSync(join(ROOT, `bench/results/security-${date}.json`), `${JSON.stringify({ benchmark: 'security', date, startedAt: startedAt.toISOString(), revision: revision(), machine: m, rows }, null, 2)}\n`);
  process.stdout.write(md);
  process.exitCode = rows.slice(1).every((r) => verdict(r) === 'met') ? 0 : 1;
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
