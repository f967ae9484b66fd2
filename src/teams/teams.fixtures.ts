/** Test helpers for the teams suites (not a test file itself). */
import { randomUUID } from 'node:crypto';
import { grantRole, insertUser } from '../accounts/accounts.store.js';
import type { Db } from '../platform/db.js';
import type { StaffRole } from '../platform/permissions.js';
import type { App } from '../platform/routes.js';
import { createSession } from '../platform/session.js';
import { Client } from '../testing/app.js';
import type { MemberRole } from './teams.tables.js';

export const HOME = '25459';
export const OTHER = '25480';
export const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
export const LEADER_ACCOUNT = 'totcns.tanninh@demo.xaso.vn';
export const SPECIALIST = 'chuyenvien.tanninh@demo.xaso.vn';
export const COMMUNE_LEADER = 'lanhdao.tanninh@demo.xaso.vn';
export const OTHER_OFFICER = 'tiepnhan.binhminh@demo.xaso.vn';
export const OTHER_MEMBER = 'totcns.binhminh@demo.xaso.vn';
export const PROVINCE_ADMIN = 'quantri.tayninh@demo.xaso.vn';
export const ANALYST = 'phantich.tayninh@demo.xaso.vn';
export const CITIZEN = '0912000001';

let ipSeq = 0;

/** A client signed in as `login` (a session made directly: argon2 on every test would be slow). */
export async function clientAs(app: App, db: Db, login: string | null): Promise<Client> {
  const c = new Client(app, `10.61.${Math.floor(ipSeq / 250) % 250}.${(ipSeq++ % 250) + 1}`);
  if (login === null) return c;
  const user = await db
    .selectFrom('app_user')
    .select('id')
    .where(login.includes('@') ? 'email' : 'phone', '=', login)
    .executeTakeFirstOrThrow();
  const s = await createSession(db, user.id, { ip: null, userAgent: 'test' });
  c.cookies.set('xaso_sid', s.token);
  return c;
}

export async function userId(db: Db, login: string): Promise<string> {
  return (await db.selectFrom('app_user').select('id').where('email', '=', login).executeTakeFirstOrThrow()).id;
}

/** A staff account with one role, optionally a member of a team. */
export async function makeStaff(db: Db, opts: { commune: string; role?: StaffRole; member?: { teamId: number; role: MemberRole; phone: string } }): Promise<{ login: string; id: string }> {
  const login = `t-${randomUUID().slice(0, 8)}@test.xaso.vn`;
  const id = await insertUser(db, { kind: 'staff', fullName: `Thử ${login.slice(2, 6)}`, phone: null, email: login, passwordHash: null });
  await grantRole(db, id, opts.commune, opts.role ?? 'team_member');
  if (opts.member) {
    await db
      .insertInto('team_member')
      .values({ commune_code: opts.commune, team_id: opts.member.teamId, full_name: `Thành viên ${login.slice(2, 6)}`, phone: opts.member.phone, role: opts.member.role, user_id: id, left_at: null })
      .execute();
  }
  return { login, id };
}

export async function villagesOf(db: Db, commune: string): Promise<{ id: number; name: string }[]> {
  return db.selectFrom('team_village').select(['id', 'name']).where('commune_code', '=', commune).orderBy('id').execute();
}

export async function teamsOf(db: Db, commune: string): Promise<{ id: number; name: string; village_id: number }[]> {
  return db.selectFrom('team').select(['id', 'name', 'village_id']).where('commune_code', '=', commune).orderBy('id').execute();
}

export async function auditActions(db: Db, action: string): Promise<{ subject_id: string | null; pd_read: string[]; pd_changed: string[]; detail: Record<string, unknown> }[]> {
  return db.selectFrom('audit_log').select(['subject_id', 'pd_read', 'pd_changed', 'detail']).where('action', '=', action).orderBy('seq').execute();
}

/** Posts a multipart form with one file, like a browser upload. */
export async function postFile(c: Client, path: string, field: string, file: { name: string; bytes: Uint8Array; type?: string }, fields: Record<string, string> = {}): Promise<Response> {
  const body = new FormData();
  body.set('_csrf', await c.csrf());
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  body.set(field, new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  return c.request(path, { method: 'POST', body });
}
