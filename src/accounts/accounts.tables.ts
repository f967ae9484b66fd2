import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';

/** Something the account holder must be told at their next sign-in (a counter reset). */
export interface AccountNoticeTable {
  id: Generated<string>;
  user_id: string;
  kind: 'counter_reset_code' | 'counter_password_reset';
  unit_code: string | null;
  created_at: CreatedAt;
  seen_at: Timestamp | null;
}

declare module '../platform/db.js' {
  interface Database {
    account_notice: AccountNoticeTable;
  }
}
