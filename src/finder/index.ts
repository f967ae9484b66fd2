/**
 * Procedure finder: from a citizen's own words to ranked procedures, each
 * with a short Vietnamese reason, a clarifying question when the best
 * answers are siblings the question does not tell apart, and "did you mean".
 *
 * Ranking: BM25 over folded name tokens (plus lighter fields), bigram
 * phrase bonus, coverage of the question's concepts, lexicon synonyms and
 * life-situation intents, a feature penalty for sibling variants the
 * question does not ask for, and a prior for commune-level and commonly
 * requested procedures.
 */
import type { Level, Procedure } from '../catalog/procedure.js';
import { fold, normalizeQuery } from './fold.js';
import { forWhomLabel, whereLabel } from './labels.js';
import { lifeEventsFor } from './life-events.js';
import { outOfScopeTopic, type Door } from './out-of-scope.js';
import {
  ABBREVIATIONS,
  EXCLUSIVE,
  FEATURES,
  KEEP_PAIRS,
  NEVER_KEEP,
  NAME_ABBREVIATIONS,
  PHRASE_REWRITES,
  POPULAR,
  SITUATIONS,
  STOPWORDS,
  SYNONYMS,
  type Feature,
  type Situation,
} from './lexicon.js';

/** The part of a catalog record the finder reads. */
export type FinderProcedure = Pick<Procedure, 'code' | 'name' | 'field' | 'levels'> &
  Partial<Pick<Procedure, 'lifeEvents' | 'results' | 'applicants' | 'cases' | 'variants' | 'agencies'>>;

export interface SearchOptions {
  limit?: number;
  /** Codes the commune offers; null or absent = the whole catalog. */
  scope?: ReadonlySet<string> | null;
}

export interface SearchItem {
  code: string;
  name: string;
  field: string;
  levels: Level[];
  score: number;
  why: string;
  /** Level and deciding body: "Cấp xã — UBND xã". */
  where: string;
  /** Who may ask: "người dân, tổ chức, doanh nghiệp" ('' when the catalog does not say). */
  forWhom: string;
  /** Other procedures with the same title (other levels or provinces), best first. */
  variants?: { code: string; where: string; forWhom: string }[];
}

export interface Clarify {
  question: string;
  options: { code: string; label: string }[];
}

export interface SearchResult {
  items: SearchItem[];
  clarify?: Clarify;
  didYouMean?: string;
  /** True when nothing in the catalog fits the question well enough to suggest. */
  noMatch?: boolean;
  /** The question is about a known non-procedure matter: where to go instead. */
  outOfScope?: { door: Door; advice: string };
  /** Life events the question describes, each with its procedures in the order to do them. */
  lifeEvents?: { id: string; title: string; steps: { code: string; name: string; where: string; note: string }[] }[];
}

interface Doc {
  code: string;
  name: string;
  where: string;
  forWhom: string;
  /** Folded title: procedures with the same title share it. */
  titleKey: string;
  field: string;
  levels: Level[];
  /** Folded, abbreviation-expanded name tokens. */
  tokens: string[];
  /** " " + tokens.join(" ") + " " for phrase tests. */
  text: string;
  tokenSet: Set<string>;
  /** Sum of idf over the distinct name tokens, for name coverage. */
  idfTotal: number;
  /** Original name words with their folded form, for `why`; `cut` = punctuation before it. */
  words: { folded: string; shown: string; cut: boolean }[];
  features: Set<string>;
  /** Name words that are not variant features or procedure boilerplate. */
  core: Set<string>;
  /** Sorted core, identifying a family of sibling procedures. */
  coreKey: string;
  prior: number;
  /** Level or province variant marker, e.g. "(thực hiện tại cấp tỉnh)". */
  nameKey: string;
}

interface Posting {
  docs: Int32Array;
  name: Float32Array;
  aux: Float32Array;
}

export interface FinderIndex {
  readonly docs: readonly Doc[];
  readonly postings: ReadonlyMap<string, Posting>;
  readonly idf: ReadonlyMap<string, number>;
  readonly bigrams: ReadonlyMap<string, Int32Array>;
  /** Name bigrams plus lexicon phrase bigrams: context for typo correction. */
  readonly knownBigrams: ReadonlySet<string>;
  /** Bigrams of the lexicon's own phrases: the strongest context evidence. */
  readonly lexiconBigrams: ReadonlySet<string>;
  /** Vocabulary for typo correction: token → document frequency (lexicon words get 1). */
  readonly vocab: ReadonlyMap<string, number>;
  readonly vocabByLength: readonly string[][];
  /** Most frequent diacritic spelling of each folded name token. */
  readonly shown: ReadonlyMap<string, string>;
  readonly phraseCache: Map<string, Int32Array>;
  readonly codeToDoc: ReadonlyMap<string, number>;
  /** Feature → core keys of the families that have a variant with it. */
  readonly featureFamilies: ReadonlyMap<string, ReadonlySet<string>>;
  /** Scores grow with the catalog's idf range: thresholds are scaled by this (1 = the national catalog). */
  readonly scoreScale: number;
}

/** Catalog size the "no good match" thresholds were calibrated on. */
const REFERENCE_CATALOG_SIZE = 5664;

const K1 = 1.2;
const B = 0.5;
const AUX_WEIGHT = 0.3;
const MAX_QUERY_CHARS = 600;
const MAX_QUERY_TOKENS = 40;
const CLARIFY_RATIO = 0.8;
const CANDIDATES = 200;
const INTENT_CAP = 10;

const FIELD_WEIGHTS = { results: 0.5, field: 0.4, lifeEvents: 0.4, cases: 0.25, applicants: 0.1, papers: 0.05 } as const;

// ---------------------------------------------------------------- building

function cleanName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\d.\s]*\.\s*/, '')
    .replace(/^(thủ tục|THỦ TỤC|Thủ Tục|Thủ tục)\s*:?\s*/u, '');
}

function expandNameTokens(tokens: string[]): string[] {
  const out: string[] = [];
  for (const raw of tokens) {
    const t = normNumber(raw);
    out.push(t);
    if (NAME_ABBREVIATIONS.has(t)) {
      const exp = ABBREVIATIONS[t];
      if (exp) out.push(...exp.split(' '));
    }
  }
  return out;
}

const LEVEL_MARK = /\(?\s*(thuc hien )?(tai )?cap (trung uong|tinh|huyen|xa|bo)\s*\)?/g;

function featuresOf(text: string): Set<string> {
  const s = new Set<string>();
  for (const f of FEATURES) if (f.name.test(text)) s.add(f.key);
  return s;
}

const FEATURE_NAME_GLOBAL = FEATURES.map((f) => new RegExp(f.name.source, 'g'));

function coreOf(text: string): Set<string> {
  let t = text.replace(LEVEL_MARK, ' ');
  for (const re of FEATURE_NAME_GLOBAL) t = t.replace(re, ' ');
  return new Set(t.split(' ').filter((w) => w.length > 0 && !STOPWORDS.has(w) && !CORE_STOP.has(w)));
}

