/**
 * The applicant's receipts: mẫu số 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả
 * (issued at reception), and before it the receipt of a dossier submitted but
 * not yet received. Both carry a QR code to the public tracking page.
 */
import QRCode from 'qrcode';
import { dateWords, dmy, FORM_TITLES, instantWords, SUBMISSION_RECEIPT_TITLES, timeWords, ubndShort, vnParts, weekday } from './format.js';
import { FormPdf } from './pdf.js';
import type { Applicant, ReceiptData, SubmissionReceiptData } from './types.js';

const RECEIPT_TITLE = FORM_TITLES['01'][0];

const count = (n: number) => (n > 0 ? String(n).padStart(2, '0') : '');

const QR_SIZE = 84;
const QR_INSET = QR_SIZE + 12;

function qrCode(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { errorCorrectionLevel: 'M', margin: 1, scale: 4 });
}

/** Places the QR code at the right margin and returns its top; text beside it is inset by `QR_INSET`. */
function placeQr(pdf: FormPdf, qr: Buffer): number {
  pdf.ensure(QR_SIZE + 20);
  const qrY = pdf.y + 2;
  pdf.doc.image(qr, pdf.right - QR_SIZE, qrY, { width: QR_SIZE, height: QR_SIZE });
  pdf.font('italic', 8.5);
  pdf.at('Quét mã để tra cứu hồ sơ', pdf.right - QR_SIZE - 6, qrY + QR_SIZE + 1, QR_SIZE + 12, { align: 'center' });
  return qrY;
}

function contactLine(a: Applicant, how: string): string {
  return [a.phone ? `Điện thoại: ${a.phone}` : '', a.email ? `Thư điện tử: ${a.email}` : '', `Hình thức: ${how}`].filter(Boolean).join('   ·   ');
}

export async function renderReceipt(d: ReceiptData): Promise<Buffer> {
  const qr = await qrCode(d.trackingUrl);
  const pdf = new FormPdf({ title: `Mẫu số 01 — ${RECEIPT_TITLE} — ${d.dossierCode}` });
  pdf.header({ formNo: '01', issuer: d.issuer, unit: 'Bộ phận một cửa' });
  pdf.refLine('', d.issuer.place, vnParts(d.issuedAt).date);
  pdf.title(RECEIPT_TITLE, `Mã hồ sơ: ${d.dossierCode}`);

  const size = 11.5;
  pdf.para(`Bộ phận một cửa ${ubndShort(d.issuer)} tiếp nhận hồ sơ của:`, { size });
  pdf.field('Ông/Bà', d.applicant.name, { size });
  pdf.field('Địa chỉ', d.applicant.address || '…', { size });
  pdf.field('Nội dung yêu cầu giải quyết', `${d.procedure.name} (mã thủ tục ${d.procedure.code})`, { size });
  const how = d.channel === 'online' ? 'nộp trực tuyến' : d.channel === 'field' ? 'Tổ công nghệ số cộng đồng hỗ trợ nộp' : 'nộp trực tiếp';
  pdf.para(contactLine(d.applicant, how), { size });
  pdf.para('1. Thành phần hồ sơ nộp gồm:', { size, font: 'bold' });
  if (d.papers.length) {
    pdf.table(
      [
        { header: 'TT', width: 28, align: 'center' },
        { header: 'Tên loại giấy tờ', width: 300 },
        { header: 'Bản chính', width: 44, align: 'center' },
        { header: 'Bản sao chứng thực', width: 56, align: 'center' },
        { header: 'Bản photo', width: 40, align: 'center' },
      ],
      d.papers.map((p, i) => [String(i + 1), p.files > 0 ? `${p.name} (đã tải lên ${p.files} tệp)` : p.name, count(p.originals), count(p.certifiedCopies), count(p.photocopies)]),
      { size: 9, headerSize: 9 },
    );
  } else {
    pdf.para('Theo hồ sơ người nộp đã đính kèm.', { size, indent: 14 });
  }
  // Items 2–7 run beside the QR code to the public tracking page.
  const qrY = placeQr(pdf, qr);
  const inset = QR_INSET;
  const lines: [string, 'regular' | 'bold'][] = [
    [`2. Số lượng hồ sơ: ${String(d.sets).padStart(2, '0')} (bộ).`, 'regular'],
    [`3. Thời gian giải quyết hồ sơ theo quy định: ${d.workingDays === 0 ? 'trong ngày' : `${d.workingDays} ngày làm việc`}.`, 'regular'],
    [`4. Thời gian nhận hồ sơ: ${instantWords(d.receivedAt)}.`, 'regular'],
  ];
  const appointment = d.appointment.date ? `${timeWords(d.appointment.time)}, ${weekday(d.appointment.date)}, ${dateWords(d.appointment.date)}` : 'chưa xác định được, Bộ phận một cửa sẽ thông báo sau';
  lines.push([`5. Thời gian trả kết quả giải quyết hồ sơ: ${appointment}.`, 'bold']);
  for (const [text, font] of lines) pdf.para(text, { size, font, inset, after: 3 });
  if (d.currentDue) pdf.para(`(Ngày hẹn trả hiện nay, sau khi tạm dừng hoặc gia hạn: ${weekday(d.currentDue)}, ${dmy(d.currentDue)}.)`, { size: 11, font: 'italic', indent: 14, inset, after: 3 });
  pdf.para(`6. Nơi trả kết quả: ${d.returnAt.text}.`, { size, inset, after: 3 });
  pdf.para(`7. Phí, lệ phí: ${d.fees.map((f) => `${f.label}: ${f.text}`).join('; ')}.`, { size, inset, after: 3 });
  pdf.y = Math.max(pdf.y, qrY + QR_SIZE + 14);
  pdf.para(`Vào Sổ theo dõi hồ sơ, Quyển số: ${d.bookEntry.book}, Số thứ tự: ${d.bookEntry.no}.`, { size, font: 'italic', after: 2 });
  pdf.para(`Tra cứu tình trạng hồ sơ: ${d.trackingUrl}`, { size: 10, after: 0 });

  pdf.signatures([
    { title: 'NGƯỜI NỘP HỒ SƠ', hint: d.channel === 'online' ? '(Nộp trực tuyến, không cần ký)' : '(Ký và ghi rõ họ tên)', name: d.applicant.name },
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: d.receivedBy },
  ], { room: 44 });
  return pdf.end();
}

