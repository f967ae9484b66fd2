import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from './audit.js';
import type { DbHandle } from './db.js';
import { openTestDb, testEngines } from '../testing/db.js';

describe.each(testEngines())('audit log on %s', (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb(engine);
    for (let i = 0; i < 5; i++) {
      await h.db.transaction().execute((tx) =>
        appendAudit(tx, {
          actorId: null,
          actorLabel: `tester ${i}`,
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
  });
  afterAll(() => h.close());

  it('verifies an untouched chain', async () => {
    expect(await verifyAuditChain(h.db)).toEqual({ ok: true, entries: 5 });
  });

  it('is append-only: updates and deletes are refused', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('keeps the chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.db.transaction().execute((tx) => appendAudit(tx, { actorId: null, actorLabel: 'c', action: 'test.concurrent', subjectType: 'thing', subjectId: `c${i}` })),
      ),
    );
    expect(await verifyAuditChain(h.db)).toEqual({ ok: true, entries: 15 });
  });

  it('names the first edited entry when someone with table rights tampers with it', async () => {
    // A superuser can bypass the trigger; the hash chain still tells.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(h.db);
    await sql`update audit_log set actor_label = 'someone else' where seq = 3`.execute(h.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(h.db);
    const verdict = await verifyAuditChain(h.db);
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: 3 });
  });
});