// Boilerplate that every kind of procedure name carries.
const CORE_STOP = new Set(['dang', 'ky', 'cap', 'lai', 'doi', 'thuc', 'hien', 'tai', 'voi', 'cho', 'cua', 'trong', 'truong', 'hop', 'giai', 'quyet', 'viec']);

function priorOf(p: FinderProcedure, text: string): number {
  let prior = 1 + 0.4 * (POPULAR[p.code] ?? 0);
  const lv = p.levels;
  if (lv.includes('commune')) prior *= 1.12;
  else if (lv.length > 0 && lv.every((l) => l === 'ministry' || l === 'other')) prior *= 0.88;
  if (/thuc hien tai cap trung uong/.test(text)) prior *= 0.85;
  // Organisation-only procedures are rarely what a citizen means.
  const who = p.applicants ?? [];
  if (who.length > 0 && !who.some((x) => /công dân|người|cán bộ|cá nhân|hộ gia đình|đảng viên/i.test(x))) prior *= 0.85;
  // Province-specific local variants: a national procedure is the better default.
  if (/ (tren dia ban|tai) (tinh|thanh pho) [a-z]/.test(text) || / giai doan 20\d\d/.test(text)) prior *= 0.8;
  return prior;
}

function lexiconWords(): string[] {
  const words = new Set<string>();
  const addText = (s: string) => {
    for (const w of s.replace(/[^a-z0-9]+/g, ' ').split(' ')) if (w.length > 1) words.add(w);
  };
  for (const [k, v] of Object.entries(ABBREVIATIONS)) {
    words.add(k);
    addText(v);
  }
  for (const w of STOPWORDS) words.add(w);
  for (const s of SYNONYMS) {
    s.from.forEach(addText);
    (typeof s.to === 'string' ? [s.to] : s.to).forEach(addText);
  }
  for (const s of SITUATIONS) {
    addText(s.when.source);
    if (s.and) addText(s.and.source);
    if (s.unless) addText(s.unless.source);
  }
  for (const f of FEATURES) addText(f.cue.source);
  return [...words];
}

/** Builds the in-memory index over catalog records. */
export function buildFinderIndex(procedures: readonly FinderProcedure[]): FinderIndex {
  const docs: Doc[] = [];
  const nameTf: Map<string, number>[] = [];
  const auxTf: Map<string, number>[] = [];
  const shownCount = new Map<string, Map<string, number>>();
  // Papers, results and words repeat across thousands of records: fold each once.
  const memo = new Map<string, string[]>();
  const foldTokens = (s: string): string[] => {
    let v = memo.get(s);
    if (v === undefined) {
      v = expandNameTokens(fold(s).split(' ').filter(Boolean));
      memo.set(s, v);
    }
    return v;
  };

  for (const p of procedures) {
    const name = cleanName(p.name);
    const words: Doc['words'] = [];
    let end = 0;
    for (const m of name.matchAll(/[\p{L}\p{N}]+/gu)) {
      const w = m[0];
      const cut = /[^\s]/u.test(name.slice(end, m.index));
      end = m.index + w.length;
      const ft = foldTokens(w);
      if (ft.length !== 1) continue;
      const f = ft[0]!;
      const shown = w === w.toUpperCase() && w.length > 1 && w.length <= 5 ? w : w.toLowerCase();
      words.push({ folded: f, shown, cut });
      let c = shownCount.get(f);
      if (!c) shownCount.set(f, (c = new Map()));
      c.set(shown, (c.get(shown) ?? 0) + 1);
    }
    const tokens = expandNameTokens(fold(name).split(' ').filter(Boolean));
    const text = ` ${tokens.join(' ')} `;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    nameTf.push(tf);

    const aux = new Map<string, number>();
    const addAux = (s: string | undefined, w: number) => {
      if (!s) return;
      for (const t of foldTokens(s)) aux.set(t, (aux.get(t) ?? 0) + w);
    };
    for (const r of p.results ?? []) addAux(r, FIELD_WEIGHTS.results);
    addAux(p.field, FIELD_WEIGHTS.field);
    for (const e of p.lifeEvents ?? []) addAux(e, FIELD_WEIGHTS.lifeEvents);
    for (const a of p.applicants ?? []) addAux(a, FIELD_WEIGHTS.applicants);
    const seenPaper = new Set<string>();
    for (const c of p.cases ?? []) {
      addAux(c.name.slice(0, 160), FIELD_WEIGHTS.cases);
      for (const paper of c.papers ?? []) {
        // The paper's name comes first; the long tail is guidance text.
        for (const t of foldTokens(paper.name.slice(0, 80))) {
          if (!seenPaper.has(t)) {
            seenPaper.add(t);
            aux.set(t, (aux.get(t) ?? 0) + FIELD_WEIGHTS.papers);
          }
        }
      }
    }
    for (const [t, v] of aux) aux.set(t, Math.min(v, 2));
    auxTf.push(aux);

    const nameKey = text.replace(LEVEL_MARK, ' ').replace(/ +/g, ' ');
    docs.push({
      code: p.code,
      // Shown as published (whitespace tidied); the "Thủ tục" prefix is dropped only for matching.
      name: p.name.normalize('NFC').replace(/\s+/g, ' ').trim(),
      where: whereLabel(p.levels ?? [], p.agencies ?? []),
      forWhom: forWhomLabel(p.applicants ?? []),
      titleKey: fold(name),
      field: p.field ?? '',
      levels: [...(p.levels ?? [])],
      tokens,
      text,
      tokenSet: new Set(tokens),
      idfTotal: 0,
      words,
      features: featuresOf(text),
      core: coreOf(text),
      coreKey: '',
      prior: priorOf(p, text),
      nameKey,
    });
  }

  const featureFamilies = new Map<string, Set<string>>();
  for (const d of docs) {
    d.coreKey = [...d.core].sort().join(' ');
    for (const f of d.features) {
      let fam = featureFamilies.get(f);
      if (!fam) featureFamilies.set(f, (fam = new Set()));
      fam.add(d.coreKey);
    }
  }

  const n = docs.length;
  const df = new Map<string, number>();
  const auxDf = new Map<string, number>();
  let totalLen = 0;
  for (let i = 0; i < n; i++) {
    totalLen += docs[i]!.tokens.length;
    for (const t of nameTf[i]!.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    for (const t of auxTf[i]!.keys()) auxDf.set(t, (auxDf.get(t) ?? 0) + 1);
  }
  const avgLen = n > 0 ? totalLen / n : 1;
  const idf = new Map<string, number>();
  const idfOf = (d: number) => Math.log(1 + (n - d + 0.5) / (d + 0.5));
  for (const [t, d] of df) idf.set(t, idfOf(d));
  for (const [t, d] of auxDf) if (!idf.has(t)) idf.set(t, idfOf(d) * 0.8);
  for (const d of docs) for (const t of d.tokenSet) d.idfTotal += idf.get(t) ?? 0;

  // Postings with precomputed impacts (idf × saturated tf).
  const lists = new Map<string, { docs: number[]; name: number[]; aux: number[] }>();
  for (let i = 0; i < n; i++) {
    const len = docs[i]!.tokens.length;
    const norm = K1 * (1 - B + (B * len) / avgLen);
    const terms = new Set([...nameTf[i]!.keys(), ...auxTf[i]!.keys()]);
    for (const t of terms) {
      const w = idf.get(t) ?? 0;
      const tf = nameTf[i]!.get(t) ?? 0;
      const at = auxTf[i]!.get(t) ?? 0;
      let l = lists.get(t);
      if (!l) lists.set(t, (l = { docs: [], name: [], aux: [] }));
      l.docs.push(i);
      l.name.push(tf > 0 ? (w * tf * (K1 + 1)) / (tf + norm) : 0);
      l.aux.push(at > 0 ? (w * at * (K1 + 1)) / (at + K1) : 0);
    }
  }
  const postings = new Map<string, Posting>();
  for (const [t, l] of lists) {
    postings.set(t, { docs: Int32Array.from(l.docs), name: Float32Array.from(l.name), aux: Float32Array.from(l.aux) });
  }

  const bigramLists = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const toks = docs[i]!.tokens;
    const seen = new Set<string>();
    for (let j = 0; j + 1 < toks.length; j++) {
      const bg = `${toks[j]} ${toks[j + 1]}`;
      if (seen.has(bg)) continue;
      seen.add(bg);
      let l = bigramLists.get(bg);
      if (!l) bigramLists.set(bg, (l = []));
      l.push(i);
    }
  }
  const bigrams = new Map<string, Int32Array>();
  for (const [bg, l] of bigramLists) bigrams.set(bg, Int32Array.from(l));

  const vocab = new Map<string, number>();
  for (const [t, d] of df) vocab.set(t, d);
  for (const [t, d] of auxDf) if (!vocab.has(t) && d >= 2) vocab.set(t, 1);
  for (const w of lexiconWords()) if (!vocab.has(w)) vocab.set(w, 1);
  const vocabByLength: string[][] = [];
  for (const t of vocab.keys()) {
    if (/^[0-9]+$/.test(t)) continue;
    (vocabByLength[t.length] ??= []).push(t);
  }
  for (let i = 0; i < vocabByLength.length; i++) vocabByLength[i] ??= [];

  const shown = new Map<string, string>();
  for (const [f, c] of shownCount) {
    let best = '';
    let bestN = -1;
    for (const [s, k] of c) if (k > bestN || (k === bestN && s < best)) [best, bestN] = [s, k];
    shown.set(f, best);
  }

  const lexiconBigrams = new Set<string>();
  const addPhrase = (p: string) => {
    const t = p.split(' ');
    for (let i = 0; i + 1 < t.length; i++) lexiconBigrams.add(`${t[i]} ${t[i + 1]}`);
  };
  for (const syn of SYNONYMS) {
    syn.from.forEach(addPhrase);
    (typeof syn.to === 'string' ? [syn.to] : syn.to).forEach(addPhrase);
  }
  for (const v of Object.values(ABBREVIATIONS)) addPhrase(v);
  for (const k of KEEP_PAIRS) addPhrase(k);
  const knownBigrams = new Set<string>([...bigrams.keys(), ...lexiconBigrams]);

  const codeToDoc = new Map<string, number>();
  docs.forEach((d, i) => {
    if (!codeToDoc.has(d.code)) codeToDoc.set(d.code, i);
  });

  const scoreScale = n > 0 ? idfOf(1) / Math.log(1 + (REFERENCE_CATALOG_SIZE - 0.5) / 1.5) : 1;
  return { docs, postings, idf, bigrams, knownBigrams, lexiconBigrams, vocab, vocabByLength, shown, phraseCache: new Map(), codeToDoc, featureFamilies, scoreScale };
}

