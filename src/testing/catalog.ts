import { loadCatalogSnapshot } from '../catalog/snapshot.js';
import type { Procedure } from '../catalog/procedure.js';

let cached: Promise<Procedure[]> | null = null;

/** The committed catalog, loaded once per test file. */
export function snapshot(): Promise<Procedure[]> {
  cached ??= loadCatalogSnapshot();
  return cached;
}

/** A small, realistic slice: the named codes plus the first `extra` commune-level procedures. */
export async function catalogSlice(codes: string[], extra = 40): Promise<Procedure[]> {
  const all = await snapshot();
  const wanted = new Set(codes);
  const picked = all.filter((p) => wanted.has(p.code));
  for (const p of all) {
    if (picked.length >= codes.length + extra) break;
    if (!wanted.has(p.code) && p.levels.includes('commune')) picked.push(p);
  }
  return picked;
}
