import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { seedDemo, DEMO_CITIZENS, DEMO_PASSWORD } from '../demo/seed.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { Client, testApp, testConfig } from '../testing/app.js';
import { accountLimits } from './limits.js';
import { grantRole, insertUser } from './accounts.store.js';
import { hashPassword } from './passwords.js';

const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const SPECIALIST = 'chuyenvien.tanninh@demo.xaso.vn';
const OTHER_PROVINCE_OFFICER = 'tiepnhan.hanoi@test.xaso.vn';
const OTHER_COMMUNE_OFFICER = 'tiepnhan.binhminh@demo.xaso.vn';
const OTHER_PROVINCE_ADMIN = 'quantri.hanoi@test.xaso.vn';
const LAN_ID = DEMO_CITIZENS[0]!.idNumber;

async function auditActions(h: DbHandle, subjectId: string): Promise<string[]> {
  const rows = await h.db.selectFrom('audit_log').select('action').where('subject_id', '=', subjectId).orderBy('seq').execute();
  return rows.map((r) => r.action);
}

async function lastSms(h: DbHandle, phone: string): Promise<string> {
  const row = await h.db.selectFrom('outbox').select('body').where('recipient', '=', phone).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return /(\d{6})/.exec(row.body)![1]!;
}

describe.each(testEngines())('accounts on %s', (engine) => {
  let h: DbHandle;
  let app: App;
  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db, { secret: testConfig().secret });
    const id = await insertUser(h.db, { kind: 'staff', fullName: 'Cán bộ Hà Nội', phone: null, email: OTHER_PROVINCE_OFFICER, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await grantRole(h.db, id, '00004', 'receiving_officer');
    const admin = await insertUser(h.db, { kind: 'staff', fullName: 'Quản trị Hà Nội', phone: null, email: OTHER_PROVINCE_ADMIN, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await grantRole(h.db, admin, '01', 'province_admin');
    app = testApp(h);
    // The limits' clock stands still: a test never waits out a delay by accident.
    accountLimits(app).clock.now = () => 1_000_000;
  });
  afterAll(() => h.close());

  describe('registration', () => {
    it('creates the account, signs in, and audits it', async () => {
      const c = new Client(app);
      const res = await c.post('/dang-ky', { full_name: 'Đặng Thị Thu', phone: '0987 654 321', email: '', password: 'nha toi o xom 3', password_confirm: 'nha toi o xom 3' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/tai-khoan?moi=1');
      const page = await (await c.get('/tai-khoan')).text();
      expect(page).toContain('Đặng Thị Thu');
      expect(page).toContain('0987654321');
      const user = await h.db.selectFrom('app_user').select(['id', 'password_hash']).where('phone', '=', '0987654321').executeTakeFirstOrThrow();
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      expect(await auditActions(h, user.id)).toContain('account.register');
    });

    it('refuses a phone that already has an account, naming the field, and creates nothing', async () => {
      const c = new Client(app);
      const res = await c.post('/dang-ky', { full_name: 'Người Khác', phone: '0987654321', password: 'mat khau khac 1', password_confirm: 'mat khau khac 1' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('Số điện thoại này đã có tài khoản');
      expect(html).toContain('href="#f-phone"');
      const n = await h.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).where('phone', '=', '0987654321').executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
    });

    it('explains every bad field in Vietnamese at once', async () => {
      const res = await new Client(app).post('/dang-ky', { full_name: '', phone: '12345', email: 'x@', password: 'short', password_confirm: 'other' });
      expect(res.status).toBe(400);
      const html = await res.text();
      for (const text of ['Nhập họ và tên', 'Số điện thoại chưa đúng', 'Địa chỉ thư điện tử chưa đúng', 'Mật khẩu cần ít nhất 8 ký tự']) expect(html).toContain(text);
      expect(html).toContain('value="12345"');
    });

    it('refuses a form post without the CSRF token', async () => {
      const res = await new Client(app).post('/dang-ky', { full_name: 'A B', phone: '0911111111', password: '12345678' }, { csrf: false });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('tải lại trang');
    });
  });

  describe('sign-in and sessions', () => {
    it('signs in with phone (any common format), rotating the session id', async () => {
      const c = new Client(app);
      await c.get('/dang-nhap');
      await c.signIn('+84 912 000 001', DEMO_PASSWORD);
      const first = c.cookies.get('xaso_sid');
      await c.signIn('0912000001', DEMO_PASSWORD);
      expect(c.cookies.get('xaso_sid')).not.toBe(first);
      const old = new Client(app);
      old.cookies.set('xaso_sid', first!);
      expect((await old.get('/tai-khoan')).status).toBe(303);
    });

    it('redirects an anonymous visitor to sign-in and back', async () => {
      const res = await new Client(app).get('/tai-khoan');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/dang-nhap?next=%2Ftai-khoan');
    });

    it('never follows a next= to another site', async () => {
      const c = new Client(app);
      const res = await c.post('/dang-nhap', { login: '0912000002', password: DEMO_PASSWORD, next: '//evil.example/x' });
      expect(res.headers.get('location')).toBe('/tai-khoan');
    });

    it('slows repeated failures alike for real and unknown accounts, and never locks the owner out', async () => {
      const attacker = new Client(app, '198.51.100.9');
      const answers: string[] = [];
      for (const login of ['0912000003', '0999888777']) {
        for (let i = 0; i < 4; i++) {
          const r = await attacker.post('/dang-nhap', { login, password: 'wrong-password' });
          expect(r.status).toBe(400);
          answers.push(/class="error-message"[^>]*>([^<]*)</.exec(await r.text())![1]!);
        }
        const slowed = await attacker.post('/dang-nhap', { login, password: 'wrong-password' });
        expect(slowed.status).toBe(429);
        answers.push(/class="error-message"[^>]*>([^<]*)</.exec(await slowed.text())![1]!);
      }
      // The same words for an account that exists and one that does not.
      expect(answers.slice(0, 5)).toEqual(answers.slice(5));
      expect(answers.join(' ')).not.toContain('khóa');
      // The owner, from their own address, signs in at once: nothing is locked.
      await new Client(app, '198.51.100.10').signIn('0912000003', DEMO_PASSWORD);
      const user = await h.db.selectFrom('app_user').select(['id', 'locked_until']).where('phone', '=', '0912000003').executeTakeFirstOrThrow();
      expect(user.locked_until).toBeNull();
      expect(await auditActions(h, user.id)).toContain('account.login_failed');
      // Once the delay has passed, the right password works from the slowed address too.
      const limits = accountLimits(app);
      limits.clock.now = () => 1_000_000 + 60 * 60_000;
      try {
        await attacker.signIn('0912000003', DEMO_PASSWORD);
      } finally {
        limits.clock.now = () => 1_000_000;
      }
    });

    it('signs out here, and everywhere', async () => {
      const a = new Client(app);
      const b = new Client(app);
      await a.signIn('0912000004', DEMO_PASSWORD);
      await b.signIn('0912000004', DEMO_PASSWORD);
      expect((await a.post('/dang-xuat', {})).status).toBe(303);
      expect((await a.get('/tai-khoan')).status).toBe(303);
      expect((await b.get('/tai-khoan')).status).toBe(200);
      await a.signIn('0912000004', DEMO_PASSWORD);
      expect((await a.post('/dang-xuat-moi-noi', {})).status).toBe(303);
      expect((await b.get('/tai-khoan')).status).toBe(303);
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000004').executeTakeFirstOrThrow();
      expect(await auditActions(h, user.id)).toEqual(expect.arrayContaining(['account.logout', 'account.logout_everywhere']));
    });
  });

  describe('self-service password reset', () => {
    it('sends a code by SMS through the outbox; the code sets a new password once', async () => {
      const c = new Client(app, '192.0.2.44');
      const signedIn = new Client(app);
      await signedIn.signIn('0912000005', DEMO_PASSWORD);
      expect((await c.post('/quen-mat-khau', { phone: '0912000005' })).status).toBe(303);
      const code = await lastSms(h, '0912000005');
      const wrong = await c.post('/dat-lai-mat-khau', { phone: '0912000005', code: code === '000000' ? '111111' : '000000', password: 'mat khau moi 2026', password_confirm: 'mat khau moi 2026' });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('Mã xác nhận không đúng');
      const ok = await c.post('/dat-lai-mat-khau', { phone: '0912000005', code, password: 'mat khau moi 2026', password_confirm: 'mat khau moi 2026' });
      expect(ok.status).toBe(303);
      expect((await signedIn.get('/tai-khoan')).status).toBe(303);
      await c.signIn('0912000005', 'mat khau moi 2026');
      const again = await new Client(app).post('/dat-lai-mat-khau', { phone: '0912000005', code, password: 'lai mat khau moi', password_confirm: 'lai mat khau moi' });
      expect(again.status).toBe(400);
    });

    it('answers the same for an unknown phone (no account enumeration) and sends nothing', async () => {
      const res = await new Client(app, '192.0.2.45').post('/quen-mat-khau', { phone: '0999999999' });
      expect(res.status).toBe(303);
      const n = await h.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('recipient', '=', '0999999999').executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(0);
    });

    it('kills a code after five wrong tries', async () => {
      const c = new Client(app, '192.0.2.46');
      await c.post('/quen-mat-khau', { phone: '0912000002' });
      const code = await lastSms(h, '0912000002');
      const wrong = code === '123456' ? '654321' : '123456';
      for (let i = 0; i < 5; i++) await c.post('/dat-lai-mat-khau', { phone: '0912000002', code: wrong, password: 'abcdefgh1', password_confirm: 'abcdefgh1' });
      const res = await c.post('/dat-lai-mat-khau', { phone: '0912000002', code, password: 'abcdefgh1', password_confirm: 'abcdefgh1' });
      expect(res.status).toBe(400);
    });
  });

  describe('counter password reset', () => {
    it('an officer checks identity and issues a one-time code; the citizen sets a new password; both audited', async () => {
      const officer = new Client(app);
      await officer.signIn(OFFICER, DEMO_PASSWORD);
      const found = await officer.post('/can-bo/dat-lai-mat-khau', { phone: '0912000001' });
      expect(found.status).toBe(200);
      expect(await found.text()).toContain('Nguyễn Thị Lan');
      const missingCheck = await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000001', id_number: '12' });
      expect(missingCheck.status).toBe(400);
      const missingText = await missingCheck.text();
      expect(missingText).toContain('Xác nhận bạn đã kiểm tra giấy tờ');
      expect(missingText).toContain('12 chữ số');
      const wrongId = await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000001', id_number: '072190009999', identity_checked: 'yes' });
      expect(wrongId.status).toBe(400);
      expect(await wrongId.text()).toContain('không khớp');
      const issued = await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000001', id_number: LAN_ID.replace(/(\d{4})/g, '$1 ').trim(), identity_checked: 'yes' });
      expect(issued.status).toBe(200);
      const code = /id="reset-code">(\d{6})</.exec(await issued.text())![1]!;
      // The text message tells the citizen, without the code.
      expect(await h.db.selectFrom('outbox').select('body').where('recipient', '=', '0912000001').orderBy('id', 'desc').executeTakeFirstOrThrow()).not.toMatchObject({ body: expect.stringContaining(code) });
      const citizen = new Client(app, '192.0.2.50');
      const done = await citizen.post('/dat-lai-mat-khau', { phone: '0912000001', code, password: 'tu dat mat khau', password_confirm: 'tu dat mat khau' });
      expect(done.status).toBe(303);
      // At the next sign-in the citizen is told first, and the reset is in their access log.
      const signedIn = await citizen.post('/dang-nhap', { login: '0912000001', password: 'tu dat mat khau', next: '/ho-so-cua-toi' });
      expect(signedIn.headers.get('location')).toBe('/tai-khoan/nhat-ky?next=%2Fho-so-cua-toi');
      const log = await (await citizen.get('/tai-khoan/nhat-ky?next=%2Fho-so-cua-toi')).text();
      expect(log).toContain('Bộ phận một cửa đã cấp mã đặt lại mật khẩu');
      expect(log).toContain('Mật khẩu tài khoản của bạn đã được đặt lại bằng mã do bộ phận một cửa cấp');
      expect(log).toContain('Phường Tân Ninh');
      expect(log).toContain('Cán bộ một cửa cấp mã đặt lại mật khẩu');
      expect(log).toContain('href="/ho-so-cua-toi"');
      // Told once: the next sign-in goes straight on.
      expect((await citizen.post('/dang-nhap', { login: '0912000001', password: 'tu dat mat khau' })).headers.get('location')).toBe('/tai-khoan');
      expect(await (await citizen.get('/tai-khoan/nhat-ky')).text()).toContain('Cán bộ một cửa cấp mã đặt lại mật khẩu');
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000001').executeTakeFirstOrThrow();
      const entries = await h.db.selectFrom('audit_log').select(['action', 'pd_read', 'actor_label', 'unit_code']).where('subject_id', '=', user.id).orderBy('seq').execute();
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['counter.citizen_lookup', 'counter.id_mismatch', 'counter.password_reset_code', 'account.password_reset']));
      expect(entries.find((e) => e.action === 'counter.citizen_lookup')!.pd_read).toEqual(['full_name', 'phone']);
      expect(entries.find((e) => e.action === 'counter.password_reset_code')!.unit_code).toBe('25459');
    });

    it("a citizen's own request for a text message does not cancel the code the counter handed over", async () => {
      const officer = new Client(app);
      await officer.signIn(OFFICER, DEMO_PASSWORD);
      const issued = await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000002', id_number: DEMO_CITIZENS[1]!.idNumber, identity_checked: 'yes' });
      const code = /id="reset-code">(\d{6})</.exec(await issued.text())![1]!;
      const citizen = new Client(app, '192.0.2.51');
      const forgot = await (await citizen.get('/quen-mat-khau')).text();
      expect(forgot).toContain('Tôi đã có mã từ bộ phận một cửa');
      expect((await citizen.post('/quen-mat-khau', { phone: '0912000002' })).status).toBe(303);
      const done = await citizen.post('/dat-lai-mat-khau', { phone: '0912000002', code, password: 'ma tu quay van dung', password_confirm: 'ma tu quay van dung', counter: '1' });
      expect(done.status).toBe(303);
      await citizen.signIn('0912000002', 'ma tu quay van dung');
      await h.db.updateTable('app_user').set({ password_hash: await hashPassword(DEMO_PASSWORD) }).where('phone', '=', '0912000002').execute();
    });

    it('an official of another commune of the same province may not look up or reset, and nothing is issued', async () => {
      const other = new Client(app);
      await other.signIn(OTHER_COMMUNE_OFFICER, DEMO_PASSWORD);
      const lookup = await other.post('/can-bo/dat-lai-mat-khau', { phone: '0912000005' });
      expect(lookup.status).toBe(400);
      expect(await lookup.text()).not.toContain('Võ Thị Hoa');
      const res = await other.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000005', id_number: DEMO_CITIZENS[4]!.idNumber, identity_checked: 'yes' });
      expect(res.status).toBe(400);
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000005').executeTakeFirstOrThrow();
      const codes = await sql<{ n: number }>`select count(*)::int as n from one_time_code where user_id = ${user.id} and purpose = 'counter_reset'`.execute(h.db);
      expect(codes.rows[0]!.n).toBe(0);
    });

    it('a citizen with no commune chosen is served by no counter, not even a province administrator', async () => {
      const self = new Client(app, '192.0.2.52');
      await self.post('/dang-ky', { full_name: 'Tự Đăng Ký', phone: '0388000111', id_number: '072190001111', password: 'mat khau rieng', password_confirm: 'mat khau rieng' });
      for (const login of [OTHER_PROVINCE_ADMIN, 'quantri.tayninh@demo.xaso.vn', OFFICER]) {
        const official = new Client(app);
        await official.signIn(login, DEMO_PASSWORD);
        const res = await official.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0388000111', id_number: '072190001111', identity_checked: 'yes' });
        expect(res.status, login).toBe(400);
      }
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0388000111').executeTakeFirstOrThrow();
      const codes = await sql<{ n: number }>`select count(*)::int as n from one_time_code where user_id = ${user.id}`.execute(h.db);
      expect(codes.rows[0]!.n).toBe(0);
      // Once the citizen chooses Tân Ninh, Tân Ninh's counter (and no other) may help them.
      expect((await self.get('/tai-khoan/xa-phuong?tinh=80')).status).toBe(200);
      expect((await self.post('/tai-khoan/xa-phuong', { commune: '25459' })).status).toBe(303);
      const officer = new Client(app);
      await officer.signIn(OFFICER, DEMO_PASSWORD);
      expect((await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0388000111', id_number: '072190001111', identity_checked: 'yes' })).status).toBe(200);
      expect(await auditActions(h, user.id)).toContain('account.home_commune_set');
    });

    it('refuses the reset when the account holds no ID number to check against', async () => {
      const self = new Client(app, '192.0.2.53');
      await self.post('/dang-ky', { full_name: 'Không Số Định Danh', phone: '0388000222', password: 'mat khau rieng', password_confirm: 'mat khau rieng' });
      await self.post('/tai-khoan/xa-phuong', { commune: '25459' });
      const officer = new Client(app);
      await officer.signIn(OFFICER, DEMO_PASSWORD);
      const res = await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0388000222', id_number: '072190002222', identity_checked: 'yes' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('chưa lưu số định danh');
      // The holder adds it (with their password); then the check can be made.
      expect((await self.post('/tai-khoan/so-dinh-danh', { id_number: '072190002222', password: 'sai' })).status).toBe(400);
      expect((await self.post('/tai-khoan/so-dinh-danh', { id_number: '072190002222', password: 'mat khau rieng' })).status).toBe(303);
      expect((await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0388000222', id_number: '072190002222', identity_checked: 'yes' })).status).toBe(200);
    });

    it('may not be used by a specialist, a citizen, or anonymously', async () => {
      const specialist = new Client(app);
      await specialist.signIn(SPECIALIST, DEMO_PASSWORD);
      expect((await specialist.post('/can-bo/dat-lai-mat-khau', { phone: '0912000002' })).status).toBe(403);
      const citizen = new Client(app);
      await citizen.signIn('0912000002', DEMO_PASSWORD);
      expect((await citizen.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000002', id_number: DEMO_CITIZENS[1]!.idNumber, identity_checked: 'yes' })).status).toBe(403);
      const anon = new Client(app);
      expect((await anon.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000002', id_number: DEMO_CITIZENS[1]!.idNumber, identity_checked: 'yes' })).status).toBe(303);
    });

    it('may not be used by an officer of another province, and nothing is issued', async () => {
      const other = new Client(app);
      await other.signIn(OTHER_PROVINCE_OFFICER, DEMO_PASSWORD);
      const res = await other.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000003', id_number: DEMO_CITIZENS[2]!.idNumber, identity_checked: 'yes' });
      expect(res.status).toBe(400);
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000003').executeTakeFirstOrThrow();
      const codes = await sql<{ n: number }>`select count(*)::int as n from one_time_code where user_id = ${user.id} and purpose = 'counter_reset'`.execute(h.db);
      expect(codes.rows[0]!.n).toBe(0);
    });
  });

  describe('limits before password hashing, and idle staff sessions', () => {
    it('registration (page and API), reset confirmation: counted before hashing, refused with 429 past the limit', async () => {
      const page = new Client(app, '192.0.2.60');
      const limits = accountLimits(app);
      for (let i = 0; i < 10; i++) limits.registerByIp.hit('192.0.2.60');
      const res = await page.post('/dang-ky', { full_name: 'Ai Đó', phone: '0388000333', password: 'mat khau dai', password_confirm: 'mat khau dai' });
      expect(res.status).toBe(429);
      const api = await app.request('/api/v1/accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.60' },
        body: JSON.stringify({ full_name: 'Ai Đó', phone: '0388000334', password: 'mat khau dai' }),
      });
      expect(api.status).toBe(429);
      expect(await h.db.selectFrom('app_user').select('id').where('phone', 'in', ['0388000333', '0388000334']).execute()).toEqual([]);
      const guesser = new Client(app, '192.0.2.61');
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await guesser.post('/dat-lai-mat-khau', { phone: '0912000004', code: String(100000 + i), password: 'mat khau moi 1', password_confirm: 'mat khau moi 1' });
        statuses.push(r.status);
        if (i === 11) expect(await r.text()).toContain('thao tác quá nhiều lần');
      }
      // Ten tries for one phone within the hour, then refused before any hash.
      expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
      expect(statuses.slice(10)).toEqual([400, 400]);
    });

    it('ends a staff session after 30 idle minutes; a citizen session stays', async () => {
      const officer = new Client(app);
      await officer.signIn(SPECIALIST, DEMO_PASSWORD);
      const citizen = new Client(app, '192.0.2.62');
      await citizen.signIn('0912000004', DEMO_PASSWORD);
      expect((await officer.get('/can-bo')).status).toBe(200);
      await sql`update user_session set last_seen_at = now() - interval '31 minutes'`.execute(h.db);
      const res = await officer.get('/can-bo');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toContain('/dang-nhap');
      expect((await citizen.get('/tai-khoan')).status).toBe(200);
    });

    it('pages and API answers with personal data are not stored by the browser', async () => {
      const citizen = new Client(app, '192.0.2.63');
      await citizen.signIn('0912000004', DEMO_PASSWORD);
      for (const path of ['/tai-khoan', '/ho-so-cua-toi', '/tai-khoan/nhat-ky', '/api/v1/me']) {
        expect((await citizen.get(path)).headers.get('cache-control'), path).toContain('no-store');
      }
    });
  });
});