// ---------------------------------------------------------------- query analysis

/** Optimal string alignment distance with an early exit above `max`. */
function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = Array.from({ length: lb + 1 }, (_, j) => j);
  let cur = new Array<number>(lb + 1).fill(0);
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb]!;
}

const FEATURE_PENALTY_UNASKED = 0.72;
const FEATURE_PENALTY_MISSING = 0.6;
const FEATURE_PENALTY_NEGATED = 0.4;

function contextFits(index: FinderIndex, cand: string, prev: string | undefined, next: string | undefined): boolean {
  return contextScore(index, cand, prev, next) > 0;
}

/** 2: forms a lexicon phrase with a neighbour; 1: an official-name bigram; 0: neither. */
function contextScore(index: FinderIndex, cand: string, prev: string | undefined, next: string | undefined): number {
  const bgs = [prev !== undefined ? `${prev} ${cand}` : '', next !== undefined ? `${cand} ${next}` : ''];
  if (bgs.some((b) => b && index.lexiconBigrams.has(b))) return 2;
  if (bgs.some((b) => b && index.knownBigrams.has(b))) return 1;
  return 0;
}

// Onsets that regional pronunciation merges: "tạm chú" for "tạm trú", "xổ" for "sổ".
const ONSET_SWAPS: readonly (readonly [string, string])[] = [
  ['ch', 'tr'], ['tr', 'ch'], ['s', 'x'], ['x', 's'], ['gi', 'd'], ['d', 'gi'], ['r', 'd'], ['d', 'r'], ['r', 'gi'], ['gi', 'r'], ['l', 'n'], ['n', 'l'],
];

// Initial consonants Vietnamese spellers confuse (regional pronunciation).
const CONFUSABLE_ONSET = new Set(['s x', 'x s', 'c t', 't c', 'd g', 'g d', 'd r', 'r d', 'g r', 'r g', 'l n', 'n l', 'v d', 'd v', 'c k', 'k c', 'q c', 'c q']);

/**
 * Closest vocabulary word within 1 edit (2 for long words). Ties go to a
 * word that forms a known bigram with a neighbour, then to the commoner one.
 */
function correctToken(index: FinderIndex, t: string, prev?: string, next?: string, minDf = 0): string | null {
  if (t.length < 3 || /[0-9]/.test(t)) return null;
  const max = t.length >= 7 ? 2 : 1;
  let best: string | null = null;
  let bestKey = [max + 1, 0, -1];
  // A swapped onset counts as one edit, whatever its length.
  for (const [from, to] of ONSET_SWAPS) {
    if (!t.startsWith(from) || (from === 'd' && t.startsWith('dd'))) continue;
    const v = to + t.slice(from.length);
    if (v === t || !index.vocab.has(v)) continue;
    const f = index.vocab.get(v) ?? 0;
    if (f < minDf) continue;
    const key = [1, -contextScore(index, v, prev, next), -f];
    if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && (key[1]! < bestKey[1]! || (key[1] === bestKey[1] && key[2]! < bestKey[2]!)))) {
      best = v;
      bestKey = key;
    }
  }
  for (let len = Math.max(1, t.length - max); len <= t.length + max; len++) {
    for (const v of index.vocabByLength[len] ?? []) {
      if (v === t) continue;
      if (max === 1 && t.length < 5 && v[0] !== t[0] && !CONFUSABLE_ONSET.has(`${t[0]} ${v[0]}`)) continue;
      const d = editDistance(t, v, max);
      if (d > max) continue;
      const f = index.vocab.get(v) ?? 0;
      if (f < minDf) continue;
      const key = [d, -contextScore(index, v, prev, next), -f];
      if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && (key[1]! < bestKey[1]! || (key[1] === bestKey[1] && key[2]! < bestKey[2]!)))) {
        best = v;
        bestKey = key;
      }
    }
  }
  return best;
}

