/**
 * The public look-up by code, batched: look-ups that arrive in the same turn of
 * the event loop share one query (at a few thousand look-ups a second the
 * round trips, not the query, are what costs). Nothing is cached between turns.
 */
import DataLoader from 'dataloader';
import type { Db } from '../../platform/db.js';
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
