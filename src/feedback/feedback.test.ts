/**
 * Feedback over HTTP: the citizen's submission (steps, photos, retries), the
 * tracking page's visibility, officials' handling (triage, reply, close), the
 * citizen's rating and reopening, the public list and the figures. Every
 * data-changing action has its behaviour test and its permission test.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole, insertUser } from '../accounts/accounts.store.js';
import { hashPassword } from '../accounts/passwords.js';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import { authorKey, STALE } from './feedback.service.js';
import { decodeGate } from './photos.js';
import { formTokens, makeFeedback, openSubmitForm, pngBytes, postSubmit } from './test-helpers.js';

const HOME = '25459';
const OTHER = '25480';
const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const SPECIALIST = 'chuyenvien.tanninh@demo.xaso.vn';
const LEADER = 'lanhdao.tanninh@demo.xaso.vn';
const TEAM = 'totcns.tanninh@demo.xaso.vn';
const PROVINCE_ADMIN = 'quantri.tayninh@demo.xaso.vn';
const ANALYST = 'phantich.tayninh@demo.xaso.vn';
const OTHER_OFFICER = 'tiepnhan.binhminh@demo.xaso.vn';
const OTHER_PROVINCE_ADMIN = 'quantri.hanoi@test.xaso.vn';
const CITIZEN = '0912000001'; // home commune 25459
const CITIZEN_B = '0912000003';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  };
  await walk(dir, '');
  return out.sort();
}

describe.each(testEngines())('feedback on %s', (engine) => {
  let h: DbHandle;
  let app: App;
  let dataDir: string;
  const signedIn = new Map<string, Client>();

  /** One signed-in client per login (a fresh IP each, so rate limits never interfere). */
  async function as(login: string): Promise<Client> {
    let c = signedIn.get(login);
    if (!c) {
      c = new Client(app, `10.20.${signedIn.size + 1}.1`);
      await c.signIn(login, DEMO_PASSWORD);
      signedIn.set(login, c);
    }
    return c;
  }

  let anonIp = 0;
  const anon = () => new Client(app, `10.30.${Math.floor(anonIp / 200)}.${(anonIp++ % 200) + 1}`);

  /** Files an item through the web form; returns its code and the redirect. */
  async function submit(c: Client, fields: Record<string, string> = {}, photos: { name: string; bytes: Uint8Array }[] = []) {
    const { csrf, idem } = await openSubmitForm(c, fields.xa ?? HOME, fields.loai ?? 'khac');
    const res = await postSubmit(c, { _csrf: csrf, xa: HOME, loai: 'khac', idem, mo_ta: 'Đèn đường trước nhà văn hoá tổ 5 không sáng', dia_diem: 'Tổ 5, khu phố 2', cong_khai: 'co', dien_thoai: '0987000111', ...fields }, photos);
    const location = res.headers.get('location') ?? '';
    const code = /PA-\d{5}-\d{4}-\d{6}-[2-9A-Z]{6}/.exec(location)?.[0] ?? '';
    return { res, location, code, idem, csrf };
  }

  const row = (code: string) => h.db.selectFrom('feedback').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
  const actions = async (code: string) => (await h.db.selectFrom('audit_log').select('action').where('subject_id', '=', code).orderBy('seq').execute()).map((r) => r.action);
  const sms = async (phone: string) => (await h.db.selectFrom('outbox').select('body').where('recipient', '=', phone).orderBy('id').execute()).map((r) => r.body);

  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db);
    const id = await insertUser(h.db, { kind: 'staff', fullName: 'Quản trị Hà Nội', phone: null, email: OTHER_PROVINCE_ADMIN, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await grantRole(h.db, id, '01', 'province_admin');
    dataDir = await mkdtemp(join(tmpdir(), 'xaso-feedback-'));
    app = testApp(h, { dataDir });
  });
  afterAll(async () => {
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('submitting', () => {
    it('asks one question per page: commune, then category, then the details', async () => {
      const c = anon();
      const step1 = await (await c.get('/phan-anh/gui')).text();
      expect(step1).toContain('Việc bạn phản ánh xảy ra ở xã, phường nào?');
      expect(step1).toContain('<option value="25459">Phường Tân Ninh</option>');
      const empty = await c.get('/phan-anh/gui?xa=');
      expect(empty.status).toBe(400);
      expect(await empty.text()).toContain('Chọn xã, phường nơi xảy ra việc bạn phản ánh');
      const step2 = await (await c.get(`/phan-anh/gui?xa=${HOME}`)).text();
      expect(step2).toContain('Bạn muốn phản ánh về việc gì?');
      for (const name of ['Đường sá, chiếu sáng', 'Môi trường, rác thải', 'An ninh trật tự', 'Thủ tục hành chính', 'Khác']) expect(step2).toContain(name);
      const badCategory = await c.get(`/phan-anh/gui?xa=${HOME}&loai=`);
      expect(badCategory.status).toBe(400);
      const step3 = await (await c.get(`/phan-anh/gui?xa=${HOME}&loai=khac`)).text();
      expect(step3).toContain('enctype="multipart/form-data"');
      expect(step3).toMatch(/name="idem" value="[0-9a-f-]{36}"/);
      expect(step3).toContain('Số điện thoại của bạn');
    });

    it('starts a signed-in citizen at their home commune and uses their account phone', async () => {
      const c = await as(CITIZEN);
      const step = await (await c.get('/phan-anh/gui')).text();
      expect(step).toContain('Bạn muốn phản ánh về việc gì?');
      expect(step).toContain('Phường Tân Ninh');
      const { res, code } = await submit(c, { dien_thoai: '' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/phan-anh/${code}?moi=1`);
      const r = await row(code);
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', CITIZEN).executeTakeFirstOrThrow();
      expect(r).toMatchObject({ author_id: user.id, contact_phone: CITIZEN, channel: 'web', status: 'new', is_public: true });
      expect((await sms(CITIZEN)).at(-1)).toContain(`da nhan phan anh ${code}`);
    });

    it('files an anonymous report with a photo: code, tracking link with the author key, SMS, audit, photo re-encoded in the data folder', async () => {
      const c = anon();
      const photo = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#884422' } })
        .jpeg()
        .withExifMerge({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '11/1 18/1 0/1' } })
        .toBuffer();
      const { res, code, location } = await submit(c, { dien_thoai: '0987 000 222' }, [{ name: 'IMG_2026.jpg', bytes: new Uint8Array(photo) }]);
      expect(res.status).toBe(303);
      expect(code).toMatch(new RegExp(`^PA-${HOME}-\\d{4}-\\d{6}-[2-9A-HJ-NP-Z]{6}$`));
      const r = await row(code);
      expect(location).toBe(`/phan-anh/${code}?ma=${authorKey('test-secret-0123456789abcdef', r.id)}&moi=1`);
      expect(r.contact_phone).toBe('0987000222');
      expect(r.author_id).toBeNull();
      const dueDays = await h.db.selectFrom('feedback_category').select('deadline_days').where('commune_code', '=', HOME).where('code', '=', 'khac').executeTakeFirstOrThrow();
      expect(dueDays.deadline_days).toBe(15);
      expect(await actions(code)).toEqual(['feedback.submit']);
      const audit = await h.db.selectFrom('audit_log').select(['pd_changed', 'unit_code']).where('subject_id', '=', code).executeTakeFirstOrThrow();
      expect(audit).toEqual({ pd_changed: ['contact_phone'], unit_code: HOME });
      const message = (await sms('0987000222')).at(-1)!;
      expect(message).toContain(code);
      expect(message).toContain(`?ma=${authorKey('test-secret-0123456789abcdef', r.id)}`);

      const photos = await h.db.selectFrom('feedback_photo').selectAll().where('feedback_id', '=', r.id).execute();
      expect(photos).toHaveLength(1);
      expect(await files(dataDir)).toContain(`uploads/feedback/${photos[0]!.sha256}.jpg`);
      const page = await (await c.get(location)).text();
      expect(page).toContain(`Mã phản ánh của bạn là ${code}`);
      const img = await c.get(`/phan-anh/${code}/anh/1`);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/jpeg');
      const meta = await sharp(new Uint8Array(await img.arrayBuffer())).metadata();
      expect([meta.width, meta.height, meta.exif]).toEqual([1600, 1200, undefined]);
    });

    it('takes a photo over 1 MB (the upload has its own limit) and refuses a body over 55 MB with a clear page', async () => {
      const c = anon();
      // Noise does not compress: about 3 MB of PNG.
      const noise = await sharp(Buffer.from(Array.from({ length: 1000 * 1000 * 3 }, () => Math.floor(Math.random() * 256))), { raw: { width: 1000, height: 1000, channels: 3 } }).png().toBuffer();
      expect(noise.byteLength).toBeGreaterThan(1024 * 1024);
      const ok = await submit(c, {}, [{ name: 'to.png', bytes: new Uint8Array(noise) }]);
      expect(ok.res.status).toBe(303);
      const { csrf, idem } = await openSubmitForm(c);
      const huge = await c.request('/phan-anh/gui', {
        method: 'POST',
        body: new Uint8Array(56 * 1024 * 1024),
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'x-csrf-token': csrf, 'x-idem': idem },
      });
      expect(huge.status).toBe(413);
      expect(await huge.text()).toContain('mỗi ảnh tối đa 10 MB');
      // Every other form keeps the 1 MB limit.
      const other = await c.request('/dang-ky', { method: 'POST', body: new Uint8Array(2 * 1024 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(other.status).toBe(413);
    });

    it('a retried submission (same idempotency key) files one item', async () => {
      const c = anon();
      const { csrf, idem } = await openSubmitForm(c);
      const fields = { _csrf: csrf, xa: HOME, loai: 'khac', idem, mo_ta: 'Bấm gửi hai lần', cong_khai: 'khong', dien_thoai: '0987000333' };
      const [a, b] = await Promise.all([postSubmit(c, fields), postSubmit(c, fields)]);
      const c3 = await postSubmit(c, fields);
      const locations = [a, b, c3].map((r) => r.headers.get('location'));
      expect([a.status, b.status, c3.status]).toEqual([303, 303, 303]);
      expect(new Set(locations).size).toBe(1);
      const n = await h.db.selectFrom('feedback').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', idem).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
      expect((await sms('0987000333')).length).toBe(1);
    });

    it('explains every mistake in Vietnamese, naming the field, keeps what was typed and the key', async () => {
      const c = anon();
      const { csrf, idem } = await openSubmitForm(c);
      const res = await postSubmit(c, { _csrf: csrf, xa: HOME, loai: 'khac', idem, mo_ta: '   ', dia_diem: 'x'.repeat(501), dien_thoai: '12345' });
      expect(res.status).toBe(400);
      const html = await res.text();
      for (const [field, text] of [
        ['mo_ta', 'Nhập nội dung phản ánh'],
        ['dia_diem', 'Địa điểm quá dài: tối đa 500 ký tự'],
        ['cong_khai', 'Chọn có cho mọi người xem phản ánh này hay không'],
        ['dien_thoai', 'Số điện thoại chưa đúng'],
      ]) {
        expect(html).toContain(`href="#f-${field}"`);
        expect(html).toContain(text!);
      }
      expect(html).toContain(`name="idem" value="${idem}"`);
      expect(html).toContain('value="12345"');
      const long = await postSubmit(c, { _csrf: csrf, xa: HOME, loai: 'khac', idem, mo_ta: 'a'.repeat(4001), cong_khai: 'co', dien_thoai: '0987000444' });
      expect(long.status).toBe(400);
      expect(await long.text()).toContain('Nội dung phản ánh quá dài: tối đa 4.000 ký tự');
      const noPhone = await postSubmit(c, { _csrf: csrf, xa: HOME, loai: 'khac', idem, mo_ta: 'Có việc', cong_khai: 'co' });
      expect(await noPhone.text()).toContain('Nhập số điện thoại để nhận tin nhắn báo tiến độ');
      expect(await h.db.selectFrom('feedback').select('id').where('idempotency_key', '=', idem).executeTakeFirst()).toBeUndefined();
    });

    it('refuses bad photos clearly, files nothing and writes nothing', async () => {
      const c = anon();
      const before = await files(dataDir);
      const png = await pngBytes();
      const exe = new Uint8Array(Buffer.concat([Buffer.from('MZ\x90\x00', 'binary'), Buffer.alloc(200)]));
      const { res, idem } = await submit(c, { mo_ta: 'Ảnh hỏng' }, [
        { name: 'hoa-don.pdf', bytes: new TextEncoder().encode('%PDF-1.4 không phải ảnh') },
        { name: 'anh.jpg', bytes: exe },
        { name: 'rong.png', bytes: new Uint8Array(0) },
        { name: '../../../../tmp/xaso-evil.png', bytes: png },
        { name: 'qua-lon.png', bytes: new Uint8Array(10 * 1024 * 1024 + 1) },
      ]);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('href="#f-anh"');
      for (const text of ['“hoa-don.pdf” không phải ảnh JPEG, PNG hoặc WebP', '“anh.jpg” không phải ảnh', '“rong.png” là tệp rỗng', 'có tên tệp không hợp lệ', '“qua-lon.png” lớn hơn 10 MB']) expect(html).toContain(text);
      expect(await h.db.selectFrom('feedback').select('id').where('idempotency_key', '=', idem).executeTakeFirst()).toBeUndefined();
      expect(await files(dataDir)).toEqual(before);
      expect(await files('/tmp').then((f) => f.includes('xaso-evil.png'))).toBe(false);
    });

    it('needs the CSRF token', async () => {
      const c = anon();
      const { idem } = await openSubmitForm(c);
      const res = await postSubmit(c, { xa: HOME, loai: 'khac', idem, mo_ta: 'x', cong_khai: 'co', dien_thoai: '0987000555' });
      expect(res.status).toBe(403);
    });
  });

  describe('expensive work only after the form validates, and limited', () => {
    it('decodes no photo when the form is invalid, yet names every problem', async () => {
      const c = anon();
      const { csrf, idem } = await openSubmitForm(c, HOME, 'khac');
      const before = decodeGate.started;
      const res = await postSubmit(c, { _csrf: csrf, xa: HOME, loai: 'khac', idem, mo_ta: '', dia_diem: '', cong_khai: 'co', dien_thoai: '0987000777' }, [
        { name: 'to.png', bytes: await pngBytes(3000, 3000) },
        { name: 'ghi-chu.txt', bytes: new TextEncoder().encode('không phải ảnh') },
      ]);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('“ghi-chu.txt” không phải ảnh');
      expect(decodeGate.started).toBe(before);
    });

    it('counts every attempt that reaches the decoder, not only the filed ones', async () => {
      const c = new Client(app, '10.99.0.1');
      const { csrf, idem } = await openSubmitForm(c, HOME, 'khac');
      // A readable header (it passes the cheap checks) over corrupt image data (the decoder fails).
      const broken = await pngBytes(64, 48);
      const idat = Buffer.from(broken).indexOf('IDAT');
      broken.fill(0xff, idat + 6, idat + 4 + Buffer.from(broken).readUInt32BE(idat - 4));
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) {
        const r = await postSubmit(c, { _csrf: csrf, xa: HOME, loai: 'khac', idem: `${idem}-${i}`.slice(0, 64), mo_ta: 'Đèn đường hỏng đã lâu', dia_diem: '', cong_khai: 'co', dien_thoai: '0987000778' }, [
          { name: 'hong.png', bytes: broken },
        ]);
        statuses.push(r.status);
      }
      expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
      expect(statuses[30]).toBe(429);
    });
  });

  describe('the tracking page', () => {
    it('shows a public item to anyone, with contacts in the text masked, and no name or phone', async () => {
      const { code } = await submit(anon(), { mo_ta: 'Gọi tôi 0987 123 456 hoặc lan@example.com khi sửa xong', dien_thoai: '0987000666' });
      const html = await (await anon().get(`/phan-anh/${code}`)).text();
      expect(html).toContain('Gọi tôi [đã ẩn] hoặc [đã ẩn] khi sửa xong');
      expect(html).not.toContain('0987 123 456');
      expect(html).not.toContain('0987000666');
      expect(html).not.toContain('Đánh giá câu trả lời');
    });

    it('hides a private item’s content from everyone but its author and the commune’s officials', async () => {
      const { code, location } = await submit(anon(), { mo_ta: 'Hàng xóm lấn chiếm lối đi', cong_khai: 'khong' }, [{ name: 'a.png', bytes: await pngBytes() }]);
      // A stranger learns nothing of a private item, not even its category, status or commune: the unknown-code page.
      const publicRes = await anon().get(`/phan-anh/${code}`);
      expect(publicRes.status).toBe(404);
      const publicView = await publicRes.text();
      const unknownCode = `PA-${HOME}-2026-999999-ABCDEF`;
      const unknown = await (await anon().get(`/phan-anh/${unknownCode}`)).text();
      // Only the footer's links back to this address differ.
      expect(publicView.replaceAll(code, 'X')).toBe(unknown.replaceAll(unknownCode, 'X'));
      for (const shown of ['Hàng xóm lấn chiếm', 'Tình trạng', 'Nơi nhận', 'Loại']) expect(publicView).not.toContain(shown);
      expect((await anon().get(`/phan-anh/${code}/anh/1`)).status).toBe(404);
      expect((await anon().get(`/phan-anh/${code}?ma=wrong-key-000000000000000`)).status).toBe(404);
      const author = await (await anon().get(location)).text();
      expect(author).toContain('Hàng xóm lấn chiếm lối đi');
      const key = new URL(location, 'http://x').searchParams.get('ma')!;
      expect((await anon().get(`/phan-anh/${code}/anh/1?ma=${key}`)).status).toBe(200);
      for (const login of [OFFICER, PROVINCE_ADMIN]) expect(await (await (await as(login)).get(`/phan-anh/${code}`)).text()).toContain('Hàng xóm lấn chiếm lối đi');
      for (const login of [OTHER_OFFICER, CITIZEN_B, TEAM, ANALYST]) expect(await (await (await as(login)).get(`/phan-anh/${code}`)).text()).not.toContain('Hàng xóm lấn chiếm');
      expect((await (await as(OFFICER)).get(`/phan-anh/${code}/anh/1`)).status).toBe(200);
    });

    it('answers 404 for unknown codes and finds a code typed in lower case', async () => {
      expect((await anon().get('/phan-anh/PA-25459-2026-999999')).status).toBe(404);
      const { code } = await submit(anon());
      const res = await anon().get(`/phan-anh/tra-cuu?ma_so=${encodeURIComponent(` ${code.toLowerCase()} `)}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/phan-anh/${code}`);
      const missing = await anon().get('/phan-anh/tra-cuu?ma_so=PA-1');
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('href="#f-ma_so"');
    });
  });

  describe('handling by officials', () => {
    it('the queue counts new, in progress, overdue and at risk', async () => {
      await makeFeedback(h.db, { communeCode: '25486', dueDate: '2020-01-01' });
      await makeFeedback(h.db, { communeCode: '25486', dueDate: '2099-01-01', status: 'in_progress' });
      const html = await (await as(PROVINCE_ADMIN)).get('/can-bo/xa/25486/phan-anh').then((r) => r.text());
      expect(html).toMatch(/<span class="fb-n">1<\/span> Mới/);
      expect(html).toMatch(/<span class="fb-n">1<\/span> Đang xử lý/);
      expect(html).toMatch(/<span class="fb-n">1<\/span> Quá hạn/);
      expect(html).toMatch(/<span class="fb-n">0<\/span> Sắp đến hạn/);
      const overdue = await (await as(PROVINCE_ADMIN)).get('/can-bo/xa/25486/phan-anh?loc=qua-han').then((r) => r.text());
      expect(overdue.match(/class="tag fb-tag fb-warn-tag"/g)).toHaveLength(1);
    });

    it('the queue counts are shared between views and change as soon as someone acts here', async () => {
      const officer = await as(OTHER_OFFICER);
      const counts = async () => {
        const html = await (await officer.get(`/can-bo/xa/${OTHER}/phan-anh`)).text();
        const n = (label: string) => Number(new RegExp(`<span class="fb-n">(\\d+)</span> ${label}<`).exec(html)?.[1]);
        return { new: n('Mới'), inProgress: n('Đang xử lý') };
      };
      const { code } = await submit(anon(), { xa: OTHER });
      const before = await counts();
      expect(before.new).toBeGreaterThanOrEqual(1);
      // Written behind the app's back (as another server would): not counted until the counts expire or something changes here.
      await makeFeedback(h.db, { communeCode: OTHER });
      expect(await counts()).toEqual(before);

      const base = `/can-bo/xa/${OTHER}/phan-anh/${code}`;
      const t = formTokens(await (await officer.get(base)).text());
      expect((await officer.post(`${base}/phan-loai`, { loai: 'khac', don_vi: 'Tổ dân phố 3', phien_ban: t.version }, { csrf: t.csrf })).status).toBe(303);
      expect(await counts()).toEqual({ new: before.new, inProgress: before.inProgress + 1 }); // one triaged, the one written aside now counted
      await submit(anon(), { xa: OTHER });
      expect(await counts()).toEqual({ new: before.new + 1, inProgress: before.inProgress + 1 });
    });

    it('the queue list shows an item as soon as it is filed here; on the embedded database it is served from a cache emptied by every change', async () => {
      const officer = await as(OTHER_OFFICER);
      const list = async () => (await (await officer.get(`/can-bo/xa/${OTHER}/phan-anh`)).text()).match(/PA-[0-9A-Z-]+/g) ?? ([] as string[]);
      const { code } = await submit(anon(), { xa: OTHER });
      expect(await list()).toContain(code);
      // Written behind the app's back: PostgreSQL (other servers write too) lists it at once; PGlite has no other writer.
      const aside = await makeFeedback(h.db, { communeCode: OTHER });
      expect((await list()).includes(aside.code)).toBe(engine === 'postgres');
      const { code: next } = await submit(anon(), { xa: OTHER });
      expect(await list()).toEqual(expect.arrayContaining([code, aside.code, next]));
    });

    it('full cycle: triage → public reply → close → the citizen rates → reopens once → closed again; each step audited, SMS on status changes', async () => {
      const citizen = await as(CITIZEN);
      const { code } = await submit(citizen, { mo_ta: 'Ổ gà lớn trên đường Trần Hưng Đạo', dien_thoai: '' });
      const officer = await as(OFFICER);
      const base = `/can-bo/xa/${HOME}/phan-anh/${code}`;
      let page = await (await officer.get(base)).text();
      expect(page).toContain('Nguyễn Thị Lan');
      expect(page).toContain(CITIZEN);
      let t = formTokens(page);
      const triage = await officer.post(`${base}/phan-loai`, { loai: 'duong-sa-chieu-sang', don_vi: 'Tổ dân phố 5', phien_ban: t.version }, { csrf: t.csrf });
      expect(triage.status).toBe(303);
      let r = await row(code);
      expect(r).toMatchObject({ status: 'in_progress', category_code: 'duong-sa-chieu-sang', responsible_unit: 'Tổ dân phố 5', version: 2 });
      expect((await sms(CITIZEN)).at(-1)).toContain(`phan anh ${code} dang duoc xu ly`);

      page = await (await officer.get(base)).text();
      t = formTokens(page);
      const tooEarly = await officer.post(`${base}/dong`, { phien_ban: t.version }, { csrf: t.csrf });
      expect(tooEarly.status).toBe(400);
      expect(await tooEarly.text()).toContain('Cần trả lời người dân trước khi đóng');
      const reply = await officer.post(`${base}/tra-loi`, { noi_dung: 'Đã vá ổ gà ngày 20/11. Cảm ơn bà.', hien_thi: 'cong_khai', phien_ban: t.version }, { csrf: t.csrf });
      expect(reply.status).toBe(303);
      page = await (await officer.get(base)).text();
      t = formTokens(page);
      const privateReply = await officer.post(`${base}/tra-loi`, { noi_dung: 'Riêng: đội thi công sẽ liên hệ lại.', hien_thi: 'rieng', phien_ban: t.version }, { csrf: t.csrf });
      expect(privateReply.status).toBe(303);
      page = await (await officer.get(base)).text();
      t = formTokens(page);
      const close = await officer.post(`${base}/dong`, { phien_ban: t.version }, { csrf: t.csrf });
      expect(close.status).toBe(303);
      r = await row(code);
      expect(r).toMatchObject({ status: 'closed', public_reply: 'Đã vá ổ gà ngày 20/11. Cảm ơn bà.', reply_count: 2 });
      expect((await sms(CITIZEN)).at(-1)).toContain('da duoc tra loi va dong');

      // The public sees the public reply, not the private one.
      const publicView = await (await anon().get(`/phan-anh/${code}`)).text();
      expect(publicView).toContain('Đã vá ổ gà');
      expect(publicView).not.toContain('đội thi công');
      const listed = await (await anon().get(`/xa/${HOME}/phan-anh?q=o+ga+tran+hung+dao`)).text();
      expect(listed).toContain(code);

      // The citizen rates, then asks once for more work.
      let mine = await (await citizen.get(`/phan-anh/${code}`)).text();
      expect(mine).toContain('đội thi công');
      t = formTokens(mine);
      const rate = await citizen.post(`/phan-anh/${code}/danh-gia`, { diem: '2', nhan_xet: 'Vá chưa phẳng', phien_ban: t.version }, { csrf: t.csrf });
      expect(rate.status).toBe(303);
      expect((await row(code)).rating).toBe(2);
      mine = await (await citizen.get(`/phan-anh/${code}`)).text();
      t = formTokens(mine);
      const reopen = await citizen.post(`/phan-anh/${code}/mo-lai`, { ly_do: 'Mặt đường vẫn lồi lõm', phien_ban: t.version }, { csrf: t.csrf });
      expect(reopen.status).toBe(303);
      r = await row(code);
      expect(r).toMatchObject({ status: 'in_progress', reopen_count: 1, rating: null, closed_at: null });
      expect((await sms(CITIZEN)).at(-1)).toContain('da mo lai phan anh');

      page = await (await officer.get(base)).text();
      t = formTokens(page);
      await officer.post(`${base}/dong`, { phien_ban: t.version }, { csrf: t.csrf });
      mine = await (await citizen.get(`/phan-anh/${code}`)).text();
      expect(mine).not.toContain('Yêu cầu xử lý lại');
      t = formTokens(mine);
      const again = await citizen.post(`/phan-anh/${code}/mo-lai`, { ly_do: 'Lần nữa', phien_ban: t.version }, { csrf: t.csrf });
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('đã được mở lại một lần');
      expect(await actions(code)).toEqual([
        'feedback.submit',
        'feedback.view',
        'feedback.triage',
        'feedback.view',
        'feedback.view', // the 400 page of the early close shows the item again
        'feedback.reply',
        'feedback.view',
        'feedback.reply',
        'feedback.view',
        'feedback.close',
        'feedback.rate',
        'feedback.reopen',
        'feedback.view',
        'feedback.close',
      ]);
      const view = await h.db.selectFrom('audit_log').select('pd_read').where('subject_id', '=', code).where('action', '=', 'feedback.view').limit(1).executeTakeFirstOrThrow();
      expect(view.pd_read).toEqual(['author', 'contact_phone']);
      const events = await h.db.selectFrom('feedback_event').select(['seq', 'kind']).where('feedback_id', '=', r.id).orderBy('seq').execute();
      expect(events.map((e) => e.kind)).toEqual(['submitted', 'triaged', 'reply', 'reply', 'closed', 'rated', 'reopened', 'closed']);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('a stale form (someone else changed the item) gets a clear message and changes nothing', async () => {
      const { code } = await submit(anon());
      const base = `/can-bo/xa/${HOME}/phan-anh/${code}`;
      const a = await as(OFFICER);
      const b = await as(SPECIALIST);
      const ta = formTokens(await (await a.get(base)).text());
      const tb = formTokens(await (await b.get(base)).text());
      expect((await a.post(`${base}/phan-loai`, { loai: 'khac', don_vi: 'Công an phường', phien_ban: ta.version }, { csrf: ta.csrf })).status).toBe(303);
      const stale = await b.post(`${base}/phan-loai`, { loai: 'an-ninh-trat-tu', don_vi: 'Tổ 9', phien_ban: tb.version }, { csrf: tb.csrf });
      expect(stale.status).toBe(409);
      const html = await stale.text();
      expect(html).toContain(STALE);
      expect(html).toContain('Công an phường'); // the latest state is shown
      expect(await row(code)).toMatchObject({ responsible_unit: 'Công an phường', category_code: 'khac', version: 2 });
      const staleReply = await b.post(`${base}/tra-loi`, { noi_dung: 'Trả lời muộn', hien_thi: 'cong_khai', phien_ban: tb.version }, { csrf: tb.csrf });
      expect(staleReply.status).toBe(409);
      expect((await row(code)).reply_count).toBe(0);
    });

    it('validates the officials’ forms in Vietnamese', async () => {
      const { code } = await submit(anon());
      const base = `/can-bo/xa/${HOME}/phan-anh/${code}`;
      const o = await as(LEADER);
      const t = formTokens(await (await o.get(base)).text());
      const bad = await o.post(`${base}/phan-loai`, { loai: 'khong-co', don_vi: '', phien_ban: t.version }, { csrf: t.csrf });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Nhập đơn vị hoặc người chịu trách nhiệm xử lý');
      const badCategory = await o.post(`${base}/phan-loai`, { loai: 'khong-co', don_vi: 'Tổ 1', phien_ban: t.version }, { csrf: t.csrf });
      expect(badCategory.status).toBe(400);
      expect(await badCategory.text()).toContain('Chọn một loại phản ánh trong danh sách');
      const emptyReply = await o.post(`${base}/tra-loi`, { noi_dung: '', phien_ban: t.version }, { csrf: t.csrf });
      const html = await emptyReply.text();
      expect(emptyReply.status).toBe(400);
      expect(html).toContain('Nhập nội dung trả lời');
      expect(html).toContain('Chọn câu trả lời công khai hay chỉ gửi riêng người phản ánh');
    });

    it('a reply to a private item is always private', async () => {
      const { code } = await submit(anon(), { cong_khai: 'khong' });
      const base = `/can-bo/xa/${HOME}/phan-anh/${code}`;
      const o = await as(OFFICER);
      const t = formTokens(await (await o.get(base)).text());
      expect((await o.post(`${base}/tra-loi`, { noi_dung: 'Đã xử lý', hien_thi: 'cong_khai', phien_ban: t.version }, { csrf: t.csrf })).status).toBe(303);
      expect((await row(code)).public_reply).toBeNull();
    });
  });

  describe('who may change an item', () => {
    async function freshItem() {
      const { code } = await submit(anon());
      return code;
    }

    const allowed = [OFFICER, SPECIALIST, LEADER, PROVINCE_ADMIN];
    const refused: [string, number][] = [
      [CITIZEN, 403],
      [TEAM, 403],
      [ANALYST, 403],
      [OTHER_OFFICER, 404],
      [OTHER_PROVINCE_ADMIN, 404],
    ];

    for (const action of ['phan-loai', 'tra-loi', 'dong'] as const) {
      const fields = (version: string): Record<string, string> =>
        action === 'phan-loai' ? { loai: 'khac', don_vi: 'Tổ 1', phien_ban: version } : action === 'tra-loi' ? { noi_dung: 'Đã nhận', hien_thi: 'rieng', phien_ban: version } : { phien_ban: version };

      it(`${action}: allowed to the commune's handlers and the province admin`, async () => {
        for (const login of allowed) {
          const code = await freshItem();
          const base = `/can-bo/xa/${HOME}/phan-anh/${code}`;
          const c = await as(login);
          if (action === 'dong') await h.db.updateTable('feedback').set({ reply_count: 1 }).where('code', '=', code).execute();
          const t = formTokens(await (await c.get(base)).text());
          const res = await c.post(`${base}/${action}`, fields(t.version), { csrf: t.csrf });
          expect(res.status, `${login} ${action}`).toBe(303);
          expect((await row(code)).version).toBe(2);
        }
      });

      it(`${action}: refused to citizens, other roles, and (404) other communes' officials; the anonymous are sent to sign in`, async () => {
        const code = await freshItem();
        const base = `/can-bo/xa/${HOME}/phan-anh/${code}`;
        for (const [login, status] of refused) {
          const c = await as(login);
          expect((await c.get(base)).status, `${login} GET`).toBe(status);
          const res = await c.post(`${base}/${action}`, fields('1'));
          expect(res.status, `${login} ${action}`).toBe(status);
        }
        const a = anon();
        const res = await a.post(`${base}/${action}`, fields('1'), { csrf: await a.csrf() });
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toMatch(/^\/dang-nhap\?next=/);
        expect((await row(code)).version).toBe(1);
        // An official of the other commune cannot reach it through their own commune's path either.
        const other = await as(OTHER_OFFICER);
        expect((await other.get(`/can-bo/xa/${OTHER}/phan-anh/${code}`)).status).toBe(404);
        const t = formTokens(await (await other.get(`/can-bo/xa/${OTHER}/phan-anh`)).text());
        expect((await other.post(`/can-bo/xa/${OTHER}/phan-anh/${code}/${action}`, fields('1'), { csrf: t.csrf })).status).toBe(404);
        expect((await row(code)).version).toBe(1);
      });
    }

    async function closedItem(by: Client | null) {
      const c = by ?? anon();
      const s = await submit(c, by ? { dien_thoai: '' } : {});
      await h.db.updateTable('feedback').set({ status: 'closed', closed_at: new Date(), reply_count: 1 }).where('code', '=', s.code).execute();
      const key = new URL(s.location, 'http://x').searchParams.get('ma');
      return { code: s.code, key };
    }

    for (const action of ['danh-gia', 'mo-lai'] as const) {
      const fields: Record<string, string> = action === 'danh-gia' ? { diem: '4', phien_ban: '1' } : { ly_do: 'Chưa xong', phien_ban: '1' };
      it(`${action}: allowed to the signed-in author and to the holder of the anonymous author's key`, async () => {
        const mine = await closedItem(await as(CITIZEN_B));
        const c = await as(CITIZEN_B);
        expect((await c.post(`/phan-anh/${mine.code}/${action}`, fields)).status).toBe(303);
        expect((await row(mine.code)).version).toBe(2);
        const theirs = await closedItem(null);
        const a = anon();
        const res = await a.post(`/phan-anh/${theirs.code}/${action}`, { ...fields, ma: theirs.key! }, { csrf: await a.csrf() });
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toContain(`ma=${theirs.key}`);
        expect((await row(theirs.code)).version).toBe(2);
      });

      it(`${action}: refused to anyone else, officials included; nothing changes`, async () => {
        const mine = await closedItem(await as(CITIZEN_B));
        const anonymous = await closedItem(null);
        for (const login of [CITIZEN, OFFICER, PROVINCE_ADMIN]) {
          const c = await as(login);
          expect((await c.post(`/phan-anh/${mine.code}/${action}`, fields)).status, login).toBe(403);
          expect((await c.post(`/phan-anh/${anonymous.code}/${action}`, fields)).status, login).toBe(403);
        }
        const a = anon();
        const csrf = await a.csrf();
        expect((await a.post(`/phan-anh/${mine.code}/${action}`, { ...fields, ma: authorKey('test-secret-0123456789abcdef', (await row(mine.code)).id) }, { csrf })).status).toBe(403); // keys are for anonymous items only
        expect((await a.post(`/phan-anh/${anonymous.code}/${action}`, { ...fields, ma: 'x'.repeat(24) }, { csrf })).status).toBe(403);
        expect((await a.post(`/phan-anh/${anonymous.code}/${action}`, fields, { csrf })).status).toBe(403);
        expect((await row(mine.code)).version).toBe(1);
        expect((await row(anonymous.code)).version).toBe(1);
      });
    }

    it('rating needs a closed item and a score of 1 to 5', async () => {
      const c = await as(CITIZEN_B);
      const { code } = await submit(c, { dien_thoai: '' });
      expect((await c.post(`/phan-anh/${code}/danh-gia`, { diem: '5', phien_ban: '1' })).status).toBe(400);
      await h.db.updateTable('feedback').set({ status: 'closed', closed_at: new Date(), reply_count: 1 }).where('code', '=', code).execute();
      const bad = await c.post(`/phan-anh/${code}/danh-gia`, { diem: '9', phien_ban: '1' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Chọn mức hài lòng từ 1 đến 5');
      const stale = await c.post(`/phan-anh/${code}/danh-gia`, { diem: '5', phien_ban: '7' });
      expect(stale.status).toBe(409);
    });
  });

  describe('the public list', () => {
    it('lists answered public items without personal data, searches, pages', async () => {
      const commune = '25522';
      for (let i = 0; i < 23; i++) {
        await makeFeedback(h.db, { communeCode: commune, description: `Cống thoát nước số ${i} bị tắc, gọi 0912345678`, contactPhone: '0987000999', contactName: 'Bí Mật', status: 'closed', publicReply: `Đã thông cống ${i}`, closedAt: new Date(Date.now() - i * 60_000) });
      }
      await makeFeedback(h.db, { communeCode: commune, description: 'Riêng tư', status: 'closed', publicReply: 'x', isPublic: false });
      const first = await (await anon().get(`/xa/${commune}/phan-anh`)).text();
      expect(first.match(/<li>/g)?.length).toBe(20);
      expect(first).toContain('Cống thoát nước số 0 bị tắc, gọi [đã ẩn]');
      expect(first).not.toContain('0912345678');
      expect(first).not.toContain('0987000999');
      expect(first).not.toContain('Bí Mật');
      expect(first).not.toContain('Riêng tư');
      expect(first).toContain('Trang sau');
      const second = await (await anon().get(`/xa/${commune}/phan-anh?trang=2`)).text();
      expect(second.match(/<li>/g)?.length).toBe(3);
      const found = await (await anon().get(`/xa/${commune}/phan-anh?q=${encodeURIComponent('CỐNG số 17')}`)).text();
      expect(found).toContain('Cống thoát nước số 17');
      expect(found).not.toContain('Cống thoát nước số 16 ');
      const none = await (await anon().get(`/xa/${commune}/phan-anh?q=zzzz`)).text();
      expect(none).toContain('Không có phản ánh nào khớp');
      expect((await anon().get('/xa/99999/phan-anh')).status).toBe(404);
    });
  });

  describe('figures', () => {
    it('page and JSON: received, handled, on time, satisfaction, per category and month', async () => {
      const commune = '25525';
      const year = new Date().getFullYear();
      await makeFeedback(h.db, { communeCode: commune, categoryCode: 'an-ninh-trat-tu', submittedAt: new Date(`${year}-01-10T03:00:00Z`), dueDate: `${year}-02-01`, status: 'closed', closedAt: new Date(`${year}-01-20T03:00:00Z`), rating: 4 });
      await makeFeedback(h.db, { communeCode: commune, categoryCode: 'khac', submittedAt: new Date(`${year}-01-11T03:00:00Z`) });
      const api = await (await as(ANALYST)).get(`/api/v1/communes/${commune}/feedback/stats?year=${year}`);
      expect(api.status).toBe(200);
      const body = (await api.json()) as { total: unknown; byMonth: { month: string; received: number }[] };
      expect(body.total).toEqual({ received: 2, handled: 1, handledOnTime: 1, onTimeRate: 1, ratings: 1, averageSatisfaction: 4 });
      expect(body.byMonth[0]).toMatchObject({ month: `${year}-01`, received: 2 });
      const page = await (await as(PROVINCE_ADMIN)).get(`/can-bo/xa/${commune}/phan-anh/so-lieu?nam=${year}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('tiếp nhận 2, đã xử lý 1, đúng hạn 1 (100 %)');
    });

    it('permissions: anonymous 401, citizen and team member 403, another commune’s official 404', async () => {
      const path = `/api/v1/communes/${HOME}/feedback/stats`;
      expect((await anon().get(path)).status).toBe(401);
      expect((await (await as(CITIZEN)).get(path)).status).toBe(403);
      expect((await (await as(TEAM)).get(path)).status).toBe(403);
      expect((await (await as(OTHER_OFFICER)).get(path)).status).toBe(404);
      expect((await (await as(OTHER_PROVINCE_ADMIN)).get(path)).status).toBe(404);
      expect((await (await as(OFFICER)).get(`${path}?year=abc`)).status).toBe(400);
      expect((await (await as(OTHER_OFFICER)).get(`/can-bo/xa/${HOME}/phan-anh/so-lieu`)).status).toBe(404);
    });
  });
});
