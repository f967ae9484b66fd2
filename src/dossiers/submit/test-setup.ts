/** Shared set-up for the submission and tracking route tests: demo accounts, a catalog slice, a private data folder. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { importCatalog } from '../../catalog/catalog.store.js';
import { DEMO_PASSWORD, seedDemo } from '../../demo/seed.js';
import type { DbHandle, Engine } from '../../platform/db.js';
import type { App } from '../../platform/routes.js';
import { Client, testApp } from '../../testing/app.js';
import { catalogSlice } from '../../testing/catalog.js';
import { TEST_NOW, TestClock } from '../../testing/clock.js';
import { openTestDb } from '../../testing/db.js';
import { tinyPdf } from './test-files.js';

export const BIRTH = '1.001193';
/** One case, two papers, online: the case page is skipped. */
export const SINGLE_CASE = '1.000096';
/** Not offered online (direct submission only). */
export const OFFLINE = '1.000253';
export const HOME = '25459';
export const OTHER = '25480';
export const CITIZEN = '0912000001';
export const CITIZEN_2 = '0912000002';
export const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
export const OTHER_OFFICER = 'tiepnhan.binhminh@demo.xaso.vn';
export const TEAM_MEMBER = 'totcns.tanninh@demo.xaso.vn';
export const SPECIALIST = 'chuyenvien.tanninh@demo.xaso.vn';

export interface World {
  h: DbHandle;
  app: App;
  /** The server's data folder (inside `root`). */
  dataDir: string;
  /** A folder that holds only the data folder: anything else written here escaped it. */
  root: string;
  /** The app's clock: a set Monday morning unless a test moves it. */
  clock: TestClock;
  close(): Promise<void>;
}

export async function openWorld(engine: Engine = 'pglite'): Promise<World> {
  const h = await openTestDb(engine);
  await seedDemo(h.db);
  await importCatalog(h.db, await catalogSlice([BIRTH, SINGLE_CASE, OFFLINE], 3), { source: 'test' });
  const root = await mkdtemp(join(tmpdir(), 'xaso-dossiers-'));
  const dataDir = join(root, 'data');
  const clock = new TestClock(TEST_NOW, { tickMs: 1000 });
  const app = testApp(h, { dataDir }, clock);
  return {
    h,
    app,
    clock,
    dataDir,
    root,
    async close() {
      await h.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

let ips = 0;
export function nextIp(): string {
  ips++;
  return `198.18.${Math.floor(ips / 250) % 250}.${(ips % 250) + 1}`;
}

export async function signedIn(app: App, login: string): Promise<Client> {
  const c = new Client(app, nextIp());
  await c.signIn(login, DEMO_PASSWORD);
  return c;
}

export function anonymous(app: App): Client {
  return new Client(app, nextIp());
}

/** Posts a file like a browser's multipart form (with the CSRF token). */
export async function postFile(client: Client, path: string, file: { name: string; bytes: Uint8Array; type?: string } | null, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', await client.csrf());
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  // No file chosen: browsers still send the part, empty and nameless.
  const blob = file ? new Blob([Buffer.from(file.bytes)], { type: file.type ?? 'application/octet-stream' }) : new Blob([], { type: 'application/octet-stream' });
  form.set('tep', blob, file ? file.name : '');
  return client.request(path, { method: 'POST', body: form });
}

export function location(res: Response): string {
  return res.headers.get('location') ?? '';
}

/** The draft id in a `/…/ban-nhap/<id>/…` location. */
export function draftIdOf(loc: string): string {
  const m = /ban-nhap\/([0-9a-f-]{36})\//.exec(loc);
  if (!m) throw new Error(`no draft id in ${loc}`);
  return m[1]!;
}

/** Every file under a folder, relative to it. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

export async function userId(h: DbHandle, login: string): Promise<string> {
  const col = login.includes('@') ? 'email' : 'phone';
  return (await h.db.selectFrom('app_user').select('id').where(col, '=', login).executeTakeFirstOrThrow()).id;
}

/** A citizen's whole online submission, the shortest way through the pages; returns the new dossier. */
export async function submitOnline(w: World, client: Client, opts: { code?: string; address?: string } = {}): Promise<{ draftId: string; dossierId: string; code: string }> {
  const code = opts.code ?? BIRTH;
  const start = await client.post(`/nop-ho-so/${code}`, {});
  if (start.status !== 303) throw new Error(`start: ${start.status}`);
  const id = draftIdOf(location(start));
  const base = `/nop-ho-so/ban-nhap/${id}`;
  const me = await client.get(`${base}/nguoi-nop`);
  const html = await me.text();
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';
  const steps: [string, Record<string, string>][] = [
    ['nguoi-nop', { full_name: value('full_name'), phone: value('phone'), email: value('email'), address: opts.address ?? 'Số 12, khu phố 3' }],
    ['noi-nop', { commune: HOME }],
  ];
  for (const [step, fields] of steps) {
    const r = await client.post(`${base}/${step}`, fields);
    if (r.status !== 303) throw new Error(`${step}: ${r.status} ${await r.text()}`);
  }
  if (code === BIRTH) {
    const r = await client.post(`${base}/truong-hop`, { case_no: '0' });
    if (r.status !== 303) throw new Error(`truong-hop: ${r.status}`);
  }
  const up = await postFile(client, `${base}/giay-to/0`, { name: 'giay-chung-sinh.pdf', bytes: tinyPdf(), type: 'application/pdf' });
  if (up.status !== 303) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const done = await client.post(`${base}/cam-doan`, { cam_doan: 'yes', idempotency_key: id });
  if (done.status !== 303 || !location(done).endsWith('/da-nop')) throw new Error(`submit: ${done.status} ${await done.text()}`);
  const row = await w.h.db.selectFrom('dossier_draft').select('submitted_dossier').where('id', '=', id).executeTakeFirstOrThrow();
  const d = await w.h.db.selectFrom('dossier').select(['id', 'code']).where('id', '=', row.submitted_dossier!).executeTakeFirstOrThrow();
  return { draftId: id, dossierId: d.id, code: d.code };
}
