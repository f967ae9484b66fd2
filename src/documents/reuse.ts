/**
 * Once-only: the seams the dossier kernel wires.
 *
 * - `reusableFor(db, ownerId)`: what the submission wizard offers for each
 *   required paper instead of an upload (one tap).
 * - `reuseForDossier(db, …)`: called when the citizen (or an official helping
 *   them) picks one; returns the stored file to attach as the draft's paper
 *   (same shape as an upload: sha256, fileName, size, mime) and the
 *   provenance line the officer sees, and logs the access for the owner.
 * - `recordAcceptedPaper(db, …)`: called when an officer accepts a paper at
 *   reception, so the next dossier need not ask for it again.
 */
import { dmy } from '../dossiers/forms/format.js';
import { isoDateInVn } from '../calendar/index.js';
import type { DbOrTx } from '../platform/db.js';
import { unitName } from '../units/units.js';
import { addDocument, findDocument, listDocuments, logAccess, type StoredDocument, type Who } from './documents.store.js';

/** Where a stored document came from, in one line (the citizen's store, the officer's dossier view). */
export function provenance(d: Pick<StoredDocument, 'source' | 'communeCode' | 'dossierCode' | 'checkedByName' | 'checkedAt'>): string {
  const body = d.communeCode ? `UBND ${unitName(d.communeCode) ?? d.communeCode}` : 'cơ quan cấp';
  switch (d.source) {
    case 'issued_result':
      return `Kết quả giải quyết hồ sơ ${d.dossierCode ?? ''}, do ${body} ký số`.replace(' ,', ',');
    case 'certified_copy':
      return `Bản sao điện tử chứng thực từ bản chính, do ${body} ký số`;
    case 'accepted_paper':
      return `Đã được cán bộ ${d.checkedByName ?? ''} đối chiếu ngày ${d.checkedAt ? dmy(isoDateInVn(d.checkedAt)) : '…'}${d.dossierCode ? ` (hồ sơ ${d.dossierCode})` : ''}`;
    case 'own_upload':
      return 'Người dân tự tải lên, chưa được cán bộ đối chiếu';
  }
}

export interface ReusableDocument extends StoredDocument {
  provenance: string;
}

export async function reusableFor(db: DbOrTx, ownerId: string): Promise<ReusableDocument[]> {
  return (await listDocuments(db, ownerId)).map((d) => ({ ...d, provenance: provenance(d) }));
}

export interface ReusedFile {
  sha256: string;
  fileName: string;
  size: number;
  mime: string;
  provenance: string;
  documentId: string;
}

/** The owner's document as a paper for a dossier; null for another person's or an unknown id. */
export async function reuseForDossier(db: DbOrTx, o: { ownerId: string; documentId: string; dossierCode: string | null; who: Who }): Promise<ReusedFile | null> {
  const d = await findDocument(db, o.ownerId, o.documentId);
  if (!d) return null;
  const file = await db.selectFrom('stored_file').select('size_bytes').where('sha256', '=', d.sha256).executeTakeFirstOrThrow();
  await logAccess(db, { ownerId: o.ownerId, documentId: d.id, who: o.who, action: 'reuse', dossierCode: o.dossierCode });
  return { sha256: d.sha256, fileName: d.fileName, size: file.size_bytes, mime: d.mime, provenance: provenance(d), documentId: d.id };
}

/** A paper an officer accepted (checked against its original) goes into the owner's store. */
export async function recordAcceptedPaper(
  db: DbOrTx,
  o: { ownerId: string; title: string; sha256: string; mime: string; fileName: string; communeCode: string; dossierCode: string; checkedBy: { id: string; fullName: string }; at: Date },
): Promise<string> {
  return addDocument(
    db,
    {
      ownerId: o.ownerId,
      source: 'accepted_paper',
      title: o.title,
      sha256: o.sha256,
      mime: o.mime,
      fileName: o.fileName,
      communeCode: o.communeCode,
      dossierCode: o.dossierCode,
      checkedByName: o.checkedBy.fullName,
      checkedAt: o.at,
    },
    { actorId: o.checkedBy.id, actorLabel: o.checkedBy.fullName },
  );
}
