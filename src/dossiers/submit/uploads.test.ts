import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../platform/files.js';
import { checkPaperFile, displayName, unsafeFileName } from './intake.js';
import { isDossierUpload, UPLOAD_REQUEST_BYTES } from './uploads.js';
import { elfBytes, peBytes, tinyJpeg, tinyPdf, tinyPng } from './test-files.js';
import { BIRTH, CITIZEN, draftIdOf, listTree, location, openWorld, postFile, signedIn, type World } from './test-setup.js';

const PAPER = 'Giấy chứng sinh';

describe('checking one paper’s file', () => {
  it('accepts PDF, JPG and PNG by content, whatever the name says', async () => {
    expect(await checkPaperFile({ name: 'a.pdf', bytes: tinyPdf() }, PAPER)).toMatchObject({ ok: true, mime: 'application/pdf', fileName: 'a.pdf' });
    expect(await checkPaperFile({ name: 'anh.jpeg', bytes: await tinyJpeg() }, PAPER)).toMatchObject({ ok: true, mime: 'image/jpeg', fileName: 'anh.jpg' });
    // A PNG named .pdf is shown as what it is.
    expect(await checkPaperFile({ name: 'giay.pdf', bytes: await tinyPng() }, PAPER)).toMatchObject({ ok: true, mime: 'image/png', fileName: 'giay.png' });
  });

  const refusals: [string, () => Promise<{ name: string; bytes: Uint8Array }>, RegExp][] = [
    ['a text file', async () => ({ name: 'ghi-chu.pdf', bytes: Buffer.from('chỉ là chữ, không phải PDF') }), /chỉ nhận ảnh JPG, PNG hoặc tệp PDF/],
    ['a renamed ELF executable', async () => ({ name: 'giay-chung-sinh.pdf', bytes: elfBytes() }), /chỉ nhận ảnh JPG, PNG hoặc tệp PDF/],
    ['a renamed Windows executable', async () => ({ name: 'scan.pdf', bytes: peBytes() }), /chỉ nhận ảnh JPG, PNG hoặc tệp PDF/],
    ['a zero-byte file', async () => ({ name: 'rong.pdf', bytes: new Uint8Array(0) }), /tệp trống \(0 byte\)/],
    ['a file over 10 MB', async () => ({ name: 'lon.pdf', bytes: Buffer.concat([tinyPdf(), Buffer.alloc(MAX_UPLOAD_BYTES)]) }), /lớn hơn 10 MB/],
    ['a truncated PDF', async () => ({ name: 'dang-do.pdf', bytes: tinyPdf().subarray(0, 200) }), /PDF bị hỏng hoặc tải lên chưa hết/],
    ['a truncated PNG', async () => ({ name: 'anh.png', bytes: (await tinyPng()).subarray(0, 60) }), /ảnh bị hỏng hoặc tải lên chưa hết/],
    ['a name with a path (../)', async () => ({ name: '../../etc/passwd.pdf', bytes: tinyPdf() }), /tên tệp không hợp lệ/],
    ['a Windows path', async () => ({ name: '..\\..\\boot.pdf', bytes: tinyPdf() }), /tên tệp không hợp lệ/],
    ['a name with control characters', async () => ({ name: 'a\u0000.pdf', bytes: tinyPdf() }), /tên tệp không hợp lệ/],
  ];
  for (const [what, make, message] of refusals) {
    it(`refuses ${what}, naming the paper`, async () => {
      const r = await checkPaperFile(await make(), PAPER);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.message).toMatch(message);
      expect(r.message.startsWith(`“${PAPER}”`)).toBe(true);
    });
  }

  it('cleans the display name: no bidi tricks, no path characters, the true extension', () => {
    expect(displayName('hoa-don\u202Efdp.exe', 'application/pdf')).toBe('hoa-donfdp.exe.pdf');
    expect(displayName('  a:b*c?.PDF ', 'application/pdf')).toBe('a_b_c_.pdf');
    expect(displayName('', 'image/png')).toBe('giay-to.png');
    expect(displayName('x'.repeat(500), 'image/jpeg')).toHaveLength(104);
    expect(unsafeFileName('Giấy khai sinh (bản sao).pdf')).toBe(false);
    expect(unsafeFileName('..')).toBe(true);
  });

  it('gives only upload paths the larger limit, and only for POST', () => {
    expect(isDossierUpload('POST', '/nop-ho-so/ban-nhap/abc/giay-to/0')).toBe(true);
    expect(isDossierUpload('POST', '/can-bo/nop-thay/ban-nhap/abc/giay-to/2')).toBe(true);
    expect(isDossierUpload('POST', '/ho-so/abc/bo-sung/1')).toBe(true);
    expect(isDossierUpload('GET', '/ho-so/abc/bo-sung/1')).toBe(false);
    expect(isDossierUpload('POST', '/nop-ho-so/ban-nhap/abc/giay-to/0/xoa')).toBe(false);
    expect(isDossierUpload('POST', '/nop-ho-so/ban-nhap/abc/nguoi-nop')).toBe(false);
    expect(UPLOAD_REQUEST_BYTES).toBeGreaterThan(MAX_UPLOAD_BYTES);
  });
});

