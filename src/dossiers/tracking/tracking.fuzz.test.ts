import { fuzzRuns } from '../../testing/fuzz.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../testing/app.js';
import { CITIZEN, openWorld, signedIn, submitOnline, type World } from '../submit/test-setup.js';

const RUNS = fuzzRuns(1000);

/** Mostly hostile text, sometimes the real thing, so both paths are exercised. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', "' or 1=1 --", '<script>alert(1)</script>', '\u0000\u0007', '%00', '../..', '🙂', '25459-260309-0001', 'x'.repeat(5000), '١٢٣٤'),
);
const digits = fc.oneof(text, fc.stringMatching(/^\d{4}$/), fc.constantFrom(CITIZEN.slice(-4)));

describe('fuzzing the tracking form (no 5xx, nothing personal without both keys)', () => {
  let w: World;
  let code: string;
  let ip = 0;
  beforeAll(async () => {
    w = await openWorld();
    ({ code } = await submitOnline(w, await signedIn(w.app, CITIZEN), { address: 'Địa chỉ riêng tư 42' }));
  });
  afterAll(() => w.close());

  it(`/tra-cuu: ${RUNS} random look-ups`, async () => {
    const codeArb = fc.oneof(text, fc.constant(code), fc.constant(` ${code.toLowerCase()} `));
    await fc.assert(
      fc.asyncProperty(fc.record({ ma: codeArb, so: digits }, { requiredKeys: [] }), fc.boolean(), async (q, raw) => {
        ip++;
        const c = new Client(w.app, `100.64.${Math.floor(ip / 250) % 250}.${(ip % 250) + 1}`);
        // Either a well-formed query, or the characters pasted raw (bad percent-escapes and all).
        const query = raw ? Object.entries(q).map(([k, v]) => `${k}=${v}`).join('&') : new URLSearchParams(q as Record<string, string>).toString();
        let res: Response;
        try {
          res = await c.get(`/tra-cuu?${query}`);
        } catch {
          return; // the URL itself could not be built: never reached the server
        }
        expect(res.status).toBeLessThan(500);
        const html = await res.text();
        if (res.status === 200 && html.includes('Quá trình giải quyết')) expect(q.so?.replace(/\s+/g, '')).toBe(CITIZEN.slice(-4));
        expect(html).not.toContain('Địa chỉ riêng tư 42');
      }),
      { numRuns: RUNS },
    );
  });
});
