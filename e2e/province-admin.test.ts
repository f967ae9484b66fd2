/**
 * A new province put into service, end to end with JavaScript off: `xaso init
 * --province 04` on an empty database without demo data, then the province
 * administrator creates a receiving officer and a commune leader in the
 * browser, and the officer signs in with the temporary password.
 */
import { expect, it } from 'vitest';
import { findProvince } from '../src/units/units.js';
import { signIn } from './flows.js';
import { describeInBrowser, follow, visit, type TrackedPage } from './harness.js';

const ADMIN = 'quantri@caobang.gov.vn';
const ADMIN_PASSWORD = 'mat-khau-quan-tri-cao-bang';
const COMMUNE = findProvince('04')!.communes[0]!;

describeInBrowser(
  'a province from zero (xaso init, no demo data)',
  {
    setupTimeoutMs: 240_000,
    readyTimeoutMs: 180_000,
    env: { XASO_PROVINCE: '04', XASO_SEED_DEMO: '0', XASO_ADMIN_PASSWORD: ADMIN_PASSWORD },
    before: [['init', '--province', '04', '--admin', ADMIN]],
  },
  (suite) => {
    async function createStaff(t: TrackedPage, name: string, email: string, role: string): Promise<string> {
      await visit(t, '/quan-tri/04/can-bo');
      await follow(t, t.page.getByRole('link', { name: 'Tạo tài khoản cán bộ' }));
      await t.page.getByLabel('Họ và tên').fill(name);
      await t.page.getByLabel('Thư điện tử công vụ').fill(email);
      await t.page.getByLabel('Vai trò').selectOption({ label: role });
      await t.page.getByLabel('Mã xã, phường').fill(COMMUNE.code);
      await follow(t, t.page.getByRole('button', { name: 'Tạo tài khoản' }));
      const notice = await t.page.locator('.notice.success strong').textContent();
      expect(notice).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      return notice!;
    }

    it(
      'the administrator creates a receiving officer and a leader for one commune; the officer signs in',
      async () => {
        const admin = await suite.open(false);
        await signIn(admin, ADMIN, ADMIN_PASSWORD);
        const officerPassword = await createStaff(admin, 'Hoàng Văn Tiếp', 'tiepnhan@caobang.gov.vn', 'Cán bộ tiếp nhận (một cửa)');
        await createStaff(admin, 'Nông Thị Lãnh', 'lanhdao@caobang.gov.vn', 'Lãnh đạo UBND xã');
        const list = await admin.page.locator('main').textContent();
        expect(list).toContain(`Cán bộ tiếp nhận (một cửa) — ${COMMUNE.name} (${COMMUNE.code})`);
        expect(list).toContain(`Lãnh đạo UBND xã — ${COMMUNE.name} (${COMMUNE.code})`);
        await visit(admin, '/quan-tri/04/nhat-ky');
        expect(await admin.page.locator('main').textContent()).toContain('staff.create');
        await admin.finish();

        const officer = await suite.open(false);
        await signIn(officer, 'tiepnhan@caobang.gov.vn', officerPassword);
        await visit(officer, '/can-bo');
        expect(new URL(officer.page.url()).pathname).toBe('/can-bo');
        await officer.finish();
      },
      240_000,
    );
  },
);
