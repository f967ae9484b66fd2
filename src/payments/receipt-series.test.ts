import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSeries, formatReceiptNo, nextReceiptNo, receiptSymbol, type IssuedReceipt } from './receipt-series.js';

describe('receipt series', () => {
  it('formats the symbol and number', () => {
    expect(receiptSymbol('25459', 2026)).toBe('BL25459-26E');
    expect(formatReceiptNo(42)).toBe('0000042');
    expect(() => formatReceiptNo(0)).toThrow();
  });

  it('any sequence of issues and cancellations leaves no gap and no reuse', () => {
    const op = fc.oneof(fc.constant({ kind: 'issue' as const }), fc.nat().map((i) => ({ kind: 'cancel' as const, pick: i })));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        let last = 0;
        const issued: IssuedReceipt[] = [];
        for (const o of ops) {
          if (o.kind === 'issue') {
            last = nextReceiptNo(last);
            issued.push({ no: last, cancelled: false });
          } else if (issued.length) {
            issued[o.pick % issued.length]!.cancelled = true;
          }
        }
        expect(checkSeries(issued)).toEqual({ gaps: [], duplicates: [] });
        expect(issued.length).toBe(last);
      }),
    );
  });

  it('finds gaps and reused numbers', () => {
    expect(checkSeries([1, 2, 4, 4, 6].map((no) => ({ no, cancelled: false })))).toEqual({ gaps: [3, 5], duplicates: [4] });
    expect(checkSeries([])).toEqual({ gaps: [], duplicates: [] });
  });
});
