import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';

export type IssuedKind = 'result' | 'certified_copy';

export interface IssuedDocumentTable {
  commune_code: string;
  id: Generated<string>;
  code: string;
  kind: IssuedKind;
  title: string;
  dossier_id: string | null;
  dossier_code: string | null;
  owner_id: string | null;
  sha256: string;
  signer_fingerprint: string;
  signer_name: string;
  signed_by: string | null;
  signed_at: Timestamp;
  created_at: CreatedAt;
}

export type DocumentSource = 'issued_result' | 'certified_copy' | 'accepted_paper' | 'own_upload';

export interface CitizenDocumentTable {
  owner_id: string;
  id: Generated<string>;
  source: DocumentSource;
  title: string;
  sha256: string;
  mime: string;
  file_name: string;
  issued_document_code: string | null;
  commune_code: string | null;
  dossier_code: string | null;
  checked_by_name: string | null;
  checked_at: Timestamp | null;
  deleted_at: Timestamp | null;
  created_at: CreatedAt;
}

export type AccessAction = 'view' | 'download' | 'reuse' | 'delete' | 'verify';

export interface CitizenDocumentAccessTable {
  owner_id: string;
  document_id: string;
  seq: Generated<string>;
  at: CreatedAt;
  actor_id: string | null;
  actor_label: string;
  action: AccessAction;
  dossier_code: string | null;
}

declare module '../platform/db.js' {
  interface Database {
    issued_document: IssuedDocumentTable;
    citizen_document: CitizenDocumentTable;
    citizen_document_access: CitizenDocumentAccessTable;
  }
}
