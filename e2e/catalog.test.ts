/**
 * The catalog and finder in a real browser with JavaScript off, on a phone
 * screen: search in the citizen's own words → the procedure page with its
 * papers and fees → the printable guide and the commune poster; axe on every page.
 */
import { expect, it } from 'vitest';
import { describeInBrowser, follow, PHONE_VIEWPORT, visit } from './harness.js';

describeInBrowser('catalog and finder in the browser', { readyTimeoutMs: 110_000, setupTimeoutMs: 150_000 }, (suite) => {
  it('search → procedure page → printable guide, without JavaScript', async () => {
    const t = await suite.open(false, { viewport: PHONE_VIEWPORT });
    await visit(t, '/');
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
    await visit(t, '/thu-tuc/1.001193/in');
    const guide = (await t.page.locator('body').textContent()) ?? '';
    expect(guide).toContain('đăng ký khai sinh');
    const pdf = await t.page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await visit(t, '/xa/25459/ap-phich?linh-vuc=ho-tich');
    expect((await t.page.locator('body').textContent()) ?? '').toContain('1.001193');
    await t.finish();
  }, 180_000);
});
