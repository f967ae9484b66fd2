import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../accounts/admin.js';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { loadSession } from '../platform/session.js';
import { Client, testApp } from '../testing/app.js';
import { openTestDb } from '../testing/db.js';
import { findProvince } from '../units/units.js';

const ADMIN = 'quantri.tayninh@demo.xaso.vn';
const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const ANALYST = 'phantich.tayninh@demo.xaso.vn';
const HOME = '25459';
const OTHER_ADMIN = 'quantri@caobang.gov.vn';
const OTHER_PASSWORD = 'mat-khau-cao-bang-2026';

describe('staff administration by the province administrator', () => {
  let h: DbHandle;
  let app: App;
  let ip = 0;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    await createAdmin(h.db, { email: OTHER_ADMIN, name: 'Quản trị Cao Bằng', province: '04', password: OTHER_PASSWORD });
    app = testApp(h);
  });
  afterAll(() => h.close());

  async function signedIn(login: string, password = DEMO_PASSWORD): Promise<Client> {
    const c = new Client(app, `192.0.2.${++ip}`);
    await c.signIn(login, password);
    return c;
  }
  const idOf = async (email: string) => (await h.db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const audits = (action: string) => h.db.selectFrom('audit_log').select(['actor_label', 'unit_code', 'subject_id', 'detail']).where('action', '=', action).execute();

  it('creates a receiving officer with a one-time temporary password; the officer signs in with it', async () => {
    const admin = await signedIn(ADMIN);
    expect(await (await admin.get('/can-bo')).text()).toContain('href="/quan-tri/80/can-bo"');
    const csrf = await admin.csrf('/quan-tri/80/can-bo/moi');
    const res = await admin.post('/quan-tri/80/can-bo/moi', { full_name: 'Đỗ Văn Mới', email: 'Moi.TiepNhan@tayninh.gov.vn', role: 'receiving_officer', unit: HOME }, { csrf });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    const password = new URL(location, 'http://x').searchParams.get('mat-khau')!;
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const list = await (await admin.get(location)).text();
    expect(list).toContain(password);
    expect(list).toContain('Đỗ Văn Mới');
    const officer = await signedIn('moi.tiepnhan@tayninh.gov.vn', password);
    expect((await officer.get('/can-bo')).status).toBe(200);
    const id = await idOf('moi.tiepnhan@tayninh.gov.vn');
    expect(await audits('staff.create')).toEqual([expect.objectContaining({ subject_id: id, unit_code: HOME, detail: { role: 'receiving_officer' } })]);
  });

  it('refuses bad input with Vietnamese messages naming the field, keeping what was typed', async () => {
    const admin = await signedIn(ADMIN);
    const csrf = await admin.csrf('/quan-tri/80/can-bo/moi');
    const post = async (fields: Record<string, string>) => {
      const res = await admin.post('/quan-tri/80/can-bo/moi', { full_name: 'Lý Thị Sai', email: 'sai@tayninh.gov.vn', role: 'receiving_officer', unit: HOME, ...fields }, { csrf });
      expect(res.status).toBe(400);
      return res.text();
    };
    expect(await post({ email: OFFICER })).toContain(`Thư điện tử ${OFFICER} đã có tài khoản`);
    expect(await post({ unit: '99999' })).toContain('Không có xã, phường nào mã &quot;99999&quot;');
    const caoBang = findProvince('04')!.communes[0]!;
    expect(await post({ unit: caoBang.code })).toContain(`${caoBang.name} thuộc`);
    expect(await post({ role: 'province_admin' })).toContain('được giao ở cấp tỉnh: nhập mã tỉnh 80');
    expect(await post({ role: 'receiving_officer', unit: '80' })).toContain('được giao ở một xã, phường');
    const page = await post({ role: 'mayor', full_name: '' });
    expect(page).toContain('Chọn một vai trò trong danh sách');
    expect(page).toContain('Nhập họ và tên cán bộ');
    expect(page).toContain('value="sai@tayninh.gov.vn"');
    expect(await h.db.selectFrom('app_user').select('id').where('email', '=', 'sai@tayninh.gov.vn').executeTakeFirst()).toBeUndefined();
  });

  it('grants a leader role in a commune, revokes it, all audited; lists who holds what', async () => {
    const admin = await signedIn(ADMIN);
    const id = await idOf('moi.tiepnhan@tayninh.gov.vn');
    const base = `/quan-tri/80/can-bo/${id}`;
    const csrf = await admin.csrf(base);
    expect((await admin.post(`${base}/giao-vai-tro`, { role: 'commune_leader', unit: '25480' }, { csrf })).status).toBe(303);
    expect(await (await admin.get('/quan-tri/80/can-bo')).text()).toMatch(/Lãnh đạo UBND xã — Phường Bình Minh \(25480\)/);
    expect((await admin.post(`${base}/giao-vai-tro`, { role: 'commune_leader', unit: '00001' }, { csrf })).status).toBe(400);
    expect((await admin.post(`${base}/thu-hoi`, { role: 'commune_leader', unit: '25480' }, { csrf })).status).toBe(303);
    expect(await h.db.selectFrom('staff_role').select('role').where('user_id', '=', id).execute()).toEqual([{ role: 'receiving_officer' }]);
    expect(await audits('staff.grant')).toHaveLength(1);
    expect(await audits('staff.revoke')).toHaveLength(1);
  });

  it('disables an account (its sessions end at once) and never the last administrator', async () => {
    const admin = await signedIn(ADMIN);
    const adminId = await idOf(ADMIN);
    let csrf = await admin.csrf(`/quan-tri/80/can-bo/${adminId}`);
    const refused = await admin.post(`/quan-tri/80/can-bo/${adminId}/khoa`, { disabled: '1' }, { csrf });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('quản trị viên cuối cùng của tỉnh');
    const lastRevoke = await admin.post(`/quan-tri/80/can-bo/${adminId}/thu-hoi`, { role: 'province_admin', unit: '80' }, { csrf });
    expect(lastRevoke.status).toBe(400);

    const officer = await signedIn(OFFICER);
    const officerId = await idOf(OFFICER);
    csrf = await admin.csrf(`/quan-tri/80/can-bo/${officerId}`);
    expect((await admin.post(`/quan-tri/80/can-bo/${officerId}/khoa`, { disabled: '1' }, { csrf })).status).toBe(303);
    expect(await loadSession(h.db, officer.cookies.get('xaso_sid')!)).toBeNull();
    expect((await officer.get('/can-bo')).status).toBe(303);
    expect(await (await admin.get('/quan-tri/80/can-bo')).text()).toContain('Đã khoá');
    expect((await admin.post(`/quan-tri/80/can-bo/${officerId}/khoa`, { disabled: '0' }, { csrf })).status).toBe(303);
    expect((await audits('staff.disable')).map((a) => a.subject_id)).toEqual([officerId]);
    expect(await audits('staff.enable')).toHaveLength(1);
  });

  it('shows an account’s sign-in history (the reading is audited) and the province audit log', async () => {
    const admin = await signedIn(ADMIN);
    const officerId = await idOf(OFFICER);
    const history = await (await admin.get(`/quan-tri/80/can-bo/${officerId}/dang-nhap`)).text();
    expect(history).toContain('Đăng nhập bằng mật khẩu');
    expect(history).toContain('192.0.2.');
    expect(await audits('staff.signin_history')).toHaveLength(1);
    const log = await (await admin.get('/quan-tri/80/nhat-ky')).text();
    expect(log).toContain('staff.create');
    expect(log).toContain('staff.disable');
    expect(log).not.toContain('account.create_admin'); // Cao Bằng's entry is not Tây Ninh's
  });

  it('only the administrator of that province may: others are refused or see nothing', async () => {
    const officerId = await idOf(OFFICER);
    for (const login of [OFFICER, ANALYST, '0912000001']) {
      const c = await signedIn(login);
      const csrf = await c.csrf('/tai-khoan');
      expect((await c.get('/quan-tri/80/can-bo')).status).toBe(403);
      expect((await c.post('/quan-tri/80/can-bo/moi', { full_name: 'X Y', email: 'x@y.vn', role: 'specialist', unit: HOME }, { csrf })).status).toBe(403);
      expect((await c.post(`/quan-tri/80/can-bo/${officerId}/khoa`, { disabled: '1' }, { csrf })).status).toBe(403);
    }
    // The administrator of another province: Tây Ninh's pages are not found, nor its staff through Cao Bằng's pages.
    const other = await signedIn(OTHER_ADMIN, OTHER_PASSWORD);
    const csrf = await other.csrf('/tai-khoan');
    expect((await other.get('/quan-tri/80/can-bo')).status).toBe(404);
    expect((await other.get('/quan-tri/80/nhat-ky')).status).toBe(404);
    expect((await other.get(`/quan-tri/04/can-bo/${officerId}`)).status).toBe(404);
    expect((await other.post(`/quan-tri/04/can-bo/${officerId}/khoa`, { disabled: '1' }, { csrf })).status).toBe(404);
    expect((await other.post(`/quan-tri/04/can-bo/${officerId}/giao-vai-tro`, { role: 'specialist', unit: HOME }, { csrf })).status).toBe(404);
    expect((await h.db.selectFrom('app_user').select('disabled_at').where('id', '=', officerId).executeTakeFirstOrThrow()).disabled_at).toBeNull();
    expect(await (await other.get('/quan-tri/04/can-bo')).text()).not.toContain(OFFICER);
  });
});
