import { listCurrentProcedures } from '../catalog/catalog.store.js';
import type { DbOrTx } from '../platform/db.js';
import '../catalog/catalog.tables.js';
import { buildFinderIndex, type FinderIndex } from './index.js';

/**
 * Keeps the finder's in-memory index in step with the catalog in the database:
 * built on first use, rebuilt when a newer catalog import exists (checked at
 * most every `recheckMs`, so a search costs no query).
 */
export class FinderHolder {
  #index: Promise<{ index: FinderIndex; importId: number }> | null = null;
  #checkedAt = 0;
  constructor(private readonly recheckMs = 30_000) {}

  async get(db: DbOrTx): Promise<FinderIndex> {
    const now = Date.now();
    if (this.#index && now - this.#checkedAt > this.recheckMs) {
      this.#checkedAt = now;
      const [current, latest] = await Promise.all([this.#index, latestImportId(db)]);
      if (latest !== current.importId) this.#index = null;
    }
    this.#index ??= (async () => {
      this.#checkedAt = Date.now();
      const importId = await latestImportId(db);
      return { index: buildFinderIndex(await listCurrentProcedures(db)), importId };
    })();
    try {
      return (await this.#index).index;
    } catch (err) {
      this.#index = null;
      throw err;
    }
  }
}

async function latestImportId(db: DbOrTx): Promise<number> {
  const r = await db.selectFrom('catalog_import').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(r?.id ?? 0);
}

const holders = new WeakMap<object, FinderHolder>();

/**
 * The one finder index of a database. The server builds it before it starts
 * listening, so the first citizen after a start-up does not wait for the build.
 */
export function finderFor(db: DbOrTx): FinderHolder {
  let h = holders.get(db);
  if (!h) holders.set(db, (h = new FinderHolder()));
  return h;
}
