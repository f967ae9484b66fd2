/**
 * Coverage and planning figures. Entries do not name households, so "households
 * reached" is the sum of households visited, capped at the village's household
 * count: an estimate, said as such on every page that shows it. Rates that
 * concern people (VNeID, online submissions) are given per 100 households,
 * since the registry knows households, not residents.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import { findCommune, findProvince } from '../units/units.js';
import { monthRange, todayVn } from './teams.schema.js';
import type { VillageKind } from './teams.tables.js';

export interface Figures {
  visits: number;
  householdsVisited: number;
  eid: number;
  accounts: number;
  dossiers: number;
  cashless: number;
  apps: number;
  sessions: number;
  trainees: number;
}

export interface VillageCoverage {
  id: number;
  name: string;
  kind: VillageKind;
  households: number | null;
  teams: number;
  members: number;
  /** Figures for the period asked for. */
  period: Figures;
  /** Cumulative, from the first entry up to the end of the period. */
  reached: number | null;
  coverage: number | null;
  eidPer100: number | null;
  onlinePer100: number | null;
}

const FIGURES = (from: string | null, to: string) => sql`
  count(*) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date)::int as visits,
  coalesce(sum(e.households_visited) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date), 0)::int as households_visited,
  coalesce(sum(e.eid_activated) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date), 0)::int as eid,
  coalesce(sum(e.accounts_created) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date), 0)::int as accounts,
  coalesce(sum(e.dossiers_submitted) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date), 0)::int as dossiers,
  coalesce(sum(e.cashless_setup) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date), 0)::int as cashless,
  coalesce(sum(e.apps_installed) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date), 0)::int as apps,
  count(*) filter (where e.training_attendees > 0 and e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date)::int as sessions,
  coalesce(sum(e.training_attendees) filter (where e.visit_date between ${from ?? '1900-01-01'}::date and ${to}::date), 0)::int as trainees,
  coalesce(sum(e.households_visited), 0)::int as cum_households,
  coalesce(sum(e.eid_activated), 0)::int as cum_eid,
  coalesce(sum(e.dossiers_submitted), 0)::int as cum_dossiers`;

interface FigureRow {
  visits: number;
  households_visited: number;
  eid: number;
  accounts: number;
  dossiers: number;
  cashless: number;
  apps: number;
  sessions: number;
  trainees: number;
  cum_households: number;
  cum_eid: number;
  cum_dossiers: number;
}

function figures(r: FigureRow): Figures {
  return {
    visits: r.visits,
    householdsVisited: r.households_visited,
    eid: r.eid,
    accounts: r.accounts,
    dossiers: r.dossiers,
    cashless: r.cashless,
    apps: r.apps,
    sessions: r.sessions,
    trainees: r.trainees,
  };
}

function ratios(households: number | null, cum: { households: number; eid: number; dossiers: number }) {
  if (households === null || households === 0) return { reached: households === 0 ? 0 : null, coverage: null, eidPer100: null, onlinePer100: null };
  const reached = Math.min(cum.households, households);
  return { reached, coverage: reached / households, eidPer100: (cum.eid * 100) / households, onlinePer100: (cum.dossiers * 100) / households };
}

/** Per village: figures for [from, to] and cumulative coverage up to `to` (both `YYYY-MM-DD`; from null = since the start). */
export async function villageCoverage(db: DbOrTx, commune: string, range: { from: string | null; to: string }): Promise<VillageCoverage[]> {
  const r = await sql<FigureRow & { id: number; name: string; kind: VillageKind; households: number | null; teams: number; members: number }>`
    select v.id, v.name, v.kind, v.households,
      (select count(*)::int from team t where t.commune_code = v.commune_code and t.village_id = v.id) as teams,
      (select count(*)::int from team_member m join team t on t.commune_code = m.commune_code and t.id = m.team_id
        where m.commune_code = v.commune_code and t.village_id = v.id and m.left_at is null) as members,
      ${FIGURES(range.from, range.to)}
    from team_village v
    left join team_log_entry e on e.commune_code = v.commune_code and e.village_id = v.id and e.visit_date <= ${range.to}::date
    where v.commune_code = ${commune}
    group by v.commune_code, v.id, v.name, v.kind, v.households, v.name_key
    order by v.name_key`.execute(db);
  return r.rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    households: row.households,
    teams: row.teams,
    members: row.members,
    period: figures(row),
    ...ratios(row.households, { households: row.cum_households, eid: row.cum_eid, dossiers: row.cum_dossiers }),
  }));
}