function splitGlued(index: FinderIndex, t: string): [string, string] | null {
  if (t.length < 5) return null;
  for (let i = 2; i <= t.length - 2; i++) {
    const a = t.slice(0, i);
    const b = t.slice(i);
    if (index.bigrams.has(`${a} ${b}`)) return [a, b];
  }
  return null;
}

const normNumber = (t: string) => (/^0+[0-9]{1,2}$/.test(t) ? t.replace(/^0+(?=[0-9])/, '') : t);

interface Term {
  weight: number;
}

/** One concept of the question; satisfied by the best-covered alternative wording. */
interface Slot {
  weight: number;
  alts: { toks: string[]; credit: number }[];
}

interface Analysis {
  text: string;
  terms: Map<string, Term>;
  slots: Slot[];
  groups: string[][];
  situations: Situation[];
  intents: { phrase: string; codes: readonly string[]; weight: number; situation: Situation }[];
  cued: Set<string>;
  strong: Set<string>;
  /** Mutually exclusive variants both named ("cấp lại hay cấp đổi"): ask. */
  unsure: Set<string>;
  /** Alternatives of ambiguous phrases ("làm lại giấy khai sinh"). */
  ambiguous: string[][];
  negated: Set<string>;
  notes: string[];
  corrections: Map<number, string>;
  /** Clause texts when the question asks for several things ("… và …"). */
  clauses: { tokens: string[]; group: number[] }[];
}

interface Expanded {
  tokens: string[];
  /** Tokens from one multi-word expansion share a group id (≥ 0): one concept, one slot. */
  group: number[];
}

function replaceSeq(e: Expanded, from: string[], to: string[], nextGroup: () => number): Expanded {
  const out: Expanded = { tokens: [], group: [] };
  for (let i = 0; i < e.tokens.length; ) {
    if (from.every((w, k) => e.tokens[i + k] === w)) {
      const g = to.length > 1 ? nextGroup() : -1;
      for (const t of to) {
        out.tokens.push(t);
        out.group.push(g);
      }
      i += from.length;
    } else {
      out.tokens.push(e.tokens[i]!);
      out.group.push(e.group[i]!);
      i++;
    }
  }
  return out;
}

function expandQueryTokens(tokens: string[]): Expanded {
  let g = 0;
  const nextGroup = () => g++;
  let out: Expanded = { tokens: [], group: [] };
  for (const t of tokens) {
    const exp = ABBREVIATIONS[t];
    const toks = exp !== undefined ? exp.split(' ') : [normNumber(t)];
    const id = toks.length > 1 ? nextGroup() : -1;
    for (const x of toks) {
      out.tokens.push(x);
      out.group.push(id);
    }
  }
  for (const [from, to] of PHRASE_REWRITES) out = replaceSeq(out, from.split(' '), to.split(' '), nextGroup);
  return out;
}

const firstTokenSynonyms = (() => {
  const m = new Map<string, { from: string[]; to: string[]; label: string }[]>();
  for (const s of SYNONYMS) {
    const to = typeof s.to === 'string' ? [s.to] : [...s.to];
    for (const f of s.from) {
      // Match on the same expanded form the query gets ("mat cccd" → "mat can cuoc").
      const toks = expandQueryTokens(f.split(' ')).tokens;
      const head = toks[0]!;
      let l = m.get(head);
      if (!l) m.set(head, (l = []));
      if (!l.some((x) => x.from.join(' ') === toks.join(' '))) l.push({ from: toks, to, label: s.label });
    }
  }
  for (const l of m.values()) l.sort((a, b) => b.from.length - a.from.length);
  return m;
})();

/** Token ranges of the separate requests in "… và …", "… rồi …", "… sau đó …", "… đồng thời …". */
function splitClauses(index: FinderIndex, tokens: string[]): [number, number][] {
  const clauses: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // "ly hôn rồi" (already divorced) is a past event, not a second request.
    const width =
      t === 'va' || t === 'kem' || (t === 'roi' && i - start >= 3)
        ? 1
        : (t === 'sau' && tokens[i + 1] === 'do') || (t === 'dong' && tokens[i + 1] === 'thoi') || (t === 'cung' && tokens[i + 1] === 'luc')
          ? 2
          : 0;
    if (width === 0) continue;
    clauses.push([start, i]);
    start = i + width;
    i += width - 1;
  }
  clauses.push([start, tokens.length]);
  if (clauses.length < 2) return [];
  const content = ([a, b]: [number, number]) => tokens.slice(a, b).filter((t) => !STOPWORDS.has(t) && index.idf.has(t)).length;
  const nonEmpty = clauses.filter(([a, b]) => b > a);
  const good = nonEmpty.filter((c) => content(c) >= 2);
  return good.length >= 2 && good.length === nonEmpty.length ? good : [];
}

