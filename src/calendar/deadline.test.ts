import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, dueDate, nextWorkingDay, workingDaysBetween, type PauseInput } from './deadline.js';
import type { HolidayCalendar } from './holidays.js';
import { loadDefaultCalendar } from './index.js';
import { formatIsoDate, parseIsoDate } from './localDate.js';

let cal: HolidayCalendar;
beforeAll(async () => {
  cal = await loadDefaultCalendar();
});

const vn = (localDateTime: string): string => `${localDateTime}+07:00`;
const due = (receivedAt: string | Date, workingDays: number, pauses?: PauseInput[]): string | null =>
  dueDate({ receivedAt, workingDays, ...(pauses ? { pauses } : {}) }, cal).due;

describe('same-day procedures and the 15:00 rule', () => {
  // Monday 2 March 2026 is an ordinary working day.
  it.each([
    ['14:59', '2026-03-02'],
    ['15:00', '2026-03-02'],
    ['15:00:00.999', '2026-03-03'],
    ['15:01', '2026-03-03'],
    ['16:30', '2026-03-03'],
    ['23:59', '2026-03-03'],
    ['07:00', '2026-03-02'],
  ])('received Monday at %s → due %s', (time, expected) => {
    expect(due(vn(`2026-03-02T${time}`), 0)).toBe(expected);
  });

  it('explains the shift', () => {
    const r = dueDate({ receivedAt: vn('2026-03-02T15:01'), workingDays: 0 }, cal);
    expect(r).toMatchObject({ receiptShift: 'afterSameDayCutoff', countFrom: '2026-03-03', due: '2026-03-03' });
    expect(r.notes[0]).toContain('sau 15:00');
  });

  it('received Friday after 15:00 → Monday', () => {
    expect(due(vn('2026-03-06T15:30'), 0)).toBe('2026-03-09');
  });

  it('received Friday after 15:00 before the Giỗ Tổ weekend → Tuesday (Monday is compensatory)', () => {
    expect(due(vn('2026-04-24T15:30'), 0)).toBe('2026-04-28');
  });

  it('received on a holiday → the first working day after Tết', () => {
    const r = dueDate({ receivedAt: vn('2026-02-17T09:00'), workingDays: 0 }, cal);
    expect(r).toMatchObject({ due: '2026-02-23', receiptShift: 'nonWorkingDay', countFrom: '2026-02-23' });
  });

  it('a make-up Saturday is a working day', () => {
    expect(due(vn('2026-01-10T09:00'), 0)).toBe('2026-01-10');
    expect(due(vn('2026-01-10T15:30'), 0)).toBe('2026-01-12');
  });

  it('takes the instant in any offset and counts in Việt Nam time', () => {
    expect(due('2026-03-02T07:59:00Z', 0)).toBe('2026-03-02'); // 14:59 local
    expect(due('2026-03-02T08:01:00Z', 0)).toBe('2026-03-03'); // 15:01 local
    expect(due(new Date('2026-03-02T08:00:00Z'), 0)).toBe('2026-03-02'); // 15:00 local
    expect(due('2026-03-02T18:00:00Z', 0)).toBe('2026-03-03'); // 01:00 Tuesday local
    expect(due('2026-03-02T10:00:00+09:00', 0)).toBe('2026-03-02');
  });

  it('uses a configured cut-off', () => {
    const r = dueDate({ receivedAt: vn('2026-03-02T14:30'), workingDays: 0 }, cal, { sameDayCutoff: '14:00' });
    expect(r.due).toBe('2026-03-03');
  });
});

