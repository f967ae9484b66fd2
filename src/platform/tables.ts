import type { ColumnType, Generated } from 'kysely';

/** Timestamps: written as Date or ISO text, read as Date. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface ProvinceTable {
  code: string;
  name: string;
  division_type: string;
  codename: string;
}

export interface CommuneTable {
  code: string;
  province_code: string;
  name: string;
  division_type: string;
  codename: string;
}

export type UserKind = 'citizen' | 'staff';

export interface AppUserTable {
  id: Generated<string>;
  kind: UserKind;
  full_name: string;
  phone: string | null;
  email: string | null;
  password_hash: string | null;
  home_commune_code: string | null;
  /** HMAC of the personal ID number (keyed with the server secret): checked at the counter, never shown. */
  id_number_hash: string | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  password_changed_at: Timestamp | null;
  created_at: CreatedAt;
  /** Set by the province administrator: the account opens no session. */
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface StaffRoleTable {
  unit_code: string;
  user_id: string;
  role: string;
  granted_at: CreatedAt;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface OneTimeCodeTable {
  id: Generated<string>;
  user_id: string;
  purpose: 'password_reset' | 'counter_reset';
  code_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  attempts: Generated<number>;
  issued_by: string | null;
  /** The commune (or province) whose counter issued a counter code. */
  unit_code: Generated<string | null>;
  created_at: CreatedAt;
}

export interface OidcIdentityTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  /** Numbered by the application (previous + 1): a hole means a deleted entry. */
  seq: number;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  unit_code: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  pd_read: ColumnType<string[], string[] | undefined, never>;
  pd_changed: ColumnType<string[], string[] | undefined, never>;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
  prev_hash: string;
  hash: string;
  /** 'hmac-sha256' (keyed) for every entry since migration 0013; 'sha256' for those before it. */
  chain: 'sha256' | 'hmac-sha256';
}

export interface OutboxTable {
  id: Generated<number>;
  channel: 'email' | 'sms';
  recipient: string;
  subject: Generated<string>;
  body: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  dedupe_key: string | null;
  /** The person a notice is for (their preference chose this channel); null for codes and unknown recipients. */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

/** The in-app inbox: one line per event and person, whatever channels also carried it. */
export interface NotificationTable {
  id: Generated<number>;
  user_id: string;
  event_key: string;
  title: string;
  body: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

export interface NotificationPreferenceTable {
  user_id: string;
  channel: 'sms' | 'email' | 'inapp';
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module './db.js' {
  interface Database {
    province: ProvinceTable;
    commune: CommuneTable;
    app_user: AppUserTable;
    staff_role: StaffRoleTable;
    user_session: UserSessionTable;
    one_time_code: OneTimeCodeTable;
    oidc_identity: OidcIdentityTable;
    audit_log: AuditLogTable;
    outbox: OutboxTable;
    notification: NotificationTable;
    notification_preference: NotificationPreferenceTable;
  }
}
