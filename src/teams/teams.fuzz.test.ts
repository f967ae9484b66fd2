import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import type { Client } from '../testing/app.js';
import { openTestDb } from '../testing/db.js';
import { testApp } from '../testing/app.js';
import { HOME, LEADER_ACCOUNT, clientAs, villagesOf } from './teams.fixtures.js';
import { addDays, todayVn } from './teams.schema.js';

const RUNS = 500;
const B = `/can-bo/xa/${HOME}/to-cns`;

/** Mostly hostile text, sometimes something valid, so both paths are exercised. */
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '-1', '1e3', '0x10', '١٢', '99999999999999999999', "' or 1=1 --", '<script>alert(1)</script>', '\u0000\u0007', '🙂', 'Nguyễn Văn An', 'x'.repeat(5000)),
);
const count = fc.oneof(text, fc.integer({ min: 0, max: 1200 }).map(String));
const date = fc.oneof(text, fc.integer({ min: -200, max: 10 }).map((d) => addDays(todayVn(), d)), fc.constantFrom('2026-02-30', '2026-13-01', '0000-01-01'));
const key = fc.oneof(text, fc.uuid(), fc.stringMatching(/^[A-Za-z0-9-]{16,64}$/));

describe('fuzzing the field-log forms (no 5xx, nothing half-written)', () => {
  let h: DbHandle;
  let app: App;
  let client: Client;
  let csrf: string;
  let villageIds: string[];
  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    app = testApp(h);
    client = await clientAs(app, h.db, LEADER_ACCOUNT);
    csrf = await client.csrf();
    villageIds = (await villagesOf(h.db, HOME)).map((v) => String(v.id));
  });
  afterAll(() => h.close());

  function logForm() {
    return fc.record(
      {
        key,
        visit_date: date,
        village_id: fc.oneof(text, fc.constantFrom(...villageIds), fc.constant('999999')),
        households_visited: count,
        eid_activated: count,
        accounts_created: count,
        dossiers_submitted: count,
        cashless_setup: count,
        apps_installed: count,
        training_attendees: count,
        note: text,
        reason: text,
      },
      { requiredKeys: [] },
    );
  }

  const clean = (form: Record<string, string | undefined>) => Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;

  it(`new entries: ${RUNS} random forms`, async () => {
    await fc.assert(
      fc.asyncProperty(logForm(), async (form) => {
        const res = await client.post(`${B}/nhat-ky`, clean(form), { csrf });
        expect(res.status).toBeLessThan(500);
        expect([303, 400]).toContain(res.status);
      }),
      { numRuns: RUNS },
    );
    // Whatever got in obeys the rules the database also checks.
    const bad = await sql<{ n: number }>`
      select count(*)::int as n from team_log_entry e
      where e.visit_date > current_date + 1 or e.note ~ '[\\x00-\\x08]'
        or (e.idempotency_key not like 'demo-seed-%'
          and not exists (select 1 from audit_log a where a.subject_id = e.commune_code || '/' || e.id and a.action = 'teams.log_add'))`.execute(h.db);
    expect(bad.rows[0]!.n).toBe(0);
  });

  it(`corrections: ${RUNS / 2} random forms on one entry`, async () => {
    const entry = await h.db.selectFrom('team_log_entry').select('id').where('commune_code', '=', HOME).orderBy('id').executeTakeFirstOrThrow();
    await fc.assert(
      fc.asyncProperty(logForm(), async (form) => {
        const res = await client.post(`${B}/nhat-ky/${entry.id}`, clean(form), { csrf });
        expect(res.status).toBeLessThan(500);
        expect([303, 400]).toContain(res.status);
      }),
      { numRuns: RUNS / 2 },
    );
    const e = await h.db.selectFrom('team_log_entry').select('revision').where('id', '=', entry.id).executeTakeFirstOrThrow();
    const revisions = await h.db.selectFrom('team_log_revision').select('revision').where('entry_id', '=', entry.id).execute();
    // Every accepted correction left exactly one revision behind.
    expect(revisions).toHaveLength(e.revision - 1);
  });
});
