/**
 * The once-only store ("Kho giấy tờ của tôi") and the register of documents
 * Xã Số signed. Every read of a stored document by anyone is logged for its
 * owner (Law 91/2025); nothing leaves the store except into a dossier its
 * owner submits.
 */
import { appendAudit } from '../platform/audit.js';
import type { DbOrTx } from '../platform/db.js';
import './documents.tables.js';
import type { AccessAction, DocumentSource, IssuedKind } from './documents.tables.js';

export interface Who {
  actorId: string | null;
  actorLabel: string;
  ip?: string | null;
}

export interface StoredDocument {
  id: string;
  source: DocumentSource;
  title: string;
  sha256: string;
  mime: string;
  fileName: string;
  issuedCode: string | null;
  communeCode: string | null;
  dossierCode: string | null;
  checkedByName: string | null;
  checkedAt: Date | null;
  createdAt: Date;
}

const COLUMNS = ['id', 'source', 'title', 'sha256', 'mime', 'file_name', 'issued_document_code', 'commune_code', 'dossier_code', 'checked_by_name', 'checked_at', 'created_at'] as const;

type Row = {
  id: string;
  source: DocumentSource;
  title: string;
  sha256: string;
  mime: string;
  file_name: string;
  issued_document_code: string | null;
  commune_code: string | null;
  dossier_code: string | null;
  checked_by_name: string | null;
  checked_at: Date | null;
  created_at: Date;
};

