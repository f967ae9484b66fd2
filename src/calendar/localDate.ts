/**
 * Local calendar dates for Việt Nam. Dates are `YYYY-MM-DD` strings at the API
 * boundary and "epoch days" (days since 1970-01-01) inside, so arithmetic is
 * integer arithmetic and never touches the host time zone.
 *
 * Asia/Ho_Chi_Minh is UTC+7 with no daylight saving time (since 1975), so a
 * fixed offset is exact for every date this product handles.
 */

export const VN_UTC_OFFSET_MINUTES = 7 * 60;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** A local date (`YYYY-MM-DD`), or an instant given as a `Date` or ISO string with offset. */
export type DateInput = string | Date;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Throws a RangeError unless y-m-d is a real Gregorian date with a 4-digit year. */
export function assertValidYmd(year: number, month: number, day: number, what = 'date'): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`Invalid ${what}: year ${String(year)} is not an integer in 1–9999`);
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`Invalid ${what}: month ${String(month)} is not an integer in 1–12`);
  }
  const max = daysInMonth(year, month);
  if (!Number.isInteger(day) || day < 1 || day > max) {
    throw new RangeError(
      `Invalid ${what}: day ${String(day)} is not in 1–${max} for ${year}-${pad2(month)}`,
    );
  }
}

export function ymdToEpochDay(year: number, month: number, day: number): number {
  assertValidYmd(year, month, day);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear avoids that.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / MS_PER_DAY);
}

export function epochDayToYmd(epochDay: number): { year: number; month: number; day: number } {
  const d = new Date(epochDay * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfEpochDay(epochDay: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((epochDay + 4) % 7) + 7) % 7;
}

export function isWeekend(epochDay: number): boolean {
  const w = weekdayOfEpochDay(epochDay);
  return w === 0 || w === 6;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatIsoDate(epochDay: number): string {
  const { year, month, day } = epochDayToYmd(epochDay);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** `dd/mm/yyyy`, the form Vietnamese readers expect. */
export function formatVnDate(epochDay: number): string {
  const { year, month, day } = epochDayToYmd(epochDay);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

const VN_WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

export function vnWeekdayName(epochDay: number): string {
  return VN_WEEKDAYS[weekdayOfEpochDay(epochDay)] as string;
}

/** e.g. "Thứ Hai, 27/04/2026". */
export function formatVnLongDate(epochDay: number): string {
  return `${vnWeekdayName(epochDay)}, ${formatVnDate(epochDay)}`;
}

export function parseIsoDate(text: string): number {
  const m = ISO_DATE.exec(text);
  if (!m) throw new RangeError(`Invalid date "${text}": expected YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  assertValidYmd(y, mo, d, `date "${text}"`);
  return ymdToEpochDay(y, mo, d);
}

/**
 * Parses an ISO 8601 date-time that carries an explicit offset (`Z` or ±hh:mm).
 * A string without an offset is rejected: guessing the zone is how deadlines
 * drift by a day.
 */
export function parseIsoInstant(text: string): number {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) {
    throw new RangeError(
      `Invalid date-time "${text}": expected ISO 8601 with a time zone offset, e.g. 2026-02-10T14:30:00+07:00`,
    );
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  assertValidYmd(y, mo, d, `date-time "${text}"`);
  if (h > 23 || mi > 59 || s > 59) {
    throw new RangeError(`Invalid date-time "${text}": time of day out of range`);
  }
  const zone = m[8] as string;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 14 || om > 59) throw new RangeError(`Invalid date-time "${text}": offset out of range`);
    offsetMinutes = sign * (oh * 60 + om);
  }
  const localMs = ymdToEpochDay(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms;
  return localMs - offsetMinutes * 60_000;
}

export function instantToMs(input: Date | string, what = 'instant'): number {
  if (input instanceof Date) {
    const t = input.getTime();
    if (Number.isNaN(t)) throw new RangeError(`Invalid ${what}: the Date is invalid`);
    return t;
  }
  if (typeof input === 'string') return parseIsoInstant(input);
  throw new RangeError(`Invalid ${what}: expected a Date or an ISO 8601 string with offset`);
}

/** The Việt Nam local date and time of an instant. */
export function vnLocalParts(epochMs: number): { epochDay: number; msOfDay: number } {
  const local = epochMs + VN_UTC_OFFSET_MINUTES * 60_000;
  const epochDay = Math.floor(local / MS_PER_DAY);
  return { epochDay, msOfDay: local - epochDay * MS_PER_DAY };
}

/** `YYYY-MM-DDTHH:mm:ss+07:00` for an instant. */
export function formatVnInstant(epochMs: number): string {
  const { epochDay, msOfDay } = vnLocalParts(epochMs);
  const totalSeconds = Math.floor(msOfDay / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const mi = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${formatIsoDate(epochDay)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}+07:00`;
}

/**
 * Resolves a date input to a Việt Nam local epoch day: a `YYYY-MM-DD` string is
 * taken as a local date; a `Date` or a date-time string is an instant and is
 * converted to its local date in UTC+7.
 */
export function toEpochDay(input: DateInput, what = 'date'): number {
  if (typeof input === 'string') {
    if (ISO_DATE.test(input)) return parseIsoDate(input);
    return vnLocalParts(parseIsoInstant(input)).epochDay;
  }
  if (input instanceof Date) return vnLocalParts(instantToMs(input, what)).epochDay;
  throw new RangeError(`Invalid ${what}: expected YYYY-MM-DD, an ISO date-time with offset, or a Date`);
}

export function isIsoDateString(input: unknown): input is string {
  return typeof input === 'string' && ISO_DATE.test(input);
}

/** Parses `HH:mm` into milliseconds after midnight. */
export function parseTimeOfDay(text: string, what = 'time'): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const h = m ? Number(m[1]) : NaN;
  const mi = m ? Number(m[2]) : NaN;
  if (!m || h > 23 || mi > 59) throw new RangeError(`Invalid ${what} "${text}": expected HH:mm`);
  return (h * 60 + mi) * 60_000;
}

/** The local date (UTC+7) of an instant, `YYYY-MM-DD`. */
export function isoDateInVn(instant: Date): string {
  return formatIsoDate(vnLocalParts(instant.getTime()).epochDay);
}
