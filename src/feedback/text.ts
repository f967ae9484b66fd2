/** Small pure helpers: search folding, contact masking, Việt Nam local time. */

const VN_OFFSET_MS = 7 * 3_600_000;

/** Lowercase ASCII words: "Đường ĐÈN hỏng" → "duong den hong" (so searches ignore diacritics). */
export function foldText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The search words of a query, folded; at most 8, each at least 2 characters. */
export function searchWords(q: string): string[] {
  return [...new Set(foldText(q.slice(0, 200)).split(' '))].filter((w) => w.length >= 2).slice(0, 8);
}

/** A run of digits with the separators people put in phone numbers: spaces, dots, dashes, brackets. */
const DIGIT_RUN = /[+(]?\d(?:[\s().\-–—]{0,3}\d)+\)?/g;
const AT = String.raw`(?:@|\s*[[({]\s*(?:at|a còng)\s*[\])}]\s*)`;
const DOT = String.raw`(?:\.|\s*[[({]\s*(?:dot|chấm)\s*[\])}]\s*)`;
const EMAIL_LIKE = new RegExp(String.raw`[^\s@<>()[\]{}]+${AT}[^\s@<>()[\]{}]+(?:${DOT}[^\s@<>()[\]{}.]+)+`, 'giu');

function phoneLike(run: string): boolean {
  const digits = run.replace(/\D/g, '');
  // Vietnamese numbers: 10 digits from 0 (9–11 with old and landline forms), or the same after 84.
  return (/^0\d{8,10}$/.test(digits) || /^84\d{8,10}$/.test(digits)) && !/^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(run.trim());
}

/**
 * Masks phone numbers and e-mail addresses a citizen typed into free text,
 * before it is shown publicly (the public list and Open311 carry no personal
 * data). Full-width characters are read as their plain forms first (NFKC), and
 * the disguises people use — `(091) 2345678`, `0912 - 345 - 678`, `a [at] b.vn`
 * — are caught too.
 */
export function redactContacts(text: string): string {
  return text
    .normalize('NFKC')
    .replace(EMAIL_LIKE, '[đã ẩn]')
    .replace(DIGIT_RUN, (run) => (phoneLike(run) ? '[đã ẩn]' : run));
}

/** The local date (UTC+7, no DST) of an instant, `YYYY-MM-DD`. */
export function vnDate(at: Date = new Date()): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** ISO 8601 with the +07:00 offset, seconds precision: what Open311 clients get. */
export function vnIso(at: Date): string {
  return `${new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** `dd/mm/yyyy` from `YYYY-MM-DD`. */
export function vnDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

/** `dd/mm/yyyy HH:mm` in Việt Nam time. */
export function vnDateTime(at: Date): string {
  const s = new Date(at.getTime() + VN_OFFSET_MS).toISOString();
  return `${vnDay(s.slice(0, 10))} ${s.slice(11, 16)}`;
}

/** Removes control characters (keeps new lines and tabs) and NULs, which PostgreSQL text cannot hold. */
export function cleanText(input: string): string {
  // eslint-disable-next-line no-control-regex
  return input.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
