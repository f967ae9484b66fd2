/**
 * One rule, one place: the pages and the JSON API refuse the same inputs,
 * because both call the same function (submit/intake.ts, tracking/lookup.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../testing/app.js';
import { tinyJpeg, tinyPdf } from './submit/test-files.js';
import { anonymous, BIRTH, CITIZEN, draftIdOf, HOME, location, openWorld, postFile, signedIn, submitOnline, type World } from './submit/test-setup.js';

/** The same corrupt photo for both: a real JPEG cut after its header (type check passes, decoding fails). */
async function corruptJpeg(): Promise<Uint8Array> {
  return (await tinyJpeg()).subarray(0, 200);
}

function apiUpload(c: Client, fields: Record<string, string>, file: { field: string; name: string; bytes: Uint8Array }): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(file.field, new File([Buffer.from(file.bytes)], file.name, { type: 'application/octet-stream' }));
  return c.request('/api/v1/dossiers', { method: 'POST', body: form, headers: { 'x-requested-with': 'test' } });
}

async function apiField(res: Response, field: string): Promise<string | undefined> {
  return ((await res.json()) as { error: { fields?: Record<string, string> } }).error.fields?.[field];
}

/** A draft at its first paper's page, as a citizen reaches it. */
async function draftAtFirstPaper(c: Client): Promise<string> {
  const start = await c.post(`/nop-ho-so/${BIRTH}`, {});
  const base = `/nop-ho-so/ban-nhap/${draftIdOf(location(start))}`;
  const me = await (await c.get(`${base}/nguoi-nop`)).text();
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(me)?.[1] ?? '';
  expect((await c.post(`${base}/nguoi-nop`, { full_name: value('full_name'), phone: value('phone'), email: value('email'), address: 'Khu phố 3' })).status).toBe(303);
  expect((await c.post(`${base}/noi-nop`, { commune: HOME })).status).toBe(303);
  expect((await c.post(`${base}/truong-hop`, { case_no: '0' })).status).toBe(303);
  return `${base}/giay-to/0`;
}

describe('pages and API apply the same rules', () => {
  let w: World;
  let keys = 0;
  beforeAll(async () => {
    w = await openWorld();
  });
  afterAll(() => w.close());

  const apiFields = () => ({ commune: HOME, procedure: BIRTH, case_no: '0', idempotency_key: `parity-${++keys}`, applicant_address: 'Khu phố 3' });

  it.each([
    ['a corrupt JPEG', corruptJpeg, /ảnh bị hỏng/],
    ['a header-only "PDF"', async () => tinyPdf().subarray(0, 20), /PDF bị hỏng|chỉ nhận ảnh JPG, PNG hoặc tệp PDF/],
  ])('%s is refused by the page and by the API, with the same words', async (_what, make, message) => {
    const bytes = await make();
    const c = await signedIn(w.app, CITIZEN);
    const page = await postFile(c, await draftAtFirstPaper(c), { name: 'anh.jpg', bytes, type: 'image/jpeg' });
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(message);
    const api = await apiUpload(c, apiFields(), { field: 'paper_0', name: 'anh.jpg', bytes });
    expect(api.status).toBe(400);
    expect(await apiField(api, 'paper_0')).toMatch(message);
  });

  it('a name with a path is refused by both', async () => {
    const c = await signedIn(w.app, CITIZEN);
    const page = await postFile(c, await draftAtFirstPaper(c), { name: '../../etc/passwd.pdf', bytes: tinyPdf(), type: 'application/pdf' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('tên tệp không hợp lệ');
    const api = await apiUpload(c, apiFields(), { field: 'paper_0', name: '../../etc/passwd.pdf', bytes: tinyPdf() });
    expect(api.status).toBe(400);
    expect(await apiField(api, 'paper_0')).toContain('tên tệp không hợp lệ');
  });

  describe('public tracking', () => {
    let code: string;
    beforeAll(async () => {
      ({ code } = await submitOnline(w, await signedIn(w.app, CITIZEN)));
    });

    it('a typed code with spaces and in lower case is found by both', async () => {
      const typed = ` ${code.slice(0, 5)} ${code.slice(5)} `.toLowerCase();
      const page = await anonymous(w.app).get(`/tra-cuu?ma=${encodeURIComponent(typed)}&so=${CITIZEN.slice(-4)}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(code);
      const api = await anonymous(w.app).get(`/api/v1/dossiers/track?code=${encodeURIComponent(typed)}&phoneLast4=${CITIZEN.slice(-4)}`);
      expect(api.status).toBe(200);
    });

    it('the page keeps the typed code and digits after an error', async () => {
      const res = await anonymous(w.app).get(`/tra-cuu?ma=${code}&so=12`);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(`value="${code}"`);
      expect(html).toContain('value="12"');
    });

    it('the API refuses after the per-code limit like the page, from any address, with one counter for both', async () => {
      const target = '25459-000000-8888';
      const statuses: number[] = [];
      // 20 tries per code an hour, each from a new address: 10 through the page, 10 through the API …
      for (let i = 0; i < 10; i++) statuses.push((await anonymous(w.app).get(`/tra-cuu?ma=${target}&so=${String(i).padStart(4, '0')}`)).status);
      for (let i = 10; i < 20; i++) statuses.push((await anonymous(w.app).get(`/api/v1/dossiers/track?code=${target}&phoneLast4=${String(i).padStart(4, '0')}`)).status);
      expect(statuses.every((s) => s === 404)).toBe(true);
      // … then both refuse, whoever asks.
      expect((await anonymous(w.app).get(`/api/v1/dossiers/track?code=${target}&phoneLast4=0020`)).status).toBe(429);
      expect((await anonymous(w.app).get(`/tra-cuu?ma=${target}&so=0021`)).status).toBe(429);
      // The count is per code: another one is answered, and after the hour (the app's clock) this one is too.
      expect((await anonymous(w.app).get(`/api/v1/dossiers/track?code=25459-000000-8889&phoneLast4=0001`)).status).toBe(404);
      w.clock.advance(61 * 60_000);
      expect((await anonymous(w.app).get(`/api/v1/dossiers/track?code=${target}&phoneLast4=0022`)).status).toBe(404);
    });

    it('the API alone also refuses after the per-code limit', async () => {
      const target = '25459-000000-9898';
      let last = 0;
      for (let i = 0; i < 21; i++) last = (await anonymous(w.app).get(`/api/v1/dossiers/track?code=${target}&phoneLast4=${String(i).padStart(4, '0')}`)).status;
      expect(last).toBe(429);
    });
  });
});
