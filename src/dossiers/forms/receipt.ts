/** Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment). */
import QRCode from 'qrcode';
import { dateWords, dmy, FORM_TITLES, instantWords, timeWords, ubndShort, vnParts, weekday } from './format.js';
import { FormPdf } from './pdf.js';
import type { ReceiptData } from './types.js';

const RECEIPT_TITLE = FORM_TITLES['01'][0];

const count = (n: number) => (n > 0 ? String(n).padStart(2, '0') : '');

export async function renderReceipt(d: ReceiptData): Promise<Buffer> {
  const qr = await QRCode.toBuffer(d.trackingUrl, { errorCorrectionLevel: 'M', margin: 1, scale: 4 });
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
  const contact = [d.applicant.phone ? `Điện thoại: ${d.applicant.phone}` : '', d.applicant.email ? `Thư điện tử: ${d.applicant.email}` : '', `Hình thức: ${how}`].filter(Boolean).join('   ·   ');
  pdf.para(contact, { size });
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
  const qrSize = 84;
  const inset = qrSize + 12;
  pdf.ensure(qrSize + 20);
  const qrY = pdf.y + 2;
  pdf.doc.image(qr, pdf.right - qrSize, qrY, { width: qrSize, height: qrSize });
  pdf.font('italic', 8.5);
  pdf.at('Quét mã để tra cứu hồ sơ', pdf.right - qrSize - 6, qrY + qrSize + 1, qrSize + 12, { align: 'center' });
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
  pdf.y = Math.max(pdf.y, qrY + qrSize + 14);
  pdf.para(`Vào Sổ theo dõi hồ sơ, Quyển số: ${d.bookEntry.book}, Số thứ tự: ${d.bookEntry.no}.`, { size, font: 'italic', after: 2 });
  pdf.para(`Tra cứu tình trạng hồ sơ: ${d.trackingUrl}`, { size: 10, after: 0 });

  pdf.signatures([
    { title: 'NGƯỜI NỘP HỒ SƠ', hint: d.channel === 'online' ? '(Nộp trực tuyến, không cần ký)' : '(Ký và ghi rõ họ tên)', name: d.applicant.name },
    { title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: d.receivedBy },
  ], { room: 44 });
  return pdf.end();
}
