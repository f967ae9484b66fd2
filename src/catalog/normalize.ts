/**
 * Normalises one record of the national portal export (dichvucong.gov.vn,
 * `{lifeEventGroup, raw}` lines) into a {@link Procedure}. Pure: no I/O.
 *
 * Every quirk listed in /work/shared/data/dvcqg/README.md is handled here,
 * explicitly, and summarised in data/catalog/SOURCE.md.
 */
import type {
  Channel,
  ChannelTerms,
  Fee,
  Level,
  OnlineLevel,
  Paper,
  PaperCase,
  Procedure,
} from './procedure.js';

/** Thrown when a record cannot become a Procedure at all (no code, no name, no date). */
export class CatalogRecordError extends Error {
  override readonly name = 'CatalogRecordError';
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(code ? `${code}: ${message}` : message);
  }
}

export interface RawLine {
  lifeEventGroup: string;
  raw: unknown;
}

/**
 * The portal's detail page. Its current pages are keyed by an internal UUID
 * whose URL pattern we could not verify; the long-standing detail page takes
 * `ma_thu_tuc`, and we pass the public code, which citizens and staff quote.
 */
export const PORTAL_DETAIL_URL =
  'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=';

export function sourceUrlFor(code: string): string {
  return PORTAL_DETAIL_URL + encodeURIComponent(code);
}

// ---------------------------------------------------------------- accessors
// The source is untrusted JSON: every read goes through these so a missing or
// mistyped field degrades to "absent" instead of throwing.

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}
/** Finite number, or a string that is exactly a number (the portal sends "0", "1"). */
function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}
function flag(v: unknown): boolean {
  return v === true;
}

// -------------------------------------------------------------------- text

// Zero-width and bidi marks (e.g. "đăng k\u200eý" in 1.001193), BOM, soft hyphen.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\ufeff\u00ad]/g;
const HSPACE = /[^\S\n]+/g;

/** NFC, no invisible marks, whitespace collapsed per line, empty lines dropped. */
export function cleanText(v: unknown): string {
  return str(v)
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(HSPACE, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

// "a) …", "đ. …", "iii) …": a list item, not a continuation (but "tâm." ending a sentence is).
const ENUMERATOR = /^(?:[a-zđ]|[ivx]{1,4})[).](?:\s|$)/u;

/** True when a line starting in lower case continues the sentence above it. */
function isContinuation(line: string): boolean {
  return /^\p{Ll}/u.test(line) && !ENUMERATOR.test(line);
}

/** Multi-line text (requirements, time notes, fee notes): cleanText, then mend broken sentences. */
export function cleanProse(v: unknown): string {
  const out: string[] = [];
  for (const line of cleanText(v).split('\n')) {
    if (line === '') continue;
    if (out.length && isContinuation(line)) out[out.length - 1] += ` ${line}`;
    else out.push(line);
  }
  return out.join('\n');
}

/** A one-line name: line breaks become spaces. */
export function cleanName(v: unknown): string {
  return cleanText(v).replace(/\n/g, ' ');
}

// "-", "–", "—", "•", "*", "·", "" then space; "+" is a sub-bullet, handled apart.
const BULLET = /^(?:[-–—•*·]+|\+)\s*(?=\S)/u;
const TOP_BULLET = /^[-–—•*·]+\s*(?=\S)/u;

/** Drops a leading list marker ("- ", "+ ", "• "); enumerators like "a)" stay. */
export function stripBullet(s: string, keepSubBullet = false): string {
  return s.replace(keepSubBullet ? TOP_BULLET : BULLET, '').trim();
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs.filter((x) => x !== ''))];
}

// ---------------------------------------------------------------- dates

const VN_OFFSET_MS = 7 * 3600_000;

// Only four-digit years: toISOString gives "+010000-…" / "-000001-…" outside them.
function isoDateTime(epochMs: number): string | null {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  return /^\d{4}-/.test(iso) ? iso : null;
}

/** Calendar date in Vietnam (UTC+7): the portal stores local midnight as epoch ms. */
function vnDate(epochMs: number): string | null {
  return isoDateTime(epochMs + VN_OFFSET_MS)?.slice(0, 10) ?? null;
}

// ---------------------------------------------------------------- fees

