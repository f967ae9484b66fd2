/**
 * Deadline arithmetic in working days, on Việt Nam local dates (UTC+7).
 *
 * Counting rules (the legal basis is summarised; the times are configuration):
 *  - A period of N working days does not count the day of receipt (Civil Code
 *    2015 art. 147: a period starts on the day after the triggering event), so
 *    the due date is the N-th working day after the receipt day.
 *  - A dossier received on a non-working day, or on a working day after office
 *    hours (default after 17:00, check the province's rules), is treated as
 *    received on the next working day; that day is then the uncounted receipt day.
 *  - Same-day procedures (N = 0) are due on the receipt day, but one received
 *    after 15:00 is due the next working day. "After" is strict: 15:00:00 is
 *    still the same day, 15:00:01 is not.
 *  - While a supplement is awaited the clock stops. A pause costs the working
 *    days after the day it started up to and including the day it ended, and
 *    pushes the due date back by that many working days. A pause that starts
 *    after the running due date does not extend it (the dossier was already
 *    late). A pause with no end makes the due date unknown.
 */
import type { WorkingDayCalendar } from './holidays.js';
import {
  formatIsoDate,
  formatVnDate,
  formatVnInstant,
  formatVnLongDate,
  instantToMs,
  isIsoDateString,
  parseTimeOfDay,
  toEpochDay,
  vnLocalParts,
  type DateInput,
} from './localDate.js';

export interface DeadlineRules {
  /** Same-day procedures received after this local time are due the next working day. */
  sameDayCutoff: string;
  /** Dossiers received after this local time count as received the next working day. (check) */
  officeHoursEnd: string;
}

export const DEFAULT_DEADLINE_RULES: Readonly<DeadlineRules> = Object.freeze({
  sameDayCutoff: '15:00',
  officeHoursEnd: '17:00',
});

export interface PauseInput {
  /** When the supplement was requested: an instant, or a local date `YYYY-MM-DD`. */
  from: DateInput;
  /** When the supplement arrived; absent or null while still awaited. */
  to?: DateInput | null;
}

export interface DueDateRequest {
  /** Receipt of the valid dossier: a Date or an ISO 8601 string with an offset. */
  receivedAt: Date | string;
  /** Processing time in working days (0 = same day). */
  workingDays: number;
  pauses?: readonly PauseInput[];
}

export type ReceiptShift = 'none' | 'nonWorkingDay' | 'afterSameDayCutoff' | 'afterOfficeHours';

export interface PauseDetail {
  from: string;
  to: string | null;
  /** Working days the pause cost; null while it is open. */
  workingDays: number | null;
  /** Whether it moved the due date (false when it started after the due date). */
  extended: boolean;
}

export interface DueDateResult {
  /** Due local date `YYYY-MM-DD`, or null while a supplement is awaited. */
  due: string | null;
  /** Why `due` is null (Vietnamese); null otherwise. */
  reason: string | null;
  /** Receipt time in local time, `YYYY-MM-DDTHH:mm:ss+07:00`. */
  receivedAt: string;
  /** The day treated as the (uncounted) receipt day. */
  countFrom: string;
  receiptShift: ReceiptShift;
  workingDays: number;
  /** Due date had there been no pauses. */
  dueWithoutPauses: string;
  /** Working days added by closed pauses. */
  pausedWorkingDays: number;
  pauses: PauseDetail[];
  /** How the date was reached, in Vietnamese. */
  notes: string[];
}

/** Enough consecutive days off to mean the calendar is broken rather than festive. */
const MAX_DAYS_OFF_IN_A_ROW = 366;
const MAX_WORKING_DAYS = 100_000;

type IsWorking = (epochDay: number) => boolean;

function workingTest(calendar: WorkingDayCalendar): IsWorking {
  const fast = (calendar as { isWorkingEpochDay?: (d: number) => boolean }).isWorkingEpochDay;
  if (typeof fast === 'function') return (d) => fast.call(calendar, d);
  return (d) => calendar.isWorkingDay(formatIsoDate(d));
}

function nextWorkingEpochDay(day: number, isWorking: IsWorking): number {
  for (let d = day + 1, i = 0; i < MAX_DAYS_OFF_IN_A_ROW; d++, i++) {
    if (isWorking(d)) return d;
  }
  throw new Error(`Calendar has no working day within ${MAX_DAYS_OFF_IN_A_ROW} days after ${formatIsoDate(day)}`);
}

function addWorkingEpochDays(day: number, n: number, isWorking: IsWorking): number {
  let d = day;
  for (let i = 0; i < n; i++) d = nextWorkingEpochDay(d, isWorking);
  return d;
}

