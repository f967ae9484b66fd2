/**
 * Public holidays and working days for state bodies (weekly rest: Saturday and
 * Sunday, Decision 188/1999/QĐ-TTg).
 *
 * The government fixes each year's exact Tết days, swapped days (hoán đổi) and
 * make-up Saturdays (làm bù), so the calendar is driven by per-year tables
 * (data/holidays/YYYY.json, or a province's edited copy passed in as data).
 * Years without a table fall back to the Labour Code 2019 art. 112 defaults
 * computed here, marked `computed: true` and `status: "check"`.
 */
import { z } from 'zod';
import {
  formatIsoDate,
  formatVnLongDate,
  isIsoDateString,
  isWeekend,
  parseIsoDate,
  toEpochDay,
  weekdayOfEpochDay,
  ymdToEpochDay,
  type DateInput,
} from './localDate.js';
import { lunarDayName, lunarMonthName, lunarToSolar, solarToLunar } from './lunar.js';

// ---------------------------------------------------------------------------
// Schema

const isoDate = z
  .string()
  .refine((s) => isIsoDateString(s) && isRealDate(s), { error: 'expected a real date YYYY-MM-DD' });

function isRealDate(s: string): boolean {
  try {
    parseIsoDate(s);
    return true;
  } catch {
    return false;
  }
}

export const holidayStatusSchema = z.enum(['official', 'check']);
export type HolidayStatus = z.infer<typeof holidayStatusSchema>;

export const occasionSchema = z.enum([
  'new-year',
  'lunar-new-year',
  'hung-kings',
  'victory-day',
  'labour-day',
  'national-day',
  'other',
]);
export type Occasion = z.infer<typeof occasionSchema>;

const entryBase = {
  date: isoDate,
  /** Vietnamese, shown to users. */
  name: z.string().min(1),
  occasion: occasionSchema,
  /** Overrides the table's status for this entry. */
  status: holidayStatusSchema.optional(),
  note: z.string().optional(),
};

export const holidayEntrySchema = z.discriminatedUnion('kind', [
  /** A statutory day off (ngày nghỉ lễ, Tết). */
  z.strictObject({ kind: z.literal('holiday'), ...entryBase }),
  /** Nghỉ bù: a weekday off because the holiday `for` fell on a weekly rest day. */
  z.strictObject({ kind: z.literal('compensatory'), ...entryBase, for: isoDate }),
  /** Hoán đổi: a weekday off, worked instead on `makeUpDate`. */
  z.strictObject({ kind: z.literal('swapped'), ...entryBase, makeUpDate: isoDate }),
  /** Làm bù: a weekend day worked in exchange for the swapped day `for`. */
  z.strictObject({ kind: z.literal('makeUp'), ...entryBase, for: isoDate }),
]);
export type HolidayEntry = z.infer<typeof holidayEntrySchema>;
export type HolidayEntryKind = HolidayEntry['kind'];

export const holidayYearTableSchema = z
  .strictObject({
    $schema: z.string().optional(),
    year: z.number().int().min(1900).max(2199),
    status: holidayStatusSchema,
    /** True when generated from the Labour Code defaults rather than an announcement. */
    computed: z.boolean().default(false),
    /** Where the dates come from (decision, official letter, "computed"…). */
    source: z.string().min(1),
    note: z.string().optional(),
    days: z.array(holidayEntrySchema),
  })
  .superRefine((table, ctx) => {
    const byDate = new Map<string, HolidayEntry>();
    table.days.forEach((e, i) => {
      if (byDate.has(e.date)) {
        ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `date ${e.date} is listed twice` });
      }
      byDate.set(e.date, e);
    });
    table.days.forEach((e, i) => {
      const issue = (message: string, field = 'date'): void =>
        ctx.addIssue({ code: 'custom', path: ['days', i, field], message });
      if (!isRealDate(e.date)) return; // already reported by the field schema
      const day = parseIsoDate(e.date);
      const year = Number(e.date.slice(0, 4));
      if (e.kind === 'holiday' && year !== table.year) issue(`holiday ${e.date} is not in ${table.year}`);
      if (Math.abs(year - table.year) > 1) issue(`${e.date} is too far from ${table.year}`);
      switch (e.kind) {
        case 'holiday':
          break;
        case 'compensatory': {
          if (isWeekend(day)) issue(`compensatory day ${e.date} falls on a weekend`);
          const target = byDate.get(e.for);
          if (target?.kind !== 'holiday') issue(`compensatory day ${e.date}: ${e.for} is not a holiday in this table`, 'for');
          else if (!isWeekend(parseIsoDate(e.for))) issue(`compensatory day ${e.date}: holiday ${e.for} is not on a weekend`, 'for');
          else if (e.for >= e.date) issue(`compensatory day ${e.date} must come after ${e.for}`, 'for');
          break;
        }
        case 'swapped': {
          if (isWeekend(day)) issue(`swapped day ${e.date} falls on a weekend`);
          const target = byDate.get(e.makeUpDate);
          if (target?.kind !== 'makeUp' || target.for !== e.date) {
            issue(`swapped day ${e.date}: no make-up entry on ${e.makeUpDate} pointing back to it`, 'makeUpDate');
          }
          break;
        }
        case 'makeUp': {
          if (!isWeekend(day)) issue(`make-up working day ${e.date} is not a Saturday or Sunday`);
          const target = byDate.get(e.for);
          if (target?.kind !== 'swapped' || target.makeUpDate !== e.date) {
            issue(`make-up day ${e.date}: no swapped entry on ${e.for} pointing back to it`, 'for');
          }
          break;
        }
      }
    });
  });
