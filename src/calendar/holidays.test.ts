import { beforeAll, describe, expect, it } from 'vitest';
import {
  HolidayCalendar,
  HolidayTableError,
  computedHolidayYear,
  parseHolidayYearTable,
  type HolidayYearTable,
  type HolidayYearTableInput,
} from './holidays.js';
import { loadHolidayTables } from './index.js';
import { formatIsoDate, isWeekend, parseIsoDate, ymdToEpochDay } from './localDate.js';
import { lunarToSolar } from './lunar.js';

let tables: HolidayYearTable[];
let cal: HolidayCalendar;

beforeAll(async () => {
  tables = await loadHolidayTables();
  cal = new HolidayCalendar(tables);
});

/** Every date from a to b inclusive. */
function range(a: string, b: string): string[] {
  const out: string[] = [];
  for (let d = parseIsoDate(a); d <= parseIsoDate(b); d++) out.push(formatIsoDate(d));
  return out;
}

function expectOff(dates: string[]): void {
  for (const d of dates) expect(cal.isWorkingDay(d), `${d} should be a day off`).toBe(false);
}

function expectWorking(dates: string[]): void {
  for (const d of dates) expect(cal.isWorkingDay(d), `${d} should be a working day`).toBe(true);
}

describe('committed tables', () => {
  it('cover 2025–2027 with the expected status', () => {
    expect(tables.map((t) => [t.year, t.status, t.computed])).toEqual([
      [2025, 'official', false],
      [2026, 'check', false],
      [2027, 'check', true],
    ]);
    expect(cal.tableYears).toEqual([2025, 2026, 2027]);
  });

  it('2027 equals the computed defaults (nothing announced yet)', () => {
    const t2027 = tables.find((t) => t.year === 2027)!;
    expect(t2027.days).toEqual(computedHolidayYear(2027).days);
  });
});

describe('Tết Dương lịch', () => {
  it('2025: 1 January only', () => {
    expectOff(['2025-01-01']);
    expectWorking(['2024-12-31', '2025-01-02', '2025-01-03']);
  });
  it('2026: 1–4 January, 2 January swapped with Saturday 10 January', () => {
    expectOff(range('2026-01-01', '2026-01-04'));
    expectWorking(['2025-12-31', '2026-01-05', '2026-01-10']);
    expect(cal.explain('2026-01-02')).toMatchObject({ kind: 'swapped', working: false });
    const makeUp = cal.explain('2026-01-10');
    expect(makeUp).toMatchObject({ kind: 'makeUp', working: true, status: 'check' });
    expect(makeUp.text).toContain('làm việc bù');
    expect(makeUp.text).toContain('02/01/2026');
  });
});

describe('Tết Âm lịch', () => {
  it('2025: off Saturday 25 January – Sunday 2 February', () => {
    expectOff(range('2025-01-25', '2025-02-02'));
    expectWorking(['2025-01-24', '2025-02-03']);
    expect(cal.explain('2025-01-29')).toMatchObject({ kind: 'holiday', status: 'official', computed: false });
    expect(cal.explain('2025-01-29').text).toContain('mùng 1 tháng Giêng');
  });
  it('2026: off Saturday 14 – Sunday 22 February (mùng 1 = Tuesday 17)', () => {
    expectOff(range('2026-02-14', '2026-02-22'));
    expectWorking(['2026-02-13', '2026-02-23']);
    const holidays = tables.find((t) => t.year === 2026)!.days.filter((d) => d.occasion === 'lunar-new-year');
    expect(holidays.map((d) => d.date)).toEqual(range('2026-02-16', '2026-02-20'));
  });
  it('2027 (computed): 29 Chạp – mùng 4, with compensatory days for Saturday and Sunday', () => {
    expectOff(range('2027-02-05', '2027-02-11'));
    expectWorking(['2027-02-04', '2027-02-12']);
    const e = cal.explain('2027-02-10');
    expect(e).toMatchObject({ kind: 'compensatory', computed: true, status: 'check' });
    expect(e.text).toContain('nghỉ bù');
    expect(e.text).toContain('chưa có lịch nghỉ chính thức');
  });
});

describe('Giỗ Tổ Hùng Vương', () => {
  it('2025: Monday 7 April', () => {
    expectOff(['2025-04-07']);
    expectWorking(['2025-04-04', '2025-04-08']);
  });
  it('2026: Sunday 26 April → compensatory Monday 27 April', () => {
    expect(cal.explain('2026-04-26')).toMatchObject({ kind: 'holiday', working: false });
    const e = cal.explain('2026-04-27');
    expect(e).toMatchObject({ kind: 'compensatory', working: false });
    expect(e.entry).toMatchObject({ for: '2026-04-26' });
    expect(e.text).toBe(
      'Thứ Hai, 27/04/2026: nghỉ bù vì Giỗ Tổ Hùng Vương (10/3 âm lịch) rơi vào ngày nghỉ hằng tuần (Chủ nhật, 26/04/2026). Lịch nghỉ này cần đối chiếu với thông báo chính thức.',
    );
    expectWorking(['2026-04-24', '2026-04-28', '2026-04-29']);
  });
  it('2027: Friday 16 April', () => {
    expectOff(['2027-04-16']);
  });
});