/** Working days d with a < d ≤ b (0 when a ≥ b). */
function countWorkingEpochDays(a: number, b: number, isWorking: IsWorking): number {
  let n = 0;
  for (let d = a + 1; d <= b; d++) if (isWorking(d)) n++;
  return n;
}

function assertWorkingDays(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new RangeError(`Invalid ${what}: ${String(n)} is not an integer in 0–${MAX_WORKING_DAYS}`);
  }
}

/** The n-th working day after `date` (n = 0 returns `date` itself). */
export function addWorkingDays(date: DateInput, n: number, calendar: WorkingDayCalendar): string {
  assertWorkingDays(n, 'number of working days');
  return formatIsoDate(addWorkingEpochDays(toEpochDay(date), n, workingTest(calendar)));
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: DateInput, calendar: WorkingDayCalendar): string {
  return formatIsoDate(nextWorkingEpochDay(toEpochDay(date), workingTest(calendar)));
}

/**
 * Working days after `a` up to and including `b`, so that
 * workingDaysBetween(d, addWorkingDays(d, n)) === n. Negative when b < a.
 */
export function workingDaysBetween(a: DateInput, b: DateInput, calendar: WorkingDayCalendar): number {
  const da = toEpochDay(a, 'start date');
  const db = toEpochDay(b, 'end date');
  const isWorking = workingTest(calendar);
  return db >= da ? countWorkingEpochDays(da, db, isWorking) : -countWorkingEpochDays(db, da, isWorking);
}

interface ParsedPause {
  fromDay: number;
  fromMs: number | null;
  toDay: number | null;
  toMs: number | null;
}

function parsePoint(input: DateInput, what: string): { day: number; ms: number | null } {
  if (isIsoDateString(input)) return { day: toEpochDay(input, what), ms: null };
  const ms = instantToMs(input as Date | string, what);
  return { day: vnLocalParts(ms).epochDay, ms };
}

function parsePauses(pauses: readonly PauseInput[], receivedDay: number, receivedMs: number): ParsedPause[] {
  if (!Array.isArray(pauses)) throw new RangeError('Invalid pauses: expected an array');
  const parsed = pauses.map((p, i): ParsedPause => {
    if (p === null || typeof p !== 'object') throw new RangeError(`Invalid pause #${i + 1}: expected {from, to?}`);
    const from = parsePoint(p.from, `pause #${i + 1} start`);
    const to = p.to === undefined || p.to === null ? null : parsePoint(p.to, `pause #${i + 1} end`);
    if (from.day < receivedDay || (from.ms !== null && from.ms < receivedMs)) {
      throw new RangeError(`Invalid pause #${i + 1}: it starts before the dossier was received`);
    }
    if (to && (to.day < from.day || (to.ms !== null && from.ms !== null && to.ms < from.ms))) {
      throw new RangeError(`Invalid pause #${i + 1}: it ends before it starts`);
    }
    return { fromDay: from.day, fromMs: from.ms, toDay: to?.day ?? null, toMs: to?.ms ?? null };
  });
  parsed.sort((a, b) => a.fromDay - b.fromDay || (a.fromMs ?? 0) - (b.fromMs ?? 0));
  for (let i = 1; i < parsed.length; i++) {
    const prev = parsed[i - 1] as ParsedPause;
    const cur = parsed[i] as ParsedPause;
    if (prev.toDay === null) throw new RangeError('Invalid pauses: only the latest pause may be open');
    if (cur.fromDay < prev.toDay || (cur.fromMs !== null && prev.toMs !== null && cur.fromMs < prev.toMs)) {
      throw new RangeError(
        `Invalid pauses: the pause from ${formatIsoDate(cur.fromDay)} overlaps the one ending ${formatIsoDate(prev.toDay)}`,
      );
    }
  }
  return parsed;
}