function analyze(
  index: FinderIndex,
  q: string,
  pre?: { tokens: string[]; group: number[]; corrections: Map<number, string>; notes: string[] },
  correct = true,
): Analysis {
  const corrections = pre?.corrections ?? new Map<number, string>();
  const notes: string[] = pre ? [...pre.notes] : [];
  let tokens: string[];
  let group: number[];
  if (pre) {
    tokens = pre.tokens;
    group = pre.group;
  } else {
    const folded = fold(q.slice(0, MAX_QUERY_CHARS)).split(' ').filter(Boolean).slice(0, MAX_QUERY_TOKENS);
    const repaired = normalizeQuery(folded.join(' ')).split(' ').filter(Boolean);
    // Repairs change the token count only when a counted noun is split ("lop1").
    if (repaired.length === folded.length) {
      repaired.forEach((t, i) => {
        if (t !== folded[i]) corrections.set(i, t);
      });
    }
    // Glued words and typos, with the neighbours as context.
    const fixed: string[] = [];
    repaired.forEach((t, i) => {
      const prev = fixed[fixed.length - 1];
      const next = repaired[i + 1];
      if (!correct || ABBREVIATIONS[t] !== undefined || /^[0-9]+$/.test(t) || t.length < 3) {
        fixed.push(t);
        return;
      }
      if (index.vocab.has(t)) {
        // A real word that fits no neighbour, next to a much commoner word that does ("bản xao").
        if (!STOPWORDS.has(t) && (prev !== undefined || next !== undefined) && !contextFits(index, t, prev, next)) {
          const c = correctToken(index, t, prev, next);
          if (c && contextScore(index, c, prev, next) === 2) {
            fixed.push(c);
            corrections.set(i, c);
            notes.push(`sửa “${t}” thành “${index.shown.get(c) ?? c}”`);
            return;
          }
        }
        fixed.push(t);
        return;
      }
      const split = splitGlued(index, t);
      if (split) {
        fixed.push(...split);
        corrections.set(i, split.join(' '));
        return;
      }
      const c = correctToken(index, t, prev, next);
      if (c) {
        fixed.push(c);
        corrections.set(i, c);
        notes.push(`sửa “${t}” thành “${index.shown.get(c) ?? c}”`);
        return;
      }
      fixed.push(t);
    });
    for (const t of fixed) {
      const exp = ABBREVIATIONS[t];
      if (exp !== undefined && (exp.includes(' ') || t.length > 2)) notes.push(`hiểu “${t}” là “${exp}”`);
    }
    const e = expandQueryTokens(fixed);
    tokens = e.tokens;
    group = e.group;
  }

  const text = ` ${tokens.join(' ')} `;
  const tokenAt = (charIndex: number) => text.slice(0, charIndex).split(' ').length - 2;
  const spanOf = (m: RegExpExecArray): [number, number] => [Math.max(0, tokenAt(m.index + 1)), tokenAt(m.index + m[0].trimEnd().length)];

  // Situations. Words that only describe the situation ("bố tôi mất hôm qua") are not searched for.
  const situations: Situation[] = [];
  const intents: Analysis['intents'] = [];
  const consumed = new Set<number>();
  for (const s of SITUATIONS) {
    const m = s.when.exec(text);
    if (!m) continue;
    if (s.and && !s.and.test(text)) continue;
    if (s.unless && s.unless.test(text)) continue;
    situations.push(s);
    const [from, to] = spanOf(m);
    for (let k = from; k <= to; k++) consumed.add(k);
    for (const it of s.intents) intents.push({ phrase: it.phrase, codes: it.codes ?? [], weight: it.weight, situation: s });
  }

  // Features asked for, and features excluded ("không có yếu tố nước ngoài").
  const cued = new Set<string>();
  const strong = new Set<string>();
  const negated = new Set<string>();
  const dropped = new Set<number>();
  const cueWords = new Set<number>();
  for (const f of FEATURES) {
    const m = f.cue.exec(text);
    if (!m) continue;
    const before = text.slice(Math.max(0, m.index - 24), m.index + 1);
    const neg = / (khong|chua|ko|k|khong phai|khong co|chua co)( co| phai| can)?( yeu to| nguoi| la)? $/.exec(before);
    const [from, to] = spanOf(m);
    if (neg) {
      negated.add(f.key);
      const negFrom = tokenAt(m.index + 1 - (before.length - 1 - neg.index));
      for (let k = Math.max(0, negFrom); k <= to; k++) dropped.add(k);
    } else {
      cued.add(f.key);
      if (f.strong?.test(text)) strong.add(f.key);
      // Cue words describe the variant; the feature factor rewards it, so they count less as plain words.
      for (let k = from; k <= to; k++) cueWords.add(k);
    }
  }

  const unsure = new Set<string>();
  for (const [x, y] of EXCLUSIVE) {
    if (strong.has(x) && strong.has(y)) {
      strong.delete(x);
      strong.delete(y);
      unsure.add(x);
      unsure.add(y);
    }
  }
  const ambiguous: string[][] = [];

  // Synonym spans (longest match) and concept slots.
  const terms = new Map<string, Term>();
  const slots: Slot[] = [];
  const groups: string[][] = [];
  const addTerm = (t: string, weight: number) => {
    const cur = terms.get(t);
    if (!cur || cur.weight < weight) terms.set(t, { weight });
  };
  let segment: string[] = [];
  const flush = () => {
    if (segment.length > 1) groups.push(segment);
    segment = [];
  };
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    if (dropped.has(i)) {
      flush();
      i++;
      continue;
    }
    const cands = firstTokenSynonyms.get(t);
    let matched: { from: string[]; to: string[]; label: string } | undefined;
    if (cands) {
      for (const c of cands) {
        if (c.from.every((w, k) => tokens[i + k] === w && !dropped.has(i + k))) {
          matched = c;
          break;
        }
      }
    }
    if (matched) {
      flush();
      const alts = matched.to.map((x) => x.split(' '));
      if (alts.length > 1) ambiguous.push(...alts);
      // "làm sổ đỏ" means the first-time certificate: the variant is asked for, through the synonym.
      else for (const f of FEATURES) if (f.name.test(` ${matched.to[0]} `)) cued.add(f.key);
      // Alternatives of an ambiguous phrase weigh the same in total, so neither wins by length.
      const sums = alts.map((a) => idfSum(index, a) || 1);
      const minSum = Math.min(...sums);
      const own = matched.from.filter((w) => !STOPWORDS.has(w) && index.idf.has(w));
      const slot: Slot = { weight: 1.5, alts: alts.map((a) => ({ toks: a, credit: 1 })) };
      if (own.length > 0) slot.alts.push({ toks: own, credit: alts.length > 1 ? 0.4 : 0.8 });
      slots.push(slot);
      alts.forEach((alt, k) => {
        const w = alts.length > 1 ? minSum / sums[k]! : 1;
        for (const x of alt) addTerm(x, w);
        groups.push(alt);
      });
      for (const w of own) addTerm(w, 0.3);
      if (!matched.to.includes(matched.from.join(' '))) notes.push(`hiểu “${matched.from.join(' ')}” là ${matched.label}`);
      i += matched.from.length;
      continue;
    }
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const stop = STOPWORDS.has(t);
    // A stop word stays when it is half of a content word ("nhà ở") or of an official bigram with a content neighbour.
    const kept =
      stop &&
      group[i]! < 0 &&
      ((prev !== undefined && KEEP_PAIRS.has(`${prev} ${t}`)) ||
        (next !== undefined && KEEP_PAIRS.has(`${t} ${next}`)) ||
        (!NEVER_KEEP.has(t) &&
          ((prev !== undefined && !STOPWORDS.has(prev) && index.bigrams.has(`${prev} ${t}`)) ||
            (next !== undefined && !STOPWORDS.has(next) && index.bigrams.has(`${t} ${next}`)))));
    if (group[i]! >= 0) {
      // A multi-word expansion ("bhxh" → "bảo hiểm xã hội") is one concept: one slot.
      const g = group[i]!;
      let j = i;
      while (j < tokens.length && group[j] === g) j++;
      const toks = tokens.slice(i, j).filter((x) => index.idf.has(x));
      if (toks.length > 0) {
        const light = consumed.has(i) || cueWords.has(i);
        slots.push({ weight: light ? 0.15 : 1, alts: [{ toks, credit: 1 }] });
        for (const x of toks) addTerm(x, light ? 0.5 : 1);
        segment.push(...toks);
      }
      i = j;
      continue;
    }
    if ((stop && !kept) || (t.length === 1 && !/[0-9]/.test(t) && !kept)) {
      flush();
      i++;
      continue;
    }
    if (!index.idf.has(t)) {
      // Unknown to the catalog: keep a light slot so coverage stays honest, but it cannot match.
      flush();
      if (!stop && !consumed.has(i) && !cueWords.has(i)) slots.push({ weight: 0.3, alts: [{ toks: [t], credit: 1 }] });
      i++;
      continue;
    }
    const light = consumed.has(i) || cueWords.has(i);
    const w = consumed.has(i) ? 0.15 : cueWords.has(i) ? 0.5 : kept ? 0.5 : 1;
    slots.push({ weight: light ? 0.15 : kept ? 0.4 : 1, alts: [{ toks: [t], credit: 1 }] });
    addTerm(t, w);
    segment.push(t);
    i++;
  }
  flush();

  // A question that already names what it wants ("trợ cấp xã hội … khuyết tật")
  // needs the situation less than one that only tells a story ("bố tôi mất").
  const explicit = slots.filter((x) => x.weight >= 1).length;
  if (explicit >= 3) for (const it of intents) it.weight *= 0.5;
  for (const it of intents) {
    for (const w of it.phrase.split(' ')) addTerm(w, 0.5 * Math.min(1, it.weight));
  }

  const clauses = pre ? [] : splitClauses(index, tokens).map(([x, y]) => ({ tokens: tokens.slice(x, y), group: group.slice(x, y) }));
  return { text, terms, slots, groups, situations, intents, cued, strong, unsure, ambiguous, negated, notes, corrections, clauses };
}

