import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { readStoredFile } from '../platform/files.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { knownSigner, revokeCredential, signerForCommune } from '../signing/signing.store.js';
import { alterOneByte, hasPdfsig, pdfsig } from '../signing/testing.js';
import { verifyPdf } from '../signing/verify.js';
import { listDocuments } from './documents.store.js';
import { produceResult, ResultError, VERIFICATION_CODE_RE } from './results.js';
import { BIRTH_DETAILS, citizen, dossierFor, equipDemoCommune, SECRET, T0 } from './testing.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xaso-results-'));
const deps = { config: { secret: SECRET, dataDir, baseUrl: 'https://xaso.example' } };
const LEADER = { id: '', fullName: 'Lê Văn Lãnh' };

function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'xaso-txt-')), 'r.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe.each(testEngines())('results on %s', (engine) => {
  let h: DbHandle;
  let lan: string;
  beforeAll(async () => {
    h = await openTestDb(engine);
    expect(await equipDemoCommune(h.db)).toEqual(['25459']);
    lan = await citizen(h.db, 'Nguyễn Thị Lan', '0912000001');
    const leader = await h.db.insertInto('app_user').values({ kind: 'staff', full_name: 'Lê Văn Lãnh', phone: null, email: 'ld@x.vn', password_hash: null, home_commune_code: null }).returning('id').executeTakeFirstOrThrow();
    LEADER.id = leader.id;
  }, 120_000);
  afterAll(() => h.close());

  it('the demo chain is made once, audited, and its key is sealed', async () => {
    expect(await equipDemoCommune(h.db)).toEqual([]);
    const rows = await h.db.selectFrom('signing_credential').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.p12_sealed).not.toContain('MII');
    const audit = await h.db.selectFrom('audit_log').select(['action', 'unit_code']).where('action', '=', 'signing.credential.install').execute();
    expect(audit).toEqual([{ action: 'signing.credential.install', unit_code: '25459' }]);
  });

  it('approving a birth registration yields a signed extract in the applicant store', async () => {
    const dossier = dossierFor(lan);
    const r = await produceResult(h.db, deps, { dossier, signer: LEADER, details: BIRTH_DETAILS, now: T0 });
    expect(r.code).toMatch(VERIFICATION_CODE_RE);
    expect(r.title).toBe('Trích lục khai sinh');
    const pdf = await readStoredFile(dataDir, r.sha256);
    const text = pdfText(pdf);
    expect(text).toContain('TRÍCH LỤC KHAI SINH');
    expect(text).toContain('TRẦN MINH AN');
    expect(text).toContain(dossier.code);
    expect(text).toContain(r.code);
    expect(text).toContain('Người ký: Lê Văn Lãnh');
    const known = async (fp: string) => knownSigner(h.db, fp);
    expect((await verifyPdf(pdf, known)).status).toBe('valid');
    expect((await verifyPdf(alterOneByte(pdf), known)).status).toBe('altered');
    if (hasPdfsig()) expect(pdfsig(pdf)).toContain('Signature is Valid');
    const docs = await listDocuments(h.db, lan);
    expect(docs.map((d) => [d.source, d.issuedCode, d.dossierCode])).toContainEqual(['issued_result', r.code, dossier.code]);
    const audit = await h.db.selectFrom('audit_log').select('action').where('subject_type', 'in', ['issued_document', 'citizen_document']).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['documents.result.sign', 'documents.add']));
    // Asking again (a retried approval) returns the same result.
    expect((await produceResult(h.db, deps, { dossier, signer: LEADER, now: T0 })).code).toBe(r.code);
  });

  it('a marital-status certificate for 1.004873', async () => {
    const r = await produceResult(h.db, deps, {
      dossier: dossierFor(lan, { procedureCode: '1.004873', procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân' }),
      signer: LEADER,
      details: { tinhTrang: 'Chưa đăng ký kết hôn với ai', mucDich: 'Đăng ký kết hôn' },
      now: T0,
    });
    const text = pdfText(await readStoredFile(dataDir, r.sha256));
    expect(text).toContain('GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN');
    expect(text).toContain('Chưa đăng ký kết hôn với ai');
  });

  it('a commune without a certificate, or with a revoked one: an error, and nothing issued', async () => {
    const before = await h.db.selectFrom('issued_document').select(h.db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const other = dossierFor(lan, { decidingUnit: '25480', communeCode: '25480' });
    await expect(h.db.transaction().execute((tx) => produceResult(tx, deps, { dossier: other, signer: LEADER, now: T0 }))).rejects.toThrow(/chưa cài chứng thư số/);
    const cred = await h.db.selectFrom('signing_credential').select('id').where('commune_code', '=', '25459').executeTakeFirstOrThrow();
    expect(await revokeCredential(h.db, { communeCode: '25459', id: cred.id, reason: 'Lộ khóa (thử nghiệm)', by: { actorId: null, actorLabel: 'quản trị' }, now: T0 })).toBe(true);
    await expect(signerForCommune(h.db, SECRET, '25459', T0)).rejects.toThrow(/thu hồi/);
    const err = await h.db
      .transaction()
      .execute((tx) => produceResult(tx, deps, { dossier: dossierFor(lan), signer: LEADER, now: T0 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultError);
    expect((err as Error).message).toContain('thu hồi');
    const after = await h.db.selectFrom('issued_document').select(h.db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
