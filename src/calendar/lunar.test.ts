import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDayToYmd, formatIsoDate, ymdToEpochDay } from './localDate.js';
import {
  LunarCalendar,
  leapMonthOf,
  lunarMonthsOfYear,
  lunarToSolar,
  lunarYearName,
  newMoonJde,
  solarToLunar,
  sunApparentLongitude,
  tetDate,
} from './lunar.js';

const iso = (d: { year: number; month: number; day: number }): string =>
  formatIsoDate(ymdToEpochDay(d.year, d.month, d.day));

describe('astronomy (Meeus worked examples)', () => {
  it('new moon of 1977 February (example 49.a)', () => {
    expect(newMoonJde(-283)).toBeCloseTo(2443192.65118, 4);
  });
  it('apparent solar longitude on 1992-10-13 (example 25.a)', () => {
    expect(sunApparentLongitude(2448908.5)).toBeCloseTo(199.90895, 4);
  });
});

describe('Tết (mùng 1 tháng Giêng)', () => {
  it.each([
    [1985, '1985-01-21'], // China: 1985-02-20
    [2007, '2007-02-17'], // China: 2007-02-18
    [2030, '2030-02-02'], // China: 2030-02-03
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    [2028, '2028-01-26'],
    [2029, '2029-02-13'],
  ])('Tết %i is %s', (year, expected) => {
    expect(iso(tetDate(year))).toBe(expected);
    const [y, m, d] = expected.split('-').map(Number) as [number, number, number];
    expect(solarToLunar(y, m, d)).toEqual({ day: 1, month: 1, year, leap: false });
  });

  it('the day before Tết is the last day of the previous lunar year', () => {
    expect(solarToLunar(2026, 2, 16)).toEqual({ day: 29, month: 12, year: 2025, leap: false });
    expect(solarToLunar(2025, 1, 28)).toEqual({ day: 29, month: 12, year: 2024, leap: false });
  });

  it('falls between 21 January and 20 February every year 1900–2100', () => {
    for (let y = 1900; y <= 2100; y++) {
      const t = iso(tetDate(y)).slice(5);
      expect(t >= '01-21' && t <= '02-20', `Tết ${y} on ${t}`).toBe(true);
    }
  });
});

