import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiPath } from './context.js';
import type { DbHandle } from './db.js';
import { PERMISSIONS, ROLES, type Policy, type Role } from './permissions.js';
import { routePolicies, type App } from './routes.js';
import { createSession } from './session.js';
import { seedDemo, demoStaff, DEMO_COMMUNES } from '../demo/seed.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import { provinceOf } from '../units/units.js';

/** Who knocks: anonymous, a citizen, every staff role in commune A, and an officer of commune B. */
interface Principal {
  name: string;
  login: string | null;
  role: Role | null;
  unitCode: string | null;
}

const HOME = DEMO_COMMUNES[0].code;
const OTHER = DEMO_COMMUNES[1].code;

function principals(): Principal[] {
  const staff = demoStaff();
  const list: Principal[] = [{ name: 'anonymous', login: null, role: null, unitCode: null }, { name: 'citizen', login: '0912000001', role: 'citizen', unitCode: null }];
  for (const s of staff) {
    if (s.unitCode === HOME || s.unitCode?.length === 2) list.push({ name: `${s.role}@${s.unitCode}`, login: s.login, role: s.role, unitCode: s.unitCode });
  }
  const other = staff.find((s) => s.unitCode === OTHER && s.role === 'receiving_officer')!;
  list.push({ name: `other-commune receiving_officer@${OTHER}`, login: other.login, role: other.role, unitCode: other.unitCode });
  return list;
}

/** The rule, restated independently of the guard. */
function expectedAllowed(policy: Policy, p: Principal, unitInPath: string | null): boolean {
  if (policy.kind === 'public') return true;
  if (!p.role) return false;
  if (policy.kind === 'signedIn') return true;
  if (!(PERMISSIONS[policy.permission] as readonly Role[]).includes(p.role)) return false;
  if (!policy.unitParam || unitInPath === null) return true;
  return p.unitCode === unitInPath || (p.unitCode?.length === 2 && provinceOf(unitInPath) === p.unitCode);
}

/** Real object ids for parameters whose routes look the object up (filled in once the demo is seeded). */
const REAL_IDS = new Map<string, string>();

function concretePath(path: string, policy: Policy): { url: string; unit: string | null } {
  const unitParam = policy.kind === 'permission' ? policy.unitParam : undefined;
  let unit: string | null = null;
  const url = path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string) => {
    if (name === unitParam) {
      // Province-scoped routes get the home commune's province.
      unit = name === 'province' ? provinceOf(HOME)! : HOME;
      return unit;
    }
    return REAL_IDS.get(`${path} ${name}`) ?? REAL_IDS.get(name) ?? 'x0';
  });
  return { url, unit };
}

describe('authorization matrix: every route × every role', () => {
  let h: DbHandle;
  let app: App;
  const userIds = new Map<string, string>();
  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    app = testApp(h);
    const users = await h.db.selectFrom('app_user').select(['id', 'email', 'phone']).execute();
    for (const u of users) userIds.set((u.email ?? u.phone)!, u.id);
    // A staff member of the home commune, and a notification that could not be delivered.
    REAL_IDS.set('userId', userIds.get(demoStaff().find((s) => s.unitCode === HOME && s.role === 'specialist')!.login)!);
    const dead = await h.db
      .insertInto('outbox')
      .values({ channel: 'sms', recipient: '0912000001', body: 'Xa So: ho so A-1: thu.', status: 'failed', last_error: 'thử', dedupe_key: null, sent_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    REAL_IDS.set('/quan-tri/thong-bao-loi/:id/gui-lai id', String(dead.id));
  });
  afterAll(() => h.close());

  function appRoutes(): { method: string; path: string }[] {
    const seen = new Map<string, { method: string; path: string }>();
    for (const r of app.routes) if (r.method !== 'ALL') seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
    return [...seen.values()];
  }

  it('every route declares a policy (new routes join the matrix)', () => {
    const policies = routePolicies(app);
    const missing = appRoutes().filter((r) => !policies.has(`${r.method} ${r.path}`));
    expect(missing).toEqual([]);
    expect(policies.size).toBe(appRoutes().length);
  });

  it('covers every role', () => {
    const covered = new Set(principals().map((p) => p.role).filter(Boolean));
    expect([...covered].sort()).toEqual([...ROLES].sort());
  });

  // Every route × 16 principals, one request each: minutes on a loaded 2-core machine.
  it('lets in exactly who the policy says, for every route', { timeout: 600_000 }, async () => {
    const policies = routePolicies(app);
    const failures: string[] = [];
    let ip = 0;
    for (const r of appRoutes()) {
      const policy = policies.get(`${r.method} ${r.path}`)!;
      const { url, unit } = concretePath(r.path, policy);
      for (const p of principals()) {
        const c = new Client(app, `10.9.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`);
        if (p.login) {
          const s = await createSession(h.db, userIds.get(p.login)!, { ip: null, userAgent: 'matrix' });
          c.cookies.set('xaso_sid', s.token);
        }
        const res =
          r.method === 'GET'
            ? await c.get(url)
            : isApiPath(url)
              ? await c.request(url, { method: r.method, body: '{}', headers: { 'content-type': 'application/json' } })
              : await c.post(url, {});
        const location = res.headers.get('location') ?? '';
        const deniedStatus = res.status === 401 || res.status === 403 || (res.status === 404 && policy.kind === 'permission') || (res.status === 303 && location.startsWith('/dang-nhap?next='));
        const allowed = expectedAllowed(policy, p, unit);
        if (allowed && (res.status === 401 || res.status === 403 || location.startsWith('/dang-nhap?next='))) failures.push(`${r.method} ${url} should admit ${p.name}, got ${res.status}`);
        if (!allowed && !deniedStatus) failures.push(`${r.method} ${url} should refuse ${p.name}, got ${res.status}`);
        if (!allowed && !p.login && res.status !== 303 && res.status !== 401) failures.push(`${r.method} ${url} should ask ${p.name} to sign in, got ${res.status}`);
        if (res.status >= 500) failures.push(`${r.method} ${url} as ${p.name}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
