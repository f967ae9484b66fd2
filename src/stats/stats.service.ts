/**
 * Figures for pages, exports and the open-data API: sums of the daily
 * roll-ups over a period and a set of communes, never a scan of raw dossiers
 * (the dossier list at the bottom of a drill-down reads the per-dossier facts
 * through an index, a page at a time).
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import { findCommune, findProvince } from '../units/units.js';
import { computeIndex, versionFor, type IndexResult } from './index766.js';
import { DOSSIER_COUNTERS, FEEDBACK_COUNTERS, addCounters, zeroCounters, type Counters, type Figures } from './measures.js';
import type { Period } from './period.js';
import './stats.tables.js';

export type GroupBy = 'total' | 'commune' | 'procedure' | 'week';

export interface Scope {
  communes: readonly string[];
  procedure?: string;
}

const emptyFigures = (): Figures & { histogram: Map<number, number> } => ({ counters: zeroCounters(), histogram: new Map() });

/** Figures of the scope over the period, grouped; every group present in the data appears. */
export async function figuresBy(db: DbOrTx, scope: Scope, period: Period, by: GroupBy): Promise<Map<string, Figures>> {
  const out = new Map<string, ReturnType<typeof emptyFigures>>();
  if (!scope.communes.length) return out;
  const at = (key: string) => {
    let f = out.get(key);
    if (!f) out.set(key, (f = emptyFigures()));
    return f;
  };
  const keyExpr = by === 'commune' ? sql<string>`commune_code` : by === 'procedure' ? sql<string>`procedure_code` : by === 'week' ? sql<string>`(date_trunc('week', day)::date)::text` : sql<string>`''`;
  const sums = DOSSIER_COUNTERS.map((k) => sql<number>`coalesce(sum(${sql.ref(k)}), 0)::bigint`.as(k));
  let q = db
    .selectFrom('stats_daily')
    .select([keyExpr.as('key'), ...sums])
    .where('commune_code', 'in', scope.communes)
    .where('day', '>=', period.from)
    .where('day', '<=', period.to)
    .groupBy(sql`1`);
  if (scope.procedure) q = q.where('procedure_code', '=', scope.procedure);
  for (const r of await q.execute()) {
    const row = r as unknown as Record<string, unknown> & { key: string };
    addCounters(at(row.key).counters, Object.fromEntries(DOSSIER_COUNTERS.map((k) => [k, Number(row[k])])) as Partial<Counters>);
  }
  let t = db
    .selectFrom('stats_daily_time')
    .select([keyExpr.as('key'), 'wdays', sql<number>`sum(n)::bigint`.as('n')])
    .where('commune_code', 'in', scope.communes)
    .where('day', '>=', period.from)
    .where('day', '<=', period.to)
    .groupBy([sql`1`, 'wdays']);
  if (scope.procedure) t = t.where('procedure_code', '=', scope.procedure);
  for (const r of await t.execute()) {
    const h = at(r.key).histogram;
    h.set(Number(r.wdays), (h.get(Number(r.wdays)) ?? 0) + Number(r.n));
  }
  // Feedback has no procedure: it joins the commune, week and total views only.
  if (by !== 'procedure' && !scope.procedure) {
    const fsums = FEEDBACK_COUNTERS.map((k) => sql<number>`coalesce(sum(${sql.ref(k)}), 0)::bigint`.as(k));
    const rows = await db
      .selectFrom('stats_feedback_daily')
      .select([keyExpr.as('key'), ...fsums])
      .where('commune_code', 'in', scope.communes)
      .where('day', '>=', period.from)
      .where('day', '<=', period.to)
      .groupBy(sql`1`)
      .execute();
    for (const r of rows) {
      const row = r as unknown as Record<string, unknown> & { key: string };
      addCounters(at(row.key).counters, Object.fromEntries(FEEDBACK_COUNTERS.map((k) => [k, Number(row[k])])) as Partial<Counters>);
    }
  }
  return out;
}

export async function totalFigures(db: DbOrTx, scope: Scope, period: Period): Promise<Figures> {
  return (await figuresBy(db, scope, period, 'total')).get('') ?? emptyFigures();
}

export interface Offered {
  total: number;
  online: number;
  full: number;
}

