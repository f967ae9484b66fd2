import { describe, expect, it } from 'vitest';
import { loadDefaultCalendar } from '../calendar/index.js';
import { deadlineState, deadlineWindow } from './deadline.js';
import { STATUS, type Status } from './workflow.js';

const calendar = await loadDefaultCalendar();
// Monday 2026-12-07: the next working day is Tuesday 2026-12-08.
const MONDAY = deadlineWindow('2026-12-07', calendar);
// Friday 2026-12-11: the next working day is Monday 2026-12-14.
const FRIDAY = deadlineWindow('2026-12-11', calendar);

const running = (due: string | null, working_days: number, status: Status = STATUS.accepted) => ({ status, due_date: due, working_days });

describe('deadline state', () => {
  it('the window reaches the next working day', () => {
    expect(MONDAY.riskEnd).toBe('2026-12-08');
    expect(FRIDAY.riskEnd).toBe('2026-12-14');
  });

  it.each([
    // [due, working days, window, expected]
    ['2026-12-08', 1, MONDAY, 'on_time'], // a one-day dossier received on Monday: due Tuesday, not at risk on receipt
    ['2026-12-07', 1, MONDAY, 'at_risk'], // ... at risk on its due day
    ['2026-12-06', 1, MONDAY, 'overdue'],
    ['2026-12-08', 2, MONDAY, 'at_risk'], // two or more days: at risk from the working day before
    ['2026-12-08', 15, MONDAY, 'at_risk'],
    ['2026-12-09', 15, MONDAY, 'on_time'],
    ['2026-12-07', 0, MONDAY, 'at_risk'], // same-day procedures: at risk all day
    ['2026-12-14', 5, FRIDAY, 'at_risk'], // over the weekend
    ['2026-12-14', 1, FRIDAY, 'on_time'],
  ] as const)('due %s, %i working days → %s', (due, days, w, expected) => {
    expect(deadlineState(running(due, days), w)).toBe(expected);
  });

  it('none when the clock does not run or there is no due date', () => {
    for (const status of [STATUS.submitted, STATUS.supplementRequested, STATUS.refused, STATUS.withdrawn, STATUS.stopped, STATUS.returned]) {
      expect(deadlineState(running('2026-12-01', 5, status), MONDAY)).toBe('none');
    }
    expect(deadlineState(running(null, 5), MONDAY)).toBe('none');
  });
});
