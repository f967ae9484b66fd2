/**
 * Feedback (phản ánh), end to end in a real browser against the real server:
 * a citizen files a report with a photo, an official triages, answers and
 * closes it, the citizen rates the answer, and it appears on the commune's
 * public list. With JavaScript on, the citizen is signed in; with it off, the
 * citizen is anonymous and comes back through the private link. axe-core
 * checks every page each flow visits, on a small phone's screen.
 */
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_CITIZENS, demoStaff } from '../src/demo/seed.js';
import { signIn } from './flows.js';
import { describeInBrowser, follow, uniquePhone, visit } from './harness.js';

const FLOW_TIMEOUT = 150_000;
const COMMUNE = '25459';

const officer = demoStaff().find((s) => s.login === 'tiepnhan.tanninh@demo.xaso.vn');
if (!officer || officer.role !== 'receiving_officer' || officer.unitCode !== COMMUNE) throw new Error('demo data changed: tiepnhan.tanninh@demo.xaso.vn is no longer Tân Ninh’s receiving officer');
const citizen = DEMO_CITIZENS.find((c) => c.commune === COMMUNE)!;

/** A small PNG made here (no fixture file), with a visible pattern. */
async function photoPng(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 230, g: 180, b: 40 } } })
    .composite([{ input: { create: { width: 120, height: 80, channels: 3, background: { r: 20, g: 20, b: 20 } } }, left: 100, top: 80 }])
    .png()
    .toBuffer();
}

