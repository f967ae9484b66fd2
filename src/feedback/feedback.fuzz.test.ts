import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import { assertOpen311, kindOf } from './open311-validate.js';
import { openSubmitForm, pngBytes, postSubmit, TEST_OPEN311_KEY } from './test-helpers.js';

const RUNS = 250;

/** Mostly hostile text, sometimes something valid, so both paths are exercised. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', "' or 1=1 --", '<script>alert(1)</script>', '\u0000\u0007', '🙂🙂', 'Đèn đường hỏng', '../../etc/passwd', 'x'.repeat(4001), '😀'.repeat(4001), '%00', '1e309', '-0', 'NaN'),
);
const ip = () => `10.99.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe('fuzzing feedback (no 5xx, nothing half-made)', () => {
  let h: DbHandle;
  let app: App;
  let dataDir: string;
  let png: Uint8Array;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db, { open311Key: TEST_OPEN311_KEY });
    dataDir = await mkdtemp(join(tmpdir(), 'xaso-fuzz-'));
    app = testApp(h, { dataDir });
    png = await pngBytes(20, 20);
  });
  afterAll(async () => {
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`the submit form: ${RUNS} random forms with random files`, async () => {
    const file = fc.record({
      name: fc.oneof(text, fc.constantFrom('a.jpg', 'anh.png', '', '..', 'C:\\x.png', 'a/b.webp')),
      bytes: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(png), fc.constant(new Uint8Array(0)), fc.constant(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))),
    });
    const c = new Client(app, ip());
    const { csrf } = await openSubmitForm(c);
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            xa: fc.oneof(text, fc.constantFrom('25459', '25480', '00004', '99999')),
            loai: fc.oneof(text, fc.constantFrom('khac', 'an-ninh-trat-tu', 'KHAC')),
            mo_ta: text,
            dia_diem: text,
            cong_khai: fc.oneof(text, fc.constantFrom('co', 'khong')),
            dien_thoai: fc.oneof(text, fc.stringMatching(/^0[35789][0-9]{8}$/)),
            idem: fc.oneof(text, fc.uuid()),
          },
          { requiredKeys: [] },
        ),
        fc.array(file, { maxLength: 6 }),
        async (form, files) => {
          const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
          const res = await postSubmit(c, { _csrf: csrf, ...fields }, files);
          expect(res.status).toBeLessThan(500);
          expect([303, 400, 429]).toContain(res.status);
        },
      ),
      { numRuns: RUNS },
    );
    // Every filed item is whole: its submit audit entry, its history, and photos on disk inside the data folder.
    const broken = await sql<{ n: number }>`
      select count(*)::int as n from feedback f
      where not exists (select 1 from audit_log a where a.subject_id = f.code and a.action = 'feedback.submit')
         or not exists (select 1 from feedback_event e where e.feedback_id = f.id and e.kind = 'submitted')`.execute(h.db);
    expect(broken.rows[0]!.n).toBe(0);
    const onDisk = await readdir(join(dataDir, 'uploads', 'feedback')).catch(() => []);
    for (const f of onDisk) expect(f).toMatch(/^[0-9a-f]{64}\.jpg$/);
    expect((await readdir(dataDir)).filter((f) => f !== 'uploads')).toEqual([]);
  });

  it(`Open311 POST: ${RUNS} random forms; every answer follows the spec's shapes`, async () => {
    const coord = fc.oneof(text, fc.double({ noNaN: false }).map(String), fc.integer({ min: -200, max: 200 }).map(String));
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            api_key: fc.oneof(text, fc.constant(TEST_OPEN311_KEY)),
            jurisdiction_id: fc.oneof(text, fc.constantFrom('25459', '00004', '25480')),
            service_code: fc.oneof(text, fc.constantFrom('khac', 'duong-sa-chieu-sang')),
            lat: coord,
            long: coord,
            address_string: text,
            address_id: text,
            description: text,
            media_url: fc.oneof(text, fc.webUrl()),
            phone: text,
            first_name: text,
            last_name: text,
            'attribute[cong_khai]': fc.oneof(text, fc.constantFrom('co', 'khong')),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom('json', 'xml'),
        async (form, format) => {
          const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
          const path = `/open311/v2/requests.${format}`;
          const res = await app.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          expect(res.status).toBeLessThan(500);
          expect([201, 400, 403, 404]).toContain(res.status);
          if (format === 'json') assertOpen311(kindOf('POST', path, res.status), await res.json());
          else expect(await res.text()).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<(service_requests|errors)>/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`every feedback and Open311 GET page: ${RUNS} random path segments and queries`, async () => {
    const templates = [
      '/phan-anh/gui?xa=$&loai=$',
      '/phan-anh/tra-cuu?ma_so=$',
      '/phan-anh/PA-25459-2026-00000$',
      '/phan-anh/PA-25459-2026-000001?ma=$',
      '/xa/$/phan-anh?q=$&trang=$',
      '/xa/25459/phan-anh?q=$&trang=$',
      '/open311/v2/services/$.json?jurisdiction_id=$',
      '/open311/v2/services.xml?jurisdiction_id=$',
      '/open311/v2/requests/$.json',
      '/open311/v2/tokens/$.xml',
      '/open311/v2/$',
    ];
    const c = new Client(app, ip());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.array(text, { minLength: 3, maxLength: 3 }), async (template, parts) => {
        let i = 0;
        const path = template.replace(/\$/g, () => encodeURIComponent(parts[i++] ?? ''));
        const res = await c.get(path);
        expect(res.status, path).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });

  it(`Open311 GET requests: ${RUNS} random queries`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ start_date: fc.oneof(text, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), end_date: fc.oneof(text, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), status: text, service_code: text, service_request_id: text, jurisdiction_id: text }, { requiredKeys: [] }),
        async (q) => {
          const query = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][]);
          const path = `/open311/v2/requests.json?${query}`;
          const res = await app.request(path);
          expect(res.status).toBeLessThan(500);
          assertOpen311(kindOf('GET', path, res.status), await res.json());
        },
      ),
      { numRuns: RUNS },
    );
  });
});
