import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed.js';
import { STYLESHEET } from '../platform/assets.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { Client, testApp } from '../testing/app.js';
import { catalogSlice } from '../testing/catalog.js';
import { openTestDb } from '../testing/db.js';
import { importCatalog } from './catalog.store.js';
import type { Procedure } from './procedure.js';

const BIRTH = '1.001193';
const FREE = '1.008563'; // fee amount 0: free
const WITH_FORMS = '1.000253';
const DISPUTED = '1.001257';
const MINISTRY_ONLY = '1.000578';
const HOME = '25459';
const HOME_NAME = 'Phường Tân Ninh';
const BASE = `/can-bo/xa/${HOME}/thu-tuc`;

let ips = 0;
async function signedIn(app: App, login: string): Promise<Client> {
  const c = new Client(app, `198.51.100.${++ips}`);
  await c.signIn(login, DEMO_PASSWORD);
  return c;
}

describe('procedure catalog pages', () => {
  let h: DbHandle;
  let app: App;
  let slice: Procedure[];
  const anon = () => new Client(app, `192.0.2.${++ips}`);
  const html = async (path: string, c = anon()) => {
    const res = await c.get(path);
    return { status: res.status, body: await res.text(), res };
  };

  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    // Enough commune-level procedures for a second page (50 a page).
    slice = await catalogSlice([BIRTH, FREE, WITH_FORMS, DISPUTED, MINISTRY_ONLY, '1.000110'], 60);
    await importCatalog(h.db, slice, { source: 'test' });
    app = testApp(h);
  });
  afterAll(() => h.close());

  const birth = () => slice.find((p) => p.code === BIRTH)!;

  describe('the procedure page', () => {
    it('shows name, code, results, applicants and the checklist of papers by case, notes apart', async () => {
      const { status, body } = await html(`/thu-tuc/${BIRTH}`);
      expect(status).toBe(200);
      expect(body).toContain('<h1>Thủ tục đăng ký khai sinh</h1>');
      expect(body).toContain(`Mã thủ tục: <strong>${BIRTH}</strong>`);
      expect(body).toContain('Giấy khai sinh');
      expect(body).toContain('Công dân Việt Nam');
      for (const c of birth().cases) {
        expect(body).toContain(`<h3>${c.name || 'Giấy tờ khác'}</h3>`);
        for (const paper of c.papers) expect(body).toContain(paper.name.slice(0, 60));
      }
      const papers = birth().cases.reduce((n, c) => n + c.papers.length, 0);
      expect(body.match(/type="checkbox"/g)).toHaveLength(papers);
      expect(body).toContain('<strong class="paper-count">1 bản chính</strong>');
      // Notes are listed, but not as papers to tick.
      const note = birth().cases[0]!.notes[0]!;
      expect(body).toContain(note.slice(0, 50));
      expect(body).not.toMatch(new RegExp(`<label[^>]*>${note.slice(0, 30)}`));
    });

    it('says an unpublished fee is unpublished, never free, and shows working days per channel', async () => {
      const { body } = await html(`/thu-tuc/${BIRTH}`);
      expect(body).toContain('Lệ phí: Chưa công bố mức phí — hỏi bộ phận một cửa');
      expect(body).not.toContain('Miễn phí');
      expect(body).toContain('<strong>Nộp trực tuyến, Gửi qua bưu điện, Nộp trực tiếp</strong>');
      expect(body).toContain('Thời hạn giải quyết: 1 ngày làm việc');
      expect(body).toContain('Trực tuyến một phần');
      const free = await html(`/thu-tuc/${FREE}`);
      expect(free.body).toContain('Phí: Miễn phí');
      expect(free.body).not.toContain('Chưa công bố mức phí');
    });

    it('names downloadable forms without linking to the portal’s storage paths', async () => {
      const { body } = await html(`/thu-tuc/${WITH_FORMS}`);
      expect(body).toContain('mẫu có tại bộ phận một cửa / Cổng DVC quốc gia');
      expect(body).not.toContain('configuring/');
    });

    it('warns when the online level is uncertain', async () => {
      expect((await html(`/thu-tuc/${DISPUTED}`)).body).toContain('chưa thống nhất về việc nộp trực tuyến');
      expect((await html(`/thu-tuc/${BIRTH}`)).body).not.toContain('chưa thống nhất');
    });

    it('shows steps, legal basis, last update, source and the QR code', async () => {
      const { body } = await html(`/thu-tuc/${BIRTH}`);
      expect(body).toContain('Các bước thực hiện');
      expect(body).toContain('104/2022/NĐ-CP');
      expect(body).toContain('15/04/2026');
      expect(body).toContain('href="https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193"');
      expect(body).toContain(`src="/thu-tuc/${BIRTH}/qr.svg"`);
      expect(body).toContain(`href="/thu-tuc/${BIRTH}/in"`);
    });

    it('without a commune, explains the province-wide one-stop rule and offers a plain commune picker', async () => {
      const { body } = await html(`/thu-tuc/${BIRTH}`);
      expect(body).toContain('bất kỳ xã, phường nào trong tỉnh');
      expect(body).toContain('Nghị định 118/2025/NĐ-CP');
      expect(body).toMatch(/<form method="get" action="\/thu-tuc\/1\.001193#noi-nop"/);
      expect(body).toContain(`<option value="${HOME}">${HOME_NAME}</option>`);
      expect(body).toContain('<option value="25486">Xã Tân Biên</option>');
    });

    it('with ?xa= says where to go in that commune, and remembers the choice in a cookie', async () => {
      const c = anon();
      const first = await html(`/thu-tuc/${BIRTH}?xa=${HOME}`, c);
      expect(first.body).toContain(`Nộp tại: <strong>Bộ phận một cửa UBND ${HOME_NAME}</strong>`);
      expect(first.body).toContain(`<option value="${HOME}" selected="">`);
      expect(c.cookies.get('xa')).toBe(HOME);
      const later = await html(`/thu-tuc/${FREE}`, c);
      expect(later.body).toContain(`Bộ phận một cửa UBND ${HOME_NAME}`);
      const notHere = await html(`/thu-tuc/${MINISTRY_ONLY}`, c);
      expect(notHere.body).toContain(`<strong>${HOME_NAME}</strong> không giải quyết thủ tục này`);
      expect(notHere.body).toContain('không do cấp xã giải quyết');
      await c.get(`/thu-tuc/${BIRTH}?xa=`);
      expect(c.cookies.has('xa')).toBe(false);
      expect((await html(`/thu-tuc/${BIRTH}?xa=99999`)).body).not.toContain('Nộp tại:');
    });

    it('answers an unknown code with a friendly 404', async () => {
      for (const path of ['/thu-tuc/9.999999', '/thu-tuc/9.999999/in', '/thu-tuc/9.999999/qr.svg']) {
        const { status, body } = await html(path);
        expect(status, path).toBe(404);
        expect(body).toContain('Không tìm thấy thủ tục');
        expect(body).toContain('href="/thu-tuc"');
      }
    });
  });

  describe('QR code and print-outs', () => {
    it('serves the QR code as cacheable SVG of the procedure’s address', async () => {
      const res = await anon().get(`/thu-tuc/${BIRTH}/qr.svg`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(res.headers.get('cache-control')).toContain('max-age=');
      const svg = await res.text();
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"[^>]*>/);
      expect(svg.trim()).toMatch(/<\/svg>$/);
      expect(svg).toMatch(/<path [^>]*d="M[0-9hvHVmM .-]+"/);
      // Same modules as a QR code of the page's URL under the configured base URL.
      expect(svg).toBe(await QRCode.toString(`http://localhost:0/thu-tuc/${BIRTH}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
    });

    it('prints a one-page guide with a tick-box checklist and the QR code inline', async () => {
      const { status, body } = await html(`/thu-tuc/${BIRTH}/in`);
      expect(status).toBe(200);
      expect(body).toContain('class="print-guide"');
      const papers = birth().cases.reduce((n, c) => n + c.papers.length, 0);
      expect(body.match(/type="checkbox"/g)).toHaveLength(papers);
      expect(body).toMatch(/<svg role="img" aria-label="Mã QR dẫn đến http:\/\/localhost:0\/thu-tuc\/1\.001193" class="qr"/);
      expect(body).toContain(`http://localhost:0/thu-tuc/${BIRTH}`);
      expect(body).toContain('Chưa công bố mức phí');
      // Guidance notes stay on the full page; the print-out is the checklist.
      expect(body).not.toContain(birth().cases[2]!.notes[0]!.slice(0, 50));
    });

    it('has print rules: no header or footer, A4 pages', () => {
      expect(STYLESHEET).toMatch(/@page\s*{[^}]*size:\s*A4/);
      expect(STYLESHEET).toMatch(/\.site-header, \.site-footer[^{]*{\s*display: none !important;/);
    });

    it('prints an A4 poster of the commune’s procedures, grouped by field, each with name, code and QR', async () => {
      const { status, body } = await html(`/xa/${HOME}/ap-phich`);
      expect(status).toBe(200);
      const offered = slice.filter((p) => p.levels.includes('commune'));
      for (const p of offered) {
        expect(body).toContain(`src="/thu-tuc/${p.code}/qr.svg"`);
        expect(body).toContain(`Mã ${p.code}`);
      }
      expect(body).not.toContain(`/thu-tuc/${MINISTRY_ONLY}/qr.svg`);
      expect(body.match(/class="poster-card"/g)).toHaveLength(offered.length);
      expect(body).toContain('<h2>Hộ tịch</h2>');
      const onlyCivil = await html(`/xa/${HOME}/ap-phich?linh-vuc=ho-tich`);
      expect(onlyCivil.body.match(/class="poster-card"/g)).toHaveLength(offered.filter((p) => p.field === 'Hộ tịch').length);
    });
  });

  describe('browsing', () => {
    it('browses by life event and by field, with counts', async () => {
      const { status, body } = await html('/thu-tuc');
      expect(status).toBe(200);
      for (const label of ['Có con nhỏ', 'Kết hôn, gia đình', 'Người thân qua đời', 'Cư trú và giấy tờ tùy thân', 'Nghỉ hưu', 'Điện, nhà ở, đất đai']) expect(body).toContain(label);
      const kids = slice.filter((p) => p.lifeEvents.includes('co-con-nho'));
      expect(body).toContain(`<a href="/thu-tuc/su-kien/co-con-nho">Có con nhỏ</a> <span class="meta">${kids.length} thủ tục, ${kids.filter((p) => p.levels.includes('commune')).length} ở cấp xã</span>`);
      expect(body).toContain('<a href="/thu-tuc/linh-vuc/ho-tich">Hộ tịch</a>');
    });

    it('lists an event’s and a field’s procedures, commune-level first', async () => {
      const event = await html('/thu-tuc/su-kien/co-con-nho');
      expect(event.status).toBe(200);
      expect(event.body).toContain(`href="/thu-tuc/${BIRTH}"`);
      const field = await html('/thu-tuc/linh-vuc/ho-tich');
      expect(field.body).toContain('<h1>Lĩnh vực Hộ tịch</h1>');
      expect(field.body.indexOf(`/thu-tuc/${BIRTH}"`)).toBeLessThan(field.body.indexOf(`/thu-tuc/${MINISTRY_ONLY}"`));
      expect(field.body).toContain(`/thu-tuc/${MINISTRY_ONLY}"`);
    });

    it('pages long lists with plain links, 50 a page', async () => {
      const offered = slice.filter((p) => p.levels.includes('commune')).length;
      expect(offered).toBeGreaterThan(50);
      const one = await html(`/xa/${HOME}/thu-tuc`);
      expect(one.status).toBe(200);
      expect(one.body).toContain(`<h1>Thủ tục hành chính tại ${HOME_NAME}</h1>`);
      expect(one.body.match(/class="meta">Mã /g)).toHaveLength(50);
      expect(one.body).toContain(`href="/xa/${HOME}/thu-tuc?trang=2"`);
      const two = await html(`/xa/${HOME}/thu-tuc?trang=2`);
      expect(two.body.match(/class="meta">Mã /g)).toHaveLength(offered - 50);
      expect(two.body).toContain('Trang 2 trên 2');
      expect((await html(`/xa/${HOME}/thu-tuc?trang=abc`)).status).toBe(200);
      expect(one.body).toContain(`href="/thu-tuc/${BIRTH}?xa=${HOME}"`);
      expect(one.body).not.toContain(`/thu-tuc/${MINISTRY_ONLY}`);
    });

    it('answers unknown groups and communes with 404', async () => {
      for (const path of ['/thu-tuc/su-kien/khong-co', '/thu-tuc/linh-vuc/khong-co', '/xa/99999/thu-tuc', '/xa/abc/ap-phich']) {
        expect((await anon().get(path)).status, path).toBe(404);
      }
    });
  });

  describe('API', () => {
    it('returns the full current record, or a JSON 404', async () => {
      const res = await anon().get(`/api/v1/procedures/${BIRTH}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Procedure & { version: number };
      expect(body).toMatchObject({ code: BIRTH, name: 'Thủ tục đăng ký khai sinh', version: 1 });
      expect(body.cases).toEqual(birth().cases);
      const missing = await anon().get('/api/v1/procedures/9.999999');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    });

    it('lists what a commune offers', async () => {
      const res = await anon().get(`/api/v1/communes/${HOME}/procedures`);
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as { items: { code: string }[] };
      expect(items.find((i) => i.code === BIRTH)).toEqual({ code: BIRTH, name: 'Thủ tục đăng ký khai sinh', field: 'Hộ tịch', levels: ['commune'], onlineLevel: 'partial' });
      expect(items.map((i) => i.code)).not.toContain(MINISTRY_ONLY);
      expect((await anon().get('/api/v1/communes/99999/procedures')).status).toBe(404);
    });

    it('documents both in OpenAPI', async () => {
      const doc = (await (await anon().get('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/procedures/{code}', '/api/v1/communes/{commune}/procedures']));
    });
  });

  describe('officials choose what their commune offers', () => {
    const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';

    async function auditFor(code: string) {
      return h.db.selectFrom('audit_log').select(['actor_label', 'unit_code', 'detail']).where('action', '=', 'catalog.commune_offer').where('subject_id', '=', code).orderBy('seq').execute();
    }

    it('lets the receiving officer remove and re-add a procedure, with reasons in the audit log', async () => {
      const c = await signedIn(app, OFFICER);
      const page = await html(BASE, c);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`Thủ tục ${HOME_NAME} giải quyết`);
      expect(page.body).toContain(`href="${BASE}?ma=${BIRTH}#xu-ly"`);

      const removed = await c.post(`${BASE}/bo`, { code: BIRTH, reason: 'Chuyển về phường bên cạnh theo quyết định 12/QĐ-UBND' }, { csrf: await c.csrf(BASE) });
      expect(removed.status).toBe(303);
      expect(removed.headers.get('location')).toBe(`${BASE}?da=bo&ma=${BIRTH}#xu-ly`);
      const after = await html(removed.headers.get('location')!, c);
      expect(after.body).toContain(`Đã bỏ thủ tục ${BIRTH} khỏi danh sách của xã.`);
      expect(after.body).toContain('Chuyển về phường bên cạnh');
      expect((await html(`/xa/${HOME}/thu-tuc`)).body).not.toContain(`/thu-tuc/${BIRTH}?`);
      expect((await html(`/thu-tuc/${BIRTH}?xa=${HOME}`)).body).toContain(`<strong>${HOME_NAME}</strong> không giải quyết thủ tục này`);
      expect((await html('/xa/25480/thu-tuc')).body).toContain(`/thu-tuc/${BIRTH}?`);

      const added = await c.post(`${BASE}/them`, { code: BIRTH, reason: 'Nhận lại từ 1/7' }, { csrf: await c.csrf(BASE) });
      expect(added.status).toBe(303);
      expect(await h.db.selectFrom('commune_procedure').selectAll().where('procedure_code', '=', BIRTH).execute()).toEqual([]);
      const audit = await auditFor(BIRTH);
      expect(audit.map((a) => [a.unit_code, a.detail.offered, a.detail.reason])).toEqual([
        [HOME, false, 'Chuyển về phường bên cạnh theo quyết định 12/QĐ-UBND'],
        [HOME, true, 'Nhận lại từ 1/7'],
      ]);
      expect(audit[0]!.actor_label).toContain('receiving_officer@25459');
    });

    it('adds a procedure that is not commune-level', async () => {
      const c = await signedIn(app, 'lanhdao.tanninh@demo.xaso.vn');
      const res = await c.post(`${BASE}/them`, { code: MINISTRY_ONLY, reason: 'Thí điểm' }, { csrf: await c.csrf(BASE) });
      expect(res.status).toBe(303);
      expect((await html(`/xa/${HOME}/ap-phich`)).body).toContain(`/thu-tuc/${MINISTRY_ONLY}/qr.svg`);
      const api = (await (await anon().get(`/api/v1/communes/${HOME}/procedures`)).json()) as { items: { code: string }[] };
      expect(api.items.map((i) => i.code)).toContain(MINISTRY_ONLY);
    });

    it('refuses a missing reason or an unknown code, naming the field, and changes nothing', async () => {
      const c = await signedIn(app, OFFICER);
      const before = await h.db.selectFrom('commune_procedure').selectAll().execute();
      const noReason = await c.post(`${BASE}/bo`, { code: FREE, reason: '  ' }, { csrf: await c.csrf(BASE) });
      expect(noReason.status).toBe(400);
      const page = await noReason.text();
      expect(page).toContain('<a href="#f-reason">Nhập lý do thay đổi');
      expect(page).toContain(`value="${FREE}"`);
      expect(page).toContain(`action="${BASE}/bo"`);
      const unknown = await c.post(`${BASE}/them`, { code: '9.999999', reason: 'Thử' }, { csrf: await c.csrf(BASE) });
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain('<a href="#f-code">Không có thủ tục nào mang mã &quot;9.999999&quot;');
      const noCode = await c.post(`${BASE}/them`, { reason: 'Thử' }, { csrf: await c.csrf(BASE) });
      expect(await noCode.text()).toContain('Nhập mã thủ tục');
      expect(await h.db.selectFrom('commune_procedure').selectAll().execute()).toEqual(before);
      expect(await auditFor(FREE)).toEqual([]);
    });

    it('finds a procedure by code or name on the officials’ page', async () => {
      const c = await signedIn(app, OFFICER);
      const exact = await html(`${BASE}?ma=${FREE}`, c);
      expect(exact.body).toContain('Xã đang giải quyết (mặc định: thủ tục cấp xã).');
      expect(exact.body).toContain(`action="${BASE}/bo"`);
      const words = await html(`${BASE}?ma=khai%20sinh`, c);
      expect(words.body).toContain(`href="${BASE}?ma=${BIRTH}#xu-ly"`);
      const none = await html(`${BASE}?ma=zzzz`, c);
      expect(none.body).toContain('Không tìm thấy thủ tục nào khớp');
    });

    it('refuses specialists (403), citizens (403), strangers (sign-in) and other communes’ officers (404)', async () => {
      const form = { code: FREE, reason: 'Thử quyền' };
      const specialist = await signedIn(app, 'chuyenvien.tanninh@demo.xaso.vn');
      expect((await specialist.get(BASE)).status).toBe(403);
      expect((await specialist.post(`${BASE}/bo`, form)).status).toBe(403);
      const citizen = await signedIn(app, '0912000001');
      expect((await citizen.get(BASE)).status).toBe(403);
      expect((await citizen.post(`${BASE}/bo`, form)).status).toBe(403);
      const stranger = anon();
      const res = await stranger.get(BASE);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/dang-nhap\?next=/);
      const other = await signedIn(app, 'tiepnhan.binhminh@demo.xaso.vn');
      expect((await other.get(BASE)).status).toBe(404);
      expect((await other.post(`${BASE}/bo`, form)).status).toBe(404);
      expect((await other.get('/can-bo/xa/25480/thu-tuc')).status).toBe(200);
      expect(await auditFor(FREE)).toEqual([]);
    });

    it('lets the province admin manage every commune of the province', async () => {
      const admin = await signedIn(app, 'quantri.tayninh@demo.xaso.vn');
      const list = await html('/can-bo/thu-tuc-cua-xa', admin);
      expect(list.status).toBe(200);
      expect(list.body).toContain('href="/can-bo/xa/25486/thu-tuc"');
      expect((await html('/can-bo/xa/25486/thu-tuc', admin)).body).toContain('Chọn xã khác');
      const res = await admin.post('/can-bo/xa/25486/thu-tuc/bo', { code: FREE, reason: 'Theo chỉ đạo của tỉnh' }, { csrf: await admin.csrf('/can-bo/xa/25486/thu-tuc') });
      expect(res.status).toBe(303);
      expect((await auditFor(FREE))[0]).toMatchObject({ unit_code: '25486' });
      // Outside the province: hidden.
      expect((await admin.get('/can-bo/xa/00004/thu-tuc')).status).toBe(404);
      // A commune officer goes straight to their commune.
      const officer = await signedIn(app, OFFICER);
      const go = await officer.get('/can-bo/thu-tuc-cua-xa');
      expect(go.status).toBe(303);
      expect(go.headers.get('location')).toBe(BASE);
    });
  });
});
