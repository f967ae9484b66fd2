/**
 * Operations-centre benchmark on PostgreSQL: generator rate, roll-up rebuild,
 * and the province-year index from the roll-ups against the same figures
 * computed with plain SQL over the raw rows, in the same run.
 *
 *   XASO_TEST_PG_URL=postgres://… BENCH_DOSSIERS=100000 npm run bench:stats   (without it: scripts/test-postgres.sh)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { loadDefaultCalendar } from '../src/calendar/index.js';
import { importCatalog } from '../src/catalog/catalog.store.js';
import { openPostgres } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { ensureUnits } from '../src/units/units.store.js';
import { catalogSlice } from '../src/testing/catalog.js';
import { generateDossiers } from '../src/stats/generate.js';
import { rebuild } from '../src/stats/rollup.js';
import { year } from '../src/stats/period.js';
import { indexOf, offeredCounts, provinceCommunes, sumOffered, totalFigures } from '../src/stats/stats.service.js';
import { createBenchDatabase } from './lib/postgres.js';
import { machine, revision } from './lib/report.js';

const N = Number(process.env.BENCH_DOSSIERS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const END = '2026-11-30';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
}

async function time(f: () => Promise<unknown>): Promise<number[]> {
  await f();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

const bench = await createBenchDatabase(process.cwd(), 'xaso_bench_stats');
const h = await openPostgres(bench.url, 4);
try {
  const startedAt = new Date().toISOString();
  await migrate(h.db);
  await ensureUnits(h.db);
  await importCatalog(h.db, await catalogSlice([], 80), { source: 'bench' });
  const calendar = await loadDefaultCalendar();
  const gen = await generateDossiers(h.db, { province: '80', dossiers: N, years: 2, endDay: END, calendar, batch: 2000 });
  if (!gen.ok) throw new Error(gen.message);
  const t0 = performance.now();
  await rebuild(h.db, { today: END, calendar, batch: 2000 });
  const rebuildS = (performance.now() - t0) / 1000;
  await sql`analyze`.execute(h.db);

  const communes = provinceCommunes('80');
  const period = year(2026);
  const rollup = await time(async () => {
    const [f, o] = await Promise.all([totalFigures(h.db, { communes }, period), offeredCounts(h.db, communes)]);
    return indexOf(f, sumOffered(o.values()), period);
  });
  // The same dossier figures straight from dossier and dossier_event (a plain query, no roll-ups).
  const naive = await time(() =>
    sql`
      select d.channel, count(*) as received,
        count(*) filter (where f.finish is not null and f.finish < f.due) as early,
        count(*) filter (where f.finish is not null and f.finish = f.due) as on_time,
        count(*) filter (where f.finish is not null and f.finish > f.due) as late,
        count(*) filter (where f.finish is null and d.status in (1,2,4,5,6) and d.due_date < ${END}::date) as overdue,
        sum(f.supplements) as supplements, count(d.rating) as rated, sum(d.rating) as rating_sum
      from dossier d
      cross join lateral (
        select (min(e.at) filter (where e.to_status in (9, 10)) at time zone 'Asia/Ho_Chi_Minh')::date as finish,
          max(e.due_date) as due,
          count(*) filter (where e.action = 'request_supplement') as supplements
        from dossier_event e where e.commune_code = d.commune_code and e.dossier_id = d.id
      ) f
      where d.commune_code in (${sql.join(communes)})
        and d.submitted_at >= ${period.from}::date and d.submitted_at < ${'2027-01-01'}::date
      group by d.channel`.execute(h.db),
  );
  const r = {
    benchmark: 'stats',
    date: startedAt.slice(0, 10),
    startedAt,
    revision: revision(),
    machine: machine(),
    dossiers: N,
    generator: { seconds: gen.seconds, perSecond: Math.round(N / gen.seconds), note: 'multi-row INSERT in batches of 2,000 (not COPY: pg-copy-streams is not a dependency yet)' },
    rebuildSeconds: rebuildS,
    provinceYearIndex: {
      rollupMs: { p50: percentile(rollup, 0.5), p95: percentile(rollup, 0.95) },
      naiveMs: { p50: percentile(naive, 0.5), p95: percentile(naive, 0.95) },
      p95Speedup: percentile(naive, 0.95) / percentile(rollup, 0.95),
    },
    runs: RUNS,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/stats-${r.date}.json`, `${JSON.stringify(r, null, 2)}\n`);
  const md = [
    `# Operations-centre benchmark — ${r.date}`,
    '',
    `Recorded by \`npm run bench:stats\` (bench/stats.bench.ts) at ${startedAt} (revision \`${r.revision}\`), PostgreSQL, ${N.toLocaleString('en-US')} generated dossiers over 2 years in province 80 (${RUNS} timed runs each after one warm-up).`,
    '',
    `Machine: ${r.machine.cpu} × ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; shared with other work while measured.`,
    '',
    '| measure | p50 ms | p95 ms |',
    '|---|--:|--:|',
    `| province-year index from roll-ups | ${r.provinceYearIndex.rollupMs.p50.toFixed(1)} | ${r.provinceYearIndex.rollupMs.p95.toFixed(1)} |`,
    `| same dossier figures, plain SQL over raw rows (baseline) | ${r.provinceYearIndex.naiveMs.p50.toFixed(1)} | ${r.provinceYearIndex.naiveMs.p95.toFixed(1)} |`,
    '',
    `p95 speed-up over the baseline: **${r.provinceYearIndex.p95Speedup.toFixed(1)}×**.`,
    '',
    `Generator: ${r.generator.perSecond.toLocaleString('en-US')} dossiers/s (${r.generator.note}). Roll-up rebuild from scratch: ${rebuildS.toFixed(1)} s.`,
    '',
    'Not measured in this run: 5,000,000 dossiers, 10 concurrent dashboard users, the worker\'s cost on intake.',
    '',
  ].join('\n');
  writeFileSync(`bench/results/stats-${r.date}.md`, md);
  process.stdout.write(md);
} finally {
  await h.close();
  await bench.drop();
}
