import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from './db.js';
import { forwardedClient } from './context.js';
import { loadConfig } from './config.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';

describe('the client address behind trusted proxies', () => {
  it('takes the entry the outermost trusted proxy wrote, counted from the right', () => {
    expect(forwardedClient('203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('1.1.1.1, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('1.1.1.1, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(forwardedClient(' 1.1.1.1 ,, 203.0.113.7 ', 1)).toBe('203.0.113.7');
  });

  it('believes nothing when the request did not pass through every trusted proxy', () => {
    expect(forwardedClient('203.0.113.7', 2)).toBeNull();
    expect(forwardedClient('', 1)).toBeNull();
    expect(forwardedClient(undefined, 1)).toBeNull();
    expect(forwardedClient('203.0.113.7', 0)).toBeNull();
  });

  it('never lets what the client writes on the left change the answer', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme-ascii' }).filter((s) => !s.includes(',')), { maxLength: 8 }), fc.integer({ min: 1, max: 3 }), (forged, hops) => {
        const ours = ['198.51.100.9', '10.0.0.2', '10.0.0.3'].slice(0, hops);
        expect(forwardedClient([...forged, ...ours].join(','), hops)).toBe('198.51.100.9');
      }),
    );
  });

  it('reads XASO_TRUST_PROXY as a number of proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ XASO_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ XASO_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => loadConfig({ XASO_TRUST_PROXY: 'yes' })).toThrow(/XASO_TRUST_PROXY/);
  });
});

describe('rotating X-Forwarded-For behind one proxy', () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb('pglite');
  });
  afterAll(() => h.close());

  it('does not give a fresh sign-in limit: the address the proxy saw is counted', async () => {
    const app = testApp(h, { trustProxy: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      // The client forges the left part; our proxy appends the address it really saw.
      const c = new Client(app, `10.${i}.${i}.${i}, 198.51.100.9`);
      // A new login each time: only the per-address count can stop the run.
      statuses.push((await c.post('/dang-nhap', { login: `09129${String(i).padStart(5, '0')}`, password: 'sai-mat-khau' })).status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Another real address still has its own allowance.
    expect((await new Client(app, '10.0.0.1, 198.51.100.10').post('/dang-nhap', { login: '0912888888', password: 'sai' })).status).toBe(400);
  });
});
