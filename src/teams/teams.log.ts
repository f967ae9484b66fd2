/**
 * The field log: one entry per visit or session in a village. Creation is
 * idempotent on a key the form carries (a retry on a flaky connection finds
 * the entry it already made); corrections keep the values they replace.
 */
import { sql } from 'kysely';
import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import type { FieldErrors } from '../platform/layout.js';
import { grantsAllow, type RoleGrant } from '../platform/permissions.js';
import { provinceOf } from '../units/units.js';
import { BACKDATE_DAYS, CORRECTION_DAYS, COUNT_FIELDS, addDays, todayVn, vnDate, type CountField, type LogValues } from './teams.schema.js';
import { memberOfUser } from './teams.store.js';
import type { Who } from './teams.service.js';

export interface LogEntry extends LogValues {
  id: number;
  authorId: string;
  authorName: string;
  teamId: number | null;
  teamName: string | null;
  villageName: string;
  createdAt: Date;
  updatedAt: Date | null;
  revision: number;
}

export interface Revision {
  revision: number;
  oldValues: Partial<LogValues>;
  changedAt: Date;
  changedByLabel: string;
  reason: string;
}

/** Someone signed in, as the log's rules need them. */
export interface LogActor extends Who {
  id: string;
  grants: readonly RoleGrant[];
}

const DATE_TEXT = sql<string>`to_char(e.visit_date, 'YYYY-MM-DD')`;

