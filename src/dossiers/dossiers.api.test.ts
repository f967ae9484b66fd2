import { fuzzRuns } from '../testing/fuzz.js';
import fc from 'fast-check';
import { TEST_TODAY } from '../testing/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWorkingDay } from '../calendar/index.js';
import type { Client } from '../testing/app.js';
import { TRANSITIONS } from './workflow.js';
import type { DossierRow } from './dossiers.store.js';
import {
  ANALYST,
  as,
  auditCount,
  BIRTH,
  CITIZEN,
  CITIZEN_2,
  current,
  HOME,
  LEADER,
  OFFICER,
  OTHER,
  OTHER_OFFICER,
  openWorld,
  put,
  shiftDays,
  SPECIALIST,
  submit,
  TEAM,
  TINY_PNG,
  tinyPdf,
  type World,
} from './office/testing.js';

const today = () => TEST_TODAY;

interface Part {
  field: string;
  name: string;
  bytes: Uint8Array;
  type?: string;
}

function upload(c: Client, fields: Record<string, string>, files: Part[] = [], headers: Record<string, string> = { 'x-requested-with': 'test' }): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field, new File([f.bytes], f.name, { type: f.type ?? 'application/octet-stream' }));
  return c.request('/api/v1/dossiers', { method: 'POST', body: form, headers });
}

