/**
 * The queue counts every back-office page shows, shared between page views.
 * Counting a unit's open dossiers is the costly part of a queue page (about
 * 20 ms of database time with 13,000 open dossiers), and it is the same for
 * every official of the unit: so it runs once per unit and day, and concurrent
 * misses wait for that one computation. This process's own writes drop the
 * unit's counts at once (changes.ts); other processes' writes show when the
 * counts expire (docs/decisions/0006-queue-count-cache.md).
 */
import type { Db } from '../../platform/db.js';
import { Memo } from '../../platform/memo.js';
import { onDossiersChanged } from '../changes.js';
import { unitCountGroups } from './office.store.js';
import { asSeenBy, foldCounts, type DeadlineWindow, type QueueCounts, type UnitCountGroup } from './queues.js';

export interface QueueCountCacheOptions {
  /** How long computed counts are served; the bound on how late another process's writes show. */
  ttlMs?: number;
  /** Units kept; the least recently used one goes first. */
  maxUnits?: number;
  now?: () => number;
}

interface Entry {
  /** The deadline window the counts were computed for: the at-risk and overdue buckets depend on today. */
  window: string;
  groups: Promise<UnitCountGroup[]>;
  /** Infinity while computing, so every concurrent miss shares the one computation. */
  expires: number;
}

export class QueueCountCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxUnits: number;
  readonly #now: () => number;

  constructor(opts: QueueCountCacheOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? 10_000;
    this.#maxUnits = opts.maxUnits ?? 4_000;
    this.#now = opts.now ?? Date.now;
  }

  /** The unit's grouped counts for this window: cached, being computed, or computed now by `compute`. */
  get(unit: string, w: DeadlineWindow, compute: () => Promise<UnitCountGroup[]>): Promise<UnitCountGroup[]> {
    const window = `${w.today} ${w.riskEnd}`;
    const started = this.#now();
    const found = this.#entries.get(unit);
    // Map order is the eviction order: a used entry moves to the end.
    this.#entries.delete(unit);
    if (found && found.window === window && found.expires > started) {
      this.#entries.set(unit, found);
      return found.groups;
    }
    const entry: Entry = { window, groups: compute(), expires: Infinity };
    this.#entries.set(unit, entry);
    if (this.#entries.size > this.#maxUnits) this.#entries.delete(this.#entries.keys().next().value!);
    entry.groups.then(
      () => {
        // From when the computation started: that is how old the counts can be.
        entry.expires = started + this.#ttlMs;
      },
      () => {
        // A failure is not kept (the next view tries again); an entry that replaced this one stays.
        if (this.#entries.get(unit) === entry) this.#entries.delete(unit);
      },
    );
    return entry.groups;
  }

  /**
   * Forgets these units' counts, including a computation under way (it may have
   * read the dossiers before the change): the next view counts again.
   */
  invalidate(units: readonly string[]): void {
    for (const unit of units) this.#entries.delete(unit);
  }

  get size(): number {
    return this.#entries.size;
  }
}

const caches = new WeakMap<Db, QueueCountCache>();

/**
 * The cache of one database's counts. Keyed by the database, so test apps on
 * different databases in one process never share counts; held weakly by the
 * change listener, so a closed database's cache goes with it.
 */
export function countCacheOf(db: Db): QueueCountCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new QueueCountCache();
    caches.set(db, cache);
    const ref = new WeakRef(cache);
    const stop = onDossiersChanged((units) => {
      const live = ref.deref();
      if (live) live.invalidate(units);
      else stop();
    });
  }
  return cache;
}

/** Every queue's count as this official sees them ("mine" is theirs), from the unit's shared counts. */
export async function queueCounts(db: Db, unit: string, me: string, w: DeadlineWindow): Promise<QueueCounts> {
  const groups = await countCacheOf(db).get(unit, w, () => unitCountGroups(db, unit, w));
  return foldCounts(asSeenBy(groups, me));
}

const pageCaches = new WeakMap<Db, Memo>();

/**
 * Queue pages, for the embedded database only: there every write goes through
 * this one process and tells `dossiersChanged`, so a cached page is never stale
 * (on PostgreSQL other servers write too, and pages stay live). Any change
 * empties the whole cache: changes are rare next to page views.
 */
export function queuePageCacheOf(db: Db): Memo {
  let cache = pageCaches.get(db);
  if (!cache) {
    cache = new Memo({ ttlMs: 10_000, maxEntries: 2_000 });
    pageCaches.set(db, cache);
    const ref = new WeakRef(cache);
    const stop = onDossiersChanged(() => {
      const live = ref.deref();
      if (live) live.clear();
      else stop();
    });
  }
  return cache;
}
