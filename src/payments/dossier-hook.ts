/**
 * The seam to the dossier workflow, through the dossier service's public
 * functions only (src/dossiers is not changed here):
 * - `requestDossierPayment`: the office's "request payment" action with an amount;
 * - `advanceDossierAfterPayment`: when a payment is confirmed, a dossier
 *   waiting for payment takes the "confirm payment" action by itself.
 * The lead may later call `requestPayment` inside `act` instead (one transaction).
 */
import { workingCalendar } from '../calendar/shared.js';
import { act, procedureOf, type DossierActor } from '../dossiers/dossiers.service.js';
import { findDossier } from '../dossiers/dossiers.store.js';
import { STATUS } from '../dossiers/workflow.js';
import type { Db } from '../platform/db.js';
import * as store from './payments.store.js';
import { cancelPayment, requestPayment, systemClock, type Clock, type Payment, type PaymentsActor } from './payments.service.js';
import { formatVnd } from './words.js';

/** The system acting after a bank confirmed the money: it holds the one-stop officer's workflow role for this one action. */
const PAYMENT_SYSTEM: DossierActor = { id: null, label: 'Hệ thống thanh toán (tự động)', roles: ['receiving_officer'] };

export type AdvanceResult = 'advanced' | 'no_dossier' | 'not_waiting' | 'unpaid_remaining' | 'conflict';

/**
 * Moves the payment's dossier on from "waiting for payment" once every
 * payment asked of it is paid. Safe to call again (it does nothing when the
 * dossier has moved on); a concurrent officer's action is retried.
 */
export async function advanceDossierAfterPayment(db: Db, payment: Pick<Payment, 'communeCode' | 'id' | 'dossierId' | 'reference'>, clock: Clock = systemClock): Promise<AdvanceResult> {
  if (!payment.dossierId) return 'no_dossier';
  for (let attempt = 0; attempt < 3; attempt++) {
    const d = await findDossier(db, payment.communeCode, payment.dossierId);
    if (!d) return 'no_dossier';
    if (d.status !== STATUS.paymentRequested) return 'not_waiting';
    const all = await store.paymentsOfDossier(db, payment.communeCode, d.id);
    if (all.some((p) => p.state === 'pending')) return 'unpaid_remaining';
    const outcome = await act(
      { db, calendar: await workingCalendar(), clock },
      { communeCode: d.commune_code, dossierId: d.id, action: 'confirm_payment', expectedVersion: d.version, actor: PAYMENT_SYSTEM, note: `Đã nhận tiền, mã thanh toán ${payment.reference}`, ip: null, detail: { paymentId: payment.id, reference: payment.reference } },
    );
    if (outcome.ok) {
      await db.updateTable('payment').set({ dossier_advanced_at: clock.now() }).where('commune_code', '=', payment.communeCode).where('id', '=', payment.id).execute();
      return 'advanced';
    }
    if (outcome.code !== 'conflict') return 'not_waiting';
  }
  return 'conflict';
}

/**
 * Dossiers whose payments were all confirmed but which still wait (the
 * process stopped between the two steps): moves each on. Run at start-up or
 * periodically; it is idempotent.
 */
export async function advancePaidDossiers(db: Db, clock: Clock = systemClock): Promise<number> {
  const rows = await db
    .selectFrom('payment as p')
    .innerJoin('dossier as d', (j) => j.onRef('d.commune_code', '=', 'p.commune_code').onRef('d.id', '=', 'p.dossier_id'))
    .select(['p.commune_code', 'p.id', 'p.dossier_id', 'p.reference'])
    .where('p.state', '=', 'paid')
    .where('p.dossier_advanced_at', 'is', null)
    .where('d.status', '=', STATUS.paymentRequested)
    .execute();
  let moved = 0;
  for (const r of rows) {
    if ((await advanceDossierAfterPayment(db, { communeCode: r.commune_code, id: r.id, dossierId: r.dossier_id, reference: r.reference }, clock)) === 'advanced') moved++;
  }
  return moved;
}

export type RequestOutcome = { ok: true; payment: Payment } | { ok: false; status: 404 | 409 | 422; message: string; field?: string };

/**
 * The office asks for a fee: the payment (amount, reference) first, then the
 * workflow's `request_payment` action; if the workflow refuses, the payment is
 * cancelled again, so a dossier never waits for a payment that does not exist.
 */
export async function requestDossierPayment(
  db: Db,
  actor: DossierActor & { ip: string | null },
  input: { communeCode: string; dossierId: string; expectedVersion: number; amountVnd: number; feeCase: string },
  clock: Clock = systemClock,
): Promise<RequestOutcome> {
  if (!Number.isSafeInteger(input.amountVnd) || input.amountVnd <= 0 || input.amountVnd > 9_999_999_999) {
    return { ok: false, status: 422, field: 'amount', message: 'Số tiền: nhập số đồng, chỉ chữ số, lớn hơn 0 (ví dụ 50000).' };
  }
  const d = await findDossier(db, input.communeCode, input.dossierId);
  if (!d) return { ok: false, status: 404, message: 'Không tìm thấy hồ sơ.' };
  const procedure = await procedureOf(db, d);
  const who: PaymentsActor = { id: actor.id, label: actor.label, ip: actor.ip };
  const payment = await requestPayment(db, {
    communeCode: d.commune_code,
    dossierId: d.id,
    dossierCode: d.code,
    procedureCode: d.procedure_code,
    procedureName: procedure?.name ?? d.procedure_code,
    feeCase: input.feeCase,
    payerName: d.applicant_name,
    amountVnd: input.amountVnd,
    at: clock.now(),
    actor: who,
  });
  const outcome = await act(
    { db, calendar: await workingCalendar(), clock },
    {
      communeCode: d.commune_code,
      dossierId: d.id,
      action: 'request_payment',
      expectedVersion: input.expectedVersion,
      actor,
      note: `Phí, lệ phí ${formatVnd(input.amountVnd)} đồng. Mã thanh toán (ghi vào nội dung chuyển khoản): ${payment.reference}`,
      ip: actor.ip,
      detail: { paymentId: payment.id, reference: payment.reference, amountVnd: input.amountVnd },
    },
  );
  if (!outcome.ok) {
    await cancelPayment(db, who, d.commune_code, payment.id, `Không yêu cầu được: ${outcome.message}`);
    return { ok: false, status: outcome.code === 'conflict' ? 409 : outcome.code === 'not_found' ? 404 : 422, message: outcome.message };
  }
  return { ok: true, payment };
}
