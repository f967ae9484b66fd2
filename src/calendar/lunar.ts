/**
 * Vietnamese lunisolar calendar (âm lịch), computed astronomically for UTC+7.
 *
 * Rules (the same as the Chinese calendar, but for the Việt Nam meridian, which
 * is why Tết sometimes differs from China, e.g. 1985, 2007, 2030):
 *  - a month starts on the local day of an astronomical new moon;
 *  - month 11 is the month that contains the winter solstice (sun at 270°);
 *  - when 13 months separate two months 11, the first month after month 11
 *    that contains no major solar term (trung khí, sun at a multiple of 30°)
 *    is the leap month and repeats the number of the month before it.
 *
 * Astronomy: new moons from Meeus, "Astronomical Algorithms" 2nd ed., ch. 49
 * (with the planetary corrections); the sun's apparent longitude from ch. 25
 * (low-accuracy series, ≈0.01°); ΔT from the Espenak–Meeus polynomials.
 * Months whose new moon falls within a minute or so of local midnight (e.g.
 * 1967-07-07, 2054-05-07, 2077-11-15) are at the limit of this accuracy, and
 * after ~2050 of the ΔT forecast.
 *
 * UTC+7 is applied to every year. Historically the calendar used in Việt Nam
 * followed UTC+8 until 1967 (and in the South until 1975); use
 * `new LunarCalendar(8)` for such historical dates.
 */
import { assertValidYmd, epochDayToYmd, formatIsoDate, ymdToEpochDay } from './localDate.js';

export interface LunarDate {
  day: number;
  month: number;
  /** The lunar year number: the Gregorian year in which its month 1 begins. */
  year: number;
  leap: boolean;
}

export interface SolarDate {
  year: number;
  month: number;
  day: number;
}

export interface LunarMonthInfo {
  month: number;
  leap: boolean;
  /** Lunar year this month belongs to. */
  year: number;
  /** Gregorian date of day 1 (`YYYY-MM-DD`). */
  start: string;
  /** 29 or 30. */
  days: number;
}

/** Supported Gregorian range, inclusive. */
export const LUNAR_MIN_DATE = '1900-01-01';
export const LUNAR_MAX_DATE = '2199-12-31';
const MIN_EPOCH_DAY = ymdToEpochDay(1900, 1, 1);
const MAX_EPOCH_DAY = ymdToEpochDay(2199, 12, 31);

const JD_UNIX_EPOCH = 2440587.5; // JD of 1970-01-01T00:00Z
const SYNODIC_MONTH = 29.530588861;
const RAD = Math.PI / 180;

function sinDeg(x: number): number {
  return Math.sin(x * RAD);
}

function normDeg(x: number): number {
  const r = x % 360;
  return r < 0 ? r + 360 : r;
}

