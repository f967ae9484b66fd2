import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../catalog/catalog.store.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { snapshot } from '../testing/catalog.js';
import { openTestDb } from '../testing/db.js';
import { testApp } from '../testing/app.js';
import './finder.tables.js';

describe('finder pages and API over the whole catalog', () => {
  let h: DbHandle;
  let app: App;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    await importCatalog(h.db, await snapshot(), { source: 'test' });
    app = testApp(h);
  }, 180_000);
  afterAll(() => h.close());

  it('puts Đăng ký khai sinh (1.001193) first for "lam giay khai sinh cho con", on the page and in the API', async () => {
    const html = await (await app.request('/tim-kiem?q=lam+giay+khai+sinh+cho+con')).text();
    const first = /<ol class="results"><li><a href="\/thu-tuc\/([^"]+)">/.exec(html);
    expect(first?.[1]).toBe('1.001193');
    const api = (await (await app.request('/api/v1/procedures/search?q=lam%20giay%20khai%20sinh%20cho%20con')).json()) as { items: { code: string; why: string }[] };
    expect(api.items[0]?.code).toBe('1.001193');
    expect(api.items[0]?.why).toBeTruthy();
  });

  it('asks one clarifying question for siblings the question does not tell apart', async () => {
    const api = (await (await app.request('/api/v1/procedures/search?q=lam%20lai%20giay%20khai%20sinh')).json()) as { items: unknown[]; clarify?: { options: { code: string; label: string }[] } };
    expect(api.clarify?.options.length).toBeGreaterThanOrEqual(2);
    const html = await (await app.request('/tim-kiem?q=lam+lai+giay+khai+sinh')).text();
    expect(html).toContain('class="clarify"');
  });

  it('scopes to a commune offer and can widen to the whole catalog', async () => {
    const scoped = (await (await app.request('/api/v1/procedures/search?q=khai%20sinh&commune=25459')).json()) as { items: { levels: string[] }[] };
    expect(scoped.items.length).toBeGreaterThan(0);
    for (const i of scoped.items) expect(i.levels).toContain('commune');
    const page = await (await app.request('/tim-kiem?q=khai+sinh&xa=25459')).text();
    expect(page).toContain('Tìm trong toàn bộ danh mục quốc gia');
  });

  it('answers bad input clearly, never with a 5xx', async () => {
    expect((await app.request('/api/v1/procedures/search?q=x&commune=99999')).status).toBe(404);
    expect((await app.request('/api/v1/procedures/search?q=x&commune=abc')).status).toBe(400);
    expect((await app.request('/api/v1/procedures/search?q=x&limit=0')).status).toBe(400);
    expect((await app.request(`/api/v1/procedures/search?q=${'a'.repeat(10_001)}`)).status).toBe(400);
    expect((await app.request(`/api/v1/procedures/search?q=${'a'.repeat(10_000)}`)).status).toBe(200);
    expect((await app.request('/tim-kiem?q=')).status).toBe(200);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ maxLength: 10 }), async (q, commune) => {
        const api = await app.request(`/api/v1/procedures/search?q=${encodeURIComponent(q)}&commune=${encodeURIComponent(commune)}`);
        expect(api.status).toBeLessThan(500);
        const page = await app.request(`/tim-kiem?q=${encodeURIComponent(q)}`);
        expect(page.status).toBe(200);
      }),
      { numRuns: 1000 },
    );
  });

  it('says plainly when nothing fits, with the counter and "Gửi phản ánh, kiến nghị"', async () => {
    const html = await (await app.request('/tim-kiem?q=' + encodeURIComponent('hàng xóm mở nhạc to cả đêm'))).text();
    expect(html).toContain('Chưa tìm thấy thủ tục nào đúng');
    expect(html).toContain('href="/phan-anh/gui"');
    expect(html).toContain('Bộ phận một cửa');
    expect(html).not.toContain('class="results"');
    const api = (await (await app.request('/api/v1/procedures/search?q=' + encodeURIComponent('lắp nước máy cho nhà'))).json()) as { items: unknown[]; noMatch?: boolean; outOfScope?: { door: string } };
    expect(api).toMatchObject({ items: [], noMatch: true, outOfScope: { door: 'utility' } });
  });

  it('shows level, deciding body and for whom, and groups identical titles into one line', async () => {
    const html = await (await app.request('/tim-kiem?q=' + encodeURIComponent('đăng ký khai sinh'))).text();
    expect(html).toContain('Cấp xã — UBND xã');
    expect(html).toContain('Dành cho: người dân');
    const api = (await (await app.request('/api/v1/procedures/search?q=' + encodeURIComponent('cấp lại giấy chứng nhận do bị mất'))).json()) as {
      items: { name: string; where: string; variants?: { code: string; where: string }[] }[];
    };
    const names = api.items.map((i) => i.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    const lost = api.items.find((i) => i.name === 'Cấp lại Giấy chứng nhận do bị mất');
    expect(lost?.variants?.length).toBeGreaterThan(1);
    const page = await (await app.request('/tim-kiem?q=' + encodeURIComponent('cấp lại giấy chứng nhận do bị mất'))).text();
    expect(page).toContain('bạn làm ở đâu?');
  });

  it('answers a life event with the ordered list of procedures, on the page and in the API', async () => {
    const html = await (await app.request('/tim-kiem?q=' + encodeURIComponent('vợ tôi vừa sinh em bé'))).text();
    expect(html).toContain('Gia đình có em bé: các việc cần làm, theo thứ tự');
    expect(html).toContain('href="/thu-tuc/2.000986"');
    const api = (await (await app.request('/api/v1/procedures/search?q=' + encodeURIComponent('bố tôi vừa mất'))).json()) as { lifeEvents?: { steps: { code: string }[] }[] };
    expect(api.lifeEvents?.[0]?.steps[0]?.code).toBe('1.000656');
  });

  it('records each page search anonymised and tied to no account', async () => {
    await app.request('/tim-kiem?q=' + encodeURIComponent('bố tôi vừa mất, gọi 0912345678 gặp chị Lan'));
    await app.request('/tim-kiem?q=' + encodeURIComponent('lắp nước máy cho nhà'));
    const rows = await h.db.selectFrom('finder_search').selectAll().orderBy('id', 'desc').limit(2).execute();
    const [water, death] = rows;
    expect(death?.question).toBe('bố tôi vừa mất, gọi [số] gặp chị [tên]');
    expect(death?.shown_codes.split(' ')[0]).toBe('1.000656');
    expect(death?.no_match).toBe(false);
    expect(water).toMatchObject({ question: 'lắp nước máy cho nhà', no_match: true, shown_codes: '' });
    expect(Object.keys(death ?? {})).not.toEqual(expect.arrayContaining(['user_id', 'session_id']));
  });
});
