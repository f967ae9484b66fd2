import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import { PHONE_RE } from './accounts.schema.js';

const RUNS = 1000;

/** Mostly hostile text, sometimes something valid, so both paths are exercised. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', "' or 1=1 --", '<script>alert(1)</script>', '\u0000\u0007', '🙂🙂', 'Nguyễn Văn An', 'x'.repeat(5000), '/\t/evil.example', '\r\nSet-Cookie: a=1', '/\\evil', '\u001b[31m', '\u007f'),
  // Control characters inside otherwise ordinary text.
  fc.tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0, max: 0x1f }), fc.string({ maxLength: 10 })).map(([a, c, b]) => `${a}${String.fromCharCode(c)}${b}`),
);
const phone = fc.oneof(text, fc.stringMatching(/^0[35789][0-9]{8}$/), fc.stringMatching(/^\+84 ?[35789][0-9]{8}$/));
const password = fc.oneof(text, fc.string({ minLength: 8, maxLength: 30 }));

describe('fuzzing the account forms (no 5xx, no partial account)', () => {
  let h: DbHandle;
  let app: App;
  let csrf: string;
  let client: Client;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    app = testApp(h);
    client = new Client(app);
    csrf = await client.csrf();
  });
  afterAll(() => h.close());

  async function assertNoPartialAccounts(): Promise<void> {
    const broken = await sql<{ n: number }>`
      select count(*)::int as n from app_user
      where kind = 'citizen' and (phone is null or password_hash is null or full_name = ''
        or not exists (select 1 from audit_log a where a.subject_id = app_user.id::text and a.action = 'account.register'))`.execute(h.db);
    expect(broken.rows[0]!.n).toBe(0);
  }

  it(`registration: ${RUNS} random forms`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ full_name: text, phone, email: fc.oneof(text, fc.emailAddress()), password, password_confirm: password }, { requiredKeys: [] }), async (form) => {
        const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const res = await client.post('/dang-ky', fields, { csrf });
        expect(res.status).toBeLessThan(500);
        // 429: the address's registrations are limited (each one costs a password hash).
        expect([303, 400, 429]).toContain(res.status);
        if (res.status === 303) {
          // Each success signs in: sign out so the next run starts anonymous.
          client.cookies.delete('xaso_sid');
        }
      }),
      { numRuns: RUNS },
    );
    await assertNoPartialAccounts();
    const phones = await h.db.selectFrom('app_user').select('phone').where('kind', '=', 'citizen').execute();
    for (const p of phones) expect(p.phone).toMatch(PHONE_RE);
  });

  it(`sign-in: ${RUNS} random forms`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ login: fc.oneof(text, phone), password, next: text }, { requiredKeys: [] }), async (form) => {
        const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const c = new Client(app, `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
        const res = await c.post('/dang-nhap', fields, { csrf: await c.csrf() });
        expect(res.status).toBeLessThan(500);
        // Wherever sign-in sends the browser, it stays on this site.
        const location = res.headers.get('location');
        if (location) expect(new URL(location.replace(/[\t\n\r]/g, '').replaceAll('\\', '/'), 'https://xaso.example/').origin).toBe('https://xaso.example');
      }),
      { numRuns: RUNS },
    );
    // Every valid form costs an argon2 verify and an audit entry, known account or not (equal timing).
  }, 180_000);

  it(`paths and queries with control characters: ${RUNS} requests, never a 5xx`, async () => {
    const paths = ['/thu-tuc/', '/nop-ho-so/', '/tra-cuu?code=', '/api/v1/dossiers/track?code=', '/tim-kiem?q=', '/tuy-chon?lang=vi&next=', '/dang-nhap?next=', '/phan-anh/', '/api/v1/procedures/'];
    const control = fc.integer({ min: 0, max: 0x7f }).filter((c) => c < 0x20 || c === 0x7f);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.string({ maxLength: 8 }), control, fc.string({ maxLength: 8 }), async (path, a, c, b) => {
        const res = await app.request(`${path}${encodeURIComponent(a)}%${c.toString(16).padStart(2, '0')}${encodeURIComponent(b)}`);
        expect(res.status, path).toBeLessThan(500);
        const location = res.headers.get('location');
        if (location) expect(location).toMatch(/^\/(?![/\\])/);
      }),
      { numRuns: RUNS },
    );
  });

  it(`password reset: ${RUNS} random requests and confirmations`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ phone, code: fc.oneof(text, fc.stringMatching(/^[0-9]{6}$/)), password, password_confirm: password }, { requiredKeys: [] }),
        async (form) => {
          const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
          const c = new Client(app, `10.78.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
          const token = await c.csrf();
          const req = await c.post('/quen-mat-khau', { phone: fields.phone ?? '' }, { csrf: token });
          expect(req.status).toBeLessThan(500);
          const res = await c.post('/dat-lai-mat-khau', fields, { csrf: token });
          expect(res.status).toBeLessThan(500);
          expect([303, 400]).toContain(res.status);
        },
      ),
      { numRuns: RUNS },
    );
    await assertNoPartialAccounts();
  });
});
