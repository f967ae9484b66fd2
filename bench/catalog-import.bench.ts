/**
 * Import of the whole committed catalog (5,664 procedures with their papers,
 * channels and steps) into a fresh embedded database, against a baseline
 * measured in the same run: the same records written as bare JSON rows.
 * Target: ≤ 60 s on PGlite. Writes bench/results/catalog-import-<date>.{md,json}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { importCatalog } from '../src/catalog/catalog.store.js';
import { loadCatalogSnapshot } from '../src/catalog/snapshot.js';
import { openPglite } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { ensureUnits } from '../src/units/units.store.js';
import { machine, revision } from './lib/report.js';

const TARGET_S = 60;
const procedures = await loadCatalogSnapshot();

async function freshDb() {
  const h = await openPglite({});
  await migrate(h.db);
  await ensureUnits(h.db);
  return h;
}

const base = await freshDb();
await sql`create table bench_raw (code text primary key, record jsonb not null)`.execute(base.db);
let t0 = performance.now();
await base.db.transaction().execute(async (tx) => {
  for (let i = 0; i < procedures.length; i += 250) {
    const chunk = procedures.slice(i, i + 250);
    await sql`insert into bench_raw (code, record) select * from unnest(${chunk.map((p) => p.code)}::text[], ${chunk.map((p) => JSON.stringify(p))}::jsonb[])`.execute(tx);
  }
});
const baselineS = (performance.now() - t0) / 1000;
await base.close();

const h = await freshDb();
t0 = performance.now();
const report = await importCatalog(h.db, procedures, { source: 'bench' });
const importS = (performance.now() - t0) / 1000;
t0 = performance.now();
const again = await importCatalog(h.db, procedures, { source: 'bench again' });
const reimportS = (performance.now() - t0) / 1000;
await h.close();

const date = new Date().toISOString().slice(0, 10);
const m = machine();
const result = {
  date,
  revision: revision(),
  machine: m,
  loadAverage: loadavg(),
  procedures: procedures.length,
  added: report.added.length,
  reimportUnchanged: again.unchanged,
  baselineSeconds: baselineS,
  importSeconds: importS,
  reimportSeconds: reimportS,
  ratioToBaseline: importS / baselineS,
  target: `≤ ${TARGET_S} s`,
  verdict: importS <= TARGET_S ? 'PASS' : 'FAIL',
};
const md = `# Catalog import benchmark — ${date}

Recorded by \`npm run bench:catalog-import\` (revision \`${result.revision}\`).

Machine: ${JSON.stringify(m)}; load average before the run ${loadavg().map((x) => x.toFixed(2)).join(', ')}.

| measure | seconds | ÷ baseline |
|---|--:|--:|
| baseline: the same ${procedures.length} records as bare JSON rows, one transaction | ${baselineS.toFixed(2)} | 1.00× |
| full import (versions, channels, papers, notes, steps, audit) | ${importS.toFixed(2)} | ${(importS / baselineS).toFixed(2)}× |
| re-import of the same catalog (nothing changes) | ${reimportS.toFixed(2)} | ${(reimportS / baselineS).toFixed(2)}× |

Target: full import ${result.target} on PGlite — **${result.verdict}**.
`;
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/catalog-import-${date}.json`, JSON.stringify(result, null, 2) + '\n');
writeFileSync(`bench/results/catalog-import-${date}.md`, md);
process.stdout.write(md);
