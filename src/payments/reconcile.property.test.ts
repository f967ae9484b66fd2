import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { importStatement, recordTransaction, requestPayment, setCollectionAccount, type Payment, type PaymentsDeps } from './payments.service.js';

const COMMUNE = '25459';
const actor = { id: null, label: 'test', ip: null };

/**
 * A bank transaction of the scenario: pays payment `pays` (its exact amount
 * unless `off`), or names no payment at all.
 */
interface Txn {
  pays: number | null;
  off: number;
}
/** One delivery: a callback of one transaction, or a statement with several; `together` deliveries run concurrently. */
type Delivery = { kind: 'callback'; txn: number } | { kind: 'statement'; txns: number[] };

const scenario = fc
  .record({
    amounts: fc.array(fc.integer({ min: 1, max: 500 }).map((k) => k * 1000), { minLength: 1, maxLength: 5 }),
    txns: fc.array(fc.record({ pays: fc.option(fc.nat(), { nil: null }), off: fc.constantFrom(0, 0, 0, -1000, 1000) }), { minLength: 1, maxLength: 8 }),
  })
  .chain(({ amounts, txns }) => {
    const fixed: Txn[] = txns.map((t) => ({ pays: t.pays === null ? null : t.pays % amounts.length, off: t.off }));
    const delivery: fc.Arbitrary<Delivery> = fc.oneof(
      fc.nat({ max: fixed.length - 1 }).map((txn) => ({ kind: 'callback' as const, txn })),
      fc.uniqueArray(fc.nat({ max: fixed.length - 1 }), { minLength: 1, maxLength: fixed.length }).map((t) => ({ kind: 'statement' as const, txns: t })),
    );
    // Groups of deliveries: inside a group they race; groups follow one another.
    return fc.record({ amounts: fc.constant(amounts), txns: fc.constant(fixed), groups: fc.array(fc.array(delivery, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }) });
  });

describe.each(testEngines())('reconciliation invariants on %s', (engine) => {
  let h: DbHandle;
  let deps: PaymentsDeps;
  let run = 0;
  beforeAll(async () => {
    h = await openTestDb(engine);
    deps = { db: h.db, clock: { now: () => new Date('2026-12-03T09:00:00+07:00') } };
    await setCollectionAccount(deps, actor, COMMUNE, { bankBin: '970436', accountNo: '1023456789', accountName: 'UBND PHUONG TAN NINH' });
  });
  afterAll(() => h.close());

  it('for any interleaving of callbacks, duplicates and statement imports: every bank transaction counts once, no payment is confirmed twice, confirmed money equals matched bank money', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ amounts, txns, groups }) => {
        const r = ++run;
        const payments: Payment[] = [];
        for (const [i, amountVnd] of amounts.entries()) {
          payments.push(
            await requestPayment(h.db, {
              communeCode: COMMUNE,
              dossierId: null,
              dossierCode: `${COMMUNE}-2612${String(r).padStart(2, '0').slice(-2)}-${String(r * 10 + i).padStart(5, '0')}`,
              procedureCode: '1.001612',
              procedureName: 'x',
              payerName: 'x',
              amountVnd,
              at: new Date(),
              actor,
            }),
          );
        }
        const line = (i: number) => {
          const t = txns[i]!;
          const p = t.pays === null ? null : payments[t.pays]!;
          const amountVnd = p ? Math.max(1000, p.amountVnd + t.off) : 7000;
          return { bankRef: `R${r}-T${i}`, date: '2026-12-03', amountVnd, description: p ? `nop phi ${p.reference}` : 'chuyen tien' };
        };
        const delivered = new Set<number>();
        for (const group of groups) {
          await Promise.all(
            group.map((d) => {
              if (d.kind === 'callback') {
                delivered.add(d.txn);
                const l = line(d.txn);
                const t = txns[d.txn]!;
                return recordTransaction(deps, COMMUNE, { ...l, source: 'gateway', ...(t.pays === null ? { reference: 'HS000000000000' } : { reference: payments[t.pays]!.reference }) }, actor);
              }
              for (const i of d.txns) delivered.add(i);
              return importStatement(deps, actor, COMMUNE, { sha256: 'f'.repeat(64), name: 'x.csv' }, { lines: d.txns.map(line), problems: [] });
            }),
          );
        }
        const ids = payments.map((p) => p.id);
        const rows = await h.db.selectFrom('bank_txn').select(['bank_ref', 'amount_vnd', 'state', 'payment_id']).where('commune_code', '=', COMMUNE).where('bank_ref', 'like', `R${r}-%`).execute();
        // Each delivered bank transaction is recorded exactly once.
        expect(rows.map((x) => x.bank_ref).sort()).toEqual([...delivered].map((i) => `R${r}-T${i}`).sort());
        const matched = rows.filter((x) => x.state === 'matched');
        // No payment is confirmed twice: one matched transaction and one receipt at most.
        expect(new Set(matched.map((x) => x.payment_id)).size).toBe(matched.length);
        const receipts = await h.db.selectFrom('receipt').select('payment_id').where('payment_id', 'in', ids).execute();
        expect(new Set(receipts.map((x) => x.payment_id)).size).toBe(receipts.length);
        const paid = await h.db.selectFrom('payment').select(['id', 'state', 'paid_amount_vnd']).where('id', 'in', ids).execute();
        const paidRows = paid.filter((p) => p.state === 'paid');
        expect(receipts.length).toBe(paidRows.length);
        // Money: confirmed payments equal matched bank transactions; matched + queued equal everything received.
        const total = (xs: { amount_vnd: string | number }[]) => xs.reduce((s, x) => s + Number(x.amount_vnd), 0);
        expect(paidRows.reduce((s, p) => s + Number(p.paid_amount_vnd), 0)).toBe(total(matched));
        expect(total(matched) + total(rows.filter((x) => x.state === 'queued'))).toBe(total(rows));
        // A payment that received an exact transfer is paid; one that received none is not.
        for (const [i, p] of payments.entries()) {
          const exact = [...delivered].some((t) => txns[t]!.pays === i && line(t).amountVnd === p.amountVnd);
          expect(paid.find((x) => x.id === p.id)!.state).toBe(exact ? 'paid' : 'pending');
        }
        // Only exact transfers to distinct payments, each once: then confirmed money is all the distinct money.
        const onlyExactDistinct = [...delivered].every((t) => txns[t]!.pays !== null && txns[t]!.off === 0) && new Set([...delivered].map((t) => txns[t]!.pays)).size === delivered.size;
        if (onlyExactDistinct) expect(total(matched)).toBe(total(rows));
      }),
      { numRuns: engine === 'pglite' ? 25 : 40 },
    );
  }, 600_000);
});
