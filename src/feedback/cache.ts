/**
 * Caches of what the feedback pages show to everyone alike: public answers
 * (Open311 lists, the public list's items as HTML) and each commune's queue
 * counts. On the embedded database every query also holds the event loop, so
 * with ten people on these pages the same work would run ten times in a row.
 *
 * Each database (each app) has its own caches. A feedback change committed in
 * this process empties them at once (`feedbackChanged`); the TTL bounds how
 * late another server's changes (several servers on one PostgreSQL) or the
 * passing time show. Nothing per person is cached here: the queue's list,
 * sessions and permissions stay live.
 */
import { Memo } from '../platform/memo.js';

/** Public answers: an Open311 province list is up to 1,000 items (tens of ms on the embedded database). */
const ANSWER_TTL_MS = 30_000;
/** Queue counts: officials expect a colleague's work (on another server) to show soon. */
const COUNTS_TTL_MS = 10_000;

export interface FeedbackCaches {
  /** Keyed by URL or query: bounded in number and bytes, since anyone can make up new keys. */
  answers: Memo;
  /** Keyed by commune and day: enough for every commune in the country. */
  counts: Memo;
  /**
   * Officials' queue pages, on the embedded database only: there every write goes
   * through this one process and empties the cache, so a page is never stale.
   */
  queuePages: Memo;
}

const caches = new WeakMap<object, FeedbackCaches>();

/** The caches of one database: tests run many apps on many databases in one process. */
export function cachesOf(db: object): FeedbackCaches {
  let c = caches.get(db);
  if (!c) {
    c = {
      answers: new Memo({ ttlMs: ANSWER_TTL_MS, maxEntries: 2_000, maxWeight: 64 * 2 ** 20 }),
      counts: new Memo({ ttlMs: COUNTS_TTL_MS, maxEntries: 4_000 }),
      queuePages: new Memo({ ttlMs: COUNTS_TTL_MS, maxEntries: 2_000 }),
    };
    caches.set(db, c);
  }
  return c;
}

/** Call after a feedback change has committed. */
export function feedbackChanged(db: object): void {
  const c = caches.get(db);
  c?.answers.clear();
  c?.counts.clear();
  c?.queuePages.clear();
}
