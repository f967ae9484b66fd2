import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FILE,
  REKEY_ACTION,
  anchorAuditChain,
  appendAudit,
  auditKeysFrom,
  ensureKeyedChain,
  entryHash,
  legacyEntryHash,
  readCheckpoint,
  rowFields,
  verifyAuditChain,
  type Checkpoint,
} from './audit.js';
import type { Db, DbHandle } from './db.js';
import { silentLogger } from './logger.js';
import { openTestDb, testEngines } from '../testing/db.js';

const FIXED = () => new Date('2026-03-09T10:00:00Z');

async function write(db: Db, n: number, label = 'tester'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.transaction().execute((tx) =>
      appendAudit(tx, {
        actorId: null,
        actorLabel: `${label} ${i}`,
        unitCode: '25459',
        action: 'test.write',
        subjectType: 'thing',
        subjectId: String(i),
        pdRead: i % 2 ? ['phone'] : [],
        pdChanged: ['full_name'],
        ip: '127.0.0.1',
        detail: { b: i, a: { z: 1, y: [1, 2] } },
      }),
    );
  }
}

/** What the table owner (or a superuser) can do: switch the append-only triggers off. */
async function asOwner(db: Db, f: () => Promise<unknown>): Promise<void> {
  await sql`alter table audit_log disable trigger user`.execute(db);
  try {
    await f();
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(db);
  }
}

/**
 * The attacker's rewrite: recompute every hash from `fromSeq` on with the
 * project's own function. Without XASO_SECRET they can only guess the key.
 */
async function relink(db: Db, fromSeq: number, hash: (prev: string, seq: number, r: Parameters<typeof rowFields>[0]) => string): Promise<void> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq >= fromSeq) {
      const h = hash(prev, seq, { ...r, prev_hash: prev });
      await db.updateTable('audit_log').set({ prev_hash: prev, hash: h }).where('seq', '=', seq).execute();
      prev = h;
    } else prev = r.hash;
  }
}

const guessedKey = auditKeysFrom('the attacker does not know XASO_SECRET').chain;

