import { sql } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import './dossiers.tables.js';
import type { Stage, Status } from './workflow.js';

/** A well-formed UUID: anything else never reaches the database (it would fail the cast). */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DossierRow {
  commune_code: string;
  id: string;
  code: string;
  procedure_code: string;
  procedure_version: number;
  case_no: number;
  deciding_unit: string;
  applicant_id: string | null;
  applicant_name: string;
  applicant_phone: string | null;
  applicant_email: string | null;
  applicant_address: string;
  channel: 'online' | 'counter' | 'field';
  assisted_by: string | null;
  status: Status;
  stage: Stage;
  previous_status: Status | null;
  previous_stage: Stage;
  submitted_at: Date;
  received_at: Date | null;
  working_days: number;
  due_date: string | null;
  assignee_id: string | null;
  rating: number | null;
  version: number;
  updated_at: Date;
}

const COLUMNS = [
  'commune_code',
  'id',
  'code',
  'procedure_code',
  'procedure_version',
  'case_no',
  'deciding_unit',
  'applicant_id',
  'applicant_name',
  'applicant_phone',
  'applicant_email',
  'applicant_address',
  'channel',
  'assisted_by',
  'status',
  'stage',
  'previous_status',
  'previous_stage',
  'submitted_at',
  'received_at',
  'working_days',
  'due_date',
  'assignee_id',
  'rating',
  'version',
  'updated_at',
] as const;

export async function findDossier(db: DbOrTx, communeCode: string, id: string, forUpdate = false): Promise<DossierRow | undefined> {
  if (!UUID_RE.test(id)) return undefined;
  let q = db.selectFrom('dossier').select(COLUMNS).where('commune_code', '=', communeCode).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst() as Promise<DossierRow | undefined>;
}

/** What the public look-up shows: the dossier, its procedure's name, and its history. */
export interface TrackedDossier {
  dossier: DossierRow;
  procedureName: string | null;
  events: DossierEvent[];
}

type EventJson = Omit<DossierEvent, 'at'> & { at: string };

/**
 * The look-up by code (the busiest public read: a QR code on every receipt),
 * for several codes in one round trip: each row, the procedure's name, and the
 * events as one JSON array.
 */
export async function findTrackedDossiers(db: DbOrTx, codes: readonly string[]): Promise<Map<string, TrackedDossier>> {
  const rows = await db
    .selectFrom('dossier as d')
    .select(COLUMNS.map((c) => `d.${c}` as const))
    // The current name (names hardly change between versions; reading the version's record would detoast it whole).
    .select(sql<string | null>`(select p.name from procedure p where p.code = d.procedure_code)`.as('procedure_name'))
    .select(
      sql<EventJson[]>`coalesce((select json_agg(json_build_object(
          'seq', e.seq, 'at', e.at, 'actor_label', e.actor_label, 'actor_id', e.actor_id, 'action', e.action,
          'from_status', e.from_status, 'to_status', e.to_status, 'note', e.note, 'detail', e.detail, 'due_date', e.due_date) order by e.seq)
        from dossier_event e where e.commune_code = d.commune_code and e.dossier_id = d.id), '[]'::json)`.as('events'),
    )
    .where('d.code', '=', sql<string>`any(${[...codes]}::text[])`)
    .execute();
  return new Map(
    rows.map(({ procedure_name, events, ...dossier }) => [
      dossier.code,
      { dossier: dossier as unknown as DossierRow, procedureName: procedure_name, events: events.map((e) => ({ ...e, at: new Date(e.at) })) },
    ]),
  );
}

export async function findByIdempotencyKey(db: DbOrTx, communeCode: string, key: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossier').select(COLUMNS).where('commune_code', '=', communeCode).where('idempotency_key', '=', key).executeTakeFirst() as Promise<
    DossierRow | undefined
  >;
}

/** Next number in the agency's daily sequence (atomic: concurrent intakes get distinct numbers). */
export async function nextSequence(db: DbOrTx, agencyCode: string, day: string): Promise<number> {
  const r = await sql<{ last: number }>`
    insert into dossier_sequence (agency_code, day, last) values (${agencyCode}, ${day}, 1)
    on conflict (agency_code, day) do update set last = dossier_sequence.last + 1
    returning last`.execute(db);
  return r.rows[0]!.last;
}