describeInBrowser('feedback in the browser', { readyTimeoutMs: 110_000, setupTimeoutMs: 120_000 }, (suite) => {
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  const notice = (page: Page) => page.locator('main .notice.success').textContent();

  describe.each([true, false])('JavaScript enabled: %s', (js) => {
    it(
      'a citizen reports with a photo; an official answers and closes; the citizen rates; the public list shows it',
      async () => {
        const description = js ? 'Đèn đường trước nhà văn hoá khu phố 1 không sáng đã một tuần' : 'Cống thoát nước đầu hẻm 7 bị tắc, nước tràn ra đường';
        const place = js ? 'Khu phố 1, đường 30/4' : 'Hẻm 7, khu phố 3';
        const phone = uniquePhone();

        // ---- the citizen files the report
        const c = await suite.open(js);
        const p = c.page;
        if (js) await signIn(c, citizen.phone);
        await visit(c, '/phan-anh');
        expect(await heading(p)).toBe('Phản ánh, kiến nghị');
        await follow(c, p.getByRole('link', { name: 'Gửi phản ánh' }));
        if (!js) {
          // Anonymous: first the commune (a signed-in citizen starts at their home commune).
          expect(await heading(p)).toContain('xã, phường nào');
          await p.getByLabel('Việc bạn phản ánh xảy ra ở xã, phường nào?').selectOption({ label: 'Phường Tân Ninh' });
          await follow(c, p.getByRole('button', { name: 'Tiếp tục' }));
        }
        expect(await heading(p)).toBe('Bạn muốn phản ánh về việc gì?');
        await p.getByLabel(js ? 'Đường sá, chiếu sáng' : 'Môi trường, rác thải').check();
        await follow(c, p.getByRole('button', { name: 'Tiếp tục' }));
        expect(await heading(p)).toBe('Nội dung phản ánh');

        // Submitting with nothing filled shows every problem first.
        await follow(c, p.getByRole('button', { name: 'Gửi phản ánh' }));
        const summary = p.locator('main .error-summary');
        expect(await summary.count()).toBe(1);
        const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(hrefs).toEqual(js ? ['#f-mo_ta', '#f-cong_khai'] : ['#f-mo_ta', '#f-cong_khai', '#f-dien_thoai']);

        await p.getByLabel('Việc gì đang xảy ra?').fill(description);
        await p.getByLabel('Ở đâu? (không bắt buộc)').fill(place);
        await p.getByLabel(/^Ảnh chụp/).setInputFiles({ name: 'anh-hien-truong.png', mimeType: 'image/png', buffer: await photoPng() });
        await p.getByLabel('Có, công khai nội dung và câu trả lời').check();
        if (!js) await p.getByLabel('Số điện thoại của bạn').fill(phone);
        await follow(c, p.getByRole('button', { name: 'Gửi phản ánh' }));

        const title = (await heading(p)) ?? '';
        const code = /PA-\d{5}-\d{4}-\d{6}-[2-9A-Z]{6}/.exec(title)?.[0];
        expect(code, title).toBeDefined();
        expect(await notice(p)).toContain(`Mã phản ánh của bạn là ${code}`);
        const trackingUrl = new URL(p.url());
        expect(trackingUrl.pathname).toBe(`/phan-anh/${code}`);
        expect(trackingUrl.searchParams.has('ma')).toBe(!js); // the anonymous author's private link
        expect(await p.locator('main').textContent()).toContain(description);
        const img = p.getByRole('img', { name: 'Ảnh 1 kèm phản ánh' });
        expect(await img.count()).toBe(1);
        const photo = await p.request.get(new URL((await img.getAttribute('src'))!, suite.server.baseUrl).toString());
        expect(photo.status()).toBe(200);
        expect(photo.headers()['content-type']).toBe('image/jpeg');
        const back = `${trackingUrl.pathname}${trackingUrl.search.replace(/&?moi=1/, '')}`;

        // ---- an official answers and closes it
        const o = await suite.open(js);
        const op = o.page;
        await signIn(o, officer.login);
        await visit(o, `/can-bo/xa/${COMMUNE}/phan-anh`);
        expect(await heading(op)).toBe('Phản ánh, kiến nghị — Phường Tân Ninh');
        await follow(o, op.getByRole('link', { name: code! }));
        expect(await heading(op)).toBe(`Phản ánh ${code}`);
        expect(await op.locator('main').textContent()).toContain(js ? citizen.fullName : phone);

        await op.getByLabel('Đơn vị hoặc người xử lý').fill('Tổ dân phố 1 và công chức địa chính');
        await follow(o, op.getByRole('button', { name: 'Lưu phân loại' }));
        expect(await notice(op)).toBe('Đã lưu phân loại và đơn vị xử lý.');

        const answer = js ? 'Đã thay bóng đèn và kiểm tra đường dây ngày 20/11. Cảm ơn bà đã báo.' : 'Đã nạo vét cống đầu hẻm 7. Cảm ơn anh chị đã phản ánh.';
        await op.getByLabel('Nội dung trả lời').fill(answer);
        await op.getByLabel('Công khai: mọi người xem được cùng phản ánh').check();
        await follow(o, op.getByRole('button', { name: 'Gửi trả lời' }));
        expect(await notice(op)).toBe('Đã gửi câu trả lời.');

        await follow(o, op.getByRole('button', { name: 'Đóng phản ánh' }));
        expect(await notice(op)).toContain('Đã đóng phản ánh');
        expect(await op.locator('main table').textContent()).toContain('Đã trả lời, đã đóng');
        await o.finish();

        // ---- the citizen rates the answer
        await visit(c, back);
        expect(await p.locator('main').textContent()).toContain(answer);
        await p.getByLabel('5 — Rất hài lòng').check();
        await p.getByLabel('Nhận xét (không bắt buộc)').fill('Xử lý nhanh');
        await follow(c, p.getByRole('button', { name: 'Gửi đánh giá' }));
        expect(await notice(p)).toBe('Cảm ơn bạn đã đánh giá câu trả lời.');
        expect(await p.locator('main').textContent()).toContain('Bạn đã đánh giá 5/5');
        await c.finish();

        // ---- anyone sees it on the commune's public list, without the sender's name or phone
        const v = await suite.open(js);
        const vp = v.page;
        await visit(v, `/xa/${COMMUNE}/phan-anh`);
        expect(await heading(vp)).toBe('Phản ánh đã được trả lời ở Phường Tân Ninh');
        const list = (await vp.locator('main').textContent()) ?? '';
        expect(list).toContain(code);
        expect(list).toContain(answer);
        expect(list).not.toContain(phone);
        expect(list).not.toContain(citizen.fullName);
        await vp.getByLabel('Tìm trong các phản ánh').fill(js ? 'den duong' : 'CỐNG thoát nước');
        await follow(v, vp.getByRole('search', { name: 'Tìm phản ánh' }).getByRole('button', { name: 'Tìm' }));
        expect(await vp.locator('main .feedback-list').textContent()).toContain(code);
        await follow(v, vp.locator('main .feedback-list').getByRole('link').first());
        expect(await heading(vp)).toBe(`Phản ánh ${code}`);
        expect(await vp.locator('main').textContent()).not.toContain('Đánh giá câu trả lời');
        await v.finish();
      },
      FLOW_TIMEOUT,
    );
  });
});
