/**
 * Extracts small test fixtures for src/catalog from the portal export: real
 * records, with long texts and long lists trimmed (fixtures must stay small).
 * Strings are cut by length only, so decomposed Unicode and stray whitespace
 * — the quirks under test — are kept as the portal sent them.
 *
 *   npx tsx scripts/extract-catalog-fixtures.ts /work/shared/data/dvcqg/procedures.raw.jsonl.gz
 */
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

/** Raw code as published (a stray space included) → fixture file name. */
const WANTED: Record<string, string> = {
  '1.001193': 'raw-1.001193', // đăng ký khai sinh: papers, note rows, unpublished fees, garbled step, U+200E
  '1.003622': 'raw-1.003622', // end-to-end flag but no online channel
  '1.010369': 'raw-1.010369', // decomposed combining marks in the name
  '3.000382': 'raw-3.000382', // 0 amount, text "Miễn phí"
  '2.001895': 'raw-2.001895', // 0 amount, exemption text (not free)
  '1.013562': 'raw-1.013562', // fee in USD
  '1.115189': 'raw-1.115189', // isOfflineOnly with an online channel
  '1.003107': 'raw-1.003107', // form files
  '1.008002': 'raw-1.008002', // fee value null
  '1.012789': 'raw-1.012789', // end-to-end, fee with an amount
  '5.003813': 'raw-5.003813', // processing time as prose
  '5.003854': 'raw-5.003854', // processing time in years
  '1.014325': 'raw-1.014325', // shares its code with the next one
  ' 1.014325': 'raw-1.014325-space',
};
const MAX_STRING = 800; // long enough to keep the garbled line break in 1.001193 (at ~770)
const MAX_ARRAY = 12;

function trim(v: unknown): unknown {
  if (typeof v === 'string') return v.length > MAX_STRING ? v.slice(0, MAX_STRING) : v;
  if (Array.isArray(v)) return v.slice(0, MAX_ARRAY).map(trim);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trim(x)]));
  return v;
}

const input = process.argv[2];
if (!input) throw new Error('usage: tsx scripts/extract-catalog-fixtures.ts <procedures.raw.jsonl.gz>');
const outDir = fileURLToPath(new URL('../src/catalog/fixtures/', import.meta.url));
await mkdir(outDir, { recursive: true });

const rl = createInterface({ input: createReadStream(input).pipe(createGunzip()), crlfDelay: Infinity });
const found = new Set<string>();
for await (const line of rl) {
  if (!line.trim()) continue;
  const rec = JSON.parse(line) as { lifeEventGroup: string; raw: { code: string } };
  const file = WANTED[rec.raw.code];
  if (!file) continue;
  found.add(rec.raw.code);
  await writeFile(`${outDir}${file}.json`, JSON.stringify(trim(rec), null, 1) + '\n');
}
const missing = Object.keys(WANTED).filter((c) => !found.has(c));
if (missing.length) throw new Error(`not in the export: ${missing.join(', ')}`);
console.log(`wrote ${found.size} fixtures to ${outDir}`);