function toDocument(r: Row): StoredDocument {
  return {
    id: r.id,
    source: r.source,
    title: r.title,
    sha256: r.sha256,
    mime: r.mime,
    fileName: r.file_name,
    issuedCode: r.issued_document_code,
    communeCode: r.commune_code,
    dossierCode: r.dossier_code,
    checkedByName: r.checked_by_name,
    checkedAt: r.checked_at ? new Date(r.checked_at) : null,
    createdAt: new Date(r.created_at),
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listDocuments(db: DbOrTx, ownerId: string): Promise<StoredDocument[]> {
  const rows = await db.selectFrom('citizen_document').select(COLUMNS).where('owner_id', '=', ownerId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').execute();
  return rows.map(toDocument);
}

/** One of the owner's documents; another person's id answers null, like an unknown one. */
export async function findDocument(db: DbOrTx, ownerId: string, id: string): Promise<StoredDocument | null> {
  if (!UUID_RE.test(id)) return null;
  const r = await db.selectFrom('citizen_document').select(COLUMNS).where('owner_id', '=', ownerId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return r ? toDocument(r) : null;
}

export async function logAccess(db: DbOrTx, o: { ownerId: string; documentId: string; who: Who; action: AccessAction; dossierCode?: string | null }): Promise<void> {
  await db
    .insertInto('citizen_document_access')
    .values({ owner_id: o.ownerId, document_id: o.documentId, actor_id: o.who.actorId, actor_label: o.who.actorLabel, action: o.action, dossier_code: o.dossierCode ?? null })
    .execute();
}

export interface AccessEntry {
  at: Date;
  actorLabel: string;
  action: AccessAction;
  dossierCode: string | null;
  /** The owner themself. */
  self: boolean;
}

export async function accessLog(db: DbOrTx, ownerId: string, documentId: string): Promise<AccessEntry[]> {
  const rows = await db
    .selectFrom('citizen_document_access')
    .select(['at', 'actor_id', 'actor_label', 'action', 'dossier_code'])
    .where('owner_id', '=', ownerId)
    .where('document_id', '=', documentId)
    .orderBy('seq', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ at: new Date(r.at), actorLabel: r.actor_label, action: r.action, dossierCode: r.dossier_code, self: r.actor_id === ownerId }));
}

export interface NewStoredDocument {
  ownerId: string;
  source: DocumentSource;
  title: string;
  sha256: string;
  mime: string;
  fileName: string;
  issuedCode?: string | null;
  communeCode?: string | null;
  dossierCode?: string | null;
  checkedByName?: string | null;
  checkedAt?: Date | null;
}

/** Adds a document to a citizen's store, with an audit entry (call inside the change's transaction). */
export async function addDocument(db: DbOrTx, d: NewStoredDocument, who: Who): Promise<string> {
  const row = await db
    .insertInto('citizen_document')
    .values({
      owner_id: d.ownerId,
      source: d.source,
      title: d.title,
      sha256: d.sha256,
      mime: d.mime,
      file_name: d.fileName,
      issued_document_code: d.issuedCode ?? null,
      commune_code: d.communeCode ?? null,
      dossier_code: d.dossierCode ?? null,
      checked_by_name: d.checkedByName ?? null,
      checked_at: d.checkedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(db, {
    actorId: who.actorId,
    actorLabel: who.actorLabel,
    unitCode: d.communeCode ?? null,
    action: 'documents.add',
    subjectType: 'citizen_document',
    subjectId: row.id,
    ip: who.ip ?? null,
    detail: { owner: d.ownerId, source: d.source, title: d.title, dossier: d.dossierCode ?? null },
  });
  return row.id;
}

export type DeleteOutcome = 'deleted' | 'not_found' | 'issued';

/** The owner deletes one of their own uploads; issued results and certified copies stay. */
export async function deleteOwnUpload(db: DbOrTx, ownerId: string, id: string, who: Who): Promise<DeleteOutcome> {
  const doc = await findDocument(db, ownerId, id);
  if (!doc) return 'not_found';
  if (doc.source !== 'own_upload') return 'issued';
  await db.updateTable('citizen_document').set({ deleted_at: new Date() }).where('owner_id', '=', ownerId).where('id', '=', id).execute();
  await logAccess(db, { ownerId, documentId: id, who, action: 'delete' });
  await appendAudit(db, {
    actorId: who.actorId,
    actorLabel: who.actorLabel,
    action: 'documents.delete',
    subjectType: 'citizen_document',
    subjectId: id,
    ip: who.ip ?? null,
    detail: { owner: ownerId, title: doc.title },
  });
  return 'deleted';
}

export interface IssuedRecord {
  communeCode: string;
  code: string;
  kind: IssuedKind;
  title: string;
  dossierCode: string | null;
  signerName: string;
  signedAt: Date;
  sha256: string;
}

export async function insertIssued(
  db: DbOrTx,
  d: IssuedRecord & { dossierId: string | null; ownerId: string | null; signerFingerprint: string; signedBy: string | null },
): Promise<string> {
  const row = await db
    .insertInto('issued_document')
    .values({
      commune_code: d.communeCode,
      code: d.code,
      kind: d.kind,
      title: d.title,
      dossier_id: d.dossierId,
      dossier_code: d.dossierCode,
      owner_id: d.ownerId,
      sha256: d.sha256,
      signer_fingerprint: d.signerFingerprint,
      signer_name: d.signerName,
      signed_by: d.signedBy,
      signed_at: d.signedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const ISSUED_COLUMNS = ['commune_code', 'code', 'kind', 'title', 'dossier_code', 'signer_name', 'signed_at', 'sha256'] as const;

function toIssued(r: { commune_code: string; code: string; kind: IssuedKind; title: string; dossier_code: string | null; signer_name: string; signed_at: Date; sha256: string }): IssuedRecord {
  return { communeCode: r.commune_code, code: r.code, kind: r.kind, title: r.title, dossierCode: r.dossier_code, signerName: r.signer_name, signedAt: new Date(r.signed_at), sha256: r.sha256 };
}

export async function issuedByCode(db: DbOrTx, code: string): Promise<IssuedRecord | null> {
  const r = await db.selectFrom('issued_document').select(ISSUED_COLUMNS).where('code', '=', code.toUpperCase()).executeTakeFirst();
  return r ? toIssued(r) : null;
}

export async function issuedBySha(db: DbOrTx, sha256: string): Promise<IssuedRecord | null> {
  const r = await db.selectFrom('issued_document').select(ISSUED_COLUMNS).where('sha256', '=', sha256).executeTakeFirst();
  return r ? toIssued(r) : null;
}

export async function resultOfDossier(db: DbOrTx, communeCode: string, dossierId: string): Promise<IssuedRecord | null> {
  const r = await db.selectFrom('issued_document').select(ISSUED_COLUMNS).where('commune_code', '=', communeCode).where('dossier_id', '=', dossierId).where('kind', '=', 'result').executeTakeFirst();
  return r ? toIssued(r) : null;
}
