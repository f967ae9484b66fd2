import { sql } from 'kysely';
import type { Db, DbOrTx } from './db.js';
import { systemClock, type Clock } from './clock.js';
import type { Logger } from './logger.js';
import './tables.js';

export type Channel = 'email' | 'sms';
/** What a person chooses to receive notices by; the in-app inbox is always written. */
export type NoticeChannel = Channel | 'inapp';

export interface OutgoingMessage {
  channel: Channel;
  recipient: string;
  subject?: string;
  body: string;
  /** Same key twice → one message (a retried request does not notify twice). */
  dedupeKey?: string;
  /**
   * 'notice': news about the person's case — copied to their inbox and sent by the channel they chose.
   * 'secret': a one-time code — sent on its channel only, never copied anywhere.
   * Without it, a message with a dedupe key is a notice (those are the event notices) and one without is a secret.
   */
  kind?: 'notice' | 'secret';
}

interface Recipient {
  id: string;
  phone: string | null;
  email: string | null;
  channel: NoticeChannel | null;
}

/** The event a message belongs to: one inbox line for the SMS and the e-mail of the same change. */
function eventKey(dedupeKey: string): string {
  return dedupeKey.replace(/:(sms|email)$/, '');
}

async function recipientsOf(db: DbOrTx, notices: OutgoingMessage[]): Promise<Recipient[]> {
  const phones = notices.filter((m) => m.channel === 'sms').map((m) => m.recipient);
  const emails = notices.filter((m) => m.channel === 'email').map((m) => m.recipient.toLowerCase());
  if (!phones.length && !emails.length) return [];
  return db
    .selectFrom('app_user as u')
    .leftJoin('notification_preference as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.phone', 'u.email', 'p.channel'])
    .where((eb) => eb.or([...(phones.length ? [eb('u.phone', 'in', phones)] : []), ...(emails.length ? [eb('u.email', 'in', emails)] : [])]))
    .execute();
}

/**
 * Queues messages in the caller's transaction: they are sent only if the change commits.
 * A notice to a person with an account is also written to their inbox, and goes out only by
 * the channel they chose ("in-app only" sends nothing). When the chosen channel is not among the
 * queued ones (no e-mail address on the case), what was queued is sent: a notice is never dropped silently.
 */