/** Lowest coverage first (then fewest VNeID activations); villages without a household count apart, to be filled in. */
export function lagOrder(villages: VillageCoverage[]): { ranked: VillageCoverage[]; unknown: VillageCoverage[] } {
  const ranked = villages
    .filter((v) => v.coverage !== null)
    .sort((a, b) => a.coverage! - b.coverage! || a.eidPer100! - b.eidPer100! || a.name.localeCompare(b.name, 'vi'));
  return { ranked, unknown: villages.filter((v) => v.coverage === null) };
}

export interface Totals extends Figures {
  villages: number;
  households: number;
  /** Households of villages whose count is known: the denominator of the rates. */
  householdsKnown: number;
  reached: number;
  coverage: number | null;
  eidPer100: number | null;
  onlinePer100: number | null;
  teams: number;
  members: number;
}

export function totals(villages: VillageCoverage[]): Totals {
  const sum = (f: (v: VillageCoverage) => number) => villages.reduce((s, v) => s + f(v), 0);
  const known = villages.filter((v) => v.households !== null && v.households > 0);
  const householdsKnown = known.reduce((s, v) => s + v.households!, 0);
  const reached = known.reduce((s, v) => s + (v.reached ?? 0), 0);
  const cumEid = known.reduce((s, v) => s + (v.eidPer100 ?? 0) * v.households!, 0) / 100;
  const cumOnline = known.reduce((s, v) => s + (v.onlinePer100 ?? 0) * v.households!, 0) / 100;
  return {
    villages: villages.length,
    households: sum((v) => v.households ?? 0),
    householdsKnown,
    reached,
    coverage: householdsKnown ? reached / householdsKnown : null,
    eidPer100: householdsKnown ? (cumEid * 100) / householdsKnown : null,
    onlinePer100: householdsKnown ? (cumOnline * 100) / householdsKnown : null,
    teams: sum((v) => v.teams),
    members: sum((v) => v.members),
    visits: sum((v) => v.period.visits),
    householdsVisited: sum((v) => v.period.householdsVisited),
    eid: sum((v) => v.period.eid),
    accounts: sum((v) => v.period.accounts),
    dossiers: sum((v) => v.period.dossiers),
    cashless: sum((v) => v.period.cashless),
    apps: sum((v) => v.period.apps),
    sessions: sum((v) => v.period.sessions),
    trainees: sum((v) => v.period.trainees),
  };
}

export interface MonthlyReport {
  communeCode: string;
  communeName: string;
  provinceName: string;
  month: string;
  from: string;
  to: string;
  generatedOn: string;
  villages: VillageCoverage[];
  lagging: VillageCoverage[];
  unknown: VillageCoverage[];
  totals: Totals;
}

/** A commune's month: what the teams did in it, and coverage at its end (or today, for the current month). */
export async function monthlyReport(db: DbOrTx, commune: string, month: string, now = Date.now()): Promise<MonthlyReport> {
  const { from, to: monthEnd } = monthRange(month);
  const today = todayVn(now);
  const to = monthEnd < today ? monthEnd : today;
  const villages = await villageCoverage(db, commune, { from, to });
  const { ranked, unknown } = lagOrder(villages);
  const unit = findCommune(commune);
  return {
    communeCode: commune,
    communeName: unit?.commune.name ?? commune,
    provinceName: unit?.province.name ?? '',
    month,
    from,
    to: monthEnd,
    generatedOn: today,
    villages,
    lagging: ranked,
    unknown,
    totals: totals(villages),
  };
}

