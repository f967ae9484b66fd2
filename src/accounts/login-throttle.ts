/**
 * Progressive delay for sign-in failures, kept per login typed (whether or
 * not an account has it: the answer must not tell), per address, and per
 * (login, address) pair. Nothing locks: the owner who waits the delay can
 * always sign in, so a stranger can slow an official down but not lock them
 * out. Per process, in memory: a second instance only doubles the guesses.
 */
export interface ThrottleRule {
  /** Failures allowed before any delay. */
  free: number;
  /** The delay after the first failure past `free`, doubling with each next one. */
  baseMs: number;
  maxMs: number;
}

export const RULES = {
  pair: { free: 3, baseMs: 2_000, maxMs: 15 * 60_000 },
  login: { free: 10, baseMs: 1_000, maxMs: 60_000 },
  address: { free: 30, baseMs: 1_000, maxMs: 15 * 60_000 },
} as const satisfies Record<string, ThrottleRule>;

/** Failures are forgotten this long after the last one. */
const FORGET_MS = 60 * 60_000;
const MAX_KEYS = 100_000;

interface Entry {
  failures: number;
  last: number;
}

export function delayAfter(rule: ThrottleRule, failures: number): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(30, failures - rule.free - 1));
}

export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  #keys(login: string, address: string): [string, ThrottleRule][] {
    return [
      [`p:${login}\u0000${address}`, RULES.pair],
      [`l:${login}`, RULES.login],
      [`a:${address}`, RULES.address],
    ];
  }

  /** Milliseconds to wait before this sign-in may be tried (0: go ahead). */
  waitMs(login: string, address: string): number {
    const now = this.now();
    let wait = 0;
    for (const [key, rule] of this.#keys(login, address)) {
      const e = this.#entries.get(key);
      if (!e || now - e.last > FORGET_MS) continue;
      wait = Math.max(wait, e.last + delayAfter(rule, e.failures) - now);
    }
    return Math.max(0, wait);
  }

  failed(login: string, address: string): void {
    const now = this.now();
    if (this.#entries.size > MAX_KEYS) this.#sweep(now);
    for (const [key] of this.#keys(login, address)) {
      const e = this.#entries.get(key);
      if (!e || now - e.last > FORGET_MS) this.#entries.set(key, { failures: 1, last: now });
      else {
        e.failures++;
        e.last = now;
      }
    }
  }

  /** A right password clears the pair (the login and address keep counting others' failures). */
  succeeded(login: string, address: string): void {
    this.#entries.delete(this.#keys(login, address)[0]![0]);
  }

  #sweep(now: number): void {
    for (const [k, e] of this.#entries) if (now - e.last > FORGET_MS) this.#entries.delete(k);
  }
}
