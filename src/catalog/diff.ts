/**
 * Catalog diff by code, for idempotent, versioned re-imports: re-importing the
 * same export yields no changes; a changed record is detected by content hash.
 */
import { createHash } from 'node:crypto';
import type { Procedure } from './procedure.js';

/** JSON with object keys sorted at every level, so key order never changes the hash. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    // undefined/functions do not occur in a Procedure; map them to null for stability.
    return JSON.stringify(v) ?? 'null';
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of the whole normalised record. */
export function contentHash(p: Procedure): string {
  return createHash('sha256').update(canonicalJson(p)).digest('hex');
}

export interface CatalogDiff {
  added: Procedure[];
  changed: { before: Procedure; after: Procedure }[];
  removed: Procedure[];
}

/** Compares two catalogs by code. Each list is sorted by code. Codes must be unique in each input. */
export function diffCatalogs(old: readonly Procedure[], next: readonly Procedure[]): CatalogDiff {
  const before = indexByCode(old, 'old');
  const after = indexByCode(next, 'next');
  const added: Procedure[] = [];
  const changed: CatalogDiff['changed'] = [];
  const removed: Procedure[] = [];
  for (const [code, p] of after) {
    const q = before.get(code);
    if (!q) added.push(p);
    else if (contentHash(q) !== contentHash(p)) changed.push({ before: q, after: p });
  }
  for (const [code, q] of before) if (!after.has(code)) removed.push(q);
  const cmp = (a: Procedure, b: Procedure) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  added.sort(cmp);
  removed.sort(cmp);
  changed.sort((a, b) => cmp(a.after, b.after));
  return { added, changed, removed };
}

function indexByCode(list: readonly Procedure[], which: string): Map<string, Procedure> {
  const m = new Map<string, Procedure>();
  for (const p of list) {
    // A duplicate would make "changed" depend on input order: refuse it.
    if (m.has(p.code)) throw new Error(`diffCatalogs: duplicate code ${p.code} in ${which} catalog`);
    m.set(p.code, p);
  }
  return m;
}
