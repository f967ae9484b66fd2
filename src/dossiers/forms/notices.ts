/**
 * The one-page notices an action produces: 02 request to supplement, 03
 * refusal, 04 apology with a new appointment, 05 notice of stopping.
 */
import { dateWords, dmy, FORM_TITLES, instantWords, procedurePhrase, ubndShort, vnParts, weekday } from './format.js';
import { FormPdf } from './pdf.js';
import type { ApologyData, DossierFormBase, RefusalData, StopData, SupplementData } from './types.js';

const SIZE = 13;

function about(d: DossierFormBase): string {
  return `${procedurePhrase(d.procedure.name)} (mã thủ tục ${d.procedure.code}), mã hồ sơ ${d.dossierCode}`;
}

function addressee(pdf: FormPdf, d: DossierFormBase): void {
  pdf.field('Kính gửi Ông/Bà', d.applicant.name, { size: SIZE });
  if (d.applicant.address) pdf.field('Địa chỉ', d.applicant.address, { size: SIZE });
  pdf.space(4);
}

function start(no: '02' | '03' | '04' | '05', d: DossierFormBase, letter: boolean): FormPdf {
  const [title, ...sub] = FORM_TITLES[no];
  const pdf = new FormPdf({ title: `Mẫu số ${no} — ${title} — ${d.dossierCode}` });
  // 02 and 03 come from the one-stop shop; 04 and 05 are letters of the People's Committee.
  pdf.header({ formNo: no, issuer: d.issuer, ...(letter ? {} : { unit: 'Bộ phận một cửa' }) });
  pdf.refLine(letter ? 'Số: ………' : `Mã hồ sơ: ${d.dossierCode}`, d.issuer.place, vnParts(d.issuedAt).date);
  pdf.title(title, ...sub);
  addressee(pdf, d);
  return pdf;
}

/** Mẫu số 02: everything missing, listed completely and in one go. */
export function renderSupplementRequest(d: SupplementData): Promise<Buffer> {
  const pdf = start('02', d, false);
  pdf.para(`Bộ phận một cửa ${ubndShort(d.issuer)} đã nhận hồ sơ của Ông/Bà đề nghị giải quyết ${about(d)}.`, { size: SIZE, align: 'justify' });
  pdf.para(`Sau khi xem xét, ${d.reason}`, { size: SIZE, align: 'justify' });
  pdf.para('Đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:', { size: SIZE, font: 'bold' });
  pdf.list(d.items, { numbered: true, size: SIZE });
  pdf.para(
    'Các nội dung trên đã được nêu đầy đủ, một lần. Thời gian chờ bổ sung không tính vào thời hạn giải quyết; thời hạn được tính tiếp từ khi Ông/Bà nộp đủ giấy tờ bổ sung, ' +
      `trực tuyến trên tài khoản của Ông/Bà hoặc trực tiếp tại Bộ phận một cửa ${ubndShort(d.issuer)}.`,
    { size: SIZE, align: 'justify' },
  );
  pdf.para(`Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${d.contact} để được hướng dẫn.`, { size: SIZE, align: 'justify', after: 10 });
  pdf.signatures([{ title: 'NGƯỜI HƯỚNG DẪN', hint: '(Ký và ghi rõ họ tên)', name: d.officer }]);
  return pdf.end();
}

/** Mẫu số 03: refusal, with every reason. */
export function renderRefusal(d: RefusalData): Promise<Buffer> {
  const pdf = start('03', d, false);
  pdf.para(`Bộ phận một cửa ${ubndShort(d.issuer)} đã nhận hồ sơ của Ông/Bà đề nghị giải quyết ${about(d)}, nộp lúc ${instantWords(d.submittedAt)}.`, { size: SIZE, align: 'justify' });
  pdf.para('Qua xem xét, Bộ phận một cửa từ chối tiếp nhận, giải quyết hồ sơ này vì những lý do sau:', { size: SIZE, font: 'bold' });
  pdf.list(d.reasons, { numbered: d.reasons.length > 1, size: SIZE });
  pdf.para('Xin thông báo để Ông/Bà biết. Ông/Bà có quyền phản ánh, kiến nghị về việc từ chối này theo quy định.', { size: SIZE, align: 'justify', after: 10 });
  pdf.signatures([{ title: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: d.officer }]);
  return pdf.end();
}

const receivedClause = (d: { receivedAt: Date | null }) => (d.receivedAt ? `${dateWords(vnParts(d.receivedAt).date).replace(/^ngày/, 'Ngày')}, ` : '');

/** Mẫu số 04: an apology and a new appointment, sent before the old one passes. */
export function renderApology(d: ApologyData): Promise<Buffer> {
  const pdf = start('04', d, true);
  const old = d.previousDue ? ` và hẹn trả kết quả vào ${weekday(d.previousDue)}, ngày ${dmy(d.previousDue)}` : '';
  pdf.para(`${receivedClause(d)}${ubndShort(d.issuer)} tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết ${about(d)}${old}.`, { size: SIZE, align: 'justify' });
  pdf.para(`Đến nay, ${ubndShort(d.issuer)} chưa thể trả kết quả đúng hẹn. Lý do: ${d.reason}`, { size: SIZE, align: 'justify' });
  pdf.para(`${ubndShort(d.issuer)} xin lỗi Ông/Bà vì sự chậm trễ này và xin hẹn lại ngày trả kết quả như sau:`, { size: SIZE, align: 'justify' });
  pdf.field('Ngày hẹn trả cũ', d.previousDue ? `${weekday(d.previousDue)}, ${dmy(d.previousDue)}` : 'không có', { size: SIZE, indent: 14 });
  pdf.field('Ngày hẹn trả mới', `${weekday(d.newDue)}, ${dmy(d.newDue)}`, { size: SIZE, indent: 14 });
  pdf.para('Rất mong Ông/Bà thông cảm.', { size: SIZE, after: 8 });
  pdf.closing(['Như trên;', 'Bộ phận một cửa;', 'Lưu: hồ sơ.', `Người lập: ${d.officer}.`], { title: 'TM. ỦY BAN NHÂN DÂN', hint: '(Ký, ghi rõ họ tên, đóng dấu)' });
  return pdf.end();
}

/** Mẫu số 05: the notice that the dossier will not be decided, and why. */
export function renderStopNotice(d: StopData): Promise<Buffer> {
  const pdf = start('05', d, true);
  pdf.para(`${receivedClause(d)}${ubndShort(d.issuer)} tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết ${about(d)}.`, { size: SIZE, align: 'justify' });
  pdf.para(`${ubndShort(d.issuer)} thông báo dừng giải quyết hồ sơ nêu trên vì những lý do sau:`, { size: SIZE, font: 'bold' });
  pdf.list(d.reasons, { numbered: d.reasons.length > 1, size: SIZE });
  pdf.para(`Ông/Bà liên hệ Bộ phận một cửa ${ubndShort(d.issuer)} để nhận lại giấy tờ đã nộp (nếu có) và được hướng dẫn.`, { size: SIZE, align: 'justify', after: 8 });
  pdf.closing(['Như trên;', 'Bộ phận một cửa;', 'Lưu: hồ sơ.', `Người lập: ${d.officer}.`], { title: 'TM. ỦY BAN NHÂN DÂN', hint: '(Ký, ghi rõ họ tên, đóng dấu)' });
  return pdf.end();
}
