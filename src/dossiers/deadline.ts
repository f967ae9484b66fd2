/**
 * When a dossier is "at risk" (Sắp đến hạn) or overdue: the one definition the
 * queue pages, the queue counts (SQL), the dossier page, the API and public
 * tracking all use (docs/decisions/0100-kernel-at-risk.md).
 *
 * Overdue: the clock runs and today is after the due date. At risk: the clock
 * runs, it is not overdue, and either the due date is today, or it is the next
 * working day and the procedure allows at least two working days. So a
 * one-day dossier is not at risk the moment it is received (its due date is
 * the next working day), only on its due day.
 */
import { addWorkingDays, type WorkingDayCalendar } from '../calendar/index.js';
import { CLOCK_RUNNING, type Status } from './workflow.js';

/** Procedures shorter than this are at risk on their due day only. */
export const RISK_MIN_WORKING_DAYS = 2;

/** "Today" and the next working day (the last that is still "at risk" for longer procedures). */
export interface DeadlineWindow {
  today: string;
  riskEnd: string;
}

let lastWindow: { calendar: WorkingDayCalendar; window: DeadlineWindow } | null = null;

/** Every queue request asks for today's window: the working-day walk runs once a day, not once a request. */
export function deadlineWindow(today: string, calendar: WorkingDayCalendar): DeadlineWindow {
  if (lastWindow?.calendar === calendar && lastWindow.window.today === today) return lastWindow.window;
  const window = Object.freeze({ today, riskEnd: addWorkingDays(today, 1, calendar) });
  lastWindow = { calendar, window };
  return window;
}

export type DeadlineState = 'overdue' | 'at_risk' | 'on_time' | 'none';

export function deadlineState(d: { status: Status; due_date: string | null; working_days: number }, w: DeadlineWindow): DeadlineState {
  if (!d.due_date || !CLOCK_RUNNING.includes(d.status)) return 'none';
  if (w.today > d.due_date) return 'overdue';
  if (d.due_date === w.today) return 'at_risk';
  if (d.due_date <= w.riskEnd && d.working_days >= RISK_MIN_WORKING_DAYS) return 'at_risk';
  return 'on_time';
}
