import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import { readStoredFile } from '../platform/files.js';
import type { App } from '../platform/routes.js';
import { createSession } from '../platform/session.js';
import { hasPdfsig, pdfsig } from '../signing/testing.js';
import { Client, testApp } from '../testing/app.js';
import { openTestDb } from '../testing/db.js';
import { verifyUpload } from './verification.js';
import { equipDemoCommune, SECRET } from './testing.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xaso-copies-'));
const PATH = '/can-bo/xa/25459/chung-thuc';

describe('electronic certified copies at the counter', () => {
  let h: DbHandle;
  let app: App;
  let scan: Buffer;
  const ids = new Map<string, string>();
  const as = async (login: string) => {
    const c = new Client(app);
    c.cookies.set('xaso_sid', (await createSession(h.db, ids.get(login)!, { ip: null, userAgent: 't' })).token);
    return c;
  };
  const submit = async (c: Client, path: string, fields: Record<string, string>, file: Buffer | null) => {
    const form = new FormData();
    form.set('_csrf', await c.csrf('/xac-thuc'));
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file) form.set('tep', new File([new Uint8Array(file)], 'ban-chinh.jpg', { type: 'image/jpeg' }));
    return c.request(path, { method: 'POST', body: form });
  };

  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    app = testApp(h, { secret: SECRET, dataDir });
    for (const u of await h.db.selectFrom('app_user').select(['id', 'email', 'phone']).execute()) ids.set((u.email ?? u.phone)!, u.id);
    await equipDemoCommune(h.db);
    scan = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 240, g: 235, b: 220 } } }).jpeg().toBuffer();
  }, 120_000);
  afterAll(() => h.close());

  const FIELDS = { so: '0912000001', ten: 'Bằng tốt nghiệp trung học phổ thông', trang: '3', ban: '2' };

  it('issues a signed copy into the citizen store, numbered in the register, with the fee', async () => {
    const officer = await as('tiepnhan.tanninh@demo.xaso.vn');
    expect((await officer.get(PATH)).status).toBe(200);
    const res = await submit(officer, PATH, FIELDS, scan);
    expect(res.status).toBe(303);
    const done = await (await officer.get(res.headers.get('location')!)).text();
    expect(done).toContain('1/2026/SCT/BS-ĐT');
    expect(done).toContain('10.000 đồng');
    const reg = await h.db.selectFrom('certified_copy_register').selectAll().execute();
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({ commune_code: '25459', number: 1, pages: 3, copies: 2, fee_vnd: 10_000, owner_id: ids.get('0912000001') });
    const doc = await h.db.selectFrom('citizen_document').selectAll().where('issued_document_code', '=', reg[0]!.issued_code).executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ owner_id: ids.get('0912000001'), source: 'certified_copy' });
    const pdf = await readStoredFile(dataDir, doc.sha256);
    expect(await verifyUpload(h.db, pdf)).toMatchObject({ status: 'valid', document: { kind: 'certified_copy', code: reg[0]!.issued_code } });
    if (hasPdfsig()) expect(pdfsig(pdf)).toContain('Signature is Valid');
    const audit = await h.db.selectFrom('audit_log').select('action').where('unit_code', '=', '25459').where('action', 'like', 'documents.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['documents.copy.sign', 'documents.add', 'documents.copy.register']));
    // The next copy takes the next number.
    await submit(officer, PATH, FIELDS, scan);
    expect((await h.db.selectFrom('certified_copy_register').select('number').orderBy('number').execute()).map((r) => r.number)).toEqual([1, 2]);
  });

  it('bad input: unknown phone, missing title, a PDF scan — named fields, values kept, nothing issued', async () => {
    const officer = await as('tiepnhan.tanninh@demo.xaso.vn');
    const before = (await h.db.selectFrom('certified_copy_register').select('number').execute()).length;
    const noOwner = await submit(officer, PATH, { ...FIELDS, so: '0999999999' }, scan);
    expect(noOwner.status).toBe(400);
    expect(await noOwner.text()).toContain('không có tài khoản người dân');
    const noTitle = await submit(officer, PATH, { ...FIELDS, ten: '' }, scan);
    expect(await noTitle.text()).toContain('Tên giấy tờ gốc');
    const pdfScan = await submit(officer, PATH, FIELDS, Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'));
    const html = await pdfScan.text();
    expect(html).toContain('JPG hoặc PNG');
    expect(html).toContain('value="Bằng tốt nghiệp trung học phổ thông"');
    expect((await h.db.selectFrom('certified_copy_register').select('number').execute()).length).toBe(before);
  });

  it('who may: the commune leader yes; another commune officer, a specialist, a citizen no', async () => {
    expect((await (await as('lanhdao.tanninh@demo.xaso.vn')).get(PATH)).status).toBe(200);
    expect((await submit(await as('tiepnhan.binhminh@demo.xaso.vn'), PATH, FIELDS, scan)).status).toBe(404);
    expect((await submit(await as('chuyenvien.tanninh@demo.xaso.vn'), PATH, FIELDS, scan)).status).toBe(403);
    expect((await submit(await as('0912000001'), PATH, FIELDS, scan)).status).toBe(403);
  });
});
