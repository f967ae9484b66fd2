/**
 * Community digital-technology teams, end to end in a real browser against the
 * real server: a member logs a visit on a small phone with JavaScript off; an
 * official downloads the commune's monthly report; axe checks every page visited.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { signIn } from './flows.js';
import { describeInBrowser, follow, PHONE_VIEWPORT, visit, type TrackedPage } from './harness.js';

const FLOW_TIMEOUT = 120_000;
const COMMUNE = '25459';
const BASE = `/can-bo/xa/${COMMUNE}/to-cns`;
const MEMBER = 'totcns.tanninh@demo.xaso.vn';
const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const PROVINCE_ADMIN = 'quantri.tayninh@demo.xaso.vn';

/** Today in Việt Nam, as the server computes the form's default date. */
function todayVn(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}

describeInBrowser('community teams in the browser', { readyTimeoutMs: 110_000, setupTimeoutMs: 150_000 }, (suite) => {
  const open = (javaScriptEnabled: boolean) => suite.open(javaScriptEnabled, { viewport: PHONE_VIEWPORT });

  /** Signs in with the demo password; every account here lands on its account page. */
  async function signInAs(t: TrackedPage, login: string): Promise<void> {
    await signIn(t, login);
    expect(new URL(t.page.url()).pathname).toBe('/tai-khoan');
  }

  /** Nothing sticks out sideways on a 360 px screen. */
  async function fitsThePhone(page: Page): Promise<void> {
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
  }

  it(
    'a team member logs a visit on a 360×740 phone with JavaScript off',
    async () => {
      const t = await open(false);
      const { page } = t;
      await signInAs(t, MEMBER);
      await visit(t, '/can-bo/to-cns');
      await follow(t, page.getByRole('link', { name: 'Ghi nhật ký đi cơ sở' }));
      expect(new URL(page.url()).pathname).toBe(`${BASE}/nhat-ky`);
      await fitsThePhone(page);

      // The defaults save typing: today, and the member's own village.
      expect(await page.getByLabel('Ngày đi').inputValue()).toBe(todayVn());
      const village = await page.getByLabel('Thôn, ấp, tổ dân phố').inputValue();
      expect(village).not.toBe('');
      const key = await page.locator('input[name="key"]').inputValue();
      expect(key).toMatch(/^[0-9a-f-]{36}$/);

      // A mistake first: an error summary at the top, linking to the field.
      await page.getByLabel('Số hộ đã đến').fill('nhiều');
      await follow(t, page.getByRole('button', { name: 'Lưu', exact: true }));
      expect(await page.locator('main .error-summary a[href="#f-households_visited"]').count()).toBe(1);
      expect(await page.getByLabel('Số hộ đã đến').inputValue()).toBe('nhiều');
      // The same form key is kept, so fixing and sending again is still one entry.
      expect(await page.locator('input[name="key"]').inputValue()).toBe(key);

      await page.getByLabel('Số hộ đã đến').fill('7');
      await page.getByLabel('Kích hoạt định danh điện tử (VNeID) mức 2').fill('4');
      await page.getByLabel('Nộp hồ sơ trực tuyến giúp người dân').fill('1');
      await page.getByLabel('Cài ứng dụng (VNeID, dịch vụ công…)').fill('3');
      await page.getByLabel('Ghi chú (không bắt buộc)').fill('Hướng dẫn hai cụ cao tuổi cài VNeID');
      await follow(t, page.getByRole('button', { name: 'Lưu', exact: true }));

      const url = new URL(page.url());
      expect(url.pathname).toBe(`${BASE}/nhat-ky`);
      expect(url.searchParams.get('da-luu')).toMatch(/^\d+$/);
      const notice = (await page.locator('main .notice.success').textContent()) ?? '';
      expect(notice).toContain('Đã lưu');
      expect(notice).toContain('7 hộ');
      expect(notice).toContain('VNeID mức 2: 4');
      // A fresh key for the next visit.
      expect(await page.locator('input[name="key"]').inputValue()).not.toBe(key);
      await fitsThePhone(page);

      await follow(t, page.locator('main .notice.success').getByRole('link', { name: 'Xem, sửa' }));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Lần đi ngày');
      expect(await page.locator('main').textContent()).toContain('Hướng dẫn hai cụ cao tuổi cài VNeID');
      await fitsThePhone(page);
      await t.finish();
    },
    FLOW_TIMEOUT,
  );

  it(
    'an official downloads the monthly report as Excel and PDF',
    async () => {
      const t = await open(true);
      const { page } = t;
      await signInAs(t, OFFICER);
      await visit(t, `${BASE}/bao-cao`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Báo cáo tháng');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải Excel' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^bao-cao-to-cns-25459-\d{4}-\d{2}\.xlsx$/);
      const saved = await download.path();
      const bytes = await readFile(saved!);
      expect(bytes.length).toBeGreaterThan(1000);
      expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

      // The same links fetched with the session: the content types a phone's browser relies on.
      const month = todayVn().slice(0, 7);
      const xlsx = await page.context().request.get(`${BASE}/bao-cao.xlsx?thang=${month}`);
      expect(xlsx.status()).toBe(200);
      expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect((await xlsx.body()).length).toBeGreaterThan(1000);
      const pdf = await page.context().request.get(`${BASE}/bao-cao.pdf?thang=${month}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      const pdfBytes = await pdf.body();
      expect(pdfBytes.length).toBeGreaterThan(1000);
      expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await t.finish();
    },
    FLOW_TIMEOUT,
  );

  it(
    "the teams' other pages are axe-clean on a phone, with JavaScript off",
    async () => {
      const t = await open(false);
      const { page } = t;
      await signInAs(t, OFFICER);
      await visit(t, BASE);
      await follow(t, page.getByRole('link', { name: 'Tổ công nghệ số Khu phố 1' }));
      await follow(t, page.getByRole('link', { name: 'Thêm thành viên' }));
      await follow(t, page.getByRole('button', { name: 'Lưu', exact: true })); // empty: the error state
      expect(await page.locator('main .error-summary').count()).toBe(1);
      await visit(t, `${BASE}/them-thon`);
      await visit(t, `${BASE}/nhap`);
      await visit(t, `${BASE}/do-phu`);
      await fitsThePhone(page);
      await visit(t, `${BASE}/huong-dan`);
      await follow(t, page.getByRole('link', { name: 'Cách nộp hồ sơ đăng ký khai sinh trực tuyến' }));
      await follow(t, page.getByRole('link', { name: 'Xem trang công khai' }));
      expect(await page.locator('ol.tcns-steps li').count()).toBe(4);
      await visit(t, `/xa/${COMMUNE}/huong-dan`);
      await t.finish();

      const admin = await open(false);
      await signInAs(admin, PROVINCE_ADMIN);
      await visit(admin, '/can-bo/to-cns');
      await follow(admin, admin.page.getByRole('link', { name: 'Tổng hợp toàn tỉnh' }));
      expect(await admin.page.locator('main table tbody tr').count()).toBe(3);
      await admin.finish();
    },
    FLOW_TIMEOUT,
  );
});
