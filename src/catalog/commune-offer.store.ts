/**
 * What a commune offers, and the catalog listings the public pages browse.
 * A commune offers every current commune-level procedure by default; only its
 * overrides (added or removed, with a reason) are stored in commune_procedure.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import './catalog.tables.js';
import type { Level, OnlineLevel } from './procedure.js';

/** The head of a procedure: enough for a list row. */
export interface ProcedureHead {
  code: string;
  name: string;
  field: string;
  levels: Level[];
  onlineLevel: OnlineLevel;
}

export interface Override {
  code: string;
  name: string;
  offered: boolean;
  reason: string;
  changedAt: Date;
}

/** Whether the commune offers a procedure, and why. */
export interface OfferState {
  procedure: ProcedureHead;
  offered: boolean;
  /** True when the procedure is commune-level (offered unless removed). */
  byDefault: boolean;
  override: { offered: boolean; reason: string; changedAt: Date } | null;
}

interface HeadRow {
  code: string;
  name: string;
  field: string;
  levels: string[];
  online_level: OnlineLevel;
}

function toHead(r: HeadRow): ProcedureHead {
  return { code: r.code, name: r.name, field: r.field, levels: r.levels as Level[], onlineLevel: r.online_level };
}

const HEAD_COLUMNS = ['p.code', 'p.name', 'p.field', 'p.levels', 'p.online_level'] as const;
const isCommuneLevel = sql<boolean>`'commune' = any(p.levels)`;

function currentHeads(db: DbOrTx) {
  return db.selectFrom('procedure as p').where('p.removed_at', 'is', null);
}

/** The commune's offer condition: its override if any, else whether the procedure is commune-level. */
function offeredBy(db: DbOrTx, commune: string) {
  return currentHeads(db)
    .leftJoin('commune_procedure as cp', (j) => j.onRef('cp.procedure_code', '=', 'p.code').on('cp.commune_code', '=', commune))
    .where(sql<SqlBool>`coalesce(cp.offered, ${isCommuneLevel})`);
}

// ---- Offers -------------------------------------------------------------

/** The procedures a commune offers, by field then name; a page of them, or all when `page` is absent. */
export async function listOffered(db: DbOrTx, commune: string, page?: { offset: number; limit: number }): Promise<ProcedureHead[]> {
  let q = offeredBy(db, commune).select(HEAD_COLUMNS).orderBy('p.field').orderBy('p.name').orderBy('p.code');
  if (page) q = q.offset(page.offset).limit(page.limit);
  return (await q.execute()).map(toHead);
}

