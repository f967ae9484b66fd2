/**
 * SQL for the back office: queue pages, queue counts, dossier lookups by unit
 * or id, and the officials a dossier can be assigned to.
 *
 * Queue pages are keyset-paginated by (due_date, code). Each queue is a union
 * of small index range scans, one per (status, source, dated or not), each cut
 * at the page size: dossier_queue_idx (commune_code, status, due_date), and
 * dossier_undated_idx (commune_code, status, code) for dossiers without a due
 * date. So a page costs about the same on the first page and the thousandth,
 * with 100,000 dossiers in the commune. Codes compare byte-wise (collate "C"):
 * one order in every part and every locale, and the planner cannot trade the
 * queue index for a walk along the unique index on code (fine on a test
 * database, a scan of every commune's dossiers on a national one).
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../../platform/db.js';
import '../../platform/tables.js';
import '../dossiers.tables.js';
import type { DossierRow } from '../dossiers.store.js';
import { RISK_MIN_WORKING_DAYS } from '../deadline.js';
import { CLOCK_RUNNING, type Stage, type Status } from '../workflow.js';
import { ACTIVE_STATUSES, type Branch, type Cursor, type DeadlineWindow, type UnitCountGroup } from './queues.js';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface QueueItem {
  commune_code: string;
  id: string;
  code: string;
  procedure_code: string;
  procedure_name: string | null;
  status: Status;
  stage: Stage;
  due_date: string | null;
  working_days: number;
  deciding_unit: string;
  assignee_id: string | null;
  submitted_at: Date;
  received_at: Date | null;
  channel: 'online' | 'counter' | 'field';
}

const ITEM_COLUMNS = sql`commune_code, id, code, procedure_code, status, stage, due_date, working_days, deciding_unit, assignee_id, submitted_at, received_at, channel`;

/**
 * Received here (dossier_queue_idx), or decided here but received elsewhere
 * (Decree 118/2025; dossier_routed_idx, whose predicate is repeated so the planner may use it).
 */
function fromUnit(unit: string, routed: boolean): RawBuilder<unknown> {
  return routed ? sql`deciding_unit = ${unit} and deciding_unit <> commune_code` : sql`commune_code = ${unit}`;
}

function branchFilter(b: Branch, mine: string | null): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`status = ${b.status}`];
  if (b.stage !== undefined) parts.push(sql`stage = ${b.stage}`);
  if (mine) parts.push(sql`assignee_id = ${mine}`);
  if (b.dueFrom) parts.push(sql`due_date >= ${b.dueFrom}`);
  if (b.dueTo) parts.push(sql`due_date <= ${b.dueTo}`);
  if (b.minWorkingDays !== undefined) parts.push(sql`working_days >= ${b.minWorkingDays}`);
  return sql.join(parts, sql` and `);
}

export interface QueuePage {
  items: QueueItem[];
  next: Cursor | null;
}

export interface QueueOptions {
  cursor: Cursor | null;
  limit: number;
  /** Only dossiers assigned to this official. */
  mine: string | null;
}

/**
 * The page query (limit + 1 rows, to know whether there is a next page), with
 * each row's procedure name joined after the limit (one round trip, at most
 * limit + 1 look-ups); exported so tests can EXPLAIN it.
 */
export function queueQuery(unit: string, queue: readonly Branch[], opts: QueueOptions): RawBuilder<QueueItem> | null {
  const take = opts.limit + 1;
  const parts: RawBuilder<unknown>[] = [];
  for (const routed of [false, true]) {
    for (const b of queue) {
      const where = sql`${fromUnit(unit, routed)} and ${branchFilter(b, opts.mine)}`;
      // Dated part: a row comparison the index can seek to (due_date >= cursor day), then rechecked.
      if (!opts.cursor || opts.cursor.d !== null) {
        const after = opts.cursor ? sql`(due_date, code collate "C") > (${opts.cursor.d}::date, ${opts.cursor.c})` : sql`due_date is not null`;
        parts.push(sql`(select ${ITEM_COLUMNS} from dossier where ${where} and ${after} order by due_date, code collate "C" limit ${take})`);
      }
      // Undated part (the deadline queues have none): after every dated row.
      if (!b.dueFrom && !b.dueTo) {
        const after = opts.cursor?.d === null ? sql`due_date is null and code collate "C" > ${opts.cursor.c}` : sql`due_date is null`;
        parts.push(sql`(select ${ITEM_COLUMNS} from dossier where ${where} and ${after} order by code collate "C" limit ${take})`);
      }
    }
  }
  if (parts.length === 0) return null;
  return sql<QueueItem>`
    select q.*, p.name as procedure_name from (
      select * from (${sql.join(parts, sql` union all `)}) u
      order by due_date, code collate "C"
      limit ${take}
    ) q
    left join procedure p on p.code = q.procedure_code
    order by q.due_date, q.code collate "C"`;
}

