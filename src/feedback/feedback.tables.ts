import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';

export type FeedbackStatus = 'new' | 'in_progress' | 'closed';
export type FeedbackEventKind = 'submitted' | 'triaged' | 'reply' | 'closed' | 'reopened' | 'rated';

export interface FeedbackCategoryTable {
  commune_code: string;
  code: string;
  name: string;
  deadline_days: number;
  position: Generated<number>;
  active: Generated<boolean>;
}

export interface Open311ApiKeyTable {
  province_code: string;
  id: Generated<string>;
  label: string;
  key_hash: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface FeedbackSequenceTable {
  commune_code: string;
  year: number;
  last: number;
}

/** `date` columns are read with `::text` casts (pg would turn them into local-time Dates). */
type DateColumn = ColumnType<string, string, string>;

export interface FeedbackTable {
  commune_code: string;
  id: Generated<string>;
  code: string;
  category_code: string;
  description: string;
  location_text: Generated<string>;
  lat: number | null;
  long: number | null;
  address_id: string | null;
  media_url: string | null;
  is_public: boolean;
  author_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  channel: 'web' | 'open311';
  api_key_id: string | null;
  token: string | null;
  idempotency_key: string | null;
  status: Generated<FeedbackStatus>;
  responsible_unit: string | null;
  due_date: DateColumn;
  submitted_at: ColumnType<Date, Date | string | undefined, Date | string>;
  triaged_at: Timestamp | null;
  closed_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  reply_count: Generated<number>;
  public_reply: string | null;
  public_reply_at: Timestamp | null;
  reopen_count: Generated<number>;
  reopen_reason: string | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: Timestamp | null;
  search_text: Generated<string>;
  version: Generated<number>;
}

export interface FeedbackEventTable {
  commune_code: string;
  feedback_id: string;
  seq: number;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor_id: string | null;
  kind: FeedbackEventKind;
  body: Generated<string>;
  is_public: Generated<boolean>;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface FeedbackPhotoTable {
  commune_code: string;
  feedback_id: string;
  seq: number;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
}

declare module '../platform/db.js' {
  interface Database {
    feedback_category: FeedbackCategoryTable;
    open311_api_key: Open311ApiKeyTable;
    feedback_sequence: FeedbackSequenceTable;
    feedback: FeedbackTable;
    feedback_event: FeedbackEventTable;
    feedback_photo: FeedbackPhotoTable;
  }
}
