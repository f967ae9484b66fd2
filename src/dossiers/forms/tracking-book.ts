/** Mẫu số 07: Sổ theo dõi hồ sơ (tracking book), as an Excel workbook and as a PDF. */
import ExcelJS from 'exceljs';
import { dmy, FORM_TITLES, instantShort, PROGRESS_LABELS, ubndUpper } from './format.js';
import { FormPdf } from './pdf.js';
import type { BookRow, TrackingBookData } from './types.js';

const VN_OFFSET_MS = 7 * 3_600_000;

export const BOOK_COLUMNS = [
  { header: 'STT', key: 'no', width: 6 },
  { header: 'Số vào sổ', key: 'entry', width: 11 },
  { header: 'Mã hồ sơ', key: 'code', width: 20 },
  { header: 'Người nộp', key: 'applicant', width: 24 },
  { header: 'Mã thủ tục', key: 'procedureCode', width: 12 },
  { header: 'Tên thủ tục', key: 'procedureName', width: 44 },
  { header: 'Ngày nhận', key: 'received', width: 17 },
  { header: 'Hẹn trả', key: 'due', width: 12 },
  { header: 'Ngày có kết quả', key: 'decided', width: 17 },
  { header: 'Ngày trả kết quả', key: 'returned', width: 17 },
  { header: 'Tình trạng', key: 'status', width: 22 },
  { header: 'Tiến độ', key: 'progress', width: 12 },
] as const;

/** Column widths on the landscape page, in points (dates and codes must not break). */
const PDF_WIDTHS: Record<(typeof BOOK_COLUMNS)[number]['key'], number> = {
  no: 24,
  entry: 42,
  code: 92,
  applicant: 84,
  procedureCode: 48,
  procedureName: 136,
  received: 60,
  due: 52,
  decided: 60,
  returned: 60,
  status: 56,
  progress: 48,
};

/** Excel has no time zones: a Vietnamese wall-clock time is written as that time in UTC. */
function excelLocal(at: Date): Date {
  return new Date(at.getTime() + VN_OFFSET_MS);
}
function excelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

export interface BookSummary {
  total: number;
  early: number;
  onTime: number;
  late: number;
  inTime: number;
  overdue: number;
}

export function summarise(rows: readonly BookRow[]): BookSummary {
  const n = (p: BookRow['progress']) => rows.filter((r) => r.progress === p).length;
  return { total: rows.length, early: n('early'), onTime: n('on_time'), late: n('late'), inTime: n('in_time'), overdue: n('overdue') };
}

function summaryText(s: BookSummary): string {
  return (
    `Tổng số: ${s.total} hồ sơ. Đã có kết quả: sớm hạn ${s.early}, đúng hạn ${s.onTime}, quá hạn ${s.late}. ` +
    `Đang giải quyết: còn hạn ${s.inTime}, đã quá hạn ${s.overdue}.`
  );
}

const period = (d: TrackingBookData) => `Từ ngày ${dmy(d.from)} đến ngày ${dmy(d.to)}`;

