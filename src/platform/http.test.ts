import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from './db.js';
import type { App } from './routes.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';

describe('HTTP behaviour', () => {
  let h: DbHandle;
  let app: App;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    app = testApp(h);
  });
  afterAll(() => h.close());

  it('reports liveness and readiness', async () => {
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await app.request('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('answers an unknown page with a friendly Vietnamese 404 page, and the API with JSON', async () => {
    const page = await app.request('/khong-co-trang-nay');
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('lang="vi"');
    expect(html).toContain('Không tìm thấy trang');
    const api = await app.request('/api/v1/khong-co');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses an oversized body with 413', async () => {
    const c = new Client(app);
    const big = 'x'.repeat(2 * 1024 * 1024);
    const res = await c.post('/dang-nhap', { login: big, password: 'x' });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('quá lớn');
  });

  it('answers malformed JSON and invalid fields with 400 {error: {code, message, fields}} in Vietnamese', async () => {
    const bad = await app.request('/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"full_name": ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('JSON') } });
    const invalid = await app.request('/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ full_name: '', phone: 'abc', password: '1' }) });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('invalid');
    expect(body.error.fields.phone).toContain('Số điện thoại');
    expect(body.error.fields.password).toContain('Mật khẩu');
  });

  it('creates an account through the JSON API without signing in', async () => {
    const res = await app.request('/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ full_name: 'Lý Văn Tư', phone: '0355123456', password: 'mot hai ba bon' }) });
    expect(res.status).toBe(201);
    expect((await app.request('/api/v1/me')).status).toBe(401);
  });

  it('serves the OpenAPI document listing the API routes', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/me', '/api/v1/accounts']));
  });

  it('switches language and text size with plain links (no JavaScript)', async () => {
    const c = new Client(app);
    const res = await c.get('/tuy-chon?lang=en&size=large&next=/dang-nhap');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dang-nhap');
    const html = await (await c.get('/dang-nhap')).text();
    expect(html).toContain('<html lang="en" class="text-lg">');
    expect(html).toContain('Skip to main content');
    expect((await c.get('/tuy-chon?next=https://evil.example')).headers.get('location')).toBe('/');
  });

  it('sets security headers and a request id', async () => {
    const res = await app.request('/');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-inline'; script");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    // http base URL: no HSTS (it would pin a site that has no certificate).
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS when the base URL is https', async () => {
    const secure = testApp(h, { baseUrl: 'https://xaso.example' });
    expect((await secure.request('/')).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });

  it('pages carry no inline script (the policy would block it)', async () => {
    for (const path of ['/', '/dang-nhap', '/dang-ky', '/quen-mat-khau', '/tim-kiem?q=khai+sinh', '/phan-anh']) {
      const html = await (await app.request(path)).text();
      expect(html, path).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\son[a-z]+=/);
    }
  });

  it('answers that say nothing about caching are no-store; the stylesheet stays cacheable', async () => {
    expect((await app.request('/dang-nhap')).headers.get('cache-control')).toBe('no-store');
    expect((await app.request('/api/v1/me')).headers.get('cache-control')).toBe('no-store');
    const home = await (await app.request('/')).text();
    const css = /href="(\/static\/app\.[0-9a-f]+\.css)"/.exec(home)![1]!;
    expect((await app.request(css)).headers.get('cache-control')).toContain('immutable');
  });

  it('answers NUL and other control characters in a path or query with 400/404, never 500', async () => {
    const cases: [string, number][] = [
      ['/thu-tuc/%00', 404],
      ['/nop-ho-so/%00', 404],
      ['/%00', 404],
      ['/thu-tuc/%0d%0aSet-Cookie:x=1', 404],
      ['/api/v1/dossiers/track?code=%00abc&phoneLast4=1234', 400],
      ['/tra-cuu?code=%00abc', 400],
      ['/tim-kiem?q=a%00b', 400],
      ['/tim-kiem?q=a%1bb', 400],
      ['/tim-kiem?q=%E0%A4%A', 400],
    ];
    for (const [path, status] of cases) {
      const res = await app.request(path);
      expect(res.status, path).toBe(status);
    }
    const api = await app.request('/api/v1/dossiers/track?code=%00abc');
    expect(await api.json()).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('never redirects off-site from /tuy-chon, and CR/LF in next is not a 500', async () => {
    for (const next of ['/%09/evil.example/x', '/%0d%0a/evil.example', '%0d%0aSet-Cookie:%20a=1', '/%5Cevil.example', '//evil.example', '/.//evil.example']) {
      const res = await app.request(`/tuy-chon?lang=vi&next=${next}`);
      expect(res.status, next).toBe(303);
      expect(res.headers.get('location'), next).toBe('/');
    }
  });
});
