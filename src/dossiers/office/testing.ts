/** Shared set-up for the back-office and dossier API tests (not loaded by the app). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadDefaultCalendar, type HolidayCalendar } from '../../calendar/index.js';
import { importCatalog } from '../../catalog/catalog.store.js';
import { seedDemo } from '../../demo/seed.js';
import type { Db, DbHandle, Engine } from '../../platform/db.js';
import { storeFile } from '../../platform/files.js';
import type { App } from '../../platform/routes.js';
import { createSession } from '../../platform/session.js';
import { Client, testApp } from '../../testing/app.js';
import { catalogSlice } from '../../testing/catalog.js';
import { TEST_NOW, TestClock } from '../../testing/clock.js';
import { openTestDb } from '../../testing/db.js';
import { dossiersChanged } from '../changes.js';
import { submitDossier, type SubmitInput } from '../dossiers.service.js';
import type { DossierRow } from '../dossiers.store.js';
import type { Stage, Status } from '../workflow.js';

export const BIRTH = '1.001193';
export const HOME = '25459';
export const OTHER = '25480';
export const CITIZEN = '0912000001';
export const CITIZEN_2 = '0912000002';
export const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
export const SPECIALIST = 'chuyenvien.tanninh@demo.xaso.vn';
export const LEADER = 'lanhdao.tanninh@demo.xaso.vn';
export const TEAM = 'totcns.tanninh@demo.xaso.vn';
export const PROVINCE_ADMIN = 'quantri.tayninh@demo.xaso.vn';
export const ANALYST = 'phantich.tayninh@demo.xaso.vn';
export const OTHER_OFFICER = 'tiepnhan.binhminh@demo.xaso.vn';
export const OTHER_SPECIALIST = 'chuyenvien.binhminh@demo.xaso.vn';

export interface World {
  h: DbHandle;
  app: App;
  dataDir: string;
  calendar: HolidayCalendar;
  /** The app's clock: a set Monday morning unless a test moves it. */
  clock: TestClock;
  /** User ids by login (e-mail for staff, phone for citizens). */
  users: Map<string, string>;
  close(): Promise<void>;
}

export async function openWorld(engine: Engine = 'pglite'): Promise<World> {
  const h = await openTestDb(engine);
  await seedDemo(h.db);
  await importCatalog(h.db, await catalogSlice([BIRTH], 3), { source: 'test' });
  const dataDir = await mkdtemp(join(tmpdir(), 'xaso-office-'));
  const users = new Map<string, string>();
  for (const u of await h.db.selectFrom('app_user').select(['id', 'email', 'phone']).execute()) users.set((u.email ?? u.phone)!, u.id);
  const clock = new TestClock(TEST_NOW, { tickMs: 1000 });
  return {
    h,
    app: testApp(h, { dataDir }, clock),
    clock,
    dataDir,
    calendar: await loadDefaultCalendar(),
    users,
    async close() {
      await h.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let ips = 0;
/** A signed-in client (a session made directly: no password hashing per test). */
export async function as(w: World, login: string | null): Promise<Client> {
  ips++;
  const c = new Client(w.app, `198.19.${Math.floor(ips / 250) % 250}.${(ips % 250) + 1}`);
  if (login) {
    const id = w.users.get(login);
    if (!id) throw new Error(`no user ${login}`);
    const s = await createSession(w.h.db, id, { ip: null, userAgent: 'test' });
    c.cookies.set('xaso_sid', s.token);
  }
  return c;
}

let keys = 0;
export async function submit(w: World, opts: { citizen?: string; commune?: string; phone?: string; files?: SubmitInput['files'] } = {}): Promise<DossierRow> {
  const citizen = opts.citizen ?? CITIZEN;
  const r = await submitDossier(
    { db: w.h.db, calendar: w.calendar, clock: w.clock },
    {
      communeCode: opts.commune ?? HOME,
      procedureCode: BIRTH,
      caseNo: 0,
      applicant: { id: w.users.get(citizen) ?? null, name: 'Nguyễn Thị Lan', phone: opts.phone ?? citizen, email: null, address: 'Khu phố 1' },
      channel: 'online',
      assistedBy: null,
      consent: false,
      idempotencyKey: `t-${Date.now()}-${++keys}`,
      files: opts.files ?? [],
      actorLabel: 'Nguyễn Thị Lan',
      ip: null,
    },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.dossier;
}

/** Puts a dossier straight into a state (tests of one action need not replay the whole workflow), and says so as act() would. */
export async function put(
  db: Db,
  d: Pick<DossierRow, 'commune_code' | 'id'> & Partial<Pick<DossierRow, 'deciding_unit'>>,
  s: { status: Status; stage?: Stage; due?: string | null; previousStatus?: Status | null; previousStage?: Stage; assignee?: string | null; deciding?: string },
): Promise<DossierRow> {
  const row = await db
    .updateTable('dossier')
    .set({
      status: s.status,
      stage: s.stage ?? '',
      due_date: s.due ?? null,
      previous_status: s.previousStatus ?? null,
      previous_stage: s.previousStage ?? '',
      received_at: s.status === 1 ? null : new Date(TEST_NOW),
      ...(s.assignee !== undefined ? { assignee_id: s.assignee } : {}),
      ...(s.deciding ? { deciding_unit: s.deciding } : {}),
      version: sql<number>`version + 1`,
    })
    .where('commune_code', '=', d.commune_code)
    .where('id', '=', d.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  dossiersChanged([d.commune_code, row.deciding_unit, ...(d.deciding_unit ? [d.deciding_unit] : [])]);
  return row as unknown as DossierRow;
}

/** The smallest file each accepted type is recognised from. */
export function tinyPdf(padTo = 0): Uint8Array {
  const head = '%PDF-1.4\n1 0 obj<<>>endobj\n';
  const tail = 'trailer<<>>\n%%EOF\n';
  const pad = Math.max(0, padTo - head.length - tail.length);
  return new TextEncoder().encode(`${head}${'%'.repeat(pad)}\n${tail}`);
}
export const TINY_PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);

/** Stores a file and attaches it to a dossier's paper. */
export async function attach(w: World, d: Pick<DossierRow, 'commune_code' | 'id'>, paperNo: number, bytes: Uint8Array, mime: string, fileName: string): Promise<string> {
  const { sha256 } = await storeFile(w.h.db, w.dataDir, bytes, mime);
  await w.h.db.insertInto('dossier_file').values({ commune_code: d.commune_code, dossier_id: d.id, paper_no: paperNo, sha256, file_name: fileName }).execute();
  return sha256;
}

export async function current(db: Db, id: string): Promise<DossierRow> {
  return (await db.selectFrom('dossier').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as unknown as DossierRow;
}

/** The CSRF token of a page the client can open. */
export async function tokenFrom(c: Client, path: string): Promise<string> {
  return c.csrf(path);
}

export async function auditCount(db: Db, action: string, subjectId: string): Promise<number> {
  const r = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).where('subject_id', '=', subjectId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** `YYYY-MM-DD` plus or minus calendar days. */
export function shiftDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
