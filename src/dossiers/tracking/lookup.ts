/**
 * The public look-up by code, batched: look-ups that arrive in the same turn of
 * the event loop share one query (at a few thousand look-ups a second the
 * round trips, not the query, are what costs). Nothing is cached between turns.
 */
import DataLoader from 'dataloader';
import type { Deps } from '../../platform/context.js';
import type { Db } from '../../platform/db.js';
import { RateLimiter } from '../../platform/ratelimit.js';
import { findTrackedDossiers, type TrackedDossier } from '../dossiers.store.js';

const loaders = new WeakMap<Db, DataLoader<string, TrackedDossier | null>>();

export function lookupTracked(db: Db, code: string): Promise<TrackedDossier | null> {
  let loader = loaders.get(db);
  if (!loader) {
    loader = new DataLoader(
      async (codes) => {
        const found = await findTrackedDossiers(db, codes);
        return codes.map((c) => found.get(c) ?? null);
      },
      // setImmediate: after every request the poll phase delivered, not just this one.
      { cache: false, maxBatchSize: 100, batchScheduleFn: (run) => setImmediate(run) },
    );
    loaders.set(db, loader);
  }
  return loader.load(code);
}

// ---- The public look-up's rules: one place for the page (/tra-cuu) and the API (/api/v1/dossiers/track) ----

/** Dossier codes as printed: digits, letters, dots and dashes. */
const CODE_RE = /^[0-9A-Z][0-9A-Z.-]{3,39}$/;

export const TRACK_FIELD_ERRORS = {
  code: 'Nhập mã hồ sơ như trên giấy biên nhận, ví dụ 25459-260309-0001',
  digits: 'Nhập đúng 4 chữ số cuối của số điện thoại, ví dụ 5678',
} as const;

/** A typed code as stored: spaces dropped (copied from an SMS or read aloud), upper case. */
export function normaliseCode(typed: string): string {
  return typed.replace(/\s+/g, '').toUpperCase().slice(0, 60);
}

/** Typed digits without spaces ("56 78" is 5678). */
export function normaliseDigits(typed: string): string {
  return typed.replace(/\s+/g, '').slice(0, 20);
}

/** The digit rule: the last four digits of the phone the applicant gave, ignoring spaces and signs in it. */
export function digitsMatch(phone: string | null, last4: string): boolean {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 4 && /^\d{4}$/.test(last4) && digits.slice(-4) === last4;
}

/**
 * Four digits are guessable (10,000 tries): tries are limited per address and
 * per dossier code, with one pair of counters per app for the page and the API
 * alike, so a code cannot be guessed from many addresses through either.
 */
export class TrackLimits {
  readonly byIp: RateLimiter;
  readonly byCode: RateLimiter;
  constructor(now: () => number) {
    this.byIp = new RateLimiter(30, 10 * 60_000, now);
    this.byCode = new RateLimiter(20, 60 * 60_000, now);
  }
  /** Counts one try; the minutes to wait when over either limit, else 0. */
  hit(ip: string, code: string): number {
    return Math.max(this.byIp.hit(ip), this.byCode.hit(code));
  }
}

const limits = new WeakMap<Deps, TrackLimits>();

/** The app's counters (held by its Deps, so two test apps never share them). */
export function trackLimitsOf(deps: Deps): TrackLimits {
  let l = limits.get(deps);
  if (!l) {
    l = new TrackLimits(() => deps.clock.now().getTime());
    limits.set(deps, l);
  }
  return l;
}

export type TrackOutcome =
  | { ok: true; found: TrackedDossier }
  | { ok: false; reason: 'invalid'; fields: { code?: string; digits?: string } }
  | { ok: false; reason: 'rate_limited'; minutes: number }
  | { ok: false; reason: 'not_found' };

/** The whole public look-up: normalise, check, count the try, find, compare digits. */
export async function trackDossier(deps: Deps, ip: string, typed: { code: string; digits: string }): Promise<TrackOutcome> {
  const code = normaliseCode(typed.code);
  const digits = normaliseDigits(typed.digits);
  const fields: { code?: string; digits?: string } = {};
  if (!CODE_RE.test(code)) fields.code = TRACK_FIELD_ERRORS.code;
  if (!/^\d{4}$/.test(digits)) fields.digits = TRACK_FIELD_ERRORS.digits;
  if (fields.code || fields.digits) return { ok: false, reason: 'invalid', fields };
  const minutes = trackLimitsOf(deps).hit(ip, code);
  if (minutes) return { ok: false, reason: 'rate_limited', minutes };
  const found = await lookupTracked(deps.db, code);
  if (!found || !digitsMatch(found.dossier.applicant_phone, digits)) return { ok: false, reason: 'not_found' };
  return { ok: true, found };
}