export async function countOffered(db: DbOrTx, commune: string): Promise<number> {
  const r = await offeredBy(db, commune).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The codes a commune offers (for scoping a search to one commune). */
export async function offeredCodes(db: DbOrTx, commune: string): Promise<Set<string>> {
  const rows = await offeredBy(db, commune).select('p.code').execute();
  return new Set(rows.map((r) => r.code));
}

/** Whether a commune offers a current procedure; null when the code is unknown or removed. */
export async function offerState(db: DbOrTx, commune: string, code: string): Promise<OfferState | null> {
  const row = await currentHeads(db)
    .leftJoin('commune_procedure as cp', (j) => j.onRef('cp.procedure_code', '=', 'p.code').on('cp.commune_code', '=', commune))
    .select([...HEAD_COLUMNS, 'cp.offered', 'cp.reason', 'cp.changed_at'])
    .where('p.code', '=', code)
    .executeTakeFirst();
  if (!row) return null;
  const procedure = toHead(row);
  const byDefault = procedure.levels.includes('commune');
  const override = row.offered === null || row.offered === undefined ? null : { offered: row.offered, reason: row.reason ?? '', changedAt: new Date(row.changed_at!) };
  return { procedure, byDefault, override, offered: override ? override.offered : byDefault };
}

/** The commune's overrides, newest first. */
export async function listOverrides(db: DbOrTx, commune: string): Promise<Override[]> {
  const rows = await db
    .selectFrom('commune_procedure as cp')
    .innerJoin('procedure as p', 'p.code', 'cp.procedure_code')
    .select(['cp.procedure_code as code', 'p.name', 'cp.offered', 'cp.reason', 'cp.changed_at'])
    .where('cp.commune_code', '=', commune)
    .orderBy('cp.changed_at', 'desc')
    .orderBy('cp.procedure_code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, offered: r.offered, reason: r.reason, changedAt: new Date(r.changed_at) }));
}

/** Sets a commune's override (replacing any earlier one, so changed_at is the time of this change). Call inside a transaction. */
export async function upsertOverride(db: DbOrTx, o: { commune: string; code: string; offered: boolean; reason: string; changedBy: string | null }): Promise<void> {
  await deleteOverride(db, o.commune, o.code);
  await db.insertInto('commune_procedure').values({ commune_code: o.commune, procedure_code: o.code, offered: o.offered, reason: o.reason, changed_by: o.changedBy }).execute();
}

export async function deleteOverride(db: DbOrTx, commune: string, code: string): Promise<void> {
  await db.deleteFrom('commune_procedure').where('commune_code', '=', commune).where('procedure_code', '=', code).execute();
}

/**
 * Procedures whose code or name contains `text` (an official's search), with
 * exact and prefix code matches first.
 */
export async function searchHeads(db: DbOrTx, text: string, limit = 20): Promise<ProcedureHead[]> {
  const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const rows = await currentHeads(db)
    .select(HEAD_COLUMNS)
    .where((eb) => eb.or([eb('p.code', 'like', like), eb('p.name', 'ilike', like)]))
    .orderBy(sql`p.code = ${text}`, 'desc')
    .orderBy(sql`starts_with(p.code, ${text})`, 'desc')
    .orderBy('p.code')
    .limit(limit)
    .execute();
  return rows.map(toHead);
}

// ---- Catalog listings for the public browse pages ------------------------

export interface GroupCount {
  key: string;
  total: number;
  /** How many of them are commune-level. */
  commune: number;
}

/** Counts of current procedures per life event. */
export async function countByLifeEvent(db: DbOrTx): Promise<GroupCount[]> {
  const r = await sql<GroupCount>`
    select e as key, count(*)::int as total, count(*) filter (where 'commune' = any(p.levels))::int as commune
    from procedure p, unnest(p.life_events) as e
    where p.removed_at is null
    group by e`.execute(db);
  return r.rows;
}

/** Counts of current procedures per field name (lĩnh vực), as the portal spells it. */
export async function countByField(db: DbOrTx): Promise<GroupCount[]> {
  const r = await sql<GroupCount>`
    select p.field as key, count(*)::int as total, count(*) filter (where 'commune' = any(p.levels))::int as commune
    from procedure p
    where p.removed_at is null
    group by p.field`.execute(db);
  return r.rows;
}

export type ListFilter = { lifeEvent: string } | { fields: string[] };

function filterSql(filter: ListFilter): Expression<SqlBool> {
  if ('lifeEvent' in filter) return sql<SqlBool>`p.life_events @> array[${filter.lifeEvent}]::text[]`;
  return filter.fields.length ? sql<SqlBool>`p.field in (${sql.join(filter.fields)})` : sql<SqlBool>`false`;
}

/** A page of current procedures matching a filter, commune-level ones first. */
export async function listProcedures(db: DbOrTx, filter: ListFilter, page: { offset: number; limit: number }): Promise<ProcedureHead[]> {
  const rows = await currentHeads(db)
    .select(HEAD_COLUMNS)
    .where(filterSql(filter))
    .orderBy(isCommuneLevel, 'desc')
    .orderBy('p.name')
    .orderBy('p.code')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map(toHead);
}

export async function countProcedures(db: DbOrTx, filter: ListFilter): Promise<number> {
  const r = await currentHeads(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(filterSql(filter))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Whether a code names a current procedure (cheap: the head table only). */
export async function procedureExists(db: DbOrTx, code: string): Promise<boolean> {
  return !!(await currentHeads(db).select('p.code').where('p.code', '=', code).executeTakeFirst());
}
