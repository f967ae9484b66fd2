/**
 * One verification, for the page and the API alike: what an uploaded PDF or a
 * verification code says. Only what is printed on the document is shown: the
 * signing body and person, the time, the document's title and dossier code.
 */
import { createHash } from 'node:crypto';
import type { DbOrTx } from '../platform/db.js';
import { knownSigner } from '../signing/signing.store.js';
import { verifyPdf, type Verdict } from '../signing/verify.js';
import { issuedByCode, issuedBySha, type IssuedRecord } from './documents.store.js';
import { VERIFICATION_CODE_RE } from './results.js';
import { unitName } from '../units/units.js';

export type VerificationStatus = Verdict['status'];

export interface Verification {
  status: VerificationStatus;
  /** Why it is not valid (in Vietnamese), or null. */
  reason: string | null;
  /** "UBND Phường Tân Ninh" for a known signer, else the certificate's name. */
  signedBy: string | null;
  signerName: string | null;
  signedAt: Date | null;
  /** Signed with the demo chain: valid for the demo only. */
  demo: boolean;
  document: { code: string; title: string; kind: IssuedRecord['kind']; dossierCode: string | null } | null;
}

function documentOf(r: IssuedRecord | null): Verification['document'] {
  return r ? { code: r.code, title: r.title, kind: r.kind, dossierCode: r.dossierCode } : null;
}

/** Verifies an uploaded PDF. Throws PdfInputError (with its message) for what is not a checkable PDF. */
export async function verifyUpload(db: DbOrTx, bytes: Uint8Array): Promise<Verification> {
  const signers = new Map<string, Awaited<ReturnType<typeof knownSigner>>>();
  const verdict = await verifyPdf(bytes, async (fp) => {
    const s = await knownSigner(db, fp);
    signers.set(fp, s);
    return s;
  });
  const known = verdict.signature ? signers.get(verdict.signature.fingerprint) : null;
  const issued = verdict.status === 'valid' ? await issuedBySha(db, createHash('sha256').update(bytes).digest('hex')) : null;
  return {
    status: verdict.status,
    reason: verdict.status === 'valid' ? null : verdict.reason,
    signedBy: known ? `UBND ${known.communeName}` : (verdict.signature?.subject ?? null),
    signerName: issued?.signerName ?? verdict.signature?.name ?? null,
    signedAt: verdict.signature?.signedAt ?? null,
    demo: known?.isDemo ?? false,
    document: documentOf(issued),
  };
}

/** A verification code (from the QR code or typed): the register's entry, or null when there is none. */
export async function verifyCode(db: DbOrTx, code: string): Promise<Verification | null> {
  const clean = code.trim().toUpperCase();
  if (!VERIFICATION_CODE_RE.test(clean)) return null;
  const issued = await issuedByCode(db, clean);
  if (!issued) return null;
  const row = await db.selectFrom('issued_document as d').innerJoin('signing_credential as s', 's.fingerprint', 'd.signer_fingerprint').select(['s.revoked_at', 's.is_demo']).where('d.code', '=', clean).executeTakeFirst();
  const revoked = row?.revoked_at && new Date(row.revoked_at) <= issued.signedAt;
  return {
    status: revoked ? 'revoked' : 'valid',
    reason: revoked ? 'Chứng thư số của người ký đã bị thu hồi trước thời điểm ký: chữ ký không còn giá trị.' : null,
    signedBy: `UBND ${unitName(issued.communeCode) ?? issued.communeCode}`,
    signerName: issued.signerName,
    signedAt: issued.signedAt,
    demo: row?.is_demo ?? false,
    document: documentOf(issued),
  };
}
