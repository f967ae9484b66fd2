import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db, DbOrTx } from './db.js';
import type { Logger } from './logger.js';
import type { AuditLogTable } from './tables.js';
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
/** The action of the entry that starts the keyed chain after older, unkeyed entries. */
export const REKEY_ACTION = 'audit.chain_keyed';

export interface HashedFields {
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

// ---- keys ----------------------------------------------------------------------------

/**
 * Keys derived from XASO_SECRET, which lives outside the database: whoever can
 * write the tables (the database owner, a restored backup) cannot recompute the chain.
 */
export interface AuditKeys {
  chain: Buffer;
  checkpoint: Buffer;
}

export function auditKeysFrom(secret: string): AuditKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'xaso-audit', info, 32));
  return { chain: derive('chain v1'), checkpoint: derive('checkpoint v1') };
}

let configured: AuditKeys | null = null;

/** Called once at start (server, command line, test setup) with the configured secret. */
export function configureAudit(secret: string): void {
  configured = auditKeysFrom(secret);
}

function keys(): AuditKeys {
  // Refusing is safer than silently writing a chain anyone could recompute.
  if (!configured) throw new Error('audit key not configured: call configureAudit(config.secret) at start');
  return configured;
}

// ---- hashes --------------------------------------------------------------------------

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

/** Entries written before migration 0013: plain SHA-256 (anyone with table rights could recompute it). */
export function legacyEntryHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(fields)).digest('hex');
}

/** Every entry since migration 0013: HMAC over the previous hash, the entry's number and its fields. */
export function entryHash(key: Buffer, prevHash: string, seq: number, fields: HashedFields): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(String(seq)).update('\n').update(canonical(fields)).digest('hex');
}

type AuditRow = Omit<AuditLogTable, 'at' | 'pd_read' | 'pd_changed' | 'detail'> & { at: Date | string; pd_read: string[]; pd_changed: string[]; detail: Record<string, unknown> };

export function rowFields(r: AuditRow): HashedFields {
  return {
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
  };
}

// ---- writing -------------------------------------------------------------------------

async function lockChain(db: DbOrTx): Promise<{ seq: number; hash: string; chain: string } | undefined> {
  // One writer at a time extends the chain; the lock ends with the transaction.
  await sql`select pg_advisory_xact_lock(7261002)`.execute(db);
  const last = await db.selectFrom('audit_log').select(['seq', 'hash', 'chain']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return last && { ...last, seq: Number(last.seq) };
}

async function insertEntry(db: DbOrTx, last: { seq: number; hash: string } | undefined, entry: AuditEntry, at: Date): Promise<void> {
  const prevHash = last?.hash ?? GENESIS;
  // Numbered here, under the lock: a rolled-back transaction leaves no hole, so a hole means a deletion.
  const seq = (last?.seq ?? 0) + 1;
  const fields: HashedFields = {
    at: at.toISOString(),
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
      seq,
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
      hash: entryHash(keys().chain, prevHash, seq, fields),
      chain: 'hmac-sha256',
    })
    .execute();
}

/**
 * Appends one entry, chained to the previous one. Call it inside the
 * transaction that makes the change, so the entry and the change stand or fall together.
 */
export async function appendAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await insertEntry(db, await lockChain(db), entry, new Date());
}

/**
 * The re-key point: when the newest entry predates the keyed chain (a database
 * upgraded through migration 0013), append a marked entry naming the old head.
 * Everything after it is keyed; `audit verify` accepts unkeyed entries only before it.
 */
export async function ensureKeyedChain(db: Db, now: () => Date = () => new Date()): Promise<boolean> {
  keys();
  return db.transaction().execute(async (tx) => {
    const last = await lockChain(tx);
    if (!last || last.chain !== 'sha256') return false;
    const legacy = await tx.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await insertEntry(tx, last, { actorId: null, actorLabel: 'hệ thống', action: REKEY_ACTION, subjectType: 'audit_log', detail: { legacyEntries: Number(legacy.n), legacyHead: last.hash, legacyHeadSeq: last.seq } }, now());
    return true;
  });
}

// ---- checking ------------------------------------------------------------------------