/**
 * Fee text that says, in full, that nothing is charged. Deliberately strict:
 * "Miễn phí đối với các đối tượng sau: …" is an exemption for some people,
 * not a free procedure, and "Không quy định" / "Chưa có quy định" mean the
 * amount is unknown. Bare "Không" / "Không có" in a fee field read as "none".
 */
const FREE_TEXT =
  /^(?:miễn phí|miễn lệ phí|miễn phí,? lệ phí|miễn phí và lệ phí|miễn thu|không thu(?: phí| lệ phí| phí,? lệ phí)?|không mất phí|không phải nộp(?: phí| lệ phí| phí,? lệ phí)?|không có phí|không có lệ phí|không có|không)$/;

export function saysFree(text: string): boolean {
  const t = stripBullet(text.normalize('NFC').toLowerCase())
    .replace(/[.;:!]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
  return FREE_TEXT.test(t);
}

const FEE_KIND: Record<string, Fee['kind']> = {
  // Counted over the snapshot: SERVICE_FEE texts mostly say "lệ phí" (charge),
  // FEE texts mostly "phí" (fee); PRICE_LEVEL is a price list ("mức giá").
  FEE: 'fee',
  SERVICE_FEE: 'charge',
  PRICE_LEVEL: 'other',
};

function feeKind(type: string, text: string): Fee['kind'] {
  // The text names the kind more reliably than the type when it starts with it.
  const t = text.toLowerCase();
  if (t.startsWith('lệ phí')) return 'charge';
  if (t.startsWith('phí')) return 'fee';
  return FEE_KIND[type] ?? 'other';
}

/** Currency code when the fee is not in VND (the portal has USD fees for consular procedures). */
function foreignCurrency(f: Obj): string | null {
  const code = str(obj(f.currency).code).trim().toUpperCase();
  if (code) return code === 'VND' ? null : code;
  const name = cleanName(f.currencyName);
  if (!name || /việt nam đồng|vnd|đồng/i.test(name)) return null;
  return name;
}

/** No published VND fee is below this; smaller numbers are another currency or unit. */
export const MIN_PLAUSIBLE_VND = 1000;

function joinText(head: string, text: string): string {
  return text ? `${head} — ${text}` : head;
}

export function normalizeFee(v: unknown): Fee {
  const f = obj(v);
  const text = cleanProse(f.description);
  const kind = feeKind(str(f.type), text);
  const value = num(f.value);
  const amount = value !== null && value > 0 ? value : 0;
  if (amount > 0) {
    const cur = foreignCurrency(f);
    if (cur) {
      // Keep the foreign amount readable rather than pretend it is VND.
      return { kind, amountVnd: null, text: joinText(`${amount} ${cur}`, text), unpublished: false };
    }
    if (amount < MIN_PLAUSIBLE_VND) {
      // "20", "100" with no currency: consular USD fees or thousands of đồng,
      // never a real VND amount. Keep the number in the text, not as VND.
      return { kind, amountVnd: null, text: joinText(`Cổng ghi mức ${amount}, chưa rõ đơn vị tiền tệ`, text), unpublished: false };
    }
    return { kind, amountVnd: amount, text, unpublished: false };
  }
  // 0 (or missing) amount: unpublished unless the text says something.
  if (!text) return { kind, amountVnd: null, text: '', unpublished: true };
  if (saysFree(text)) return { kind, amountVnd: 0, text, unpublished: false };
  return { kind, amountVnd: null, text, unpublished: false };
}

// ---------------------------------------------------------------- channels

const CHANNEL: Record<string, Channel> = { ONLINE: 'online', POSTAL: 'postal', DIRECT: 'direct' };

type TimeUnit = NonNullable<ChannelTerms['time']>['unit'];
const UNIT: Record<string, TimeUnit> = {
  WORKING_DAY: 'working_day',
  DAY: 'day',
  HOUR: 'hour',
  MONTH: 'month',
};
const UNIT_VI: Record<TimeUnit, string> = {
  working_day: 'ngày làm việc',
  day: 'ngày',
  hour: 'giờ',
  month: 'tháng',
  other: '',
};

interface VariantTime {
  qty: number;
  unit: TimeUnit;
}

function fmtQty(q: number): string {
  return String(q).replace('.', ',');
}

function normalizeTime(
  m: Obj,
  variantTimes: VariantTime[],
): Pick<ChannelTerms, 'time' | 'timeText'> {
  const rawTime = m.processingTime;
  const rawUnit = str(m.processingTimeUnit);
  const desc = cleanProse(m.description);
  const qty = num(rawTime);
  let time: ChannelTerms['time'] = null;
  if (qty !== null && qty > 0) {
    if (rawUnit === 'YEAR' && Number.isFinite(qty * 12)) time = { qty: qty * 12, unit: 'month' };
    else if (UNIT[rawUnit]) time = { qty, unit: UNIT[rawUnit] };
    else {
      // Unit "OTHER" with a bare number: borrow the unit from an online
      // variant with the same number (1.001193: 1 OTHER vs 1 WORKING_DAY).
      const v = variantTimes.find((t) => t.qty === qty);
      time = v ? { qty, unit: v.unit } : { qty, unit: 'other' };
    }
  }
  const parts: string[] = [];
  if (time && time.unit !== 'other') parts.push(`${fmtQty(time.qty)} ${UNIT_VI[time.unit]}`);
  // processingTime is sometimes prose ("Thực hiện trong ngày làm việc …").
  if (qty === null) parts.push(cleanProse(rawTime));
  if (desc) parts.push(desc);
  return { time, timeText: uniq(parts).join('\n') };
}

function normalizeChannels(methods: unknown, variantTimes: VariantTime[]): ChannelTerms[] {
  const out: ChannelTerms[] = [];
  for (const mv of arr(methods)) {
    const m = obj(mv);
    const channel = CHANNEL[str(m.submissionMethod)];
    if (!channel) continue;
    out.push({ channel, ...normalizeTime(m, variantTimes), fees: arr(m.fees).map(normalizeFee) });
  }
  return out;
}

// ---------------------------------------------------------------- online level

/**
 * Decree 42/2022 level from both signals. The online channel is what a citizen
 * can actually use, so it decides between online and offline; the end-to-end
 * flag (meaning undocumented) only chooses full vs partial. When they disagree
 * (flag set, no online channel — e.g. 1.003622 — or "offline only" set with an
 * online channel) the record is marked disputed.
 */
export function onlineLevelOf(d: {
  isFullProcess: boolean;
  isOfflineOnly: boolean;
  hasOnlineChannel: boolean;
}): { onlineLevel: OnlineLevel; onlineLevelDisputed: boolean } {
  if (!d.hasOnlineChannel) return { onlineLevel: 'offline', onlineLevelDisputed: d.isFullProcess };
  return {
    onlineLevel: d.isFullProcess ? 'full' : 'partial',
    onlineLevelDisputed: d.isOfflineOnly,
  };
}

// ---------------------------------------------------------------- papers

function caseName(v: unknown): string {
  return stripBullet(cleanName(v)).replace(/\s*:$/u, '');
}

function normalizeForms(attachments: unknown): Paper['forms'] {
  const out: Paper['forms'] = [];
  for (const av of arr(attachments)) {
    const a = obj(av);
    // "url" is the portal's storage path as given (bucket "dvc"); the portal
    // publishes no stable download URL pattern for it.
    const url = cleanName(a.filePath) || cleanName(a.url);
    const name = cleanName(a.fileName) || cleanName(a.name) || url.split('/').pop() || '';
    if (name || url) out.push({ name, url });
  }
  return out;
}

function qty(v: unknown): number {
  const n = num(v);
  return n !== null && n > 0 ? Math.min(Math.trunc(n), Number.MAX_SAFE_INTEGER) : 0;
}

export function normalizeCases(executionCases: unknown): PaperCase[] {
  const out: PaperCase[] = [];
  for (const cv of arr(executionCases)) {
    const c = obj(cv);
    const papers: Paper[] = [];
    const notes: string[] = [];
    // The per-row `required` flag is false everywhere: it is not read.
    for (const pv of arr(c.profileComponents)) {
      const p = obj(pv);
      const originals = qty(p.originalQty);
      const copies = qty(p.copyQty);
      const name = cleanName(p.name);
      if (originals === 0 && copies === 0) {
        // Notes keep "+" sub-bullets: they continue the note above them.
        const note = stripBullet(name, true);
        if (note) notes.push(note);
        continue;
      }
      const forms = normalizeForms(p.attachments);
      // A few rows have counts but no name: name them after their form, else drop them.
      const paperName = stripBullet(name) || forms[0]?.name || '';
      if (paperName) papers.push({ name: paperName, originals, copies, forms });
    }
    const name = caseName(c.name);
    if (name || papers.length || notes.length) out.push({ name, papers, notes });
  }
  return out;
}

// ---------------------------------------------------------------- steps

/**
 * Steps as a list: the portal often packs them in one block. Split on line
 * breaks, drop list markers (keeping "+" sub-points), glue a line that starts
 * in lower case to the one before (a sentence broken mid-way), drop repeats.
 */
export function splitSteps(executionSteps: unknown): string[] {
  const lines: string[] = [];
  for (const sv of arr(executionSteps)) {
    const s = obj(sv);
    const name = cleanName(s.name);
    if (name) lines.push(name);
    lines.push(...cleanText(s.description).split('\n'));
  }
  const out: string[] = [];
  const key = (x: string) => x.toLowerCase().replace(/[\s:.*]+$/u, '');
  for (const raw of lines) {
    const line = stripBullet(raw, true);
    if (!line) continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && isContinuation(line)) {
      out[out.length - 1] = `${prev} ${line}`;
    } else if (prev !== undefined && key(prev) === key(stripBullet(line))) {
      continue;
    } else {
      out.push(line);
    }
  }
  return out;
}

