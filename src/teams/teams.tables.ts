import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../platform/tables.js';

export type VillageKind = 'thon' | 'ap' | 'ban' | 'to_dan_pho' | 'khu_pho';
export type MemberRole = 'leader' | 'youth_union' | 'women_union' | 'police' | 'village_head' | 'other';

/** A calendar date: always selected as `YYYY-MM-DD` text (see `DATE_TEXT` in the stores), written as text. */
export type DateColumn = ColumnType<string, string, string>;

export interface TeamVillageTable {
  commune_code: string;
  id: Generated<number>;
  name: string;
  name_key: string;
  kind: VillageKind;
  households: number | null;
  households_source: 'entered' | 'imported' | null;
  households_updated_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface TeamTable {
  commune_code: string;
  id: Generated<number>;
  village_id: number;
  name: string;
  name_key: string;
  created_at: CreatedAt;
}

export interface TeamMemberTable {
  commune_code: string;
  id: Generated<number>;
  team_id: number;
  full_name: string;
  phone: string;
  role: MemberRole;
  user_id: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  left_at: Timestamp | null;
}

export interface TeamLogEntryTable {
  commune_code: string;
  id: Generated<number>;
  idempotency_key: string;
  author_id: string;
  team_id: number | null;
  village_id: number;
  visit_date: DateColumn;
  households_visited: number;
  eid_activated: number;
  accounts_created: number;
  dossiers_submitted: number;
  cashless_setup: number;
  apps_installed: number;
  training_attendees: number;
  note: string;
  created_at: CreatedAt;
  updated_at: Timestamp | null;
  updated_by: string | null;
  revision: Generated<number>;
}

export interface TeamLogRevisionTable {
  commune_code: string;
  entry_id: number;
  revision: number;
  old_values: ColumnType<Record<string, unknown>, string, never>;
  changed_at: CreatedAt;
  changed_by: string;
  changed_by_label: string;
  reason: string;
}

export interface TeamGuideTable {
  commune_code: string;
  id: Generated<number>;
  title: string;
  procedure_code: string | null;
  author_id: string;
  status: Generated<'draft' | 'published'>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  published_at: Timestamp | null;
}

export interface TeamGuideStepTable {
  commune_code: string;
  id: Generated<number>;
  guide_id: number;
  position: number;
  body: string;
  image: Uint8Array | null;
  image_mime: 'image/jpeg' | 'image/png' | null;
  image_alt: string | null;
  created_at: CreatedAt;
}

declare module '../platform/db.js' {
  interface Database {
    team_village: TeamVillageTable;
    team: TeamTable;
    team_member: TeamMemberTable;
    team_log_entry: TeamLogEntryTable;
    team_log_revision: TeamLogRevisionTable;
    team_guide: TeamGuideTable;
    team_guide_step: TeamGuideStepTable;
  }
}
