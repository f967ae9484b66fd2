/**
 * The catalog and finder in a real browser with JavaScript off, on a phone
 * screen: search in the citizen's own words → the procedure page with its
 * papers and fees → the printable guide and the commune poster; axe on every page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, clickAndWait, newPage, PHONE_VIEWPORT, startServerAndBrowser, type TestServer, type TrackedPage } from './harness.js';

describe.skipIf(browserSkipReason !== null)(`catalog and finder in the browser${browserSkipReason ? ` — SKIPPED: ${browserSkipReason}` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ server, browser } = await startServerAndBrowser({ readyTimeoutMs: 110_000 }));
  }, 150_000);

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
  }, 30_000);

  async function follow(t: TrackedPage, target: ReturnType<Page['locator']>): Promise<void> {
    await clickAndWait(t.page, target);
    await t.audit();
  }

  it('search → procedure page → printable guide, without JavaScript', async () => {
    const t = await newPage(browser, { javaScriptEnabled: false, baseURL: server.baseUrl, viewport: PHONE_VIEWPORT });
    await t.page.goto('/', { waitUntil: 'load' });
    await t.audit();
    await t.page.getByLabel('Bạn cần làm thủ tục gì?').fill('lam giay khai sinh cho con');
    await follow(t, t.page.getByRole('button', { name: 'Tìm', exact: true }).first());
    const first = t.page.locator('ol.results li a').first();
    await expect(first.textContent()).resolves.toContain('đăng ký khai sinh');
    expect(await first.getAttribute('href')).toBe('/thu-tuc/1.001193');
    await follow(t, first);
    const body = (await t.page.locator('main').textContent()) ?? '';
    expect(body).toContain('1.001193');
    expect(body).toMatch(/bản chính|bản sao/);
    expect(body).toMatch(/phí/i);
    expect(await t.page.locator('img[src$="/thu-tuc/1.001193/qr.svg"], svg').count()).toBeGreaterThan(0);
    await t.page.goto('/thu-tuc/1.001193/in', { waitUntil: 'load' });
    await t.audit();
    const guide = (await t.page.locator('body').textContent()) ?? '';
    expect(guide).toContain('đăng ký khai sinh');
    const pdf = await t.page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await t.page.goto('/xa/25459/ap-phich?linh-vuc=ho-tich', { waitUntil: 'load' });
    await t.audit();
    expect((await t.page.locator('body').textContent()) ?? '').toContain('1.001193');
    await t.finish();
  }, 180_000);
});