/** Procedures each commune offers today (its overrides, else the commune-level procedures): the shared default counted once, then each commune's overrides. */
export async function offeredCounts(db: DbOrTx, communes: readonly string[]): Promise<Map<string, Offered>> {
  if (!communes.length) return new Map();
  const base = (
    await sql<{ total: number; online: number; full: number }>`
      select count(*)::int as total, count(*) filter (where online_level <> 'offline')::int as online, count(*) filter (where online_level = 'full')::int as full
      from procedure where removed_at is null and 'commune' = any(levels)`.execute(db)
  ).rows[0]!;
  const overrides = await sql<{ commune_code: string; offered: boolean; online_level: string; by_default: boolean }>`
    select cp.commune_code, cp.offered, p.online_level, 'commune' = any(p.levels) as by_default
    from commune_procedure cp join procedure p on p.code = cp.procedure_code
    where cp.commune_code in (${sql.join(communes)}) and p.removed_at is null and cp.offered <> ('commune' = any(p.levels))`.execute(db);
  const out = new Map<string, Offered>(communes.map((c) => [c, { total: Number(base.total), online: Number(base.online), full: Number(base.full) }]));
  for (const o of overrides.rows) {
    const x = out.get(o.commune_code)!;
    const d = o.offered ? 1 : -1;
    x.total += d;
    if (o.online_level !== 'offline') x.online += d;
    if (o.online_level === 'full') x.full += d;
  }
  return out;
}

export function sumOffered(values: Iterable<Offered>): Offered {
  const s = { total: 0, online: 0, full: 0 };
  for (const v of values) {
    s.total += v.total;
    s.online += v.online;
    s.full += v.full;
  }
  return s;
}

export function indexOf(figures: Figures, offered: Offered, period: Period): IndexResult {
  return computeIndex({ counters: figures.counters, offered }, versionFor(period.from));
}

export function provinceCommunes(province: string): string[] {
  return findProvince(province)?.communes.map((c) => c.code) ?? [];
}

export interface CommuneRow {
  code: string;
  name: string;
  figures: Figures;
  index: IndexResult;
}

/** Every commune of the province with dossiers or feedback in the period, worst index first. */
export async function communeRanking(db: DbOrTx, province: string, period: Period): Promise<CommuneRow[]> {
  const communes = provinceCommunes(province);
  const [by, offered] = await Promise.all([figuresBy(db, { communes }, period, 'commune'), offeredCounts(db, communes)]);
  const rows = [...by.entries()].map(([code, figures]) => ({
    code,
    name: findCommune(code)?.commune.name ?? code,
    figures,
    index: indexOf(figures, offered.get(code) ?? { total: 0, online: 0, full: 0 }, period),
  }));
  return rows.sort((a, b) => (a.index.score ?? 101) - (b.index.score ?? 101) || a.name.localeCompare(b.name, 'vi'));
}

export type DossierFilter = 'all' | 'late' | 'open';

export interface DossierListRow {
  id: string;
  code: string;
  day: string;
  status: number;
  dueDate: string | null;
  procDays: number | null;
  late: boolean;
  applicantName: string;
}

export const DOSSIER_PAGE = 100;

/** The dossiers behind a commune × procedure figure, a page at a time (through the drill-down index). */
export async function dossierList(db: DbOrTx, commune: string, procedure: string, period: Period, filter: DossierFilter, offset = 0): Promise<{ rows: DossierListRow[]; more: boolean }> {
  let q = db
    .selectFrom('stats_dossier as s')
    .innerJoin('dossier as d', (j) => j.onRef('d.commune_code', '=', 's.commune_code').onRef('d.id', '=', 's.dossier_id'))
    .select([
      'd.id',
      'd.code',
      sql<string>`s.day::text`.as('day'),
      'd.status',
      sql<string | null>`d.due_date::text`.as('due_date'),
      's.proc_days',
      sql<boolean>`(coalesce((s.counters->>'done_late')::int, 0) + coalesce((s.counters->>'open_overdue')::int, 0)) > 0`.as('late'),
      'd.applicant_name',
    ])
    .where('s.commune_code', '=', commune)
    .where('s.procedure_code', '=', procedure)
    .where('s.day', '>=', period.from)
    .where('s.day', '<=', period.to);
  if (filter === 'late') q = q.where(sql<boolean>`(coalesce((s.counters->>'done_late')::int, 0) + coalesce((s.counters->>'open_overdue')::int, 0)) > 0`);
  if (filter === 'open') q = q.where(sql<boolean>`(coalesce((s.counters->>'open_on_time')::int, 0) + coalesce((s.counters->>'open_overdue')::int, 0)) > 0`);
  const rows = await q.orderBy('s.day').orderBy('d.code').offset(offset).limit(DOSSIER_PAGE + 1).execute();
  return {
    rows: rows.slice(0, DOSSIER_PAGE).map((r) => ({ id: r.id, code: r.code, day: r.day, status: Number(r.status), dueDate: r.due_date, procDays: r.proc_days, late: Boolean(r.late), applicantName: r.applicant_name })),
    more: rows.length > DOSSIER_PAGE,
  };
}

export async function procedureName(db: DbOrTx, code: string): Promise<string | null> {
  const r = await db.selectFrom('procedure').select('name').where('code', '=', code).executeTakeFirst();
  return r?.name ?? null;
}

export async function procedureNames(db: DbOrTx, codes: readonly string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.selectFrom('procedure').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
