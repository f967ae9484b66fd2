import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { fold } from './teams.schema.js';

/** One spreadsheet row as text, with its line (CSV) or row (Excel) number as the person sees it. */
export interface SheetRow {
  line: number;
  cells: string[];
}

export type SheetRead = { ok: true; rows: SheetRow[]; format: 'csv' | 'xlsx' } | { ok: false; error: string };

/** More rows than any commune's registry; a bigger file is a mistake (or an attack on memory). */
export const MAX_ROWS = 20_000;

const SAVE_AS_UTF8 = 'Trong Excel chọn Tệp → Lưu thành → "CSV UTF-8 (phân cách bằng dấu phẩy)", hoặc lưu dạng .xlsx, rồi tải lên lại.';

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

// Vietnamese read as Latin-1 then saved again as UTF-8 ("Nguyá»…n" for "Nguyễn"): valid UTF-8, broken text.
const MOJIBAKE = /Ã[\u0080-\u00bf]|á[»º]|Ä[‘\u0091]|Æ°|Ä[ƒ\u0083]/;

/** Decodes a CSV file to text, or says why it cannot be read as Vietnamese. */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (body.includes(0)) return { ok: false, error: `Tệp này không phải bảng tính CSV hay Excel (.xlsx). ${SAVE_AS_UTF8}` };
  const bad = firstInvalidUtf8(body);
  if (bad >= 0) {
    return {
      ok: false,
      error: `Tệp CSV không dùng bảng mã UTF-8 (có thể là Windows-1258, TCVN3 hay VNI của Excel cũ), nên chữ có dấu sẽ bị sai. Lỗi đầu tiên ở dòng ${lineAt(body, bad)}. ${SAVE_AS_UTF8}`,
    };
  }
  const text = new TextDecoder('utf-8').decode(body);
  const m = MOJIBAKE.exec(text);
  if (m) {
    const line = text.slice(0, m.index).split('\n').length;
    return {
      ok: false,
      error: `Chữ có dấu trong tệp đã bị hỏng từ trước (ví dụ "Nguyá»…n" thay cho "Nguyễn"), ở dòng ${line}. Mở tệp gốc, kiểm tra chữ hiển thị đúng, rồi lưu lại. ${SAVE_AS_UTF8}`,
    };
  }
  return { ok: true, text };
}

function guessDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function readCsv(bytes: Uint8Array): SheetRead {
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return decoded;
  try {
    const records = parse(decoded.text, {
      delimiter: guessDelimiter(decoded.text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      to: MAX_ROWS + 20,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return { ok: true, format: 'csv', rows: records.map((r) => ({ line: r.info.lines, cells: r.record })) };
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return { ok: false, error: `Tệp CSV bị lỗi cấu trúc${line ? ` ở dòng ${line}` : ''} (thường là dấu ngoặc kép " chưa đóng). Mở tệp bằng Excel, kiểm tra dòng đó, rồi lưu lại.` };
  }
}

/** Columns a registry can sensibly have; a cell far to the right is a mistake (or a bomb). */
export const MAX_COLUMNS = 100;
/** What the unpacked .xlsx may weigh: 20,000 rows of a registry are a few MB of XML. */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 2000;

const TOO_BIG = `Tệp Excel quá lớn hoặc có quá nhiều dòng (tối đa ${MAX_ROWS.toLocaleString('vi-VN')} dòng): chia danh sách thành nhiều tệp nhỏ hơn, hoặc xoá các dòng, cột trống thừa rồi lưu lại.`;
const UNREADABLE = 'Không đọc được tệp Excel: tệp bị hỏng, có mật khẩu, hoặc không phải .xlsx (ví dụ .ods). Mở bằng Excel rồi lưu lại dạng .xlsx hoặc CSV UTF-8.';

/**
 * Checks what the .xlsx (a zip) unpacks to before anything parses it: first
 * the sizes its directory declares, then the real sizes, inflating each entry
 * with a hard output cap (declared sizes can lie). Returns an error or null.
 */
export function checkZipSize(bytes: Uint8Array, maxBytes = MAX_XLSX_UNPACKED_BYTES): 'too-big' | 'unreadable' | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'unreadable';
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count > MAX_ZIP_ENTRIES || count === 0xffff || at === 0xffffffff) return 'too-big';
  const entries: { method: number; compressed: number; size: number; local: number }[] = [];
  let declared = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return 'unreadable';
    const e = { method: buf.readUInt16LE(at + 10), compressed: buf.readUInt32LE(at + 20), size: buf.readUInt32LE(at + 24), local: buf.readUInt32LE(at + 42) };
    // 0xffffffff: a ZIP64 entry of 4 GB or more, never a registry.
    if (e.size === 0xffffffff || e.compressed === 0xffffffff) return 'too-big';
    declared += e.size;
    if (declared > maxBytes) return 'too-big';
    entries.push(e);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  let actual = 0;
  for (const e of entries) {
    if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== 0x04034b50) return 'unreadable';
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    const data = buf.subarray(start, start + e.compressed);
    if (e.method === 0) actual += data.length;
    else if (e.method === 8) {
      try {
        actual += inflateRawSync(data, { maxOutputLength: maxBytes - actual + 1 }).length;
      } catch (err) {
        return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-big' : 'unreadable';
      }
    } else return 'unreadable';
    if (actual > maxBytes) return 'too-big';
  }
  return null;
}

