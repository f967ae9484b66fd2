/**
 * The fee for certifying copies from originals (Circular 226/2016/TT-BTC,
 * Art. 4): 2,000 đồng a page for the first two pages, 1,000 đồng a page from
 * the third, at most 200,000 đồng a copy. Pure.
 */
export const FEE_FIRST_PAGES = 2000;
export const FEE_LATER_PAGES = 1000;
export const FEE_CAP_PER_COPY = 200_000;

export function certifiedCopyFee(pages: number, copies: number): number {
  if (!Number.isInteger(pages) || !Number.isInteger(copies) || pages < 1 || copies < 1) throw new RangeError('pages and copies must be positive integers');
  const perCopy = Math.min(FEE_CAP_PER_COPY, Math.min(pages, 2) * FEE_FIRST_PAGES + Math.max(0, pages - 2) * FEE_LATER_PAGES);
  return perCopy * copies;
}
