/**
 * The one source of "now". The composition root puts a clock into `Deps`;
 * features take time from it (never `new Date()`), so tests can set it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