/**
 * Reads rows as the workbook streams, and stops at the row limit: a sheet of
 * two million rows is never held in memory (the whole-workbook reader did).
 */
async function readXlsx(bytes: Uint8Array): Promise<SheetRead> {
  const size = checkZipSize(bytes);
  if (size) return { ok: false, error: size === 'too-big' ? TOO_BIG : UNREADABLE };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const rows: SheetRow[] = [];
  try {
    // The first sheet that has data: officials often keep an empty or instructions sheet.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        if (row.cellCount > MAX_COLUMNS) {
          for (let c = MAX_COLUMNS + 1; c <= row.cellCount; c++) if (cellText(row.getCell(c)) !== '') return { ok: false, error: `Dòng ${row.number} có dữ liệu ở cột thứ ${c}, quá ${MAX_COLUMNS} cột: xoá các cột thừa ở bên phải rồi lưu lại.` };
        }
        const cells: string[] = [];
        for (let c = 1; c <= Math.min(row.cellCount, MAX_COLUMNS); c++) cells.push(cellText(row.getCell(c)));
        if (cells.some((t) => t !== '')) rows.push({ line: row.number, cells });
        // One past the limit is enough for the caller to say "too many rows".
        if (rows.length > MAX_ROWS + 20) return { ok: true, format: 'xlsx', rows };
      }
      if (rows.length) break;
    }
  } catch {
    return { ok: false, error: UNREADABLE };
  }
  return { ok: true, format: 'xlsx', rows };
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  // A phone typed as a number: keep every digit (Excel may show 9.12E+08).
  if (typeof v === 'number') return String(v);
  try {
    return cell.text.trim();
  } catch {
    return String(v).trim();
  }
}

/** Reads a CSV or .xlsx upload, in this thread; the format is decided by content, never by the file name. */
export async function parseSpreadsheet(bytes: Uint8Array): Promise<SheetRead> {
  if (bytes.length === 0) return { ok: false, error: 'Tệp trống: chọn tệp danh sách có dữ liệu.' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return readXlsx(bytes);
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    return { ok: false, error: 'Đây là tệp Excel 97–2003 (.xls), hệ thống chưa đọc được. Mở bằng Excel rồi lưu lại dạng .xlsx hoặc CSV UTF-8.' };
  }
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) {
    return { ok: false, error: 'Đây là tệp PDF, không phải bảng tính. Tải lên tệp Excel (.xlsx) hoặc CSV.' };
  }
  return readCsv(bytes);
}

/** Limits of one parse off the request thread: enough for 20,000 rows, far from what a bomb needs. */
export const PARSE_LIMITS = { heapMb: 192, timeoutMs: 30_000, parallel: 2 };

