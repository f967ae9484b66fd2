/** What every dossier route hands the kernel: the app's database, calendar and clock. */
import { isoDateInVn } from '../calendar/index.js';
import { workingCalendar } from '../calendar/shared.js';
import type { Clock } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import type { DossierDeps } from './dossiers.service.js';

export async function dossierDeps(c: Ctx): Promise<DossierDeps> {
  const { db, clock } = c.get('deps');
  return { db, calendar: await workingCalendar(), clock };
}

/** Today's local date in Việt Nam by this clock. */
export function todayOf(clock: Clock): string {
  return isoDateInVn(clock.now());
}
