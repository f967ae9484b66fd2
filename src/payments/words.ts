/**
 * Amounts in Vietnamese words, as receipts write them ("Bằng chữ: Một trăm
 * năm mươi nghìn đồng"). Pure.
 */
const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** Words for 0–999; `full` when a higher group precedes, so "không trăm" and "linh" are said. */
function triple(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (h > 0 || full) out.push(DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0 && (h > 0 || full)) out.push('linh');
  } else if (t === 1) out.push('mười');
  else out.push(DIGITS[t]!, 'mươi');
  if (u > 0) {
    if (u === 1 && t >= 2) out.push('mốt');
    else if (u === 5 && t >= 1) out.push('lăm');
    else out.push(DIGITS[u]!);
  }
  return out;
}

/** Words for 0 < n < 10^9; `full` when a higher group was said, so "không trăm" and "linh" are said too. */
function belowBillion(n: number, full: boolean): string[] {
  const groups = [Math.floor(n / 1_000_000), Math.floor(n / 1000) % 1000, n % 1000];
  const units = ['triệu', 'nghìn', ''];
  const out: string[] = [];
  let said = full;
  groups.forEach((g, i) => {
    if (g === 0) return;
    out.push(...triple(g, said));
    if (units[i]) out.push(units[i]!);
    said = true;
  });
  return out;
}

/** Words for a whole number 0 ≤ n ≤ 2^53, lower case, without the currency. Above 10^9 the "tỷ" cycle repeats ("nghìn tỷ"). */
export function numberWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('numberWords: not a non-negative safe integer');
  if (n === 0) return DIGITS[0]!;
  return words(n, false).join(' ');
}

function words(n: number, full: boolean): string[] {
  const high = Math.floor(n / 1_000_000_000);
  const low = n % 1_000_000_000;
  if (high === 0) return belowBillion(low, full);
  return [...words(high, full), 'tỷ', ...(low > 0 ? belowBillion(low, true) : [])];
}

/** "Một trăm năm mươi nghìn đồng": capitalised, with the currency. */
export function amountInWords(amountVnd: number): string {
  const w = numberWords(amountVnd);
  return `${w.charAt(0).toLocaleUpperCase('vi')}${w.slice(1)} đồng`;
}

/** "150.000": Vietnamese thousands separators. */
export function formatVnd(amountVnd: number): string {
  return String(amountVnd).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
