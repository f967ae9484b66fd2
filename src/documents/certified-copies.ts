/**
 * Electronic certified copies from originals: the officer scans the original
 * the citizen presents, checks it against the paper, and issues a signed copy
 * into the citizen's store, numbered in the commune's register, with its fee.
 * One transaction: the register entry, the signed document, the store entry
 * and the audit stand or fall together.
 */
import { sql } from 'kysely';
import { isoDateInVn } from '../calendar/index.js';
import { issuerOf } from '../dossiers/forms/format.js';
import { appendAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import { checkUpload } from '../platform/files.js';
import type { IssuedRecord } from './documents.store.js';
import { certifiedCopyFee } from './fees.js';
import { issueSigned, type ResultDeps } from './results.js';
import './certified-copies.tables.js';

export class CopyInputError extends Error {
  constructor(
    readonly field: 'tep' | 'ten' | 'trang' | 'ban',
    message: string,
  ) {
    super(message);
  }
}

export interface CertifyInput {
  communeCode: string;
  officer: { id: string; fullName: string };
  ownerId: string;
  originalTitle: string;
  scan: Uint8Array;
  pages: number;
  copies: number;
  now: Date;
  ip?: string | null;
}

export interface CertifiedCopy {
  document: IssuedRecord;
  registerNo: string;
  feeVnd: number;
}

export async function issueCertifiedCopy(db: Db, deps: ResultDeps, o: CertifyInput): Promise<CertifiedCopy> {
  const title = o.originalTitle.trim();
  if (!title) throw new CopyInputError('ten', 'Tên giấy tờ gốc: nhập tên giấy tờ được chứng thực, ví dụ “Bằng tốt nghiệp trung học phổ thông”.');
  if (!Number.isInteger(o.pages) || o.pages < 1 || o.pages > 200) throw new CopyInputError('trang', 'Số trang: nhập số trang của bản chính, từ 1 đến 200.');
  if (!Number.isInteger(o.copies) || o.copies < 1 || o.copies > 20) throw new CopyInputError('ban', 'Số bản: nhập số bản sao cần cấp, từ 1 đến 20.');
  const checked = await checkUpload(o.scan, 'Bản quét bản chính');
  if (!checked.ok) throw new CopyInputError('tep', checked.message);
  if (checked.mime === 'application/pdf') throw new CopyInputError('tep', 'Bản quét bản chính: quét thành ảnh JPG hoặc PNG (bản PDF chưa được hỗ trợ để chứng thực).');
  const feeVnd = certifiedCopyFee(o.pages, o.copies);
  const year = Number(isoDateInVn(o.now).slice(0, 4));
  return db.transaction().execute(async (tx) => {
    // One register per commune and year: numbers follow each other without gaps.
    await sql`select pg_advisory_xact_lock(7261013, ${Number(o.communeCode)})`.execute(tx);
    const last = await tx
      .selectFrom('certified_copy_register')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('commune_code', '=', o.communeCode)
      .where('year', '=', year)
      .executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    const registerNo = `${number}/${year}/SCT/BS-ĐT`;
    const issuer = issuerOf(o.communeCode);
    const document = await issueSigned(tx, deps, {
      communeCode: o.communeCode,
      kind: 'certified_copy',
      facts: (code, url, stamp) => ({
        issuer,
        title: 'BẢN SAO ĐIỆN TỬ CHỨNG THỰC TỪ BẢN CHÍNH',
        number: registerNo,
        dossierCode: registerNo,
        verificationCode: code,
        verifyUrl: url,
        lines: [
          ['Giấy tờ được chứng thực', title],
          ['Số trang bản chính', String(o.pages)],
          ['Số chứng thực', `${number}, quyển số ${year}-SCT/BS-ĐT`],
        ],
        notes: [`Chứng thực bản sao điện tử này đúng với bản chính do người yêu cầu xuất trình ngày ${isoDateInVn(o.now).split('-').reverse().join('/')}.`],
        image: Buffer.from(o.scan),
        signerTitle: 'NGƯỜI THỰC HIỆN CHỨNG THỰC',
        stamp,
      }),
      dossierId: null,
      dossierCode: null,
      ownerId: o.ownerId,
      signedBy: o.officer,
      now: o.now,
      who: { actorId: o.officer.id, actorLabel: o.officer.fullName, ip: o.ip ?? null },
    });
    await tx
      .insertInto('certified_copy_register')
      .values({
        commune_code: o.communeCode,
        year,
        number,
        issued_code: document.code,
        owner_id: o.ownerId,
        original_title: title,
        pages: o.pages,
        copies: o.copies,
        fee_vnd: feeVnd,
        officer_id: o.officer.id,
        issued_at: o.now,
      })
      .execute();
    await appendAudit(tx, {
      actorId: o.officer.id,
      actorLabel: o.officer.fullName,
      unitCode: o.communeCode,
      action: 'documents.copy.register',
      subjectType: 'certified_copy_register',
      subjectId: `${o.communeCode}/${year}/${number}`,
      ip: o.ip ?? null,
      detail: { code: document.code, owner: o.ownerId, pages: o.pages, copies: o.copies, feeVnd },
    });
    return { document, registerNo, feeVnd };
  });
}
