/**
 * Dossiers end to end in a real browser against the real server: a citizen
 * submits a birth registration online through every page (uploads included),
 * then follows it on the public tracking page; a receiving officer submits on
 * a citizen's behalf at the counter, with consent. Each flow runs with
 * JavaScript on and off, and axe-core checks every page it visits.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_CITIZENS, demoStaff } from '../src/demo/seed.js';
import { tinyPdf, tinyPng } from '../src/dossiers/submit/test-files.js';
import { pdfAt, signIn } from './flows.js';
import { describeInBrowser, follow, uniquePhone, visit, type TrackedPage } from './harness.js';

const FLOW_TIMEOUT = 180_000;
const BIRTH = '1.001193';
const CITIZEN = DEMO_CITIZENS.find((p) => p.phone === '0912000001');
if (!CITIZEN) throw new Error('demo data changed: no demo citizen 0912000001');
const OFFICER = demoStaff().find((s) => s.login === 'tiepnhan.tanninh@demo.xaso.vn');
if (!OFFICER || OFFICER.role !== 'receiving_officer') throw new Error('demo data changed: tiepnhan.tanninh@demo.xaso.vn is no longer a receiving officer');

describeInBrowser('dossier submission in the browser', { readyTimeoutMs: 120_000, setupTimeoutMs: 180_000 }, (suite) => {
  const path = (page: Page) => new URL(page.url()).pathname;
  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).first().textContent();

  async function upload(t: TrackedPage, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await t.page.getByLabel('Chọn ảnh chụp hoặc tệp PDF').setInputFiles(file);
    await follow(t, t.page.getByRole('button', { name: 'Tải lên và tiếp tục' }));
  }

  describe.each([true, false])('JavaScript enabled: %s', (js) => {
    it(
      'a citizen submits a birth registration with uploads through every page, then follows it with the code and the last four digits',
      async () => {
        const t = await suite.open(js);
        const { page } = t;
        await signIn(t, CITIZEN.phone);

        await visit(t, `/nop-ho-so/${BIRTH}`);
        expect(await h1(page)).toBe('Nộp hồ sơ trực tuyến');
        await follow(t, page.getByRole('button', { name: /^Bắt đầu/ }));

        // (a) applicant, prefilled from the account
        expect(path(page)).toMatch(/^\/nop-ho-so\/ban-nhap\/[0-9a-f-]{36}\/nguoi-nop$/);
        const base = path(page).replace(/\/nguoi-nop$/, '');
        expect(await page.getByLabel('Họ và tên').inputValue()).toBe(CITIZEN.fullName);
        expect(await page.getByLabel('Số điện thoại di động').inputValue()).toBe(CITIZEN.phone);
        // The address is required: the error summary comes first and links to the field.
        await page.getByLabel('Địa chỉ nơi bạn đang ở').fill('');
        await follow(t, page.getByRole('button', { name: 'Lưu và tiếp tục' }));
        expect(await page.locator('main .error-summary a[href="#f-address"]').count()).toBe(1);
        await page.getByLabel('Địa chỉ nơi bạn đang ở').fill('Số 12, khu phố 3, phường Tân Ninh');
        await follow(t, page.getByRole('button', { name: 'Lưu và tiếp tục' }));

        // receiving commune: the home commune is preselected
        expect(path(page)).toBe(`${base}/noi-nop`);
        expect(await page.getByLabel('Nộp hồ sơ tại xã, phường nào?').inputValue()).toBe(CITIZEN.commune);
        await follow(t, page.getByRole('button', { name: 'Lưu và tiếp tục' }));

        // (b) the case
        expect(path(page)).toBe(`${base}/truong-hop`);
        await page.getByRole('radio', { name: 'Giấy tờ phải nộp' }).check();
        await follow(t, page.getByRole('button', { name: 'Lưu và tiếp tục' }));

        // (c) one page per paper: a PDF, a PNG, one skipped, a PDF
        expect(path(page)).toBe(`${base}/giay-to/0`);
        await upload(t, { name: 'bien-ban.pdf', mimeType: 'application/pdf', buffer: tinyPdf('bien ban') });
        expect(path(page)).toBe(`${base}/giay-to/1`);
        await upload(t, { name: 'uy-quyen.png', mimeType: 'image/png', buffer: await tinyPng(1) });
        expect(path(page)).toBe(`${base}/giay-to/2`);
        await follow(t, page.locator('main').getByRole('link', { name: /^Bỏ qua:/ }));
        expect(path(page)).toBe(`${base}/giay-to/3`);
        // A wrong file is refused with the paper named, and nothing moves on.
        await page.getByLabel('Chọn ảnh chụp hoặc tệp PDF').setInputFiles({ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ this is not a PDF') });
        await follow(t, page.getByRole('button', { name: 'Tải lên và tiếp tục' }));
        expect(path(page)).toBe(`${base}/giay-to/3`);
        expect(await page.locator('main .error-summary').textContent()).toContain('“Giấy chứng sinh');
        await upload(t, { name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: tinyPdf('chung sinh') });

        // (d) review
        expect(path(page)).toBe(`${base}/xem-lai`);
        const review = (await page.locator('main').textContent()) ?? '';
        for (const s of ['bien-ban.pdf', 'uy-quyen.png', 'giay-chung-sinh.pdf', 'Chưa tải lên', 'Số 12, khu phố 3']) expect(review).toContain(s);
        await follow(t, page.getByRole('link', { name: 'Tiếp tục' }));

        // (e) declaration, then submit
        expect(path(page)).toBe(`${base}/cam-doan`);
        await page.getByLabel(/^Tôi cam đoan/).check();
        await follow(t, page.getByRole('button', { name: 'Nộp hồ sơ' }));
        expect(path(page)).toBe(`${base}/da-nop`);
        const code = ((await page.locator('#ma-ho-so').textContent()) ?? '').trim();
        expect(code).toMatch(/^25459-\d{6}-\d{4}$/);
        const done = (await page.locator('main').textContent()) ?? '';
        expect(done).toContain('Ngày hẹn trả sẽ có khi cán bộ tiếp nhận hồ sơ');
        const receiptHref = await page.getByRole('link', { name: 'Tải giấy biên nhận (PDF)' }).getAttribute('href');
        expect(receiptHref).toMatch(/^\/ho-so\/[0-9a-f-]{36}\/bien-nhan\.pdf$/);
        // The receipt is there right after submitting, before any officer has seen it: no appointment yet.
        const receipt = await pdfAt(t, receiptHref);
        expect(receipt.flat).toContain('GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN');
        expect(receipt.flat).toContain(`Mã hồ sơ: ${code}`);
        expect(receipt.flat).toContain('Ngày hẹn trả kết quả: sẽ ghi khi cán bộ tiếp nhận hồ sơ');
        expect(receipt.flat).toContain(CITIZEN.fullName);
        expect(receipt.flat).not.toContain('Mẫu số 01');
        // The same link on the citizen's page for this dossier.
        await follow(t, page.getByRole('link', { name: 'Theo dõi hồ sơ này' }));
        expect(await h1(page)).toBe(`Hồ sơ ${code}`);
        expect(await page.getByRole('link', { name: 'Tải giấy biên nhận (PDF)' }).getAttribute('href')).toBe(receiptHref);
        expect((await pdfAt(t, receiptHref)).flat).toContain(`Mã hồ sơ: ${code}`);
        await visit(t, `${base}/da-nop`);

        // Tracking: the link prefills the code; the last four digits open the timeline.
        await follow(t, page.getByRole('link', { name: 'Trang tra cứu hồ sơ bằng mã' }));
        expect(path(page)).toBe('/tra-cuu');
        expect(await page.getByLabel('Mã hồ sơ').inputValue()).toBe(code);
        await page.getByLabel('4 số cuối của số điện thoại').fill('0000');
        await follow(t, page.getByRole('button', { name: 'Tra cứu' }));
        expect(await page.locator('main .error-summary').textContent()).toContain('Không tìm thấy hồ sơ');
        await page.getByLabel('Mã hồ sơ').fill(code);
        await page.getByLabel('4 số cuối của số điện thoại').fill(CITIZEN.phone.slice(-4));
        await follow(t, page.getByRole('button', { name: 'Tra cứu' }));
        const tracked = (await page.locator('main').textContent()) ?? '';
        expect(tracked).toContain(`Hồ sơ ${code}`);
        expect(tracked).toContain('Đã nộp, chờ tiếp nhận');
        expect(tracked).toContain('Đã nộp hồ sơ trực tuyến');
        expect(tracked).toContain('Ngày hẹn trả sẽ có khi cán bộ tiếp nhận hồ sơ');
        expect(tracked).not.toContain(CITIZEN.fullName);

        // And the citizen's own list has it.
        await visit(t, '/ho-so-cua-toi');
        expect(await page.locator('main').textContent()).toContain(code);
        await t.finish();
      },
      FLOW_TIMEOUT,
    );

    it(
      'a receiving officer submits on behalf of a citizen at the counter, recording consent',
      async () => {
        const t = await suite.open(js);
        const { page } = t;
        await signIn(t, OFFICER.login);
        await visit(t, '/can-bo/nop-thay');
        await page.getByLabel('Mã thủ tục').fill(BIRTH);
        await follow(t, page.getByRole('button', { name: 'Bắt đầu' }));

        expect(path(page)).toMatch(/^\/can-bo\/nop-thay\/ban-nhap\/[0-9a-f-]{36}\/nguoi-nop$/);
        const base = path(page).replace(/\/nguoi-nop$/, '');
        await page.getByLabel('Họ và tên').fill(js ? 'Đỗ Thị Quầy' : 'Đỗ Văn Không Script');
        await page.getByLabel('Số điện thoại di động (nếu có)').fill(uniquePhone());
        await follow(t, page.getByRole('button', { name: 'Lưu và tiếp tục' }));

        expect(path(page)).toBe(`${base}/truong-hop`);
        await page.getByRole('radio', { name: 'Giấy tờ phải nộp' }).check();
        await follow(t, page.getByRole('button', { name: 'Lưu và tiếp tục' }));
        await upload(t, { name: 'scan-bien-ban.pdf', mimeType: 'application/pdf', buffer: tinyPdf('scan') });
        for (const n of [1, 2]) {
          expect(path(page)).toBe(`${base}/giay-to/${n}`);
          await follow(t, page.locator('main').getByRole('link', { name: /^Bỏ qua:/ }));
        }
        await upload(t, { name: 'scan-chung-sinh.png', mimeType: 'image/png', buffer: await tinyPng(2) });

        expect(path(page)).toBe(`${base}/xem-lai`);
        expect(await page.locator('main').textContent()).toContain('Không có (người dân tra cứu bằng mã hồ sơ và giấy biên nhận)');
        await follow(t, page.getByRole('link', { name: 'Tiếp tục' }));

        expect(path(page)).toBe(`${base}/dong-y`);
        expect(await page.locator('main').textContent()).toContain(OFFICER.fullName);
        // Without the tick: refused, with the error linked to it.
        await follow(t, page.getByRole('button', { name: 'Nộp hồ sơ thay người dân' }));
        expect(await page.locator('main .error-summary a[href="#f-dong_y"]').count()).toBe(1);
        await page.getByLabel(/^Người dân đã đồng ý/).check();
        await follow(t, page.getByRole('button', { name: 'Nộp hồ sơ thay người dân' }));

        expect(path(page)).toBe(`${base}/da-nop`);
        const code = ((await page.locator('#ma-ho-so').textContent()) ?? '').trim();
        expect(code).toMatch(/^25459-\d{6}-\d{4}$/);
        // A receipt to hand over at once (the dossier still waits for reception, so no appointment on it).
        const receiptHref = await page.getByRole('link', { name: 'In giấy biên nhận cho người dân (PDF)' }).getAttribute('href');
        expect(receiptHref).toBe(`${base}/bien-nhan.pdf`);
        const receipt = await pdfAt(t, receiptHref);
        expect(receipt.flat).toContain('GIẤY BIÊN NHẬN HỒ SƠ ĐÃ NỘP');
        expect(receipt.flat).toContain(`Mã hồ sơ: ${code}`);
        expect(receipt.flat).toContain(js ? 'Đỗ Thị Quầy' : 'Đỗ Văn Không Script');
        expect(receipt.flat).toContain(OFFICER.fullName);
        await t.finish();
      },
      FLOW_TIMEOUT,
    );
  });
});
