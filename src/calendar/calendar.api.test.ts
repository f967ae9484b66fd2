import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { openTestDb } from '../testing/db.js';
import { testApp } from '../testing/app.js';

describe('calendar API', () => {
  let h: DbHandle;
  let app: App;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    app = testApp(h);
  });
  afterAll(() => h.close());

  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('gives the due date over Tết 2026 and applies the 15:00 rule for same-day procedures', async () => {
    expect((await get('/api/v1/calendar/due?receivedAt=2026-02-12T10:00:00%2B07:00&workingDays=3')).body.due).toBe('2026-02-24');
    expect((await get('/api/v1/calendar/due?receivedAt=2026-03-10T14:59:00%2B07:00&workingDays=0')).body.due).toBe('2026-03-10');
    expect((await get('/api/v1/calendar/due?receivedAt=2026-03-10T15:01:00%2B07:00&workingDays=0')).body.due).toBe('2026-03-11');
    expect((await get('/api/v1/calendar/due?receivedAt=2026-03-13T16:00:00%2B07:00&workingDays=0')).body.due).toBe('2026-03-16');
  });

  it('converts to the Vietnamese lunar calendar', async () => {
    expect((await get('/api/v1/calendar/lunar?date=2026-02-17')).body).toMatchObject({ day: 1, month: 1, year: 2026, leap: false });
    expect((await get('/api/v1/calendar/lunar?date=1985-01-21')).body).toMatchObject({ day: 1, month: 1, year: 1985 });
  });

  it('names the bad parameter in Vietnamese', async () => {
    const noOffset = await get('/api/v1/calendar/due?receivedAt=2026-02-12T10:00:00&workingDays=3');
    expect(noOffset.status).toBe(400);
    expect(JSON.stringify(noOffset.body)).toContain('receivedAt');
    const negative = await get('/api/v1/calendar/due?receivedAt=2026-02-12T10:00:00%2B07:00&workingDays=-1');
    expect(negative.status).toBe(400);
    expect(JSON.stringify(negative.body)).toContain('không được âm');
    const badDate = await get('/api/v1/calendar/lunar?date=2026-13-40');
    expect(badDate.status).toBe(400);
  });

  it('never answers 5xx to random parameters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string(), async (a, b, d) => {
        const due = await app.request(`/api/v1/calendar/due?receivedAt=${encodeURIComponent(a)}&workingDays=${encodeURIComponent(b)}`);
        expect(due.status).toBeLessThan(500);
        const lunar = await app.request(`/api/v1/calendar/lunar?date=${encodeURIComponent(d)}`);
        expect(lunar.status).toBeLessThan(500);
      }),
      { numRuns: 1000 },
    );
  });
});
