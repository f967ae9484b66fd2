import type { Clock } from '../platform/clock.js';

/**
 * A clock tests set. The default instant is a Monday morning in Việt Nam
 * (09:00 on 2026-12-07), a working day with working days after it, so no test
 * depends on the day it runs.
 */
export const TEST_NOW = '2026-12-07T02:00:00Z';
/** The local date of TEST_NOW. */
export const TEST_TODAY = '2026-12-07';

export class TestClock implements Clock {
  #at: number;
  readonly #tickMs: number;
  /** `tickMs`: how far each reading moves the clock on, so steps taken one after another are ordered in time as in life. */
  constructor(at: string | Date = TEST_NOW, opts: { tickMs?: number } = {}) {
    this.#at = new Date(at).getTime();
    this.#tickMs = opts.tickMs ?? 0;
  }
  now(): Date {
    const at = new Date(this.#at);
    this.#at += this.#tickMs;
    return at;
  }
  set(at: string | Date): void {
    this.#at = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#at += ms;
  }
}
