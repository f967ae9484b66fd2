import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoDateInVn } from '../calendar/index.js';
import { workingCalendar } from '../calendar/shared.js';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { naiveRecount, readCells, diffCells, rebuild, runWorker } from './rollup.js';
import { act, ensureFeedbackCategory, ensureTestProcedures, insertDossier, insertFeedback, updateFeedback, type TestDossier } from './testing.js';

const COMMUNES = ['25459', '25480'];
const PROCEDURES = ['TK.1', 'TK.2'];
const CHANNELS = ['online', 'counter', 'field'] as const;

type Op =
  | { kind: 'new'; commune: number; procedure: number; channel: number }
  | { kind: 'step'; dossier: number; choice: number; dueIn: number }
  | { kind: 'feedback'; commune: number }
  | { kind: 'feedbackStep'; item: number; rating: number }
  | { kind: 'worker' }
  | { kind: 'wait'; hours: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('new' as const), commune: fc.nat(1), procedure: fc.nat(1), channel: fc.nat(2) }),
  fc.record({ kind: fc.constant('step' as const), dossier: fc.nat(), choice: fc.nat(), dueIn: fc.integer({ min: -3, max: 6 }) }),
  fc.record({ kind: fc.constant('step' as const), dossier: fc.nat(), choice: fc.nat(), dueIn: fc.integer({ min: -3, max: 6 }) }),
  fc.record({ kind: fc.constant('feedback' as const), commune: fc.nat(1) }),
  fc.record({ kind: fc.constant('feedbackStep' as const), item: fc.nat(), rating: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('worker' as const) }),
  fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 72 }) }),
);

/** The actions a dossier in each status may take next (a slice of the workflow table). */
const NEXT: Record<number, { action: string; to: number | 'previous'; due?: 'set' | 'clear'; received?: boolean }[]> = {
  1: [
    { action: 'accept', to: 2, due: 'set', received: true },
    { action: 'refuse', to: 3 },
    { action: 'request_supplement', to: 5 },
    { action: 'withdraw', to: 7 },
  ],
  2: [
    { action: 'assign', to: 4 },
    { action: 'request_supplement', to: 5, due: 'clear' },
    { action: 'apologise', to: 2, due: 'set' },
    { action: 'stop', to: 8, due: 'clear' },
  ],
  4: [
    { action: 'approve', to: 9 },
    { action: 'request_payment', to: 6 },
    { action: 'apologise', to: 4, due: 'set' },
    { action: 'request_supplement', to: 5, due: 'clear' },
  ],
  5: [{ action: 'resubmit', to: 'previous', due: 'set' }],
  6: [{ action: 'confirm_payment', to: 4 }],
  9: [{ action: 'return_result', to: 10 }],
  10: [{ action: 'rate', to: 10 }],
};

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe.each(testEngines())('roll-ups equal a naive recount from raw rows (%s)', (engine) => {
  let h: DbHandle;
  // One clock across runs: roll-ups accumulate, time only moves forward.
  let now = Date.parse('2026-03-02T01:00:00Z');
  beforeAll(async () => {
    h = await openTestDb(engine);
    await ensureTestProcedures(h.db);
    for (const c of COMMUNES) await ensureFeedbackCategory(h.db, c);
  });
  afterAll(() => h.close());

  it('after any history of submissions, actions, ratings, feedback and worker passes', async () => {
    const calendar = await workingCalendar();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const dossiers: (TestDossier & { status: number; previous: number })[] = [];
        const items: TestDossier[] = [];
        const today = () => isoDateInVn(new Date(now));
        for (const o of ops) {
          now += 7 * 60 * 1000;
          const at = new Date(now);
          if (o.kind === 'wait') now += o.hours * 3600 * 1000;
          else if (o.kind === 'worker') await runWorker(h.db, { today: today(), calendar, batch: 3 });
          else if (o.kind === 'new') {
            const d = await insertDossier(h.db, { commune: COMMUNES[o.commune]!, procedure: PROCEDURES[o.procedure]!, channel: CHANNELS[o.channel]!, submittedAt: at });
            dossiers.push({ ...d, status: 1, previous: 2 });
          } else if (o.kind === 'step' && dossiers.length) {
            const d = dossiers[o.dossier % dossiers.length]!;
            const options = NEXT[d.status];
            if (!options) continue;
            const t = options[o.choice % options.length]!;
            const to = t.to === 'previous' ? d.previous : t.to;
            if (t.action === 'request_supplement') d.previous = d.status === 1 ? 1 : d.status;
            const dueDate = t.due === 'set' ? addDays(today(), o.dueIn) : t.due === 'clear' ? null : undefined;
            await act(h.db, d, { action: t.action, to, at, dueDate, received: t.received, rating: t.action === 'rate' ? (o.choice % 5) + 1 : undefined });
            d.status = to;
          } else if (o.kind === 'feedback') {
            items.push(await insertFeedback(h.db, { commune: COMMUNES[o.commune]!, submittedAt: at, dueDate: addDays(today(), 2) }));
          } else if (o.kind === 'feedbackStep' && items.length) {
            await updateFeedback(h.db, items[o.item % items.length]!, { at, closed: true, rating: o.rating || undefined });
          }
        }
        await runWorker(h.db, { today: today(), calendar, batch: 3 });
        expect(diffCells(await naiveRecount(h.db, { today: today(), calendar }), await readCells(h.db))).toEqual([]);
      }),
      { numRuns: engine === 'pglite' ? 25 : 10 },
    );
  });

  it('rebuild recomputes the same figures and reports a tampered cell', async () => {
    const calendar = await workingCalendar();
    const today = isoDateInVn(new Date(now));
    await runWorker(h.db, { today, calendar });
    const before = await readCells(h.db);
    expect(before.size).toBeGreaterThan(0);
    expect(await rebuild(h.db, { today, calendar })).toEqual([]);
    // Every cell: the random history may have left any one commune empty.
    await h.db.updateTable('stats_daily').set({ recv_counter: 999 }).execute();
    const diffs = await rebuild(h.db, { today, calendar, onProgress: () => undefined });
    expect(diffs.length).toBeGreaterThan(0);
    expect(diffs[0]).toMatch(/recv_counter: 999 → /);
    expect(diffCells(before, await readCells(h.db))).toEqual([]);
  });
});
