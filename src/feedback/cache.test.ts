import { describe, expect, it } from 'vitest';
import { cachesOf, feedbackChanged } from './cache.js';

describe('the feedback caches', () => {
  it('each database has its own caches; a change there empties both of them, and only there', async () => {
    const db = {};
    const other = {};
    expect(cachesOf(db)).toBe(cachesOf(db));
    expect(cachesOf(db)).not.toBe(cachesOf(other));
    await cachesOf(db).answers.get('/a', async () => 'A');
    await cachesOf(db).counts.get('25459', async () => 1);
    await cachesOf(other).answers.get('/a', async () => 'B');
    feedbackChanged(db);
    expect(cachesOf(db).answers.size).toBe(0);
    expect(cachesOf(db).counts.size).toBe(0);
    expect(await cachesOf(other).answers.get('/a', async () => 'B2')).toBe('B');
    feedbackChanged({}); // a database never asked: nothing to do
  });
});