/** The chain head as anchored outside the database (a signed file in the data folder, and the log). */
export interface Checkpoint {
  seq: number;
  hash: string;
  /** The first keyed entry: an attacker who marks keyed entries as old, unkeyed ones changes it. */
  keyedFrom: number | null;
  at: string;
}

export type AuditVerdict =
  | { ok: true; entries: number; legacyEntries: number; checkpoint: 'matched' | 'none' }
  | { ok: false; entries: number; firstBadSeq: number; reason: string };

export interface VerifyOptions {
  /** The last anchored head: entries up to it must still be there, unchanged. */
  checkpoint?: Checkpoint | null;
  /** Check only what follows this trusted checkpoint (the scheduled anchor does; `audit verify` checks all). */
  from?: Checkpoint;
  batch?: number;
}

/** Recomputes the chain and names the first entry that does not match. */
export async function verifyAuditChain(db: Db, opts: VerifyOptions = {}): Promise<AuditVerdict> {
  const key = keys().chain;
  const batch = opts.batch ?? 5000;
  const checkpoint = opts.checkpoint ?? opts.from ?? null;
  let prevHash = opts.from?.hash ?? GENESIS;
  let prevSeq = opts.from?.seq ?? 0;
  let keyedFrom: number | null = opts.from ? opts.from.keyedFrom : null;
  let count = 0;
  let legacy = 0;
  const bad = (seq: number, reason: string): AuditVerdict => ({ ok: false, entries: count, firstBadSeq: seq, reason });

  if (opts.from) {
    const anchor = await db.selectFrom('audit_log').select('hash').where('seq', '=', opts.from.seq).executeTakeFirst();
    if (anchor?.hash !== opts.from.hash) return bad(opts.from.seq, 'bản ghi tại điểm neo đã bị xoá hoặc sửa');
  }
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(batch).execute();
    for (const r of rows) {
      count++;
      const seq = Number(r.seq);
      if (r.chain !== 'sha256' && seq !== prevSeq + 1) return bad(prevSeq + 1, `thiếu bản ghi số ${prevSeq + 1}${seq - prevSeq > 2 ? ` đến ${seq - 1}` : ''} (đã bị xoá)`);
      if (r.prev_hash !== prevHash) return bad(seq, 'liên kết với bản ghi trước bị đứt (bản ghi bị xoá hoặc chèn)');
      if (r.chain === 'sha256') {
        if (keyedFrom !== null) return bad(seq, 'bản ghi kiểu cũ (không có khoá) nằm sau điểm bắt đầu chuỗi có khoá');
        legacy++;
        if (legacyEntryHash(prevHash, rowFields(r)) !== r.hash) return bad(seq, 'nội dung bản ghi đã bị sửa');
      } else {
        keyedFrom ??= seq;
        if (!sameHex(entryHash(key, prevHash, seq, rowFields(r)), r.hash)) return bad(seq, 'nội dung bản ghi đã bị sửa (mã khoá không khớp)');
      }
      if (checkpoint && seq === checkpoint.seq && r.hash !== checkpoint.hash) return bad(seq, `bản ghi khác với điểm neo lưu ngày ${checkpoint.at}`);
      prevHash = r.hash;
      prevSeq = seq;
    }
    if (rows.length < batch) break;
  }
  if (checkpoint) {
    if (prevSeq < checkpoint.seq) {
      return bad(prevSeq + 1, `thiếu các bản ghi mới nhất: điểm neo lưu ngày ${checkpoint.at} ghi tới bản ghi số ${checkpoint.seq}, nay chỉ còn tới số ${prevSeq}`);
    }
    if (checkpoint.keyedFrom !== null && keyedFrom !== checkpoint.keyedFrom) {
      return bad(Math.min(keyedFrom ?? checkpoint.keyedFrom, checkpoint.keyedFrom), `điểm bắt đầu chuỗi có khoá khác với điểm neo (số ${checkpoint.keyedFrom})`);
    }
  }
  return { ok: true, entries: count, legacyEntries: legacy, checkpoint: checkpoint ? 'matched' : 'none' };
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

// ---- the anchor outside the database -------------------------------------------------

export const CHECKPOINT_FILE = 'audit-checkpoint.json';