describe('30/4 and 1/5', () => {
  it('2025: 30 April – 4 May, 2 May swapped with Saturday 26 April', () => {
    expectOff(range('2025-04-30', '2025-05-04'));
    expectWorking(['2025-04-26', '2025-04-29', '2025-05-05']);
    expect(cal.explain('2025-05-02')).toMatchObject({ kind: 'swapped', entry: { makeUpDate: '2025-04-26' } });
  });
  it('2026: Thursday 30 April and Friday 1 May', () => {
    expectOff(range('2026-04-30', '2026-05-03'));
    expectWorking(['2026-04-29', '2026-05-04']);
  });
  it('2027 (computed): 1 May is a Saturday → compensatory Monday 3 May', () => {
    expectOff(['2027-04-30', '2027-05-01', '2027-05-02', '2027-05-03']);
    expectWorking(['2027-05-04']);
  });
});

describe('Quốc khánh 2/9', () => {
  it('2025: Monday 1 and Tuesday 2 September', () => {
    expectOff(range('2025-08-30', '2025-09-02'));
    expectWorking(['2025-08-29', '2025-09-03']);
  });
  it('2026: 29 August – 2 September, 31 August swapped with Saturday 22 August', () => {
    expectOff(range('2026-08-29', '2026-09-02'));
    expectWorking(['2026-08-22', '2026-08-28', '2026-09-03']);
  });
  it('2027 (computed): Thursday 2 and Friday 3 September', () => {
    expectOff(['2027-09-02', '2027-09-03']);
    expectWorking(['2027-09-01', '2027-09-06']);
  });
});

