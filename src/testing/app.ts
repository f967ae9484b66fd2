import { createApp } from '../app.js';
import type { Clock } from '../platform/clock.js';
import { loadConfig, type Config } from '../platform/config.js';
import type { DbHandle } from '../platform/db.js';
import { silentLogger } from '../platform/logger.js';
import type { App } from '../platform/routes.js';

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests vary the client address through X-Forwarded-For, as a trusted proxy would.
  return { ...loadConfig({ PORT: '0', XASO_SECRET: 'test-secret-0123456789abcdef', XASO_DATA_DIR: '.tmp/test-data', XASO_TRUST_PROXY: '1' }), ...overrides };
}

/** An app on a test database; pass a clock to control "now" (otherwise the system clock). */
export function testApp(handle: DbHandle, overrides: Partial<Config> = {}, clock?: Clock): App {
  return createApp({ db: handle.db, engine: handle.engine, config: testConfig(overrides), log: silentLogger, ...(clock ? { clock } : {}) });
}

/** A browser-like client over app.request: keeps cookies, reads CSRF tokens from pages. */
export class Client {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: App,
    private readonly ip = '203.0.113.7',
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    headers.set('x-forwarded-for', this.ip);
    const res = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** The CSRF token a page would carry (fetches `from` to set the cookie when needed). */
  async csrf(from = '/dang-nhap'): Promise<string> {
    const html = await (await this.get(from)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error(`no CSRF token on ${from}`);
    return m[1]!;
  }

  /** Posts a form like a browser: with the CSRF token unless `csrf: false`. */
  async post(path: string, fields: Record<string, string>, opts: { csrf?: boolean | string } = {}): Promise<Response> {
    const body = new URLSearchParams(fields);
    if (opts.csrf !== false) body.set('_csrf', typeof opts.csrf === 'string' ? opts.csrf : await this.csrf());
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async signIn(login: string, password: string): Promise<Response> {
    const res = await this.post('/dang-nhap', { login, password });
    if (res.status !== 303) throw new Error(`sign-in failed for ${login}: ${res.status}`);
    return res;
  }
}
