import { describe, expect, it } from 'vitest';
import { Memo } from './memo.js';

/** A promise settled from outside, to hold a computation open. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function counting<T>(value: (n: number) => T) {
  const f = async () => value(++f.runs);
  f.runs = 0;
  return f;
}

describe('memo', () => {
  it('serves a computed value again without computing it', async () => {
    const memo = new Memo({ ttlMs: 1000, maxEntries: 10 });
    const compute = counting((n) => `v${n}`);
    expect(await memo.get('k', compute)).toBe('v1');
    expect(await memo.get('k', compute)).toBe('v1');
    expect(await memo.get('other', compute)).toBe('v2');
    expect(compute.runs).toBe(2);
  });

  it('computes again once the TTL has passed, counted from when the computation started', async () => {
    let now = 1_000;
    const memo = new Memo({ ttlMs: 1000, maxEntries: 10, now: () => now });
    const slow = deferred<string>();
    const first = memo.get('k', () => slow.promise);
    now = 1_600; // the computation took 600 ms
    slow.resolve('old');
    expect(await first).toBe('old');
    now = 1_999;
    expect(await memo.get('k', async () => 'new')).toBe('old');
    now = 2_000;
    expect(await memo.get('k', async () => 'new')).toBe('new');
  });

  it('concurrent misses share one computation', async () => {
    const memo = new Memo({ ttlMs: 1000, maxEntries: 10 });
    const slow = deferred<number>();
    let runs = 0;
    const compute = () => (runs++, slow.promise);
    const asked = Array.from({ length: 10 }, () => memo.get('k', compute));
    slow.resolve(42);
    expect(await Promise.all(asked)).toEqual(Array(10).fill(42));
    expect(runs).toBe(1);
  });

  it('does not keep a failure: everyone waiting hears it, the next request tries again', async () => {
    const memo = new Memo({ ttlMs: 1000, maxEntries: 10 });
    const failing = deferred<string>();
    const a = memo.get('k', () => failing.promise);
    const b = memo.get('k', async () => 'unused');
    failing.reject(new Error('database gone'));
    await expect(a).rejects.toThrow('database gone');
    await expect(b).rejects.toThrow('database gone');
    expect(memo.size).toBe(0);
    expect(await memo.get('k', async () => 'recovered')).toBe('recovered');
  });

  it('after a change, nobody gets what was computed before it, even a computation still under way', async () => {
    const memo = new Memo({ ttlMs: 60_000, maxEntries: 10 });
    expect(await memo.get('done', async () => 'before')).toBe('before');
    const running = deferred<string>();
    const early = memo.get('running', () => running.promise);
    memo.clear(); // a change committed
    running.resolve('read before the change');
    expect(await early).toBe('read before the change'); // asked before the change: may see it
    expect(await memo.get('running', async () => 'after')).toBe('after');
    expect(await memo.get('done', async () => 'after')).toBe('after');
  });

  it('stays bounded, dropping the least recently used key', async () => {
    const memo = new Memo({ ttlMs: 60_000, maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) await memo.get(k, async () => k);
    await memo.get('a', async () => 'a again'); // used: moves to the end
    await memo.get('d', async () => 'd');
    expect(memo.size).toBe(3);
    expect(await memo.get('b', async () => 'b recomputed')).toBe('b recomputed');
    expect(await memo.get('a', async () => 'a recomputed')).toBe('a');
  });

  it('stays within its weight, dropping the least recently used values first', async () => {
    const memo = new Memo({ ttlMs: 60_000, maxEntries: 100, maxWeight: 1000 });
    const weigh = (s: string) => s.length;
    await memo.get('a', async () => 'x'.repeat(400), weigh);
    await memo.get('b', async () => 'x'.repeat(400), weigh);
    expect(memo.weight).toBe(800);
    await memo.get('a', async () => 'unused', weigh); // used: now b is the least recent
    await memo.get('c', async () => 'x'.repeat(400), weigh);
    expect(memo.weight).toBe(800);
    expect(await memo.get('b', async () => 'b recomputed', weigh)).toBe('b recomputed');
    // A value heavier than the whole budget is still served, and kept alone.
    await memo.get('huge', async () => 'x'.repeat(5000), weigh);
    expect(memo.size).toBe(1);
    memo.clear();
    expect(memo.weight).toBe(0);
  });
});
