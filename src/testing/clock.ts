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
  constructor(at: string | Date = TEST_NOW) {
    this.#at = new Date(at).getTime();
  }
  now(): Date {
    return new Date(this.#at);
  }
  set(at: string | Date): void {
    this.#at = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#at += ms;
  }
}
