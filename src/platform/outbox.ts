import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import type { Db, DbOrTx } from './db.js';
import { maskDigits, maskRecipient, type Logger } from './logger.js';
import './tables.js';

export type Channel = 'email' | 'sms';

export interface OutgoingMessage {
  channel: Channel;
  recipient: string;
  subject?: string;
  body: string;
  /** Same key twice → one message (a retried request does not notify twice). */
  dedupeKey?: string;
}

/** Queues a message in the caller's transaction: it is sent only if the change commits. */
export async function enqueue(db: DbOrTx, ...messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      messages.map((msg) => ({ channel: msg.channel, recipient: msg.recipient, subject: msg.subject ?? '', body: msg.body, dedupe_key: msg.dedupeKey ?? null, last_error: null, sent_at: null })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export interface Sender {
  send(msg: { recipient: string; subject: string; body: string }): Promise<void>;
}

/**
 * SMS gateways differ per province contract; this one writes to the log
 * (development, demo) — masked: a log is read by more people than a phone.
 */
export class LogSmsSender implements Sender {
  constructor(private readonly log: Logger) {}
  async send(msg: { recipient: string; body: string }): Promise<void> {
    this.log.info({ sms: { to: maskRecipient(msg.recipient), body: maskDigits(msg.body) } }, 'SMS (log only)');
  }
}

export class SmtpSender implements Sender {
  readonly #transport: nodemailer.Transporter;
  constructor(url: string, private readonly from: string) {
    this.#transport = nodemailer.createTransport(url);
  }
  async send(msg: { recipient: string; subject: string; body: string }): Promise<void> {
    await this.#transport.sendMail({ from: this.from, to: msg.recipient, subject: msg.subject, text: msg.body });
  }
}

const MAX_ATTEMPTS = 8;

/** Backoff: 1, 2, 4 … minutes, capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/**
 * Sends due messages once. Rows are claimed with SKIP LOCKED so several
 * workers never send one message twice; a failure is retried later.
 */
export async function deliverDue(db: Db, senders: Record<Channel, Sender | null>, log: Logger, batch = 20): Promise<number> {
  let sent = 0;
  const due = await db.transaction().execute(async (tx) => {
    const rows = await sql<{ id: number; channel: Channel; recipient: string; subject: string; body: string; attempts: number }>`
      select id, channel, recipient, subject, body, attempts from outbox
      where status = 'pending' and next_attempt_at <= now()
      order by id limit ${batch} for update skip locked`.execute(tx);
    const ids = rows.rows.map((r) => r.id);
    if (ids.length) {
      // Claim: push the next attempt out so a crash mid-send retries later, not never.
      await tx.updateTable('outbox').set({ next_attempt_at: new Date(Date.now() + 10 * 60_000) }).where('id', 'in', ids).execute();
    }
    return rows.rows;
  });
  for (const row of due) {
    const sender = senders[row.channel];
    try {
      if (!sender) throw new Error(`no sender configured for ${row.channel}`);
      await sender.send(row);
      // A sent message's text (reset codes, personal data) is not kept: the row stays as the delivery record.
      await db.updateTable('outbox').set({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1, last_error: null, body: '' }).where('id', '=', row.id).execute();
      sent++;
    } catch (err) {
      const attempts = row.attempts + 1;
      log.warn({ err, outboxId: row.id, attempts }, 'outbox delivery failed');
      await db
        .updateTable('outbox')
        .set({
          attempts,
          last_error: String(err instanceof Error ? err.message : err).slice(0, 500),
          status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
          next_attempt_at: new Date(Date.now() + retryDelayMs(attempts)),
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