// ---------------------------------------------------------------- record

function names(list: unknown): string[] {
  return uniq(arr(list).map((x) => cleanName(obj(x).name)));
}

/** Letters, digits, ".", "-", "_": covers "1.001193" and the portal's "1.014955-Xoa". */
const CODE = /^[\p{L}\p{N}._-]{1,64}$/u;

export function normalizeRecord(line: RawLine): Procedure {
  const l = obj(line);
  const raw = obj(l.raw);
  const d = obj(raw.detail);

  // A stray leading space occurs (" 1.014325"); other odd codes are kept as published.
  const code = cleanName(d.code) || cleanName(raw.code);
  if (!CODE.test(code)) throw new CatalogRecordError(`missing or malformed procedure code ${JSON.stringify(code)}`);
  const name = cleanName(d.name) || cleanName(raw.name);
  if (!name) throw new CatalogRecordError('missing procedure name', code);
  const updatedMs = num(d.updatedAt) ?? num(d.createdAt);
  const updatedAt = updatedMs === null ? null : isoDateTime(updatedMs);
  if (!updatedAt) throw new CatalogRecordError('missing or invalid updatedAt/createdAt', code);

  const category = obj(arr(d.categoriesDetails)[0] ?? d.category);

  // Levels from the flags. The commune flag is also set for central branch
  // offices working at commune level (customs, tax): those carry "vertical" too.
  const levels: Level[] = [];
  if (flag(d.isWard)) levels.push('commune');
  if (flag(d.isProvince)) levels.push('province');
  if (flag(d.isMinistry)) levels.push('ministry');
  if (flag(d.isVertical)) levels.push('vertical');
  if (flag(d.isOtherAgency)) levels.push('other');

  const variantsRaw = arr(d.cases).map(obj);
  const variantTimes: VariantTime[] = [];
  for (const v of variantsRaw) {
    const pd = obj(v.processingDay);
    const q = num(pd.qty);
    const u = UNIT[str(pd.type)];
    if (q !== null && q > 0 && u) variantTimes.push({ qty: q, unit: u });
  }
  const channels = normalizeChannels(d.executionMethods, variantTimes);

  const proposal = obj(d.procedureProposal);
  const decisionNumber =
    cleanName(proposal.proposalNumber) || cleanName(proposal.decisionNumber) || cleanName(d.decisionNo);
  const decisionMs = num(proposal.decisionDate);
  const decisionAgency = cleanName(obj(proposal.issuingAgency).name) || cleanName(d.departmentPromulgateName);
  const decisionDate = decisionMs === null ? null : vnDate(decisionMs);

  const legalSeen = new Set<string>();
  const legalBasis: Procedure['legalBasis'] = [];
  for (const x of arr(d.legalBasisesDetails)) {
    const lb = { code: cleanName(obj(x).code), name: cleanName(obj(x).name) };
    const k = `${lb.code}\u0000${lb.name}`;
    if ((lb.code || lb.name) && !legalSeen.has(k)) {
      legalSeen.add(k);
      legalBasis.push(lb);
    }
  }

  const variantSeen = new Set<string>();
  const variants: Procedure['variants'] = [];
  for (const v of variantsRaw) {
    const vc = cleanName(v.code);
    if (vc && !variantSeen.has(vc)) {
      variantSeen.add(vc);
      variants.push({ code: vc, name: cleanName(v.name) });
    }
  }

  const lifeEvent = cleanName(l.lifeEventGroup);

  return {
    code,
    name,
    field: cleanName(category.name),
    fieldCode: cleanName(category.code),
    lifeEvents: lifeEvent ? [lifeEvent] : [],
    levels,
    ...onlineLevelOf({
      isFullProcess: flag(d.isFullProcess),
      isOfflineOnly: flag(d.isOfflineOnly),
      hasOnlineChannel: channels.some((c) => c.channel === 'online'),
    }),
    channels,
    cases: normalizeCases(d.executionCases),
    steps: splitSteps(d.executionSteps),
    results: names(d.resultsDetails),
    applicants: names(d.subjectTypesDetails),
    agencies: uniq([
      cleanName(d.executingAgencies),
      ...names(d.departmentsExecuting),
      ...names(d.unitGroupsExecuting),
    ]),
    legalBasis,
    requirements: cleanProse(d.requirementsAndConditions),
    decision:
      decisionNumber || decisionDate || decisionAgency
        ? { number: decisionNumber, date: decisionDate, agency: decisionAgency }
        : null,
    sourceUrl: sourceUrlFor(code),
    updatedAt,
    variants,
  };
}

