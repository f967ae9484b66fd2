/**
 * Signs in over real HTTP like a browser (see src/testing/app.ts): GET /dang-nhap for
 * the `xaso_csrf` cookie and the form's hidden `_csrf`, then POST the form.
 */

export type Cookies = Map<string, string>;

export function cookieHeader(cookies: Cookies): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

function absorb(cookies: Cookies, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair = '', ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
    if (expired || value === '') cookies.delete(name);
    else cookies.set(name, value);
  }
}

async function get(base: string, path: string, cookies: Cookies): Promise<Response> {
  const res = await fetch(new URL(path, base), { headers: { cookie: cookieHeader(cookies) }, redirect: 'manual' });
  absorb(cookies, res);
  return res;
}

/** Returns the browser's cookies after signing in (`xaso_sid` and `xaso_csrf`). */
export async function signIn(base: string, login: string, password: string): Promise<Cookies> {
  const cookies: Cookies = new Map();
  const page = await get(base, '/dang-nhap', cookies);
  const html = await page.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !token) throw new Error(`GET /dang-nhap: status ${page.status}, CSRF token ${token ? 'found' : 'missing'}`);
  if (!cookies.has('xaso_csrf')) throw new Error('GET /dang-nhap did not set the xaso_csrf cookie');

  const res = await fetch(new URL('/dang-nhap', base), {
    method: 'POST',
    headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, password, _csrf: token }),
    redirect: 'manual',
  });
  absorb(cookies, res);
  await res.arrayBuffer();
  if (res.status !== 303 || !cookies.has('xaso_sid')) {
    throw new Error(`sign-in as ${login} failed: status ${res.status}, session cookie ${cookies.has('xaso_sid') ? 'set' : 'missing'}`);
  }
  return cookies;
}

/** One request that must succeed with 200 before a target is measured (a 303 means "not signed in"). */
export async function expectOk(url: string, headers: Record<string, string>, mustContain?: string): Promise<void> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`preflight ${url}: status ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}`);
  if (mustContain && !body.includes(mustContain)) throw new Error(`preflight ${url}: body lacks "${mustContain}"`);
}
