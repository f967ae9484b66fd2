/**
 * Cashless fees: payment requests, confirmation by gateway callback or bank
 * statement (each bank transaction counted once), the reconciliation queue,
 * refunds and receipts. Every decision is audited in its own transaction.
 */
import { sql } from 'kysely';
import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx, Tx } from '../platform/db.js';
import { findCommune } from '../units/units.js';
import { referencesIn, foldDescription, paymentReference } from './reference.js';
import { receiptSymbol } from './receipt-series.js';
import * as store from './payments.store.js';
import type { BankTxn, Payment, Receipt } from './payments.store.js';
import type { TxnIssue } from './payments.tables.js';
import { buildVietQr, vietQrProblem } from './vietqr.js';
import { formatVnd } from './words.js';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Who acts: a person, or the system (gateway, import) with a readable label. */
export interface PaymentsActor {
  id: string | null;
  label: string;
  ip: string | null;
}

export interface PaymentsDeps {
  db: Db;
  clock?: Clock;
  /**
   * Runs after a payment is confirmed and committed (the dossier workflow moves
   * the dossier on here). A failure is logged by the caller, never undoes the payment.
   */
  onConfirmed?: (payment: Payment) => Promise<void>;
}

const nowOf = (deps: { clock?: Clock }) => (deps.clock ?? systemClock).now();

/** Runs `fn` in the caller's transaction, or in a new one. */
async function inTx<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Tx) : (db as Db).transaction().execute(fn);
}

/**
 * One money writer per commune at a time, taken first in every transaction
 * that records or resolves a bank transaction. Without it, two imports (or an
 * import and a callback) that share lines could each hold what the other
 * waits for (a bank reference, a payment row, the audit chain) and deadlock.
 */