/** Appends an event numbered after the dossier's last one (callers hold the dossier row, or created it). */
export async function insertEvent(
  db: DbOrTx,
  e: {
    communeCode: string;
    dossierId: string;
    at: Date;
    actorId: string | null;
    actorLabel: string;
    action: string;
    from: Status | null;
    to: Status;
    note?: string;
    detail?: Record<string, unknown>;
    dueDate: string | null;
  },
): Promise<number> {
  // Numbering and insert in one statement: one round trip on every action.
  const r = await sql<{ seq: number }>`
    insert into dossier_event (commune_code, dossier_id, seq, at, actor_id, actor_label, action, from_status, to_status, note, detail, due_date)
    select ${e.communeCode}, ${e.dossierId}::uuid, coalesce(max(seq), 0) + 1, ${e.at}::timestamptz, ${e.actorId}::uuid, ${e.actorLabel}, ${e.action},
      ${e.from}::smallint, ${e.to}::smallint, ${e.note ?? ''}, ${JSON.stringify(e.detail ?? {})}::jsonb, ${e.dueDate}::date
    from dossier_event where commune_code = ${e.communeCode} and dossier_id = ${e.dossierId}::uuid
    returning seq`.execute(db);
  return Number(r.rows[0]!.seq);
}

export interface DossierEvent {
  seq: number;
  at: Date;
  actor_label: string;
  actor_id: string | null;
  action: string;
  from_status: Status | null;
  to_status: Status;
  note: string;
  detail: Record<string, unknown>;
  due_date: string | null;
}

export async function listEvents(db: DbOrTx, communeCode: string, dossierId: string): Promise<DossierEvent[]> {
  return db
    .selectFrom('dossier_event')
    .select(['seq', 'at', 'actor_label', 'actor_id', 'action', 'from_status', 'to_status', 'note', 'detail', 'due_date'])
    .where('commune_code', '=', communeCode)
    .where('dossier_id', '=', dossierId)
    .orderBy('seq')
    .execute() as Promise<DossierEvent[]>;
}

export async function listPauses(db: DbOrTx, communeCode: string, dossierId: string) {
  return db.selectFrom('dossier_pause').selectAll().where('commune_code', '=', communeCode).where('dossier_id', '=', dossierId).orderBy('seq').execute();
}

export async function listFiles(db: DbOrTx, communeCode: string, dossierId: string) {
  return db
    .selectFrom('dossier_file as f')
    .innerJoin('stored_file as s', 's.sha256', 'f.sha256')
    .select(['f.paper_no', 'f.sha256', 'f.file_name', 's.size_bytes', 's.mime'])
    .where('f.commune_code', '=', communeCode)
    .where('f.dossier_id', '=', dossierId)
    .orderBy('f.paper_no')
    .execute();
}

/** The applicant's own dossier, locked for a change; undefined for anyone else's (and for a malformed id). */
export async function lockOwnDossier(tx: DbOrTx, id: string, applicantId: string): Promise<DossierRow | undefined> {
  if (!UUID_RE.test(id)) return undefined;
  return (await tx
    .selectFrom('dossier')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('applicant_id', '=', applicantId)
    .forUpdate()
    .executeTakeFirst()) as DossierRow | undefined;
}

/** Adds a file to a dossier's paper at `at` (the app's clock, like the events it is compared with); the same file twice is one. */
export async function addFile(tx: DbOrTx, d: Pick<DossierRow, 'commune_code' | 'id'>, f: { paperNo: number; sha256: string; fileName: string }, at: Date): Promise<void> {
  await tx
    .insertInto('dossier_file')
    .values({ commune_code: d.commune_code, dossier_id: d.id, paper_no: f.paperNo, sha256: f.sha256, file_name: f.fileName.slice(0, 200), attached_at: at })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** A change that moves no status: the version goes up (pages and caches see it), with the fields given. */
export async function bumpVersion(
  tx: DbOrTx,
  d: Pick<DossierRow, 'commune_code' | 'id' | 'version'>,
  at: Date,
  set: { rating?: number; rating_comment?: string | null } = {},
): Promise<DossierRow> {
  return (await tx
    .updateTable('dossier')
    .set({ ...set, version: d.version + 1, updated_at: at })
    .where('commune_code', '=', d.commune_code)
    .where('id', '=', d.id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()) as unknown as DossierRow;
}
