import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';
import type { Procedure } from './procedure.js';

export interface CatalogImportTable {
  id: Generated<number>;
  source: string;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  added: Generated<number>;
  changed: Generated<number>;
  removed: Generated<number>;
  unchanged: Generated<number>;
}

export interface ProcedureTable {
  code: string;
  version: number;
  name: string;
  field: string;
  field_code: string;
  levels: string[];
  life_events: string[];
  online_level: 'full' | 'partial' | 'offline';
  online_level_disputed: boolean;
  portal_updated_at: Timestamp;
  content_hash: string;
  removed_at: Timestamp | null;
}

export interface ProcedureVersionTable {
  code: string;
  version: number;
  content_hash: string;
  effective_from: Timestamp;
  effective_to: Timestamp | null;
  import_id: number | null;
  record: ColumnType<Procedure, string, string>;
}

export interface ProcedureChannelTable {
  code: string;
  version: number;
  channel: string;
  time_qty: number | null;
  time_unit: string | null;
  time_text: string;
  fees: ColumnType<unknown, string, string>;
}

export interface ProcedurePaperTable {
  code: string;
  version: number;
  case_no: number;
  position: number;
  case_name: string;
  is_note: boolean;
  name: string;
  originals: number;
  copies: number;
  forms: ColumnType<unknown, string, string>;
}

export interface ProcedureStepTable {
  code: string;
  version: number;
  position: number;
  text: string;
}

export interface CommuneProcedureTable {
  commune_code: string;
  procedure_code: string;
  offered: boolean;
  reason: string;
  changed_by: string | null;
  changed_at: CreatedAt;
}

declare module '../platform/db.js' {
  interface Database {
    catalog_import: CatalogImportTable;
    procedure: ProcedureTable;
    procedure_version: ProcedureVersionTable;
    procedure_channel: ProcedureChannelTable;
    procedure_paper: ProcedurePaperTable;
    procedure_step: ProcedureStepTable;
    commune_procedure: CommuneProcedureTable;
  }
}
