/**
 * Accounts, end to end in a real browser against the real server: register,
 * sign in and out, form errors, the counter password reset, and the footer
 * preferences. Every flow runs with JavaScript on and off (the portal must
 * work without it), and axe-core checks every page each flow visits.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CITIZENS, DEMO_PASSWORD, demoStaff } from '../src/demo/seed.js';
import { signIn, submitSignIn } from './flows.js';
import { describeInBrowser, follow, uniquePhone, visit, type TrackedPage } from './harness.js';

const FLOW_TIMEOUT = 90_000;

const officer = demoStaff().find((s) => s.login === 'tiepnhan.tanninh@demo.xaso.vn');
if (!officer || officer.role !== 'receiving_officer') throw new Error('demo data changed: tiepnhan.tanninh@demo.xaso.vn is no longer a receiving officer');

// Outside CI, a machine without Chromium skips this file (reason: browserSkipReason); in CI it fails in beforeAll.
describeInBrowser('accounts in the browser', { setupTimeoutMs: 120_000 }, (suite) => {
  async function signOut(t: TrackedPage): Promise<void> {
    await follow(t, t.page.getByRole('navigation').getByRole('button', { name: 'Đăng xuất', exact: true }));
    expect(new URL(t.page.url()).pathname).toBe('/');
    // Signed out: the header offers sign-in again, and the account page is closed.
    await expect.poll(() => t.page.getByRole('link', { name: 'Đăng nhập', exact: true }).count()).toBe(1);
    expect(await t.page.getByRole('button', { name: 'Đăng xuất', exact: true }).count()).toBe(0);
  }

  it('pages are sent with <!DOCTYPE html>, so browsers render them in standards mode', async () => {
    // Without a doctype every browser falls back to quirks mode (document.compatMode === "BackCompat").
    for (const path of ['/', '/dang-ky', '/dang-nhap']) {
      const html = await (await fetch(`${suite.server.baseUrl}${path}`)).text();
      expect(html.trimStart().slice(0, 15).toLowerCase(), `GET ${path}`).toBe('<!doctype html>');
    }
  });

  describe.each([true, false])('JavaScript enabled: %s', (js) => {
    it(
      'a citizen registers, signs out, signs in again and signs out',
      async () => {
        const t = await suite.open(js);
        const { page } = t;
        const phone = uniquePhone();
        const password = `mat khau e2e ${phone.slice(-4)}`;
        const name = js ? 'Nguyễn Văn Thử' : 'Trần Thị Không Script';

        await visit(t, '/');
        await follow(t, page.getByRole('navigation').getByRole('link', { name: 'Đăng ký tài khoản' }));
        expect(new URL(page.url()).pathname).toBe('/dang-ky');
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Đăng ký tài khoản');

        await page.getByLabel('Họ và tên').fill(name);
        await page.getByLabel('Số điện thoại di động').fill(phone);
        await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
        await page.getByLabel('Nhập lại mật khẩu').fill(password);
        await follow(t, page.getByRole('button', { name: 'Đăng ký', exact: true }));

        const url = new URL(page.url());
        expect(url.pathname).toBe('/tai-khoan');
        expect(await page.locator('.notice.success').textContent()).toContain('Đăng ký thành công');
        const table = page.locator('main table');
        expect(await table.textContent()).toContain(name);
        expect(await table.textContent()).toContain(phone);

        await signOut(t);
        // The account page now asks to sign in, and comes back after.
        await visit(t, '/tai-khoan');
        expect(new URL(page.url()).pathname).toBe('/dang-nhap');
        expect(new URL(page.url()).searchParams.get('next')).toBe('/tai-khoan');

        // Spaces in the phone number are accepted.
        await submitSignIn(t, `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`, password);
        expect(new URL(page.url()).pathname).toBe('/tai-khoan');
        expect(await page.locator('.notice.success').count()).toBe(0);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tài khoản của tôi');
        expect(await page.locator('main table').textContent()).toContain(name);

        await signOut(t);
        await t.finish();
      },
      FLOW_TIMEOUT,
    );

    it(
      'an empty registration form shows the error summary at the top, in Vietnamese, linking to each field',
      async () => {
        const t = await suite.open(js);
        const { page } = t;
        await visit(t, '/dang-ky');
        await follow(t, page.getByRole('button', { name: 'Đăng ký', exact: true }));

        expect(new URL(page.url()).pathname).toBe('/dang-ky');
        const summary = page.locator('main .error-summary');
        expect(await summary.count()).toBe(1);
        // At the top of the main content, before the heading.
        expect(await page.locator('main > :first-child').evaluate((el) => el.classList.contains('error-summary'))).toBe(true);
        expect(await summary.getAttribute('role')).toBe('alert');
        expect(await summary.getByRole('heading').textContent()).toBe('Có lỗi cần sửa');

        const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent ?? '' })));
        const hrefs = links.map((l) => l.href);
        expect(hrefs).toEqual(expect.arrayContaining(['#f-full_name', '#f-phone', '#f-password']));
        expect(hrefs).not.toContain('#f-email'); // optional
        for (const link of links) {
          // Each link points at a real input that shows the same message next to it.
          const id = link.href!.slice(1);
          const input = page.locator(`[id="${id}"]`);
          expect(await input.count(), `${link.href} should target a field`).toBe(1);
          expect(await input.getAttribute('aria-invalid')).toBe('true');
          expect(await page.locator(`[id="${id}-error"]`).textContent()).toBe(link.text);
          expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain(`${id}-error`);
        }
        const texts = links.map((l) => l.text).join(' | ');
        expect(texts).toContain('Nhập họ và tên');
        expect(texts).toContain('Nhập số điện thoại di động');
        expect(texts).toContain('Mật khẩu cần ít nhất 8 ký tự');
        expect(texts).not.toMatch(/\b(Required|Invalid|expected|received)\b/i);

        // The summary link takes the user to the field (a same-page fragment: no new document).
        await summary.getByRole('link', { name: /số điện thoại/i }).click();
        await expect.poll(() => new URL(page.url()).hash).toBe('#f-phone');

        // What was typed is kept, passwords are not.
        await page.getByLabel('Họ và tên').fill('Lê Văn Sửa');
        await page.getByLabel('Số điện thoại di động').fill('12345');
        await page.getByLabel('Mật khẩu', { exact: true }).fill('ngan');
        await follow(t, page.getByRole('button', { name: 'Đăng ký', exact: true }));
        expect(await page.getByLabel('Họ và tên').inputValue()).toBe('Lê Văn Sửa');
        expect(await page.getByLabel('Số điện thoại di động').inputValue()).toBe('12345');
        expect(await page.getByLabel('Mật khẩu', { exact: true }).inputValue()).toBe('');
        const again = await page.locator('main .error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(again).toEqual(['#f-phone', '#f-password', '#f-password_confirm']); // the empty confirmation no longer matches

        await t.finish();
      },
      FLOW_TIMEOUT,
    );

    it(
      'an official issues a reset code at the counter; the citizen sets a new password with it and signs in',
      async () => {
        const citizen = DEMO_CITIZENS[js ? 0 : 1]!;
        const official = await suite.open(js);
        const o = official.page;

        await signIn(official, officer.login, DEMO_PASSWORD);
        expect(new URL(o.url()).pathname).toBe('/tai-khoan');
        await follow(official, o.getByRole('navigation').getByRole('link', { name: 'Quầy một cửa' }));
        expect(new URL(o.url()).pathname).toBe('/can-bo');
        await follow(official, o.getByRole('link', { name: 'Đặt lại mật khẩu cho người dân' }));
        expect(new URL(o.url()).pathname).toBe('/can-bo/dat-lai-mat-khau');

        await o.getByLabel('Số điện thoại của người dân').fill(citizen.phone);
        await follow(official, o.getByRole('button', { name: 'Tìm tài khoản' }));
        expect(await o.getByRole('heading', { level: 1 }).textContent()).toBe('Kiểm tra giấy tờ tùy thân');
        expect(await o.locator('main').textContent()).toContain(citizen.fullName);

        await o.getByLabel('Số định danh cá nhân trên căn cước (12 chữ số)').fill(citizen.idNumber);
        await o.getByLabel('Tôi đã kiểm tra giấy tờ tùy thân, đúng là chủ tài khoản').check();
        await follow(official, o.getByRole('button', { name: 'Cấp mã đặt lại mật khẩu' }));
        const code = ((await o.locator('#reset-code').textContent()) ?? '').trim();
        expect(code).toMatch(/^[0-9]{6}$/);
        expect(await o.locator('main').textContent()).toContain(citizen.fullName);
        expect(await o.locator('main').textContent()).toContain('Tôi đã có mã từ bộ phận một cửa');
        await official.finish();

        // The citizen, on another browser, takes the path the officer names — and first presses
        // "Gửi mã" on "Quên mật khẩu", as people do: that must not cancel the code in their hand.
        const t = await suite.open(js);
        const { page } = t;
        const newPassword = `mat khau moi ${js ? 'js' : 'html'}`;
        await visit(t, '/dang-nhap');
        await follow(t, page.getByRole('link', { name: 'Quên mật khẩu?' }));
        await page.getByLabel('Số điện thoại di động').fill(citizen.phone);
        await follow(t, page.getByRole('button', { name: 'Gửi mã', exact: true }));
        expect(new URL(page.url()).pathname).toBe('/dat-lai-mat-khau');
        await visit(t, '/quen-mat-khau');
        await follow(t, page.getByRole('link', { name: 'Tôi đã có mã từ bộ phận một cửa' }));
        expect(new URL(page.url()).pathname).toBe('/dat-lai-mat-khau');
        expect(await page.locator('main').textContent()).toContain('cán bộ bộ phận một cửa đã đưa cho bạn');
        await page.getByLabel('Số điện thoại di động').fill(citizen.phone);
        await page.getByLabel('Mã xác nhận (6 chữ số)').fill(code);
        await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPassword);
        await page.getByLabel('Nhập lại mật khẩu mới').fill(newPassword);
        await follow(t, page.getByRole('button', { name: 'Lưu mật khẩu mới' }));
        expect(new URL(page.url()).pathname).toBe('/dang-nhap');
        expect(await page.locator('.notice.success').textContent()).toContain('mật khẩu mới');

        // The old password no longer works; the new one does.
        await submitSignIn(t, citizen.phone, DEMO_PASSWORD);
        expect(new URL(page.url()).pathname).toBe('/dang-nhap');
        expect(await page.locator('main .error-summary').count()).toBe(1);

        // Told at the next sign-in: the counter reset, by which commune, in the access log.
        await signIn(t, citizen.phone, newPassword);
        expect(new URL(page.url()).pathname).toBe('/tai-khoan/nhat-ky');
        const notices = (await page.locator('#account-notices').textContent()) ?? '';
        expect(notices).toContain('Bộ phận một cửa đã cấp mã đặt lại mật khẩu');
        expect(notices).toContain('Phường Tân Ninh');
        await follow(t, page.getByRole('link', { name: 'Tiếp tục' }));
        expect(new URL(page.url()).pathname).toBe('/tai-khoan');
        expect(await page.locator('main table').textContent()).toContain(citizen.fullName);

        // The code was for one use only.
        await signOut(t);
        await visit(t, '/dat-lai-mat-khau');
        await page.getByLabel('Số điện thoại di động').fill(citizen.phone);
        await page.getByLabel('Mã xác nhận (6 chữ số)').fill(code);
        await page.getByLabel('Mật khẩu mới', { exact: true }).fill('lan thu hai nua');
        await page.getByLabel('Nhập lại mật khẩu mới').fill('lan thu hai nua');
        await follow(t, page.getByRole('button', { name: 'Lưu mật khẩu mới' }));
        expect(new URL(page.url()).pathname).toBe('/dat-lai-mat-khau');
        expect(await page.locator('main .error-summary').count()).toBe(1);

        await t.finish();
      },
      FLOW_TIMEOUT,
    );

    it(
      'the footer switches to larger text and to English, and back',
      async () => {
        const t = await suite.open(js);
        const { page } = t;
        const footer = page.locator('footer');
        const html = page.locator('html');

        await visit(t, '/dang-nhap?next=%2Ftai-khoan');
        expect(await html.getAttribute('lang')).toBe('vi');
        expect(await html.getAttribute('class')).toBeNull();
        const normalSize = await page.evaluate<number>('parseFloat(getComputedStyle(document.documentElement).fontSize)');

        await follow(t, footer.getByRole('link', { name: 'Chữ to hơn' }));
        // Back on the same page, query string kept.
        expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/dang-nhap?next=%2Ftai-khoan');
        expect(await html.getAttribute('class')).toContain('text-lg');
        expect(await page.evaluate<number>('parseFloat(getComputedStyle(document.documentElement).fontSize)')).toBeGreaterThan(normalSize);
        expect(await footer.getByRole('link', { name: 'Chữ cỡ thường' }).count()).toBe(1);

        const english = footer.getByRole('link', { name: 'English' });
        expect(await english.getAttribute('lang')).toBe('en');
        await follow(t, english);
        expect(await html.getAttribute('lang')).toBe('en');
        expect(await html.getAttribute('class')).toContain('text-lg'); // the two preferences are independent
        expect(await page.getByRole('navigation').getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(1);
        expect(await page.getByRole('link', { name: 'Skip to main content' }).count()).toBe(1);

        // The preferences follow the visitor to other pages.
        await visit(t, '/');
        expect(await html.getAttribute('lang')).toBe('en');
        expect(await html.getAttribute('class')).toContain('text-lg');
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your commune’s public services');

        const vietnamese = footer.getByRole('link', { name: 'Tiếng Việt' });
        expect(await vietnamese.getAttribute('lang')).toBe('vi');
        await follow(t, vietnamese);
        expect(await html.getAttribute('lang')).toBe('vi');
        await follow(t, footer.getByRole('link', { name: 'Chữ cỡ thường' }));
        expect(await html.getAttribute('class')).toBeNull();
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dịch vụ công của xã');

        await t.finish();
      },
      FLOW_TIMEOUT,
    );
  });
});
