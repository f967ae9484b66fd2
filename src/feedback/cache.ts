/**
 * A small cache of public answers (Open311 lists, the public list's items). A
 * province's default Open311 list is up to 1,000 items (the spec's ceiling)
 * and costs tens of milliseconds on the embedded database, which also runs on
 * the event loop; the same public answers are asked for again and again.
 *
 * Entries belong to one database (one app) and die when this process changes
 * any feedback there (the generation moves) or after TTL_MS, which bounds how
 * stale an answer can be when several servers share one PostgreSQL.
 */
export const TTL_MS = 30_000;
const MAX_ENTRIES = 500;

interface Entry {
  generation: number;
  at: number;
  value: unknown;
}

const generations = new WeakMap<object, number>();
const caches = new WeakMap<object, Map<string, Entry>>();

/** Call after a feedback change has committed. */
export function bumpGeneration(db: object): void {
  generations.set(db, (generations.get(db) ?? 0) + 1);
}

export function generationOf(db: object): number {
  return generations.get(db) ?? 0;
}

export function cached<T>(db: object, key: string, now = Date.now()): T | undefined {
  const entry = caches.get(db)?.get(key);
  if (!entry) return undefined;
  if (entry.generation !== generationOf(db) || now - entry.at > TTL_MS) {
    caches.get(db)!.delete(key);
    return undefined;
  }
  return entry.value as T;
}

/** Stores a value computed from the data as of `generation` (read before the query started). */
export function remember(db: object, key: string, generation: number, value: unknown, now = Date.now()): void {
  if (generation !== generationOf(db)) return; // something changed while it was computed
  let map = caches.get(db);
  if (!map) caches.set(db, (map = new Map()));
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, { generation, at: now, value });
}

/** The cached value, or computes it (and remembers it unless the data changed meanwhile). */
export async function memo<T>(db: object, key: string, compute: () => Promise<T>): Promise<T> {
  const hit = cached<T>(db, key);
  if (hit !== undefined) return hit;
  const generation = generationOf(db);
  const value = await compute();
  remember(db, key, generation, value);
  return value;
}
