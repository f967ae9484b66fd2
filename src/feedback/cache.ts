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
export interface MemoOptions {
  /** How long a computed value is served, from when its computation started. */
  ttlMs: number;
  /** Keys kept; the least recently used goes first. */
  maxEntries: number;
  /** Total weight kept (values' sizes, as `get`'s callers weigh them), the same way. */
  maxWeight?: number;
  now?: () => number;
}

interface Entry {
  value: Promise<unknown>;
  /** Infinity while computing, so concurrent misses share the one computation. */
  expires: number;
  weight: number;
}

/** Single-flight, TTL-bounded, size-bounded memo of async values; failures are not kept. */
export class Memo {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxWeight: number;
  readonly #now: () => number;
  #weight = 0;

  constructor(opts: MemoOptions) {
    this.#ttlMs = opts.ttlMs;
    this.#maxEntries = opts.maxEntries;
    this.#maxWeight = opts.maxWeight ?? Infinity;
    this.#now = opts.now ?? Date.now;
  }

  /** The value for `key`: kept, being computed, or computed now; `weigh` tells its size once computed. */
  get<T>(key: string, compute: () => Promise<T>, weigh: (value: T) => number = () => 0): Promise<T> {
    const started = this.#now();
    const found = this.#entries.get(key);
    if (found && found.expires > started) {
      // Map order is the eviction order: a used entry moves to the end.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found.value as Promise<T>;
    }
    if (found) this.#remove(key);
    const entry: Entry = { value: compute(), expires: Infinity, weight: 0 };
    this.#entries.set(key, entry);
    this.#trim();
    entry.value.then(
      (value) => {
        entry.expires = started + this.#ttlMs;
        // Only what is still kept counts: a change or an eviction may have dropped it meanwhile.
        if (this.#entries.get(key) !== entry) return;
        entry.weight = weigh(value as T);
        this.#weight += entry.weight;
        this.#trim();
      },
      () => {
        // The next request tries again; an entry that replaced this one stays.
        if (this.#entries.get(key) === entry) this.#remove(key);
      },
    );
    return entry.value as Promise<T>;
  }

  /**
   * Forgets everything, computations under way included (they may have read
   * the data before the change): whoever asks next computes again.
   */
  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  get weight(): number {
    return this.#weight;
  }

  #remove(key: string): void {
    this.#weight -= this.#entries.get(key)?.weight ?? 0;
    this.#entries.delete(key);
  }

  #trim(): void {
    while (this.#entries.size > this.#maxEntries || (this.#weight > this.#maxWeight && this.#entries.size > 1)) this.#remove(this.#entries.keys().next().value!);
  }
}

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
