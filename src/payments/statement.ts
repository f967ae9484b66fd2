/**
 * Bank statements of the commune's collection account, as banks export them
 * (CSV or Excel): the header row is found by its Vietnamese or English names,
 * dates and amounts are read as Vietnamese banks write them, and every line
 * that cannot be read is reported with its row and field, never dropped silently.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export interface StatementLine {
  /** 1-based row in the file, for messages. */
  row: number;
  /** The bank's transaction reference; derived from the line's content when the file has none. */
  bankRef: string;
  /** `YYYY-MM-DD`. */
  date: string;
  amountVnd: number;
  description: string;
}

export interface StatementProblem {
  row: number;
  field: 'date' | 'amount' | 'file';
  message: string;
}

export interface ParsedStatement {
  lines: StatementLine[];
  problems: StatementProblem[];
}

type Cell = string | number | Date | null;

/** Lower case, no diacritics, single spaces: how header names are compared. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const HEADERS = {
  date: ['ngay giao dich', 'ngay gd', 'ngay', 'ngay hach toan', 'ngay hieu luc', 'transaction date', 'date', 'posting date'],
  credit: ['so tien ghi co', 'ghi co', 'so tien co', 'tien vao', 'credit', 'credit amount', 'so tien', 'amount'],
  debit: ['so tien ghi no', 'ghi no', 'so tien no', 'tien ra', 'debit', 'debit amount'],
  description: ['noi dung', 'noi dung giao dich', 'dien giai', 'mo ta', 'noi dung chuyen khoan', 'description', 'remark', 'details'],
  ref: ['so tham chieu', 'ma giao dich', 'so but toan', 'ma gd', 'so gd', 'so giao dich', 'reference', 'ref', 'transaction id', 'reference number'],
} as const;
type Column = keyof typeof HEADERS;

function findHeader(rows: readonly Cell[][]): { at: number; cols: Partial<Record<Column, number>> } | null {
  for (let i = 0; i < Math.min(rows.length, 20); i++) {
    const names = rows[i]!.map((c) => (typeof c === 'string' ? fold(c) : ''));
    const cols: Partial<Record<Column, number>> = {};
    for (const col of Object.keys(HEADERS) as Column[]) {
      // Exact names first ("ngay" must not take "ngay hieu luc" when "ngay giao dich" exists).
      for (const name of HEADERS[col]) {
        const idx = names.findIndex((n, j) => n === name && !Object.values(cols).includes(j));
        if (idx >= 0) {
          cols[col] = idx;
          break;
        }
      }
    }
    if (cols.date !== undefined && cols.credit !== undefined) return { at: i, cols };
  }
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (y < 2000 || y > 2099 || t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** "03/12/2026", "3-12-2026 14:05", "03.12.2026", "2026-12-03", or an Excel date → `YYYY-MM-DD`; null when unreadable. */
export function parseStatementDate(cell: Cell): string | null {
  // Excel date cells arrive as instants at UTC midnight of the written day.
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : validDate(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  if (typeof cell !== 'string') return null;
  const s = cell.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s);
  if (m) return validDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/.exec(s);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/**
 * "1.500.000", "1,500,000", "1500000", "1.500.000,00", "+1.500.000 VND" or a
 * number cell → whole đồng. Negative (outgoing) → a negative number. Null when
 * it is not an amount (words, fractions of a đồng).
 */
export function parseStatementAmount(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  let s = cell.trim().replace(/\s*(vnd|vnđ|đồng|đ)$/iu, '').replace(/\s/g, '');
  let sign = 1;
  if (/^\(.*\)$/.test(s)) {
    sign = -1;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-')) sign = -1;
  s = s.replace(/^[+-]/, '');
  // A two-zero decimal tail ("…,00" or "….00") is the bank's format, not a fraction.
  s = s.replace(/^(.*\d)[.,]00$/, '$1');
  if (!/^(\d{1,3}([.,]\d{3})+|\d+)$/.test(s)) return null;
  // One separator style per number: "1.500,000" is a typo, not an amount.
  if (/[.]/.test(s) && /[,]/.test(s)) return null;
  const v = Number(s.replace(/[.,]/g, ''));
  return Number.isSafeInteger(v) ? sign * v : null;
}

function cellText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date) return c.toISOString();
  return String(c).trim();
}

