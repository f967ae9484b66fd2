import type { ColumnType } from 'kysely';
import type { DossierCounter, FeedbackCounter } from './measures.js';

/** `date` columns are read with `::text` casts (pg would turn them into local-time Dates). */
type DateColumn = ColumnType<string, string, string>;
type Json = ColumnType<Record<string, number>, string, string>;

export interface StatsDossierTable {
  commune_code: string;
  dossier_id: string;
  procedure_code: string;
  day: DateColumn;
  proc_days: number | null;
  open_due: DateColumn | null;
  counters: Json;
}

export type StatsDailyTable = { commune_code: string; day: DateColumn; procedure_code: string } & Record<DossierCounter, ColumnType<number, number | undefined, number>>;

export interface StatsDailyTimeTable {
  commune_code: string;
  day: DateColumn;
  procedure_code: string;
  wdays: number;
  n: number;
}

export interface StatsFeedbackTable {
  commune_code: string;
  feedback_id: string;
  day: DateColumn;
  counters: Json;
}

export type StatsFeedbackDailyTable = { commune_code: string; day: DateColumn } & Record<FeedbackCounter, ColumnType<number, number | undefined, number>>;

export interface StatsCursorTable {
  name: string;
  at: ColumnType<Date, Date | string, Date | string>;
  due_swept: DateColumn | null;
}

declare module '../platform/db.js' {
  interface Database {
    stats_dossier: StatsDossierTable;
    stats_daily: StatsDailyTable;
    stats_daily_time: StatsDailyTimeTable;
    stats_feedback: StatsFeedbackTable;
    stats_feedback_daily: StatsFeedbackDailyTable;
    stats_cursor: StatsCursorTable;
  }
}