export interface CommuneRollup {
  code: string;
  name: string;
  villages: number;
  households: number;
  reached: number;
  coverage: number | null;
  eidPer100: number | null;
  onlinePer100: number | null;
  teams: number;
  members: number;
  monthVisits: number;
  monthEid: number;
  monthDossiers: number;
}

/** Every commune of a province that has a registry, lowest coverage first. */
export async function provinceRollup(db: DbOrTx, province: string, month: string, now = Date.now()): Promise<{ communes: CommuneRollup[]; without: number; name: string }> {
  const { from, to: monthEnd } = monthRange(month);
  const today = todayVn(now);
  const to = monthEnd < today ? monthEnd : today;
  const r = await sql<{
    commune_code: string;
    villages: number;
    households: number;
    known: number;
    reached: number;
    cum_eid: number;
    cum_dossiers: number;
    month_visits: number;
    month_eid: number;
    month_dossiers: number;
    teams: number;
    members: number;
  }>`
    with per_village as (
      select v.commune_code, v.id, v.households,
        coalesce(sum(e.households_visited), 0)::int as hv,
        coalesce(sum(e.eid_activated), 0)::int as eid,
        coalesce(sum(e.dossiers_submitted), 0)::int as dossiers,
        count(e.id) filter (where e.visit_date >= ${from}::date)::int as month_visits,
        coalesce(sum(e.eid_activated) filter (where e.visit_date >= ${from}::date), 0)::int as month_eid,
        coalesce(sum(e.dossiers_submitted) filter (where e.visit_date >= ${from}::date), 0)::int as month_dossiers
      from team_village v
      join commune c on c.code = v.commune_code and c.province_code = ${province}
      left join team_log_entry e on e.commune_code = v.commune_code and e.village_id = v.id and e.visit_date <= ${to}::date
      group by v.commune_code, v.id, v.households
    )
    select p.commune_code,
      count(*)::int as villages,
      coalesce(sum(p.households), 0)::int as households,
      coalesce(sum(p.households) filter (where p.households > 0), 0)::int as known,
      coalesce(sum(least(p.hv, p.households)) filter (where p.households > 0), 0)::int as reached,
      coalesce(sum(p.eid) filter (where p.households > 0), 0)::int as cum_eid,
      coalesce(sum(p.dossiers) filter (where p.households > 0), 0)::int as cum_dossiers,
      sum(p.month_visits)::int as month_visits,
      sum(p.month_eid)::int as month_eid,
      sum(p.month_dossiers)::int as month_dossiers,
      (select count(*)::int from team t where t.commune_code = p.commune_code) as teams,
      (select count(*)::int from team_member m where m.commune_code = p.commune_code and m.left_at is null) as members
    from per_village p
    group by p.commune_code`.execute(db);
  const prov = findProvince(province);
  const communes = r.rows.map((row) => ({
    code: row.commune_code,
    name: findCommune(row.commune_code)?.commune.name ?? row.commune_code,
    villages: row.villages,
    households: row.households,
    reached: row.reached,
    coverage: row.known ? row.reached / row.known : null,
    eidPer100: row.known ? (row.cum_eid * 100) / row.known : null,
    onlinePer100: row.known ? (row.cum_dossiers * 100) / row.known : null,
    teams: row.teams,
    members: row.members,
    monthVisits: row.month_visits,
    monthEid: row.month_eid,
    monthDossiers: row.month_dossiers,
  }));
  communes.sort((a, b) => (a.coverage ?? -1) - (b.coverage ?? -1) || a.name.localeCompare(b.name, 'vi'));
  return { communes, without: (prov?.communes.length ?? 0) - communes.length, name: prov?.name ?? province };
}

export function percent(x: number | null, digits = 0): string {
  if (x === null) return '—';
  return `${(x * 100).toLocaleString('vi-VN', { maximumFractionDigits: digits, minimumFractionDigits: digits })}%`;
}

export function per100(x: number | null): string {
  return x === null ? '—' : x.toLocaleString('vi-VN', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}
