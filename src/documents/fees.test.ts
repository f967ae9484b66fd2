import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certifiedCopyFee, FEE_CAP_PER_COPY } from './fees.js';

describe('certified copy fee (Circular 226/2016/TT-BTC)', () => {
  it('worked examples', () => {
    expect(certifiedCopyFee(1, 1)).toBe(2000);
    expect(certifiedCopyFee(2, 1)).toBe(4000);
    expect(certifiedCopyFee(3, 1)).toBe(5000);
    expect(certifiedCopyFee(10, 2)).toBe(24_000);
    expect(certifiedCopyFee(500, 1)).toBe(200_000);
  });

  it('grows with pages, never past the cap per copy, and is linear in copies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 50 }), (pages, copies) => {
        const one = certifiedCopyFee(pages, 1);
        expect(one).toBeLessThanOrEqual(FEE_CAP_PER_COPY);
        expect(certifiedCopyFee(pages + 1, 1)).toBeGreaterThanOrEqual(one);
        expect(certifiedCopyFee(pages, copies)).toBe(one * copies);
      }),
    );
  });

  it('refuses what is not a count', () => {
    for (const [p, c] of [[0, 1], [1, 0], [1.5, 1], [-1, 1]] as const) expect(() => certifiedCopyFee(p, c)).toThrow(RangeError);
  });
});