// The worker is TypeScript, and vitest does not pass a TypeScript loader on to workers: tsx's API imports it.
// require.resolve finds the CommonJS build of the API; the worker imports its ES-module twin next to it.
const TSX_API = new URL('./index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api'))).href;
const WORKER_BOOT = `import(${JSON.stringify(TSX_API)}).then((api) => api.tsImport(${JSON.stringify(new URL('./spreadsheet.worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`;

let running = 0;
const waiting: (() => void)[] = [];

/**
 * Reads a spreadsheet in a worker thread: other requests never wait on a
 * parse, and the worker's heap cap and time limit bound what any file can
 * cost. At most PARSE_LIMITS.parallel parses run at once; others queue.
 */
export async function readSpreadsheet(bytes: Uint8Array): Promise<SheetRead> {
  if (bytes.length === 0) return parseSpreadsheet(bytes);
  if (running >= PARSE_LIMITS.parallel) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await new Promise<SheetRead>((resolve) => {
      const worker = new Worker(WORKER_BOOT, {
        eval: true,
        workerData: bytes,
        resourceLimits: { maxOldGenerationSizeMb: PARSE_LIMITS.heapMb, maxYoungGenerationSizeMb: 32 },
      });
      let settled = false;
      const settle = (r: SheetRead) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(r);
      };
      const timer = setTimeout(() => settle({ ok: false, error: TOO_BIG }), PARSE_LIMITS.timeoutMs);
      worker.once('message', (r: SheetRead) => settle(r));
      worker.once('error', (err: Error & { code?: string }) => settle({ ok: false, error: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? TOO_BIG : UNREADABLE }));
      worker.once('exit', () => settle({ ok: false, error: UNREADABLE }));
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** A column header as a compact key: "Số điện thoại" → "sodienthoai". */
export function headerKey(text: string): string {
  return fold(text).replace(/ /g, '');
}

export type ColumnMap<F extends string> = { ok: true; headerIndex: number; columns: Partial<Record<F, number>>; ignored: string[] } | { ok: false; error: string };

/**
 * Finds the header row (the first of the first ten rows naming every required
 * column: title rows above it are common) and maps each known column to its index.
 */
export function mapColumns<F extends string>(
  rows: SheetRow[],
  fields: readonly { field: F; label: string; required: boolean; matches: (key: string) => boolean }[],
): ColumnMap<F> {
  if (rows.length === 0) return { ok: false, error: 'Tệp không có dòng nào: kiểm tra lại tệp.' };
  let best: { index: number; columns: Partial<Record<F, number>>; ignored: string[]; missing: string[]; dup: string | null } | null = null;
  for (let i = 0; i < Math.min(10, rows.length); i++) {
    const columns: Partial<Record<F, number>> = {};
    const ignored: string[] = [];
    let dup: string | null = null;
    rows[i]!.cells.forEach((text, c) => {
      const key = headerKey(text);
      const f = key ? fields.find((d) => d.matches(key)) : undefined;
      if (!f) {
        if (text.trim()) ignored.push(text.trim());
      } else if (columns[f.field] !== undefined) dup ??= f.label;
      else columns[f.field] = c;
    });
    const missing = fields.filter((f) => f.required && columns[f.field] === undefined).map((f) => f.label);
    if (!best || missing.length < best.missing.length) best = { index: i, columns, ignored, missing, dup };
    if (missing.length === 0) break;
  }
  const expected = fields.map((f) => `"${f.label}"`).join(', ');
  if (best!.missing.length) {
    const seen = rows[best!.index]!.cells.filter((t) => t.trim()).map((t) => `"${t.trim()}"`).join(', ');
    return {
      ok: false,
      error: `Tệp thiếu cột ${best!.missing.map((m) => `"${m}"`).join(', ')}. Dòng tiêu đề cần có các cột: ${expected} (có dấu hay không dấu đều được). Dòng tiêu đề trong tệp: ${seen || '(trống)'}.`,
    };
  }
  if (best!.dup) return { ok: false, error: `Cột "${best!.dup}" xuất hiện hai lần trong dòng tiêu đề: giữ một cột, xoá cột kia.` };
  return { ok: true, headerIndex: best!.index, columns: best!.columns, ignored: best!.ignored };
}
