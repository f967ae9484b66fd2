import type { Generated } from 'kysely';
import type { CreatedAt } from '../platform/tables.js';

export interface FinderSearchTable {
  id: Generated<string>;
  commune_code: string | null;
  question: string;
  /** Space-separated procedure codes, in the order shown. */
  shown_codes: Generated<string>;
  no_match: Generated<boolean>;
  opened_code: string | null;
  not_what_i_needed: Generated<boolean>;
  created_at: CreatedAt;
}

declare module '../platform/db.js' {
  interface Database {
    finder_search: FinderSearchTable;
  }
}
