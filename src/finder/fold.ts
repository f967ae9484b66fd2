/**
 * Vietnamese text folding for search: everything a citizen may type is
 * mapped to plain lowercase ASCII words, so "Đăng ký", "dang ky", "ĐĂNG KÝ"
 * and "dang kys" (Telex leftover) all meet the index on the same key.
 * Pure functions, no data dependencies.
 */

const COMBINING = /\p{M}+/gu;
const NOT_ALNUM = /[^a-z0-9]+/g;

function foldSlow(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING, '')
    .replace(/đ/g, 'd')
    .replace(NOT_ALNUM, ' ');
}

// Per-character cache: folding is per character for our output alphabet
// (marks are dropped, so canonical reordering cannot matter), and the
// catalog's long paper lists make whole-string normalisation the hot spot.
const BMP_CACHE: (string | undefined)[] = new Array(0x10000);
const ASTRAL_CACHE = new Map<string, string>();

function foldChar(ch: string, code: number): string {
  if (code < 0x10000) {
    let v = BMP_CACHE[code];
    if (v === undefined) BMP_CACHE[code] = v = foldSlow(ch);
    return v;
  }
  let v = ASTRAL_CACHE.get(ch);
  if (v === undefined) {
    v = foldSlow(ch);
    if (ASTRAL_CACHE.size < 4096) ASTRAL_CACHE.set(ch, v);
  }
  return v;
}

/**
 * Folds text to `[a-z0-9 ]`, single spaces, trimmed: NFKD (so full-width
 * letters, ligatures and superscripts fold too), lowercase, marks dropped,
 * đ → d, anything else → space.
 */
export function fold(input: string): string {
  if (typeof input !== 'string' || input.length === 0) return '';
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    let mapped: string;
    // Fast path for ASCII.
    if (code < 0x80) {
      if (code >= 0x61 && code <= 0x7a) mapped = input[i]!;
      else if (code >= 0x41 && code <= 0x5a) mapped = String.fromCharCode(code + 32);
      else if (code >= 0x30 && code <= 0x39) mapped = input[i]!;
      else mapped = ' ';
    } else {
      let ch = input[i]!;
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < input.length) {
        const lo = input.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          ch = input.slice(i, i + 2);
          code = 0x10000 + ((code - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        }
      }
      mapped = foldChar(ch, code);
    }
    for (let k = 0; k < mapped.length; k++) {
      const c = mapped[k]!;
      if (c === ' ') pendingSpace = out.length > 0;
      else {
        if (pendingSpace) out += ' ';
        pendingSpace = false;
        out += c;
      }
    }
  }
  return out;
}

/** Tokens of the folded text. */
export function tokenize(input: string): string[] {
  const f = fold(input);
  return f === '' ? [] : f.split(' ');
}

// A Vietnamese syllable in folded form: onset, vowel nucleus, coda. Codas
// never end in s/f/r/x/j, which is what lets us spot Telex tone keys.
const SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$/;

/** True when the folded token has the shape of one Vietnamese syllable. */
export function isSyllable(token: string): boolean {
  // "oo" is a nucleus only before -ng/-c ("xoong", "moóc"); elsewhere it is Telex for "ô".
  return SYLLABLE.test(token) && (!token.includes('oo') || /oo(ng|c)$/.test(token));
}

// Licence classes and similar letter+digit codes that must not be read as VNI.
const KEEP_ALNUM = /^([a-f][0-9]|f[0-9]|ct0[0-9]|ct[0-9]{2}|tk[0-9]{2})$/;

/**
 * Repairs one folded token that carries Telex or VNI keystrokes left over
 * from a misconfigured input method: "kys" → "ky", "ky1" → "ky",
 * "ddawngf" → "dang", "nuwowcs" → "nuoc". Only rewrites a token that is not
 * a syllable and becomes one, so real words and abbreviations stay intact.
 */
export function repairToken(token: string): string {
  if (token.length < 2 || token.length > 12 || isSyllable(token)) return token;
  if (/^[0-9]+$/.test(token) || KEEP_ALNUM.test(token)) return token;

  // VNI: digits typed as diacritic keys, usually after the vowel or at the end.
  if (/[0-9]/.test(token)) {
    if (!/^[a-z]/.test(token)) return token;
    // "lop1", "cap2", "muc2": a counted noun glued to its number, not VNI.
    const counted = /^(lop|cap|hang|loai|muc|khu|to|phong|so|nam|thang|ngay|quy|tuoi|lan)([0-9]+)$/.exec(token);
    if (counted) return `${counted[1]} ${counted[2]}`;
    const stripped = token.replace(/[0-9]/g, '');
    return stripped !== token && isSyllable(stripped) ? stripped : token;
  }

  // Telex: doubled vowels / w for the vowel hats, dd for đ, tone keys in the rime.
  let t = token
    .replace(/^dd/, 'd')
    .replace(/aa|aw/g, 'a')
    .replace(/ee/g, 'e')
    .replace(/oo|ow/g, 'o')
    .replace(/uw/g, 'u');
  if (isSyllable(t)) return t;
  const firstVowel = t.search(/[aeiouy]/);
  if (firstVowel < 0) {
    // "w" alone stands for "ư" in Telex: "tw" → "tu".
    const w = token.replace(/w/g, 'u');
    return w !== token && isSyllable(w) ? w : token;
  }
  // A tone key is never followed by another vowel ("visa", "taxi" stay).
  const rime = t.slice(firstVowel).replace(/[sfrxjw](?![aeiouy])/g, '');
  t = t.slice(0, firstVowel) + rime;
  if (isSyllable(t)) return t;
  // "nhwng" → "nhung".
  const wAsU = token.replace(/w/g, 'u');
  if (wAsU !== token && isSyllable(wAsU)) return wAsU;
  return token;
}

/** Folds and repairs Telex/VNI leftovers token by token. */
export function normalizeQuery(input: string): string {
  const f = fold(input);
  if (f === '') return '';
  return f
    .split(' ')
    .map(repairToken)
    .join(' ');
}
