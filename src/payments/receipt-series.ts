/**
 * The commune's receipt series (biên lai điện tử): one run of numbers per
 * commune and year, every number used once, none skipped; a cancelled
 * receipt keeps its number and says why. Pure; the store takes numbers under
 * a row lock so this model is what the database does.
 */

/** "BL25459-26E": receipt, commune, two-digit year, electronic. */
export function receiptSymbol(communeCode: string, year: number): string {
  return `BL${communeCode}-${String(year % 100).padStart(2, '0')}E`;
}

/** Numbers are printed with seven digits, as e-invoices and receipts are. */
export function formatReceiptNo(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1 || n > 9_999_999) throw new RangeError('receipt number out of range');
  return String(n).padStart(7, '0');
}

export interface IssuedReceipt {
  no: number;
  cancelled: boolean;
}

export interface SeriesCheck {
  /** Numbers missing between 1 and the highest issued. */
  gaps: number[];
  /** Numbers issued more than once. */
  duplicates: number[];
}

/** What is wrong with a series as stored: it must be 1…n, each once (cancelled ones included). */
export function checkSeries(receipts: readonly IssuedReceipt[]): SeriesCheck {
  const seen = new Map<number, number>();
  for (const r of receipts) seen.set(r.no, (seen.get(r.no) ?? 0) + 1);
  const max = Math.max(0, ...seen.keys());
  const gaps: number[] = [];
  for (let n = 1; n <= max; n++) if (!seen.has(n)) gaps.push(n);
  const duplicates = [...seen].filter(([, count]) => count > 1).map(([n]) => n).sort((a, b) => a - b);
  return { gaps, duplicates };
}

/** The next number after the last one issued (cancellations do not give numbers back). */
export function nextReceiptNo(last: number): number {
  return last + 1;
}
