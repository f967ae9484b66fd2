import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../catalog/catalog.store.js';
import { loadDefaultCalendar, type HolidayCalendar } from '../calendar/index.js';
import { act, submitDossier, type DossierActor } from '../dossiers/dossiers.service.js';
import { findDossier, listEvents } from '../dossiers/dossiers.store.js';
import { STATUS } from '../dossiers/workflow.js';
import type { DbHandle } from '../platform/db.js';
import { catalogSlice } from '../testing/catalog.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { advanceDossierAfterPayment, advancePaidDossiers, requestDossierPayment } from './dossier-hook.js';
import { recordTransaction, setCollectionAccount } from './payments.service.js';

const COMMUNE = '25459';
const officer: DossierActor = { id: null, label: 'Cán bộ tiếp nhận', roles: ['receiving_officer'] };
const leader: DossierActor = { id: null, label: 'Lãnh đạo', roles: ['commune_leader'] };
const at = new Date('2026-03-09T09:00:00+07:00');
const clock = { now: () => at };

describe.each(testEngines())('dossier seam on %s', (engine) => {
  let h: DbHandle;
  let calendar: HolidayCalendar;
  beforeAll(async () => {
    h = await openTestDb(engine);
    calendar = await loadDefaultCalendar();
    await importCatalog(h.db, await catalogSlice(['1.001612'], 0), { source: 'test' });
    await setCollectionAccount({ db: h.db }, { id: null, label: 'x', ip: null }, COMMUNE, { bankBin: '970436', accountNo: '1023456789', accountName: 'UBND PHUONG TAN NINH' });
  });
  afterAll(() => h.close());

  /** A dossier in processing (status 4), ready for a payment request. */
  async function inProcess(key: string) {
    const s = await submitDossier(
      { db: h.db, calendar, clock },
      { communeCode: COMMUNE, procedureCode: '1.001612', caseNo: 0, applicant: { id: null, name: 'Trần Văn Hùng', phone: '0912000002', email: null, address: 'Khu phố 2' }, channel: 'online', assistedBy: null, consent: false, idempotencyKey: key, files: [], actorLabel: 'Trần Văn Hùng', ip: null },
    );
    if (!s.ok) throw new Error('submit');
    let d = s.dossier;
    for (const [actor, action] of [
      [officer, 'accept'],
      [leader, 'assign'],
    ] as const) {
      const r = await act({ db: h.db, calendar, clock }, { communeCode: COMMUNE, dossierId: d.id, action, expectedVersion: d.version, actor, ip: null });
      if (!r.ok) throw new Error(`${action}: ${r.message}`);
      d = r.dossier;
    }
    return d;
  }

  it('requests payment through the workflow and moves the dossier on by itself once the bank confirms', async () => {
    const d = await inProcess('hook-1');
    expect(d.status).toBe(STATUS.inProcess);
    const bad = await requestDossierPayment(h.db, { ...officer, ip: null }, { communeCode: COMMUNE, dossierId: d.id, expectedVersion: d.version, amountVnd: 0, feeCase: '' }, clock);
    expect(bad).toMatchObject({ ok: false, field: 'amount' });
    const req = await requestDossierPayment(h.db, { ...officer, ip: null }, { communeCode: COMMUNE, dossierId: d.id, expectedVersion: d.version, amountVnd: 50_000, feeCase: 'direct' }, clock);
    if (!req.ok) throw new Error(req.message);
    expect((await findDossier(h.db, COMMUNE, d.id))!.status).toBe(STATUS.paymentRequested);
    const moved: string[] = [];
    const out = await recordTransaction(
      { db: h.db, clock, onConfirmed: async (p) => void moved.push(await advanceDossierAfterPayment(h.db, p, clock)) },
      COMMUNE,
      { bankRef: 'FT-H1', source: 'gateway', date: '2026-03-09', amountVnd: 50_000, description: req.payment.reference, reference: req.payment.reference },
      { id: null, label: 'Cổng thanh toán', ip: null },
    );
    expect(out.kind).toBe('matched');
    expect(moved).toEqual(['advanced']);
    const after = (await findDossier(h.db, COMMUNE, d.id))!;
    expect(after.status).toBe(STATUS.inProcess);
    const events = await listEvents(h.db, COMMUNE, d.id);
    expect(events.at(-1)).toMatchObject({ action: 'confirm_payment', actor_label: 'Hệ thống thanh toán (tự động)' });
    // Called again: nothing more happens.
    expect(await advanceDossierAfterPayment(h.db, req.payment, clock)).toBe('not_waiting');
  });

  it('cancels the payment when the workflow refuses the request (stale version)', async () => {
    const d = await inProcess('hook-2');
    const r = await requestDossierPayment(h.db, { ...officer, ip: null }, { communeCode: COMMUNE, dossierId: d.id, expectedVersion: d.version - 1, amountVnd: 50_000, feeCase: '' }, clock);
    expect(r).toMatchObject({ ok: false, status: 409 });
    const states = await h.db.selectFrom('payment').select('state').where('dossier_id', '=', d.id).execute();
    expect(states.map((s) => s.state)).toEqual(['cancelled']);
  });

  it('the sweep moves on a paid dossier whose hook did not run', async () => {
    const d = await inProcess('hook-3');
    const req = await requestDossierPayment(h.db, { ...officer, ip: null }, { communeCode: COMMUNE, dossierId: d.id, expectedVersion: d.version, amountVnd: 50_000, feeCase: '' }, clock);
    if (!req.ok) throw new Error(req.message);
    await recordTransaction({ db: h.db, clock }, COMMUNE, { bankRef: 'FT-H3', source: 'gateway', date: '2026-03-09', amountVnd: 50_000, description: '', reference: req.payment.reference }, { id: null, label: 'x', ip: null });
    expect((await findDossier(h.db, COMMUNE, d.id))!.status).toBe(STATUS.paymentRequested);
    expect(await advancePaidDossiers(h.db, clock)).toBe(1);
    expect((await findDossier(h.db, COMMUNE, d.id))!.status).toBe(STATUS.inProcess);
    expect(await advancePaidDossiers(h.db, clock)).toBe(0);
  });
});
