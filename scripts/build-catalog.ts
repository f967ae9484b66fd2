/**
 * Builds the committed catalog from the national portal export.
 *
 *   npx tsx scripts/build-catalog.ts /work/shared/data/dvcqg/procedures.raw.jsonl.gz [outDir]
 *
 * Writes <outDir>/procedures.jsonl.gz (one normalised Procedure per line,
 * sorted by code) and <outDir>/SOURCE.md. The output depends only on the
 * input, so re-running on the same export gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { byCode, PORTAL_DETAIL_URL } from '../src/catalog/normalize.js';
import { readPortalExport } from '../src/catalog/portal-export.js';
import type { Procedure } from '../src/catalog/procedure.js';
import { procedureSchema } from '../src/catalog/procedure.schema.js';

const input = process.argv[2];
if (!input) {
  console.error('usage: tsx scripts/build-catalog.ts <procedures.raw.jsonl.gz> [outDir]');
  process.exit(2);
}
const outDir = resolve(process.argv[3] ?? fileURLToPath(new URL('../data/catalog/', import.meta.url)));

const sourceBytes = await readFile(input);
const sourceSha = createHash('sha256').update(sourceBytes).digest('hex');

const { procedures, merged, conflicts, read, skipped } = await readPortalExport(input);
procedures.sort(byCode);
for (const p of procedures) procedureSchema.parse(p); // never commit what the loader would reject

const body = procedures.map((p) => JSON.stringify(p)).join('\n') + '\n';
const gz = gzipSync(body, { level: 9 });
await mkdir(outDir, { recursive: true });
await writeFile(resolve(outDir, 'procedures.jsonl.gz'), gz);

// ---------------------------------------------------------------- counts
const fees = procedures.flatMap((p) => p.channels.flatMap((c) => c.fees));
const papers = procedures.flatMap((p) => p.cases.flatMap((c) => c.papers));
const count = (pred: (p: Procedure) => boolean) => procedures.filter(pred).length;
const dates = procedures.map((p) => p.updatedAt).sort();
const stats = {
  recordsRead: read,
  recordsSkipped: skipped.length,
  proceduresWritten: procedures.length,
  duplicatesMerged: merged,
  codeConflictsDropped: conflicts.reduce((n, c) => n + c.dropped.length, 0),
  multiLifeEvent: count((p) => p.lifeEvents.length > 1),
  commune: count((p) => p.levels.includes('commune')),
  communeAndVertical: count((p) => p.levels.includes('commune') && p.levels.includes('vertical')),
  onlineFull: count((p) => p.onlineLevel === 'full'),
  onlinePartial: count((p) => p.onlineLevel === 'partial'),
  offline: count((p) => p.onlineLevel === 'offline'),
  disputedOnlineLevels: count((p) => p.onlineLevelDisputed),
  fees: fees.length,
  unpublishedFees: fees.filter((f) => f.unpublished).length,
  freeFees: fees.filter((f) => f.amountVnd === 0).length,
  textOnlyFees: fees.filter((f) => f.amountVnd === null && !f.unpublished).length,
  foreignOrUnclearAmountFees: fees.filter((f) => / USD|chưa rõ đơn vị tiền tệ/.test(f.text) && f.amountVnd === null).length,
  papers: papers.length,
  notes: procedures.reduce((n, p) => n + p.cases.reduce((m, c) => m + c.notes.length, 0), 0),
  forms: papers.reduce((n, p) => n + p.forms.length, 0),
  steps: procedures.reduce((n, p) => n + p.steps.length, 0),
  oldestUpdate: dates[0]?.slice(0, 10) ?? '',
  newestUpdate: dates[dates.length - 1]?.slice(0, 10) ?? '',
  snapshotBytes: gz.length,
};

await writeFile(resolve(outDir, 'SOURCE.md'), sourceMd(stats));

for (const [k, v] of Object.entries(stats)) console.log(`${k.padEnd(28)} ${v}`);
for (const s of skipped) console.log(`skipped ${s}`);
for (const c of conflicts) console.log(`code conflict ${c.code}: kept "${c.kept}", dropped ${c.dropped.map((d) => `"${d}"`).join(', ')}`);

function sourceMd(s: typeof stats): string {
  return `# Danh mục thủ tục hành chính — nguồn gốc

\`procedures.jsonl.gz\` is the project's own normalised catalog of administrative
procedures (thủ tục hành chính), one \`Procedure\` (src/catalog/procedure.ts) as
JSON per line, sorted by code, gzip level 9. It is generated — do not edit by
hand; rebuild with:

    npx tsx scripts/build-catalog.ts /work/shared/data/dvcqg/procedures.raw.jsonl.gz

## Origin

- A snapshot of the National Public Service Portal (Cổng Dịch vụ công quốc gia,
  dichvucong.gov.vn): \`${basename(input!)}\`, sha256 \`${sourceSha}\`.
- It covers the eleven citizen life-event groups (not business-only groups).
- Portal update dates in the snapshot: ${s.oldestUpdate} … ${s.newestUpdate}.
- \`sourceUrl\` points to \`${PORTAL_DETAIL_URL}<code>\`. The current portal keys
  its pages by an internal UUID; that pattern was not verified, so the code-based
  link is used (to be checked against the live portal).
- This file format is one import source; a deployment would sync from the
  national procedure database (CSDL quốc gia về TTHC).

## Counts

| | |
|---|---|
| records read | ${s.recordsRead} |
| records skipped (no code / name / date) | ${s.recordsSkipped} |
| procedures written | ${s.proceduresWritten} |
| duplicate records merged | ${s.duplicatesMerged} |
| records dropped for a code conflict | ${s.codeConflictsDropped} |
| commune level (\`isWard\`) | ${s.commune} (of which also vertical branch: ${s.communeAndVertical}) |
| online level full / partial / offline | ${s.onlineFull} / ${s.onlinePartial} / ${s.offline} |
| online level disputed | ${s.disputedOnlineLevels} |
| fee rows / unpublished / free / text only | ${s.fees} / ${s.unpublishedFees} / ${s.freeFees} / ${s.textOnlyFees} |
| fees in USD or with an amount below 1,000 and no currency | ${s.foreignOrUnclearAmountFees} |
| papers / notes / form files | ${s.papers} / ${s.notes} / ${s.forms} |
| steps | ${s.steps} |

## What the importer normalises (src/catalog/normalize.ts)

- **Text**: Unicode NFC (the portal mixes decomposed combining marks, e.g.
  \`ho\\u0103\\u0323c\` → "hoặc"); zero-width and bidi marks removed (e.g. a
  U+200E inside "đăng ký" in 1.001193); runs of spaces collapsed, lines trimmed.
  Names are one line. Leading list bullets ("- ", "+ ", "• ") are removed from
  paper names and case headings.
- **Codes**: trimmed (" 1.014325" → "1.014325"); other odd codes kept as
  published (\`1.014955-Xoa\`, \`1.0133611\`, \`2.009182739\`).
- **Duplicates**: one procedure per code. Copies of the same procedure (same
  code and name) merge: the most recently updated copy wins and \`lifeEvents\` /
  \`variants\` become the union. This snapshot has no such copies: every raw
  code appears once, under a single life-event group.
- **Code conflicts**: different procedures sharing a code are never blended; the
  most recently updated keeps the code and the others are dropped and listed
  here.${conflicts.length ? '\n' + conflicts.map((c) => `  - \`${c.code}\`: kept "${c.kept}"; dropped ${c.dropped.map((d) => `"${d}"`).join(', ')}`).join('\n') : ''}
- **Papers vs notes**: rows with 0 originals and 0 copies are guidance notes,
  kept in \`notes\` (with "+" sub-bullets, which continue the note above them).
  The per-row \`required\` flag is false everywhere and is ignored. Rows with
  counts but no name take their form file's name, or are dropped without one.
- **Fees**: amount 0 (or missing) and no text → \`unpublished: true,
  amountVnd: null\`, never "free". Amount 0 with text → text kept,
  \`amountVnd: null\`, unless the whole text says nothing is charged ("Miễn phí",
  "Miễn lệ phí", "Không thu phí", "Không mất phí", "Không phải nộp lệ phí",
  "Không", "Không có") → \`amountVnd: 0\`. Texts like "Miễn phí đối với các đối
  tượng sau …" (exemptions) or "Không quy định" stay unknown. Fees in USD
  (consular procedures) get \`amountVnd: null\` and "150 USD — …" in the text.
  Amounts below 1,000 with no foreign currency ("20", "100": consular USD or
  thousands of đồng, never a real VND fee) get \`amountVnd: null\` and "Cổng ghi
  mức 20, chưa rõ đơn vị tiền tệ — …" in the text.
  Kind: text starting "Lệ phí" → charge, "Phí" → fee; otherwise portal type
  SERVICE_FEE → charge, FEE → fee, PRICE_LEVEL → other.
- **Processing time**: WORKING_DAY / DAY / HOUR / MONTH kept; YEAR → months ×12;
  unit OTHER borrows the unit of an online variant with the same number (e.g.
  1.001193: "1 OTHER" and variant "1 WORKING_DAY"), else unit "other"; 0 or
  prose → \`time: null\` with the prose kept in \`timeText\`.
- **Online level** (Decree 42/2022): an ONLINE submission channel decides online
  vs offline; the end-to-end flag \`isFullProcess\` (undocumented) decides full vs
  partial. \`onlineLevelDisputed\` when they disagree: flagged end-to-end but no
  online channel (e.g. 1.003622 → offline, disputed), or \`isOfflineOnly\` with an
  online channel.
- **Levels** from the flags \`isWard\` (commune), \`isProvince\`, \`isMinistry\`,
  \`isVertical\`, \`isOtherAgency\`. The commune flag is also set for central
  branch offices working at commune level (customs, tax); those records usually
  also carry "vertical", which consumers should check.
- **Prose fields** (requirements, time notes, fee notes): line breaks kept, but
  a line starting in lower case is joined to the previous one.
- **Steps**: split on line breaks; list markers dropped ("+" sub-points kept); a
  line starting in lower case is glued to the previous one (a sentence broken
  mid-way); a repeated heading is dropped.
- **Dates**: \`updatedAt\` is the portal's update time as ISO UTC; decision dates
  are calendar dates in Vietnam time (the portal stores local midnight).
- **Form files**: \`forms[].url\` is the portal's storage path as given
  (\`configuring/<id>/<file>\` in bucket "dvc"); the portal publishes no stable
  download URL for it.

## Known source problems left as published

- Garbled portal text: in 1.001193 the first step has fragments swapped ("nộp hồ
  sơ đăng ký khai tâm Phục vụ … hoàn tất việc sinh tại Trung nộp hồ sơ"). The
  importer cannot repair this; it only removes the line break.
- Some codes citizens ask for are absent from the snapshot (e.g. 1.116410 chip ID
  card, 2.002913, 3.000722).
- Some online-variant codes (e.g. \`x.xxxxxx.01\`) are not unique to one parent.
`;
}