describe('UTC+8 (Chinese calendar) differs where expected', () => {
  const china = new LunarCalendar(8);
  it.each([
    [1985, '1985-02-20'],
    [2007, '2007-02-18'],
    [2030, '2030-02-03'],
    [1954, '1954-02-03'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
  ])('Chinese New Year %i is %s', (year, expected) => {
    expect(iso(china.lunarToSolar(1, 1, year))).toBe(expected);
  });
});

describe('Giỗ Tổ Hùng Vương (10/3 âm lịch)', () => {
  it.each([
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
    [2023, '2023-04-29'],
  ])('%i is %s', (year, expected) => {
    expect(iso(lunarToSolar(10, 3, year))).toBe(expected);
  });
});

describe('leap months', () => {
  it.each([
    [2020, 4],
    [2023, 2],
    [2025, 6],
    [2028, 5],
    [2033, 11],
  ])('lunar year %i has leap month %i', (year, month) => {
    expect(leapMonthOf(year)).toBe(month);
  });

  it.each([2021, 2022, 2024, 2026, 2027, 2029])('lunar year %i has no leap month', (year) => {
    expect(leapMonthOf(year)).toBeNull();
  });

  it('leap month 6 of 2025 follows month 6 and converts both ways', () => {
    const months = lunarMonthsOfYear(2025);
    const i = months.findIndex((m) => m.leap);
    expect(months[i - 1]).toMatchObject({ month: 6, leap: false });
    expect(months[i]).toMatchObject({ month: 6, leap: true });
    expect(months[i + 1]).toMatchObject({ month: 7, leap: false });
    const start = months[i]!.start;
    const [y, m, d] = start.split('-').map(Number) as [number, number, number];
    expect(solarToLunar(y, m, d)).toEqual({ day: 1, month: 6, year: 2025, leap: true });
    expect(iso(lunarToSolar(1, 6, 2025, true))).toBe(start);
    expect(iso(lunarToSolar(1, 6, 2025, false))).not.toBe(start);
  });
});

describe('structure of every lunar year 1900–2100', () => {
  it('has 12 or 13 months of 29 or 30 days, contiguous and numbered in order', () => {
    let previousEnd: string | null = null;
    for (let year = 1900; year <= 2100; year++) {
      const months = lunarMonthsOfYear(year);
      const leaps = months.filter((m) => m.leap);
      expect(months.length === 12 || months.length === 13, `year ${year}`).toBe(true);
      expect(leaps.length).toBe(months.length - 12);
      expect(leapMonthOf(year)).toBe(leaps[0]?.month ?? null);
      expect(months[0]).toMatchObject({ month: 1, leap: false });
      let expectedMonth = 0;
      for (const m of months) {
        expect([29, 30]).toContain(m.days);
        if (m.leap) expect(m.month).toBe(expectedMonth);
        else expect(m.month).toBe(++expectedMonth);
        if (previousEnd !== null) expect(m.start).toBe(previousEnd);
        previousEnd = formatIsoDate(ymdToEpochDay(...(m.start.split('-').map(Number) as [number, number, number])) + m.days);
      }
      expect(expectedMonth).toBe(12);
      const total = months.reduce((s, m) => s + m.days, 0);
      expect(total >= 353 && total <= 385, `year ${year} has ${total} days`).toBe(true);
    }
  });
});

describe('round trip over every day 1900-01-01 … 2100-12-31', () => {
  it('solar → lunar → solar is the identity, and lunar days advance by one', () => {
    const first = ymdToEpochDay(1900, 1, 1);
    const last = ymdToEpochDay(2100, 12, 31);
    let prev = solarToLunar(1900, 1, 1);
    expect(prev).toEqual({ day: 1, month: 12, year: 1899, leap: false });
    for (let d = first; d <= last; d++) {
      const s = epochDayToYmd(d);
      const l = solarToLunar(s.year, s.month, s.day);
      const back = lunarToSolar(l.day, l.month, l.year, l.leap);
      if (back.year !== s.year || back.month !== s.month || back.day !== s.day) {
        expect.fail(`${formatIsoDate(d)} → ${JSON.stringify(l)} → ${iso(back)}`);
      }
      if (d > first && !(l.day === prev.day + 1 || (l.day === 1 && (prev.day === 29 || prev.day === 30)))) {
        expect.fail(`${formatIsoDate(d)}: lunar day ${l.day} follows ${prev.day}`);
      }
      prev = l;
    }
  });
});

describe('properties', () => {
  const solarDay = fc.integer({ min: ymdToEpochDay(1900, 1, 1), max: ymdToEpochDay(2199, 12, 31) });

  it('solarToLunar ∘ lunarToSolar round-trips on random dates 1900–2199', () => {
    fc.assert(
      fc.property(solarDay, (d) => {
        const s = epochDayToYmd(d);
        const l = solarToLunar(s.year, s.month, s.day);
        expect(lunarToSolar(l.day, l.month, l.year, l.leap)).toEqual(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('lunarToSolar ∘ solarToLunar round-trips on random lunar dates', () => {
    const lunarDate = fc
      .record({ year: fc.integer({ min: 1900, max: 2198 }), index: fc.nat(12), day: fc.integer({ min: 1, max: 30 }) })
      .map(({ year, index, day }) => {
        const months = lunarMonthsOfYear(year);
        const m = months[index % months.length]!;
        return { year, month: m.month, leap: m.leap, day: Math.min(day, m.days) };
      });
    fc.assert(
      fc.property(lunarDate, (l) => {
        const s = lunarToSolar(l.day, l.month, l.year, l.leap);
        expect(solarToLunar(s.year, s.month, s.day)).toEqual(l);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('invalid input', () => {
  it.each([
    [() => solarToLunar(2025, 2, 29), /day 29/],
    [() => solarToLunar(2025, 13, 1), /month 13/],
    [() => solarToLunar(2025.5, 1, 1), /year/],
    [() => solarToLunar(1899, 12, 31), /outside the supported/],
    [() => solarToLunar(2200, 1, 1), /outside the supported/],
    [() => lunarToSolar(30, 12, 2024), /day 30 is not in 1–29/],
    [() => lunarToSolar(0, 1, 2025), /day 0/],
    [() => lunarToSolar(1, 6, 2024, true), /no leap month 6/],
    [() => lunarToSolar(1, 2, 2025, true), /no leap month 2/],
    [() => lunarToSolar(1, 13, 2025), /month 13/],
    [() => lunarToSolar(1, 1, 1800), /lunar year 1800/],
    [() => lunarToSolar(1, 1, Number.NaN), /lunar year/],
    [() => new LunarCalendar(20), /UTC offset/],
  ])('throws RangeError (%#)', (fn, message) => {
    expect(fn).toThrow(RangeError);
    expect(fn).toThrow(message);
  });
});

describe('names', () => {
  it('gives Can Chi year names', () => {
    expect(lunarYearName(2025)).toBe('Ất Tỵ');
    expect(lunarYearName(2026)).toBe('Bính Ngọ');
    expect(lunarYearName(2027)).toBe('Đinh Mùi');
    expect(lunarYearName(1985)).toBe('Ất Sửu');
  });
});