/** Reads rows (header somewhere near the top) into incoming lines and problems. */
export function parseStatementRows(rows: readonly Cell[][]): ParsedStatement {
  const header = findHeader(rows);
  if (!header) {
    return {
      lines: [],
      problems: [{ row: 0, field: 'file', message: 'Không tìm thấy dòng tiêu đề có cột "Ngày giao dịch" và "Số tiền ghi có" (hoặc "Ghi có"). Hãy xuất sao kê đầy đủ cột từ ngân hàng rồi tải lên lại.' }],
    };
  }
  const { cols } = header;
  const lines: StatementLine[] = [];
  const problems: StatementProblem[] = [];
  const occurrences = new Map<string, number>();
  for (let i = header.at + 1; i < rows.length; i++) {
    const r = rows[i]!;
    const rowNo = i + 1;
    if (r.every((c) => cellText(c) === '')) continue;
    const rawCredit = r[cols.credit!] ?? null;
    const creditText = cellText(rawCredit);
    // An outgoing line (debit only) is not a payment to us.
    if (creditText === '' || creditText === '0') continue;
    const amount = parseStatementAmount(rawCredit);
    if (amount === null) {
      problems.push({ row: rowNo, field: 'amount', message: `Dòng ${rowNo}: số tiền "${creditText}" không đọc được. Số tiền phải viết bằng chữ số, ví dụ 150.000.` });
      continue;
    }
    if (amount <= 0) continue;
    const rawDate = r[cols.date!] ?? null;
    const date = parseStatementDate(rawDate);
    if (!date) {
      problems.push({ row: rowNo, field: 'date', message: `Dòng ${rowNo}: ngày "${cellText(rawDate)}" không đọc được. Dùng dạng ngày/tháng/năm, ví dụ 03/12/2026.` });
      continue;
    }
    const description = cols.description !== undefined ? cellText(r[cols.description] ?? null) : '';
    let bankRef = cols.ref !== undefined ? cellText(r[cols.ref] ?? null) : '';
    if (!bankRef) {
      // Without the bank's reference, the line's content (and how many times it occurred) identifies it, so a re-import matches.
      const key = `${date}|${amount}|${description}`;
      const n = (occurrences.get(key) ?? 0) + 1;
      occurrences.set(key, n);
      bankRef = `H${createHash('sha256').update(`${key}|${n}`).digest('hex').slice(0, 20)}`;
    }
    lines.push({ row: rowNo, bankRef: bankRef.slice(0, 100), date, amountVnd: amount, description: description.slice(0, 500) });
  }
  return { lines, problems };
}

/** A CSV export (comma or semicolon separated, UTF-8 with or without BOM). */
export function parseStatementCsv(data: Buffer | string): ParsedStatement {
  const text = (typeof data === 'string' ? data : data.toString('utf8')).replace(/^\uFEFF/, '');
  // Judged on the first lines: a title line above the header may have no delimiter at all.
  const head = text.split(/\r?\n/, 20).join('\n');
  const delimiter = (head.match(/;/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? ';' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (err) {
    return { lines: [], problems: [{ row: 0, field: 'file', message: `Tệp CSV không đọc được (${(err as Error).message}). Hãy xuất lại sao kê dạng CSV hoặc Excel.` }] };
  }
  return parseStatementRows(rows);
}

function excelCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if ('result' in v) return excelCell(v.result as ExcelJS.CellValue);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return String(v.text);
  return null;
}

/** An Excel (.xlsx) export: the first worksheet. */
export async function parseStatementXlsx(data: Buffer): Promise<ParsedStatement> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { lines: [], problems: [{ row: 0, field: 'file', message: 'Tệp Excel không mở được. Hãy lưu sao kê dạng .xlsx hoặc .csv rồi tải lên lại.' }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { lines: [], problems: [{ row: 0, field: 'file', message: 'Tệp Excel không có trang tính nào.' }] };
  const rows: Cell[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1).map(excelCell);
    rows[n - 1] = values;
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return parseStatementRows(rows);
}

/** Chooses the reader by the file's first bytes (xlsx is a zip). */
export async function parseStatement(data: Buffer): Promise<ParsedStatement> {
  return data.subarray(0, 2).toString('latin1') === 'PK' ? parseStatementXlsx(data) : parseStatementCsv(data);
}