export type HolidayYearTable = z.output<typeof holidayYearTableSchema>;
export type HolidayYearTableInput = z.input<typeof holidayYearTableSchema>;

export class HolidayTableError extends Error {
  override readonly name = 'HolidayTableError';
}

/** Validates a table (e.g. parsed JSON); throws HolidayTableError listing every problem. */
export function parseHolidayYearTable(data: unknown, origin = 'holiday table'): HolidayYearTable {
  const result = holidayYearTableSchema.safeParse(data);
  if (!result.success) {
    throw new HolidayTableError(`Invalid ${origin}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------
// Computed defaults (Labour Code 2019 art. 112, Decree 145/2020 art. 58)

/** The Labour Code 2019 took effect on 2021-01-01; the lunar tables end in 2199. */
export const COMPUTED_MIN_YEAR = 2021;
export const COMPUTED_MAX_YEAR = 2100;

const OCCASION_LABEL: Record<Occasion, string> = {
  'new-year': 'Tết Dương lịch',
  'lunar-new-year': 'Tết Âm lịch',
  'hung-kings': 'Giỗ Tổ Hùng Vương',
  'victory-day': 'Ngày Chiến thắng 30/4',
  'labour-day': 'Ngày Quốc tế lao động 1/5',
  'national-day': 'Quốc khánh 2/9',
  other: 'ngày lễ',
};

export function occasionLabel(occasion: Occasion): string {
  return OCCASION_LABEL[occasion];
}

/**
 * Which neighbour of 2/9 is the extra National Day holiday, by the weekday of
 * 2/9, following the choices made for 2021–2026 (Thu→3/9, Fri→1/9, Sat→1/9,
 * Mon→3/9, Tue→1/9, Wed→1/9). Sunday has no precedent yet: 3/9 (Monday), which
 * gives the same days off as 1/9 plus compensatory days would. (check)
 */
const NATIONAL_DAY_NEIGHBOUR: Record<number, 1 | 3> = { 0: 3, 1: 3, 2: 1, 3: 1, 4: 3, 5: 1, 6: 1 };

/**
 * Default holidays for a year with no announced table: 1/1; Tết = the last day
 * of the lunar year + mùng 1–4; Giỗ Tổ 10/3 lunar; 30/4; 1/5; 2/9 + one
 * neighbouring day. A holiday on Saturday or Sunday gives a compensatory day
 * on the next working day after the holiday run.
 */
export function computedHolidayYear(year: number): HolidayYearTable {
  if (!Number.isInteger(year) || year < COMPUTED_MIN_YEAR || year > COMPUTED_MAX_YEAR) {
    throw new RangeError(
      `No computed holiday defaults for ${String(year)}: they cover ${COMPUTED_MIN_YEAR}–${COMPUTED_MAX_YEAR} (Labour Code 2019); supply an explicit table`,
    );
  }
  const holidays: { day: number; name: string; occasion: Occasion }[] = [];
  const add = (day: number, name: string, occasion: Occasion): void => {
    if (holidays.some((h) => h.day === day)) {
      throw new Error(`Computed holidays for ${year}: two holidays on ${formatIsoDate(day)}`);
    }
    holidays.push({ day, name, occasion });
  };

  add(ymdToEpochDay(year, 1, 1), 'Tết Dương lịch', 'new-year');

  const tet = lunarToSolar(1, 1, year);
  const tetDay = ymdToEpochDay(tet.year, tet.month, tet.day);
  for (let offset = -1; offset <= 3; offset++) {
    const day = tetDay + offset;
    const lunar = offset < 0 ? lunarOf(day) : { day: offset + 1, month: 1, leap: false };
    add(day, `Tết Âm lịch (${lunarDayName(lunar.day)} ${lunarMonthName(lunar.month, lunar.leap)})`, 'lunar-new-year');
  }

  const hung = lunarToSolar(10, 3, year);
  add(ymdToEpochDay(hung.year, hung.month, hung.day), 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'hung-kings');
  add(ymdToEpochDay(year, 4, 30), 'Ngày Chiến thắng (30/4)', 'victory-day');
  add(ymdToEpochDay(year, 5, 1), 'Ngày Quốc tế lao động (1/5)', 'labour-day');

  const nationalDay = ymdToEpochDay(year, 9, 2);
  const neighbour = NATIONAL_DAY_NEIGHBOUR[weekdayOfEpochDay(nationalDay)] as 1 | 3;
  const nationalPair = [
    { day: nationalDay, name: 'Quốc khánh (2/9)' },
    { day: ymdToEpochDay(year, 9, neighbour), name: `Quốc khánh (ngày liền kề ${neighbour}/9)` },
  ].sort((a, b) => a.day - b.day);
  for (const h of nationalPair) add(h.day, h.name, 'national-day');

  holidays.sort((a, b) => a.day - b.day);
  const off = new Set(holidays.map((h) => h.day));
  const days: HolidayEntry[] = holidays.map((h) => ({
    kind: 'holiday',
    date: formatIsoDate(h.day),
    name: h.name,
    occasion: h.occasion,
  }));
  for (const h of holidays) {
    if (!isWeekend(h.day)) continue;
    let d = h.day + 1;
    while (isWeekend(d) || off.has(d)) d++;
    off.add(d);
    days.push({
      kind: 'compensatory',
      date: formatIsoDate(d),
      name: `Nghỉ bù ${OCCASION_LABEL[h.occasion]}`,
      occasion: h.occasion,
      for: formatIsoDate(h.day),
    });
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
  return parseHolidayYearTable(
    {
      year,
      status: 'check',
      computed: true,
      source:
        'Tính tự động theo Điều 112 Bộ luật Lao động 2019 và Điều 58 Nghị định 145/2020/NĐ-CP; chưa có thông báo chính thức cho năm này',
      days,
    },
    `computed holiday table ${year}`,
  );
}

function lunarOf(epochDay: number): { day: number; month: number; leap: boolean } {
  const [y, m, d] = formatIsoDate(epochDay).split('-').map(Number) as [number, number, number];
  return solarToLunar(y, m, d);
}

// ---------------------------------------------------------------------------
// Calendar

/** What deadline arithmetic needs from a calendar. */
export interface WorkingDayCalendar {
  isWorkingDay(date: DateInput): boolean;
}

export type DayKind = 'working' | 'weeklyRest' | HolidayEntryKind;

export interface DayExplanation {
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  working: boolean;
  kind: DayKind;
  /** Vietnamese sentence for citizens and officials. */
  text: string;
  entry: HolidayEntry | null;
  /** Whether the table behind this answer is official or still to be checked. */
  status: HolidayStatus;
  computed: boolean;
  source: string;
}

export interface HolidayCalendarOptions {
  /** Use Labour Code defaults for years without a table (default true). */
  computeMissingYears?: boolean;
}

interface Indexed {
  entry: HolidayEntry;
  table: HolidayYearTable;
}

export class HolidayCalendar implements WorkingDayCalendar {
  private readonly explicit = new Map<number, HolidayYearTable>();
  private readonly computed = new Map<number, HolidayYearTable>();
  private readonly byDay = new Map<number, Indexed>();
  private readonly computeMissingYears: boolean;

  /** Tables may be raw data (e.g. parsed JSON): each is validated. */
  constructor(tables: readonly unknown[] = [], options: HolidayCalendarOptions = {}) {
    this.computeMissingYears = options.computeMissingYears ?? true;
    tables.forEach((raw, i) => {
      const table = parseHolidayYearTable(raw, `holiday table #${i + 1}`);
      if (this.explicit.has(table.year)) {
        throw new HolidayTableError(`Two holiday tables for ${table.year}`);
      }
      this.explicit.set(table.year, table);
    });
    for (const table of this.explicit.values()) {
      for (const entry of table.days) {
        const day = parseIsoDate(entry.date);
        const other = this.byDay.get(day);
        if (other) {
          throw new HolidayTableError(
            `${entry.date} appears in the tables for both ${other.table.year} and ${table.year}`,
          );
        }
        this.byDay.set(day, { entry, table });
      }
    }
  }

  /** A new calendar where the given tables replace those of the same years. */
  withTables(tables: readonly unknown[]): HolidayCalendar {
    const replacement = tables.map((t, i) => parseHolidayYearTable(t, `holiday table #${i + 1}`));
    const years = new Set(replacement.map((t) => t.year));
    const kept = [...this.explicit.values()].filter((t) => !years.has(t.year));
    return new HolidayCalendar([...kept, ...replacement], { computeMissingYears: this.computeMissingYears });
  }

  /** Years that have an explicit table. */
  get tableYears(): number[] {
    return [...this.explicit.keys()].sort((a, b) => a - b);
  }

  /** The table in force for a year: the explicit one, else the computed default. */
  tableFor(year: number): HolidayYearTable {
    return this.explicit.get(year) ?? this.computedTable(year);
  }

  isWorkingDay(date: DateInput): boolean {
    return this.isWorkingEpochDay(toEpochDay(date));
  }

  /** Same as isWorkingDay, on a day number (days since 1970-01-01). */
  isWorkingEpochDay(epochDay: number): boolean {
    const hit = this.lookup(epochDay);
    if (hit) return hit.entry.kind === 'makeUp';
    return !isWeekend(epochDay);
  }

  explain(date: DateInput): DayExplanation {
    const day = toEpochDay(date);
    const hit = this.lookup(day);
    const table = hit?.table ?? this.tableFor(yearOf(day));
    const label = formatVnLongDate(day);
    const base = {
      date: formatIsoDate(day),
      weekday: weekdayOfEpochDay(day),
      computed: table.computed,
      source: table.source,
    };
    if (!hit) {
      const weekend = isWeekend(day);
      return {
        ...base,
        working: !weekend,
        kind: weekend ? 'weeklyRest' : 'working',
        text: weekend ? `${label}: ngày nghỉ hằng tuần.` : `${label}: ngày làm việc bình thường.`,
        entry: null,
        status: table.status,
      };
    }
    const { entry } = hit;
    const status = entry.status ?? table.status;
    let text: string;
    switch (entry.kind) {
      case 'holiday':
        text = `${label}: nghỉ lễ, Tết — ${entry.name}.`;
        break;
      case 'compensatory': {
        const target = this.byDay.get(parseIsoDate(entry.for))?.entry;
        const name = target?.name ?? OCCASION_LABEL[entry.occasion];
        text = `${label}: nghỉ bù vì ${name} rơi vào ngày nghỉ hằng tuần (${formatVnLongDate(parseIsoDate(entry.for))}).`;
        break;
      }
      case 'swapped':
        text = `${label}: nghỉ do hoán đổi ngày làm việc dịp ${OCCASION_LABEL[entry.occasion]}; làm bù vào ${formatVnLongDate(parseIsoDate(entry.makeUpDate))}.`;
        break;
      case 'makeUp':
        text = `${label}: ngày làm việc bù cho ${formatVnLongDate(parseIsoDate(entry.for))} (hoán đổi dịp ${OCCASION_LABEL[entry.occasion]}).`;
        break;
    }
    if (table.computed) {
      text += ` Ngày này được tính theo Bộ luật Lao động 2019 vì năm ${table.year} chưa có lịch nghỉ chính thức.`;
    } else if (status === 'check') {
      text += ' Lịch nghỉ này cần đối chiếu với thông báo chính thức.';
    }
    if (entry.note) text += ` ${entry.note}`;
    return {
      ...base,
      working: entry.kind === 'makeUp',
      kind: entry.kind,
      text,
      entry,
      status,
    };
  }

  private lookup(epochDay: number): Indexed | undefined {
    this.ensureYear(yearOf(epochDay));
    return this.byDay.get(epochDay);
  }

  private ensureYear(year: number): void {
    if (this.explicit.has(year) || this.computed.has(year)) return;
    this.computedTable(year);
  }

  private computedTable(year: number): HolidayYearTable {
    const cached = this.computed.get(year);
    if (cached) return cached;
    if (!this.computeMissingYears) {
      throw new RangeError(`No holiday table for ${year} and computed defaults are disabled`);
    }
    const table = computedHolidayYear(year);
    this.computed.set(year, table);
    for (const entry of table.days) {
      const day = parseIsoDate(entry.date);
      // An explicit table's entry (e.g. a make-up day spilling into this year) wins.
      if (!this.byDay.has(day)) this.byDay.set(day, { entry, table });
    }
    return table;
  }
}

function yearOf(epochDay: number): number {
  return Number(formatIsoDate(epochDay).slice(0, 4));
}
