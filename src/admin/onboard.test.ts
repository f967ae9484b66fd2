import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { openTestDb } from '../testing/db.js';
import { findProvince } from '../units/units.js';
import { onboardProvince } from './onboard.js';

const PASSWORD = 'mat-khau-quan-tri-2026';

describe('xaso init: onboarding a province from an empty database', () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb('pglite');
  });
  afterAll(() => h.close());

  it('creates the first administrator and the default feedback categories in every commune of the province', async () => {
    const report = await onboardProvince(h.db, { province: '04', adminEmail: 'Quantri@CaoBang.gov.vn', adminPassword: PASSWORD });
    const province = findProvince('04')!;
    expect(report).toMatchObject({ province: '04', provinceName: province.name, communes: province.communes.length, categoriesAdded: province.communes.length * 5 });
    const admin = await h.db.selectFrom('app_user').innerJoin('staff_role', 'staff_role.user_id', 'app_user.id').select(['email', 'full_name', 'unit_code', 'role']).execute();
    expect(admin).toEqual([{ email: 'quantri@caobang.gov.vn', full_name: `Quản trị ${province.name}`, unit_code: '04', role: 'province_admin' }]);
    const cats = await h.db.selectFrom('feedback_category').innerJoin('commune', 'commune.code', 'feedback_category.commune_code').select('commune.province_code').distinct().execute();
    expect(cats).toEqual([{ province_code: '04' }]);
    expect(await h.db.selectFrom('audit_log').select('action').where('action', 'in', ['province.init', 'account.create_admin']).execute()).toHaveLength(2);
  });

  it('run again: nothing duplicated, the same administrator refused with a clear message', async () => {
    await expect(onboardProvince(h.db, { province: '04', adminEmail: 'quantri@caobang.gov.vn', adminPassword: PASSWORD })).rejects.toThrow('Đã có tài khoản quantri@caobang.gov.vn.');
    const report = await onboardProvince(h.db, { province: '04', adminEmail: 'pho.quantri@caobang.gov.vn', adminPassword: PASSWORD });
    expect(report.categoriesAdded).toBe(0);
  });

  it('refuses an unknown province, a bad e-mail and a short password, in Vietnamese', async () => {
    await expect(onboardProvince(h.db, { province: '99', adminEmail: 'a@b.vn', adminPassword: PASSWORD })).rejects.toThrow('--province: không có tỉnh mã "99"');
    await expect(onboardProvince(h.db, { province: '04', adminEmail: 'khong-phai-thu', adminPassword: PASSWORD })).rejects.toThrow('--email: cần địa chỉ thư điện tử hợp lệ');
    await expect(onboardProvince(h.db, { province: '04', adminEmail: 'x@caobang.gov.vn', adminPassword: '123' })).rejects.toThrow(/^XASO_ADMIN_PASSWORD: /);
  });
});
