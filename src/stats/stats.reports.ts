/** The index report as a province sends it up each quarter: Excel and PDF (Roboto: Vietnamese diacritics render). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { IndexResult } from './index766.js';
import { formatValue, measure, received, type Figures } from './measures.js';
import type { Period } from './period.js';

export interface IndexReport {
  unitCode: string;
  unitName: string;
  period: Period;
  previous: Period;
  index: IndexResult;
  previousIndex: IndexResult;
  figures: Figures;
  /** Communes of a province report, worst first (empty for a commune report). */
  communes: { code: string; name: string; index: IndexResult; figures: Figures }[];
  generatedOn: string;
}

const NO_DATA = 'chưa có dữ liệu';
const KEY_MEASURES = ['received', 'online_share', 'on_time_share', 'late_share', 'avg_days', 'p90_days', 'supplements_per_dossier', 'refused', 'apologies', 'rating_avg', 'feedback_received', 'feedback_on_time_share', 'feedback_satisfaction', 'paid_online'];

const num = (v: number | null, d = 2) => (v === null ? NO_DATA : v.toFixed(d).replace('.', ','));
const pct = (v: number | null) => (v === null ? NO_DATA : `${(v * 100).toFixed(1).replace('.', ',')}%`);

export function reportFileName(r: IndexReport, ext: 'xlsx' | 'pdf'): string {
  return `chi-so-766-${r.unitCode}-${r.period.key.replace('..', '_')}.${ext}`;
}

function indicatorRows(r: IndexReport): (string | number)[][] {
  const rows: (string | number)[][] = [];
  r.index.groups.forEach((g, gi) => {
    rows.push([g.label, '', `${g.max}`, g.points === null ? NO_DATA : `${num(g.points)} / ${g.available}`, r.previousIndex.groups[gi]?.points === null ? NO_DATA : num(r.previousIndex.groups[gi]?.points ?? null)]);
    g.indicators.forEach((i, ii) => rows.push([`  ${i.label}`, pct(i.ratio), pct(i.target), i.points === null ? NO_DATA : `${num(i.points)} / ${i.max}`, num(r.previousIndex.groups[gi]?.indicators[ii]?.points ?? null)]));
  });
  return rows;
}

