import type { Timestamp } from '../platform/tables.js';

export interface CertifiedCopyRegisterTable {
  commune_code: string;
  year: number;
  number: number;
  issued_code: string;
  owner_id: string;
  original_title: string;
  pages: number;
  copies: number;
  fee_vnd: number;
  officer_id: string;
  issued_at: Timestamp;
}

declare module '../platform/db.js' {
  interface Database {
    certified_copy_register: CertifiedCopyRegisterTable;
  }
}