async function lockCommuneMoney(tx: Tx, communeCode: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(7261014, ${Number(communeCode)}::int)`.execute(tx);
}

/** Local date in Vietnam (UTC+7, no daylight saving). */
export function vnDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

// ——— Collection account ———

export interface AccountInput {
  bankBin: string;
  accountNo: string;
  accountName: string;
}

export async function collectionAccount(db: DbOrTx, communeCode: string): Promise<AccountInput | null> {
  const r = await db.selectFrom('payment_account').selectAll().where('commune_code', '=', communeCode).executeTakeFirst();
  return r ? { bankBin: r.bank_bin, accountNo: r.account_no, accountName: r.account_name } : null;
}

export async function setCollectionAccount(deps: PaymentsDeps, actor: PaymentsActor, communeCode: string, input: AccountInput): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  const bin = input.bankBin.trim();
  const no = input.accountNo.replace(/\s/g, '');
  const name = input.accountName.trim();
  const ok = { bin: '970436', account: '1', amountVnd: 1, purpose: 'X' };
  if (vietQrProblem({ ...ok, bin }) === 'bin') errors.bank_bin = 'Mã BIN ngân hàng: nhập đúng 6 chữ số (ví dụ 970436 là Vietcombank)';
  if (vietQrProblem({ ...ok, account: no }) === 'account') errors.account_no = 'Số tài khoản: chỉ gồm chữ số và chữ cái, tối đa 19 ký tự';
  if (name.length < 3 || name.length > 200) errors.account_name = 'Tên tài khoản: nhập tên chủ tài khoản như ngân hàng ghi';
  if (Object.keys(errors).length) return { ok: false, errors };
  await deps.db.transaction().execute(async (tx) => {
    const now = nowOf(deps);
    await tx
      .insertInto('payment_account')
      .values({ commune_code: communeCode, bank_bin: bin, account_no: no, account_name: name, updated_at: now })
      .onConflict((oc) => oc.column('commune_code').doUpdateSet({ bank_bin: bin, account_no: no, account_name: name, updated_at: now }))
      .execute();
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, action: 'payments.account.set', subjectType: 'payment_account', subjectId: communeCode, ip: actor.ip, detail: { bankBin: bin, accountNo: no } });
  });
  return { ok: true };
}

// ——— Payment requests ———

export interface PaymentRequest {
  communeCode: string;
  dossierId: string | null;
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  feeCase?: string;
  payerName: string;
  amountVnd: number;
  at: Date;
  actor: PaymentsActor;
}

/**
 * A dossier's payment with its reference. Takes the caller's transaction, so
 * the dossier service can request payment in the same transaction as its
 * `request_payment` action (or at submission, for procedures paid upfront).
 */
export async function requestPayment(db: DbOrTx, input: PaymentRequest): Promise<Payment> {
  if (!Number.isSafeInteger(input.amountVnd) || input.amountVnd <= 0) throw new RangeError('requestPayment: amount must be a positive whole number of đồng');
  return inTx(db, async (tx) => {
    const earlier = input.dossierId ? await store.paymentsOfDossier(tx, input.communeCode, input.dossierId) : [];
    const reference = paymentReference(input.dossierCode, earlier.length + 1);
    const row = await tx
      .insertInto('payment')
      .values({
        commune_code: input.communeCode,
        dossier_id: input.dossierId,
        dossier_code: input.dossierCode,
        reference,
        amount_vnd: input.amountVnd,
        procedure_code: input.procedureCode,
        procedure_name: input.procedureName,
        fee_case: input.feeCase ?? '',
        payer_name: input.payerName,
        requested_at: input.at,
        requested_by: input.actor.label,
        paid_at: null,
        paid_via: null,
        dossier_advanced_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      unitCode: input.communeCode,
      action: 'payments.request',
      subjectType: 'payment',
      subjectId: row.id,
      ip: input.actor.ip,
      detail: { reference, amountVnd: input.amountVnd, dossierCode: input.dossierCode },
    });
    return store.toPayment(row);
  });
}

/** A pending payment is no longer asked for (the dossier was refused or withdrawn before paying). */
export async function cancelPayment(db: DbOrTx, actor: PaymentsActor, communeCode: string, paymentId: string, reason: string): Promise<{ ok: true } | { ok: false; message: string }> {
  return inTx(db, async (tx) => {
    await lockCommuneMoney(tx, communeCode);
    const p = await store.findPayment(tx, communeCode, paymentId, true);
    if (!p) return { ok: false, message: 'Không tìm thấy khoản thu.' };
    if (p.state !== 'pending') return { ok: false, message: 'Chỉ huỷ được khoản thu chưa nộp. Khoản đã nộp thì hoàn tiền.' };
    await store.setPaymentState(tx, p, 'cancelled');
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, action: 'payments.cancel', subjectType: 'payment', subjectId: p.id, ip: actor.ip, detail: { reference: p.reference, reason } });
    return { ok: true };
  });
}

/** The VietQR payload for a pending payment, or why there is none. */
export async function paymentQr(db: DbOrTx, p: Payment): Promise<{ ok: true; payload: string; account: AccountInput } | { ok: false; reason: 'no_account' | 'not_pending' }> {
  if (p.state !== 'pending') return { ok: false, reason: 'not_pending' };
  const account = await collectionAccount(db, p.communeCode);
  if (!account) return { ok: false, reason: 'no_account' };
  return { ok: true, payload: buildVietQr({ bin: account.bankBin, account: account.accountNo, amountVnd: p.amountVnd, purpose: p.reference }), account };
}

// ——— Confirmation: one rule for callbacks, statement lines and the accountant ———

export type Classification = { state: 'matched' } | { state: 'queued'; issue: TxnIssue };

/** What a bank transaction of `amountVnd` means for the payment it names. Pure. */
export function classify(p: Pick<Payment, 'state' | 'amountVnd'> | null, amountVnd: number): Classification {
  if (!p) return { state: 'queued', issue: 'unmatched' };
  if (p.state === 'cancelled') return { state: 'queued', issue: 'cancelled' };
  if (p.state !== 'pending') return { state: 'queued', issue: 'duplicate' };
  if (amountVnd < p.amountVnd) return { state: 'queued', issue: 'short' };
  if (amountVnd > p.amountVnd) return { state: 'queued', issue: 'over' };
  return { state: 'matched' };
}

export const ISSUE_LABELS: Record<TxnIssue, string> = {
  unmatched: 'Không khớp khoản thu nào (không có mã thanh toán đúng)',
  short: 'Nộp thiếu so với số tiền phải nộp',
  over: 'Nộp thừa so với số tiền phải nộp',
  duplicate: 'Khoản thu đã được nộp trước đó (nộp trùng)',
  cancelled: 'Khoản thu đã huỷ (hồ sơ bị từ chối hoặc đã rút)',
};

/** References a description may carry: every "HS…" run, and its prefixes (banks glue words on). */
export function candidateReferences(description: string): string[] {
  const folded = foldDescription(description);
  const out = new Set<string>();
  for (let i = folded.indexOf('HS'); i >= 0; i = folded.indexOf('HS', i + 1)) {
    for (let len = 12; len <= 25 && i + len <= folded.length; len++) out.add(folded.slice(i, i + len));
  }
  return [...out];
}

export interface IncomingTxn {
  bankRef: string;
  source: 'gateway' | 'statement';
  /** `YYYY-MM-DD`. */
  date: string;
  amountVnd: number;
  description: string;
  /** The reference the gateway names; statement lines are searched for one. */
  reference?: string;
  statementId?: string | null;
}

export type TxnOutcome =
  | { kind: 'already_recorded' }
  | { kind: 'matched'; payment: Payment; receipt: Receipt }
  | { kind: 'queued'; issue: TxnIssue; payment: Payment | null };

async function issueReceipt(tx: Tx, p: Payment, at: Date): Promise<Receipt> {
  const year = Number(vnDay(at).slice(0, 4));
  const no = await store.takeReceiptNo(tx, p.communeCode, year);
  const symbol = receiptSymbol(p.communeCode, year);
  await tx
    .insertInto('receipt')
    .values({
      commune_code: p.communeCode,
      year,
      no,
      symbol,
      payment_id: p.id,
      payer_name: p.payerName,
      amount_vnd: p.paidAmountVnd ?? p.amountVnd,
      procedure_code: p.procedureCode,
      procedure_name: p.procedureName,
      dossier_code: p.dossierCode,
      issued_at: at,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
    })
    .execute();
  return (await store.findReceipt(tx, p.communeCode, year, no))!;
}

/** Marks a payment paid by a transaction and issues its receipt (inside the caller's transaction). */
async function confirmWith(tx: Tx, p: Payment, txnAmount: number, via: Payment['paidVia'] & string, at: Date): Promise<{ payment: Payment; receipt: Receipt }> {
  await store.setPaymentPaid(tx, p, at, txnAmount, via);
  const paid: Payment = { ...p, state: 'paid', paidAt: at, paidAmountVnd: txnAmount, paidVia: via, version: p.version + 1 };
  return { payment: paid, receipt: await issueReceipt(tx, paid, at) };
}

/**
 * Records one bank transaction of a commune's account and decides it, in the
 * caller's transaction: a bank reference already recorded changes nothing; a
 * payment is confirmed only when it is pending and the amount is exact; every
 * other case waits in the reconciliation queue. Concurrent duplicates meet the
 * unique bank reference and the payment's row lock, so they count once.
 */
export async function recordTransactionTx(tx: Tx, communeCode: string, t: IncomingTxn, actor: PaymentsActor, at: Date): Promise<TxnOutcome> {
  // A reference already committed is final: answer a replay without queueing behind the commune's writer.
  if (await store.txnRecorded(tx, communeCode, t.bankRef)) return { kind: 'already_recorded' };
  await lockCommuneMoney(tx, communeCode);
  // Claim the bank reference first: a duplicate waits here for the first to commit, then does nothing.
  const claimed = await store.insertTxnOnce(tx, {
    communeCode,
    bankRef: t.bankRef,
    source: t.source,
    txnDate: t.date,
    amountVnd: t.amountVnd,
    description: t.description,
    statementId: t.statementId ?? null,
    paymentId: null,
    state: 'queued',
    issue: 'unmatched',
  });
  if (!claimed) return { kind: 'already_recorded' };
  let payment: Payment | null;
  if (t.reference) {
    const p = await store.findPaymentByReference(tx, t.reference, true);
    payment = p && p.communeCode === communeCode ? p : null;
  } else {
    const found = await store.paymentsByReferences(tx, communeCode, candidateReferences(t.description));
    const [ref] = referencesIn(t.description, found.map((p) => p.reference));
    const hit = found.find((p) => p.reference === ref);
    payment = hit ? await store.findPayment(tx, communeCode, hit.id, true) : null;
  }
  const verdict = classify(payment, t.amountVnd);
  const base = { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, subjectType: 'bank_txn', subjectId: claimed, ip: actor.ip };
  const detail = { bankRef: t.bankRef, source: t.source, amountVnd: t.amountVnd, reference: payment?.reference ?? t.reference ?? null };
  if (verdict.state === 'matched' && payment) {
    await tx.updateTable('bank_txn').set({ state: 'matched', issue: null, payment_id: payment.id }).where('commune_code', '=', communeCode).where('id', '=', claimed).execute();
    const done = await confirmWith(tx, payment, t.amountVnd, t.source, at);
    await appendAudit(tx, { ...base, action: 'payments.confirm', detail: { ...detail, paymentId: payment.id, receipt: `${done.receipt.symbol}/${done.receipt.no}` } });
    return { kind: 'matched', ...done };
  }
  const issue = verdict.state === 'queued' ? verdict.issue : 'unmatched';
  await tx.updateTable('bank_txn').set({ issue, payment_id: payment?.id ?? null }).where('commune_code', '=', communeCode).where('id', '=', claimed).execute();
  await appendAudit(tx, { ...base, action: 'payments.queue', detail: { ...detail, issue } });
  return { kind: 'queued', issue, payment };
}

async function afterConfirm(deps: PaymentsDeps, outcomes: readonly TxnOutcome[]): Promise<void> {
  if (!deps.onConfirmed) return;
  for (const o of outcomes) if (o.kind === 'matched') await deps.onConfirmed(o.payment);
}

/** One transaction from a gateway callback, its own database transaction. */
export async function recordTransaction(deps: PaymentsDeps, communeCode: string, t: IncomingTxn, actor: PaymentsActor): Promise<TxnOutcome> {
  const outcome = await deps.db.transaction().execute((tx) => recordTransactionTx(tx, communeCode, t, actor, nowOf(deps)));
  await afterConfirm(deps, [outcome]);
  return outcome;
}

/** The commune whose collection account this is, if any. */
export async function communeOfAccount(db: DbOrTx, bankBin: string | undefined, accountNo: string): Promise<string | null> {
  let q = db.selectFrom('payment_account').select('commune_code').where('account_no', '=', accountNo);
  if (bankBin) q = q.where('bank_bin', '=', bankBin);
  const rows = await q.limit(2).execute();
  return rows.length === 1 ? rows[0]!.commune_code : null;
}

// ——— Statement import ———

export interface ImportResult {
  statementId: string;
  lines: number;
  newLines: number;
  matched: number;
  queued: number;
  alreadyRecorded: number;
  problems: { row: number; field: string; message: string }[];
}

/**
 * Imports parsed statement lines in one transaction: all or nothing. The same
 * statement imported twice records nothing new (every bank reference is known).
 */
export async function importStatement(
  deps: PaymentsDeps,
  actor: PaymentsActor,
  communeCode: string,
  file: { sha256: string; name: string },
  parsed: { lines: readonly { bankRef: string; date: string; amountVnd: number; description: string }[]; problems: readonly { row: number; field: string; message: string }[] },
): Promise<ImportResult> {
  const at = nowOf(deps);
  const { result, outcomes } = await deps.db.transaction().execute(async (tx) => {
    await lockCommuneMoney(tx, communeCode);
    const st = await tx
      .insertInto('bank_statement')
      .values({ commune_code: communeCode, file_sha256: file.sha256, file_name: file.name.slice(0, 200), uploaded_by: actor.id, uploaded_at: at, lines: parsed.lines.length, new_lines: 0, problems: JSON.stringify(parsed.problems) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const outcomes: TxnOutcome[] = [];
    for (const l of parsed.lines) {
      outcomes.push(await recordTransactionTx(tx, communeCode, { ...l, source: 'statement', statementId: st.id }, actor, at));
    }
    const count = (k: TxnOutcome['kind']) => outcomes.filter((o) => o.kind === k).length;
    const result: ImportResult = {
      statementId: st.id,
      lines: parsed.lines.length,
      newLines: parsed.lines.length - count('already_recorded'),
      matched: count('matched'),
      queued: count('queued'),
      alreadyRecorded: count('already_recorded'),
      problems: [...parsed.problems],
    };
    await tx.updateTable('bank_statement').set({ new_lines: result.newLines }).where('commune_code', '=', communeCode).where('id', '=', st.id).execute();
    await appendAudit(tx, {
      actorId: actor.id,
      actorLabel: actor.label,
      unitCode: communeCode,
      action: 'payments.statement.import',
      subjectType: 'bank_statement',
      subjectId: st.id,
      ip: actor.ip,
      detail: { file: file.name, sha256: file.sha256, lines: result.lines, newLines: result.newLines, matched: result.matched, queued: result.queued, problems: parsed.problems.length },
    });
    return { result, outcomes };
  });
  await afterConfirm(deps, outcomes);
  return result;
}

// ——— The accountant's queue ———

export type QueueOutcome = { ok: true } | { ok: false; status: 404 | 409 | 422; message: string; field?: string };

/** Counts a queued transaction for a pending payment (a short or over amount needs a reason). */
export async function matchQueued(deps: PaymentsDeps, actor: PaymentsActor, communeCode: string, txnId: string, reference: string, note: string): Promise<QueueOutcome> {
  const at = nowOf(deps);
  const ref = foldDescription(reference);
  const res = await deps.db.transaction().execute(async (tx): Promise<{ out: QueueOutcome; confirmed?: Payment }> => {
    await lockCommuneMoney(tx, communeCode);
    const t = await store.findTxn(tx, communeCode, txnId, true);
    if (!t) return { out: { ok: false, status: 404, message: 'Không tìm thấy giao dịch.' } };
    if (t.state !== 'queued') return { out: { ok: false, status: 409, message: 'Giao dịch này đã được xử lý rồi.' } };
    const p = await store.findPaymentByReference(tx, ref, true);
    if (!p || p.communeCode !== communeCode) return { out: { ok: false, status: 422, field: 'reference', message: 'Mã thanh toán: không có khoản thu nào của xã với mã này. Kiểm tra lại mã (ví dụ HS254592612030001).' } };
    if (p.state !== 'pending') return { out: { ok: false, status: 422, field: 'reference', message: 'Mã thanh toán: khoản thu này không còn chờ nộp (đã nộp, đã huỷ hoặc đã hoàn tiền). Hãy hoàn tiền giao dịch nếu không khớp khoản nào.' } };
    const trimmed = note.trim();
    if (t.amountVnd !== p.amountVnd && trimmed.length < 5) {
      return { out: { ok: false, status: 422, field: 'note', message: `Ghi chú: số tiền giao dịch (${formatVnd(t.amountVnd)} đ) khác số phải nộp (${formatVnd(p.amountVnd)} đ); ghi rõ lý do vẫn ghi nhận.` } };
    }
    await tx.updateTable('bank_txn').set({ state: 'matched', payment_id: p.id, resolved_by: actor.id, resolved_at: at, resolution_note: trimmed }).where('commune_code', '=', communeCode).where('id', '=', t.id).execute();
    const done = await confirmWith(tx, p, t.amountVnd, 'manual', at);
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, action: 'payments.match', subjectType: 'bank_txn', subjectId: t.id, ip: actor.ip, detail: { bankRef: t.bankRef, reference: p.reference, amountVnd: t.amountVnd, expectedVnd: p.amountVnd, note: trimmed, receipt: `${done.receipt.symbol}/${done.receipt.no}` } });
    return { out: { ok: true }, confirmed: done.payment };
  });
  if (res.confirmed && deps.onConfirmed) await deps.onConfirmed(res.confirmed);
  return res.out;
}

/** Gives a queued transaction's money back to the payer. */
export async function refundQueued(deps: PaymentsDeps, actor: PaymentsActor, communeCode: string, txnId: string, reason: string): Promise<QueueOutcome> {
  const at = nowOf(deps);
  const why = reason.trim();
  if (why.length < 5) return { ok: false, status: 422, field: 'reason', message: 'Lý do hoàn tiền: ghi rõ vì sao hoàn (ít nhất 5 ký tự).' };
  return deps.db.transaction().execute(async (tx): Promise<QueueOutcome> => {
    await lockCommuneMoney(tx, communeCode);
    const t = await store.findTxn(tx, communeCode, txnId, true);
    if (!t) return { ok: false, status: 404, message: 'Không tìm thấy giao dịch.' };
    if (t.state !== 'queued') return { ok: false, status: 409, message: 'Giao dịch này đã được xử lý rồi.' };
    await tx.updateTable('bank_txn').set({ state: 'refunded', resolved_by: actor.id, resolved_at: at, resolution_note: why }).where('commune_code', '=', communeCode).where('id', '=', t.id).execute();
    await tx.insertInto('refund').values({ commune_code: communeCode, payment_id: t.paymentId, bank_txn_id: t.id, amount_vnd: t.amountVnd, reason: why, refunded_by: actor.id, refunded_at: at }).execute();
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, action: 'payments.refund', subjectType: 'bank_txn', subjectId: t.id, ip: actor.ip, detail: { bankRef: t.bankRef, amountVnd: t.amountVnd, reason: why } });
    return { ok: true };
  });
}

/**
 * Refunds a paid payment (the dossier was refused or withdrawn after paying):
 * the payment and its transaction are marked refunded, the receipt is
 * cancelled with the reason (its number stays used), and the refund is recorded.
 */
export async function refundPayment(deps: PaymentsDeps, actor: PaymentsActor, communeCode: string, paymentId: string, reason: string): Promise<QueueOutcome> {
  const at = nowOf(deps);
  const why = reason.trim();
  if (why.length < 5) return { ok: false, status: 422, field: 'reason', message: 'Lý do hoàn tiền: ghi rõ vì sao hoàn (ít nhất 5 ký tự).' };
  return deps.db.transaction().execute(async (tx): Promise<QueueOutcome> => {
    await lockCommuneMoney(tx, communeCode);
    const p = await store.findPayment(tx, communeCode, paymentId, true);
    if (!p) return { ok: false, status: 404, message: 'Không tìm thấy khoản thu.' };
    if (p.state !== 'paid') return { ok: false, status: 409, message: 'Chỉ hoàn tiền được khoản đã nộp.' };
    await store.setPaymentState(tx, p, 'refunded');
    const txn = await tx.selectFrom('bank_txn').select('id').where('commune_code', '=', communeCode).where('payment_id', '=', p.id).where('state', '=', 'matched').executeTakeFirst();
    if (txn) await tx.updateTable('bank_txn').set({ state: 'refunded', resolved_by: actor.id, resolved_at: at, resolution_note: why }).where('commune_code', '=', communeCode).where('id', '=', txn.id).execute();
    await tx.insertInto('refund').values({ commune_code: communeCode, payment_id: p.id, bank_txn_id: txn?.id ?? null, amount_vnd: p.paidAmountVnd ?? p.amountVnd, reason: why, refunded_by: actor.id, refunded_at: at }).execute();
    const receipt = await store.receiptOfPayment(tx, communeCode, p.id);
    if (receipt) {
      await tx.updateTable('receipt').set({ cancelled_at: at, cancelled_by: actor.id, cancel_reason: `Hoàn tiền: ${why}` }).where('commune_code', '=', communeCode).where('year', '=', receipt.year).where('no', '=', receipt.no).execute();
    }
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, action: 'payments.refund', subjectType: 'payment', subjectId: p.id, ip: actor.ip, detail: { reference: p.reference, amountVnd: p.paidAmountVnd, reason: why, cancelledReceipt: receipt ? `${receipt.symbol}/${receipt.no}` : null } });
    return { ok: true };
  });
}

/** Cancels a receipt (wrong payer name, for instance): the number stays used and the reason is kept. */
export async function cancelReceipt(deps: PaymentsDeps, actor: PaymentsActor, communeCode: string, year: number, no: number, reason: string): Promise<QueueOutcome> {
  const why = reason.trim();
  if (why.length < 5) return { ok: false, status: 422, field: 'reason', message: 'Lý do huỷ biên lai: ghi rõ vì sao huỷ (ít nhất 5 ký tự).' };
  return deps.db.transaction().execute(async (tx): Promise<QueueOutcome> => {
    await lockCommuneMoney(tx, communeCode);
    const r = await store.findReceipt(tx, communeCode, year, no);
    if (!r) return { ok: false, status: 404, message: 'Không tìm thấy biên lai.' };
    if (r.cancelledAt) return { ok: false, status: 409, message: 'Biên lai này đã huỷ trước đó.' };
    await tx.updateTable('receipt').set({ cancelled_at: nowOf(deps), cancelled_by: actor.id, cancel_reason: why }).where('commune_code', '=', communeCode).where('year', '=', year).where('no', '=', no).execute();
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, action: 'payments.receipt.cancel', subjectType: 'receipt', subjectId: `${r.symbol}/${r.no}`, ip: actor.ip, detail: { reason: why, paymentId: r.paymentId } });
    return { ok: true };
  });
}

export type { BankTxn, Payment, Receipt };

/** The commune's name for papers ("Phường Tân Ninh"). */
export function communeName(code: string): string {
  return findCommune(code)?.commune.name ?? code;
}
