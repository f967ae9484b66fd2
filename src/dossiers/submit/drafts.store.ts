/**
 * Submission drafts (dossier_draft), saved as the person goes. Every read and
 * write is scoped to the owner: another person's draft simply does not exist.
 * Updates are single statements on jsonb, so two tabs never lose each other's answers.
 */
import { sql } from 'kysely';
import { appendAudit } from '../../platform/audit.js';
import type { Db, DbOrTx } from '../../platform/db.js';
import '../dossiers.tables.js';
import { parseDraftData, parseDraftFiles, type DraftData, type DraftFile, type DraftFiles, type DraftMode } from './draft.js';

export interface DraftRow {
  id: string;
  owner_id: string;
  commune_code: string;
  procedure_code: string;
  data: DraftData;
  files: DraftFiles;
  submitted_dossier: string | null;
  created_at: Date;
  updated_at: Date;
}

/** More open drafts than anyone needs; a cap keeps a script from filling the table. */
export const MAX_OPEN_DRAFTS = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export interface Who {
  id: string;
  label: string;
  ip: string | null;
}

function toRow(r: { id: string; owner_id: string; commune_code: string; procedure_code: string; data: unknown; files: unknown; submitted_dossier: string | null; created_at: Date; updated_at: Date }, mode: DraftMode = 'online'): DraftRow {
  return { ...r, data: parseDraftData(r.data, mode), files: parseDraftFiles(r.files) };
}

export async function countOpenDrafts(db: DbOrTx, ownerId: string): Promise<number> {
  const r = await db
    .selectFrom('dossier_draft')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .where('submitted_dossier', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function createDraft(db: Db, who: Who, d: { communeCode: string; procedureCode: string; data: DraftData }): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('dossier_draft')
      .values({ owner_id: who.id, commune_code: d.communeCode, procedure_code: d.procedureCode, data: JSON.stringify(d.data), files: '{}', submitted_dossier: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      actorId: who.id,
      actorLabel: who.label,
      unitCode: d.communeCode,
      action: 'dossier_draft.create',
      subjectType: 'dossier_draft',
      subjectId: row.id,
      ip: who.ip,
      detail: { procedure: d.procedureCode, mode: d.data.mode },
    });
    return row.id;
  });
}

export async function findOwnDraft(db: DbOrTx, id: string, ownerId: string): Promise<DraftRow | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await db.selectFrom('dossier_draft').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return r ? toRow(r) : undefined;
}

/** Merges answers into the draft. `audit` when the answers are personal data (Law 91/2025: writes are logged). */
export async function saveDraftData(db: Db, id: string, who: Who, patch: Partial<DraftData>, audit?: { fields: string[]; read?: string[]; detail?: Record<string, unknown> }): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('dossier_draft')
      .set({ data: sql<string>`data || ${JSON.stringify(patch)}::jsonb`, updated_at: new Date() })
      .where('id', '=', id)
      .where('owner_id', '=', who.id)
      .where('submitted_dossier', 'is', null)
      .returning('commune_code')
      .executeTakeFirst();
    if (r && audit) {
      await appendAudit(tx, {
        actorId: who.id,
        actorLabel: who.label,
        unitCode: r.commune_code,
        action: 'dossier_draft.update',
        subjectType: 'dossier_draft',
        subjectId: id,
        pdChanged: audit.fields,
        ...(audit.read?.length ? { pdRead: audit.read } : {}),
        ip: who.ip,
        ...(audit.detail ? { detail: audit.detail } : {}),
      });
    }
    return r !== undefined;
  });
}

