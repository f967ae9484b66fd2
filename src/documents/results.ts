/**
 * The seam the dossier service calls when a leader approves: it draws the
 * result from its template, signs it for the deciding commune, stores it, and
 * puts it in the applicant's store. Call it INSIDE the approval transaction,
 * before the status changes: it throws a ResultError when signing is
 * impossible, so the transaction rolls back and no dossier is ever approved
 * without its signed result. Calling it again for the same dossier returns the
 * result already issued.
 */
import { randomInt } from 'node:crypto';
import { appendAudit } from '../platform/audit.js';
import type { Config } from '../platform/config.js';
import type { DbOrTx } from '../platform/db.js';
import { storeFile } from '../platform/files.js';
import { issuerOf } from '../dossiers/forms/format.js';
import { CredentialError } from '../signing/pki.js';
import { signPdf } from '../signing/sign-pdf.js';
import { signerForCommune } from '../signing/signing.store.js';
import { addDocument, insertIssued, resultOfDossier, type IssuedRecord, type Who } from './documents.store.js';
import { renderDocument, resultContent, type DocumentFacts } from './templates.js';

export class ResultError extends Error {}

export interface DossierForResult {
  /** The commune that decides (and so signs): the dossier's deciding unit. */
  decidingUnit: string;
  communeCode: string;
  id: string;
  code: string;
  procedureCode: string;
  procedureName: string;
  applicantId: string | null;
  applicantName: string;
  applicantAddress: string;
}

export interface ResultDeps {
  config: Pick<Config, 'secret' | 'dataDir' | 'baseUrl'>;
}

export interface ProduceResultInput {
  dossier: DossierForResult;
  /** The leader approving. */
  signer: { id: string; fullName: string; title?: string };
  /** Register entries for the template (child's name, dates…); see templates.ts for the keys. */
  details?: Readonly<Record<string, string>>;
  now: Date;
  ip?: string | null;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A verification code: commune, then 10 characters of Crockford base32 (50 random bits; no 0/O, 1/I confusion in reading). */
export function verificationCode(communeCode: string): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(32)];
  return `XS-${communeCode}-${s}`;
}

export const VERIFICATION_CODE_RE = /^XS-\d{5}-[0-9A-HJKMNP-TV-Z]{10}$/;

export function verifyUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/$/, '')}/xac-thuc/${code}`;
}

/**
 * Draws, signs and registers a document, and files it in the owner's store.
 * Shared by results and certified copies.
 */
export async function issueSigned(
  db: DbOrTx,
  deps: ResultDeps,
  o: {
    communeCode: string;
    kind: 'result' | 'certified_copy';
    facts: (code: string, url: string, stamp: DocumentFacts['stamp']) => DocumentFacts;
    dossierId: string | null;
    dossierCode: string | null;
    ownerId: string | null;
    signedBy: { id: string; fullName: string };
    now: Date;
    who: Who;
    draw?: (facts: DocumentFacts) => Promise<{ pdf: Buffer; widget: { page: number; rect: [number, number, number, number] } }>;
  },
): Promise<IssuedRecord> {
  let signer;
  try {
    signer = await signerForCommune(db, deps.config.secret, o.communeCode, o.now);
  } catch (err) {
    if (err instanceof CredentialError) throw new ResultError(`Chưa ký được văn bản: ${err.message}`);
    throw err;
  }
  const issuer = issuerOf(o.communeCode);
  const code = verificationCode(o.communeCode);
  const stamp = { body: `UBND ${issuer.communeName}`, signerName: o.signedBy.fullName, signedAt: o.now };
  const facts = o.facts(code, verifyUrl(deps.config.baseUrl, code), stamp);
  const drawn = await (o.draw ?? renderDocument)(facts);
  const signed = await signPdf(drawn.pdf, signer, {
    reason: facts.title,
    location: issuer.communeName,
    name: o.signedBy.fullName,
    signingTime: o.now,
    widget: drawn.widget,
  });
  const { sha256 } = await storeFile(db, deps.config.dataDir, signed, 'application/pdf');
  const record: IssuedRecord = {
    communeCode: o.communeCode,
    code,
    kind: o.kind,
    title: facts.title.charAt(0) + facts.title.slice(1).toLocaleLowerCase('vi'),
    dossierCode: o.dossierCode,
    signerName: o.signedBy.fullName,
    signedAt: o.now,
    sha256,
  };
  const id = await insertIssued(db, { ...record, dossierId: o.dossierId, ownerId: o.ownerId, signerFingerprint: signer.chain[0]!.fingerprint, signedBy: o.signedBy.id });
  await appendAudit(db, {
    actorId: o.who.actorId,
    actorLabel: o.who.actorLabel,
    unitCode: o.communeCode,
    action: o.kind === 'result' ? 'documents.result.sign' : 'documents.copy.sign',
    subjectType: 'issued_document',
    subjectId: id,
    ip: o.who.ip ?? null,
    detail: { code, dossier: o.dossierCode, sha256, signer: signer.chain[0]!.subject },
  });
  if (o.ownerId) {
    await addDocument(
      db,
      {
        ownerId: o.ownerId,
        source: o.kind === 'result' ? 'issued_result' : 'certified_copy',
        title: record.title,
        sha256,
        mime: 'application/pdf',
        fileName: `${code}.pdf`,
        issuedCode: code,
        communeCode: o.communeCode,
        dossierCode: o.dossierCode,
      },
      o.who,
    );
  }
  return record;
}

/** The seam: see the module comment. */
export async function produceResult(db: DbOrTx, deps: ResultDeps, input: ProduceResultInput): Promise<IssuedRecord> {
  const { dossier } = input;
  const existing = await resultOfDossier(db, dossier.decidingUnit, dossier.id);
  if (existing) return existing;
  const issuer = issuerOf(dossier.decidingUnit);
  const content = resultContent(
    {
      procedureCode: dossier.procedureCode,
      procedureName: dossier.procedureName,
      applicantName: dossier.applicantName,
      applicantAddress: dossier.applicantAddress,
      details: input.details ?? {},
      issuedAt: input.now,
    },
    issuer,
  );
  return issueSigned(db, deps, {
    communeCode: dossier.decidingUnit,
    kind: 'result',
    facts: (code, url, stamp) => ({
      ...content,
      issuer,
      number: `${dossier.code}/KQ`,
      dossierCode: dossier.code,
      verificationCode: code,
      verifyUrl: url,
      signerTitle: input.signer.title ?? 'TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH',
      stamp,
    }),
    dossierId: dossier.id,
    dossierCode: dossier.code,
    ownerId: dossier.applicantId,
    signedBy: input.signer,
    now: input.now,
    who: { actorId: input.signer.id, actorLabel: input.signer.fullName, ip: input.ip ?? null },
  });
}
