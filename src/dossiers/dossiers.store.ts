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

export async function findDossierByCode(db: DbOrTx, code: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossier').select(COLUMNS).where('code', '=', code).executeTakeFirst() as Promise<DossierRow | undefined>;
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

export async function nextEventSeq(db: DbOrTx, communeCode: string, dossierId: string): Promise<number> {
  const r = await db
    .selectFrom('dossier_event')
    .select((eb) => eb.fn.coalesce(eb.fn.max('seq'), sql<number>`0`).as('n'))
    .where('commune_code', '=', communeCode)
    .where('dossier_id', '=', dossierId)
    .executeTakeFirstOrThrow();
  return Number(r.n) + 1;
}

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
  const seq = await nextEventSeq(db, e.communeCode, e.dossierId);
  await db
    .insertInto('dossier_event')
    .values({
      commune_code: e.communeCode,
      dossier_id: e.dossierId,
      seq,
      at: e.at,
      actor_id: e.actorId,
      actor_label: e.actorLabel,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      note: e.note ?? '',
      detail: JSON.stringify(e.detail ?? {}),
      due_date: e.dueDate,
    })
    .execute();
  return seq;
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
