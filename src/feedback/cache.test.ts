import { describe, expect, it } from 'vitest';
import { bumpGeneration, cached, generationOf, memo, remember, TTL_MS } from './cache.js';

describe('the Open311 answer cache', () => {
  it('serves an answer until a change in that database, or the TTL', () => {
    const db = {};
    const other = {};
    remember(db, '/a', generationOf(db), 'A', 1000);
    remember(other, '/a', generationOf(other), 'B', 1000);
    expect(cached(db, '/a', 2000)).toBe('A');
    expect(cached(other, '/a', 2000)).toBe('B'); // one cache per database
    expect(cached(db, '/a', 1000 + TTL_MS + 1)).toBeUndefined();
    remember(db, '/a', generationOf(db), 'A2', 5000);
    bumpGeneration(db);
    expect(cached(db, '/a', 5001)).toBeUndefined();
    expect(cached(other, '/a', 5001)).toBe('B');
  });

  it('drops an answer computed while something changed', () => {
    const db = {};
    const before = generationOf(db);
    bumpGeneration(db); // a write committed while the answer was being computed
    remember(db, '/b', before, 'old', 1000);
    expect(cached(db, '/b', 1001)).toBeUndefined();
  });

  it('memo computes once until something changes', async () => {
    const db = {};
    let runs = 0;
    const compute = async () => ++runs;
    expect(await memo(db, 'k', compute)).toBe(1);
    expect(await memo(db, 'k', compute)).toBe(1);
    bumpGeneration(db);
    expect(await memo(db, 'k', compute)).toBe(2);
  });

  it('stays bounded', () => {
    const db = {};
    for (let i = 0; i < 600; i++) remember(db, `/k${i}`, 0, 'x', 1000);
    expect(cached(db, '/k0', 1001)).toBeUndefined();
    expect(cached(db, '/k599', 1001)).toBe('x');
  });
});
