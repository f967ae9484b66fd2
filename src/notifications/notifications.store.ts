import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import type { NoticeChannel } from '../platform/outbox.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { requeue } from '../platform/outbox.js';
import '../platform/tables.js';

export async function listInbox(db: DbOrTx, userId: string, limit = 50) {
  return db
    .selectFrom('notification')
    .select(['id', 'title', 'body', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function markAllRead(db: DbOrTx, userId: string, clock: Clock = systemClock): Promise<number> {
  const r = await db.updateTable('notification').set({ read_at: clock.now() }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function getPreference(db: DbOrTx, userId: string): Promise<NoticeChannel | null> {
  const row = await db.selectFrom('notification_preference').select('channel').where('user_id', '=', userId).executeTakeFirst();
  return row?.channel ?? null;
}

export type PreferenceOutcome = { ok: true } | { ok: false; errors: Record<string, string> };

/** A person's choice; SMS needs a phone number on the account, e-mail an address. */
export async function setPreference(
  db: Db,
  user: { id: string; phone: string | null; email: string | null; label: string },
  channel: string,
  ip: string | null,
): Promise<PreferenceOutcome> {
  if (channel !== 'sms' && channel !== 'email' && channel !== 'inapp') return { ok: false, errors: { channel: 'Chọn một cách nhận thông báo' } };
  if (channel === 'sms' && !user.phone) return { ok: false, errors: { channel: 'Tài khoản chưa có số điện thoại: chọn thư điện tử hoặc chỉ trong ứng dụng' } };
  if (channel === 'email' && !user.email) return { ok: false, errors: { channel: 'Tài khoản chưa có thư điện tử: chọn tin nhắn hoặc chỉ trong ứng dụng' } };
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('notification_preference')
      .values({ user_id: user.id, channel })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ channel, updated_at: new Date() }))
      .execute();
    await appendAudit(tx, { actorId: user.id, actorLabel: user.label, action: 'notification.preference', subjectType: 'user', subjectId: user.id, ip, detail: { channel } });
  });
  return { ok: true };
}

/** The dead-letter list: messages that failed for good, newest first. */
export async function listDeadLetters(db: DbOrTx, limit = 100) {
  return db
    .selectFrom('outbox')
    .select(['id', 'channel', 'recipient', 'subject', 'attempts', 'last_error', 'created_at'])
    .where('status', '=', 'failed')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function resendDeadLetter(db: Db, id: number, actor: { id: string; label: string; ip: string | null }): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    if (!(await requeue(tx, id))) return false;
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, action: 'outbox.requeue', subjectType: 'outbox', subjectId: String(id), ip: actor.ip });
    return true;
  });
}