describe('N working days', () => {
  it('does not count the day of receipt', () => {
    expect(due(vn('2026-03-02T09:00'), 1)).toBe('2026-03-03');
    expect(due(vn('2026-03-02T09:00'), 5)).toBe('2026-03-09');
  });

  it('skips the compensatory Monday after Giỗ Tổ', () => {
    expect(due(vn('2026-04-23T10:00'), 3)).toBe('2026-04-29');
  });

  it('skips 30/4–1/5 and the weekend', () => {
    expect(due(vn('2026-04-29T10:00'), 2)).toBe('2026-05-05');
  });

  it('skips Tết', () => {
    const r = dueDate({ receivedAt: vn('2026-02-13T10:00'), workingDays: 3 }, cal);
    expect(r).toMatchObject({ due: '2026-02-25', countFrom: '2026-02-13', receiptShift: 'none' });
  });

  it('received on a holiday counts from the next working day, which itself is not counted', () => {
    expect(due(vn('2026-02-17T09:00'), 3)).toBe('2026-02-26');
    expect(due(vn('2026-03-07T09:00'), 1)).toBe('2026-03-10'); // Saturday → Monday is the receipt day
  });

  it('received after office hours counts from the next working day', () => {
    expect(due(vn('2026-03-02T16:59'), 1)).toBe('2026-03-03');
    expect(due(vn('2026-03-02T17:00'), 1)).toBe('2026-03-03');
    const r = dueDate({ receivedAt: vn('2026-03-02T17:30'), workingDays: 1 }, cal);
    expect(r).toMatchObject({ due: '2026-03-04', receiptShift: 'afterOfficeHours', countFrom: '2026-03-03' });
    expect(dueDate({ receivedAt: vn('2026-03-02T16:30'), workingDays: 1 }, cal, { officeHoursEnd: '16:00' }).due).toBe(
      '2026-03-04',
    );
  });

  it('uses the 2025 swap: Saturday 26 April 2025 is worked, Friday 2 May is not', () => {
    expect(due(vn('2025-04-25T09:00'), 1)).toBe('2025-04-26');
    expect(due(vn('2025-04-29T09:00'), 1)).toBe('2025-05-05');
  });
});

describe('pauses while a supplement is awaited', () => {
  const received = vn('2026-03-02T09:00'); // Monday; 5 working days → Monday 9 March

  it('one pause adds its working days', () => {
    const r = dueDate({ receivedAt: received, workingDays: 5, pauses: [{ from: '2026-03-03', to: '2026-03-05' }] }, cal);
    expect(r).toMatchObject({
      due: '2026-03-11',
      dueWithoutPauses: '2026-03-09',
      pausedWorkingDays: 2,
      pauses: [{ from: '2026-03-03', to: '2026-03-05', workingDays: 2, extended: true }],
    });
    expect(r.notes.some((n) => n.includes('cộng thêm 2 ngày làm việc'))).toBe(true);
  });

  it('several pauses add up (given in any order)', () => {
    const pauses = [
      { from: vn('2026-03-10T10:00'), to: vn('2026-03-12T08:30') },
      { from: '2026-03-03', to: '2026-03-05' },
    ];
    const r = dueDate({ receivedAt: received, workingDays: 5, pauses }, cal);
    expect(r.due).toBe('2026-03-13');
    expect(r.pausedWorkingDays).toBe(4);
  });

  it('a pause across a holiday counts only working days', () => {
    // Received Monday 20 April; the pause spans Giỗ Tổ, 30/4 and 1/5.
    const r = dueDate(
      { receivedAt: vn('2026-04-20T09:00'), workingDays: 5, pauses: [{ from: '2026-04-24', to: '2026-05-04' }] },
      cal,
    );
    expect(r).toMatchObject({ dueWithoutPauses: '2026-04-28', pausedWorkingDays: 3, due: '2026-05-05' });
  });

  it('a pause within one day costs nothing', () => {
    expect(due(received, 5, [{ from: vn('2026-03-03T09:00'), to: vn('2026-03-03T11:00') }])).toBe('2026-03-09');
  });

  it('a same-day procedure paused until a later day is due on resumption', () => {
    expect(due(received, 0, [{ from: vn('2026-03-02T10:00'), to: vn('2026-03-04T09:00') }])).toBe('2026-03-04');
  });

  it('an open pause leaves the due date unknown', () => {
    const r = dueDate({ receivedAt: received, workingDays: 5, pauses: [{ from: '2026-03-03', to: '2026-03-05' }, { from: vn('2026-03-06T10:00') }] }, cal);
    expect(r.due).toBeNull();
    expect(r.reason).toContain('tạm dừng chờ bổ sung từ ngày 06/03/2026');
    expect(r.pauses[1]).toMatchObject({ to: null, workingDays: null });
    expect(r.dueWithoutPauses).toBe('2026-03-09');
    expect(due(received, 5, [{ from: '2026-03-04', to: null }])).toBeNull();
  });

  it('a pause that starts after the due date does not extend it', () => {
    const r = dueDate({ receivedAt: received, workingDays: 1, pauses: [{ from: '2026-03-05', to: '2026-03-10' }] }, cal);
    expect(r).toMatchObject({ due: '2026-03-03', pausedWorkingDays: 0, pauses: [{ extended: false, workingDays: 3 }] });
    expect(due(received, 1, [{ from: '2026-03-05' }])).toBe('2026-03-03');
  });

  it.each<[string, PauseInput[], RegExp]>([
    ['a pause before receipt (date)', [{ from: '2026-03-01', to: '2026-03-03' }], /before the dossier was received/],
    ['a pause before receipt (time)', [{ from: vn('2026-03-02T08:00'), to: '2026-03-03' }], /before the dossier was received/],
    ['a pause ending before it starts', [{ from: '2026-03-05', to: '2026-03-04' }], /ends before it starts/],
    [
      'overlapping pauses',
      [
        { from: '2026-03-03', to: '2026-03-06' },
        { from: '2026-03-05', to: '2026-03-09' },
      ],
      /overlaps/,
    ],
    ['an open pause followed by another', [{ from: '2026-03-03' }, { from: '2026-03-05', to: '2026-03-06' }], /only the latest/],
    ['a bad pause date', [{ from: '2026-13-01' }], /month 13/],
    ['a pause time without offset', [{ from: '2026-03-03T10:00' }], /offset/],
  ])('rejects %s', (_label, pauses, message) => {
    expect(() => dueDate({ receivedAt: received, workingDays: 5, pauses }, cal)).toThrow(RangeError);
    expect(() => dueDate({ receivedAt: received, workingDays: 5, pauses }, cal)).toThrow(message);
  });
});

