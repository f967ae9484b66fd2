/**
 * The page kit every form is drawn with: A4, Roboto (it carries every
 * Vietnamese diacritic), the national-motto header, the date line, tables that
 * break across pages with their heading repeated, and signature blocks.
 *
 * The only I/O is reading the font files, once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { dateWords } from './format.js';
import type { Issuer } from './types.js';

type FontKind = 'regular' | 'bold' | 'italic' | 'boldItalic';
const FONT_FILES: Record<FontKind, string> = {
  regular: 'Roboto-Regular.woff',
  bold: 'Roboto-Bold.woff',
  italic: 'Roboto-RegularItalic.woff',
  boldItalic: 'Roboto-BoldItalic.woff',
};

let fonts: Record<FontKind, Buffer> | null = null;

/**
 * Unpacks a WOFF 1.0 font into the plain TrueType/OpenType file it wraps.
 * fontkit reads WOFF directly but re-inflates a whole compressed table (the
 * glyph outlines) for every glyph it touches, which made one page take
 * seconds; the unpacked font renders the same page in tens of milliseconds.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < 44 || woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const e = 44 + i * 20;
    const offset = woff.readUInt32BE(e + 4);
    const compLength = woff.readUInt32BE(e + 8);
    const origLength = woff.readUInt32BE(e + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : raw;
    if (data.length !== origLength) throw new Error('corrupt WOFF table');
    return { tag: woff.subarray(e, e + 4), checksum: woff.readUInt32BE(e + 16), data };
  });
  // The sfnt offset table: binary-search hints over the table records (already sorted by tag in WOFF).
  let pow = 1;
  let log = 0;
  while (pow * 2 <= count) {
    pow *= 2;
    log++;
  }
  const pad4 = (n: number) => (n + 3) & ~3;
  let offset = 12 + 16 * count;
  const out = Buffer.alloc(offset + tables.reduce((sum, t) => sum + pad4(t.data.length), 0));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(pow * 16, 6);
  out.writeUInt16BE(log, 8);
  out.writeUInt16BE(count * 16 - pow * 16, 10);
  tables.forEach((t, i) => {
    const r = 12 + 16 * i;
    t.tag.copy(out, r);
    out.writeUInt32BE(t.checksum, r + 4);
    out.writeUInt32BE(offset, r + 8);
    out.writeUInt32BE(t.data.length, r + 12);
    t.data.copy(out, offset);
    offset += pad4(t.data.length);
  });
  return out;
}

function loadFonts(): Record<FontKind, Buffer> {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('roboto-fontface/package.json')), 'fonts', 'roboto');
    fonts = Object.fromEntries(Object.entries(FONT_FILES).map(([k, f]) => [k, woffToSfnt(readFileSync(join(dir, f)))])) as Record<FontKind, Buffer>;
  }
  return fonts;
}

export const MOTTO = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const MOTTO_2 = 'Độc lập - Tự do - Hạnh phúc';

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface SignatureBlock {
  title: string;
  hint?: string;
  name?: string;
}

/** One form being drawn. Coordinates are PDF points; `y` is where the next thing goes. */
export class FormPdf {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly right: number;
  readonly width: number;
  readonly top: number;
  readonly bottom: number;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  y: number;

  constructor(opts: { title: string; landscape?: boolean }) {
    // Decree 30/2020 page margins: left 30–35 mm, right 15–20 mm, top and bottom 20–25 mm.
    const margins = opts.landscape ? { top: 50, bottom: 45, left: 50, right: 40 } : { top: 57, bottom: 57, left: 85, right: 57 };
    this.doc = new PDFDocument({
      size: 'A4',
      layout: opts.landscape ? 'landscape' : 'portrait',
      margins,
      bufferPages: true,
      info: { Title: opts.title, Author: 'Xã Số', Creator: 'Xã Số', Producer: 'Xã Số (pdfkit)' },
      lang: 'vi-VN',
    } as PDFKit.PDFDocumentOptions);
    const f = loadFonts();
    for (const [k, buf] of Object.entries(f)) this.doc.registerFont(k, buf);
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    this.left = margins.left;
    this.right = this.doc.page.width - margins.right;
    this.width = this.right - this.left;
    this.top = margins.top;
    this.bottom = this.doc.page.height - margins.bottom;
    this.y = this.top;
    this.font('regular', 13);
  }