describe('uploads through the pages', () => {
  let w: World;
  let base: string;
  let client: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    w = await openWorld();
    client = await signedIn(w.app, CITIZEN);
    const id = draftIdOf(location(await client.post(`/nop-ho-so/${BIRTH}`, {})));
    base = `/nop-ho-so/ban-nhap/${id}`;
    await client.post(`${base}/truong-hop`, { case_no: '0' });
  });
  afterAll(() => w.close());

  it('refuses every bad file with a message naming the paper, stores nothing, and writes nowhere outside the data folder', async () => {
    const rootBefore = await listTree(w.root);
    const cases: [string, Uint8Array, RegExp][] = [
      ['giay.pdf', elfBytes(), /chỉ nhận ảnh JPG, PNG hoặc tệp PDF/],
      ['giay.pdf', peBytes(), /chỉ nhận ảnh JPG, PNG hoặc tệp PDF/],
      ['rong.pdf', new Uint8Array(0), /tệp trống/],
      ['dang-do.pdf', tinyPdf().subarray(0, 150), /PDF bị hỏng/],
      ['../../../../tmp/xaso-escape.pdf', tinyPdf('escape'), /tên tệp không hợp lệ/],
      ['..\\..\\xaso-escape.pdf', tinyPdf('escape2'), /tên tệp không hợp lệ/],
      ['lon.pdf', Buffer.concat([tinyPdf(), Buffer.alloc(MAX_UPLOAD_BYTES)]), /lớn hơn 10 MB/],
    ];
    for (const [name, bytes, message] of cases) {
      const r = await postFile(client, `${base}/giay-to/0`, { name, bytes, type: 'application/pdf' });
      expect(r.status, name).toBe(400);
      const html = await r.text();
      expect(html, name).toMatch(message);
      expect(html).toContain('Trường hợp trẻ em bị bỏ rơi');
      expect(html).toContain('href="#f-tep"');
    }
    expect(await listTree(w.root)).toEqual(rootBefore);
    // Where the crafted names pointed: nothing there either.
    for (const target of ['/tmp/xaso-escape.pdf', join(w.dataDir, '../../../../tmp/xaso-escape.pdf'), join(w.root, '..', 'xaso-escape.pdf'), join(w.root, '..', 'xaso-escape2.pdf')]) expect(existsSync(target), target).toBe(false);
    expect(await w.h.db.selectFrom('stored_file').select('sha256').execute()).toEqual([]);

    // A good file lands under <data>/files/ab/cd/<sha256>, named by its content only.
    const ok = await postFile(client, `${base}/giay-to/0`, { name: 'giay.pdf', bytes: tinyPdf('ok'), type: 'application/pdf' });
    expect(ok.status).toBe(303);
    const added = (await listTree(w.root)).filter((p) => !rootBefore.includes(p));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^data\/files\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
  });

  it('a request over the upload limit comes back to the page with the paper named (413)', async () => {
    const big = Buffer.alloc(UPLOAD_REQUEST_BYTES + 1024, 0x41);
    const r = await postFile(client, `${base}/giay-to/1`, { name: 'rat-lon.pdf', bytes: big, type: 'application/pdf' });
    expect(r.status).toBe(303);
    expect(location(r)).toBe(`${base}/giay-to/1?loi=qua-lon`);
    const page = await client.get(location(r));
    expect(page.status).toBe(413);
    const html = await page.text();
    expect(html).toContain('lớn hơn 10 MB');
    expect(html).toContain('“Văn bản ủy quyền');
  });

  it('the 1 MB limit still holds for ordinary forms', async () => {
    const r = await client.post(`${base}/nguoi-nop`, { full_name: 'x'.repeat(1024 * 1024 + 10), phone: CITIZEN, address: 'Khu phố 1' });
    expect(r.status).toBe(413);
  });

  it('a paper number outside the case is 404, and a missing case sends to the case page', async () => {
    expect((await client.get(`${base}/giay-to/99`)).status).toBe(404);
    expect((await client.get(`${base}/giay-to/abc`)).status).toBe(404);
    const id2 = draftIdOf(location(await client.post(`/nop-ho-so/${BIRTH}`, {})));
    expect(location(await client.get(`/nop-ho-so/ban-nhap/${id2}/giay-to/0`))).toBe(`/nop-ho-so/ban-nhap/${id2}/truong-hop`);
  });
});