describe('input validation', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['no offset', () => due('2026-03-02T09:00:00', 1), /time zone offset/],
    ['a date only', () => due('2026-03-02', 1), /time zone offset/],
    ['nonsense', () => due('hôm qua', 1), /Invalid date-time/],
    ['an impossible date', () => due(vn('2026-02-29T09:00'), 1), /day 29/],
    ['an impossible time', () => due(vn('2026-03-02T24:00'), 1), /time of day/],
    ['an invalid Date', () => due(new Date('x'), 1), /Date is invalid/],
    ['negative days', () => due(vn('2026-03-02T09:00'), -1), /workingDays/],
    ['fractional days', () => due(vn('2026-03-02T09:00'), 1.5), /workingDays/],
    ['NaN days', () => due(vn('2026-03-02T09:00'), Number.NaN), /workingDays/],
    [
      'a bad cut-off',
      () => dueDate({ receivedAt: vn('2026-03-02T09:00'), workingDays: 0 }, cal, { sameDayCutoff: '3pm' }),
      /sameDayCutoff/,
    ],
    ['a year without calendar', () => due(vn('2019-03-04T09:00'), 1), /2021–2100/],
    ['addWorkingDays with negative n', () => addWorkingDays('2026-03-02', -1, cal), /0–100000/],
  ])('rejects %s with a RangeError', (_label, fn, message) => {
    expect(fn).toThrow(RangeError);
    expect(fn).toThrow(message);
  });
});

describe('workingDaysBetween / addWorkingDays / nextWorkingDay', () => {
  it('count working days after a, up to and including b', () => {
    expect(workingDaysBetween('2026-02-13', '2026-02-23', cal)).toBe(1);
    expect(workingDaysBetween('2026-02-23', '2026-02-13', cal)).toBe(-1);
    expect(workingDaysBetween('2026-03-02', '2026-03-02', cal)).toBe(0);
    // 261 weekdays in 2026, minus 11 weekday holidays; the two swaps cancel out.
    expect(workingDaysBetween('2025-12-31', '2026-12-31', cal)).toBe(250);
  });

  it('add working days across Tết and onto a make-up Saturday', () => {
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-23');
    expect(addWorkingDays('2026-01-09', 1, cal)).toBe('2026-01-10');
    expect(addWorkingDays('2026-02-15', 0, cal)).toBe('2026-02-15');
    expect(nextWorkingDay('2026-02-13', cal)).toBe('2026-02-23');
    expect(nextWorkingDay(vn('2026-04-24T20:00'), cal)).toBe('2026-04-28');
  });
});

