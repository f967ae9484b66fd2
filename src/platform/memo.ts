/**
 * A single-flight, TTL-bounded, size-bounded memo of async values, for caches
 * of what many people see alike (feedback answers and counts, queue pages).
 * Callers clear it when the data behind it changes.
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
