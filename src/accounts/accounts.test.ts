import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { seedDemo, DEMO_PASSWORD } from '../demo/seed.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import { grantRole, insertUser } from './accounts.store.js';
import { hashPassword } from './passwords.js';

const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const SPECIALIST = 'chuyenvien.tanninh@demo.xaso.vn';
const OTHER_PROVINCE_OFFICER = 'tiepnhan.hanoi@test.xaso.vn';

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
    await seedDemo(h.db);
    const id = await insertUser(h.db, { kind: 'staff', fullName: 'Cán bộ Hà Nội', phone: null, email: OTHER_PROVINCE_OFFICER, passwordHash: await hashPassword(DEMO_PASSWORD) });
    await grantRole(h.db, id, '00004', 'receiving_officer');
    app = testApp(h);
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

    it('locks the account after repeated wrong passwords, and audits it', async () => {
      const c = new Client(app, '198.51.100.9');
      for (let i = 0; i < 5; i++) {
        const r = await c.post('/dang-nhap', { login: '0912000003', password: 'wrong-password' });
        expect(r.status).toBe(400);
      }
      const locked = await c.post('/dang-nhap', { login: '0912000003', password: DEMO_PASSWORD });
      expect(locked.status).toBe(400);
      expect(await locked.text()).toContain('tạm khóa');
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000003').executeTakeFirstOrThrow();
      expect(await auditActions(h, user.id)).toContain('account.locked');
      await h.db.updateTable('app_user').set({ locked_until: null }).where('id', '=', user.id).execute();
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
      const missingCheck = await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000001', id_last4: '12' });
      expect(missingCheck.status).toBe(400);
      const missingText = await missingCheck.text();
      expect(missingText).toContain('Xác nhận bạn đã kiểm tra giấy tờ');
      expect(missingText).toContain('4 số cuối');
      const issued = await officer.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000001', id_last4: '1234', identity_checked: 'yes' });
      expect(issued.status).toBe(200);
      const code = /id="reset-code">(\d{6})</.exec(await issued.text())![1]!;
      const citizen = new Client(app, '192.0.2.50');
      const done = await citizen.post('/dat-lai-mat-khau', { phone: '0912000001', code, password: 'tu dat mat khau', password_confirm: 'tu dat mat khau' });
      expect(done.status).toBe(303);
      await citizen.signIn('0912000001', 'tu dat mat khau');
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000001').executeTakeFirstOrThrow();
      const entries = await h.db.selectFrom('audit_log').select(['action', 'pd_read', 'actor_label']).where('subject_id', '=', user.id).orderBy('seq').execute();
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['counter.citizen_lookup', 'counter.password_reset_code', 'account.password_reset']));
      expect(entries.find((e) => e.action === 'counter.citizen_lookup')!.pd_read).toEqual(['full_name', 'phone']);
    });

    it('may not be used by a specialist, a citizen, or anonymously', async () => {
      const specialist = new Client(app);
      await specialist.signIn(SPECIALIST, DEMO_PASSWORD);
      expect((await specialist.post('/can-bo/dat-lai-mat-khau', { phone: '0912000002' })).status).toBe(403);
      const citizen = new Client(app);
      await citizen.signIn('0912000002', DEMO_PASSWORD);
      expect((await citizen.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000002', id_last4: '1234', identity_checked: 'yes' })).status).toBe(403);
      const anon = new Client(app);
      expect((await anon.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000002', id_last4: '1234', identity_checked: 'yes' })).status).toBe(303);
    });

    it('may not be used by an officer of another province, and nothing is issued', async () => {
      const other = new Client(app);
      await other.signIn(OTHER_PROVINCE_OFFICER, DEMO_PASSWORD);
      const res = await other.post('/can-bo/dat-lai-mat-khau/cap-ma', { phone: '0912000002', id_last4: '1234', identity_checked: 'yes' });
      expect(res.status).toBe(400);
      const user = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0912000002').executeTakeFirstOrThrow();
      const codes = await sql<{ n: number }>`select count(*)::int as n from one_time_code where user_id = ${user.id} and purpose = 'counter_reset'`.execute(h.db);
      expect(codes.rows[0]!.n).toBe(0);
    });
  });
});
