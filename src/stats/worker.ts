import { isoDateInVn } from '../calendar/index.js';
import { workingCalendar } from '../calendar/shared.js';
import type { Db } from '../platform/db.js';
import type { Logger } from '../platform/logger.js';
import { runWorker } from './rollup.js';

/** Runs the roll-up worker every few seconds in the server process (one pass at a time). */
export function startStatsWorker(db: Db, log: Logger, intervalMs = 5000): { stop(): Promise<void> } {
  let stopped = false;
  let busy = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped || busy) return;
    busy = true;
    running = workingCalendar()
      .then((calendar) => runWorker(db, { today: isoDateInVn(new Date()), calendar }))
      .then((r) => {
        if (r.dossiers || r.feedback || r.overdue) log.debug(r, 'stats roll-ups updated');
      })
      .catch((err: unknown) => log.error({ err }, 'stats worker error'))
      .finally(() => (busy = false));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
