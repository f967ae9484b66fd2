import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInWords, formatVnd, numberWords } from './words.js';

/** An independent reader of the words back into a number: the property's oracle. */
function readWords(text: string): number {
  const DIG: Record<string, number> = { không: 0, một: 1, mốt: 1, hai: 2, ba: 3, bốn: 4, tư: 4, năm: 5, lăm: 5, sáu: 6, bảy: 7, tám: 8, chín: 9 };
  let total = 0; // completed "tỷ" cycles
  let section = 0; // below a billion
  let group = 0; // below a thousand
  let last = 0;
  for (const w of text.split(' ')) {
    if (w in DIG) last = DIG[w]!;
    else if (w === 'mười') {
      group += 10;
      last = 0;
      continue;
    } else if (w === 'mươi') {
      group += last * 10;
      last = 0;
      continue;
    } else if (w === 'trăm') {
      group += last * 100;
      last = 0;
      continue;
    } else if (w === 'linh') continue;
    else if (w === 'nghìn') {
      section += (group + last) * 1000;
      group = last = 0;
      continue;
    } else if (w === 'triệu') {
      section += (group + last) * 1_000_000;
      group = last = 0;
      continue;
    } else if (w === 'tỷ') {
      total = (total + section + group + last) * 1_000_000_000;
      section = group = last = 0;
      continue;
    } else throw new Error(`unknown word ${w}`);
    // A digit word directly after "mười"/"mươi"/"linh" is the unit; otherwise it waits for its multiplier.
  }
  return total + section + group + last;
}

describe('amount in Vietnamese words', () => {
  it.each([
    [0, 'không'],
    [5, 'năm'],
    [10, 'mười'],
    [15, 'mười lăm'],
    [21, 'hai mươi mốt'],
    [25, 'hai mươi lăm'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [1000, 'một nghìn'],
    [1005, 'một nghìn không trăm linh năm'],
    [50_000, 'năm mươi nghìn'],
    [150_000, 'một trăm năm mươi nghìn'],
    [1_000_000, 'một triệu'],
    [1_200_000, 'một triệu hai trăm nghìn'],
    [4_500_000, 'bốn triệu năm trăm nghìn'],
    [2_000_000_000, 'hai tỷ'],
    [1_000_000_000_000, 'một nghìn tỷ'],
    [1_000_000_005, 'một tỷ không trăm linh năm'],
  ])('%i → %s', (n, words) => {
    expect(numberWords(n)).toBe(words);
  });

  it('reads back to the same number, for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(readWords(numberWords(n))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('is exact for every amount up to 100,000 (exhaustive)', () => {
    for (let n = 0; n <= 100_000; n++) if (readWords(numberWords(n)) !== n) throw new Error(`${n}: ${numberWords(n)}`);
  });

  it('capitalises and names the currency', () => {
    expect(amountInWords(150_000)).toBe('Một trăm năm mươi nghìn đồng');
    expect(formatVnd(1_500_000)).toBe('1.500.000');
    expect(formatVnd(500)).toBe('500');
  });

  it('refuses negative and fractional amounts', () => {
    expect(() => numberWords(-1)).toThrow();
    expect(() => numberWords(1.5)).toThrow();
  });
});
