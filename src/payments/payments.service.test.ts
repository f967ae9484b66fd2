import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../platform/audit.js';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { checkSeries } from './receipt-series.js';
import {
  cancelPayment,
  cancelReceipt,
  importStatement,
  matchQueued,
  paymentQr,
  recordTransaction,
  refundPayment,
  refundQueued,
  requestPayment,
  setCollectionAccount,
  type PaymentsActor,
  type PaymentsDeps,
} from './payments.service.js';
import { QRPay } from 'vietnam-qr-pay';
import { dailyReport, reportWorkbook } from './report.js';
import { parseStatementCsv } from './statement.js';
import { listReceipts } from './payments.store.js';

const COMMUNE = '25459';
const OTHER = '25480';
const AT = new Date('2026-12-03T09:00:00+07:00');
const clock = { now: () => AT };
const accountant: PaymentsActor = { id: null, label: 'Kế toán', ip: null };
const gateway: PaymentsActor = { id: null, label: 'Cổng thanh toán', ip: '198.51.100.1' };

describe.each(testEngines())('payments service on %s', (engine) => {
  let h: DbHandle;
  let deps: PaymentsDeps;
  const confirmed: string[] = [];
  let seq = 0;
  const newPayment = (amountVnd: number, commune = COMMUNE) =>
    requestPayment(h.db, {
      communeCode: commune,
      dossierId: null,
      dossierCode: `${commune}-261203-${String(++seq).padStart(4, '0')}`,
      procedureCode: '1.001612',
      procedureName: 'Đăng ký thành lập hộ kinh doanh',
      payerName: 'Nguyễn Thị Lan',
      amountVnd,
      at: AT,
      actor: { id: null, label: 'Cán bộ một cửa', ip: null },
    });
  const txn = (bankRef: string, amountVnd: number, reference: string) => ({ bankRef, source: 'gateway' as const, date: '2026-12-03', amountVnd, description: `chuyen tien ${reference}`, reference });
  const actions = async () => (await h.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);

  beforeAll(async () => {
    h = await openTestDb(engine);
    deps = { db: h.db, clock, onConfirmed: async (p) => void confirmed.push(p.reference) };
    expect(await setCollectionAccount(deps, accountant, COMMUNE, { bankBin: '970436', accountNo: '1023456789', accountName: 'UBND PHUONG TAN NINH' })).toEqual({ ok: true });
    expect(await setCollectionAccount(deps, accountant, OTHER, { bankBin: '970436', accountNo: '2000000001', accountName: 'UBND PHUONG BINH MINH' })).toEqual({ ok: true });
  });
  afterAll(() => h.close());

  it('refuses a collection account a bank would not take, naming the field', async () => {
    const r = await setCollectionAccount(deps, accountant, COMMUNE, { bankBin: '97043', accountNo: '12-34', accountName: '' });
    expect(r).toEqual({ ok: false, errors: { bank_bin: expect.stringMatching(/^Mã BIN/), account_no: expect.stringMatching(/^Số tài khoản/), account_name: expect.stringMatching(/^Tên tài khoản/) } });
  });

  it('requests a payment with a reference, and its VietQR decodes to the account, amount and reference', async () => {
    const p = await newPayment(50_000);
    expect(p).toMatchObject({ state: 'pending', amountVnd: 50_000, reference: expect.stringMatching(/^HS25459261203\d{4}$/) });
    const qr = await paymentQr(h.db, p);
    if (!qr.ok) throw new Error('no QR');
    const decoded = new QRPay(qr.payload);
    expect([decoded.isValid, decoded.consumer.bankBin, decoded.consumer.bankNumber, decoded.amount, decoded.additionalData.purpose]).toEqual([true, '970436', '1023456789', '50000', p.reference]);
    expect(await actions()).toContain('payments.request');
  });

  it('confirms by gateway once: the same bank reference again changes nothing; a receipt is issued', async () => {
    const p = await newPayment(50_000);
    const first = await recordTransaction(deps, COMMUNE, txn('FT-A1', 50_000, p.reference), gateway);
    expect(first).toMatchObject({ kind: 'matched', payment: { state: 'paid', paidVia: 'gateway' }, receipt: { amountVnd: 50_000, symbol: 'BL25459-26E' } });
    expect(await recordTransaction(deps, COMMUNE, txn('FT-A1', 50_000, p.reference), gateway)).toEqual({ kind: 'already_recorded' });
    // The same payer paying again (a new bank transaction) is a duplicate payment for the accountant.
    expect(await recordTransaction(deps, COMMUNE, txn('FT-A2', 50_000, p.reference), gateway)).toMatchObject({ kind: 'queued', issue: 'duplicate' });
    expect(confirmed).toContain(p.reference);
  });

  it('queues short, over, unknown and cancelled payments; never confirms them', async () => {
    const short = await newPayment(100_000);
    const over = await newPayment(100_000);
    const cancelled = await newPayment(100_000);
    expect(await cancelPayment(h.db, accountant, COMMUNE, cancelled.id, 'Hồ sơ đã rút')).toEqual({ ok: true });
    expect(await recordTransaction(deps, COMMUNE, txn('FT-S', 90_000, short.reference), gateway)).toMatchObject({ kind: 'queued', issue: 'short' });
    expect(await recordTransaction(deps, COMMUNE, txn('FT-O', 110_000, over.reference), gateway)).toMatchObject({ kind: 'queued', issue: 'over' });
    expect(await recordTransaction(deps, COMMUNE, txn('FT-U', 10_000, 'HS999999999999'), gateway)).toMatchObject({ kind: 'queued', issue: 'unmatched' });
    expect(await recordTransaction(deps, COMMUNE, txn('FT-C', 100_000, cancelled.reference), gateway)).toMatchObject({ kind: 'queued', issue: 'cancelled' });
    // Another commune's reference never confirms this commune's payment.
    const theirs = await newPayment(10_000, OTHER);
    expect(await recordTransaction(deps, COMMUNE, txn('FT-X', 10_000, theirs.reference), gateway)).toMatchObject({ kind: 'queued', issue: 'unmatched' });
    const states = await h.db.selectFrom('payment').select(['reference', 'state']).where('reference', 'in', [short.reference, over.reference, theirs.reference]).execute();
    expect(states.every((s) => s.state === 'pending')).toBe(true);
    expect(await cancelPayment(h.db, accountant, COMMUNE, cancelled.id, 'again')).toMatchObject({ ok: false });
  });

  it('imports a statement: matches by reference in the description and amount; the same file again records nothing', async () => {
    const a = await newPayment(20_000);
    const b = await newPayment(30_000);
    const csv = [
      'Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Nội dung',
      `03/12/2026,ST-1,20.000,MBVCB.1234 ${a.reference.toLowerCase()} nop le phi`,
      `03/12/2026,ST-2,30000,chuyen khoan ${b.reference.slice(0, 2)}-${b.reference.slice(2)}`,
      '03/12/2026,ST-3,15.000,khong ghi ma',
      '32/12/2026,ST-4,15.000,ngay sai',
    ].join('\n');
    const parsed = parseStatementCsv(csv);
    const first = await importStatement(deps, accountant, COMMUNE, { sha256: 'x'.repeat(64), name: 'saoke.csv' }, parsed);
    expect(first).toMatchObject({ lines: 3, newLines: 3, matched: 2, queued: 1, alreadyRecorded: 0, problems: [{ row: 5, field: 'date' }] });
    const again = await importStatement(deps, accountant, COMMUNE, { sha256: 'x'.repeat(64), name: 'saoke.csv' }, parsed);
    expect(again).toMatchObject({ newLines: 0, matched: 0, queued: 0, alreadyRecorded: 3 });
    expect(await actions()).toContain('payments.statement.import');
  });

  it('the accountant matches a queued line to a pending payment (a different amount needs a reason) or refunds it', async () => {
    const p = await newPayment(40_000);
    const q = await recordTransaction(deps, COMMUNE, { bankRef: 'ST-M', source: 'statement', date: '2026-12-03', amountVnd: 40_000, description: 'nop tien ho so' }, accountant);
    expect(q).toMatchObject({ kind: 'queued', issue: 'unmatched' });
    const txnId = (await h.db.selectFrom('bank_txn').select('id').where('bank_ref', '=', 'ST-M').executeTakeFirstOrThrow()).id;
    expect(await matchQueued(deps, accountant, COMMUNE, txnId, 'HS-unknown', '')).toMatchObject({ ok: false, status: 422, field: 'reference' });
    expect(await matchQueued(deps, accountant, COMMUNE, txnId, p.reference.toLowerCase(), '')).toEqual({ ok: true });
    expect(await matchQueued(deps, accountant, COMMUNE, txnId, p.reference, '')).toMatchObject({ ok: false, status: 409 });
    const short = await newPayment(100_000);
    await recordTransaction(deps, COMMUNE, txn('FT-S2', 90_000, short.reference), gateway);
    const shortId = (await h.db.selectFrom('bank_txn').select('id').where('bank_ref', '=', 'FT-S2').executeTakeFirstOrThrow()).id;
    expect(await matchQueued(deps, accountant, COMMUNE, shortId, short.reference, '')).toMatchObject({ ok: false, field: 'note' });
    expect(await refundQueued(deps, accountant, COMMUNE, shortId, '')).toMatchObject({ ok: false, field: 'reason' });
    expect(await refundQueued(deps, accountant, COMMUNE, shortId, 'Nộp thiếu, hoàn lại để nộp đúng số tiền')).toEqual({ ok: true });
    // Another commune's accountant cannot touch this commune's line.
    expect(await refundQueued(deps, accountant, OTHER, txnId, 'không được phép')).toMatchObject({ ok: false, status: 404 });
    expect((await actions()).filter((a) => a === 'payments.match' || a === 'payments.refund').length).toBe(2);
  });

  it('refunds a paid payment: the receipt is cancelled with the reason, its number stays used', async () => {
    const p = await newPayment(60_000);
    const r = await recordTransaction(deps, COMMUNE, txn('FT-R', 60_000, p.reference), gateway);
    if (r.kind !== 'matched') throw new Error('not matched');
    expect(await refundPayment(deps, accountant, COMMUNE, p.id, 'Hồ sơ bị từ chối')).toEqual({ ok: true });
    expect(await refundPayment(deps, accountant, COMMUNE, p.id, 'Hồ sơ bị từ chối')).toMatchObject({ ok: false, status: 409 });
    const receipts = await listReceipts(h.db, COMMUNE, 2026);
    const cancelled = receipts.find((x) => x.no === r.receipt.no)!;
    expect(cancelled.cancelReason).toMatch(/Hồ sơ bị từ chối/);
    expect(await cancelReceipt(deps, accountant, COMMUNE, 2026, r.receipt.no, 'Huỷ lần nữa')).toMatchObject({ ok: false, status: 409 });
    expect(checkSeries(receipts.map((x) => ({ no: x.no, cancelled: x.cancelledAt !== null })))).toEqual({ gaps: [], duplicates: [] });
  });

  it('the day’s report lists what waits and balances once the queue is empty', async () => {
    let report = await dailyReport(h.db, COMMUNE, '2026-12-03');
    expect(report.difference).toBe(0);
    expect(report.confirmedOnPayments).toBe(report.matched.amountVnd);
    expect(report.balanced).toBe(false);
    expect(report.reasons.length).toBe(report.queued.count);
    for (const t of await h.db.selectFrom('bank_txn').select('id').where('commune_code', '=', COMMUNE).where('state', '=', 'queued').execute()) {
      expect(await refundQueued(deps, accountant, COMMUNE, t.id, 'Không xác định được khoản thu')).toEqual({ ok: true });
    }
    report = await dailyReport(h.db, COMMUNE, '2026-12-03');
    expect(report).toMatchObject({ balanced: true, reasons: [], difference: 0 });
    expect(report.received.amountVnd).toBe(report.matched.amountVnd + report.refunded.amountVnd);
    const xlsx = await reportWorkbook(report, 'Phường Tân Ninh');
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('keeps the audit chain intact', async () => {
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });
});