describe('properties (fast-check)', () => {
  const FROM = Date.UTC(2025, 0, 1);
  const TO = Date.UTC(2098, 11, 31);
  const instant = fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms));
  const localDate = fc.integer({ min: FROM, max: TO }).map((ms) => formatIsoDate(Math.floor(ms / 86_400_000)));
  const days = fc.integer({ min: 0, max: 60 });
  const runs = { numRuns: 1000 };

  /** Up to three closed, non-overlapping pauses starting on or after the receipt day. */
  const pausesAfter = (receipt: Date) =>
    fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 20 })), { maxLength: 3 }).map((spec) => {
      let cursor = parseIsoDate(dueDate({ receivedAt: receipt, workingDays: 0 }, cal).receivedAt.slice(0, 10));
      return spec.map(([gap, length]) => {
        const from = cursor + gap;
        cursor = from + length;
        return { from: formatIsoDate(from), to: formatIsoDate(cursor) };
      });
    });

  it('the due date is always a working day, on or after the receipt day', () => {
    fc.assert(
      fc.property(instant, days, (receivedAt, n) => {
        const r = dueDate({ receivedAt, workingDays: n }, cal);
        expect(cal.isWorkingDay(r.due!)).toBe(true);
        expect(r.due! >= r.receivedAt.slice(0, 10)).toBe(true);
      }),
      runs,
    );
  });

  it('addWorkingDays: n + 1 working days is strictly later than n', () => {
    fc.assert(
      fc.property(localDate, fc.integer({ min: 0, max: 400 }), (d, n) => {
        expect(addWorkingDays(d, n + 1, cal) > addWorkingDays(d, n, cal)).toBe(true);
      }),
      runs,
    );
  });

  it('dueDate: n + 1 working days is strictly later than n, for n ≥ 1', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (receivedAt, n) => {
        expect(due(receivedAt, n + 1)! > due(receivedAt, n)!).toBe(true);
      }),
      runs,
    );
  });

  it('dueDate: 1 day equals same-day only when received between 15:00 and the end of office hours', () => {
    fc.assert(
      fc.property(instant, (receivedAt) => {
        const sameDay = dueDate({ receivedAt, workingDays: 0 }, cal);
        const oneDay = dueDate({ receivedAt, workingDays: 1 }, cal);
        expect(oneDay.due! >= sameDay.due!).toBe(true);
        const msOfDay = (receivedAt.getTime() + 7 * 3_600_000) % 86_400_000;
        const inWindow = sameDay.receiptShift === 'afterSameDayCutoff' && msOfDay <= 17 * 3_600_000;
        expect(oneDay.due === sameDay.due).toBe(inWindow);
      }),
      runs,
    );
  });

  it('a later receipt never gives an earlier due date', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 * 86_400_000 }), days, (a, delta, n) => {
        expect(due(new Date(a.getTime() + delta), n)! >= due(a, n)!).toBe(true);
      }),
      runs,
    );
  });

  it('pauses never make a due date earlier, and the result stays a working day', () => {
    fc.assert(
      fc.property(
        instant.chain((receivedAt) => fc.tuple(fc.constant(receivedAt), days, pausesAfter(receivedAt))),
        ([receivedAt, n, pauses]) => {
          const without = due(receivedAt, n)!;
          const r = dueDate({ receivedAt, workingDays: n, pauses }, cal);
          expect(r.due! >= without).toBe(true);
          expect(cal.isWorkingDay(r.due!)).toBe(true);
          expect(workingDaysBetween(without, r.due!, cal)).toBe(r.pausedWorkingDays);
        },
      ),
      runs,
    );
  });

  it('workingDaysBetween(d, addWorkingDays(d, n)) === n', () => {
    fc.assert(
      fc.property(localDate, fc.integer({ min: 0, max: 400 }), (d, n) => {
        expect(workingDaysBetween(d, addWorkingDays(d, n, cal), cal)).toBe(n);
      }),
      runs,
    );
  });
});