// ---------------------------------------------------------------- scoring

function docsWithPhrase(index: FinderIndex, phrase: string): Int32Array {
  const cached = index.phraseCache.get(phrase);
  if (cached) return cached;
  const toks = phrase.split(' ');
  const needle = ` ${phrase} `;
  let base: Int32Array | undefined;
  if (toks.length >= 2) base = index.bigrams.get(`${toks[0]} ${toks[1]}`);
  else base = index.postings.get(toks[0]!)?.docs;
  const out: number[] = [];
  if (base) for (const d of base) if (index.docs[d]!.text.includes(needle)) out.push(d);
  const arr = Int32Array.from(out);
  if (index.phraseCache.size < 5000) index.phraseCache.set(phrase, arr);
  return arr;
}

const idfSum = (index: FinderIndex, toks: string[]) => toks.reduce((s, t) => s + (index.idf.get(t) ?? 0), 0);

interface Scored {
  doc: number;
  score: number;
  matched: Set<string>;
  /** Share of the question's concepts this procedure's words cover (0–1). */
  coverage: number;
  intent?: Situation;
}

function rank(index: FinderIndex, a: Analysis, scope: ReadonlySet<string> | null): Scored[] {
  const n = index.docs.length;
  const lex = new Float64Array(n);
  const touched: number[] = [];
  const touch = (d: number) => {
    if (lex[d] === 0) touched.push(d);
  };

  for (const [t, term] of a.terms) {
    const p = index.postings.get(t);
    if (!p) continue;
    for (let k = 0; k < p.docs.length; k++) {
      const d = p.docs[k]!;
      const v = term.weight * (p.name[k]! + AUX_WEIGHT * p.aux[k]!);
      if (v <= 0) continue;
      touch(d);
      lex[d]! += v;
    }
  }
  // Phrase bonus: consecutive query words that are consecutive in the name.
  for (const g of a.groups) {
    for (let j = 0; j + 1 < g.length; j++) {
      const bg = index.bigrams.get(`${g[j]} ${g[j + 1]}`);
      if (!bg) continue;
      const bonus = 0.35 * ((index.idf.get(g[j]!) ?? 0) + (index.idf.get(g[j + 1]!) ?? 0));
      for (const d of bg) {
        touch(d);
        lex[d]! += bonus;
      }
    }
  }
  // Intent bonus.
  const intentBonus = new Float64Array(n);
  const intentOf = new Map<number, Situation>();
  for (const it of a.intents) {
    const toks = it.phrase.split(' ');
    // Capped so a long official phrase does not outweigh a short one.
    const base = Math.min(idfSum(index, toks), INTENT_CAP) * it.weight;
    for (const d of docsWithPhrase(index, it.phrase)) {
      touch(d);
      if (lex[d] === 0) lex[d] = 1e-9;
      if (base > intentBonus[d]!) {
        intentBonus[d] = base;
        intentOf.set(d, it.situation);
      }
    }
    // A variant named outright ("lấy vợ người Trung Quốc") overrides the situation's plain default.
    for (const code of a.strong.size > 0 ? [] : it.codes) {
      const d = index.codeToDoc.get(code);
      if (d === undefined) continue;
      touch(d);
      if (lex[d] === 0) lex[d] = 1e-9;
      intentBonus[d]! += 0.3 * base;
      if (!intentOf.has(d)) intentOf.set(d, it.situation);
    }
  }

  // Candidate pool: best raw scores, then the full rerank. Dropping the long
  // tail of weak matches before sorting keeps common words ("đăng ký") cheap.
  let max = 0;
  for (const d of touched) {
    const v = lex[d]! + intentBonus[d]!;
    if (v > max) max = v;
  }
  const floor = 0.12 * max;
  let cands = touched.filter((d) => lex[d]! + intentBonus[d]! >= floor && (!scope || scope.has(index.docs[d]!.code)));
  if (cands.length > CANDIDATES) {
    cands.sort((x, y) => lex[y]! + intentBonus[y]! - (lex[x]! + intentBonus[x]!));
    cands = cands.slice(0, CANDIDATES);
  }

  const slotTotal = a.slots.reduce((s, x) => s + x.weight, 0);
  const out: Scored[] = [];
  for (const d of cands) {
    const doc = index.docs[d]!;
    const matched = new Set<string>();
    for (const t of a.terms.keys()) if (doc.tokenSet.has(t)) matched.add(t);
    let covered = 0;
    for (const s of a.slots) {
      let best = 0;
      for (const alt of s.alts) {
        let tot = 0;
        let hit = 0;
        for (const t of alt.toks) {
          const w = index.idf.get(t) ?? 0;
          tot += w;
          if (matched.has(t)) hit += w;
        }
        if (tot > 0 && (alt.credit * hit) / tot > best) best = (alt.credit * hit) / tot;
      }
      covered += s.weight * best;
    }
    const coverage = slotTotal > 0 ? covered / slotTotal : 0;
    // How much of the name the question accounts for: "Đăng ký khai sinh" beats "Liên thông … khai sinh …".
    let nameHit = 0;
    for (const t of matched) nameHit += index.idf.get(t) ?? 0;
    const nameCov = doc.idfTotal > 0 ? Math.min(1, nameHit / doc.idfTotal) : 0;
    let score = (lex[d]! * (0.3 + 0.7 * coverage * coverage) + intentBonus[d]!) * (0.75 + 0.25 * nameCov);
    for (const f of doc.features) {
      if (a.negated.has(f)) score *= FEATURE_PENALTY_NEGATED;
      else if (!a.cued.has(f)) score *= FEATURE_PENALTY_UNASKED;
    }
    // Asked outright for a variant ("đăng ký lại", "có yếu tố nước ngoài"): the plain sibling is unlikely.
    for (const f of a.strong) if (!doc.features.has(f) && docHasSiblingWith(index, d, f)) score *= FEATURE_PENALTY_MISSING;
    score *= doc.prior;
    if (score <= 1e-6) continue;
    const intent = intentOf.get(d);
    out.push(intent ? { doc: d, score, matched, coverage, intent } : { doc: d, score, matched, coverage });
  }
  out.sort((x, y) => y.score - x.score || (index.docs[x.doc]!.code < index.docs[y.doc]!.code ? -1 : 1));
  return out;
}

