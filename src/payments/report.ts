/**
 * The commune's daily reconciliation report: what was asked for, what the bank
 * received, what was counted for payments, what waits for the accountant and
 * what was given back. It balances when nothing waits; otherwise each waiting
 * line says why.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import * as store from './payments.store.js';
import type { BankTxn } from './payments.store.js';
import { ISSUE_LABELS } from './payments.service.js';

export interface DailyReport {
  communeCode: string;
  day: string;
  expected: { count: number; amountVnd: number };
  received: { count: number; amountVnd: number };
  matched: { count: number; amountVnd: number };
  queued: { count: number; amountVnd: number };
  refunded: { count: number; amountVnd: number };
  /** received − matched − refunded − queued: zero unless the records disagree. */
  difference: number;
  /** Sum of amounts the day's matched transactions confirmed on payments; equals `matched` when records agree. */
  confirmedOnPayments: number;
  balanced: boolean;
  /** Why it does not balance, one line each (empty when balanced). */
  reasons: string[];
  txns: BankTxn[];
  pending: { reference: string; dossierCode: string; amountVnd: number }[];
}

const sum = (xs: readonly BankTxn[]) => ({ count: xs.length, amountVnd: xs.reduce((s, t) => s + t.amountVnd, 0) });

/** Day boundaries are Vietnam's (UTC+7). */
export async function dailyReport(db: DbOrTx, communeCode: string, day: string): Promise<DailyReport> {
  const txns = await store.listTxns(db, communeCode, { day });
  const requested = await db
    .selectFrom('payment')
    .select(['reference', 'dossier_code', 'amount_vnd', 'state'])
    .where('commune_code', '=', communeCode)
    .where(sql<string>`(requested_at at time zone 'Asia/Ho_Chi_Minh')::date::text`, '=', day)
    .orderBy('requested_at')
    .execute();
  const matchedTxns = txns.filter((t) => t.state === 'matched');
  const confirmed = matchedTxns.length
    ? await db
        .selectFrom('payment')
        .select(sql<string>`coalesce(sum(paid_amount_vnd), 0)::text`.as('total'))
        .where('commune_code', '=', communeCode)
        .where('id', 'in', matchedTxns.map((t) => t.paymentId!))
        .executeTakeFirstOrThrow()
    : { total: '0' };
  const received = sum(txns);
  const matched = sum(matchedTxns);
  const queuedTxns = txns.filter((t) => t.state === 'queued');
  const queued = sum(queuedTxns);
  const refunded = sum(txns.filter((t) => t.state === 'refunded'));
  const difference = received.amountVnd - matched.amountVnd - refunded.amountVnd - queued.amountVnd;
  const confirmedOnPayments = Number(confirmed.total);
  const reasons: string[] = queuedTxns.map((t) => `Giao dịch ${t.bankRef} (${t.amountVnd.toLocaleString('vi-VN')} đ) chờ kế toán xử lý: ${ISSUE_LABELS[t.issue ?? 'unmatched']}`);
  if (difference !== 0) reasons.push(`Chênh lệch ${difference.toLocaleString('vi-VN')} đ giữa tiền nhận và tiền đã phân loại: báo quản trị hệ thống.`);
  if (confirmedOnPayments !== matched.amountVnd) reasons.push(`Tiền ghi nhận trên khoản thu (${confirmedOnPayments.toLocaleString('vi-VN')} đ) khác tiền giao dịch đã khớp (${matched.amountVnd.toLocaleString('vi-VN')} đ): báo quản trị hệ thống.`);
  return {
    communeCode,
    day,
    expected: { count: requested.length, amountVnd: requested.reduce((s, r) => s + Number(r.amount_vnd), 0) },
    received,
    matched,
    queued,
    refunded,
    difference,
    confirmedOnPayments,
    balanced: reasons.length === 0,
    reasons,
    txns,
    pending: requested.filter((r) => r.state === 'pending').map((r) => ({ reference: r.reference, dossierCode: r.dossier_code, amountVnd: Number(r.amount_vnd) })),
  };
}

const TXN_STATE: Record<BankTxn['state'], string> = { matched: 'Đã khớp', queued: 'Chờ xử lý', refunded: 'Đã hoàn tiền' };

/** The report as an Excel workbook: summary, the day's transactions, payments still unpaid. */
export async function reportWorkbook(r: DailyReport, communeName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xã Số';
  const s = wb.addWorksheet('Tổng hợp');
  s.columns = [{ width: 44 }, { width: 12 }, { width: 18 }];
  s.addRow([`Báo cáo đối chiếu thu phí, lệ phí ngày ${r.day.split('-').reverse().join('/')} — ${communeName}`]).font = { bold: true };
  s.addRow([]);
  s.addRow(['Mục', 'Số giao dịch', 'Số tiền (đồng)']).font = { bold: true };
  const line = (label: string, v: { count: number; amountVnd: number }) => s.addRow([label, v.count, v.amountVnd]);
  line('Phải thu (khoản thu lập trong ngày)', r.expected);
  line('Tiền nhận vào tài khoản', r.received);
  line('Đã khớp với khoản thu', r.matched);
  line('Chờ kế toán xử lý', r.queued);
  line('Đã hoàn tiền', r.refunded);
  s.addRow(['Chênh lệch (nhận − khớp − hoàn − chờ)', null, r.difference]);
  s.addRow([r.balanced ? 'Kết quả: KHỚP ĐÚNG, chênh lệch bằng 0' : 'Kết quả: CHƯA KHỚP — lý do:']).font = { bold: true };
  for (const why of r.reasons) s.addRow([why]);
  s.getColumn(3).numFmt = '#,##0';
  const t = wb.addWorksheet('Giao dịch');
  t.columns = [
    { header: 'Mã giao dịch ngân hàng', width: 26 },
    { header: 'Nguồn', width: 12 },
    { header: 'Ngày', width: 12 },
    { header: 'Số tiền (đồng)', width: 16 },
    { header: 'Nội dung', width: 44 },
    { header: 'Trạng thái', width: 14 },
    { header: 'Vấn đề', width: 40 },
  ];
  for (const x of r.txns) t.addRow([x.bankRef, x.source === 'gateway' ? 'Cổng TT' : 'Sao kê', x.txnDate, x.amountVnd, x.description, TXN_STATE[x.state], x.state === 'queued' && x.issue ? ISSUE_LABELS[x.issue] : '']);
  t.getColumn(4).numFmt = '#,##0';
  const p = wb.addWorksheet('Chưa nộp');
  p.columns = [
    { header: 'Mã thanh toán', width: 24 },
    { header: 'Mã hồ sơ', width: 22 },
    { header: 'Số tiền (đồng)', width: 16 },
  ];
  for (const x of r.pending) p.addRow([x.reference, x.dossierCode, x.amountVnd]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