export async function setDraftCommune(db: DbOrTx, id: string, ownerId: string, communeCode: string): Promise<boolean> {
  const r = await db
    .updateTable('dossier_draft')
    .set({ commune_code: communeCode, data: sql<string>`data || '{"communeChosen":true}'::jsonb`, updated_at: new Date() })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('submitted_dossier', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Attaches a stored file to one paper, replacing what was there (one file per paper). */
export async function attachDraftFile(db: Db, id: string, who: Who, key: string, file: DraftFile): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('dossier_draft')
      .set({ files: sql<string>`files || jsonb_build_object(${key}::text, ${JSON.stringify([file])}::jsonb)`, updated_at: new Date() })
      .where('id', '=', id)
      .where('owner_id', '=', who.id)
      .where('submitted_dossier', 'is', null)
      .returning('commune_code')
      .executeTakeFirst();
    if (r) {
      await appendAudit(tx, {
        actorId: who.id,
        actorLabel: who.label,
        unitCode: r.commune_code,
        action: 'dossier_draft.attach',
        subjectType: 'dossier_draft',
        subjectId: id,
        ip: who.ip,
        detail: { paper: key, sha256: file.sha256, size: file.size, mime: file.mime },
      });
    }
    return r !== undefined;
  });
}

export async function removeDraftFile(db: DbOrTx, id: string, ownerId: string, key: string): Promise<boolean> {
  const r = await db
    .updateTable('dossier_draft')
    .set({ files: sql<string>`files - ${key}::text`, updated_at: new Date() })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('submitted_dossier', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records the dossier a draft became; idempotent (a resend sets the same id). */
export async function markDraftSubmitted(db: DbOrTx, id: string, ownerId: string, dossierId: string): Promise<void> {
  await db
    .updateTable('dossier_draft')
    .set({ submitted_dossier: dossierId, updated_at: new Date() })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where((eb) => eb.or([eb('submitted_dossier', 'is', null), eb('submitted_dossier', '=', dossierId)]))
    .execute();
}

export async function deleteDraft(db: Db, id: string, who: Who): Promise<boolean> {
  if (!isUuid(id)) return false;
  return db.transaction().execute(async (tx) => {
    const r = await tx.deleteFrom('dossier_draft').where('id', '=', id).where('owner_id', '=', who.id).where('submitted_dossier', 'is', null).returning('commune_code').executeTakeFirst();
    if (r) await appendAudit(tx, { actorId: who.id, actorLabel: who.label, unitCode: r.commune_code, action: 'dossier_draft.delete', subjectType: 'dossier_draft', subjectId: id, ip: who.ip });
    return r !== undefined;
  });
}

export interface DraftListItem {
  id: string;
  procedure_code: string;
  procedure_name: string;
  commune_code: string;
  data: DraftData;
  files: DraftFiles;
  updated_at: Date;
}

/** Open drafts of one owner, newest first, with the procedure's name. */
export async function listOpenDrafts(db: DbOrTx, ownerId: string, mode: DraftMode): Promise<DraftListItem[]> {
  const rows = await db
    .selectFrom('dossier_draft as d')
    .innerJoin('procedure as p', 'p.code', 'd.procedure_code')
    .select(['d.id', 'd.procedure_code', 'p.name as procedure_name', 'd.commune_code', 'd.data', 'd.files', 'd.updated_at'])
    .where('d.owner_id', '=', ownerId)
    .where('d.submitted_dossier', 'is', null)
    .where(sql<boolean>`d.data->>'mode' = ${mode}`)
    .orderBy('d.updated_at', 'desc')
    .limit(MAX_OPEN_DRAFTS)
    .execute();
  return rows.map((r) => ({ ...r, data: parseDraftData(r.data, mode), files: parseDraftFiles(r.files) }));
}

/** The address the person gave last time (the account has none), to prefill the next draft. */
export async function lastAddress(db: DbOrTx, userId: string): Promise<string> {
  const d = await db
    .selectFrom('dossier')
    .select(['applicant_address', 'submitted_at'])
    .where('applicant_id', '=', userId)
    .where('applicant_address', '<>', '')
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (d) return d.applicant_address;
  const draft = await db
    .selectFrom('dossier_draft')
    .select(sql<string>`data->'applicant'->>'address'`.as('address'))
    .where('owner_id', '=', userId)
    .where(sql<boolean>`coalesce(data->'applicant'->>'address', '') <> ''`)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return draft?.address ?? '';
}