function checkpointMac(cp: Checkpoint): string {
  return createHmac('sha256', keys().checkpoint).update(canonical({ version: 1, ...cp })).digest('hex');
}

export type CheckpointRead = { status: 'none' } | { status: 'ok'; checkpoint: Checkpoint } | { status: 'forged' };

/** Reads the anchored head; a file whose signature does not match is reported, never trusted. */
export async function readCheckpoint(dataDir: string): Promise<CheckpointRead> {
  let text: string;
  try {
    text = await readFile(join(dataDir, CHECKPOINT_FILE), 'utf8');
  } catch {
    return { status: 'none' };
  }
  try {
    const raw = JSON.parse(text) as Checkpoint & { mac?: unknown };
    const checkpoint: Checkpoint = { seq: raw.seq, hash: raw.hash, keyedFrom: raw.keyedFrom, at: raw.at };
    const ok = typeof raw.mac === 'string' && Number.isInteger(checkpoint.seq) && typeof checkpoint.hash === 'string' && sameHex(checkpointMac(checkpoint), raw.mac);
    return ok ? { status: 'ok', checkpoint } : { status: 'forged' };
  } catch {
    return { status: 'forged' };
  }
}

/** Temp file, fsync, rename: a crash leaves the old checkpoint or the new one, never half of one. */
export async function writeCheckpoint(dataDir: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, CHECKPOINT_FILE);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify({ version: 1, ...checkpoint, mac: checkpointMac(checkpoint) }, null, 2)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path).catch(async (err: unknown) => {
    await unlink(tmp).catch(() => undefined);
    throw err;
  });
}

export type AnchorOutcome = 'written' | 'unchanged' | 'tampered';

/**
 * Anchors the current head: checks what was appended since the last
 * checkpoint (only that, so it stays cheap), then signs the new head into the
 * data folder and the log. A chain that no longer matches its checkpoint is
 * logged as an error and the old checkpoint is kept as evidence.
 */
export async function anchorAuditChain(db: Db, dataDir: string, log: Logger, now: () => Date = () => new Date()): Promise<AnchorOutcome> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!head) return 'unchanged';
  const prior = await readCheckpoint(dataDir);
  if (prior.status === 'forged') {
    log.error({ file: join(dataDir, CHECKPOINT_FILE) }, 'Tệp điểm neo nhật ký kiểm toán bị sửa (chữ ký không khớp): giữ nguyên để điều tra');
    return 'tampered';
  }
  let keyedFrom: number | null;
  if (prior.status === 'ok') {
    if (prior.checkpoint.seq === Number(head.seq) && prior.checkpoint.hash === head.hash) return 'unchanged';
    const verdict = await verifyAuditChain(db, { from: prior.checkpoint });
    if (!verdict.ok) {
      log.error({ firstBadSeq: verdict.firstBadSeq, reason: verdict.reason, checkpoint: prior.checkpoint }, 'Nhật ký kiểm toán không khớp điểm neo trước');
      return 'tampered';
    }
    keyedFrom = prior.checkpoint.keyedFrom;
  } else {
    const first = await db.selectFrom('audit_log').select('seq').where('chain', '=', 'hmac-sha256').orderBy('seq').limit(1).executeTakeFirst();
    keyedFrom = first ? Number(first.seq) : null;
  }
  const checkpoint: Checkpoint = { seq: Number(head.seq), hash: head.hash, keyedFrom, at: now().toISOString() };
  await writeCheckpoint(dataDir, checkpoint);
  // The log usually leaves the machine: a second copy of the anchor the database owner cannot reach.
  log.info({ auditCheckpoint: checkpoint }, 'Điểm neo nhật ký kiểm toán');
  return 'written';
}

/** How often the running server anchors the head (and once at start and at shutdown). */
export const ANCHOR_INTERVAL_MS = 5 * 60_000;

export function startAuditAnchor(db: Db, dataDir: string, log: Logger, intervalMs = ANCHOR_INTERVAL_MS): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = running.then(() => anchorAuditChain(db, dataDir, log)).catch((err: unknown) => log.error({ err }, 'audit anchor failed'));
    return running;
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await run();
    },
  };
}