function postJson(c: Client, path: string, body: unknown): Promise<Response> {
  return c.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

const act = (c: Client, d: Pick<DossierRow, 'id'>, body: unknown) => postJson(c, `/api/v1/dossiers/${d.id}/actions`, body);

let keys = 0;
const key = () => `api-test-${Date.now()}-${++keys}`;

describe('dossier JSON API', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld();
  });
  afterAll(() => w.close());

  describe('POST /api/v1/dossiers (multipart)', () => {
    it('a citizen submits their own with files; the same idempotency key answers 200 with the same dossier', async () => {
      const c = await as(w, CITIZEN);
      const k = key();
      const fields = { commune: HOME, procedure: BIRTH, case_no: '0', idempotency_key: k, applicant_address: 'Khu phố 3' };
      const files: Part[] = [
        { field: 'paper_3', name: 'chung-sinh.pdf', bytes: tinyPdf() },
        { field: 'paper_0', name: 'bien\u202eban.png', bytes: TINY_PNG },
        { field: 'paper_0', name: 'trang-2.jpg', bytes: TINY_PNG },
      ];
      const res = await upload(c, fields, files);
      expect(res.status).toBe(201);
      const body = (await res.json()) as { id: string; code: string; status: number; version: number };
      expect(body).toMatchObject({ status: 1, version: 1 });
      expect(body.code).toMatch(/^25459-\d{6}-\d{4}$/);
      const d = await current(w.h.db, body.id);
      expect(d).toMatchObject({ applicant_id: w.users.get(CITIZEN), channel: 'online', applicant_name: 'Nguyễn Thị Lan', applicant_phone: CITIZEN, applicant_address: 'Khu phố 3' });
      const attached = await w.h.db.selectFrom('dossier_file').select(['paper_no', 'file_name']).where('dossier_id', '=', body.id).orderBy('paper_no').orderBy('file_name').execute();
      expect(attached).toHaveLength(2); // the two identical PNGs are one stored file
      expect(attached.map((a) => a.paper_no)).toEqual([0, 3]);
      expect(attached[0]!.file_name).not.toMatch(/[/\\\u202e]/);
      expect(attached[0]!.file_name).toMatch(/\.png$/);

      const again = await upload(c, fields, files);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(body);
      const n = await w.h.db.selectFrom('dossier').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', k).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
      // Someone else reusing the key learns nothing about the dossier.
      const stranger = await upload(await as(w, CITIZEN_2), fields);
      expect(stranger.status).toBe(409);
      expect(JSON.stringify(await stranger.json())).not.toContain(body.code);
    });

    it('refuses without X-Requested-With (cross-site forms cannot send it), without multipart, and without a session', async () => {
      const c = await as(w, CITIZEN);
      const noHeader = await upload(c, { commune: HOME, procedure: BIRTH, idempotency_key: key() }, [], {});
      expect(noHeader.status).toBe(403);
      expect(((await noHeader.json()) as { error: { message: string } }).error.message).toContain('X-Requested-With');
      expect((await postJson(c, '/api/v1/dossiers', { commune: HOME })).status).toBe(415);
      expect((await upload(await as(w, null), { commune: HOME, procedure: BIRTH, idempotency_key: key() })).status).toBe(401);
      const broken = await c.request('/api/v1/dossiers', {
        method: 'POST',
        body: '--xx\r\nContent-Disposition: form-data; name="commune"\r\n\r\n25459\r\n--x',
        headers: { 'content-type': 'multipart/form-data; boundary=xx', 'x-requested-with': 'test' },
      });
      expect(broken.status).toBe(400);
    });

    it('a double tap (the same key twice at once) makes one dossier', async () => {
      const c = await as(w, CITIZEN);
      const fields = { commune: HOME, procedure: BIRTH, idempotency_key: key() };
      const [a, b] = await Promise.all([upload(c, fields), upload(c, fields)]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(((await a.json()) as { id: string }).id).toBe(((await b.json()) as { id: string }).id);
    });

    it('names every problem field by field, in Vietnamese', async () => {
      const c = await as(w, CITIZEN);
      const res = await upload(c, { commune: '123', procedure: '', idempotency_key: 'x' }, [{ field: 'giay', name: 'a.pdf', bytes: tinyPdf() }]);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(error.code).toBe('invalid');
      expect(Object.keys(error.fields).sort()).toEqual(['commune', 'idempotency_key', 'procedure']);
      const unknown = await upload(c, { commune: HOME, procedure: '9.999999', idempotency_key: key() });
      expect(((await unknown.json()) as { error: { fields: Record<string, string> } }).error.fields.procedure).toContain('Không tìm thấy thủ tục');
      const files = await upload(c, { commune: HOME, procedure: BIRTH, idempotency_key: key() }, [
        { field: 'paper_9', name: 'x.pdf', bytes: tinyPdf() },
        { field: 'paper_1', name: 'virus.pdf', bytes: new TextEncoder().encode('MZ not a pdf') },
        { field: 'paper_x', name: 'y.pdf', bytes: tinyPdf() },
      ]);
      expect(files.status).toBe(400);
      const f = ((await files.json()) as { error: { fields: Record<string, string> } }).error.fields;
      expect(Object.keys(f).sort()).toEqual(['paper_x']);
      const more = await upload(c, { commune: HOME, procedure: BIRTH, idempotency_key: key() }, [
        { field: 'paper_9', name: 'x.pdf', bytes: tinyPdf() },
        { field: 'paper_1', name: 'virus.pdf', bytes: new TextEncoder().encode('MZ not a pdf') },
      ]);
      const g = ((await more.json()) as { error: { fields: Record<string, string> } }).error.fields;
      expect(g.paper_9).toContain('chỉ có 4 giấy tờ');
      expect(g.paper_1).toContain('chỉ nhận ảnh JPG, PNG hoặc tệp PDF');
      expect((await upload(c, { commune: HOME, procedure: BIRTH, case_no: '7', idempotency_key: key() })).status).toBe(400);
    });

    it('staff submit on a citizen’s behalf only with consent, only in their commune, only with the right role', async () => {
      const officer = await as(w, OFFICER);
      const base = { commune: HOME, procedure: BIRTH, applicant_name: 'Trần Văn Hùng', applicant_phone: '0912 000 002', idempotency_key: key() };
      const noConsent = await upload(officer, base);
      expect(noConsent.status).toBe(400);
      expect(((await noConsent.json()) as { error: { fields: Record<string, string> } }).error.fields.consent).toBeTruthy();
      const ok = await upload(officer, { ...base, consent: 'true' });
      expect(ok.status).toBe(201);
      const d = await current(w.h.db, ((await ok.json()) as { id: string }).id);
      expect(d).toMatchObject({ channel: 'counter', applicant_id: null, assisted_by: w.users.get(OFFICER), applicant_phone: '0912000002' });
      const field = await upload(await as(w, TEAM), { ...base, consent: 'true', idempotency_key: key() });
      expect(field.status).toBe(201);
      expect((await current(w.h.db, ((await field.json()) as { id: string }).id)).channel).toBe('field');
      for (const login of [OTHER_OFFICER, SPECIALIST, ANALYST]) {
        expect((await upload(await as(w, login), { ...base, consent: 'true', idempotency_key: key() })).status, login).toBe(403);
      }
      expect((await upload(officer, { ...base, consent: 'true', applicant_name: '', idempotency_key: key() })).status).toBe(400);
    });

    it('takes up to 60 MB (not the 1 MB form limit), and no more', async () => {
      const c = await as(w, CITIZEN);
      const big = await upload(c, { commune: HOME, procedure: BIRTH, idempotency_key: key() }, [{ field: 'paper_3', name: 'scan.pdf', bytes: tinyPdf(3 * 1024 * 1024) }]);
      expect(big.status).toBe(201);
      const nine = tinyPdf(9 * 1024 * 1024);
      const huge = await upload(
        c,
        { commune: HOME, procedure: BIRTH, idempotency_key: key() },
        Array.from({ length: 7 }, (_, i) => ({ field: `paper_${i % 4}`, name: `${i}.pdf`, bytes: nine })),
      );
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      // Elsewhere the 1 MB limit stands.
      const form = await c.request('/api/v1/me', { method: 'GET' });
      expect(form.status).toBe(200);
    });
  });

  describe('GET /api/v1/dossiers/{id}', () => {
    it('answers the applicant and the officials of its units (audited); 404 for anyone else', async () => {
      const d = await submit(w);
      const mine = await (await as(w, CITIZEN)).get(`/api/v1/dossiers/${d.id}`);
      expect(mine.status).toBe(200);
      const body = (await mine.json()) as { code: string; applicant: { name: string }; events: { action: string }[]; actions: { action: string }[]; version: number };
      expect(body.code).toBe(d.code);
      expect(body.applicant.name).toBe('Nguyễn Thị Lan');
      expect(body.events.map((e) => e.action)).toEqual(['submit']);
      expect(body.actions.map((a) => a.action)).toEqual(['withdraw']);
      expect(await auditCount(w.h.db, 'dossier.view', d.id)).toBe(0);
      const official = await (await as(w, SPECIALIST)).get(`/api/v1/dossiers/${d.id}`);
      expect(official.status).toBe(200);
      expect(await auditCount(w.h.db, 'dossier.view', d.id)).toBe(1);
      for (const login of [CITIZEN_2, OTHER_OFFICER, TEAM, ANALYST]) expect((await (await as(w, login)).get(`/api/v1/dossiers/${d.id}`)).status, login).toBe(404);
      expect((await (await as(w, OFFICER)).get('/api/v1/dossiers/x0')).status).toBe(404);
      expect((await (await as(w, OFFICER)).get('/api/v1/dossiers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await (await as(w, null)).get(`/api/v1/dossiers/${d.id}`)).status).toBe(401);
    });
  });

  describe('GET /api/v1/communes/{commune}/dossiers', () => {
    it('pages a queue with a cursor and gives every queue’s count', async () => {
      const COMMUNE = '25486';
      for (let i = 0; i < 5; i++) await submit(w, { commune: COMMUNE, citizen: '0912000004' });
      const c = await as(w, 'tiepnhan.tanbien@demo.xaso.vn');
      const seen: string[] = [];
      let url = `/api/v1/communes/${COMMUNE}/dossiers?queue=receive&limit=2`;
      for (let i = 0; i < 10 && url; i++) {
        const res = await c.get(url);
        expect(res.status).toBe(200);
        const page = (await res.json()) as { items: { code: string; statusLabel: string }[]; nextCursor: string | null; counts: Record<string, number> };
        expect(page.counts.receive).toBe(5);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((x) => x.code));
        url = page.nextCursor ? `/api/v1/communes/${COMMUNE}/dossiers?queue=receive&limit=2&cursor=${page.nextCursor}` : '';
      }
      expect(new Set(seen).size).toBe(5);
      expect((await c.get(`/api/v1/communes/${COMMUNE}/dossiers?queue=receive&cursor=abc`)).status).toBe(400);
      expect((await c.get(`/api/v1/communes/${COMMUNE}/dossiers?queue=nope`)).status).toBe(400);
      expect((await c.get(`/api/v1/communes/${COMMUNE}/dossiers?limit=1000`)).status).toBe(400);
      expect((await c.get(`/api/v1/communes/${HOME}/dossiers`)).status).toBe(404);
      expect((await (await as(w, CITIZEN)).get(`/api/v1/communes/${HOME}/dossiers`)).status).toBe(403);
      expect((await (await as(w, null)).get(`/api/v1/communes/${HOME}/dossiers`)).status).toBe(401);
      const mine = await (await as(w, SPECIALIST)).get(`/api/v1/communes/${HOME}/dossiers?queue=process&mine=true`);
      expect(mine.status).toBe(200);
    });
  });

  describe('POST /api/v1/dossiers/{id}/actions', () => {
    it('acts with the version read: 200 with the dossier and its form; a stale version 409; a refused action 422', async () => {
      const d = await submit(w);
      const officer = await as(w, OFFICER);
      const ok = await act(officer, d, { action: 'accept', version: d.version });
      expect(ok.status).toBe(200);
      const body = (await ok.json()) as { dossier: { status: number; version: number; dueDate: string | null }; form: string | null };
      expect(body.form).toBe('01');
      expect(body.dossier).toMatchObject({ status: 2, version: d.version + 1 });
      expect(body.dossier.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const stale = await act(officer, d, { action: 'withdraw', version: d.version });
      expect(stale.status).toBe(409);
      expect(((await stale.json()) as { error: { message: string } }).error.message).toContain('Hồ sơ vừa được người khác cập nhật');
      const refused = await act(await as(w, SPECIALIST), d, { action: 'approve', version: d.version + 1 });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('refused');
    });

    it('lets the applicant withdraw or resubmit only their own dossier', async () => {
      const d = await submit(w);
      const citizen = await as(w, CITIZEN);
      expect((await act(citizen, d, { action: 'accept', version: d.version })).status).toBe(422);
      expect((await act(await as(w, CITIZEN_2), d, { action: 'withdraw', version: d.version })).status).toBe(404);
      const e = await put(w.h.db, d, { status: 5, previousStatus: 1 });
      const back = await act(citizen, e, { action: 'resubmit', version: e.version });
      expect(back.status).toBe(200);
      expect(((await back.json()) as { dossier: { status: number } }).dossier.status).toBe(1);
      const gone = await act(citizen, e, { action: 'withdraw', version: e.version + 1 });
      expect(gone.status).toBe(200);
      expect((await current(w.h.db, d.id)).status).toBe(7);
      // A community team member acts only on dossiers they helped submit, not on any of the commune's.
      const f = await put(w.h.db, await submit(w), { status: 5, previousStatus: 1 });
      expect([404, 422]).toContain((await act(await as(w, TEAM), f, { action: 'resubmit', version: f.version })).status);
    });

    it('answers 400 with fields for a bad body, a bad date, an unknown unit or someone who is not a specialist', async () => {
      const d = await put(w.h.db, await submit(w), { status: 4, stage: 'processing', due: shiftDays(today(), -2) });
      const c = await as(w, SPECIALIST);
      const bad = await act(c, d, { action: 'nope', version: 'x' });
      expect(bad.status).toBe(400);
      expect(Object.keys(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual(['action', 'version']);
      expect((await act(c, d, '{"action":')).status).toBe(400);
      const date = await act(c, d, { action: 'apologise', version: d.version, note: 'Cần xác minh.', newDueDate: '2026-02-30' });
      expect(date.status).toBe(400);
      expect(((await date.json()) as { error: { fields: Record<string, string> } }).error.fields.newDueDate).toBeTruthy();
      const noNote = await act(c, d, { action: 'apologise', version: d.version, newDueDate: nextWorkingDay(shiftDays(today(), 1), w.calendar) });
      expect(((await noNote.json()) as { error: { fields: Record<string, string> } }).error.fields.note).toBeTruthy();
      expect((await act(c, d, { action: 'appraise', version: d.version })).status).toBe(422);
      const sorry = await act(c, d, { action: 'apologise', version: d.version, note: 'Cần xác minh.', newDueDate: nextWorkingDay(shiftDays(today(), 1), w.calendar) });
      expect(sorry.status).toBe(200);
      expect(((await sorry.json()) as { form: string }).form).toBe('04');

      const e = await put(w.h.db, await submit(w), { status: 2, due: shiftDays(today(), 9) });
      const leader = await as(w, LEADER);
      const assignee = await act(leader, e, { action: 'assign', version: e.version, assigneeId: w.users.get(OFFICER) });
      expect(((await assignee.json()) as { error: { fields: Record<string, string> } }).error.fields.assigneeId).toBeTruthy();
      const unit = await act(leader, e, { action: 'transfer', version: e.version, decidingUnit: '00000', note: 'Chuyển.' });
      expect(((await unit.json()) as { error: { fields: Record<string, string> } }).error.fields.decidingUnit).toBeTruthy();
      const assigned = await act(leader, e, { action: 'assign', version: e.version, assigneeId: w.users.get(SPECIALIST) });
      expect(assigned.status).toBe(200);
      expect((await current(w.h.db, e.id)).assignee_id).toBe(w.users.get(SPECIALIST));
      const moved = await act(leader, { id: e.id }, { action: 'transfer', version: e.version + 1, decidingUnit: OTHER, note: 'Thuộc thẩm quyền phường Bình Minh.' });
      expect(moved.status).toBe(200);
    });

    it('two officials with the same version: one 200, one 409', async () => {
      const d = await submit(w);
      const [a, b] = await Promise.all([as(w, OFFICER), as(w, OFFICER)]);
      const results = await Promise.all([act(a, d, { action: 'accept', version: d.version }), act(b, d, { action: 'refuse', version: d.version, note: 'Không thuộc thẩm quyền.' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    });

    it('fuzz: random bodies and ids never cause a 5xx', async () => {
      const d = await put(w.h.db, await submit(w), { status: 4, stage: 'processing', due: shiftDays(today(), 3), assignee: w.users.get(SPECIALIST)! });
      const clients = await Promise.all([OFFICER, SPECIALIST, LEADER, CITIZEN, OTHER_OFFICER].map((l) => as(w, l)));
      const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', ' ', "' or 1=1 --", '\u0000', '2026-02-30', '9999-12-31', '0000-01-01', '80', '25480', '00000', 'x'.repeat(5000)));
      const body = fc.record(
        {
          action: fc.oneof(fc.constantFrom(...TRANSITIONS.map((t) => t.action)), text),
          version: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constant(d.version), fc.double(), text, fc.constant(null)),
          note: fc.oneof(text, fc.integer(), fc.constant(null)),
          newDueDate: fc.oneof(text, fc.date({ noInvalidDate: true }).map((x) => x.toISOString().slice(0, 10))),
          decidingUnit: text,
          assigneeId: fc.oneof(text, fc.uuid(), fc.constant(w.users.get(SPECIALIST)!)),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(body, fc.nat(4), fc.oneof(fc.constant(d.id), fc.uuid(), text), async (b, who, id) => {
          const path = `/api/v1/dossiers/${encodeURIComponent(id)}/actions`;
          const res = await postJson(clients[who]!, path.replace('//actions', '/x/actions'), b);
          expect(res.status).toBeLessThan(500);
          expect([200, 400, 404, 409, 422]).toContain(res.status);
        }),
        { numRuns: fuzzRuns(300) },
      );
    });
  });

  describe('GET /api/v1/dossiers/track (public)', () => {
    it('tells the status without anything personal; the same answer for an unknown code and wrong digits', async () => {
      const d = await submit(w);
      const c = await as(w, null);
      const ok = await c.get(`/api/v1/dossiers/track?code=${d.code}&phoneLast4=0001`);
      expect(ok.status).toBe(200);
      const body = await ok.text();
      expect(JSON.parse(body)).toMatchObject({ code: d.code, status: 1, statusLabel: 'Đã nộp, chờ tiếp nhận', receivingUnit: 'Phường Tân Ninh' });
      for (const personal of ['Nguyễn Thị Lan', '0912000001', 'Khu phố', d.id]) expect(body).not.toContain(personal);
      const wrong = await c.get(`/api/v1/dossiers/track?code=${d.code}&phoneLast4=9999`);
      const unknown = await c.get(`/api/v1/dossiers/track?code=25459-000000-9999&phoneLast4=0001`);
      expect(wrong.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(await wrong.text()).toBe(await unknown.text());
      expect((await c.get(`/api/v1/dossiers/track?code=${d.code}&phoneLast4=12`)).status).toBe(400);
      expect((await c.get('/api/v1/dossiers/track')).status).toBe(400);
    });

    it('slows down guessing: 429 after 30 look-ups from one address', async () => {
      const c = await as(w, null);
      let last = 0;
      for (let i = 0; i < 31; i++) last = (await c.get(`/api/v1/dossiers/track?code=25459-000000-0001&phoneLast4=${String(i).padStart(4, '0')}`)).status;
      expect(last).toBe(429);
    });
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await (await (await as(w, null)).get('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/dossiers']!)).toEqual(['post']);
    expect(doc.paths['/api/v1/dossiers/{id}']).toHaveProperty('get');
    expect(doc.paths['/api/v1/dossiers/{id}/actions']).toHaveProperty('post');
    expect(doc.paths['/api/v1/dossiers/track']).toHaveProperty('get');
    expect(doc.paths['/api/v1/communes/{commune}/dossiers']).toHaveProperty('get');
    const post = doc.paths['/api/v1/dossiers']!.post as { requestBody: { content: Record<string, unknown> } };
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
  });
});
