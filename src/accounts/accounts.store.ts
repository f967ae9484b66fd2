import type { DbOrTx } from '../platform/db.js';
import type { StaffRole } from '../platform/permissions.js';
import '../platform/tables.js';
import './accounts.tables.js';

export interface UserRow {
  id: string;
  kind: 'citizen' | 'staff';
  full_name: string;
  phone: string | null;
  email: string | null;
  password_hash: string | null;
  failed_logins: number;
  locked_until: Date | null;
  home_commune_code: string | null;
  id_number_hash: string | null;
}

const USER_COLUMNS = ['id', 'kind', 'full_name', 'phone', 'email', 'password_hash', 'failed_logins', 'locked_until', 'home_commune_code', 'id_number_hash'] as const;

export async function findUserByPhone(db: DbOrTx, phone: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').select(USER_COLUMNS).where('phone', '=', phone).executeTakeFirst();
}

export async function findUserByLogin(db: DbOrTx, login: string): Promise<UserRow | undefined> {
  const column = login.includes('@') ? 'email' : 'phone';
  return db.selectFrom('app_user').select(USER_COLUMNS).where(column, '=', login).executeTakeFirst();
}

export async function findUserById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: DbOrTx,
  u: { kind: 'citizen' | 'staff'; fullName: string; phone: string | null; email: string | null; passwordHash: string | null; homeCommune?: string | null; idNumberHash?: string | null },
): Promise<string> {
  const row = await db
    .insertInto('app_user')
    .values({
      kind: u.kind,
      full_name: u.fullName,
      phone: u.phone,
      email: u.email,
      password_hash: u.passwordHash,
      home_commune_code: u.homeCommune ?? null,
      id_number_hash: u.idNumberHash ?? null,
      locked_until: null,
      password_changed_at: u.passwordHash ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function grantRole(db: DbOrTx, userId: string, unitCode: string, role: StaffRole): Promise<void> {
  await db.insertInto('staff_role').values({ user_id: userId, unit_code: unitCode, role }).onConflict((oc) => oc.doNothing()).execute();
}

export async function recordLoginFailure(db: DbOrTx, userId: string, lockAfter: number, lockMinutes: number): Promise<{ locked: boolean }> {
  const row = await db
    .updateTable('app_user')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  if (row.failed_logins >= lockAfter) {
    await db.updateTable('app_user').set({ locked_until: new Date(Date.now() + lockMinutes * 60_000), failed_logins: 0 }).where('id', '=', userId).execute();
    return { locked: true };
  }
  return { locked: false };
}

export async function clearLoginFailures(db: DbOrTx, userId: string): Promise<void> {
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function setPasswordHash(db: DbOrTx, userId: string, hash: string): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: hash, password_changed_at: new Date(), failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function insertOneTimeCode(
  db: DbOrTx,
  c: { userId: string; purpose: 'password_reset' | 'counter_reset'; codeHash: string; expiresAt: Date; issuedBy: string | null; unitCode?: string | null },
): Promise<void> {
  // A new code replaces an earlier unused one of the same purpose only: asking for
  // a text message never cancels the code an official handed over at the counter.
  await db.updateTable('one_time_code').set({ used_at: new Date() }).where('user_id', '=', c.userId).where('purpose', '=', c.purpose).where('used_at', 'is', null).execute();
  await db
    .insertInto('one_time_code')
    .values({ user_id: c.userId, purpose: c.purpose, code_hash: c.codeHash, expires_at: c.expiresAt, issued_by: c.issuedBy, unit_code: c.unitCode ?? null, used_at: null })
    .execute();
}

/** The unused codes of an account (at most one per purpose), locked for the check. */
export async function activeOneTimeCodes(db: DbOrTx, userId: string) {
  return db
    .selectFrom('one_time_code')
    .select(['id', 'code_hash', 'expires_at', 'attempts', 'purpose', 'unit_code'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .forUpdate()
    .execute();
}

export async function countCodeAttempt(db: DbOrTx, codeId: string): Promise<void> {
  await db.updateTable('one_time_code').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', codeId).execute();
}

export async function markCodeUsed(db: DbOrTx, codeId: string): Promise<void> {
  await db.updateTable('one_time_code').set({ used_at: new Date() }).where('id', '=', codeId).execute();
}

export async function countCodesSince(db: DbOrTx, userId: string, purpose: 'password_reset' | 'counter_reset', since: Date): Promise<number> {
  const r = await db
    .selectFrom('one_time_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setIdNumberHash(db: DbOrTx, userId: string, hash: string): Promise<void> {
  await db.updateTable('app_user').set({ id_number_hash: hash }).where('id', '=', userId).execute();
}

export async function setHomeCommune(db: DbOrTx, userId: string, communeCode: string): Promise<void> {
  await db.updateTable('app_user').set({ home_commune_code: communeCode }).where('id', '=', userId).execute();
}

export async function insertNotice(db: DbOrTx, n: { userId: string; kind: 'counter_reset_code' | 'counter_password_reset'; unitCode: string | null }): Promise<void> {
  await db.insertInto('account_notice').values({ user_id: n.userId, kind: n.kind, unit_code: n.unitCode, seen_at: null }).execute();
}

export async function hasUnseenNotices(db: DbOrTx, userId: string): Promise<boolean> {
  return (await db.selectFrom('account_notice').select('id').where('user_id', '=', userId).where('seen_at', 'is', null).limit(1).executeTakeFirst()) !== undefined;
}

/** The unseen notices, marked seen in the same statement (shown once). */
export async function takeUnseenNotices(db: DbOrTx, userId: string) {
  return db
    .updateTable('account_notice')
    .set({ seen_at: new Date() })
    .where('user_id', '=', userId)
    .where('seen_at', 'is', null)
    .returning(['kind', 'unit_code', 'created_at'])
    .execute();
}

/** What happened to an account, newest first: the audit entries about it. */
export async function accessLog(db: DbOrTx, userId: string, limit = 50) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'action', 'unit_code', 'actor_id', 'ip'])
    .where('subject_type', '=', 'user')
    .where('subject_id', '=', userId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}