/** The book as an .xlsx workbook: dates are real dates (sortable, filterable), the heading row is frozen. */
export async function renderTrackingBookXlsx(d: TrackingBookData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xã Số';
  wb.created = d.generatedAt;
  wb.modified = d.generatedAt;
  const ws = wb.addWorksheet('Sổ theo dõi hồ sơ', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 5 }],
  });
  const last = BOOK_COLUMNS.length;
  ws.columns = BOOK_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  ws.mergeCells(1, 1, 1, 6);
  ws.getCell(1, 1).value = ubndUpper(d.issuer);
  ws.getCell(1, 1).font = { bold: true };
  ws.getCell(1, last).value = 'Mẫu số 07';
  ws.getCell(1, last).font = { italic: true };
  ws.mergeCells(2, 1, 2, last);
  ws.getCell(2, 1).value = FORM_TITLES['07'][0];
  ws.getCell(2, 1).font = { bold: true, size: 14 };
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(3, 1, 3, last);
  ws.getCell(3, 1).value = period(d);
  ws.getCell(3, 1).alignment = { horizontal: 'center' };
  ws.getCell(3, 1).font = { italic: true };

  const head = ws.getRow(5);
  head.values = BOOK_COLUMNS.map((c) => c.header);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
  });

  d.rows.forEach((r, i) => {
    const row = ws.getRow(6 + i);
    row.values = {
      no: i + 1,
      entry: `${r.entryNo}/${r.book}`,
      code: r.code,
      applicant: r.applicant,
      procedureCode: r.procedureCode,
      procedureName: r.procedureName,
      received: excelLocal(r.receivedAt),
      due: r.due ? excelDate(r.due) : null,
      decided: r.decidedAt ? excelLocal(r.decidedAt) : null,
      returned: r.returnedAt ? excelLocal(r.returnedAt) : null,
      status: r.status,
      progress: PROGRESS_LABELS[r.progress] || null,
    };
    row.getCell('received').numFmt = 'dd/mm/yyyy hh:mm';
    row.getCell('due').numFmt = 'dd/mm/yyyy';
    row.getCell('decided').numFmt = 'dd/mm/yyyy hh:mm';
    row.getCell('returned').numFmt = 'dd/mm/yyyy hh:mm';
    row.alignment = { vertical: 'top', wrapText: true };
  });
  const end = 5 + d.rows.length;
  for (let r = 5; r <= end; r++) {
    for (let c = 1; c <= last; c++) {
      ws.getCell(r, c).border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    }
  }
  ws.autoFilter = { from: { row: 5, column: 1 }, to: { row: Math.max(end, 5), column: last } };
  const foot = ws.getRow(end + 2);
  foot.getCell(1).value = summaryText(summarise(d.rows));
  ws.mergeCells(end + 2, 1, end + 2, last);
  ws.getRow(end + 3).getCell(1).value = `Lập lúc ${instantShort(d.generatedAt)} (giờ Việt Nam).`;
  ws.getRow(end + 3).getCell(1).font = { italic: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same book as a landscape PDF for printing and signing. */
export function renderTrackingBookPdf(d: TrackingBookData): Promise<Buffer> {
  const [title] = FORM_TITLES['07'];
  const pdf = new FormPdf({ title: `Mẫu số 07 — ${title} — ${d.issuer.communeName} — ${period(d)}`, landscape: true });
  pdf.header({ formNo: '07', issuer: d.issuer, unit: 'Bộ phận một cửa' });
  pdf.title(title, period(d));
  const cols = BOOK_COLUMNS.map((c) => ({ header: c.header, width: PDF_WIDTHS[c.key], align: c.key === 'no' || c.key === 'entry' ? ('center' as const) : ('left' as const) }));
  pdf.table(
    cols,
    d.rows.map((r, i) => [
      String(i + 1),
      `${r.entryNo}/${r.book}`,
      r.code,
      r.applicant,
      r.procedureCode,
      r.procedureName,
      instantShort(r.receivedAt),
      r.due ? dmy(r.due) : '',
      r.decidedAt ? instantShort(r.decidedAt) : '',
      r.returnedAt ? instantShort(r.returnedAt) : '',
      r.status,
      PROGRESS_LABELS[r.progress],
    ]),
    { size: 8, headerSize: 8 },
  );
  if (d.rows.length === 0) pdf.para('Không có hồ sơ nào được tiếp nhận trong thời gian này.', { size: 11, font: 'italic' });
  pdf.para(summaryText(summarise(d.rows)), { size: 11 });
  pdf.para(`Lập lúc ${instantShort(d.generatedAt)} (giờ Việt Nam).`, { size: 10, font: 'italic', after: 6 });
  pdf.signatures([{ title: 'NGƯỜI LẬP SỔ', hint: '(Ký và ghi rõ họ tên)' }], { room: 50 });
  return pdf.end();
}