function entryQuery(db: DbOrTx, commune: string) {
  return db
    .selectFrom('team_log_entry as e')
    .innerJoin('team_village as v', (j) => j.onRef('v.commune_code', '=', 'e.commune_code').onRef('v.id', '=', 'e.village_id'))
    .leftJoin('team as t', (j) => j.onRef('t.commune_code', '=', 'e.commune_code').onRef('t.id', '=', 'e.team_id'))
    .innerJoin('app_user as u', 'u.id', 'e.author_id')
    .select([
      'e.id',
      'e.author_id',
      'u.full_name as author_name',
      'e.team_id',
      't.name as team_name',
      'e.village_id',
      'v.name as village_name',
      DATE_TEXT.as('visit_date'),
      'e.households_visited',
      'e.eid_activated',
      'e.accounts_created',
      'e.dossiers_submitted',
      'e.cashless_setup',
      'e.apps_installed',
      'e.training_attendees',
      'e.note',
      'e.created_at',
      'e.updated_at',
      'e.revision',
    ])
    .where('e.commune_code', '=', commune);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entryQuery>['execute']>>[number];

function toEntry(r: EntryRow): LogEntry {
  return {
    id: r.id,
    authorId: r.author_id,
    authorName: r.author_name,
    teamId: r.team_id,
    teamName: r.team_name ?? null,
    village_id: r.village_id,
    villageName: r.village_name,
    visit_date: r.visit_date,
    households_visited: r.households_visited,
    eid_activated: r.eid_activated,
    accounts_created: r.accounts_created,
    dossiers_submitted: r.dossiers_submitted,
    cashless_setup: r.cashless_setup,
    apps_installed: r.apps_installed,
    training_attendees: r.training_attendees,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    revision: r.revision,
  };
}

export async function getEntry(db: DbOrTx, commune: string, id: number): Promise<LogEntry | undefined> {
  const r = await entryQuery(db, commune).where('e.id', '=', id).executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

export async function listRevisions(db: DbOrTx, commune: string, entryId: number): Promise<Revision[]> {
  const rows = await db
    .selectFrom('team_log_revision')
    .select(['revision', 'old_values', 'changed_at', 'changed_by_label', 'reason'])
    .where('commune_code', '=', commune)
    .where('entry_id', '=', entryId)
    .orderBy('revision', 'desc')
    .execute();
  return rows.map((r) => ({ revision: r.revision, oldValues: r.old_values as Partial<LogValues>, changedAt: r.changed_at, changedByLabel: r.changed_by_label, reason: r.reason }));
}

// ---------------------------------------------------------------- who may do what

export interface Standing {
  official: boolean;
  /** The team the actor leads in this commune, if any. */
  leadsTeam: number | null;
  /** The actor's own team and village in this commune, if they are a member. */
  teamId: number | null;
  villageId: number | null;
}

export async function standing(db: DbOrTx, actor: LogActor, commune: string): Promise<Standing> {
  const member = await memberOfUser(db, commune, actor.id);
  return {
    official: grantsAllow(actor.grants, 'teams.manage', commune, provinceOf),
    leadsTeam: member?.role === 'leader' ? member.teamId : null,
    teamId: member?.teamId ?? null,
    villageId: member?.villageId ?? null,
  };
}

export function canView(entry: Pick<LogEntry, 'authorId' | 'teamId'>, actorId: string, s: Standing): boolean {
  return s.official || entry.authorId === actorId || (entry.teamId !== null && entry.teamId === s.leadsTeam);
}

export type CorrectionRight = { allowed: true; as: 'author' | 'leader' | 'official' } | { allowed: false; reason: string };

/** The author corrects for 7 days after recording; after that, the team leader or an official. */
export function correctionRight(entry: Pick<LogEntry, 'authorId' | 'teamId' | 'createdAt'>, actorId: string, s: Standing, now: Date): CorrectionRight {
  const withinWindow = now.getTime() - entry.createdAt.getTime() < CORRECTION_DAYS * 86_400_000;
  if (entry.authorId === actorId && withinWindow) return { allowed: true, as: 'author' };
  if (entry.teamId !== null && entry.teamId === s.leadsTeam) return { allowed: true, as: 'leader' };
  if (s.official) return { allowed: true, as: 'official' };
  if (entry.authorId === actorId) {
    return { allowed: false, reason: `Đã quá ${CORRECTION_DAYS} ngày kể từ khi ghi: nhờ tổ trưởng hoặc cán bộ xã sửa giúp.` };
  }
  return { allowed: false, reason: 'Chỉ người ghi, tổ trưởng hoặc cán bộ xã được sửa mục này.' };
}

/** Entries the actor may see, newest first: all for officials, the team's for a leader, one's own otherwise. */
export async function recentEntries(db: DbOrTx, commune: string, actorId: string, s: Standing, limit = 20): Promise<LogEntry[]> {
  let q = entryQuery(db, commune);
  if (!s.official) {
    q = q.where((eb) => (s.leadsTeam !== null ? eb.or([eb('e.author_id', '=', actorId), eb('e.team_id', '=', s.leadsTeam)]) : eb('e.author_id', '=', actorId)));
  }
  const rows = await q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

// ---------------------------------------------------------------- writes

async function checkValues(db: DbOrTx, commune: string, v: LogValues, earliest: string, today: string): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (v.visit_date > today) errors.visit_date = `Ngày đi không thể sau hôm nay (${vnDate(today)}): chọn lại ngày`;
  else if (v.visit_date < earliest) errors.visit_date = `Ngày đi quá xa: chỉ ghi được từ ngày ${vnDate(earliest)} trở đi`;
  const village = await db.selectFrom('team_village').select('id').where('commune_code', '=', commune).where('id', '=', v.village_id).executeTakeFirst();
  if (!village) errors.village_id = 'Chọn thôn, ấp hoặc tổ dân phố trong danh sách';
  return errors;
}

function counts(v: LogValues): Record<CountField, number> {
  return Object.fromEntries(COUNT_FIELDS.map((f) => [f, v[f]])) as Record<CountField, number>;
}

function sameValues(a: LogValues, b: LogValues): boolean {
  return a.visit_date === b.visit_date && a.village_id === b.village_id && a.note === b.note && COUNT_FIELDS.every((f) => a[f] === b[f]);
}

export type CreateOutcome = { ok: true; id: number; created: boolean; sameValues: boolean } | { ok: false; errors: FieldErrors } | { ok: false; conflict: true };

/**
 * Records a visit once per idempotency key: a second post with the same key
 * (a retry, a double tap, two tabs racing) returns the entry the first one made.
 */
export async function createEntry(db: Db, actor: LogActor, commune: string, key: string, v: LogValues, now = new Date()): Promise<CreateOutcome> {
  const today = todayVn(now.getTime());
  return db.transaction().execute(async (tx) => {
    const prior = await priorByKey(tx, commune, key);
    if (prior) return replay(prior, actor, v);
    const errors = await checkValues(tx, commune, v, addDays(today, -BACKDATE_DAYS), today);
    if (Object.keys(errors).length) return { ok: false, errors };
    const member = await memberOfUser(tx, commune, actor.id);
    // The insert comes before the audit lock: a concurrent twin waits here on the key, never on the lock.
    const row = await tx
      .insertInto('team_log_entry')
      .values({
        commune_code: commune,
        idempotency_key: key,
        author_id: actor.id,
        team_id: member?.teamId ?? null,
        village_id: v.village_id,
        visit_date: v.visit_date,
        ...counts(v),
        note: v.note,
        updated_at: null,
        updated_by: null,
      })
      .onConflict((oc) => oc.columns(['commune_code', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      const twin = await priorByKey(tx, commune, key);
      if (!twin) throw new Error('idempotency conflict without a row');
      return replay(twin, actor, v);
    }
    await appendAudit(tx, {
      actorId: actor.id,
      actorLabel: actor.label,
      unitCode: commune,
      action: 'teams.log_add',
      subjectType: 'team_log_entry',
      subjectId: `${commune}/${row.id}`,
      ip: actor.ip ?? null,
      detail: { visitDate: v.visit_date, villageId: v.village_id, ...counts(v) },
    });
    return { ok: true, id: row.id, created: true, sameValues: true };
  });
}

async function priorByKey(db: DbOrTx, commune: string, key: string) {
  const r = await entryQuery(db, commune)
    .where('e.idempotency_key', '=', key)
    .executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

function replay(prior: LogEntry, actor: LogActor, v: LogValues): CreateOutcome {
  // Someone else's key (a shared or copied form): never hand over their entry.
  if (prior.authorId !== actor.id) return { ok: false, conflict: true };
  return { ok: true, id: prior.id, created: false, sameValues: sameValues(prior, v) };
}

export type CorrectOutcome = { ok: true; revision: number } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true } | { ok: false; forbidden: string };

export async function correctEntry(db: Db, actor: LogActor, commune: string, id: number, v: LogValues, reason: string, now = new Date()): Promise<CorrectOutcome> {
  return db.transaction().execute(async (tx): Promise<CorrectOutcome> => {
    // Lock the row: two corrections at once must not both read revision n.
    const locked = await tx.selectFrom('team_log_entry').select('id').where('commune_code', '=', commune).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) return { ok: false, notFound: true };
    const entry = (await getEntry(tx, commune, id))!;
    const s = await standing(tx, actor, commune);
    if (!canView(entry, actor.id, s)) return { ok: false, notFound: true };
    const right = correctionRight(entry, actor.id, s, now);
    if (!right.allowed) return { ok: false, forbidden: right.reason };
    const created = todayVn(entry.createdAt.getTime());
    const errors = await checkValues(tx, commune, v, addDays(created, -BACKDATE_DAYS), todayVn(now.getTime()));
    if (Object.keys(errors).length) return { ok: false, errors };
    const old: LogValues = { visit_date: entry.visit_date, village_id: entry.village_id, note: entry.note, ...counts(entry) };
    const changed = (['visit_date', 'village_id', 'note', ...COUNT_FIELDS] as const).filter((f) => old[f] !== v[f]);
    if (changed.length === 0) return { ok: false, errors: { households_visited: 'Bạn chưa thay đổi gì: sửa số liệu cần sửa, hoặc quay lại' } };
    await tx
      .insertInto('team_log_revision')
      .values({ commune_code: commune, entry_id: id, revision: entry.revision, old_values: JSON.stringify(old), changed_by: actor.id, changed_by_label: actor.label, reason })
      .execute();
    await tx
      .updateTable('team_log_entry')
      .set({ village_id: v.village_id, visit_date: v.visit_date, ...counts(v), note: v.note, updated_at: now, updated_by: actor.id, revision: entry.revision + 1 })
      .where('commune_code', '=', commune)
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, {
      actorId: actor.id,
      actorLabel: actor.label,
      unitCode: commune,
      action: 'teams.log_correct',
      subjectType: 'team_log_entry',
      subjectId: `${commune}/${id}`,
      ip: actor.ip ?? null,
      detail: { as: right.as, reason, revision: entry.revision + 1, changed, before: Object.fromEntries(changed.map((f) => [f, old[f]])), after: Object.fromEntries(changed.map((f) => [f, v[f]])) },
    });
    return { ok: true, revision: entry.revision + 1 };
  });
}
