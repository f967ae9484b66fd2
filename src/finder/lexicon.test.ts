/** The lexicon is data: check it is well-formed, so a typo in it cannot silently disable an entry. */
import { describe, expect, it } from 'vitest';
import { fold } from './fold.js';
import { ABBREVIATIONS, EXCLUSIVE, FEATURES, KEEP_PAIRS, NAME_ABBREVIATIONS, NEVER_KEEP, PHRASE_REWRITES, POPULAR, SITUATIONS, STOPWORDS, SYNONYMS } from './lexicon.js';

const isFolded = (s: string) => fold(s) === s && s.length > 0;

describe('lexicon', () => {
  it('abbreviations map folded tokens to folded phrases', () => {
    for (const [k, v] of Object.entries(ABBREVIATIONS)) {
      expect(isFolded(k) && !k.includes(' '), k).toBe(true);
      expect(isFolded(v), `${k} → ${v}`).toBe(true);
    }
    for (const k of NAME_ABBREVIATIONS) expect(ABBREVIATIONS[k], k).toBeDefined();
  });

  it('covers the abbreviations citizens use', () => {
    const want: Record<string, string> = {
      dk: 'dang ky',
      ko: 'khong',
      k: 'khong',
      hk: 'khong',
      gcn: 'giay chung nhan',
      cmnd: 'chung minh nhan dan',
      gpkd: 'giay phep kinh doanh',
      qsdd: 'quyen su dung dat',
      bhxh: 'bao hiem xa hoi',
      bhyt: 'bao hiem y te',
    };
    for (const [k, v] of Object.entries(want)) expect(ABBREVIATIONS[k]).toBe(v);
    expect(ABBREVIATIONS['cccd']).toMatch(/^can cuoc/);
  });

  it('word lists are folded', () => {
    for (const w of [...STOPWORDS, ...NEVER_KEEP]) expect(isFolded(w) && !w.includes(' '), w).toBe(true);
    for (const p of KEEP_PAIRS) expect(isFolded(p) && p.split(' ').length === 2, p).toBe(true);
    for (const [a, b] of PHRASE_REWRITES) expect(isFolded(a) && isFolded(b), a).toBe(true);
  });

  it('synonyms are folded, non-empty and labelled in Vietnamese', () => {
    for (const s of SYNONYMS) {
      expect(s.from.length).toBeGreaterThan(0);
      for (const f of s.from) expect(isFolded(f), f).toBe(true);
      for (const t of typeof s.to === 'string' ? [s.to] : s.to) expect(isFolded(t), t).toBe(true);
      expect(s.label.length).toBeGreaterThan(1);
    }
  });

  it('situations have folded intents, a reason and regexes that work on padded folded text', () => {
    const ids = new Set<string>();
    for (const s of SITUATIONS) {
      expect(ids.has(s.id), s.id).toBe(false);
      ids.add(s.id);
      expect(s.intents.length).toBeGreaterThan(0);
      for (const it of s.intents) {
        expect(isFolded(it.phrase), it.phrase).toBe(true);
        expect(it.weight).toBeGreaterThan(0);
        for (const c of it.codes ?? []) expect(c).toMatch(/^\d\.\d{6}$/);
      }
      expect(s.why).toMatch(/[àáảãạăâđêôơư]/i);
      expect(() => s.when.test(' x ')).not.toThrow();
    }
  });

  it.each([
    ['death', ' bo toi mat hom qua '],
    ['death', ' ong noi vua qua doi '],
    ['birth', ' vo moi sinh '],
    ['marriage', ' sap lay chong '],
    ['business', ' mo quan tap hoa '],
    ['renting', ' thue tro o ha noi '],
  ])('situation %s matches %s', (id, text) => {
    const s = SITUATIONS.find((x) => x.id === id)!;
    expect(s.when.test(text)).toBe(true);
    expect(s.unless?.test(text) ?? false).toBe(false);
  });

  it.each([' mat can cuoc ', ' co mat tai uy ban ', ' mat viec '])('"%s" is not a death', (text) => {
    const s = SITUATIONS.find((x) => x.id === 'death')!;
    expect(s.when.test(text) && !(s.unless?.test(text) ?? false)).toBe(false);
  });

  it('features have labels, questions and valid exclusive pairs', () => {
    const keys = new Set(FEATURES.map((f) => f.key));
    expect(keys.size).toBe(FEATURES.length);
    for (const f of FEATURES) {
      expect(f.label.length).toBeGreaterThan(3);
      expect(f.without.length).toBeGreaterThan(3);
      expect(f.question.endsWith('?')).toBe(true);
    }
    for (const [a, b] of EXCLUSIVE) expect(keys.has(a) && keys.has(b)).toBe(true);
    const foreign = FEATURES.find((f) => f.key === 'foreign')!;
    expect(foreign.name.test(' dang ky khai sinh co yeu to nuoc ngoai ')).toBe(true);
    expect(foreign.cue.test(' ket hon voi nguoi han quoc ')).toBe(true);
    expect(foreign.cue.test(' nguoi lao dong ')).toBe(false);
    const exchange = FEATURES.find((f) => f.key === 'exchange')!;
    expect(exchange.name.test(' cap doi the can cuoc ')).toBe(true);
    expect(exchange.name.test(' dang ky dat dai doi voi to chuc ')).toBe(false);
  });

  it('popularity prior uses national codes and modest boosts', () => {
    for (const [code, w] of Object.entries(POPULAR)) {
      expect(code).toMatch(/^\d\.\d{6}$/);
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(1);
    }
    expect(POPULAR['1.001193']).toBe(1);
  });
});