/**
 * True when some procedure shares this one's core and carries the feature:
 * only then is "missing the feature" evidence against it.
 */
function docHasSiblingWith(index: FinderIndex, d: number, feature: string): boolean {
  return index.featureFamilies.get(feature)?.has(index.docs[d]!.coreKey) ?? false;
}

// ---------------------------------------------------------------- explanation

/**
 * The procedure's own words that the question matched, as the longest runs
 * of consecutive words of its name, in the name's order: a run is a real
 * phrase of the name ("đăng ký thường trú"), never words re-ordered from
 * several places ("trú đăng ký thường").
 */
function matchedPhrases(doc: Doc, matched: Set<string>): string[] {
  const runs: { start: number; words: string[]; folded: string[] }[] = [];
  let cur: (typeof runs)[number] | null = null;
  doc.words.forEach((w, i) => {
    if (cur && w.cut) {
      runs.push(cur);
      cur = null;
    }
    if (matched.has(w.folded)) {
      cur ??= { start: i, words: [], folded: [] };
      cur.words.push(w.shown);
      cur.folded.push(w.folded);
    } else if (cur) {
      runs.push(cur);
      cur = null;
    }
  });
  if (cur) runs.push(cur);
  // Longest runs first; a run whose words another chosen run already shows adds nothing.
  const chosen: typeof runs = [];
  const shown = new Set<string>();
  for (const r of [...runs].sort((x, y) => y.words.length - x.words.length || x.start - y.start)) {
    if (r.folded.every((f) => shown.has(f))) continue;
    chosen.push(r);
    r.folded.forEach((f) => shown.add(f));
    if (chosen.length >= 2) break;
  }
  return chosen.sort((x, y) => x.start - y.start).map((r) => r.words.join(' '));
}

function whyOf(index: FinderIndex, a: Analysis, s: Scored): string {
  const doc = index.docs[s.doc]!;
  const parts: string[] = [];
  if (s.intent) parts.push(s.intent.why);
  else {
    const phrases = matchedPhrases(doc, s.matched);
    if (phrases.length > 0) parts.push(`Tên thủ tục có ${phrases.map((p) => `“${p}”`).join(' và ')}`);
    else parts.push('Liên quan đến nội dung câu hỏi (kết quả, lĩnh vực hoặc giấy tờ của thủ tục)');
    if (a.notes.length > 0) parts.push(a.notes.slice(0, 2).join(', '));
  }
  if (doc.levels.includes('commune')) parts.push('làm tại cấp xã');
  return parts.join('; ');
}

// ---------------------------------------------------------------- clarify

function siblings(x: Doc, y: Doc): boolean {
  if (x.nameKey === y.nameKey) return false;
  let inter = 0;
  for (const t of x.core) if (y.core.has(t)) inter++;
  const union = x.core.size + y.core.size - inter;
  const jaccard = union > 0 ? inter / union : 0;
  const overlap = Math.min(x.core.size, y.core.size) > 0 ? inter / Math.min(x.core.size, y.core.size) : 0;
  const differ = [...x.features].some((f) => !y.features.has(f)) || [...y.features].some((f) => !x.features.has(f));
  if (!differ) return false;
  return jaccard >= 0.5 || (overlap >= 0.99 && inter >= 2);
}

function bestFor(index: FinderIndex, ranked: Scored[], alt: string[]): Scored | undefined {
  const tot = idfSum(index, alt);
  let best: Scored | undefined;
  let bestCov = 0.79;
  for (const r of ranked.slice(0, 50)) {
    const d = index.docs[r.doc]!;
    const cov = alt.reduce((s, t) => s + (d.tokenSet.has(t) ? (index.idf.get(t) ?? 0) : 0), 0) / (tot || 1);
    if (cov > bestCov + 1e-9) {
      best = r;
      bestCov = cov;
    }
  }
  return best;
}

function clarifyOf(index: FinderIndex, a: Analysis, ranked: Scored[]): Clarify | undefined {
  const top = ranked[0];
  if (!top) return undefined;
  const topDoc = index.docs[top.doc]!;
  if (a.ambiguous.length > 0) {
    // The lexicon knows this phrase has several readings: one option per reading.
    const picks: Scored[] = [];
    for (const alt of a.ambiguous) {
      const r = bestFor(index, ranked, alt);
      if (r && !picks.some((p) => index.docs[p.doc]!.nameKey === index.docs[r.doc]!.nameKey)) picks.push(r);
    }
    if (picks.length >= 2) return optionsOf(index, a, picks, true);
  }
  const cluster: Scored[] = [top];
  const keys = new Set([topDoc.nameKey]);
  for (const r of ranked.slice(1, 8)) {
    if (r.score < CLARIFY_RATIO * top.score) break;
    const d = index.docs[r.doc]!;
    if (keys.has(d.nameKey)) continue;
    if (!cluster.every((c) => siblings(index.docs[c.doc]!, d))) continue;
    cluster.push(r);
    keys.add(d.nameKey);
    if (cluster.length >= 4) break;
  }
  if (cluster.length < 2) return undefined;
  return optionsOf(index, a, cluster, false);
}

function optionsOf(index: FinderIndex, a: Analysis, cluster: Scored[], forced: boolean): Clarify | undefined {
  // The features that separate the options and that the question left open.
  const docs = cluster.map((c) => index.docs[c.doc]!);
  const diff: Feature[] = FEATURES.filter((f) => {
    const have = docs.filter((d) => d.features.has(f.key)).length;
    return have > 0 && have < docs.length;
  });
  // Ask about what the question left open; a feature named outright is settled.
  const open = diff.filter((f) => (!a.strong.has(f.key) && !a.negated.has(f.key)) || a.unsure.has(f.key));
  if (!forced && diff.length > 0 && open.length === 0) return undefined;
  const sep = open[0];
  const question = sep?.question ?? 'Trường hợp của bạn là trường hợp nào dưới đây?';
  const options = cluster.map((c, i) => {
    const d = docs[i]!;
    // Name what this option is; an option with none of the variants is the plain case.
    const pool = open.length > 0 ? open : diff;
    const has = pool.filter((f) => d.features.has(f.key));
    const feat = (has.length > 0 ? has.map((f) => f.label) : pool.slice(0, 1).map((f) => f.without)).join('; ');
    return { code: d.code, label: feat ? `${d.name} — ${feat}` : d.name };
  });
  return { question, options };
}

// ---------------------------------------------------------------- did you mean

