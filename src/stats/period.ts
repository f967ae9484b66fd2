/**
 * Periods the figures are asked for: a month (2026-07), a quarter (2026-Q3),
 * a year (2026), or a range of days (from–to, at most 5 years). Pure; bad
 * input comes back as a Vietnamese message naming the field.
 */
export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';

export interface Period {
  kind: PeriodKind;
  /** First and last day, inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
  /** The key in URLs: 2026-07, 2026-Q3, 2026, or from..to. */
  key: string;
  label: string;
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; field: string; message: string };

const MAX_YEARS = 5;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');

export function validDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 2000 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= lastDayOfMonth(y, mo);
}

export function month(year: number, m: number): Period {
  return { kind: 'month', from: `${year}-${pad(m)}-01`, to: `${year}-${pad(m)}-${pad(lastDayOfMonth(year, m))}`, key: `${year}-${pad(m)}`, label: `tháng ${m}/${year}` };
}
export function quarter(year: number, q: number): Period {
  const last = q * 3;
  return { kind: 'quarter', from: `${year}-${pad(last - 2)}-01`, to: `${year}-${pad(last)}-${pad(lastDayOfMonth(year, last))}`, key: `${year}-Q${q}`, label: `quý ${['I', 'II', 'III', 'IV'][q - 1]}/${year}` };
}
export function year(y: number): Period {
  return { kind: 'year', from: `${y}-01-01`, to: `${y}-12-31`, key: String(y), label: `năm ${y}` };
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/** Reads a period key (month, quarter, year) or a from/to range; `field` names the inputs in messages. */
export function parsePeriod(input: { period?: string; from?: string; to?: string }, fields = { period: 'ky', from: 'tu', to: 'den' }): PeriodResult {
  const from = input.from?.trim() ?? '';
  const to = input.to?.trim() ?? '';
  if (from || to) {
    if (!validDate(from)) return { ok: false, field: fields.from, message: 'Ngày bắt đầu chưa đúng: nhập theo dạng năm-tháng-ngày, ví dụ 2026-07-01.' };
    if (!validDate(to)) return { ok: false, field: fields.to, message: 'Ngày kết thúc chưa đúng: nhập theo dạng năm-tháng-ngày, ví dụ 2026-09-30.' };
    if (to < from) return { ok: false, field: fields.to, message: 'Ngày kết thúc đang trước ngày bắt đầu: chọn ngày kết thúc sau ngày bắt đầu.' };
    if (daysBetween(from, to) > MAX_YEARS * 366) return { ok: false, field: fields.to, message: `Khoảng thời gian dài hơn ${MAX_YEARS} năm: chọn khoảng ngắn hơn.` };
    return { ok: true, period: { kind: 'range', from, to, key: `${from}..${to}`, label: `từ ${from} đến ${to}` } };
  }
  const p = input.period?.trim() ?? '';
  let m: RegExpExecArray | null;
  const yearOk = (y: number) => y >= 2000 && y <= 2100;
  if ((m = /^(\d{4})$/.exec(p)) && yearOk(Number(m[1]))) return { ok: true, period: year(Number(m[1])) };
  if ((m = /^(\d{4})-Q([1-4])$/i.exec(p)) && yearOk(Number(m[1]))) return { ok: true, period: quarter(Number(m[1]), Number(m[2])) };
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(p)) && yearOk(Number(m[1]))) return { ok: true, period: month(Number(m[1]), Number(m[2])) };
  return { ok: false, field: fields.period, message: 'Kỳ báo cáo chưa đúng: chọn tháng (2026-07), quý (2026-Q3) hoặc năm (2026).' };
}

/** The period just before, of the same length (a range: the same number of days). */
export function previousPeriod(p: Period): Period {
  const y = Number(p.from.slice(0, 4));
  const mo = Number(p.from.slice(5, 7));
  if (p.kind === 'year') return year(y - 1);
  if (p.kind === 'quarter') return mo === 1 ? quarter(y - 1, 4) : quarter(y, (mo - 1) / 3);
  if (p.kind === 'month') return mo === 1 ? month(y - 1, 12) : month(y, mo - 1);
  const len = daysBetween(p.from, p.to);
  const to = addDays(p.from, -1);
  const from = addDays(to, -len);
  return { kind: 'range', from, to, key: `${from}..${to}`, label: `từ ${from} đến ${to}` };
}

/** The quarter a day falls in. */
export function quarterOf(day: string): Period {
  return quarter(Number(day.slice(0, 4)), Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1);
}

/** Choices for the period picker: the last 12 months, 8 quarters and 3 years before `today`, newest first. */
export function recentPeriods(today: string): Period[] {
  const y = Number(today.slice(0, 4));
  const mo = Number(today.slice(5, 7));
  const out: Period[] = [];
  for (let i = 0; i < 3; i++) out.push(year(y - i));
  let q = quarterOf(today);
  for (let i = 0; i < 8; i++, q = previousPeriod(q)) out.push(q);
  let m = month(y, mo);
  for (let i = 0; i < 12; i++, m = previousPeriod(m)) out.push(m);
  return out;
}
