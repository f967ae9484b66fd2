/** Mẫu số 06: Phiếu kiểm soát quá trình giải quyết hồ sơ (process control slip). */
import { dmy, FORM_TITLES, instantShort, instantWords, TIMELINESS_LABELS, vnParts } from './format.js';
import { FormPdf } from './pdf.js';
import type { ControlSlipData } from './types.js';

export function renderControlSlip(d: ControlSlipData): Promise<Buffer> {
  const [title] = FORM_TITLES['06'];
  // Eight columns: landscape, so dates and names do not break mid-word.
  const pdf = new FormPdf({ title: `Mẫu số 06 — ${title} — ${d.dossierCode}`, landscape: true });
  pdf.header({ formNo: '06', issuer: d.issuer, unit: 'Bộ phận một cửa' });
  pdf.refLine('', d.issuer.place, vnParts(d.issuedAt).date);
  pdf.title(title, `Mã hồ sơ: ${d.dossierCode}`);
  const size = 12;
  pdf.field('Kèm theo hồ sơ của Ông/Bà', d.applicant.name, { size });
  pdf.field('Thủ tục', `${d.procedure.name} (mã thủ tục ${d.procedure.code})`, { size });
  pdf.field('Thời gian nhận hồ sơ', d.receivedAt ? instantWords(d.receivedAt) : 'chưa tiếp nhận', { size });
  pdf.field('Hẹn trả kết quả', d.dueDate ? dmy(d.dueDate) : 'chưa xác định', { size });
  pdf.field('Tình trạng hiện nay', d.status, { size });
  pdf.space(4);
  pdf.table(
    [
      { header: 'TT', width: 24, align: 'center' },
      { header: 'Bước xử lý', width: 100 },
      { header: 'Giao, nhận hồ sơ', width: 150 },
      { header: 'Thời gian giao, nhận', width: 66, align: 'center' },
      { header: 'Người thực hiện', width: 92 },
      { header: 'Kết quả', width: 200 },
      { header: 'Hạn giải quyết', width: 64, align: 'center' },
      { header: 'Tiến độ', width: 66, align: 'center' },
    ],
    d.rows.map((r) => [
      String(r.no),
      r.step,
      r.from === r.to ? `Tại: ${r.from}` : `Giao: ${r.from}\nNhận: ${r.to}`,
      instantShort(r.at).replace(' ', '\n'),
      r.actor,
      r.result,
      r.dueInForce ? dmy(r.dueInForce) : '—',
      r.timeliness ? TIMELINESS_LABELS[r.timeliness] : 'Chưa tính hạn',
    ]),
    { size: 9.5, headerSize: 9.5 },
  );
  pdf.para(
    'Phiếu lập từ nhật ký xử lý hồ sơ; thời gian theo giờ Việt Nam. Tiến độ của mỗi bước so với hạn giải quyết có hiệu lực tại thời điểm đó: ' +
      'Sớm (trước ngày hạn), Đúng hạn (trong ngày hạn), Quá hạn (sau ngày hạn). Thời gian chờ người nộp bổ sung không tính vào thời hạn.',
    { size: 10, font: 'italic', align: 'justify', after: 6 },
  );
  pdf.signatures([{ title: 'BỘ PHẬN MỘT CỬA', hint: '(Ký và ghi rõ họ tên)' }], { room: 50 });
  return pdf.end();
}