export interface MergeResult {
  procedures: Procedure[];
  /** Records folded into another record of the same procedure. */
  merged: number;
  /** Same code, different procedure (different name): only one can keep the code. */
  conflicts: { code: string; kept: string; dropped: string[] }[];
}

const nameKey = (p: Procedure) => p.name.toLowerCase();

/**
 * One procedure per code. Copies of the same procedure (same code and name,
 * e.g. listed under several life events) merge: the most recently updated
 * copy is kept (first seen on a tie) and lifeEvents / variants become the
 * union. A code shared by *different* procedures is a source error (the
 * portal has " 1.014325" next to "1.014325"): the most recently updated
 * procedure keeps the code, the others are dropped and reported, never blended.
 * Output order: first appearance of each code.
 */
export function mergeDuplicates(records: readonly Procedure[]): MergeResult {
  const byCodeMap = new Map<string, Procedure[]>();
  for (const r of records) {
    const list = byCodeMap.get(r.code);
    if (list) list.push(r);
    else byCodeMap.set(r.code, [r]);
  }
  const procedures: Procedure[] = [];
  const conflicts: MergeResult['conflicts'] = [];
  let merged = 0;
  for (const list of byCodeMap.values()) {
    let newest = list[0]!;
    for (const r of list) if (r.updatedAt > newest.updatedAt) newest = r;
    const same = list.filter((r) => nameKey(r) === nameKey(newest));
    const others = list.filter((r) => nameKey(r) !== nameKey(newest));
    if (others.length) {
      conflicts.push({ code: newest.code, kept: newest.name, dropped: [...new Set(others.map((r) => r.name))] });
    }
    merged += same.length - 1;
    if (same.length === 1) {
      procedures.push(newest);
      continue;
    }
    const variants = new Map<string, Procedure['variants'][number]>();
    for (const r of [newest, ...same]) for (const v of r.variants) if (!variants.has(v.code)) variants.set(v.code, v);
    procedures.push({
      ...newest,
      lifeEvents: [...new Set(same.flatMap((r) => r.lifeEvents))].sort(),
      variants: [...variants.values()],
    });
  }
  return { procedures, merged, conflicts };
}

/** Sort key for the committed snapshot: plain code-unit order, stable across locales. */
export function byCode(a: Procedure, b: Procedure): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
