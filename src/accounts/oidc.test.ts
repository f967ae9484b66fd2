import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error -- oidc-provider ships no type declarations; the few calls used are typed below.
import ProviderModule from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../platform/audit.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import { grantRole, insertUser } from './accounts.store.js';
import { FLOW_COOKIE, isLocalHttp, profileFromClaims, sealFlow, unsealFlow } from './oidc.service.js';

interface TestProvider {
  callback(): RequestListener;
}
const Provider = ProviderModule as new (issuer: string, configuration: Record<string, unknown>) => TestProvider;

/** The app is driven with app.request(); this base URL only names its callback for the provider. */
const APP_BASE = 'http://127.0.0.1:48173';
const CALLBACK = `${APP_BASE}/dang-nhap/vneid/callback`;
const CLIENT_ID = 'xaso-thu-nghiem';
const CLIENT_SECRET = 'bi-mat-cua-ung-dung-thu-nghiem-0123456789';

/** People known to the stand-in national provider, by subject. */
const PEOPLE: Record<string, Record<string, unknown>> = {
  'vneid-hoa': { name: 'Nguyễn Thị Hoa', phone_number: '+84912000111', phone_number_verified: true, email: 'Hoa.Nguyen@example.vn', email_verified: true },
  'vneid-binh': { name: 'Trần Văn Bình', phone_number: '0987 654 321', phone_number_verified: true },
  'vneid-trung': { name: 'Lý Văn Trung', phone_number: '0911222333', phone_number_verified: true },
};

/** Starts a real OpenID provider (oidc-provider, dev interactions) on 127.0.0.1 with a random port. */
async function startProvider(): Promise<{ issuer: string; server: Server }> {
  let handler: RequestListener = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name'],
      phone: ['phone_number', 'phone_number_verified'],
      email: ['email', 'email_verified'],
    },
    findAccount: (_ctx: unknown, id: string) => {
      const person = PEOPLE[id];
      return person ? { accountId: id, claims: () => ({ sub: id, ...person }) } : undefined;
    },
    pkce: { required: () => true },
    cookies: { keys: ['khoa-cookie-cua-nha-cung-cap-thu-nghiem'] },
    ttl: { Session: 600, Grant: 600, Interaction: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
  });
  handler = provider.callback();
  return { issuer, server };
}

/** A cookie jar for the provider's origin, as a browser would keep it. */
class Jar {
  readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0\b/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function formOf(html: string): { action: string; prompt: string } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !prompt) throw new Error(`no interaction form in: ${html.slice(0, 500)}`);
  return { action: action.replace(/&amp;/g, '&'), prompt };
}

/**
 * Plays the person at the provider: follows redirects, signs in as `subject`
 * on the dev login form, confirms consent, and stops at the redirect back to the app.
 * Returns the callback's path and query.
 */