  font(kind: FontKind, size: number): this {
    this.doc.font(kind).fontSize(size);
    return this;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  /** Height of `text` in the current font at `width`. */
  measure(text: string, width: number, opts: PDFKit.Mixins.TextOptions = {}): number {
    return this.doc.heightOfString(text || ' ', { width, lineGap: 1.5, ...opts });
  }

  /** Writes text in a box at (x, y) without moving `this.y`; returns its height. */
  at(text: string, x: number, y: number, width: number, opts: PDFKit.Mixins.TextOptions = {}): number {
    const h = this.measure(text, width, opts);
    this.doc.text(text || ' ', x, y, { width, lineGap: 1.5, ...opts });
    return h;
  }

  /** Shrinks the font until `text` fits on one line of `width`. */
  fit(text: string, width: number, size: number, min = 8): number {
    let s = size;
    while (s > min && this.doc.fontSize(s).widthOfString(text) > width) s -= 0.5;
    this.doc.fontSize(s);
    return s;
  }

  /**
   * The national-motto header: the issuing body on the left (upper case, the
   * unit in bold, a short rule under it), the motto on the right, and the form
   * number above it (none for papers that are not numbered forms).
   */
  header(opts: { formNo?: string; issuer: Issuer; unit?: string }): void {
    const { doc } = this;
    if (opts.formNo) {
      this.font('italic', 10);
      doc.text(`Mẫu số ${opts.formNo}`, this.left, this.top - 30, { width: this.width, align: 'right' });
    }
    const gap = 10;
    const leftW = Math.round(this.width * 0.42);
    const rightX = this.left + leftW + gap;
    const rightW = this.right - rightX;
    const y0 = this.top;

    // Left: "UBND PHƯỜNG TÂN NINH" / "BỘ PHẬN MỘT CỬA", or "ỦY BAN NHÂN DÂN" / "PHƯỜNG TÂN NINH".
    let ly = y0;
    if (opts.unit) {
      this.font('regular', 12);
      ly += this.at(`UBND ${opts.issuer.communeName.toLocaleUpperCase('vi')}`, this.left, ly, leftW, { align: 'center' });
      this.font('bold', 12);
      ly += this.at(opts.unit.toLocaleUpperCase('vi'), this.left, ly, leftW, { align: 'center' });
    } else {
      // "ỦY BAN NHÂN DÂN" over the unit's name, both bold.
      this.font('bold', 12);
      ly += this.at('ỦY BAN NHÂN DÂN', this.left, ly, leftW, { align: 'center' });
      ly += this.at(opts.issuer.communeName.toLocaleUpperCase('vi'), this.left, ly, leftW, { align: 'center' });
    }
    const ruleL = leftW / 3;
    doc
      .moveTo(this.left + (leftW - ruleL) / 2, ly + 3)
      .lineTo(this.left + (leftW + ruleL) / 2, ly + 3)
      .lineWidth(0.7)
      .stroke();

    // Right: the motto.
    let ry = y0;
    this.font('bold', 12);
    this.fit(MOTTO, rightW, 12);
    ry += this.at(MOTTO, rightX, ry, rightW, { align: 'center' });
    this.font('bold', 13);
    this.fit(MOTTO_2, rightW, 13);
    const mottoW = doc.widthOfString(MOTTO_2);
    ry += this.at(MOTTO_2, rightX, ry, rightW, { align: 'center' });
    doc
      .moveTo(rightX + (rightW - mottoW) / 2, ry + 3)
      .lineTo(rightX + (rightW + mottoW) / 2, ry + 3)
      .lineWidth(0.7)
      .stroke();

    this.y = Math.max(ly, ry) + 12;
  }

  /**
   * The line under the header: a reference ("Số: …", "Mã hồ sơ: …") on the
   * left, "<place>, ngày … tháng … năm …" in italics on the right.
   */
  refLine(ref: string, place: string, isoDate: string): void {
    const gap = 10;
    const leftW = Math.round(this.width * 0.42);
    const rightX = this.left + leftW + gap;
    const rightW = this.right - rightX;
    this.font('regular', 12);
    const hl = ref ? this.at(ref, this.left, this.y, leftW, { align: 'center' }) : 0;
    this.font('italic', 12);
    const hr = this.at(`${place}, ${dateWords(isoDate)}`, rightX, this.y, rightW, { align: 'center' });
    this.y += Math.max(hl, hr) + 12;
  }

  /** The form's title in bold capitals, centred, with optional lines under it. */
  title(text: string, ...sub: string[]): void {
    this.font('bold', 14);
    const h = this.measure(text, this.width, { align: 'center' });
    this.ensure(h + 40);
    this.y += this.at(text, this.left, this.y, this.width, { align: 'center' });
    for (const s of sub) {
      this.font('bold', 13);
      this.y += this.at(s, this.left, this.y, this.width, { align: 'center' }) + 1;
    }
    this.y += 9;
  }

  /** A paragraph across the page (or indented), breaking pages as needed. */
  para(text: string, opts: { font?: FontKind; size?: number; indent?: number; inset?: number; align?: 'left' | 'center' | 'right' | 'justify'; after?: number } = {}): void {
    this.font(opts.font ?? 'regular', opts.size ?? 13);
    const x = this.left + (opts.indent ?? 0);
    const w = this.right - (opts.inset ?? 0) - x;
    const o: PDFKit.Mixins.TextOptions = { align: opts.align ?? 'left' };
    const h = this.measure(text, w, o);
    if (h <= this.bottom - this.top) this.ensure(h);
    else if (this.y + this.doc.currentLineHeight(true) > this.bottom) this.newPage();
    this.doc.text(text, x, this.y, { width: w, lineGap: 1.5, ...o });
    // Long text flows onto new pages by itself; continue from where it ended.
    this.y = this.doc.y + (opts.after ?? 4);
  }

  /** "Label: value" with the value in bold. */
  field(label: string, value: string, opts: { indent?: number; size?: number } = {}): void {
    const size = opts.size ?? 13;
    const x = this.left + (opts.indent ?? 0);
    const w = this.right - x;
    this.font('regular', size);
    const h = this.measure(`${label}: ${value}`, w);
    this.ensure(h);
    this.doc.text(`${label}: `, x, this.y, { width: w, lineGap: 1.5, continued: true });
    this.font('bold', size);
    this.doc.text(value || '…', { lineGap: 1.5 });
    this.y = this.doc.y + 4;
  }

  /** Numbered or bulleted items, one per line, with a hanging indent. */
  list(items: readonly string[], opts: { numbered?: boolean; indent?: number; size?: number } = {}): void {
    const size = opts.size ?? 13;
    const indent = opts.indent ?? 14;
    items.forEach((item, i) => {
      const mark = opts.numbered ? `${i + 1}.` : '-';
      this.font('regular', size);
      const x = this.left + indent;
      const markW = 22;
      const w = this.right - x - markW;
      const h = this.measure(item, w);
      this.ensure(Math.min(h, this.bottom - this.top));
      this.at(mark, x, this.y, markW);
      this.doc.text(item, x + markW, this.y, { width: w, lineGap: 1.5 });
      this.y = this.doc.y + 3;
    });
    this.y += 3;
  }

  space(points: number): void {
    this.y += points;
  }

  /**
   * A bordered table. Rows grow to fit wrapped text; a row that does not fit
   * goes to the next page, and the heading is repeated there.
   */
  table(columns: readonly Column[], rows: readonly (readonly string[])[], opts: { size?: number; headerSize?: number; boldFirst?: boolean } = {}): void {
    const size = opts.size ?? 11;
    const headerSize = opts.headerSize ?? size;
    const pad = 4;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const scale = this.width / total;
    const widths = columns.map((c) => c.width * scale);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((s, w) => s + w, 0));
    const { doc } = this;

    const rowHeight = (cells: readonly string[], font: FontKind, fs: number) => {
      this.font(font, fs);
      return Math.max(...cells.map((cell, i) => this.measure(cell, widths[i]! - 2 * pad, { align: columns[i]!.align ?? 'left' }))) + 2 * pad;
    };
    const drawRow = (cells: readonly string[], font: FontKind, fs: number, h: number, shade: boolean) => {
      if (shade) doc.rect(this.left, this.y, this.width, h).fill('#eeeeee').fillColor('black');
      cells.forEach((cell, i) => {
        this.font(i === 0 && opts.boldFirst && font === 'regular' ? 'bold' : font, fs);
        this.at(cell, xs[i]! + pad, this.y + pad, widths[i]! - 2 * pad, { align: columns[i]!.align ?? 'left' });
        doc.rect(xs[i]!, this.y, widths[i]!, h).lineWidth(0.6).stroke();
      });
      this.y += h;
    };
    const heads = columns.map((c) => c.header);
    const headH = rowHeight(heads, 'bold', headerSize);
    this.ensure(headH + 30);
    drawRow(heads, 'bold', headerSize, headH, true);
    for (const r of rows) {
      const h = rowHeight(r, 'regular', size);
      if (this.y + h > this.bottom) {
        this.newPage();
        drawRow(heads, 'bold', headerSize, headH, true);
      }
      drawRow(r, 'regular', size, h, false);
    }
    this.y += 10;
  }

