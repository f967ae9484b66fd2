/** Ad-hoc finder queries against the snapshot: npx tsx bench/finder/ask.ts "câu hỏi" … */
import { loadCatalogSnapshot } from '../../src/catalog/snapshot.js';
import { buildFinderIndex, search } from '../../src/finder/index.js';
const t0 = performance.now();
const procs = await loadCatalogSnapshot();
const t1 = performance.now();
const idx = buildFinderIndex(procs);
const t2 = performance.now();
console.error(`load ${(t1 - t0).toFixed(0)}ms build ${(t2 - t1).toFixed(0)}ms`);
for (const q of process.argv.slice(2)) {
  const r = search(idx, q, { limit: 5 });
  console.log(`\n## ${q}${r.didYouMean ? `  (dym: ${r.didYouMean})` : ''}`);
  for (const it of r.items) console.log(`  ${it.code} ${it.score.toFixed(2)} ${it.name.slice(0, 90)} | ${it.why.slice(0, 110)}`);
  if (r.clarify) console.log(`  ?? ${r.clarify.question}\n` + r.clarify.options.map((o) => `     - ${o.code} ${o.label.slice(0, 140)}`).join('\n'));
}