/** Due date of a dossier. Pure: the result depends only on the arguments. */
export function dueDate(
  request: DueDateRequest,
  calendar: WorkingDayCalendar,
  rules: Partial<DeadlineRules> = {},
): DueDateResult {
  if (request === null || typeof request !== 'object') throw new RangeError('Invalid request: expected an object');
  const { sameDayCutoff, officeHoursEnd } = { ...DEFAULT_DEADLINE_RULES, ...rules };
  const cutoffMs = parseTimeOfDay(sameDayCutoff, 'sameDayCutoff');
  const officeEndMs = parseTimeOfDay(officeHoursEnd, 'officeHoursEnd');
  const n = request.workingDays;
  assertWorkingDays(n, 'workingDays');
  const receivedMs = instantToMs(request.receivedAt, 'receivedAt');
  const { epochDay: receivedDay, msOfDay } = vnLocalParts(receivedMs);
  const isWorking = workingTest(calendar);
  const pauses = parsePauses(request.pauses ?? [], receivedDay, receivedMs);

  const notes: string[] = [];
  const receivedLocal = formatVnInstant(receivedMs);
  const clock = receivedLocal.slice(11, 16);
  let countFrom = receivedDay;
  let receiptShift: ReceiptShift = 'none';
  if (!isWorking(receivedDay)) {
    countFrom = nextWorkingEpochDay(receivedDay, isWorking);
    receiptShift = 'nonWorkingDay';
    notes.push(
      `Tiếp nhận vào ngày nghỉ (${formatVnLongDate(receivedDay)}): tính như tiếp nhận vào ngày làm việc tiếp theo, ${formatVnLongDate(countFrom)}.`,
    );
  } else if (n === 0 && msOfDay > cutoffMs) {
    countFrom = nextWorkingEpochDay(receivedDay, isWorking);
    receiptShift = 'afterSameDayCutoff';
    notes.push(
      `Hồ sơ giải quyết trong ngày tiếp nhận lúc ${clock}, sau ${sameDayCutoff}: trả kết quả trong ngày làm việc tiếp theo, ${formatVnLongDate(countFrom)}.`,
    );
  } else if (n > 0 && msOfDay > officeEndMs) {
    countFrom = nextWorkingEpochDay(receivedDay, isWorking);
    receiptShift = 'afterOfficeHours';
    notes.push(
      `Tiếp nhận lúc ${clock}, sau giờ làm việc (${officeHoursEnd}): tính như tiếp nhận vào ngày làm việc tiếp theo, ${formatVnLongDate(countFrom)}.`,
    );
  }

  const dueWithoutPauses = addWorkingEpochDays(countFrom, n, isWorking);
  notes.push(
    n === 0
      ? `Giải quyết trong ngày: hạn là ${formatVnLongDate(dueWithoutPauses)}.`
      : `Thời hạn ${n} ngày làm việc, không tính ngày tiếp nhận: hạn là ${formatVnLongDate(dueWithoutPauses)}.`,
  );

  let running = dueWithoutPauses;
  let pausedWorkingDays = 0;
  const details: PauseDetail[] = [];
  let openReason: string | null = null;
  for (const p of pauses) {
    const from = formatIsoDate(p.fromDay);
    const startsInTime = p.fromDay <= running;
    if (p.toDay === null) {
      details.push({ from, to: null, workingDays: null, extended: startsInTime });
      if (startsInTime) {
        openReason = `Hồ sơ đang tạm dừng chờ bổ sung từ ngày ${formatVnDate(p.fromDay)}; hạn giải quyết sẽ được tính lại khi nhận đủ hồ sơ bổ sung.`;
      } else {
        notes.push(`Tạm dừng từ ${formatVnDate(p.fromDay)} bắt đầu sau hạn giải quyết nên không làm thay đổi hạn.`);
      }
      continue;
    }
    const lost = countWorkingEpochDays(p.fromDay, p.toDay, isWorking);
    details.push({ from, to: formatIsoDate(p.toDay), workingDays: lost, extended: startsInTime });
    if (startsInTime) {
      running = addWorkingEpochDays(running, lost, isWorking);
      pausedWorkingDays += lost;
      notes.push(
        `Tạm dừng chờ bổ sung từ ${formatVnDate(p.fromDay)} đến ${formatVnDate(p.toDay)}: cộng thêm ${lost} ngày làm việc.`,
      );
    } else {
      notes.push(
        `Tạm dừng từ ${formatVnDate(p.fromDay)} đến ${formatVnDate(p.toDay)} bắt đầu sau hạn giải quyết nên không làm thay đổi hạn.`,
      );
    }
  }
  if (openReason === null && pausedWorkingDays > 0) notes.push(`Hạn sau khi tính thời gian tạm dừng: ${formatVnLongDate(running)}.`);

  return {
    due: openReason === null ? formatIsoDate(running) : null,
    reason: openReason,
    receivedAt: receivedLocal,
    countFrom: formatIsoDate(countFrom),
    receiptShift,
    workingDays: n,
    dueWithoutPauses: formatIsoDate(dueWithoutPauses),
    pausedWorkingDays,
    pauses: details,
    notes,
  };
}
