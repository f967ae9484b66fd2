import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from './db.js';
import type { Actor } from './context.js';
import type { StaffRole } from './permissions.js';
import './tables.js';

export const SESSION_COOKIE = 'xaso_sid';
export const SESSION_DAYS = 7;
/** A staff session unused this long ends: an office computer left signed in opens no citizen's file for long. */
export const STAFF_IDLE_MINUTES = 30;
/** How stale the last-seen time may get before a request writes it again (one write a minute, not one per request). */
const TOUCH_AFTER_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session; returns the cookie token (only its hash is stored). */
export async function createSession(
  db: DbOrTx,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const id = hashToken(token);
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db
    .insertInto('user_session')
    .values({ id, user_id: userId, expires_at: expiresAt, ip: meta.ip, user_agent: meta.userAgent?.slice(0, 300) ?? null })
    .execute();
  return { token, id, expiresAt };
}

export async function loadSession(db: DbOrTx, token: string): Promise<Actor | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const id = hashToken(token);
  // One round trip: the session, its user and their roles (this runs on every signed-in request).
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select(['s.id as sid', 's.expires_at', 's.last_seen_at', 'u.id', 'u.kind', 'u.full_name', 'u.phone', 'u.email'])
    .select(sql<number>`(select count(*)::int from notification n where n.user_id = u.id and n.read_at is null)`.as('unread'))
    .select(
      sql<{ unit_code: string; role: string }[]>`coalesce((select json_agg(json_build_object('unit_code', r.unit_code, 'role', r.role)) from staff_role r where r.user_id = u.id), '[]'::json)`.as(
        'grants',
      ),
    )
    .where('s.id', '=', id)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  const now = Date.now();
  if (!row || new Date(row.expires_at).getTime() < now) return null;
  const idle = now - new Date(row.last_seen_at).getTime();
  if (row.kind === 'staff' && idle > STAFF_IDLE_MINUTES * 60_000) {
    await destroySession(db, row.sid);
    return null;
  }
  if (idle > TOUCH_AFTER_MS) await db.updateTable('user_session').set({ last_seen_at: new Date(now) }).where('id', '=', row.sid).execute();
  return {
    id: row.id,
    kind: row.kind,
    fullName: row.full_name,
    phone: row.phone,
    email: row.email,
    grants: row.grants.map((g) => ({ unitCode: g.unit_code, role: g.role as StaffRole })),
    sessionId: row.sid,
    unreadNotices: Number(row.unread),
  };
}

export async function destroySession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** Sign-out everywhere; also used after a password change. */
export async function destroyAllSessions(db: DbOrTx, userId: string): Promise<number> {
  const r = await db.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
