import { loadDefaultCalendar, type HolidayCalendar } from './index.js';

let calendar: Promise<HolidayCalendar> | null = null;

/** The working-day calendar from the committed holiday tables, loaded once per process. */
export function workingCalendar(): Promise<HolidayCalendar> {
  calendar ??= loadDefaultCalendar();
  return calendar;
}