/** ΔT = TT − UT in seconds (Espenak & Meeus 2006 polynomial fits). */
export function deltaTSeconds(decimalYear: number): number {
  const y = decimalYear;
  if (y < 1860) {
    const u = (y - 1820) / 100;
    return -20 + 32 * u * u;
  }
  if (y < 1900) {
    const t = y - 1860;
    return (
      7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174
    );
  }
  if (y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y < 2005) {
    const t = y - 2000;
    return (
      63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5
    );
  }
  if (y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (y - 1820) / 100;
  if (y < 2150) return -20 + 32 * u * u - 0.5628 * (2150 - y);
  return -20 + 32 * u * u;
}

function deltaTDays(jd: number): number {
  return deltaTSeconds(2000 + (jd - 2451545) / 365.25) / 86400;
}

/** Julian Ephemeris Day (TT) of the new moon with lunation number k (k = 0: 2000-01-06). */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  const jde =
    2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;

  const periodic =
    -0.4072 * sinDeg(Mp) +
    0.17241 * E * sinDeg(M) +
    0.01608 * sinDeg(2 * Mp) +
    0.01039 * sinDeg(2 * F) +
    0.00739 * E * sinDeg(Mp - M) -
    0.00514 * E * sinDeg(Mp + M) +
    0.00208 * E * E * sinDeg(2 * M) -
    0.00111 * sinDeg(Mp - 2 * F) -
    0.00057 * sinDeg(Mp + 2 * F) +
    0.00056 * E * sinDeg(2 * Mp + M) -
    0.00042 * sinDeg(3 * Mp) +
    0.00042 * E * sinDeg(M + 2 * F) +
    0.00038 * E * sinDeg(M - 2 * F) -
    0.00024 * E * sinDeg(2 * Mp - M) -
    0.00017 * sinDeg(Om) -
    0.00007 * sinDeg(Mp + 2 * M) +
    0.00004 * sinDeg(2 * Mp - 2 * F) +
    0.00004 * sinDeg(3 * M) +
    0.00003 * sinDeg(Mp + M - 2 * F) +
    0.00003 * sinDeg(2 * Mp + 2 * F) -
    0.00003 * sinDeg(Mp + M + 2 * F) +
    0.00003 * sinDeg(Mp - M + 2 * F) -
    0.00002 * sinDeg(Mp - M - 2 * F) -
    0.00002 * sinDeg(3 * Mp + M) +
    0.00002 * sinDeg(4 * Mp);

  // Planetary perturbations: [coefficient, argument] per Meeus table 49.A.
  const planetary: readonly [number, number][] = [
    [0.000325, 299.77 + 0.107408 * k - 0.009173 * T2],
    [0.000165, 251.88 + 0.016321 * k],
    [0.000164, 251.83 + 26.651886 * k],
    [0.000126, 349.42 + 36.412478 * k],
    [0.00011, 84.66 + 18.206239 * k],
    [0.000062, 141.74 + 53.303771 * k],
    [0.00006, 207.14 + 2.453732 * k],
    [0.000056, 154.84 + 7.30686 * k],
    [0.000047, 34.52 + 27.261239 * k],
    [0.000042, 207.19 + 0.121824 * k],
    [0.00004, 291.34 + 1.844379 * k],
    [0.000037, 161.72 + 24.198154 * k],
    [0.000035, 239.56 + 25.513099 * k],
    [0.000023, 331.55 + 3.592518 * k],
  ];
  let extra = 0;
  for (const [c, a] of planetary) extra += c * sinDeg(a);
  return jde + periodic + extra;
}

/** Apparent geocentric longitude of the sun, degrees in [0, 360), at a JDE (TT). */
export function sunApparentLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T * T) * sinDeg(M) +
    (0.019993 - 0.000101 * T) * sinDeg(2 * M) +
    0.000289 * sinDeg(3 * M);
  const omega = 125.04 - 1934.136 * T;
  return normDeg(L0 + C - 0.00569 - 0.00478 * sinDeg(omega));
}

interface SuiMonth {
  k: number;
  startDay: number;
  days: number;
  month: number;
  leap: boolean;
  year: number;
}

/**
 * The calendar for a given UTC offset. The Vietnamese calendar is UTC+7; other
 * offsets exist so the astronomy can be cross-checked against the Chinese
 * calendar (UTC+8) that ships with ICU.
 */
export class LunarCalendar {
  private readonly offsetDays: number;
  private readonly starts = new Map<number, number>();
  private readonly suis = new Map<number, SuiMonth[]>();

  constructor(readonly utcOffsetHours: number) {
    if (!Number.isFinite(utcOffsetHours) || Math.abs(utcOffsetHours) > 14) {
      throw new RangeError(`Invalid UTC offset ${String(utcOffsetHours)}: expected hours in −14…14`);
    }
    this.offsetDays = utcOffsetHours / 24;
  }

  /** Local epoch day on which lunation k begins. */
  private monthStart(k: number): number {
    let s = this.starts.get(k);
    if (s === undefined) {
      const jde = newMoonJde(k);
      const jdUt = jde - deltaTDays(jde);
      s = Math.floor(jdUt - JD_UNIX_EPOCH + this.offsetDays);
      this.starts.set(k, s);
    }
    return s;
  }

  /** Sun longitude at local midnight at the start of an epoch day. */
  private sunLongitudeAtMidnight(epochDay: number): number {
    const jdUt = epochDay + JD_UNIX_EPOCH - this.offsetDays;
    return sunApparentLongitude(jdUt + deltaTDays(jdUt));
  }

