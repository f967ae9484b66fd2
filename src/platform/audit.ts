import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, DbOrTx } from './db.js';
import './tables.js';

export interface AuditEntry {
  actorId: string | null;
  /** Who acted, readable: a user's name and role, "hệ thống", or "khách". */
  actorLabel: string;
  unitCode?: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  /** Personal-data fields read (Law 91/2025: reads are logged, not only writes). */
  pdRead?: string[];
  pdChanged?: string[];
  ip?: string | null;
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

interface HashedFields {
  at: string;
  actorId: string | null;
  actorLabel: string;
  unitCode: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  pdRead: string[];
  pdChanged: string[];
  ip: string | null;
  detail: Record<string, unknown>;
}

/** Canonical JSON: object keys sorted, so the hash does not depend on key order (jsonb reorders keys). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(fields)).digest('hex');
}

/**
 * Appends one entry, chained to the previous one. Call it inside the
 * transaction that makes the change, so the entry and the change stand or fall together.
 */
export async function appendAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  // One writer at a time extends the chain; the lock ends with the transaction.
  await sql`select pg_advisory_xact_lock(7261002)`.execute(db);
  const last = await db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS;
  const fields: HashedFields = {
    at: new Date().toISOString(),
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    unitCode: entry.unitCode ?? null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    pdRead: entry.pdRead ?? [],
    pdChanged: entry.pdChanged ?? [],
    ip: entry.ip ?? null,
    detail: JSON.parse(JSON.stringify(entry.detail ?? {})) as Record<string, unknown>,
  };
  await db
    .insertInto('audit_log')
    .values({
      at: fields.at,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      unit_code: fields.unitCode,
      action: fields.action,
      subject_type: fields.subjectType,
      subject_id: fields.subjectId,
      pd_read: fields.pdRead,
      pd_changed: fields.pdChanged,
      ip: fields.ip,
      detail: JSON.stringify(fields.detail),
      prev_hash: prevHash,
      hash: entryHash(prevHash, fields),
    })
    .execute();
}

export type AuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; firstBadSeq: number; reason: string };

/** Recomputes the whole chain and names the first entry that does not match. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<AuditVerdict> {
  let prevHash = GENESIS;
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) return { ok: true, entries: count };
    for (const r of rows) {
      count++;
      if (r.prev_hash !== prevHash) {
        return { ok: false, entries: count, firstBadSeq: r.seq, reason: 'liên kết với bản ghi trước bị đứt (bản ghi bị xoá hoặc chèn)' };
      }
      const expected = entryHash(prevHash, {
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        unitCode: r.unit_code,
        action: r.action,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        pdRead: r.pd_read,
        pdChanged: r.pd_changed,
        ip: r.ip,
        detail: r.detail,
      });
      if (expected !== r.hash) {
        return { ok: false, entries: count, firstBadSeq: r.seq, reason: 'nội dung bản ghi đã bị sửa' };
      }
      prevHash = r.hash;
      after = r.seq;
    }
  }
}
