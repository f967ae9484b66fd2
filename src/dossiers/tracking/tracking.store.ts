/**
 * What citizens read about their own dossiers: the list, one dossier and its
 * papers (their changes go through dossiers.service.ts). Every query is
 * scoped to the applicant: someone else's dossier does not exist here.
 */
import type { DbOrTx } from '../../platform/db.js';
import type { DossierRow } from '../dossiers.store.js';
import '../dossiers.tables.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OwnDossier extends DossierRow {
  rating_comment: string | null;
  procedure_name: string;
}

const COLUMNS = [
  'd.commune_code',
  'd.id',
  'd.code',
  'd.procedure_code',
  'd.procedure_version',
  'd.case_no',
  'd.deciding_unit',
  'd.applicant_id',
  'd.applicant_name',
  'd.applicant_phone',
  'd.applicant_email',
  'd.applicant_address',
  'd.channel',
  'd.assisted_by',
  'd.status',
  'd.stage',
  'd.previous_status',
  'd.previous_stage',
  'd.submitted_at',
  'd.received_at',
  'd.working_days',
  'd.due_date',
  'd.assignee_id',
  'd.rating',
  'd.rating_comment',
  'd.version',
  'd.updated_at',
] as const;

export async function findOwnDossier(db: DbOrTx, id: string, applicantId: string): Promise<OwnDossier | undefined> {
  if (!UUID.test(id)) return undefined;
  return db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.code', 'd.procedure_code')
    .select([...COLUMNS, 'p.name as procedure_name'])
    .where('d.id', '=', id)
    .where('d.applicant_id', '=', applicantId)
    .executeTakeFirst() as Promise<OwnDossier | undefined>;
}

export interface OwnDossierItem {
  id: string;
  code: string;
  procedure_name: string;
  status: DossierRow['status'];
  due_date: string | null;
  submitted_at: Date;
  commune_code: string;
}

/** The applicant's dossiers, newest first. */
export async function listOwnDossiers(db: DbOrTx, applicantId: string, limit = 100): Promise<OwnDossierItem[]> {
  return db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.code', 'd.procedure_code')
    .select(['d.id', 'd.code', 'p.name as procedure_name', 'd.status', 'd.due_date', 'd.submitted_at', 'd.commune_code'])
    .where('d.applicant_id', '=', applicantId)
    .orderBy('d.submitted_at', 'desc')
    .limit(limit)
    .execute() as Promise<OwnDossierItem[]>;
}

export interface AttachedFile {
  paper_no: number;
  file_name: string;
  size_bytes: number;
  attached_at: Date;
}

export async function listAttached(db: DbOrTx, communeCode: string, dossierId: string): Promise<AttachedFile[]> {
  return db
    .selectFrom('dossier_file as f')
    .innerJoin('stored_file as s', 's.sha256', 'f.sha256')
    .select(['f.paper_no', 'f.file_name', 's.size_bytes', 'f.attached_at'])
    .where('f.commune_code', '=', communeCode)
    .where('f.dossier_id', '=', dossierId)
    .orderBy('f.attached_at')
    .orderBy('f.paper_no')
    .execute();
}

/** When the open pause (supplement awaited) began; null when the clock is not paused. */
export async function openPauseSince(db: DbOrTx, communeCode: string, dossierId: string): Promise<Date | null> {
  const r = await db
    .selectFrom('dossier_pause')
    .select('paused_at')
    .where('commune_code', '=', communeCode)
    .where('dossier_id', '=', dossierId)
    .where('resumed_at', 'is', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.paused_at ?? null;
}

/** The latest supplement request (when the dossier was not yet received there is no pause row). */
export async function supplementRequestedAt(db: DbOrTx, communeCode: string, dossierId: string): Promise<Date | null> {
  const r = await db
    .selectFrom('dossier_event')
    .select('at')
    .where('commune_code', '=', communeCode)
    .where('dossier_id', '=', dossierId)
    .where('action', '=', 'request_supplement')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.at ?? null;
}
