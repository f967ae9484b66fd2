/**
 * The electronic receipt (biên lai thu phí, lệ phí điện tử), drawn with the
 * forms' page kit so it has the same font (Roboto, every Vietnamese diacritic)
 * and national-motto header. Pure apart from the font files.
 */
import { issuerOf, vnParts } from '../dossiers/forms/format.js';
import { FormPdf } from '../dossiers/forms/pdf.js';
import type { Receipt } from './payments.store.js';
import { formatReceiptNo } from './receipt-series.js';
import { amountInWords, formatVnd } from './words.js';

export interface ReceiptPaper extends Receipt {
  reference: string;
  paidVia: 'gateway' | 'statement' | 'manual' | null;
}

const VIA: Record<'gateway' | 'statement' | 'manual', string> = {
  gateway: 'Chuyển khoản (cổng thanh toán xác nhận)',
  statement: 'Chuyển khoản (đối chiếu sao kê ngân hàng)',
  manual: 'Chuyển khoản (kế toán đối chiếu)',
};

export async function renderReceiptPdf(r: ReceiptPaper): Promise<Buffer> {
  const issuer = issuerOf(r.communeCode);
  const no = formatReceiptNo(r.no);
  const pdf = new FormPdf({ title: `Biên lai thu phí, lệ phí ${r.symbol} số ${no}` });
  pdf.header({ issuer });
  pdf.refLine(`Ký hiệu: ${r.symbol}\nSố: ${no}`, issuer.place, vnParts(r.issuedAt).date);
  pdf.title('BIÊN LAI THU PHÍ, LỆ PHÍ', '(Biên lai điện tử)');
  if (r.cancelledAt) pdf.para(`ĐÃ HUỶ — ${r.cancelReason ?? ''}`, { font: 'bold', size: 13, align: 'center', after: 10 });
  const size = 12.5;
  pdf.field('Tên đơn vị thu', `Ủy ban nhân dân ${issuer.communeName}`, { size });
  pdf.field('Người nộp', r.payerName, { size });
  pdf.field('Nội dung thu', `Phí, lệ phí thủ tục ${r.procedureName} (mã thủ tục ${r.procedureCode})`, { size });
  pdf.field('Mã hồ sơ', r.dossierCode, { size });
  pdf.field('Mã thanh toán', r.reference, { size });
  pdf.field('Số tiền', `${formatVnd(r.amountVnd)} đồng`, { size });
  pdf.field('Bằng chữ', amountInWords(r.amountVnd), { size });
  if (r.paidVia) pdf.field('Hình thức thanh toán', VIA[r.paidVia], { size });
  pdf.space(16);
  // Say what is true: the receipt is issued by the system when the money is confirmed; it carries no digital signature yet.
  pdf.para('Biên lai do hệ thống Xã Số lập khi xác nhận đã nhận tiền vào tài khoản thu của xã. Biên lai chưa được ký số.', { font: 'italic', size: 10.5 });
  return pdf.end();
}