  private lunationContaining(epochDay: number): number {
    let k = Math.floor((epochDay + JD_UNIX_EPOCH - 2451550.09766) / SYNODIC_MONTH);
    while (this.monthStart(k) > epochDay) k--;
    while (this.monthStart(k + 1) <= epochDay) k++;
    return k;
  }

  /** Lunation number of month 11 (the month holding the winter solstice of Gregorian year y). */
  private month11(y: number): number {
    const k = this.lunationContaining(ymdToEpochDay(y, 12, 31));
    // A month starting on or after the solstice cannot hold it: take the previous one.
    return this.sunLongitudeAtMidnight(this.monthStart(k)) >= 270 ? k - 1 : k;
  }

  /** Major-term sector (0–11) at local midnight; equal sectors at both ends of a month mean no major term. */
  private termSector(epochDay: number): number {
    return Math.floor(this.sunLongitudeAtMidnight(epochDay) / 30);
  }

  /**
   * The months from month 11 of lunar year Y−1 up to (not including) month 11
   * of lunar year Y: the span between two winter solstices, where leap months
   * are decided.
   */
  private sui(Y: number): SuiMonth[] {
    const cached = this.suis.get(Y);
    if (cached) return cached;
    const k0 = this.month11(Y - 1);
    const k1 = this.month11(Y);
    const count = k1 - k0;
    let leapIndex = -1;
    if (count === 13) {
      for (let i = 1; i <= 12; i++) {
        if (this.termSector(this.monthStart(k0 + i)) === this.termSector(this.monthStart(k0 + i + 1))) {
          leapIndex = i;
          break;
        }
      }
      if (leapIndex < 0) throw new Error(`Lunar calendar: no month without a major term in ${Y - 1}/${Y}`);
    } else if (count !== 12) {
      throw new Error(`Lunar calendar: ${count} months between the solstices of ${Y - 1} and ${Y}`);
    }
    const months: SuiMonth[] = [];
    let month = 11;
    for (let i = 0; i < count; i++) {
      const leap = i === leapIndex;
      if (i > 0 && !leap) month = (month % 12) + 1;
      const startDay = this.monthStart(k0 + i);
      months.push({
        k: k0 + i,
        startDay,
        days: this.monthStart(k0 + i + 1) - startDay,
        month,
        leap,
        // Months 11 and 12 of a sui come before Tết: they close lunar year Y−1.
        year: month >= 11 ? Y - 1 : Y,
      });
    }
    this.suis.set(Y, months);
    return months;
  }

  private monthContaining(epochDay: number): SuiMonth {
    const { year } = epochDayToYmd(epochDay);
    const Y = epochDay >= this.monthStart(this.month11(year)) ? year + 1 : year;
    const months = this.sui(Y);
    for (let i = months.length - 1; i >= 0; i--) {
      const m = months[i] as SuiMonth;
      if (m.startDay <= epochDay) return m;
    }
    throw new Error(`Lunar calendar: ${formatIsoDate(epochDay)} precedes its sui`);
  }

  /** Lunar date of a Gregorian date (Việt Nam local date). */
  solarToLunar(year: number, month: number, day: number): LunarDate {
    assertValidYmd(year, month, day, 'solar date');
    const epochDay = ymdToEpochDay(year, month, day);
    assertInRange(epochDay);
    const m = this.monthContaining(epochDay);
    return { day: epochDay - m.startDay + 1, month: m.month, year: m.year, leap: m.leap };
  }

  /** Gregorian date of a lunar date; throws RangeError if the lunar date does not exist. */
  lunarToSolar(day: number, month: number, year: number, leap = false): SolarDate {
    const m = this.findMonth(month, year, leap);
    if (!Number.isInteger(day) || day < 1 || day > m.days) {
      throw new RangeError(
        `Invalid lunar date: day ${String(day)} is not in 1–${m.days} for ${leap ? 'leap ' : ''}month ${month} of lunar year ${year}`,
      );
    }
    const epochDay = m.startDay + day - 1;
    assertInRange(epochDay);
    return epochDayToYmd(epochDay);
  }

