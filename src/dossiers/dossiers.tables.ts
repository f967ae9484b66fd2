import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';
import type { Stage, Status } from './workflow.js';

export interface StoredFileTable {
  sha256: string;
  size_bytes: number;
  mime: string;
  created_at: CreatedAt;
}

export interface DossierSequenceTable {
  agency_code: string;
  day: string;
  last: number;
}

/** A date column read as `YYYY-MM-DD` text (see the cast in the store). */
export type LocalDate = ColumnType<string, string, string>;

export interface DossierTable {
  commune_code: string;
  id: Generated<string>;
  code: string;
  procedure_code: string;
  procedure_version: number;
  case_no: Generated<number>;
  deciding_unit: string;
  applicant_id: string | null;
  applicant_name: string;
  applicant_phone: string | null;
  applicant_email: string | null;
  applicant_address: Generated<string>;
  channel: 'online' | 'counter' | 'field';
  assisted_by: string | null;
  consent_at: Timestamp | null;
  status: Status;
  stage: Generated<Stage>;
  previous_status: Status | null;
  previous_stage: Generated<Stage>;
  submitted_at: CreatedAt;
  received_at: Timestamp | null;
  working_days: number;
  due_date: LocalDate | null;
  assignee_id: string | null;
  idempotency_key: string | null;
  rating: number | null;
  rating_comment: string | null;
  version: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DossierEventTable {
  commune_code: string;
  dossier_id: string;
  seq: number;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor_id: string | null;
  actor_label: string;
  action: string;
  from_status: Status | null;
  to_status: Status;
  note: Generated<string>;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
  due_date: LocalDate | null;
}

export interface DossierPauseTable {
  commune_code: string;
  dossier_id: string;
  seq: number;
  paused_at: Timestamp;
  resumed_at: Timestamp | null;
  reason: string;
}

export interface DossierFileTable {
  commune_code: string;
  dossier_id: string;
  paper_no: number;
  sha256: string;
  file_name: string;
  attached_at: CreatedAt;
}

export interface DossierDraftTable {
  id: Generated<string>;
  owner_id: string;
  commune_code: string;
  procedure_code: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  files: ColumnType<Record<string, { sha256: string; fileName: string }[]>, string | undefined, string>;
  submitted_dossier: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module '../platform/db.js' {
  interface Database {
    stored_file: StoredFileTable;
    dossier_sequence: DossierSequenceTable;
    dossier: DossierTable;
    dossier_event: DossierEventTable;
    dossier_pause: DossierPauseTable;
    dossier_file: DossierFileTable;
    dossier_draft: DossierDraftTable;
  }
}