describe('weekdays and weekly rest', () => {
  it('explains an ordinary working day and a weekend', () => {
    expect(cal.explain('2026-03-04')).toMatchObject({
      working: true,
      kind: 'working',
      text: 'Thứ Tư, 04/03/2026: ngày làm việc bình thường.',
      entry: null,
    });
    expect(cal.explain('2026-03-07')).toMatchObject({
      working: false,
      kind: 'weeklyRest',
      text: 'Thứ Bảy, 07/03/2026: ngày nghỉ hằng tuần.',
    });
  });
  it('accepts instants and converts them to Việt Nam local dates', () => {
    // 2026-04-26T17:30Z is 00:30 on Monday 27 April in Việt Nam.
    expect(cal.explain(new Date('2026-04-26T17:30:00Z')).date).toBe('2026-04-27');
    expect(cal.explain('2026-04-26T16:59:00Z').date).toBe('2026-04-26');
    expect(cal.explain('2026-04-27T00:30:00+07:00').kind).toBe('compensatory');
  });
  it('rejects bad dates', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('27/04/2026')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2026-04-27T10:00:00')).toThrow(/offset/);
    expect(() => cal.isWorkingDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('computedHolidayYear (Labour Code 2019 art. 112)', () => {
  it('gives 11 holidays, Tết on 30 Chạp/29 Chạp + mùng 1–4, Giỗ Tổ on 10/3, every year 2021–2100', () => {
    for (let year = 2021; year <= 2100; year++) {
      const t = computedHolidayYear(year);
      expect(t).toMatchObject({ year, computed: true, status: 'check' });
      const holidays = t.days.filter((d) => d.kind === 'holiday');
      expect(holidays).toHaveLength(11);
      const tet = lunarToSolar(1, 1, year);
      const tetDay = ymdToEpochDay(tet.year, tet.month, tet.day);
      expect(holidays.filter((h) => h.occasion === 'lunar-new-year').map((h) => h.date)).toEqual(
        [-1, 0, 1, 2, 3].map((o) => formatIsoDate(tetDay + o)),
      );
      const hung = lunarToSolar(10, 3, year);
      expect(holidays.find((h) => h.occasion === 'hung-kings')?.date).toBe(
        formatIsoDate(ymdToEpochDay(hung.year, hung.month, hung.day)),
      );
      // One compensatory weekday per holiday that falls on a weekend.
      const onWeekend = holidays.filter((h) => isWeekend(parseIsoDate(h.date)));
      const compensatory = t.days.filter((d) => d.kind === 'compensatory');
      expect(compensatory).toHaveLength(onWeekend.length);
      for (const c of compensatory) expect(isWeekend(parseIsoDate(c.date))).toBe(false);
    }
  });

  it.each([
    // Years decided under the Labour Code 2019, used to check the 2/9 neighbour rule.
    [2021, ['2021-09-02', '2021-09-03']],
    [2022, ['2022-09-01', '2022-09-02']],
    [2023, ['2023-09-01', '2023-09-02', '2023-09-04']],
    [2024, ['2024-09-02', '2024-09-03']],
    [2025, ['2025-09-01', '2025-09-02']],
  ])('National Day %i matches the days actually given off', (year, expected) => {
    const days = computedHolidayYear(year).days.filter((d) => d.occasion === 'national-day');
    expect(days.map((d) => d.date)).toEqual(expected);
  });

  it('differs from the announced 2025 Tết, which is why tables exist', () => {
    const tet = computedHolidayYear(2025).days.filter((d) => d.occasion === 'lunar-new-year');
    expect(tet.map((d) => d.date)).toEqual(range('2025-01-28', '2025-02-01').concat('2025-02-03'));
  });

  it('2028: 1 January is a Saturday → compensatory Monday 3 January', () => {
    expect(cal.explain('2028-01-03')).toMatchObject({ kind: 'compensatory', computed: true });
  });

  it.each([2020, 2101, 2025.5])('refuses %s', (year) => {
    expect(() => computedHolidayYear(year)).toThrow(RangeError);
  });

  it('a calendar cannot answer for a year with neither table nor defaults', () => {
    expect(() => cal.isWorkingDay('2019-05-02')).toThrow(/2021–2100/);
    const strict = new HolidayCalendar(tables, { computeMissingYears: false });
    expect(strict.isWorkingDay('2026-04-27')).toBe(false);
    expect(() => strict.isWorkingDay('2028-01-03')).toThrow(RangeError);
  });
});

describe('table validation (zod)', () => {
  const base = (): HolidayYearTableInput => ({
    year: 2030,
    status: 'official',
    source: 'test',
    days: [
      { kind: 'holiday', date: '2030-01-01', name: 'Tết Dương lịch', occasion: 'new-year' },
      { kind: 'swapped', date: '2030-01-02', name: 'Nghỉ hoán đổi', occasion: 'new-year', makeUpDate: '2030-01-05' },
      { kind: 'makeUp', date: '2030-01-05', name: 'Làm bù', occasion: 'new-year', for: '2030-01-02' },
    ],
  });

  it('accepts a consistent table', () => {
    const t = parseHolidayYearTable(base());
    expect(t.computed).toBe(false);
  });

  it.each<[string, (t: HolidayYearTableInput) => void, RegExp]>([
    ['an impossible date', (t) => (t.days[0]!.date = '2030-02-30'), /real date/],
    ['a duplicate date', (t) => t.days.push({ ...t.days[0]! }), /listed twice/],
    ['a holiday outside the year', (t) => (t.days[0]!.date = '2031-01-01'), /not in 2030/],
    ['a make-up day on a weekday', (t) => ((t.days[2] as { date: string }).date = '2030-01-07'), /not a Saturday or Sunday/],
    ['a swapped day without make-up', (t) => t.days.pop(), /no make-up entry/],
    ['an unknown field', (t) => ((t as Record<string, unknown>).extra = 1), /extra/],
    ['an unknown kind', (t) => ((t.days[0] as { kind: string }).kind = 'bonus'), /kind/],
    ['a bad status', (t) => ((t as { status: string }).status = 'draft'), /status/],
    [
      'a compensatory day for a weekday holiday',
      (t) => t.days.push({ kind: 'compensatory', date: '2030-01-03', name: 'Nghỉ bù', occasion: 'new-year', for: '2030-01-01' }),
      /not on a weekend/,
    ],
  ])('rejects %s', (_label, mutate, message) => {
    const t = base();
    mutate(t);
    expect(() => parseHolidayYearTable(t)).toThrow(HolidayTableError);
    expect(() => parseHolidayYearTable(t)).toThrow(message);
  });

  it('rejects two tables for one year, and one date in two tables', () => {
    expect(() => new HolidayCalendar([base(), base()])).toThrow(/Two holiday tables/);
    // A 2031 table whose swap reaches back into 2030 and collides with the 2030 table.
    const other = { ...base(), year: 2031, days: base().days.slice(1) };
    expect(() => new HolidayCalendar([base(), other])).toThrow(/both 2030 and 2031/);
  });
});

describe('province override', () => {
  it('an edited table replaces the default for its year only', () => {
    const t2026 = tables.find((t) => t.year === 2026)!;
    const edited = {
      ...t2026,
      status: 'official',
      source: 'Quyết định của UBND tỉnh (ví dụ)',
      // The province keeps 31 August as a working day: drop the swap.
      days: t2026.days.filter((d) => d.date !== '2026-08-31' && d.date !== '2026-08-22'),
    };
    const provincial = cal.withTables([edited]);
    expect(provincial.isWorkingDay('2026-08-31')).toBe(true);
    expect(provincial.isWorkingDay('2026-08-22')).toBe(false);
    expect(provincial.explain('2026-09-02').status).toBe('official');
    expect(provincial.isWorkingDay('2025-05-02')).toBe(false);
    // The original calendar is unchanged.
    expect(cal.isWorkingDay('2026-08-31')).toBe(false);
  });
});
