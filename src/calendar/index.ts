/**
 * Working-day calendar for Việt Nam's one-stop shops: lunar calendar, holiday
 * tables and deadline arithmetic. Everything here is pure except the loaders,
 * which read the committed JSON tables under data/holidays/.
 */
import { readdir, readFile } from 'node:fs/promises';
import { HolidayCalendar, HolidayTableError, parseHolidayYearTable, type HolidayCalendarOptions, type HolidayYearTable } from './holidays.js';

export {
  LUNAR_MAX_DATE,
  LUNAR_MIN_DATE,
  LunarCalendar,
  leapMonthOf,
  lunarDayName,
  lunarMonthName,
  lunarMonthsOfYear,
  lunarToSolar,
  lunarYearName,
  solarToLunar,
  tetDate,
  vietnameseLunarCalendar,
  type LunarDate,
  type LunarMonthInfo,
  type SolarDate,
} from './lunar.js';
export {
  COMPUTED_MAX_YEAR,
  COMPUTED_MIN_YEAR,
  HolidayCalendar,
  HolidayTableError,
  computedHolidayYear,
  holidayEntrySchema,
  holidayStatusSchema,
  holidayYearTableSchema,
  occasionLabel,
  occasionSchema,
  parseHolidayYearTable,
  type DayExplanation,
  type DayKind,
  type HolidayCalendarOptions,
  type HolidayEntry,
  type HolidayEntryKind,
  type HolidayStatus,
  type HolidayYearTable,
  type HolidayYearTableInput,
  type Occasion,
  type WorkingDayCalendar,
} from './holidays.js';
export {
  DEFAULT_DEADLINE_RULES,
  addWorkingDays,
  dueDate,
  nextWorkingDay,
  workingDaysBetween,
  type DeadlineRules,
  type DueDateRequest,
  type DueDateResult,
  type PauseDetail,
  type PauseInput,
  type ReceiptShift,
} from './deadline.js';
export { VN_UTC_OFFSET_MINUTES, isoDateInVn, type DateInput } from './localDate.js';

/** The committed tables: data/holidays/YYYY.json at the repository root. */
export const DEFAULT_HOLIDAY_DIR = new URL('../../data/holidays/', import.meta.url);

const TABLE_FILE = /^(\d{4})\.json$/;

/** Reads and validates every `YYYY.json` table in a directory. */
export async function loadHolidayTables(dir: URL = DEFAULT_HOLIDAY_DIR): Promise<HolidayYearTable[]> {
  const names = (await readdir(dir)).filter((n) => TABLE_FILE.test(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const url = new URL(name, dir);
      let data: unknown;
      try {
        data = JSON.parse(await readFile(url, 'utf8'));
      } catch (err) {
        throw new HolidayTableError(`Cannot read holiday table ${url.pathname}: ${(err as Error).message}`);
      }
      const table = parseHolidayYearTable(data, `holiday table ${url.pathname}`);
      const fileYear = Number(TABLE_FILE.exec(name)?.[1]);
      if (table.year !== fileYear) {
        throw new HolidayTableError(`Holiday table ${url.pathname} declares year ${table.year}`);
      }
      return table;
    }),
  );
}

/**
 * The calendar from the committed tables, with Labour Code defaults for years
 * that have none.
 */
export async function loadDefaultCalendar(options: HolidayCalendarOptions = {}): Promise<HolidayCalendar> {
  return new HolidayCalendar(await loadHolidayTables(), { computeMissingYears: true, ...options });
}
