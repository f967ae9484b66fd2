import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';

export interface SigningAuthorityTable {
  id: string;
  cert_der: string;
  key_sealed: string;
  created_at: CreatedAt;
}

export interface SigningCredentialTable {
  commune_code: string;
  id: Generated<string>;
  fingerprint: string;
  subject: string;
  serial: string;
  not_before: Timestamp;
  not_after: Timestamp;
  /** base64 DER. */
  cert_der: string;
  /** secretbox-sealed JSON {p12 (base64), passphrase}. */
  p12_sealed: string;
  is_demo: boolean;
  active: boolean;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  created_at: CreatedAt;
  created_by: string | null;
}

declare module '../platform/db.js' {
  interface Database {
    signing_authority: SigningAuthorityTable;
    signing_credential: SigningCredentialTable;
  }
}
