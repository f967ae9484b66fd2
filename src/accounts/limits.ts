import { RateLimiter } from '../platform/ratelimit.js';
import { LoginThrottle } from './login-throttle.js';

/**
 * The limits of the account routes, one set per app so the pages and the JSON
 * API count together. Every route that hashes or verifies a password counts
 * the attempt before the hash is computed (argon2 is the expensive part).
 */
export interface AccountLimits {
  /** The limits' clock (tests move it). */
  clock: { now: () => number };
  login: LoginThrottle;
  /** Sign-in attempts per address, whatever the login. */
  loginByIp: RateLimiter;
  /** Registrations (page and API) per address. */
  registerByIp: RateLimiter;
  /** Text-message codes asked per address. */
  resetRequestByIp: RateLimiter;
  /** New-password attempts with a code, per address and per phone. */
  resetConfirmByIp: RateLimiter;
  resetConfirmByPhone: RateLimiter;
  /** Own ID number changes (password re-entered), per account. */
  idNumberByUser: RateLimiter;
  /** Counter reset codes and ID checks, per official. */
  counterByOfficer: RateLimiter;
}

const perApp = new WeakMap<object, AccountLimits>();

export function accountLimits(app: object): AccountLimits {
  let limits = perApp.get(app);
  if (!limits) {
    const clock = { now: Date.now };
    const now = () => clock.now();
    limits = {
      clock,
      login: new LoginThrottle(now),
      loginByIp: new RateLimiter(30, 10 * 60_000, now),
      registerByIp: new RateLimiter(10, 60 * 60_000, now),
      resetRequestByIp: new RateLimiter(10, 60 * 60_000, now),
      resetConfirmByIp: new RateLimiter(20, 60 * 60_000, now),
      resetConfirmByPhone: new RateLimiter(10, 60 * 60_000, now),
      idNumberByUser: new RateLimiter(10, 60 * 60_000, now),
      counterByOfficer: new RateLimiter(30, 60 * 60_000, now),
    };
    perApp.set(app, limits);
  }
  return limits;
}