async function atProvider(authorizeUrl: string, subject: string, opts: { abort?: boolean } = {}): Promise<string> {
  const jar = new Jar();
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const headers = new Headers(init.headers);
    if (jar.cookies.size) headers.set('cookie', jar.header());
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.take(res);
    init = {};
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.href.startsWith(CALLBACK)) return next.pathname + next.search;
      url = next.href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 500)}`);
    const form = formOf(html);
    if (opts.abort) {
      // The dev interaction's "cancel" link: the provider answers error=access_denied.
      const abort = /href="([^"]+\/abort)"/.exec(html)?.[1];
      if (!abort) throw new Error('no abort link');
      url = new URL(abort, url).href;
      continue;
    }
    const fields: Record<string, string> = form.prompt === 'login' ? { prompt: 'login', login: subject, password: 'bat-ky' } : { prompt: form.prompt };
    url = new URL(form.action, url).href;
    init = { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('too many redirects at the provider');
}

/** Starts the flow at the app; returns the provider URL it redirected to. */
async function start(client: Client, next?: string): Promise<string> {
  const res = await client.get(`/dang-nhap/vneid${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

async function signInVneid(client: Client, subject: string, next?: string): Promise<Response> {
  const callback = await atProvider(await start(client, next), subject);
  return client.get(callback);
}

describe('national single sign-on (OpenID Connect)', () => {
  let h: DbHandle;
  let app: App;
  let provider: Server;
  let issuer: string;

  beforeAll(async () => {
    h = await openTestDb('pglite');
    ({ issuer, server: provider } = await startProvider());
    app = testApp(h, { baseUrl: APP_BASE, oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, label: 'VNeID' } });
  });
  afterAll(async () => {
    if (provider) {
      // Drop fetch's keep-alive connections, or close() waits for them to time out.
      await new Promise<void>((resolve) => {
        provider.close(() => resolve());
        provider.closeAllConnections();
      });
    }
    await h?.close();
  });

  async function userCount(): Promise<number> {
    const r = await h.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it('offers the button on the sign-in page and starts with PKCE S256, state and nonce in a short-lived HttpOnly cookie', async () => {
    const client = new Client(app);
    const page = await (await client.get('/dang-nhap?next=/tai-khoan')).text();
    expect(page).toContain('href="/dang-nhap/vneid?next=%2Ftai-khoan"');
    expect(page).toContain('Đăng nhập bằng VNeID');

    const res = await client.get('/dang-nhap/vneid');
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location')!);
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith(`${FLOW_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/dang-nhap\/vneid/);
    expect(cookie).toMatch(/Max-Age=600/);
    // The verifier is not readable in the cookie.
    expect(cookie).not.toContain(url.searchParams.get('state')!);
  });

  it('signs a new person in, creating a citizen account without a password, and lands on the account page', async () => {
    const before = await userCount();
    const client = new Client(app);
    const done = await signInVneid(client, 'vneid-hoa');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/tai-khoan');
    const page = await (await client.get('/tai-khoan')).text();
    expect(page).toContain('Nguyễn Thị Hoa');
    expect(page).toContain('0912000111');
    expect(await userCount()).toBe(before + 1);

    const user = await h.db.selectFrom('app_user').selectAll().where('phone', '=', '0912000111').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ kind: 'citizen', full_name: 'Nguyễn Thị Hoa', email: 'hoa.nguyen@example.vn', password_hash: null });
    const identity = await h.db.selectFrom('oidc_identity').selectAll().where('user_id', '=', user.id).execute();
    expect(identity).toMatchObject([{ issuer, subject: 'vneid-hoa' }]);

    const audit = await h.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.oidc_register').where('subject_id', '=', user.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(user.id);
    expect(audit[0]!.pd_changed).toEqual(['full_name', 'phone', 'email', 'oidc_identity']);
  });

  it('reuses the same account on a second sign-in with the same subject', async () => {
    const before = await userCount();
    const client = new Client(app);
    const done = await signInVneid(client, 'vneid-hoa', '/tai-khoan?lan=2');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/tai-khoan?lan=2');
    expect(await (await client.get('/tai-khoan')).text()).toContain('Nguyễn Thị Hoa');
    expect(await userCount()).toBe(before);
    const logins = await h.db.selectFrom('audit_log').select(['subject_id', 'detail']).where('action', '=', 'account.oidc_login').execute();
    const hoa = await h.db.selectFrom('oidc_identity').select('user_id').where('subject', '=', 'vneid-hoa').executeTakeFirstOrThrow();
    expect(logins.filter((l) => l.subject_id === hoa.user_id)).toHaveLength(1);
  });

  it('links to the citizen who registered with the same verified phone instead of creating a duplicate', async () => {
    const client = new Client(app);
    const registered = await client.post('/dang-ky', { full_name: 'Trần Văn Bình', phone: '0987654321', password: 'mat khau cua binh', password_confirm: 'mat khau cua binh' });
    expect(registered.status).toBe(303);
    const existing = await h.db.selectFrom('app_user').select('id').where('phone', '=', '0987654321').executeTakeFirstOrThrow();
    const before = await userCount();

    const other = new Client(app, '198.51.100.20');
    expect((await signInVneid(other, 'vneid-binh')).status).toBe(303);
    expect(await userCount()).toBe(before);
    const identity = await h.db.selectFrom('oidc_identity').select('user_id').where('subject', '=', 'vneid-binh').executeTakeFirstOrThrow();
    expect(identity.user_id).toBe(existing.id);
    expect(await (await other.get('/tai-khoan')).text()).toContain('Trần Văn Bình');
    const linked = await h.db.selectFrom('audit_log').select(['pd_changed', 'detail', 'ip']).where('action', '=', 'account.oidc_login').where('subject_id', '=', existing.id).execute();
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ pd_changed: ['oidc_identity'], detail: { linkedBy: 'phone' }, ip: '198.51.100.20' });
  });

  it('never links to a staff account by phone: a separate citizen account is made, without that phone', async () => {
    const staffId = await insertUser(h.db, { kind: 'staff', fullName: 'Cán bộ Trung', phone: '0911222333', email: null, passwordHash: null });
    await grantRole(h.db, staffId, '01', 'province_admin');
    const client = new Client(app);
    expect((await signInVneid(client, 'vneid-trung')).status).toBe(303);
    const identity = await h.db.selectFrom('oidc_identity').select('user_id').where('subject', '=', 'vneid-trung').executeTakeFirstOrThrow();
    expect(identity.user_id).not.toBe(staffId);
    const citizen = await h.db.selectFrom('app_user').select(['kind', 'phone', 'full_name']).where('id', '=', identity.user_id).executeTakeFirstOrThrow();
    expect(citizen).toEqual({ kind: 'citizen', phone: null, full_name: 'Lý Văn Trung' });
    const page = await (await client.get('/tai-khoan')).text();
    expect(page).toContain('Lý Văn Trung');
    expect(page).not.toContain('Vai trò');
  });

  it('refuses a tampered state with 400 and signs no one in', async () => {
    const client = new Client(app);
    const callback = new URL(await atProvider(await start(client), 'vneid-hoa'), APP_BASE);
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const res = await client.get(callback.pathname + callback.search);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('không khớp');
    expect(page).toContain('href="/dang-nhap"');
    expect((await client.get('/tai-khoan')).status).toBe(303);
  });

  it('refuses a callback whose flow cookie is missing or expired', async () => {
    const starter = new Client(app);
    const callback = await atProvider(await start(starter), 'vneid-hoa');
    const stranger = new Client(app);
    const res = await stranger.get(callback);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('hết hạn');

    // The same cookie, once its ten minutes are over.
    const sealed = starter.cookies.get(FLOW_COOKIE)!;
    const flow = unsealFlow('test-secret-0123456789abcdef', sealed);
    expect(flow.ok).toBe(true);
    if (flow.ok) {
      starter.cookies.set(FLOW_COOKIE, sealFlow('test-secret-0123456789abcdef', { ...flow.flow, exp: Date.now() - 1 }));
      expect((await starter.get(callback)).status).toBe(400);
    }
    // A cookie sealed with another secret (forged) is refused too.
    expect(unsealFlow('another-secret', sealed)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a code the provider does not accept (token exchange failure) with 400', async () => {
    const client = new Client(app);
    const callback = new URL(await atProvider(await start(client), 'vneid-hoa'), APP_BASE);
    callback.searchParams.set('code', 'ma-gia-mao');
    const res = await client.get(callback.pathname + callback.search);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Chưa xác nhận được thông tin đăng nhập');
  });

  it('explains a cancelled sign-in at the provider with 400 and a link back', async () => {
    const client = new Client(app);
    const callback = await atProvider(await start(client), 'vneid-hoa', { abort: true });
    expect(callback).toContain('error=access_denied');
    const res = await client.get(callback);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Bạn đã hủy đăng nhập');
    expect(page).toContain('href="/dang-nhap"');
  });

  it('follows only local next paths', async () => {
    const client = new Client(app);
    const done = await signInVneid(client, 'vneid-hoa', '//evil.example/');
    expect(done.headers.get('location')).toBe('/tai-khoan');
  });

  it('keeps the audit chain intact', async () => {
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it('answers 404 when national sign-in is not configured', async () => {
    const plain = new Client(testApp(h, { oidc: null }));
    expect((await plain.get('/dang-nhap/vneid')).status).toBe(404);
    expect((await plain.get('/dang-nhap/vneid/callback?code=x&state=y')).status).toBe(404);
    expect(await (await plain.get('/dang-nhap')).text()).not.toContain('/dang-nhap/vneid');
  });
});

describe('OpenID Connect helpers', () => {
  it('allows plain http only for a provider on this machine', () => {
    expect(isLocalHttp(new URL('http://127.0.0.1:4000'))).toBe(true);
    expect(isLocalHttp(new URL('http://localhost/realms/x'))).toBe(true);
    expect(isLocalHttp(new URL('http://sso.example.vn'))).toBe(false);
    expect(isLocalHttp(new URL('https://localhost'))).toBe(false);
  });

  it('takes the phone and email only when verified, and normalises them', () => {
    expect(profileFromClaims({ sub: 's', name: ' Lê  Văn\tAn <>\u0007 ', phone_number: '+84 912 345 678', phone_number_verified: true, email: 'A@B.VN', email_verified: true })).toEqual({
      subject: 's',
      fullName: 'Lê Văn An',
      phone: '0912345678',
      email: 'a@b.vn',
    });
    expect(profileFromClaims({ sub: 's', family_name: 'Phạm', given_name: 'Lan', phone_number: '0912345678', email: 'a@b.vn' })).toEqual({
      subject: 's',
      fullName: 'Phạm Lan',
      phone: null,
      email: null,
    });
    expect(profileFromClaims({ sub: 's', phone_number: '12345', phone_number_verified: true }).phone).toBeNull();
    expect(() => profileFromClaims({ name: 'x' })).toThrow();
  });
});