describe.each(testEngines())('audit log on %s', (engine) => {
  let h: DbHandle;
  let dataDir: string;
  beforeEach(async () => {
    h = await openTestDb(engine);
    dataDir = mkdtempSync(join(tmpdir(), 'xaso-audit-'));
  });
  afterEach(async () => {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function anchored(): Promise<Checkpoint> {
    expect(await anchorAuditChain(h.db, dataDir, silentLogger, FIXED)).toBe('written');
    const read = await readCheckpoint(dataDir);
    if (read.status !== 'ok') throw new Error('no checkpoint');
    return read.checkpoint;
  }

  it('verifies an untouched chain, keyed and numbered without holes, and matches its checkpoint', async () => {
    await write(h.db, 5);
    const checkpoint = await anchored();
    expect(checkpoint).toMatchObject({ seq: 5, keyedFrom: 1, at: '2026-03-09T10:00:00.000Z' });
    expect(await verifyAuditChain(h.db, { checkpoint })).toEqual({ ok: true, entries: 5, legacyEntries: 0, checkpoint: 'matched' });
    const rows = await h.db.selectFrom('audit_log').select(['seq', 'chain']).orderBy('seq').execute();
    expect(rows.map((r) => [Number(r.seq), r.chain])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 'hmac-sha256']));
  });

  it('is append-only: updates and deletes are refused', async () => {
    await write(h.db, 1);
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('keeps the chain under concurrent writers, and a rolled-back transaction leaves no hole', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.db.transaction().execute((tx) => appendAudit(tx, { actorId: null, actorLabel: 'c', action: 'test.concurrent', subjectType: 'thing', subjectId: `c${i}` })),
      ),
    );
    await expect(
      h.db.transaction().execute(async (tx) => {
        await appendAudit(tx, { actorId: null, actorLabel: 'c', action: 'test.rolled_back', subjectType: 'thing' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await write(h.db, 1);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, entries: 11 });
  });

  it('attack 1: deleting the newest 20 entries is caught by the checkpoint', async () => {
    await write(h.db, 30);
    const checkpoint = await anchored();
    await asOwner(h.db, () => h.db.deleteFrom('audit_log').where('seq', '>', 10).execute());
    const verdict = await verifyAuditChain(h.db, { checkpoint });
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: 11 });
    expect(!verdict.ok && verdict.reason).toMatch(/thiếu các bản ghi mới nhất/);
    // The scheduled anchor refuses to move the checkpoint back over the hole, and keeps the evidence.
    const before = readFileSync(join(dataDir, CHECKPOINT_FILE), 'utf8');
    expect(await anchorAuditChain(h.db, dataDir, silentLogger, FIXED)).toBe('tampered');
    expect(readFileSync(join(dataDir, CHECKPOINT_FILE), 'utf8')).toBe(before);
  });

  it('attack 2: editing one entry and recomputing every later hash with the project’s own function is caught', async () => {
    await write(h.db, 8);
    const checkpoint = await anchored();
    await asOwner(h.db, async () => {
      await h.db.updateTable('audit_log').set({ actor_label: 'someone else' }).where('seq', '=', 3).execute();
      await relink(h.db, 3, (prev, seq, r) => entryHash(guessedKey, prev, seq, rowFields(r)));
    });
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(await verifyAuditChain(h.db, { checkpoint })).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('attack 2b: relabelling keyed entries as old unkeyed ones and rehashing them is caught by the checkpoint', async () => {
    await write(h.db, 6);
    const checkpoint = await anchored();
    await asOwner(h.db, async () => {
      await h.db.updateTable('audit_log').set({ chain: 'sha256', actor_label: 'someone else' }).where('seq', '=', 2).execute();
      await h.db.updateTable('audit_log').set({ chain: 'sha256' }).execute();
      await relink(h.db, 1, (prev, _seq, r) => legacyEntryHash(prev, rowFields(r)));
    });
    expect(await verifyAuditChain(h.db, { checkpoint })).toMatchObject({ ok: false });
  });

  it('attack 3: deleting from the middle is caught by the numbering, even when the links are redone', async () => {
    await write(h.db, 10);
    await asOwner(h.db, () => h.db.deleteFrom('audit_log').where('seq', 'in', [4, 5]).execute());
    const verdict = await verifyAuditChain(h.db);
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: 4 });
    expect(!verdict.ok && verdict.reason).toMatch(/thiếu bản ghi số 4 đến 5/);

    // Renumbering to close the hole means recomputing the keyed hashes: without the key, caught.
    await asOwner(h.db, async () => {
      for (let seq = 6; seq <= 10; seq++) await h.db.updateTable('audit_log').set({ seq: seq - 2 }).where('seq', '=', seq).execute();
      await relink(h.db, 4, (prev, seq, r) => entryHash(guessedKey, prev, seq, rowFields(r)));
    });
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('attack 4: with the triggers bypassed by the owner, an edit or a forged entry is caught', async () => {
    await write(h.db, 5);
    await asOwner(h.db, () => sql`update audit_log set detail = '{"b": 99}' where seq = 2`.execute(h.db));
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, firstBadSeq: 2 });

    const h2 = await openTestDb(engine);
    try {
      await write(h2.db, 3);
      const head = await h2.db.selectFrom('audit_log').select('hash').where('seq', '=', 3).executeTakeFirstOrThrow();
      const forged = { at: '2026-03-09T09:00:00.000Z', actorId: null, actorLabel: 'hệ thống', unitCode: null, action: 'test.forged', subjectType: 'thing', subjectId: null, pdRead: [], pdChanged: [], ip: null, detail: {} };
      await h2.db
        .insertInto('audit_log')
        .values({ seq: 4, at: forged.at, actor_label: forged.actorLabel, action: forged.action, subject_type: forged.subjectType, actor_id: null, unit_code: null, subject_id: null, ip: null, prev_hash: head.hash, hash: entryHash(guessedKey, head.hash, 4, forged), chain: 'hmac-sha256' })
        .execute();
      expect(await verifyAuditChain(h2.db)).toMatchObject({ ok: false, firstBadSeq: 4 });
    } finally {
      await h2.close();
    }
  });

  it('migrates an existing unkeyed chain: a marked re-key point, after which every entry is keyed', async () => {
    // A log written before migration 0013: plain SHA-256 links, numbers with holes (identity column).
    let prev = '0'.repeat(64);
    for (const seq of [1, 2, 5]) {
      const fields = { at: `2026-01-0${seq}T08:00:00.000Z`, actorId: null, actorLabel: 'cũ', unitCode: null, action: 'old.write', subjectType: 'thing', subjectId: String(seq), pdRead: [], pdChanged: [], ip: null, detail: {} };
      const hash = legacyEntryHash(prev, fields);
      await h.db
        .insertInto('audit_log')
        .values({ seq, at: fields.at, actor_label: fields.actorLabel, action: fields.action, subject_type: fields.subjectType, actor_id: null, unit_code: null, subject_id: fields.subjectId, ip: null, prev_hash: prev, hash, chain: 'sha256' })
        .execute();
      prev = hash;
    }
    expect(await ensureKeyedChain(h.db, FIXED)).toBe(true);
    expect(await ensureKeyedChain(h.db, FIXED)).toBe(false);
    await write(h.db, 2);
    const marker = await h.db.selectFrom('audit_log').selectAll().where('action', '=', REKEY_ACTION).executeTakeFirstOrThrow();
    expect([Number(marker.seq), marker.chain, marker.detail]).toEqual([6, 'hmac-sha256', { legacyEntries: 3, legacyHead: prev, legacyHeadSeq: 5 }]);
    const checkpoint = await anchored();
    expect(checkpoint.keyedFrom).toBe(6);
    expect(await verifyAuditChain(h.db, { checkpoint })).toEqual({ ok: true, entries: 6, legacyEntries: 3, checkpoint: 'matched' });

    // An unkeyed entry after the re-key point is refused.
    await asOwner(h.db, () => h.db.updateTable('audit_log').set({ chain: 'sha256' }).where('seq', '=', 7).execute());
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('signs the checkpoint: one edited by hand is reported, never trusted', async () => {
    await write(h.db, 2);
    await anchored();
    expect(await anchorAuditChain(h.db, dataDir, silentLogger, FIXED)).toBe('unchanged');
    await write(h.db, 1);
    expect(await anchorAuditChain(h.db, dataDir, silentLogger, FIXED)).toBe('written');
    const file = join(dataDir, CHECKPOINT_FILE);
    const edited = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...edited, seq: 1 }));
    expect(await readCheckpoint(dataDir)).toEqual({ status: 'forged' });
    expect(await anchorAuditChain(h.db, dataDir, silentLogger, FIXED)).toBe('tampered');
  });

  // PGlite has a single superuser and no roles to connect as; the restricted role exists only on PostgreSQL.
  it.skipIf(engine !== 'postgres')('PostgreSQL: the application role cannot disable the triggers, alter or empty the audit table', async () => {
    const role = `xaso_app_${randomBytes(4).toString('hex')}`;
    const grants = readFileSync(new URL('../../scripts/postgres-app-role.sql', import.meta.url), 'utf8').replaceAll(':"app_role"', `"${role}"`);
    await sql.raw(`create role "${role}" nologin`).execute(h.db);
    try {
      await sql.raw(grants).execute(h.db);
      const asApp = (statement: string) =>
        h.db.transaction().execute(async (tx) => {
          await sql.raw(`set local role "${role}"`).execute(tx);
          await sql.raw(statement).execute(tx);
        });
      await expect(asApp('alter table audit_log disable trigger user')).rejects.toThrow(/must be owner/);
      await expect(asApp('alter table audit_log disable trigger audit_log_no_update')).rejects.toThrow(/must be owner/);
      await expect(asApp('alter table audit_log add column note text')).rejects.toThrow(/must be owner/);
      await expect(asApp('drop trigger audit_log_no_update on audit_log')).rejects.toThrow(/must be owner/);
      await expect(asApp('set session_replication_role = replica')).rejects.toThrow(/permission denied/);
      await expect(asApp('delete from audit_log')).rejects.toThrow(/permission denied/);
      await expect(asApp('update audit_log set action = action')).rejects.toThrow(/permission denied/);
      await expect(asApp('truncate audit_log')).rejects.toThrow(/permission denied/);
      // …and still does its work: reads and writes data, appends audit entries.
      await h.db.transaction().execute(async (tx) => {
        await sql.raw(`set local role "${role}"`).execute(tx);
        await appendAudit(tx, { actorId: null, actorLabel: 'app', action: 'test.as_app', subjectType: 'thing' });
        await sql`select count(*) from app_user`.execute(tx);
        await sql`select to_regclass('schema_migrations')`.execute(tx);
      });
      expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, entries: 1 });
    } finally {
      await sql.raw(`drop owned by "${role}"`).execute(h.db);
      await sql.raw(`drop role "${role}"`).execute(h.db);
    }
  });
});