export async function enqueue(db: DbOrTx, ...messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const isNotice = (m: OutgoingMessage) => (m.kind ?? (m.dedupeKey ? 'notice' : 'secret')) === 'notice';
  const notices = messages.filter(isNotice);
  const people = await recipientsOf(db, notices);
  const personOf = (m: OutgoingMessage) =>
    people.find((p) => (m.channel === 'sms' ? p.phone === m.recipient : p.email !== null && p.email === m.recipient.toLowerCase()));

  const inbox = new Map<string, { user_id: string; event_key: string; title: string; body: string }>();
  for (const m of notices) {
    const person = personOf(m);
    if (!person) continue;
    const key = eventKey(m.dedupeKey ?? `${m.channel}:${m.recipient}:${m.body}`);
    const prior = inbox.get(`${person.id} ${key}`);
    // The e-mail's Vietnamese text reads better than the SMS's unaccented one.
    if (!prior || m.channel === 'email') inbox.set(`${person.id} ${key}`, { user_id: person.id, event_key: key, title: m.subject || 'Thông báo', body: m.body });
  }
  if (inbox.size) {
    await db
      .insertInto('notification')
      .values([...inbox.values()])
      .onConflict((oc) => oc.columns(['user_id', 'event_key']).doNothing())
      .execute();
  }

  const outgoing = messages.filter((m) => {
    if (!isNotice(m)) return true;
    const choice = personOf(m)?.channel;
    if (!choice) return true;
    if (choice === 'inapp') return false;
    if (choice === m.channel) return true;
    const key = eventKey(m.dedupeKey ?? '');
    const chosenQueued = messages.some((o) => o !== m && o.channel === choice && isNotice(o) && eventKey(o.dedupeKey ?? '') === key && personOf(o)?.id === personOf(m)?.id);
    return !chosenQueued;
  });
  if (outgoing.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      outgoing.map((msg) => ({
        channel: msg.channel,
        recipient: msg.recipient,
        subject: msg.subject ?? '',
        body: msg.body,
        dedupe_key: msg.dedupeKey ?? null,
        user_id: isNotice(msg) ? (personOf(msg)?.id ?? null) : null,
        last_error: null,
        sent_at: null,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** What a sender gets: the idempotency key is the same on every attempt of one message. */
export interface SendableMessage {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  idempotencyKey: string;
}

export interface Sender {
  send(msg: SendableMessage): Promise<void>;
}

/** A failure that retrying cannot fix (refused address, unregistered SMS template): dead letter at once. */
export class PermanentDeliveryError extends Error {}


export interface WorkerOptions {
  clock?: Clock;
  batch?: number;
  /** Failed attempts before a message goes to the dead-letter list. */
  maxAttempts?: number;
  /** How long a claimed message stays hidden from other workers; after a crash it is retried then. */
  leaseMs?: number;
}

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 10 * 60_000;

/** Backoff: 1, 2, 4 … minutes, capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

export function idempotencyKeyOf(id: number): string {
  return `xaso-outbox-${id}`;
}

interface DueRow {
  id: number;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Sends due messages once. Delivery is at-least-once: rows are claimed with
 * SKIP LOCKED (two workers never take the same row) and a lease; a worker that
 * dies after the gateway accepted a message but before marking it sent leaves
 * it to be sent again when the lease ends — with the same idempotency key, so a
 * gateway that honours the key delivers it once. See docs/decisions/0150-admin-outbox-delivery.md.
 */
export async function deliverDue(db: Db, senders: Record<Channel, Sender | null>, log: Logger, opts: WorkerOptions = {}): Promise<number> {
  const clock = opts.clock ?? systemClock;
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
  const now = clock.now();
  const due = await db.transaction().execute(async (tx) => {
    const rows = await sql<DueRow>`
      select id, channel, recipient, subject, body, attempts from outbox
      where status = 'pending' and next_attempt_at <= ${now}
      order by id limit ${opts.batch ?? 20} for update skip locked`.execute(tx);
    const ids = rows.rows.map((r) => Number(r.id));
    if (ids.length) {
      await tx
        .updateTable('outbox')
        .set({ next_attempt_at: new Date(now.getTime() + (opts.leaseMs ?? LEASE_MS)) })
        .where('id', 'in', ids)
        .execute();
    }
    return rows.rows.map((r) => ({ ...r, id: Number(r.id) }));
  });
  let sent = 0;
  for (const row of due) {
    const sender = senders[row.channel];
    try {
      if (!sender) throw new Error(`no sender configured for ${row.channel}`);
      await sender.send({ id: row.id, recipient: row.recipient, subject: row.subject, body: row.body, idempotencyKey: idempotencyKeyOf(row.id) });
      await db.updateTable('outbox').set({ status: 'sent', sent_at: clock.now(), attempts: row.attempts + 1, last_error: null, body: '' }).where('id', '=', row.id).execute();
      sent++;
    } catch (err) {
      const attempts = row.attempts + 1;
      const dead = attempts >= maxAttempts || err instanceof PermanentDeliveryError;
      log.warn({ err, outboxId: row.id, attempts, dead }, 'outbox delivery failed');
      await db
        .updateTable('outbox')
        .set({
          attempts,
          last_error: String(err instanceof Error ? err.message : err).slice(0, 500),
          status: dead ? 'failed' : 'pending',
          next_attempt_at: new Date(clock.now().getTime() + retryDelayMs(attempts)),
        })
        .where('id', '=', row.id)
        .execute();
    }
  }
  return sent;
}

/** Polls the outbox until stopped. */
export function startOutboxWorker(db: Db, senders: Record<Channel, Sender | null>, log: Logger, intervalMs = 2000): { stop(): Promise<void> } {
  let stopped = false;
  let busy = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped || busy) return;
    busy = true;
    running = deliverDue(db, senders, log)
      .catch((err: unknown) => log.error({ err }, 'outbox worker error'))
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Puts a dead-letter message back in the queue (the administrator's "send again"). */
export async function requeue(db: DbOrTx, id: number, clock: Clock = systemClock): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: clock.now() })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