export async function indexReportXlsx(r: IndexReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xã Số';
  const ws = wb.addWorksheet('Chỉ số 766', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  ws.columns = [{ width: 60 }, { width: 14 }, { width: 12 }, { width: 16 }, { width: 14 }];
  ws.addRow([`Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) — ${r.unitName}`]).font = { bold: true, size: 14 };
  ws.addRow([`Kỳ ${r.period.label} (từ ${r.period.from} đến ${r.period.to}); so với ${r.previous.label}; lập ngày ${r.generatedOn}. Phiên bản cách tính ${r.index.version}.`]);
  ws.addRow([`Điểm quy đổi: ${num(r.index.score)} / 100 (kỳ trước ${num(r.previousIndex.score)}), trên ${r.index.available} điểm có dữ liệu; chỉ tiêu "${NO_DATA}" không tính vào mẫu số.`]).font = { bold: true };
  ws.addRow([]);
  ws.addRow(['Nhóm, chỉ tiêu', 'Tỷ lệ', 'Mục tiêu', 'Điểm', 'Kỳ trước']).font = { bold: true };
  for (const row of indicatorRows(r)) ws.addRow(row);
  ws.addRow([]);
  ws.addRow(['Số liệu', 'Kỳ này']).font = { bold: true };
  for (const id of KEY_MEASURES) ws.addRow([measure(id).label, formatValue(measure(id), measure(id).value(r.figures))]);
  if (r.communes.length) {
    const cs = wb.addWorksheet('Xã, phường');
    cs.columns = [{ width: 10 }, { width: 30 }, { width: 12 }, { width: 14 }, { width: 14 }, { width: 14 }];
    cs.addRow(['Mã', 'Xã, phường', 'Điểm', 'Hồ sơ tiếp nhận', 'Tỷ lệ đúng hạn', 'Tỷ lệ trễ hạn']).font = { bold: true };
    for (const c of r.communes) {
      cs.addRow([c.code, c.name, c.index.score === null ? NO_DATA : Math.round(c.index.score * 100) / 100, received(c.figures.counters), pct(measure('on_time_share').value(c.figures)), pct(measure('late_share').value(c.figures))]);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const require_ = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require_.resolve('roboto-fontface/package.json')), 'fonts', 'roboto');

export async function indexReportPdf(r: IndexReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `Chỉ số 766 ${r.unitName} ${r.period.key}`, Author: 'Xã Số' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('R', join(FONT_DIR, 'Roboto-Regular.woff'));
  doc.registerFont('B', join(FONT_DIR, 'Roboto-Bold.woff'));
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('B').fontSize(14).text(`Chỉ số phục vụ người dân (Quyết định 766/QĐ-TTg) — ${r.unitName}`, { width });
  doc.font('R').fontSize(10).text(`Kỳ ${r.period.label} (từ ${r.period.from} đến ${r.period.to}); so với ${r.previous.label}; lập ngày ${r.generatedOn}. Phiên bản cách tính ${r.index.version}.`, { width });
  doc.moveDown(0.4);
  doc.font('B').fontSize(12).text(`Điểm quy đổi: ${num(r.index.score)} / 100 (kỳ trước ${num(r.previousIndex.score)})`, { width });
  doc.font('R').fontSize(9).text(`Tính trên ${r.index.available} điểm có dữ liệu; chỉ tiêu "${NO_DATA}" không tính vào mẫu số.`, { width });
  doc.moveDown(0.5);
  const table = (headers: string[], widths: number[], rows: (string | number)[][], bold: (row: (string | number)[]) => boolean = () => false) => {
    const line = (cells: (string | number)[], bold: boolean) => {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 30) doc.addPage();
      const y = doc.y;
      let x = left;
      let h = 0;
      doc.font(bold ? 'B' : 'R').fontSize(8.5);
      cells.forEach((cell, i) => {
        const text = String(cell);
        h = Math.max(h, doc.heightOfString(text, { width: widths[i]! - 4 }));
        doc.text(text, x + 2, y + 2, { width: widths[i]! - 4 });
        x += widths[i]!;
      });
      doc.moveTo(left, y + h + 4).lineTo(left + widths.reduce((a, b) => a + b, 0), y + h + 4).strokeColor('#999').lineWidth(0.5).stroke();
      doc.x = left;
      doc.y = y + h + 6;
    };
    line(headers, true);
    for (const row of rows) line(row, bold(row));
  };
  // Group rows (not indented) in bold, their indicators below them.
  table(['Nhóm, chỉ tiêu', 'Tỷ lệ', 'Mục tiêu', 'Điểm', 'Kỳ trước'], [235, 65, 60, 80, 75], indicatorRows(r), (row) => !String(row[0]).startsWith('  '));
  doc.moveDown(0.5);
  table(
    ['Số liệu', 'Kỳ này'],
    [335, 180],
    KEY_MEASURES.map((id) => [measure(id).label, formatValue(measure(id), measure(id).value(r.figures))]),
  );
  if (r.communes.length) {
    doc.moveDown(0.5);
    doc.font('B').fontSize(11).text('Xã, phường (điểm thấp nhất trước)', left, doc.y, { width });
    table(
      ['Xã, phường', 'Điểm', 'Hồ sơ', 'Đúng hạn', 'Trễ hạn'],
      [200, 70, 70, 85, 90],
      r.communes.map((c) => [c.name, num(c.index.score), received(c.figures.counters), pct(measure('on_time_share').value(c.figures)), pct(measure('late_share').value(c.figures))]),
    );
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
