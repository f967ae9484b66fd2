/** The commune's monthly report as an Excel workbook and as a PDF (Roboto: Vietnamese diacritics render). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { percent, per100, type MonthlyReport, type VillageCoverage } from './teams.coverage.js';
import { monthLabel, vnDate } from './teams.schema.js';

const COLUMNS: { header: string; width: number; value: (v: VillageCoverage) => number | string | null }[] = [
  { header: 'Thôn, ấp, tổ dân phố', width: 28, value: (v) => v.name },
  { header: 'Số hộ', width: 9, value: (v) => v.households },
  { header: 'Số tổ', width: 7, value: (v) => v.teams },
  { header: 'Thành viên', width: 10, value: (v) => v.members },
  { header: 'Lượt đi trong tháng', width: 11, value: (v) => v.period.visits },
  { header: 'Hộ đã đến trong tháng', width: 11, value: (v) => v.period.householdsVisited },
  { header: 'Kích hoạt VNeID mức 2', width: 11, value: (v) => v.period.eid },
  { header: 'Tạo tài khoản DVC', width: 11, value: (v) => v.period.accounts },
  { header: 'Nộp hồ sơ trực tuyến giúp', width: 11, value: (v) => v.period.dossiers },
  { header: 'Cài thanh toán không tiền mặt', width: 12, value: (v) => v.period.cashless },
  { header: 'Cài ứng dụng', width: 10, value: (v) => v.period.apps },
  { header: 'Buổi tập huấn', width: 9, value: (v) => v.period.sessions },
  { header: 'Người dự tập huấn', width: 10, value: (v) => v.period.trainees },
  { header: 'Hộ đã đến (lũy kế, ước tính)', width: 12, value: (v) => v.reached },
  { header: 'Độ phủ hộ (lũy kế)', width: 10, value: (v) => v.coverage },
  { header: 'VNeID mức 2 trên 100 hộ (lũy kế)', width: 12, value: (v) => (v.eidPer100 === null ? null : Math.round(v.eidPer100 * 10) / 10) },
  { header: 'Hồ sơ trực tuyến trên 100 hộ (lũy kế)', width: 12, value: (v) => (v.onlinePer100 === null ? null : Math.round(v.onlinePer100 * 10) / 10) },
];

export function reportFileName(r: MonthlyReport, ext: 'xlsx' | 'pdf'): string {
  return `bao-cao-to-cns-${r.communeCode}-${r.month}.${ext}`;
}

export async function monthlyReportXlsx(r: MonthlyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xã Số';
  wb.created = new Date();
  const ws = wb.addWorksheet('Báo cáo tháng', { views: [{ state: 'frozen', ySplit: 5 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));
  ws.addRow([`Báo cáo hoạt động tổ công nghệ số cộng đồng — ${r.communeName}, ${r.provinceName}`]).font = { bold: true, size: 14 };
  ws.addRow([`${monthLabel(r.month)[0]!.toUpperCase()}${monthLabel(r.month).slice(1)} (từ ${vnDate(r.from)} đến ${vnDate(r.to)}); lập ngày ${vnDate(r.generatedOn)}`]);
  ws.addRow(['"Hộ đã đến (lũy kế)" là tổng số hộ đã đến qua các lần ghi, không vượt quá số hộ của thôn: số ước tính.']).font = { italic: true };
  ws.addRow([]);
  const header = ws.addRow(COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.height = 60;
  for (const v of r.villages) {
    const row = ws.addRow(COLUMNS.map((c) => c.value(v)));
    row.getCell(15).numFmt = '0.0%';
  }
  const t = r.totals;
  const total = ws.addRow([
    'Toàn xã',
    t.households,
    t.teams,
    t.members,
    t.visits,
    t.householdsVisited,
    t.eid,
    t.accounts,
    t.dossiers,
    t.cashless,
    t.apps,
    t.sessions,
    t.trainees,
    t.reached,
    t.coverage,
    t.eidPer100 === null ? null : Math.round(t.eidPer100 * 10) / 10,
    t.onlinePer100 === null ? null : Math.round(t.onlinePer100 * 10) / 10,
  ]);
  total.font = { bold: true };
  total.getCell(15).numFmt = '0.0%';

  const lag = wb.addWorksheet('Thôn cần ưu tiên');
  lag.columns = [{ width: 6 }, { width: 30 }, { width: 10 }, { width: 14 }, { width: 12 }, { width: 14 }];
  lag.addRow(['Thôn, ấp, tổ dân phố có độ phủ thấp nhất (ưu tiên đến trước)']).font = { bold: true, size: 13 };
  lag.addRow([]);
  lag.addRow(['Thứ tự', 'Thôn, ấp, tổ dân phố', 'Số hộ', 'Hộ đã đến (lũy kế)', 'Độ phủ hộ', 'VNeID trên 100 hộ']).font = { bold: true };
  r.lagging.forEach((v, i) => {
    lag.addRow([i + 1, v.name, v.households, v.reached, v.coverage, v.eidPer100 === null ? null : Math.round(v.eidPer100 * 10) / 10]).getCell(5).numFmt = '0.0%';
  });
  if (r.unknown.length) {
    lag.addRow([]);
    lag.addRow([`Chưa có số hộ (cần nhập để tính độ phủ): ${r.unknown.map((v) => v.name).join(', ')}`]).font = { italic: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const require_ = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require_.resolve('roboto-fontface/package.json')), 'fonts', 'roboto');
const FONT = join(FONT_DIR, 'Roboto-Regular.woff');
const FONT_BOLD = join(FONT_DIR, 'Roboto-Bold.woff');

export async function monthlyReportPdf(r: MonthlyReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: `Báo cáo tổ công nghệ số cộng đồng ${r.communeName} ${r.month}`, Author: 'Xã Số' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('R', FONT);
  doc.registerFont('B', FONT_BOLD);
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.font('B').fontSize(15).text(`Báo cáo hoạt động tổ công nghệ số cộng đồng — ${monthLabel(r.month)}`, { width });
  doc.font('R').fontSize(11).text(`${r.communeName}, ${r.provinceName}. Từ ${vnDate(r.from)} đến ${vnDate(r.to)}; lập ngày ${vnDate(r.generatedOn)}.`, { width });
  doc.moveDown(0.5);
  const t = r.totals;
  doc
    .fontSize(10)
    .text(
      `Toàn xã: ${t.villages} thôn/tổ dân phố, ${t.households.toLocaleString('vi-VN')} hộ, ${t.teams} tổ, ${t.members} thành viên. Trong tháng: ${t.visits} lượt đi, ${t.householdsVisited} hộ được đến, ${t.eid} người kích hoạt VNeID mức 2, ${t.accounts} tài khoản dịch vụ công, ${t.dossiers} hồ sơ nộp trực tuyến giúp, ${t.cashless} người cài thanh toán không tiền mặt, ${t.apps} lượt cài ứng dụng, ${t.sessions} buổi tập huấn với ${t.trainees} người dự. Độ phủ hộ lũy kế: ${percent(t.coverage, 1)}.`,
      { width },
    );
  doc.moveDown(0.5);

  const cols = [
    { h: 'Thôn, ấp, tổ dân phố', w: 150, v: (v: VillageCoverage) => v.name },
    { h: 'Số hộ', w: 45, v: (v: VillageCoverage) => (v.households === null ? '—' : String(v.households)) },
    { h: 'Lượt đi', w: 42, v: (v: VillageCoverage) => String(v.period.visits) },
    { h: 'Hộ đến', w: 42, v: (v: VillageCoverage) => String(v.period.householdsVisited) },
    { h: 'VNeID mức 2', w: 48, v: (v: VillageCoverage) => String(v.period.eid) },
    { h: 'Tài khoản DVC', w: 52, v: (v: VillageCoverage) => String(v.period.accounts) },
    { h: 'Nộp hồ sơ', w: 45, v: (v: VillageCoverage) => String(v.period.dossiers) },
    { h: 'Thanh toán', w: 50, v: (v: VillageCoverage) => String(v.period.cashless) },
    { h: 'Cài ứng dụng', w: 50, v: (v: VillageCoverage) => String(v.period.apps) },
    { h: 'Người dự tập huấn', w: 58, v: (v: VillageCoverage) => String(v.period.trainees) },
    { h: 'Độ phủ hộ (lũy kế)', w: 60, v: (v: VillageCoverage) => percent(v.coverage, 1) },
    { h: 'VNeID /100 hộ', w: 52, v: (v: VillageCoverage) => per100(v.eidPer100) },
    { h: 'Nộp TT /100 hộ', w: 55, v: (v: VillageCoverage) => per100(v.onlinePer100) },
  ];
  const scale = width / cols.reduce((s, c) => s + c.w, 0);
  for (const c of cols) c.w *= scale;

  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'B' : 'R').fontSize(8.5);
    const h = Math.max(...cells.map((text, i) => doc.heightOfString(text, { width: cols[i]!.w - 6 }))) + 6;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      doc.text(text, x + 3, y + 3, { width: cols[i]!.w - 6, align: i === 0 ? 'left' : 'right' });
      x += cols[i]!.w;
    });
    doc.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(0.5).strokeColor('#888888').stroke();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(cols.map((c) => c.h), true);
  for (const v of r.villages) drawRow(cols.map((c) => c.v(v)), false);
  drawRow(
    [
      'Toàn xã',
      String(t.households),
      String(t.visits),
      String(t.householdsVisited),
      String(t.eid),
      String(t.accounts),
      String(t.dossiers),
      String(t.cashless),
      String(t.apps),
      String(t.trainees),
      percent(t.coverage, 1),
      per100(t.eidPer100),
      per100(t.onlinePer100),
    ],
    true,
  );

  doc.moveDown(1);
  doc.font('B').fontSize(11).text('Thôn, ấp, tổ dân phố cần ưu tiên (độ phủ thấp nhất trước)', left, doc.y, { width });
  doc.font('R').fontSize(10);
  const lagging = r.lagging.slice(0, 10);
  if (lagging.length === 0) doc.text('Chưa đủ số liệu: nhập số hộ của từng thôn để tính độ phủ.', { width });
  lagging.forEach((v, i) => doc.text(`${i + 1}. ${v.name}: độ phủ ${percent(v.coverage, 1)}, ${per100(v.eidPer100)} người kích hoạt VNeID trên 100 hộ.`, { width }));
  if (r.unknown.length) doc.text(`Chưa có số hộ: ${r.unknown.map((v) => v.name).join(', ')}.`, { width });
  doc.moveDown(0.5);
  doc.fontSize(8.5).fillColor('#444444').text('"Hộ đã đến" cộng dồn số hộ ghi ở mỗi lần đi, không vượt quá số hộ của thôn: là số ước tính.', { width });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