  /** Signature blocks side by side: title in bold, the hint in italics, room to sign, the name. */
  signatures(blocks: readonly SignatureBlock[], opts: { room?: number } = {}): void {
    const room = opts.room ?? 62;
    // A lone signature sits on the right half, as on every Vietnamese form.
    const colW = this.width / Math.max(blocks.length, 2);
    const x0 = blocks.length === 1 ? this.left + colW : this.left;
    this.font('bold', 12);
    const titleH = Math.max(...blocks.map((b) => this.measure(b.title, colW - 10, { align: 'center' })));
    this.ensure(titleH + 18 + room + 20);
    const y0 = this.y + 6;
    let maxY = y0;
    blocks.forEach((b, i) => {
      const x = x0 + i * colW + 5;
      const w = colW - 10;
      this.font('bold', 12);
      const h = this.at(b.title, x, y0, w, { align: 'center' });
      if (b.hint) {
        this.font('italic', 11);
        this.at(b.hint, x, y0 + h, w, { align: 'center' });
      }
      // Names line up across blocks, below the room left to sign.
      let y = y0 + titleH + 18 + room;
      if (b.name) {
        this.font('bold', 12);
        y += this.at(b.name, x, y, w, { align: 'center' });
      }
      maxY = Math.max(maxY, y);
    });
    this.y = maxY + 10;
  }

