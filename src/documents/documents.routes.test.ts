import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { createSession } from '../platform/session.js';
import { seedDemo } from '../demo/seed.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import type { App } from '../platform/routes.js';
import { readStoredFile } from '../platform/files.js';
import { alterOneByte } from '../signing/testing.js';
import { produceResult } from './results.js';
import { recordAcceptedPaper, reuseForDossier } from './reuse.js';
import { BIRTH_DETAILS, dossierFor, equipDemoCommune, SECRET, T0 } from './testing.js';
import type { IssuedRecord } from './documents.store.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xaso-docs-'));
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('document store and verification pages', () => {
  let h: DbHandle;
  let app: App;
  let result: IssuedRecord;
  let pdf: Buffer;
  const ids = new Map<string, string>();
  const as = async (login: string | null) => {
    const c = new Client(app);
    if (login) c.cookies.set('xaso_sid', (await createSession(h.db, ids.get(login)!, { ip: null, userAgent: 't' })).token);
    return c;
  };
  const lanDocs = () => h.db.selectFrom('citizen_document').select(['id', 'source']).where('owner_id', '=', ids.get('0912000001')!).where('deleted_at', 'is', null).execute();

  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    app = testApp(h, { secret: SECRET, dataDir, baseUrl: 'https://xaso.example' });
    for (const u of await h.db.selectFrom('app_user').select(['id', 'email', 'phone']).execute()) ids.set((u.email ?? u.phone)!, u.id);
    await equipDemoCommune(h.db);
    const leader = { id: ids.get('lanhdao.tanninh@demo.xaso.vn')!, fullName: 'Lãnh đạo Tân Ninh' };
    result = await produceResult(h.db, { config: { secret: SECRET, dataDir, baseUrl: 'https://xaso.example' } }, { dossier: dossierFor(ids.get('0912000001')!), signer: leader, details: BIRTH_DETAILS, now: T0 });
    pdf = await readStoredFile(dataDir, result.sha256);
  }, 120_000);
  afterAll(() => h.close());

  const upload = async (c: Client, path: string, name: string, bytes: Buffer, type: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set('_csrf', await c.csrf('/xac-thuc'));
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set('tep', new File([new Uint8Array(bytes)], name, { type }));
    return c.request(path, { method: 'POST', body: form });
  };

  it('the QR code leads to the register entry: signer, time, dossier, no personal data', async () => {
    const res = await (await as(null)).get(`/xac-thuc/${result.code}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Văn bản hợp lệ');
    expect(html).toContain('UBND Phường Tân Ninh');
    expect(html).toContain(result.dossierCode!);
    expect(html).not.toContain('Nguyễn Thị Lan');
    expect(html).not.toContain('Trần Minh An');
    expect((await (await as(null)).get('/xac-thuc?ma=XS-25459-0000000000')).status).toBe(404);
  });

  it('an uploaded PDF: valid, altered by one byte, not a PDF, too large — without JavaScript', async () => {
    const c = await as(null);
    const ok = await upload(c, '/xac-thuc', 'kq.pdf', pdf, 'application/pdf');
    expect(ok.status).toBe(200);
    const okHtml = await ok.text();
    expect(okHtml).toContain('Văn bản hợp lệ');
    expect(okHtml).toContain('Trích lục khai sinh');
    const bad = await upload(c, '/xac-thuc', 'kq.pdf', alterOneByte(pdf), 'application/pdf');
    expect(await bad.text()).toContain('Văn bản đã bị sửa đổi');
    const notPdf = await upload(c, '/xac-thuc', 'anh.pdf', PNG, 'application/pdf');
    expect(notPdf.status).toBe(400);
    expect(await notPdf.text()).toContain('không phải PDF');
    const huge = await upload(c, '/xac-thuc', 'to.pdf', Buffer.alloc(50 * 1024 * 1024, 0x20), 'application/pdf');
    expect(huge.status).toBe(303);
    const after = await c.get(huge.headers.get('location')!);
    expect(after.status).toBe(413);
    expect(await after.text()).toContain('lớn hơn 10 MB');
  });

  it('the verification API answers the same', async () => {
    const c = await as(null);
    const v = await c.request('/api/v1/verification', { method: 'POST', body: new Uint8Array(pdf), headers: { 'content-type': 'application/pdf' } });
    expect(await v.json()).toMatchObject({ status: 'valid', document: { code: result.code, dossierCode: result.dossierCode } });
    const altered = await c.request('/api/v1/verification', { method: 'POST', body: new Uint8Array(alterOneByte(pdf)), headers: { 'content-type': 'application/pdf' } });
    expect(await altered.json()).toMatchObject({ status: 'altered' });
    const notPdf = await c.request('/api/v1/verification', { method: 'POST', body: new Uint8Array(PNG), headers: { 'content-type': 'application/pdf' } });
    expect(notPdf.status).toBe(400);
    expect(await notPdf.json()).toMatchObject({ error: { code: 'not_pdf' } });
    expect((await c.get(`/api/v1/verification/${result.code}`)).status).toBe(200);
  });

  it('the result is in the applicant store; another citizen, staff and anonymous are refused', async () => {
    const [doc] = await lanDocs();
    expect(doc?.source).toBe('issued_result');
    const lan = await as('0912000001');
    expect((await lan.get('/kho-giay-to')).status).toBe(200);
    expect(await (await lan.get(`/kho-giay-to/${doc!.id}`)).text()).toContain('Kết quả giải quyết hồ sơ');
    const file = await lan.get(`/kho-giay-to/${doc!.id}/tep`);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    const hung = await as('0912000002');
    for (const path of [`/kho-giay-to/${doc!.id}`, `/kho-giay-to/${doc!.id}/tep`, `/api/v1/documents/${doc!.id}`, `/api/v1/documents/${doc!.id}/file`]) {
      expect((await hung.get(path)).status, path).toBe(404);
      expect((await (await as('tiepnhan.tanninh@demo.xaso.vn')).get(path)).status, path).toBe(403);
      expect((await (await as('tiepnhan.binhminh@demo.xaso.vn')).get(path)).status, path).toBe(403);
    }
    expect((await hung.post(`/kho-giay-to/${doc!.id}/xoa`, {})).status).toBe(404);
    expect((await (await as(null)).get('/kho-giay-to')).status).toBe(303);
    expect((await (await as(null)).get('/api/v1/documents')).status).toBe(401);
    // Issued results cannot be deleted, by page or API.
    expect((await lan.post(`/kho-giay-to/${doc!.id}/xoa`, {})).status).toBe(409);
    expect((await lan.request(`/api/v1/documents/${doc!.id}/delete`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(409);
  });

  it('own uploads: stored, then deleted by the owner with an audit entry', async () => {
    const lan = await as('0912000001');
    const missing = await upload(lan, '/kho-giay-to/tai-len', 'cccd.png', PNG, 'image/png', { ten: '' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Tên giấy tờ');
    const res = await upload(lan, '/kho-giay-to/tai-len', 'cccd.png', PNG, 'image/png', { ten: 'Căn cước công dân' });
    expect(res.status).toBe(303);
    const own = (await lanDocs()).find((d) => d.source === 'own_upload')!;
    expect((await (await as('0912000002')).request(`/api/v1/documents/${own.id}/delete`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
    expect((await lan.post(`/kho-giay-to/${own.id}/xoa`, {})).status).toBe(303);
    expect((await lanDocs()).some((d) => d.id === own.id)).toBe(false);
    const audit = await h.db.selectFrom('audit_log').select('action').where('subject_id', '=', own.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['documents.add', 'documents.delete']);
  });

  it('reuse for a new dossier: the file and its provenance, and the owner sees the access', async () => {
    const [doc] = (await lanDocs()).filter((d) => d.source === 'issued_result');
    const officer = { actorId: ids.get('tiepnhan.tanninh@demo.xaso.vn')!, actorLabel: 'Cán bộ tiếp nhận Tân Ninh' };
    expect(await reuseForDossier(h.db, { ownerId: ids.get('0912000002')!, documentId: doc!.id, dossierCode: 'X', who: officer })).toBeNull();
    const reused = await reuseForDossier(h.db, { ownerId: ids.get('0912000001')!, documentId: doc!.id, dossierCode: '25459-260616-0001', who: officer });
    expect(reused).toMatchObject({ sha256: result.sha256, mime: 'application/pdf', provenance: expect.stringContaining('do UBND Phường Tân Ninh ký số') });
    const api = await (await as('0912000001')).get(`/api/v1/documents/${doc!.id}`);
    const body = (await api.json()) as { accessLog: { actor: string; action: string; dossierCode: string | null }[] };
    expect(body.accessLog).toContainEqual({ at: expect.any(String), actor: 'Cán bộ tiếp nhận Tân Ninh', action: 'reuse', dossierCode: '25459-260616-0001' });
    const page = await (await as('0912000001')).get(`/kho-giay-to/${doc!.id}`);
    expect(await page.text()).toContain('Dùng lại cho hồ sơ');
  });

  it('a paper an officer accepted shows who checked it and when', async () => {
    const id = await recordAcceptedPaper(h.db, {
      ownerId: ids.get('0912000001')!,
      title: 'Giấy chứng sinh',
      sha256: result.sha256,
      mime: 'application/pdf',
      fileName: 'giay-chung-sinh.pdf',
      communeCode: '25459',
      dossierCode: '25459-260615-0009',
      checkedBy: { id: ids.get('tiepnhan.tanninh@demo.xaso.vn')!, fullName: 'Phạm Thu Hà' },
      at: T0,
    });
    const html = await (await (await as('0912000001')).get(`/kho-giay-to/${id}`)).text();
    expect(html).toContain('Đã được cán bộ Phạm Thu Hà đối chiếu ngày 15/06/2026 (hồ sơ 25459-260615-0009)');
  });
});
