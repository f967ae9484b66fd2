/**
 * Test helpers: dossiers and feedback written straight into their tables
 * (rows and events as the dossier feature stores them), so roll-up tests can
 * build any history quickly without the workflow's checks.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from '../platform/db.js';

export const TEST_PROCEDURES = [
  { code: 'TK.1', name: 'Thủ tục thử toàn trình', online_level: 'full' },
  { code: 'TK.2', name: 'Thủ tục thử một phần', online_level: 'partial' },
] as const;

export async function ensureTestProcedures(db: DbOrTx): Promise<void> {
  for (const p of TEST_PROCEDURES) {
    await sql`insert into procedure (code, version, name, field, field_code, levels, life_events, online_level, online_level_disputed, portal_updated_at, content_hash)
      values (${p.code}, 1, ${p.name}, 'Thử', 'TK', '{commune}', '{}', ${p.online_level}, false, now(), 'x')
      on conflict (code) do nothing`.execute(db);
  }
}

export interface TestDossier {
  commune: string;
  id: string;
}

let counter = 0;

export async function insertDossier(
  db: DbOrTx,
  d: { commune: string; procedure: string; channel: 'online' | 'counter' | 'field'; submittedAt: Date; applicantName?: string },
): Promise<TestDossier> {
  const id = randomUUID();
  const code = `TK-${Date.now().toString(36)}-${(counter++).toString(36)}-${id.slice(0, 8)}`;
  await sql`insert into dossier (commune_code, id, code, procedure_code, procedure_version, deciding_unit, applicant_name, channel, status, submitted_at, working_days, updated_at)
    values (${d.commune}, ${id}::uuid, ${code}, ${d.procedure}, 1, ${d.commune}, ${d.applicantName ?? 'Nguyễn Văn Thử'}, ${d.channel}, 1, ${d.submittedAt}, 5, ${d.submittedAt})`.execute(db);
  await sql`insert into dossier_event (commune_code, dossier_id, seq, at, actor_label, action, from_status, to_status)
    values (${d.commune}, ${id}::uuid, 1, ${d.submittedAt}, 'thử', 'submit', null, 1)`.execute(db);
  return { commune: d.commune, id };
}

/** Records an action: the dossier row changes and an event is appended, as the workflow does. */
export async function act(
  db: DbOrTx,
  d: TestDossier,
  e: { action: string; to: number; at: Date; dueDate?: string | null; received?: boolean; rating?: number },
): Promise<void> {
  await sql`insert into dossier_event (commune_code, dossier_id, seq, at, actor_label, action, from_status, to_status, due_date)
    select ${d.commune}, ${d.id}::uuid, coalesce(max(seq), 0) + 1, ${e.at}, 'thử', ${e.action}, null, ${e.to}, ${e.dueDate ?? null}::date
    from dossier_event where commune_code = ${d.commune} and dossier_id = ${d.id}::uuid`.execute(db);
  await sql`update dossier set status = ${e.to}, updated_at = ${e.at},
      due_date = case when ${e.dueDate === undefined} then due_date else ${e.dueDate ?? null}::date end,
      received_at = case when ${e.received ?? false} then ${e.at}::timestamptz else received_at end,
      rating = coalesce(${e.rating ?? null}::smallint, rating)
    where commune_code = ${d.commune} and id = ${d.id}::uuid`.execute(db);
}

export async function ensureFeedbackCategory(db: DbOrTx, commune: string): Promise<void> {
  await sql`insert into feedback_category (commune_code, code, name, deadline_days) values (${commune}, 'thu', 'Thử', 10) on conflict do nothing`.execute(db);
}

export async function insertFeedback(db: DbOrTx, f: { commune: string; submittedAt: Date; dueDate: string }): Promise<TestDossier> {
  const id = randomUUID();
  await sql`insert into feedback (commune_code, id, code, category_code, description, is_public, channel, due_date, submitted_at, updated_at)
    values (${f.commune}, ${id}::uuid, ${`PA-${id}`}, 'thu', 'Thử', false, 'web', ${f.dueDate}::date, ${f.submittedAt}, ${f.submittedAt})`.execute(db);
  return { commune: f.commune, id };
}

export async function updateFeedback(db: DbOrTx, f: TestDossier, change: { at: Date; closed?: boolean; rating?: number }): Promise<void> {
  await sql`update feedback set updated_at = ${change.at},
      status = case when ${change.closed ?? false} then 'closed' else status end,
      closed_at = case when ${change.closed ?? false} then ${change.at}::timestamptz else closed_at end,
      rating = coalesce(${change.rating ?? null}::smallint, rating)
    where commune_code = ${f.commune} and id = ${f.id}::uuid`.execute(db);
}
