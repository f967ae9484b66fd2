import fc from 'fast-check';
import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { buildVietQr, crc16, crcValid, vietQrProblem, type VietQrInput } from './vietqr.js';

const DOMAIN_EXAMPLE = '00020101021238540010A00000072701240006970436011010234567890208QRIBFTTA5303704540719430005802VN62120808TT0000696304A8E5';

const input = fc.record({
  bin: fc.stringMatching(/^\d{6}$/),
  account: fc.stringMatching(/^[0-9A-Za-z]{1,19}$/),
  amountVnd: fc.integer({ min: 1, max: 9_999_999_999_999 }),
  purpose: fc.stringMatching(/^[0-9A-Za-z]([0-9A-Za-z ]{0,23}[0-9A-Za-z])?$/),
}) satisfies fc.Arbitrary<VietQrInput>;

describe('CRC-16/CCITT-FALSE', () => {
  it('has the standard check value', () => {
    expect(crc16('123456789')).toBe('29B1');
  });
  it('validates the published example', () => {
    expect(crcValid(DOMAIN_EXAMPLE)).toBe(true);
  });
  it('catches any single changed character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DOMAIN_EXAMPLE.length - 5 }), fc.constantFrom(...'0123456789ABCZ'), (i, ch) => {
        fc.pre(DOMAIN_EXAMPLE[i] !== ch);
        expect(crcValid(DOMAIN_EXAMPLE.slice(0, i) + ch + DOMAIN_EXAMPLE.slice(i + 1))).toBe(false);
      }),
    );
  });
});

describe('VietQR payload', () => {
  it('reproduces the published example byte for byte', () => {
    expect(buildVietQr({ bin: '970436', account: '1023456789', amountVnd: 1_943_000, purpose: 'TT000069' })).toBe(DOMAIN_EXAMPLE);
  });

  it('decodes with vietnam-qr-pay to the same bank, account, amount and reference, for any input', () => {
    fc.assert(
      fc.property(input, (i) => {
        const payload = buildVietQr(i);
        const qr = new QRPay(payload);
        expect(qr.isValid).toBe(true);
        expect(qr.provider.name).toBe('VIETQR');
        expect(qr.initMethod).toBe('12');
        expect(qr.consumer.bankBin).toBe(i.bin);
        expect(qr.consumer.bankNumber).toBe(i.account);
        expect(qr.amount).toBe(String(i.amountVnd));
        expect(qr.additionalData.purpose).toBe(i.purpose);
        expect(qr.currency).toBe('704');
        expect(qr.nation).toBe('VN');
        expect(crcValid(payload)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the library’s own encoder', () => {
    fc.assert(
      fc.property(input, (i) => {
        const theirs = QRPay.initVietQR({ bankBin: i.bin, bankNumber: i.account, amount: String(i.amountVnd), purpose: i.purpose }).build();
        expect(buildVietQr(i)).toBe(theirs);
      }),
    );
  });

  it('refuses inputs a bank would mangle, naming the field', () => {
    const ok: VietQrInput = { bin: '970436', account: '1023456789', amountVnd: 50_000, purpose: 'HS254592612030001' };
    expect(vietQrProblem(ok)).toBeNull();
    expect(vietQrProblem({ ...ok, bin: '97043' })).toBe('bin');
    expect(vietQrProblem({ ...ok, account: '1023-456' })).toBe('account');
    expect(vietQrProblem({ ...ok, amountVnd: 0 })).toBe('amount');
    expect(vietQrProblem({ ...ok, amountVnd: 1.5 })).toBe('amount');
    expect(vietQrProblem({ ...ok, amountVnd: 10_000_000_000_000 })).toBe('amount');
    expect(vietQrProblem({ ...ok, purpose: 'Lệ phí' })).toBe('purpose');
    expect(vietQrProblem({ ...ok, purpose: 'x'.repeat(26) })).toBe('purpose');
    expect(() => buildVietQr({ ...ok, purpose: '' })).toThrow(/purpose/);
  });
});