/**
 * The receipt of a dossier submitted and waiting for reception: the code, when
 * it was sent, the papers attached, the tracking QR. It promises no
 * appointment: the clock starts only when an officer finds the papers complete
 * and receives the dossier, and that is when form 01 is issued.
 */
export async function renderSubmissionReceipt(d: SubmissionReceiptData): Promise<Buffer> {
  const qr = await qrCode(d.trackingUrl);
  const online = d.channel === 'online';
  const title = online ? SUBMISSION_RECEIPT_TITLES.online : SUBMISSION_RECEIPT_TITLES.assisted;
  const pdf = new FormPdf({ title: `${title} — ${d.dossierCode}` });
  pdf.header({ issuer: d.issuer, unit: 'Bộ phận một cửa' });
  pdf.refLine('', d.issuer.place, vnParts(d.submittedAt).date);
  pdf.title(title, `Mã hồ sơ: ${d.dossierCode}`);
  pdf.para(SUBMISSION_RECEIPT_TITLES.note, { size: 10.5, font: 'italic', align: 'center', after: 8 });

  const size = 11.5;
  const office = `Bộ phận một cửa ${ubndShort(d.issuer)}`;
  const by = d.assistedBy ? ` (${d.assistedBy})` : '';
  const intro =
    d.channel === 'online'
      ? `Hồ sơ dưới đây đã được nộp trực tuyến đến ${office}:`
      : d.channel === 'counter'
        ? `Hồ sơ dưới đây đã được nộp tại ${office}, cán bộ nộp thay người dân${by}:`
        : `Hồ sơ dưới đây đã được nộp đến ${office}, với sự hỗ trợ của Tổ công nghệ số cộng đồng${by}:`;
  pdf.para(intro, { size });
  pdf.field('Ông/Bà', d.applicant.name, { size });
  pdf.field('Địa chỉ', d.applicant.address || '…', { size });
  pdf.field('Nội dung yêu cầu giải quyết', `${d.procedure.name} (mã thủ tục ${d.procedure.code})`, { size });
  const how = online ? 'nộp trực tuyến' : d.channel === 'field' ? 'Tổ công nghệ số cộng đồng hỗ trợ nộp' : 'nộp tại Bộ phận một cửa';
  pdf.para(contactLine(d.applicant, how), { size });

  pdf.para('1. Giấy tờ đã nộp (tệp điện tử):', { size, font: 'bold' });
  const rows = d.papers.map((p, i) => [String(i + 1), p.name, p.files > 0 ? `${count(p.files)} tệp` : 'Chưa nộp']);
  if (d.otherFiles > 0) rows.push([String(rows.length + 1), 'Giấy tờ khác', `${count(d.otherFiles)} tệp`]);
  if (rows.length) {
    pdf.table(
      [
        { header: 'TT', width: 28, align: 'center' },
        { header: 'Tên loại giấy tờ', width: 360 },
        { header: 'Tệp đã nộp', width: 80, align: 'center' },
      ],
      rows,
      { size: 9, headerSize: 9 },
    );
  } else {
    pdf.para('Không có tệp đính kèm.', { size, indent: 14 });
  }

  const qrY = placeQr(pdf, qr);
  const inset = QR_INSET;
  const lines: [string, 'regular' | 'bold'][] = [
    [`2. Thời gian nộp hồ sơ: ${instantWords(d.submittedAt)}.`, 'regular'],
    [`3. Thời gian giải quyết theo quy định: ${d.workingDays === 0 ? 'trong ngày' : `${d.workingDays} ngày làm việc`}, tính từ khi hồ sơ được tiếp nhận.`, 'regular'],
    ['4. Ngày hẹn trả kết quả: sẽ ghi khi cán bộ tiếp nhận hồ sơ (hồ sơ đủ giấy tờ).', 'bold'],
    [`5. Tình trạng hồ sơ lúc ${instantWords(d.statusAt)}: ${d.status}.`, 'regular'],
    [`6. Phí, lệ phí: ${d.fees.map((f) => `${f.label}: ${f.text}`).join('; ')}.`, 'regular'],
  ];
  for (const [text, font] of lines) pdf.para(text, { size, font, inset, after: 3 });
  pdf.y = Math.max(pdf.y, qrY + QR_SIZE + 14);

  pdf.para(
    `${office} kiểm tra hồ sơ. Hồ sơ đủ giấy tờ thì được tiếp nhận và có Giấy tiếp nhận hồ sơ và hẹn trả kết quả; hồ sơ còn thiếu thì Ông/Bà được báo một lần tất cả những gì cần bổ sung.`,
    { size, align: 'justify', after: 3 },
  );
  pdf.para(
    online
      ? 'Khi hồ sơ được tiếp nhận, giấy hẹn trả kết quả có trong mục “Hồ sơ của tôi” trên Xã Số.'
      : `Khi hồ sơ được tiếp nhận, Ông/Bà nhận giấy hẹn trả kết quả tại ${office}, hoặc trong mục “Hồ sơ của tôi” nếu có tài khoản Xã Số.`,
    { size, align: 'justify', after: 3 },
  );
  pdf.para(`Tra cứu tình trạng hồ sơ: ${d.trackingUrl}`, { size: 10, after: 6 });

  if (online) {
    pdf.para('Giấy này do hệ thống Xã Số tự động cấp khi hồ sơ được nộp, không cần chữ ký.', { size: 10.5, font: 'italic' });
  } else {
    pdf.signatures(
      [
        { title: 'NGƯỜI NỘP HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: d.applicant.name },
        { title: d.channel === 'counter' ? 'CÁN BỘ NỘP THAY' : 'NGƯỜI HỖ TRỢ NỘP', hint: '(Ký và ghi rõ họ tên)', ...(d.assistedBy ? { name: d.assistedBy } : {}) },
      ],
      { room: 44 },
    );
  }
  return pdf.end();
}
