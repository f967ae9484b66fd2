/** SQL for payments; `db` first, commune code first in every key. */
import { sql, type Selectable } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import type { FeeStatus } from './fee-text.js';
import type { BankTxnTable, PaidVia, PaymentState, PaymentTable, ReceiptTable, TxnIssue, TxnState } from './payments.tables.js';
import './payments.tables.js';

const num = (v: string | number): number => Number(v);
const numOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

export interface Payment {
  communeCode: string;
  id: string;
  dossierId: string | null;
  dossierCode: string;
  reference: string;
  amountVnd: number;
  procedureCode: string;
  procedureName: string;
  feeCase: string;
  payerName: string;
  state: PaymentState;
  requestedAt: Date;
  paidAt: Date | null;
  paidAmountVnd: number | null;
  paidVia: PaidVia | null;
  dossierAdvancedAt: Date | null;
  version: number;
}

type PaymentRow = Selectable<PaymentTable>;

export function toPayment(r: PaymentRow): Payment {
  return {
    communeCode: r.commune_code,
    id: r.id,
    dossierId: r.dossier_id,
    dossierCode: r.dossier_code,
    reference: r.reference,
    amountVnd: num(r.amount_vnd),
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    feeCase: r.fee_case,
    payerName: r.payer_name,
    state: r.state,
    requestedAt: new Date(r.requested_at),
    paidAt: r.paid_at ? new Date(r.paid_at) : null,
    paidAmountVnd: numOrNull(r.paid_amount_vnd),
    paidVia: r.paid_via,
    dossierAdvancedAt: r.dossier_advanced_at ? new Date(r.dossier_advanced_at) : null,
    version: r.version,
  };
}

export async function findPayment(db: DbOrTx, communeCode: string, id: string, lock = false): Promise<Payment | null> {
  let q = db.selectFrom('payment').selectAll().where('commune_code', '=', communeCode).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toPayment(r) : null;
}

export async function findPaymentByReference(db: DbOrTx, reference: string, lock = false): Promise<Payment | null> {
  let q = db.selectFrom('payment').selectAll().where('reference', '=', reference);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toPayment(r) : null;
}

/** The payments whose reference is one of `refs` (candidates read from a description). */
export async function paymentsByReferences(db: DbOrTx, communeCode: string, refs: readonly string[]): Promise<Payment[]> {
  if (refs.length === 0) return [];
  const rows = await db.selectFrom('payment').selectAll().where('commune_code', '=', communeCode).where('reference', 'in', refs).execute();
  return rows.map(toPayment);
}

export async function paymentsOfDossier(db: DbOrTx, communeCode: string, dossierId: string): Promise<Payment[]> {
  const rows = await db.selectFrom('payment').selectAll().where('commune_code', '=', communeCode).where('dossier_id', '=', dossierId).orderBy('requested_at').execute();
  return rows.map(toPayment);
}

export interface BankTxn {
  communeCode: string;
  id: string;
  bankRef: string;
  source: 'gateway' | 'statement';
  txnDate: string;
  amountVnd: number;
  description: string;
  paymentId: string | null;
  state: TxnState;
  issue: TxnIssue | null;
  resolutionNote: string;
  createdAt: Date;
}

type TxnRow = Selectable<BankTxnTable> & { txn_day: string };

function toTxn(r: TxnRow): BankTxn {
  return {
    communeCode: r.commune_code,
    id: r.id,
    bankRef: r.bank_ref,
    source: r.source,
    txnDate: r.txn_day,
    amountVnd: num(r.amount_vnd),
    description: r.description,
    paymentId: r.payment_id,
    state: r.state,
    issue: r.issue,
    resolutionNote: r.resolution_note,
    createdAt: new Date(r.created_at),
  };
}

function txnSelect(db: DbOrTx) {
  return db.selectFrom('bank_txn').selectAll().select(sql<string>`txn_date::text`.as('txn_day'));
}