  /** The leap month of a lunar year, or null when the year has none. */
  leapMonth(year: number): number | null {
    return this.monthsOfYear(year).find((m) => m.leap)?.month ?? null;
  }

  /** All months of a lunar year in order (12 or 13). */
  monthsOfYear(year: number): LunarMonthInfo[] {
    assertLunarYear(year);
    return [...this.sui(year), ...this.sui(year + 1)]
      .filter((m) => m.year === year)
      .map((m) => ({
        month: m.month,
        leap: m.leap,
        year: m.year,
        start: formatIsoDate(m.startDay),
        days: m.days,
      }));
  }

  private findMonth(month: number, year: number, leap: boolean): SuiMonth {
    if (!Number.isInteger(month) || month < 1 || month > 12) {
      throw new RangeError(`Invalid lunar date: month ${String(month)} is not an integer in 1–12`);
    }
    if (typeof leap !== 'boolean') throw new RangeError('Invalid lunar date: leap must be a boolean');
    assertLunarYear(year);
    const months = month >= 11 ? this.sui(year + 1) : this.sui(year);
    const m = months.find((x) => x.month === month && x.leap === leap && x.year === year);
    if (!m) {
      throw new RangeError(`Invalid lunar date: lunar year ${year} has no leap month ${month}`);
    }
    return m;
  }
}

function assertInRange(epochDay: number): void {
  if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw new RangeError(
      `Date ${formatIsoDate(epochDay)} is outside the supported lunar calendar range ${LUNAR_MIN_DATE} – ${LUNAR_MAX_DATE}`,
    );
  }
}

function assertLunarYear(year: number): void {
  // Lunar year 1899 ends in early 1900, so its last months are still in range.
  if (!Number.isInteger(year) || year < 1899 || year > 2199) {
    throw new RangeError(`Invalid lunar year ${String(year)}: expected an integer in 1899–2199`);
  }
}

/** The Vietnamese calendar (UTC+7). */
export const vietnameseLunarCalendar = new LunarCalendar(7);

export function solarToLunar(year: number, month: number, day: number): LunarDate {
  return vietnameseLunarCalendar.solarToLunar(year, month, day);
}

export function lunarToSolar(day: number, month: number, year: number, leap = false): SolarDate {
  return vietnameseLunarCalendar.lunarToSolar(day, month, year, leap);
}

export function leapMonthOf(lunarYear: number): number | null {
  return vietnameseLunarCalendar.leapMonth(lunarYear);
}

export function lunarMonthsOfYear(lunarYear: number): LunarMonthInfo[] {
  return vietnameseLunarCalendar.monthsOfYear(lunarYear);
}

/** Gregorian date of Tết (mùng 1 tháng Giêng) of a lunar year. */
export function tetDate(lunarYear: number): SolarDate {
  return lunarToSolar(1, 1, lunarYear, false);
}

const STEMS = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'];
const BRANCHES = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'];

/** Can Chi name of a lunar year, e.g. 2026 → "Bính Ngọ". */
export function lunarYearName(lunarYear: number): string {
  if (!Number.isInteger(lunarYear)) throw new RangeError(`Invalid lunar year ${String(lunarYear)}`);
  const stem = STEMS[(((lunarYear + 6) % 10) + 10) % 10] as string;
  const branch = BRANCHES[(((lunarYear + 8) % 12) + 12) % 12] as string;
  return `${stem} ${branch}`;
}

/** Vietnamese name of a lunar month: "tháng Giêng", "tháng Chạp", "tháng 3 nhuận". */
export function lunarMonthName(month: number, leap = false): string {
  const base = month === 1 ? 'tháng Giêng' : month === 12 ? 'tháng Chạp' : `tháng ${month}`;
  return leap ? `${base} nhuận` : base;
}

/** Vietnamese name of a lunar day: days 1–10 are "mùng 1" … "mùng 10". */
export function lunarDayName(day: number): string {
  return day <= 10 ? `mùng ${day}` : String(day);
}