function didYouMeanOf(index: FinderIndex, q: string, a: Analysis): string | undefined {
  if (a.corrections.size === 0) return undefined;
  // Keep the citizen's own words; replace only the corrected ones, with
  // diacritics if the citizen typed with diacritics.
  const words = q.slice(0, MAX_QUERY_CHARS).normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const accented = words.some((w) => fold(w) !== w.toLowerCase());
  const out: string[] = [];
  let k = 0;
  for (const w of words) {
    const f = fold(w);
    if (f === '') continue;
    const parts = f.split(' ');
    const fixed = parts.map((_, j) => a.corrections.get(k + j));
    if (fixed.some((x) => x !== undefined)) {
      out.push(
        parts
          .map((p, j) => {
            const c = fixed[j];
            if (c === undefined) return p;
            return c
              .split(' ')
              .map((t) => (accented ? (index.shown.get(t) ?? t) : t))
              .join(' ');
          })
          .join(' '),
      );
    } else out.push(w);
    k += parts.length;
    if (k >= MAX_QUERY_TOKENS) break;
  }
  const s = out.join(' ').trim();
  return s !== '' && fold(s) !== fold(q) ? s : undefined;
}

// ---------------------------------------------------------------- search

interface Pass {
  a: Analysis;
  ranked: Scored[];
  clarify?: Clarify;
  whyFor: (s: Scored) => Analysis;
}

function runPass(index: FinderIndex, a: Analysis, scope: ReadonlySet<string> | null, limit: number): Pass {
  if (a.clauses.length < 2) {
    const ranked = rank(index, a, scope);
    const clarify = clarifyOf(index, a, ranked);
    return clarify ? { a, ranked, clarify, whyFor: () => a } : { a, ranked, whyFor: () => a };
  }
  // Several requests in one question: answer each in turn, best first.
  const parts = a.clauses.map((c) => {
    const ca = analyze(index, '', { tokens: c.tokens, group: c.group, corrections: a.corrections, notes: a.notes });
    return { ca, ranked: rank(index, ca, scope) };
  });
  const seen = new Set<number>();
  const owner = new Map<number, Analysis>();
  const ranked: Scored[] = [];
  const top = parts[0]?.ranked[0]?.score ?? 1;
  for (let k = 0; k < limit && ranked.length < limit; k++) {
    for (const p of parts) {
      const r = p.ranked[k];
      if (!r || seen.has(r.doc)) continue;
      seen.add(r.doc);
      owner.set(r.doc, p.ca);
      // Scores of different clauses are not comparable: keep the interleaved order.
      ranked.push({ ...r, score: Math.max(0.001, top * (1 - ranked.length * 0.01)) });
    }
  }
  return { a, ranked, whyFor: (s: Scored) => owner.get(s.doc) ?? a };
}

/**
 * Whether the best answer is good enough to suggest. A recognised life
 * situation is; otherwise the best score must be clear of the level that
 * chance word overlaps reach, and a middling score needs most of the
 * question's concepts covered. Thresholds calibrated on the development
 * sets only (bench/finder/README.md).
 */
function fits(index: FinderIndex, p: Pass): boolean {
  const top = p.ranked[0];
  if (!top) return false;
  if (top.intent) return true;
  const score = top.score / index.scoreScale;
  if (score < NO_MATCH_SCORE) return false;
  // A long question tells a story around its request, so its coverage is naturally low.
  const concepts = p.a.slots.filter((x) => x.weight >= 1).length;
  return score >= SURE_SCORE || concepts > SHORT_QUESTION || top.coverage >= NO_MATCH_COVERAGE;
}

const SHORT_QUESTION = 4;
/** A spelling correction replaces a passable answer only when it scores this much higher. */
const CORRECTION_GAIN = 1.5;
const MAX_VARIANTS = 20;

export const NO_MATCH_SCORE = 6;
export const SURE_SCORE = 10;
export const NO_MATCH_COVERAGE = 0.7;
/** A named non-procedure matter (noise, utilities…) wins over word overlaps below this score. */
const TOPIC_OVERRIDE_SCORE = 20;

/** Ranked procedures for a question; never throws on any input. */
export function search(index: FinderIndex, q: unknown, opts: SearchOptions = {}): SearchResult {
  const limit = Math.max(0, Math.min(100, Math.floor(Number.isFinite(opts.limit) ? (opts.limit as number) : 10)));
  if (typeof q !== 'string' || limit === 0 || fold(q.slice(0, MAX_QUERY_CHARS)) === '') return { items: [] };
  const scope = opts.scope ?? null;
  let pass: Pass;
  let good: boolean;
  let plain: Analysis;
  try {
    // Do no harm: the citizen's own words first; correct spelling only when
    // they find nothing good, and keep a correction only when it finds much more.
    plain = analyze(index, q, undefined, false);
    pass = runPass(index, plain, scope, limit);
    good = fits(index, pass);
    const plainScore = pass.ranked[0]?.score ?? 0;
    if (!good || (!pass.ranked[0]?.intent && plainScore < SURE_SCORE * index.scoreScale)) {
      const fixed = analyze(index, q);
      if (fixed.corrections.size > 0) {
        const other = runPass(index, fixed, scope, limit);
        if (fits(index, other) && (!good || (other.ranked[0]?.score ?? 0) >= CORRECTION_GAIN * plainScore)) [pass, good] = [other, true];
      }
    }
  } catch {
    return { items: [], noMatch: true };
  }
  const { a, ranked, clarify, whyFor } = pass;
  const result: SearchResult = { items: [] };
  const top = ranked[0];
  const topic = outOfScopeTopic(plain.text.trim());
  if (topic && !top?.intent && (top?.score ?? 0) < TOPIC_OVERRIDE_SCORE * index.scoreScale) {
    result.noMatch = true;
    result.outOfScope = { door: topic.door, advice: topic.advice };
    return result;
  }
  if (!good) {
    // No "did you mean" here: a rewrite that finds nothing good helps nobody.
    result.noMatch = true;
    return result;
  }
  // Identical titles (the same procedure published per level or per province) make one line.
  const byTitle = new Map<string, SearchItem>();
  for (const s of ranked) {
    const d = index.docs[s.doc]!;
    const same = byTitle.get(d.titleKey);
    if (same) {
      if ((same.variants?.length ?? 0) < MAX_VARIANTS) (same.variants ??= []).push({ code: d.code, where: d.where, forWhom: d.forWhom });
      continue;
    }
    if (byTitle.size >= limit) continue;
    byTitle.set(d.titleKey, {
      code: d.code,
      name: d.name,
      field: d.field,
      levels: d.levels,
      score: Math.round(s.score * 1000) / 1000,
      why: whyOf(index, whyFor(s), s),
      where: d.where,
      forWhom: d.forWhom,
    });
  }
  result.items = [...byTitle.values()];
  const events = lifeEventsFor(a.situations.map((x) => x.id))
    .map((e) => ({
      id: e.id,
      title: e.title,
      steps: e.steps.flatMap((st) => {
        const d = index.codeToDoc.get(st.code);
        if (d === undefined || (scope && !scope.has(st.code))) return [];
        const doc = index.docs[d]!;
        return [{ code: doc.code, name: doc.name, where: doc.where, note: st.note }];
      }),
    }))
    .filter((e) => e.steps.length > 0);
  if (events.length > 0) result.lifeEvents = events;
  if (clarify) result.clarify = clarify;
  const dym = didYouMeanOf(index, q, a);
  if (dym) result.didYouMean = dym;
  return result;
}