/** One page of a queue after `cursor`, in (due date, code) order; null due dates (clock not started or paused) last. */
export async function queuePage(db: DbOrTx, unit: string, queue: readonly Branch[], opts: QueueOptions): Promise<QueuePage> {
  const query = queueQuery(unit, queue, opts);
  if (!query) return { items: [], next: null };
  const rows = (await query.execute(db)).rows;
  const hasMore = rows.length > opts.limit;
  const items = hasMore ? rows.slice(0, opts.limit) : rows;
  const last = items.at(-1);
  return { items, next: hasMore && last ? { d: last.due_date, c: last.code } : null };
}

/**
 * Every queue's count in one grouped query over the unit's open dossiers, by
 * assignee rather than "assigned to me", so one result serves every official
 * of the unit (queue-counts.ts caches it). The two sources are a UNION ALL,
 * not an OR, so each keeps its own index (an OR let the planner scan every
 * commune's open dossiers by status).
 */
export function queueCountQuery(unit: string, w: DeadlineWindow): RawBuilder<UnitCountGroup> {
  const active = sql.join([...ACTIVE_STATUSES]);
  const running = sql.join([...CLOCK_RUNNING]);
  return sql<UnitCountGroup>`
    select status, stage, assignee_id,
      case when status in (${running}) and due_date < ${w.today}::date then 'overdue'
           when status in (${running}) and due_date = ${w.today}::date then 'at_risk'
           when status in (${running}) and due_date <= ${w.riskEnd}::date and working_days >= ${RISK_MIN_WORKING_DAYS} then 'at_risk'
           else '' end as deadline,
      count(*)::int as n
    from (
      select status, stage, assignee_id, due_date, working_days from dossier where ${fromUnit(unit, false)} and status in (${active})
      union all
      select status, stage, assignee_id, due_date, working_days from dossier where ${fromUnit(unit, true)} and status in (${active})
    ) d
    group by 1, 2, 3, 4`;
}

export async function unitCountGroups(db: DbOrTx, unit: string, w: DeadlineWindow): Promise<UnitCountGroup[]> {
  const r = await queueCountQuery(unit, w).execute(db);
  return r.rows.map((g) => ({ ...g, n: Number(g.n) }));
}

export type FullDossier = DossierRow & { consent_at: Date | null; idempotency_key: string | null; rating_comment: string | null };

/** A dossier this unit received or decides; undefined for any other (and for a malformed id). */
export async function findForUnit(db: DbOrTx, unit: string, id: string): Promise<FullDossier | undefined> {
  if (!UUID_RE.test(id)) return undefined;
  return (await db
    .selectFrom('dossier')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('commune_code', '=', unit), eb('deciding_unit', '=', unit)]))
    .executeTakeFirst()) as FullDossier | undefined;
}

/** A dossier by id alone (dossier_id_idx), for the API. */
export async function findById(db: DbOrTx, id: string): Promise<FullDossier | undefined> {
  if (!UUID_RE.test(id)) return undefined;
  return (await db.selectFrom('dossier').selectAll().where('id', '=', id).executeTakeFirst()) as FullDossier | undefined;
}

export interface Official {
  id: string;
  full_name: string;
}

/** The specialists of a unit: whom a dossier it decides may be assigned to. */
export async function specialistsOf(db: DbOrTx, unit: string): Promise<Official[]> {
  return db
    .selectFrom('staff_role as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .select(['u.id', 'u.full_name'])
    .where('r.role', '=', 'specialist')
    .where('r.unit_code', '=', unit)
    .orderBy('u.full_name')
    .orderBy('u.id')
    .execute();
}

export async function isSpecialistOf(db: DbOrTx, userId: string, unit: string): Promise<boolean> {
  if (!UUID_RE.test(userId)) return false;
  const row = await db.selectFrom('staff_role').select('user_id').where('user_id', '=', userId).where('role', '=', 'specialist').where('unit_code', '=', unit).executeTakeFirst();
  return row !== undefined;
}

export async function userName(db: DbOrTx, id: string | null): Promise<string | null> {
  if (!id) return null;
  const row = await db.selectFrom('app_user').select('full_name').where('id', '=', id).executeTakeFirst();
  return row?.full_name ?? null;
}

export async function fileOf(db: DbOrTx, d: Pick<DossierRow, 'commune_code' | 'id'>, sha256: string) {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  return db
    .selectFrom('dossier_file as f')
    .innerJoin('stored_file as s', 's.sha256', 'f.sha256')
    .select(['f.paper_no', 'f.sha256', 'f.file_name', 's.mime', 's.size_bytes'])
    .where('f.commune_code', '=', d.commune_code)
    .where('f.dossier_id', '=', d.id)
    .where('f.sha256', '=', sha256)
    .orderBy('f.paper_no')
    .executeTakeFirst();
}
