import { describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db.js';
import { dossiersChanged } from '../changes.js';
import { countCacheOf, QueueCountCache } from './queue-counts.js';
import type { DeadlineWindow, UnitCountGroup } from './queues.js';

const TODAY: DeadlineWindow = { today: '2026-11-23', riskEnd: '2026-11-24' };
const TOMORROW: DeadlineWindow = { today: '2026-11-24', riskEnd: '2026-11-25' };

/** `n` dossiers to receive. */
const groups = (n: number): UnitCountGroup[] => [{ status: 1, stage: '', assignee_id: null, deadline: '', n }];

/** A computation that counts its calls, or fails. */
function counter() {
  const c = {
    calls: 0,
    fail: false,
    compute: async (): Promise<UnitCountGroup[]> => {
      c.calls++;
      await Promise.resolve();
      if (c.fail) throw new Error('database down');
      return groups(1);
    },
  };
  return c;
}

/** Computations that finish when the test opens the gate. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    open,
    compute: (n: number) => async (): Promise<UnitCountGroup[]> => {
      await opened;
      return groups(n);
    },
  };
}

function clock() {
  const c = { t: 1_000_000, now: () => c.t };
  return c;
}

describe('queue count cache', () => {
  it('serves a unit’s counts from the cache until they expire', async () => {
    const t = clock();
    const cache = new QueueCountCache({ ttlMs: 10_000, now: t.now });
    const c = counter();
    await cache.get('25459', TODAY, c.compute);
    t.t += 9_999;
    expect(await cache.get('25459', TODAY, c.compute)).toEqual(groups(1));
    expect(c.calls).toBe(1);
    t.t += 1;
    await cache.get('25459', TODAY, c.compute);
    expect(c.calls).toBe(2);
  });

  it('keeps units apart, and counts again on a new day (the deadline buckets move)', async () => {
    const cache = new QueueCountCache();
    const c = counter();
    await cache.get('25459', TODAY, c.compute);
    await cache.get('25480', TODAY, c.compute);
    expect(c.calls).toBe(2);
    await cache.get('25459', TOMORROW, c.compute);
    expect(c.calls).toBe(3);
    await cache.get('25459', TOMORROW, c.compute);
    expect(c.calls).toBe(3);
    // Same day, another at-risk bound (the holiday table changed): not the same counts either.
    await cache.get('25459', { ...TOMORROW, riskEnd: '2026-11-26' }, c.compute);
    expect(c.calls).toBe(4);
  });

  it('runs one computation for concurrent misses', async () => {
    const cache = new QueueCountCache();
    const c = counter();
    const got = await Promise.all([cache.get('25459', TODAY, c.compute), cache.get('25459', TODAY, c.compute), cache.get('25459', TODAY, c.compute)]);
    expect(c.calls).toBe(1);
    expect(got[0]).toBe(got[1]);
    expect(got[1]).toBe(got[2]);
  });

  it('shares a computation that outlasts the time to live, and dates the counts from its start', async () => {
    const t = clock();
    const cache = new QueueCountCache({ ttlMs: 10_000, now: t.now });
    const g = gate();
    const calls: number[] = [];
    const compute = () => {
      calls.push(t.t);
      return g.compute(1)();
    };
    const first = cache.get('25459', TODAY, compute);
    t.t += 20_000;
    const second = cache.get('25459', TODAY, compute);
    g.open();
    await Promise.all([first, second]);
    expect(calls).toHaveLength(1);
    // Started 20 s ago: already older than the time to live.
    await cache.get('25459', TODAY, compute);
    expect(calls).toHaveLength(2);
  });

  it('does not keep a failure: every waiter is told, the next view tries again', async () => {
    const cache = new QueueCountCache();
    const c = counter();
    c.fail = true;
    const both = [cache.get('25459', TODAY, c.compute), cache.get('25459', TODAY, c.compute)];
    for (const p of both) await expect(p).rejects.toThrow('database down');
    expect(c.calls).toBe(1);
    expect(cache.size).toBe(0);
    c.fail = false;
    expect(await cache.get('25459', TODAY, c.compute)).toHaveLength(1);
    expect(c.calls).toBe(2);
  });

  it('forgets the units it is told changed, even a computation under way', async () => {
    const cache = new QueueCountCache();
    const c = counter();
    await cache.get('25459', TODAY, c.compute);
    await cache.get('25480', TODAY, c.compute);
    cache.invalidate(['25459', '80']);
    await cache.get('25459', TODAY, c.compute);
    await cache.get('25480', TODAY, c.compute);
    expect(c.calls).toBe(3);

    // Counted before the change, finished after it: never served afterwards.
    const g = gate();
    const before = cache.get('25486', TODAY, g.compute(1));
    cache.invalidate(['25486']);
    const after = cache.get('25486', TODAY, async () => groups(2));
    g.open();
    expect((await before)[0]!.n).toBe(1);
    expect((await after)[0]!.n).toBe(2);
    expect((await cache.get('25486', TODAY, g.compute(1)))[0]!.n).toBe(2);
  });

  it('keeps at most maxUnits units, dropping the least recently used', async () => {
    const cache = new QueueCountCache({ maxUnits: 3 });
    const c = counter();
    for (const unit of ['a', 'b', 'c']) await cache.get(unit, TODAY, c.compute);
    await cache.get('a', TODAY, c.compute);
    await cache.get('d', TODAY, c.compute);
    expect(cache.size).toBe(3);
    expect(c.calls).toBe(4);
    // 'b' was the least recently used: gone; 'a' stayed.
    await cache.get('a', TODAY, c.compute);
    expect(c.calls).toBe(4);
    await cache.get('b', TODAY, c.compute);
    expect(c.calls).toBe(5);
    expect(cache.size).toBe(3);
  });

  it('has one cache per database, emptied for the units dossiersChanged names', async () => {
    const db = {} as Db;
    const other = {} as Db;
    expect(countCacheOf(db)).toBe(countCacheOf(db));
    expect(countCacheOf(db)).not.toBe(countCacheOf(other));
    const c = counter();
    await countCacheOf(db).get('25459', TODAY, c.compute);
    await countCacheOf(db).get('25480', TODAY, c.compute);
    await countCacheOf(other).get('25459', TODAY, c.compute);
    dossiersChanged(['25459']);
    expect(countCacheOf(db).size).toBe(1);
    expect(countCacheOf(other).size).toBe(0);
    await countCacheOf(db).get('25480', TODAY, c.compute);
    expect(c.calls).toBe(3);
  });
});