  /**
   * An official letter's foot: "Nơi nhận" (recipients) on the left in small
   * type, the signature block on the right.
   */
  closing(recipients: readonly string[], block: SignatureBlock, opts: { room?: number } = {}): void {
    const room = opts.room ?? 62;
    const leftW = Math.round(this.width * 0.45);
    const rightX = this.left + leftW + 10;
    const rightW = this.right - rightX;
    this.ensure(40 + room + 24);
    const y0 = this.y + 6;
    let ly = y0;
    this.font('boldItalic', 11);
    ly += this.at('Nơi nhận:', this.left, ly, leftW);
    this.font('regular', 10);
    for (const r of recipients) ly += this.at(`- ${r}`, this.left, ly, leftW);
    let ry = y0;
    this.font('bold', 12);
    ry += this.at(block.title, rightX, ry, rightW, { align: 'center' });
    if (block.hint) {
      this.font('italic', 11);
      ry += this.at(block.hint, rightX, ry, rightW, { align: 'center' });
    }
    ry += room;
    if (block.name) {
      this.font('bold', 12);
      ry += this.at(block.name, rightX, ry, rightW, { align: 'center' });
    }
    this.y = Math.max(ly, ry) + 10;
  }

  /** Page numbers ("Trang 1/2") at the foot of every page, when there is more than one. */
  private footers(): void {
    const range = this.doc.bufferedPageRange();
    if (range.count < 2) return;
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      this.font('regular', 9);
      // Writing below the bottom margin must not add a page.
      const bottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.doc.text(`Trang ${i + 1}/${range.count}`, this.left, this.doc.page.height - bottom + 18, { width: this.width, align: 'center', lineBreak: false });
      this.doc.page.margins.bottom = bottom;
    }
  }

  /** Finishes the document and resolves to its bytes. */
  end(): Promise<Buffer> {
    this.footers();
    this.doc.end();
    return this.done;
  }
}
