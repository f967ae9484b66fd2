import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDescription, paymentReference, referencesIn } from './reference.js';

describe('payment references', () => {
  it('are letters and digits that survive a bank’s folding', () => {
    expect(paymentReference('25459-261203-0001', 1)).toBe('HS254592612030001');
    expect(paymentReference('25459-261203-0001', 2)).toBe('HS254592612030001P2');
    expect(foldDescription('Nộp phí hồ sơ hs-25459 261203.0001')).toBe('NOPPHIHOSOHS254592612030001');
  });

  it('are found in any description the bank writes around them', () => {
    const code = fc.tuple(fc.stringMatching(/^\d{5}$/), fc.stringMatching(/^\d{6}$/), fc.integer({ min: 1, max: 9999 }));
    const noise = fc.constantFrom('', 'MBVCB.123456.', 'Nguyen Van A chuyen tien ', ' FT2633', ' - ');
    fc.assert(
      fc.property(code, fc.integer({ min: 1, max: 3 }), noise, noise, fc.constantFrom('-', ' ', '', '.'), ([unit, day, seq], ordinal, pre, post, sep) => {
        const dossier = `${unit}-${day}-${String(seq).padStart(4, '0')}`;
        const ref = paymentReference(dossier, ordinal);
        const written = `${pre}hs${sep}${dossier.replaceAll('-', sep)}${ordinal > 1 ? `p${ordinal}` : ''}${post}`;
        const others = [paymentReference(dossier, ordinal === 1 ? 2 : 1), paymentReference(`${unit}-${day}-9999${seq}`, 1)].filter((r) => r !== ref);
        expect(referencesIn(written, [ref, ...others])).toEqual([ref]);
      }),
    );
  });
});