/** Records a bank transaction once: null when the bank's reference is already recorded for this commune. */
export async function insertTxnOnce(
  db: DbOrTx,
  t: { communeCode: string; bankRef: string; source: 'gateway' | 'statement'; txnDate: string; amountVnd: number; description: string; statementId: string | null; paymentId: string | null; state: TxnState; issue: TxnIssue | null },
): Promise<string | null> {
  const r = await db
    .insertInto('bank_txn')
    .values({
      commune_code: t.communeCode,
      bank_ref: t.bankRef,
      source: t.source,
      txn_date: t.txnDate,
      amount_vnd: t.amountVnd,
      description: t.description,
      statement_id: t.statementId,
      payment_id: t.paymentId,
      state: t.state,
      issue: t.issue,
    })
    .onConflict((oc) => oc.columns(['commune_code', 'bank_ref']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function txnRecorded(db: DbOrTx, communeCode: string, bankRef: string): Promise<boolean> {
  return (await db.selectFrom('bank_txn').select('id').where('commune_code', '=', communeCode).where('bank_ref', '=', bankRef).executeTakeFirst()) !== undefined;
}

export async function findTxn(db: DbOrTx, communeCode: string, id: string, lock = false): Promise<BankTxn | null> {
  let q = txnSelect(db).where('commune_code', '=', communeCode).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toTxn(r) : null;
}

export async function listTxns(db: DbOrTx, communeCode: string, filter: { state?: TxnState; day?: string }): Promise<BankTxn[]> {
  let q = txnSelect(db).where('commune_code', '=', communeCode);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.day) q = q.where('txn_date', '=', filter.day);
  return (await q.orderBy('created_at').orderBy('bank_ref').limit(1000).execute()).map(toTxn);
}

export async function setPaymentPaid(db: DbOrTx, p: Payment, at: Date, amountVnd: number, via: PaidVia): Promise<void> {
  await db
    .updateTable('payment')
    .set({ state: 'paid', paid_at: at, paid_amount_vnd: amountVnd, paid_via: via, version: p.version + 1 })
    .where('commune_code', '=', p.communeCode)
    .where('id', '=', p.id)
    .execute();
}

export async function setPaymentState(db: DbOrTx, p: Payment, state: PaymentState): Promise<void> {
  await db.updateTable('payment').set({ state, version: p.version + 1 }).where('commune_code', '=', p.communeCode).where('id', '=', p.id).execute();
}

/** The next receipt number of the commune's series for `year`; the row stays locked until the transaction ends, so numbers never skip or repeat. */
export async function takeReceiptNo(db: DbOrTx, communeCode: string, year: number): Promise<number> {
  const r = await db
    .insertInto('receipt_series')
    .values({ commune_code: communeCode, year, last: 1 })
    .onConflict((oc) => oc.columns(['commune_code', 'year']).doUpdateSet({ last: sql`receipt_series.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return r.last;
}

export interface Receipt {
  communeCode: string;
  year: number;
  no: number;
  symbol: string;
  paymentId: string;
  payerName: string;
  amountVnd: number;
  procedureCode: string;
  procedureName: string;
  dossierCode: string;
  issuedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
}

type ReceiptRow = Selectable<ReceiptTable>;
function toReceipt(r: ReceiptRow): Receipt {
  return {
    communeCode: r.commune_code,
    year: r.year,
    no: r.no,
    symbol: r.symbol,
    paymentId: r.payment_id,
    payerName: r.payer_name,
    amountVnd: num(r.amount_vnd),
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    dossierCode: r.dossier_code,
    issuedAt: new Date(r.issued_at),
    cancelledAt: r.cancelled_at ? new Date(r.cancelled_at) : null,
    cancelReason: r.cancel_reason,
  };
}

export async function findReceipt(db: DbOrTx, communeCode: string, year: number, no: number): Promise<Receipt | null> {
  const r = await db.selectFrom('receipt').selectAll().where('commune_code', '=', communeCode).where('year', '=', year).where('no', '=', no).executeTakeFirst();
  return r ? toReceipt(r) : null;
}

export async function receiptOfPayment(db: DbOrTx, communeCode: string, paymentId: string): Promise<Receipt | null> {
  const r = await db.selectFrom('receipt').selectAll().where('commune_code', '=', communeCode).where('payment_id', '=', paymentId).where('cancelled_at', 'is', null).executeTakeFirst();
  return r ? toReceipt(r) : null;
}

export async function listReceipts(db: DbOrTx, communeCode: string, year: number): Promise<Receipt[]> {
  const rows = await db.selectFrom('receipt').selectAll().where('commune_code', '=', communeCode).where('year', '=', year).orderBy('no', 'desc').limit(500).execute();
  return rows.map(toReceipt);
}

export interface FeeVersion {
  provinceCode: string;
  procedureCode: string;
  caseKey: string;
  version: number;
  status: FeeStatus;
  amountVnd: number | null;
  per: string | null;
  exemptions: string[];
  sourceText: string;
  confirmedAt: Date | null;
  note: string;
}

/** The latest version of each case of a procedure's fees in a province. */
export async function currentFees(db: DbOrTx, provinceCode: string, procedureCode: string): Promise<FeeVersion[]> {
  const rows = await db
    .selectFrom('fee_schedule as f')
    .selectAll()
    .where('f.province_code', '=', provinceCode)
    .where('f.procedure_code', '=', procedureCode)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('fee_schedule as g')
            .select('g.version')
            .whereRef('g.province_code', '=', 'f.province_code')
            .whereRef('g.procedure_code', '=', 'f.procedure_code')
            .whereRef('g.case_key', '=', 'f.case_key')
            .whereRef('g.version', '>', 'f.version'),
        ),
      ),
    )
    .orderBy('f.case_key')
    .execute();
  return rows.map((r) => ({
    provinceCode: r.province_code,
    procedureCode: r.procedure_code,
    caseKey: r.case_key,
    version: r.version,
    status: r.status,
    amountVnd: r.amount_vnd === null ? null : Number(r.amount_vnd),
    per: r.per,
    exemptions: r.exemptions,
    sourceText: r.source_text,
    confirmedAt: r.confirmed_at ? new Date(r.confirmed_at) : null,
    note: r.note,
  }));
}
