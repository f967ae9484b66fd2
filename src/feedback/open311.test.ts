/**
 * Open311 GeoReport v2, as a spec-following client sees it. Every JSON answer
 * in this file goes through `call`, which validates it against the published
 * schemas (copies in ./open311-schemas) or the spec's documented shapes.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';
import { acceptsGzip } from './open311.js';
import { assertOpen311, assertXml, kindOf } from './open311-validate.js';
import { formTokens, makeFeedback, TEST_OPEN311_KEY } from './test-helpers.js';

const BASE = '/open311/v2';
const HOME = '25459';

describe.each(testEngines())('Open311 GeoReport v2 on %s', (engine) => {
  let h: DbHandle;
  let app: App;
  let client: Client;

  /** One request; JSON answers are validated, XML answers checked for well-formedness. */
  async function call(path: string, init: { method?: 'GET' | 'POST'; form?: Record<string, string>; body?: string | FormData; type?: string } = {}) {
    const method = init.method ?? (init.form || init.body ? 'POST' : 'GET');
    const headers: Record<string, string> = {};
    let body: string | FormData | URLSearchParams | undefined = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (init.type) headers['content-type'] = init.type;
    const res = await client.request(`${BASE}/${path}`, { method, ...(body ? { body } : {}), headers });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    if (path.replace(/\?.*$/, '').endsWith('.xml')) {
      expect(type).toBe('text/xml; charset=utf-8');
      return { status: res.status, text, root: assertXml(text), body: null as unknown };
    }
    expect(type).toBe('application/json; charset=utf-8');
    const parsed = JSON.parse(text) as unknown;
    assertOpen311(kindOf(method, `${BASE}/${path}`, res.status), parsed);
    return { status: res.status, text, root: '', body: parsed };
  }

  const post = (fields: Record<string, string>, format: 'json' | 'xml' = 'json') => call(`requests.${format}`, { form: fields });
  const good = (extra: Record<string, string> = {}) => ({
    api_key: TEST_OPEN311_KEY,
    jurisdiction_id: HOME,
    service_code: 'duong-sa-chieu-sang',
    lat: '11.3101',
    long: '106.0987',
    address_string: 'Đường 30/4, khu phố 1',
    description: 'Cột đèn số 12 bị nghiêng, nguy cơ đổ',
    ...extra,
  });
  const count = async () => Number((await h.db.selectFrom('feedback').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db, { open311Key: TEST_OPEN311_KEY });
    app = testApp(h);
    client = new Client(app, '192.0.2.31');
  });
  afterAll(() => h.close());

  it('a spec-following client: discovery → services → definition → POST → read back by id and by token', async () => {
    const discovery = await call('discovery.json');
    const endpoint = (discovery.body as { endpoints: { url: string; formats: string[]; specification: string }[] }).endpoints[0]!;
    expect(endpoint.url.endsWith('/open311/v2')).toBe(true);
    expect(endpoint.formats).toEqual(['text/xml', 'application/json']);

    const services = (await call(`services.json?jurisdiction_id=${HOME}`)).body as { service_code: string; service_name: string; metadata: boolean }[];
    expect(services.map((s) => s.service_name)).toEqual(['Đường sá, chiếu sáng', 'Môi trường, rác thải', 'An ninh trật tự', 'Thủ tục hành chính', 'Khác']);
    const lights = services.find((s) => s.service_name === 'Đường sá, chiếu sáng')!;
    expect(lights.metadata).toBe(true);
    const definition = (await call(`services/${lights.service_code}.json?jurisdiction_id=${HOME}`)).body as { attributes: { code: string; values: { key: string }[] }[] };
    expect(definition.attributes.map((a) => a.code)).toEqual(['cong_khai']);

    const created = await post(good({ first_name: 'Lê', last_name: 'Văn Tám', phone: '0912 555 666', email: 'tam@example.com', media_url: 'https://example.com/anh/1.jpg', 'attribute[cong_khai]': 'co' }));
    expect(created.status).toBe(201);
    const { service_request_id: id, token } = (created.body as { service_request_id: string; token: string }[])[0]!;
    expect(id).toMatch(/^PA-25459-\d{4}-\d{6}-[2-9A-HJ-NP-Z]{6}$/);
    expect(token).toMatch(/^[0-9a-f]{32}$/);

    const one = (await call(`requests/${id}.json`)).body as Record<string, unknown>[];
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      status_notes: 'Mới tiếp nhận',
      service_code: lights.service_code,
      service_name: 'Đường sá, chiếu sáng',
      description: 'Cột đèn số 12 bị nghiêng, nguy cơ đổ',
      address: 'Đường 30/4, khu phố 1',
      lat: 11.3101,
      long: 106.0987,
      media_url: 'https://example.com/anh/1.jpg',
      agency_responsible: 'Phường Tân Ninh',
    });
    for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(one[0]![k]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    // No personal data in public answers.
    for (const secret of ['0912555666', '0912 555 666', 'Tám', 'tam@example.com']) expect(JSON.stringify(one)).not.toContain(secret);
    const byToken = (await call(`tokens/${token}.json`)).body as { service_request_id: string }[];
    expect(byToken[0]!.service_request_id).toBe(id);
    const listed = (await call(`requests.json?service_request_id=${id},PA-00000-2020-000001`)).body as { service_request_id: string }[];
    expect(listed.map((r) => r.service_request_id)).toEqual([id]);
    const recent = (await call('requests.json')).body as { service_request_id: string }[];
    expect(recent.map((r) => r.service_request_id)).toContain(id);

    // Stored for the officials, with the contact, as an Open311 item, audited.
    const row = await h.db.selectFrom('feedback').selectAll().where('code', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'open311', contact_phone: '0912555666', contact_name: 'Lê Văn Tám', is_public: true, token });
    const audit = await h.db.selectFrom('audit_log').select(['action', 'actor_label', 'pd_changed']).where('subject_id', '=', id).executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'feedback.submit', actor_label: 'Open311: Khoá thử nghiệm (dữ liệu mẫu)', pd_changed: ['contact_phone', 'contact_name'] });

    // An official answers and closes it; the client sees "closed" and the answer.
    const officer = new Client(app, '192.0.2.32');
    await officer.signIn('tiepnhan.tanninh@demo.xaso.vn', DEMO_PASSWORD);
    const page = `/can-bo/xa/${HOME}/phan-anh/${id}`;
    let t = formTokens(await (await officer.get(page)).text());
    await officer.post(`${page}/tra-loi`, { noi_dung: 'Đã dựng lại cột đèn, liên hệ 0909 111 222 nếu cần.', hien_thi: 'cong_khai', phien_ban: t.version }, { csrf: t.csrf });
    t = formTokens(await (await officer.get(page)).text());
    expect((await officer.post(`${page}/dong`, { phien_ban: t.version }, { csrf: t.csrf })).status).toBe(303);
    const closed = ((await call(`requests/${id}.json`)).body as Record<string, unknown>[])[0]!;
    expect(closed.status).toBe('closed');
    expect(closed.status_notes).toBe('Đã trả lời: Đã dựng lại cột đèn, liên hệ [đã ẩn] nếu cần.');
    expect(((await call(`requests.json?status=closed&service_code=${lights.service_code}`)).body as { service_request_id: string }[]).map((r) => r.service_request_id)).toContain(id);
    expect(((await call('requests.json?status=open')).body as { service_request_id: string }[]).map((r) => r.service_request_id)).not.toContain(id);
  });

  it('speaks XML too: every resource, and POST', async () => {
    expect((await call('discovery.xml')).root).toBe('discovery');
    const services = await call(`services.xml?jurisdiction_id=${HOME}`);
    expect(services.root).toBe('services');
    expect(services.text).toContain('<service><service_code>duong-sa-chieu-sang</service_code><service_name>Đường sá, chiếu sáng</service_name>');
    expect((await call('services/khac.xml')).root).toBe('service_definition');
    const created = await post(good({ description: 'Rác <tồn> & "bốc mùi"' }), 'xml');
    expect(created.status).toBe(201);
    expect(created.root).toBe('service_requests');
    const id = /<service_request_id>([^<]+)<\/service_request_id>/.exec(created.text)![1]!;
    const token = /<token>([^<]+)<\/token>/.exec(created.text)![1]!;
    const one = await call(`requests/${id}.xml`);
    expect(one.root).toBe('service_requests');
    expect(one.text).toContain('<description>Rác &lt;tồn&gt; &amp; &quot;bốc mùi&quot;</description>');
    expect(one.text).toContain('<status>open</status>');
    expect((await call(`tokens/${token}.xml`)).text).toContain(`<service_request_id>${id}</service_request_id>`);
    expect((await call('requests.xml')).root).toBe('service_requests');
    const bad = await post({ api_key: 'sai' }, 'xml');
    expect(bad.status).toBe(403);
    expect(bad.root).toBe('errors');
    expect(bad.text).toContain('<error><code>403</code><description>api_key: khoá API không đúng hoặc đã bị thu hồi</description></error>');
    expect((await call('requests/PA-25459-2020-000001.xml')).status).toBe(404);
  });

  it('keeps a private report private: no text, place or coordinates', async () => {
    const created = await post(good({ description: 'Nhà số 5 xả nước thải ra đường', 'attribute[cong_khai]': 'khong' }));
    const id = (created.body as { service_request_id: string }[])[0]!.service_request_id;
    const r = ((await call(`requests/${id}.json`)).body as Record<string, unknown>[])[0]!;
    expect(r).toMatchObject({ description: null, address: null, lat: null, long: null, media_url: null, status: 'open' });
    expect((await h.db.selectFrom('feedback').select('is_public').where('code', '=', id).executeTakeFirstOrThrow()).is_public).toBe(false);
  });

  it('bad posts are refused with every problem listed, and nothing is filed', async () => {
    const before = await count();
    const cases: [Record<string, string>, number, string[]][] = [
      [good({ lat: '', long: '', address_string: '' }), 400, ['Thiếu vị trí: gửi lat và long, hoặc address_string, hoặc address_id']],
      // The spec answers 404 when the service_code (or jurisdiction_id) is not found.
      [good({ service_code: 'khong-co' }), 404, ['service_code: không có dịch vụ “khong-co” ở xã, phường 25459 (xem services.json)']],
      [good({ jurisdiction_id: '99999' }), 404, ['jurisdiction_id: không có xã, phường mã 99999']],
      [good({ api_key: '' }), 403, ['api_key: thiếu khoá API (gửi kèm trường api_key)']],
      [good({ api_key: 'demo-open311-key-sai' }), 403, ['api_key: khoá API không đúng hoặc đã bị thu hồi']],
      [good({ description: 'a'.repeat(4001) }), 400, ['description: tối đa 4000 ký tự (đang có 4001)']],
      [good({ description: '' }), 400, ['description: thiếu nội dung phản ánh']],
      [good({ long: '' }), 400, ['lat, long: cần gửi cả hai (vĩ độ và kinh độ WGS84)']],
      [good({ lat: '95' }), 400, ['lat: vĩ độ cần là số từ -90 đến 90']],
      [good({ media_url: 'javascript:alert(1)' }), 400, ['media_url: cần một địa chỉ http(s) hợp lệ, tối đa 1.000 ký tự']],
      [good({ phone: '12345' }), 400, ['phone: cần số di động Việt Nam 10 chữ số, ví dụ 0912345678']],
      [good({ 'attribute[cong_khai]': 'maybe' }), 400, ['attribute[cong_khai]: chỉ nhận co hoặc khong']],
      [good({ jurisdiction_id: '' }), 400, ['jurisdiction_id: cần mã xã, phường (5 chữ số) vì 96 xã, phường cùng nhận loại phản ánh này']],
      [
        good({ jurisdiction_id: '00004' }),
        403,
        ['api_key: khoá này không dùng được cho xã, phường 00004 (thuộc tỉnh khác)', 'service_code: không có dịch vụ “duong-sa-chieu-sang” ở xã, phường 00004 (xem services.json)'],
      ],
      [good({ jurisdiction_id: 'abc' }), 400, ['jurisdiction_id: cần mã xã, phường gồm 5 chữ số, ví dụ 25459']],
      // Everything wrong at once: every problem is listed; the missing key decides the status.
      [
        { service_code: 'khong-co', description: 'b'.repeat(4001) },
        403,
        [
          'api_key: thiếu khoá API (gửi kèm trường api_key)',
          'service_code: không có dịch vụ “khong-co” (xem services.json)',
          'Thiếu vị trí: gửi lat và long, hoặc address_string, hoặc address_id',
          'description: tối đa 4000 ký tự (đang có 4001)',
        ],
      ],
    ];
    for (const [fields, status, descriptions] of cases) {
      const res = await post(fields);
      expect(res.status, JSON.stringify(fields).slice(0, 120)).toBe(status);
      expect((res.body as { description: string }[]).map((e) => e.description)).toEqual(descriptions);
      expect((res.body as { code: number }[]).every((e) => [400, 403, 404].includes(e.code))).toBe(true);
    }
    // Not form-encoded (the spec's POST is a form).
    const json = await call('requests.json', { body: JSON.stringify(good()), type: 'application/json' });
    expect(json.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('works without cookies: no session and no CSRF token are needed (the key is the credential)', async () => {
    const bare = await app.request(`${BASE}/requests.json`, { method: 'POST', body: new URLSearchParams(good()), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bare.status).toBe(201);
    assertOpen311('posted', await bare.json());
    // A multipart form is a form too.
    const fd = new FormData();
    for (const [k, v] of Object.entries(good())) fd.set(k, v);
    const multi = await app.request(`${BASE}/requests.json`, { method: 'POST', body: fd });
    expect(multi.status).toBe(201);
  });

  it('GET requests: default last 90 days, date range at most 90 days, status and service filters, jurisdiction', async () => {
    const c = '25534';
    const day = 86_400_000;
    const old = await makeFeedback(h.db, { communeCode: c, submittedAt: new Date(Date.now() - 100 * day), categoryCode: 'an-ninh-trat-tu' });
    const recent = await makeFeedback(h.db, { communeCode: c, submittedAt: new Date(Date.now() - 10 * day), categoryCode: 'khac' });
    const ids = async (q: string) => ((await call(`requests.json?${q}`)).body as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(await ids(`jurisdiction_id=${c}`)).toEqual([recent.code]);
    const start = new Date(Date.now() - 120 * day).toISOString();
    const end = new Date(Date.now() - 50 * day).toISOString();
    expect(await ids(`jurisdiction_id=${c}&start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`)).toEqual([old.code]);
    expect(await ids(`jurisdiction_id=${c}&start_date=${encodeURIComponent(start)}`)).toEqual([old.code]); // start + 90 days
    expect(await ids(`jurisdiction_id=${c}&service_code=khac,thu-tuc-hanh-chinh`)).toEqual([recent.code]);
    expect(await ids(`jurisdiction_id=${c}&status=closed`)).toEqual([]);
    expect(await ids(`jurisdiction_id=${c}&status=open,closed`)).toEqual([recent.code]);
    // With ids, the other filters are ignored (the spec).
    expect(await ids(`service_request_id=${old.code}&status=closed`)).toEqual([old.code]);
    const problems = async (q: string, status = 400) => {
      const r = await call(`requests.json?${q}`);
      expect(r.status, q).toBe(status);
      return (r.body as { description: string }[]).map((e) => e.description);
    };
    expect(await problems(`start_date=2026-01-01&end_date=2026-04-02`)).toEqual(['start_date và end_date cách nhau tối đa 90 ngày']);
    expect(await problems(`start_date=2026-03-01&end_date=2026-02-01`)).toEqual(['start_date phải trước end_date']);
    expect(await problems(`start_date=hôm-qua&status=pending`)).toEqual([
      'start_date: cần ngày giờ theo ISO 8601, ví dụ 2026-03-01T00:00:00+07:00',
      'status: chỉ nhận open hoặc closed (không nhận “pending”)',
    ]);
    expect(await problems('start_date=2026-02-30')).toEqual(['start_date: cần ngày giờ theo ISO 8601, ví dụ 2026-03-01T00:00:00+07:00']);
    expect(await problems('jurisdiction_id=1')).toEqual(['jurisdiction_id: cần mã xã, phường gồm 5 chữ số, ví dụ 25459']);
    expect(await problems('jurisdiction_id=99999', 404)).toEqual(['jurisdiction_id: không có xã, phường mã 99999']);
    expect((await call('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-03-31T23:59:59%2B07:00')).status).toBe(200);
  });

  it('lists carry an ETag: a polling client gets 304 until something changes', async () => {
    const path = `${BASE}/requests.json?jurisdiction_id=${HOME}`;
    const first = await app.request(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await app.request(path, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    await post(good({ description: 'Một phản ánh mới làm danh sách thay đổi' }));
    const changed = await app.request(path, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    assertOpen311('requests', await changed.json());
  });

  it('lists go gzipped to clients that take gzip, with their own validator', async () => {
    const path = `${BASE}/requests.json?jurisdiction_id=${HOME}`;
    const plain = await app.request(path);
    const body = await plain.text();
    expect(plain.headers.get('vary')).toBe('accept-encoding');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const zipped = await app.request(path, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')).toBe(body);
    const etag = zipped.headers.get('etag')!;
    expect(etag).not.toBe(plain.headers.get('etag'));
    expect((await app.request(path, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } })).status).toBe(304);
    expect((await app.request(path, { headers: { 'if-none-match': etag } })).status).toBe(200); // the plain one is another representation
    const refused = await app.request(path, { headers: { 'accept-encoding': 'gzip;q=0, *' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect(await refused.text()).toBe(body);
  });

  it('the schema check itself rejects answers that break the published schemas', () => {
    const ok = { service_request_id: 'x', status: 'open', service_code: 'a', requested_datetime: '2026-01-01T00:00:00+07:00' };
    expect(() => assertOpen311('requests', [ok])).not.toThrow();
    expect(() => assertOpen311('requests', [{ ...ok, status: 'pending' }])).toThrow(/allowed values/);
    expect(() => assertOpen311('requests', [{ ...ok, requested_datetime: '2026-01-01 00:00' }])).toThrow(/date-time/);
    expect(() => assertOpen311('requests', [{ ...ok, description: 'x'.repeat(4001) }])).toThrow(/4000/);
    expect(() => assertOpen311('requests', [{ ...ok, media_url: 'khong phai url' }])).toThrow(/uri/);
    expect(() => assertOpen311('services', [{ service_code: 'a', service_name: 'b', metadata: 'yes', type: 'realtime' }])).toThrow(/boolean/);
    expect(() => assertOpen311('errors', [{ code: '400', description: 'x' }])).toThrow();
  });

  it('unknown things answer 404 in Open311 form', async () => {
    // A NUL in the path or query is refused before any handler (it can reach no database).
    expect((await client.request(`${BASE}/services/%00.json`)).status).toBe(404);
    expect((await client.request(`${BASE}/requests.json?service_request_id=%00&service_code=%00`)).status).toBe(400);
    expect((await call('requests/PA-25459-2020-999999.json')).status).toBe(404);
    expect((await call('requests/khong-phai-ma.json')).status).toBe(404);
    expect((await call(`tokens/${'0'.repeat(32)}.json`)).status).toBe(404);
    expect((await call('tokens/abc.json')).status).toBe(404);
    expect((await call('services/khong-co.json')).status).toBe(404);
    expect((await call(`services/khac.json?jurisdiction_id=00004`)).status).toBe(404);
    expect((await call('khong-co.json')).status).toBe(404);
    expect((await call('requests/PA-25459-2020-999999')).status).toBe(404);
    expect((await call('khong-co.json', { method: 'POST', form: {} })).status).toBe(404);
  });
});

describe('Accept-Encoding', () => {
  it('gzip when the client takes it, named or by "*", unless it gives it q=0', () => {
    for (const yes of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8', '*', 'GZIP', 'identity, *;q=0.5']) expect(acceptsGzip(yes), yes).toBe(true);
    for (const no of [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip;q=0, *', '*;q=0', 'x-gzip']) expect(acceptsGzip(no), String(no)).toBe(false);
  });
});
