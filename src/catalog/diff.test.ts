import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, diffCatalogs } from './diff.js';
import { normalizeRecord } from './normalize.js';
import type { Procedure } from './procedure.js';

const load = (name: string): Procedure =>
  normalizeRecord(JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')));

const birth = load('raw-1.001193');
const festival = load('raw-1.003622');
const land = load('raw-1.012789');

describe('contentHash', () => {
  it('is a sha256 hex digest, stable across key order and copies', () => {
    const h = contentHash(birth);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(structuredClone(birth)).reverse()) as unknown as Procedure;
    expect(contentHash(reordered)).toBe(h);
  });

  it('changes with any content change, including deep ones', () => {
    const p = structuredClone(birth);
    p.cases[0]!.papers[0]!.copies += 1;
    expect(contentHash(p)).not.toBe(contentHash(birth));
  });

  it('canonical JSON sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }, null] })).toBe('{"a":[{"c":3,"d":2},null],"b":1}');
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
});

describe('diffCatalogs', () => {
  it('same catalog → no changes (idempotent re-import)', () => {
    expect(diffCatalogs([birth, festival], [structuredClone(festival), structuredClone(birth)])).toEqual({
      added: [],
      changed: [],
      removed: [],
    });
  });

  it('reports added, changed and removed by code, sorted', () => {
    const festival2 = { ...festival, name: `${festival.name} (sửa đổi)` };
    const d = diffCatalogs([birth, festival], [festival2, land]);
    expect(d.added.map((p) => p.code)).toEqual(['1.012789']);
    expect(d.removed.map((p) => p.code)).toEqual(['1.001193']);
    expect(d.changed).toEqual([{ before: festival, after: festival2 }]);
  });

  it('refuses a catalog with a duplicate code', () => {
    expect(() => diffCatalogs([birth, birth], [])).toThrow(/duplicate code 1\.001193 in old/);
  });

  it('property: applying the diff to old gives next (by code and content)', () => {
    const pool = [birth, festival, land, load('raw-1.010369'), load('raw-3.000382')];
    const variant = (p: Procedure, edit: number): Procedure => (edit ? { ...p, name: `${p.name} #${edit}` } : p);
    const catalog = fc
      .subarray(pool.map((_, i) => i))
      .chain((idx) => fc.tuple(...idx.map((i) => fc.nat(2).map((e) => variant(pool[i]!, e)))));
    fc.assert(
      fc.property(catalog, catalog, (oldCat, nextCat) => {
        const d = diffCatalogs(oldCat, nextCat);
        const result = new Map(oldCat.map((p) => [p.code, p]));
        for (const p of d.removed) result.delete(p.code);
        for (const p of d.added) result.set(p.code, p);
        for (const c of d.changed) result.set(c.after.code, c.after);
        const hashes = (xs: Iterable<Procedure>) => [...xs].map((p) => `${p.code}:${contentHash(p)}`).sort();
        expect(hashes(result.values())).toEqual(hashes(nextCat));
        expect(diffCatalogs(nextCat, nextCat)).toEqual({ added: [], changed: [], removed: [] });
      }),
      { numRuns: 300 },
    );
  });
});
