import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingCalendar } from '../calendar/shared.js';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import { createSession } from '../platform/session.js';
import { Client, testApp } from '../testing/app.js';
import { openTestDb } from '../testing/db.js';
import { runWorker } from './rollup.js';
import { act, ensureTestProcedures, insertDossier } from './testing.js';

const HOME = '25459';
const OTHER = '25480';
const SMALL = '25486';
const ANALYST = 'phantich.tayninh@demo.xaso.vn';
const LEADER = 'lanhdao.tanninh@demo.xaso.vn';
const OTHER_LEADER = 'lanhdao.binhminh@demo.xaso.vn';
const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const ADMIN = 'quantri.tayninh@demo.xaso.vn';

describe('operations-centre pages', () => {
  let h: DbHandle;
  let app: App;
  const users = new Map<string, string>();
  let ip = 0;
  const as = async (login: string | null) => {
    const c = new Client(app, `198.18.7.${++ip}`);
    if (login) c.cookies.set('xaso_sid', (await createSession(h.db, users.get(login)!, { ip: null, userAgent: 'test' })).token);
    return c;
  };

  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    await ensureTestProcedures(h.db);
    app = testApp(h);
    for (const u of await h.db.selectFrom('app_user').select(['id', 'email', 'phone']).execute()) users.set((u.email ?? u.phone)!, u.id);
    // Q3 2026: HOME gets 6 dossiers of TK.1, 2 of them late; OTHER gets 6, all on time.
    for (const [commune, lateCount] of [
      [HOME, 2],
      [OTHER, 0],
    ] as const) {
      for (let i = 0; i < 6; i++) {
        const d = await insertDossier(h.db, { commune, procedure: 'TK.1', channel: 'counter', submittedAt: new Date('2026-07-06T02:00:00Z'), applicantName: `Trần Thị ${commune}-${i}` });
        await act(h.db, d, { action: 'accept', to: 2, at: new Date('2026-07-06T03:00:00Z'), dueDate: '2026-07-10', received: true });
        await act(h.db, d, { action: 'approve', to: 9, at: new Date(i < lateCount ? '2026-07-14T03:00:00Z' : '2026-07-08T03:00:00Z') });
      }
    }
    // A small commune: 3 dossiers, below the public threshold.
    for (let i = 0; i < 3; i++) await insertDossier(h.db, { commune: SMALL, procedure: 'TK.2', channel: 'online', submittedAt: new Date('2026-08-03T02:00:00Z') });
    await runWorker(h.db, { today: '2026-10-01', calendar: await workingCalendar() });
  });
  afterAll(() => h.close());

  it('the analyst sees the province index for a quarter, communes worst first, and drills to the late dossiers without names', async () => {
    const c = await as(ANALYST);
    const res = await c.get('/can-bo/tinh/80/chi-so?ky=2026-Q3');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('quý III/2026');
    expect(html).toContain('chưa có dữ liệu');
    expect(html).toContain('<svg');
    const home = html.indexOf(`/can-bo/xa/${HOME}/chi-so?ky=2026-Q3`);
    const other = html.indexOf(`/can-bo/xa/${OTHER}/chi-so?ky=2026-Q3`);
    expect(home).toBeGreaterThan(0);
    expect(home).toBeLessThan(other);
    const commune = await (await c.get(`/can-bo/xa/${HOME}/chi-so?ky=2026-Q3`)).text();
    expect(commune).toContain(`/can-bo/xa/${HOME}/chi-so/thu-tuc/TK.1?ky=2026-Q3`);
    const proc = await (await c.get(`/can-bo/xa/${HOME}/chi-so/thu-tuc/TK.1?ky=2026-Q3`)).text();
    expect(proc).toContain('Hồ sơ trễ hạn (2)');
    const list = await c.get(`/can-bo/xa/${HOME}/chi-so/thu-tuc/TK.1/ho-so?ky=2026-Q3&loai=tre-han`);
    const listHtml = await list.text();
    expect(list.status).toBe(200);
    expect(listHtml.match(/\(trễ hạn\)/g)).toHaveLength(2);
    expect(listHtml).not.toContain('Trần Thị');
    const audits = await h.db.selectFrom('audit_log').select('action').where('action', '=', 'stats.dossier_list').execute();
    expect(audits).toHaveLength(0);
  });

  it('a commune leader sees names in the dossier list, and that read is audited', async () => {
    const c = await as(LEADER);
    const html = await (await c.get(`/can-bo/xa/${HOME}/chi-so/thu-tuc/TK.1/ho-so?ky=2026-Q3&loai=tre-han`)).text();
    expect(html).toContain(`Trần Thị ${HOME}-0`);
    const audit = await h.db.selectFrom('audit_log').selectAll().where('action', '=', 'stats.dossier_list').executeTakeFirstOrThrow();
    expect(audit.unit_code).toBe(HOME);
  });

  it('who may see what: the leader only their commune, a receiving officer none of it', async () => {
    const leader = await as(LEADER);
    expect((await leader.get(`/can-bo/xa/${HOME}/chi-so?ky=2026-Q3`)).status).toBe(200);
    expect((await leader.get(`/can-bo/xa/${OTHER}/chi-so?ky=2026-Q3`)).status).toBe(404);
    expect((await leader.get('/can-bo/tinh/80/chi-so')).status).toBe(404);
    expect((await (await as(OTHER_LEADER)).get(`/can-bo/xa/${HOME}/chi-so`)).status).toBe(404);
    const officer = await as(OFFICER);
    for (const path of ['/can-bo/chi-so', '/can-bo/tinh/80/chi-so', `/can-bo/xa/${HOME}/chi-so`, `/can-bo/xa/${HOME}/chi-so/thu-tuc/TK.1/ho-so`]) expect((await officer.get(path)).status).toBe(403);
    expect(await (await officer.get('/can-bo')).text()).not.toContain('/can-bo/chi-so');
    expect(await (await (await as(ADMIN)).get('/can-bo')).text()).toContain('/can-bo/chi-so');
  });

  it('bad input: a Vietnamese message naming the field, values kept, 400; unknown codes 404; never 500', async () => {
    const c = await as(ANALYST);
    const cases: [string, RegExp][] = [
      ['/can-bo/tinh/80/chi-so?ky=2026-13', /Kỳ báo cáo chưa đúng/],
      ['/can-bo/tinh/80/chi-so?tu=2026-09-01&den=2026-08-01', /trước ngày bắt đầu/],
      ['/can-bo/tinh/80/chi-so?tu=2019-01-01&den=2026-01-01', /5 năm/],
      ['/can-bo/tinh/80/chi-so?tu=2026-02-31&den=2026-03-01', /Ngày bắt đầu chưa đúng/],
      [`/can-bo/xa/${HOME}/chi-so?ky=abc`, /Kỳ báo cáo chưa đúng/],
    ];
    for (const [path, message] of cases) {
      const res = await c.get(path);
      expect(res.status, path).toBe(400);
      const html = await res.text();
      expect(html).toMatch(message);
      expect(html).toContain('error-summary');
    }
    expect(await (await c.get('/can-bo/tinh/80/chi-so?tu=2026-09-01&den=2026-08-01')).text()).toContain('value="2026-09-01"');
    const unknown = await c.get(`/can-bo/xa/${HOME}/chi-so/thu-tuc/KHONG.CO`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Không có thủ tục với mã này');
    expect((await c.get('/can-bo/tinh/99/chi-so')).status).toBe(404);
    expect((await c.get(`/can-bo/xa/${HOME}/chi-so/thu-tuc/TK.1/ho-so?loai=x`)).status).toBe(400);
  });

  it('open data: JSON and CSV with ETag and cache headers; cells under 5 dossiers suppressed', async () => {
    const c = await as(null);
    const res = await c.get(`/api/v1/stats/communes/${HOME}?period=2026-Q3`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('public');
    const etag = res.headers.get('etag')!;
    const body = (await res.json()) as { index: number | null; indexSuppressed: boolean; measures: { id: string; value: number | null; suppressed: boolean }[] };
    expect(body.indexSuppressed).toBe(false);
    expect(body.index).not.toBeNull();
    expect(body.measures.find((m) => m.id === 'received')).toMatchObject({ value: 6, suppressed: false });
    expect(body.measures.find((m) => m.id === 'paid_online')).toMatchObject({ value: null, suppressed: false });
    expect((await c.request(`/api/v1/stats/communes/${HOME}?period=2026-Q3`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const small = (await (await c.get(`/api/v1/stats/communes/${SMALL}?period=2026-Q3`)).json()) as typeof body;
    expect(small.indexSuppressed).toBe(true);
    expect(small.index).toBeNull();
    expect(small.measures.find((m) => m.id === 'received')).toMatchObject({ value: null, suppressed: true });
    expect(small.measures.find((m) => m.id === 'online_share')).toMatchObject({ value: null, suppressed: true });

    const csv = await c.get('/api/v1/stats/provinces/80/communes.csv?period=2026-Q3');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith(SMALL))).toContain('an_duoi_5_ho_so');
    expect(lines.find((l) => l.startsWith(SMALL))).not.toMatch(/,3,/);

    const page = await (await c.get(`/xa/${SMALL}/chi-so-phuc-vu?ky=2026-Q3`)).text();
    expect(page).toContain('ít hơn 5 hồ sơ');
    const big = await (await c.get(`/xa/${HOME}/chi-so-phuc-vu?ky=2026-Q3`)).text();
    expect(big).toContain('/ 100 điểm');
    expect(big).toContain('chưa có dữ liệu');
  });

  it('open data: bad input is a 400 naming the field, never a 500', async () => {
    const c = await as(null);
    const cases: [string, string][] = [
      [`/api/v1/stats/communes/${HOME}?period=2026-Q5`, 'period'],
      [`/api/v1/stats/communes/${HOME}?from=2026-09-01&to=2026-08-01`, 'to'],
      [`/api/v1/stats/communes/${HOME}?from=2015-01-01&to=2026-08-01`, 'to'],
      [`/api/v1/stats/communes/${HOME}?from=2026-13-01&to=2026-08-01`, 'from'],
      [`/api/v1/stats/communes/${HOME}`, 'period'],
      ['/api/v1/stats/communes/00000?period=2026', 'commune'],
      ['/api/v1/stats/provinces/99/communes?period=2026', 'province'],
      ['/api/v1/stats/provinces/80/communes.csv?period=x', 'period'],
    ];
    for (const [path, field] of cases) {
      const res = await c.get(path);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: { fields: Record<string, string> } };
      expect(Object.keys(body.error.fields), path).toContain(field);
    }
    const doc = (await (await c.get('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/stats/communes/{commune}/figures.csv');
    expect(Object.keys(doc.paths)).toContain('/api/v1/stats/provinces/{province}/communes');
  });

  it('exports the index report as Excel and as a PDF with Vietnamese text', async () => {
    const c = await as(ANALYST);
    const xlsx = await c.get('/can-bo/tinh/80/chi-so.xlsx?ky=2026-Q3');
    expect(xlsx.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const first = wb.worksheets[0]!;
    expect(String(first.getCell('A1').value)).toContain('Tây Ninh');
    const texts = first.getSheetValues().flat().map(String);
    expect(texts.some((t) => t.includes('chưa có dữ liệu'))).toBe(true);
    expect(wb.worksheets[1]!.rowCount).toBe(4);
    const pdf = await c.get(`/can-bo/xa/${HOME}/chi-so.pdf?ky=2026-Q3`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    expect((await c.get('/can-bo/tinh/80/chi-so.pdf?ky=2026-Q9')).status).toBe(400);
    expect((await (await as(OFFICER)).get('/can-bo/tinh/80/chi-so.xlsx')).status).toBe(403);
  });
});
