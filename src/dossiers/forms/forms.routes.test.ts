import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../../catalog/catalog.store.js';
import { loadDefaultCalendar, type HolidayCalendar } from '../../calendar/index.js';
import { seedDemo } from '../../demo/seed.js';
import type { DbHandle } from '../../platform/db.js';
import type { App } from '../../platform/routes.js';
import { SESSION_COOKIE, createSession } from '../../platform/session.js';
import { Client, testApp } from '../../testing/app.js';
import { catalogSlice } from '../../testing/catalog.js';
import { openTestDb } from '../../testing/db.js';
import { bookPeriod } from '../forms.routes.js';
import { FULL_FLOW, TestClock, drive, officer, type Driven } from './testing.js';

const HOME = '25459';
const OTHER = '25480';
const LOGINS = {
  officer: 'tiepnhan.tanninh@demo.xaso.vn',
  specialist: 'chuyenvien.tanninh@demo.xaso.vn',
  leader: 'lanhdao.tanninh@demo.xaso.vn',
  team: 'totcns.tanninh@demo.xaso.vn',
  otherOfficer: 'tiepnhan.binhminh@demo.xaso.vn',
  analyst: 'phantich.tayninh@demo.xaso.vn',
  lan: '0912000001',
  hung: '0912000002',
} as const;

async function pdfText(buf: ArrayBuffer): Promise<string> {
  const p = new PDFParse({ data: new Uint8Array(buf) });
  try {
    return (await p.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await p.destroy();
  }
}

describe('form downloads: who may, what they get, what is logged', () => {
  let h: DbHandle;
  let app: App;
  let calendar: HolidayCalendar;
  let full: Driven;
  let pending: Driven;
  let refused: Driven;
  const ids = new Map<string, string>();
  const clock = new TestClock(new Date('2026-03-09T09:00:00+07:00'));
  let ip = 0;

  async function as(who: keyof typeof LOGINS | null): Promise<Client> {
    const c = new Client(app, `10.77.0.${++ip}`);
    if (who) c.cookies.set(SESSION_COOKIE, (await createSession(h.db, ids.get(LOGINS[who])!, { ip: null, userAgent: 'test' })).token);
    return c;
  }
  const audits = async (action: string, subject: string) =>
    h.db.selectFrom('audit_log').select(['actor_label', 'pd_read', 'detail', 'unit_code']).where('action', '=', action).where('subject_id', '=', subject).orderBy('seq').execute();

  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    calendar = await loadDefaultCalendar();
    await importCatalog(h.db, await catalogSlice(['1.001193'], 0), { source: 'test' });
    app = testApp(h, { baseUrl: 'https://xaso.example.vn' });
    for (const u of await h.db.selectFrom('app_user').select(['id', 'email', 'phone']).execute()) ids.set((u.email ?? u.phone)!, u.id);
    const deps = { db: h.db, calendar, clock };
    full = await drive(deps, { at: '2026-03-09T09:00:00+07:00', key: 'r-full', applicantId: ids.get(LOGINS.lan)! }, FULL_FLOW);
    pending = await drive(deps, { at: '2026-03-11T09:00:00+07:00', key: 'r-pending', applicantId: ids.get(LOGINS.lan)! }, []);
    refused = await drive(deps, { at: '2026-03-12T09:00:00+07:00', key: 'r-refused', applicantId: ids.get(LOGINS.lan)! }, [
      ['2026-03-12T09:30:00+07:00', officer, 'refuse', { note: 'Trẻ đã được đăng ký khai sinh tại UBND xã khác' }],
    ]);
  });
  afterAll(() => h.close());

  const formUrl = (commune: string, id: string, form: string, q = '') => `/can-bo/xa/${commune}/ho-so/${id}/mau/${form}${q}`;

  it('lets an official of the commune print every form, with a file name and one audit entry per download', async () => {
    const c = await as('officer');
    for (const form of ['01', '02', '04', '06']) {
      const before = (await audits('dossier.form_download', full.dossier.id)).length;
      const res = await c.get(formUrl(HOME, full.dossier.id, form));
      expect(res.status, form).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`inline; filename="mau-${form}-${full.dossier.code}.pdf"`);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      const text = await pdfText(await res.arrayBuffer());
      expect(text).toContain(full.dossier.code);
      expect(text).toContain(`Mẫu số ${form}`);
      const after = await audits('dossier.form_download', full.dossier.id);
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toMatchObject({ unit_code: HOME, detail: { form, code: full.dossier.code } });
      expect(after.at(-1)!.pd_read).toContain('applicant_name');
      expect(after.at(-1)!.actor_label).toContain('Cán bộ tiếp nhận Phường Tân Ninh');
    }
    const receipt = await pdfText(await (await c.get(formUrl(HOME, full.dossier.id, '01'))).arrayBuffer());
    expect(receipt).toContain(`https://xaso.example.vn/tra-cuu?ma=${full.dossier.code}`);
  });

  it('prints an earlier 02 with ?lan=<event seq>; a form the dossier never had, or a bad one, is 404', async () => {
    const c = await as('specialist');
    const first = await c.get(formUrl(HOME, full.dossier.id, '02', `?lan=${full.seqs[1]}`));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(`inline; filename="mau-02-${full.dossier.code}-lan-${full.seqs[1]}.pdf"`);
    expect(await pdfText(await first.arrayBuffer())).toContain('Giấy chứng sinh (bản chính)');
    expect((await audits('dossier.form_download', full.dossier.id)).at(-1)).toMatchObject({ detail: { form: '02', eventSeq: full.seqs[1] } });
    for (const url of [
      formUrl(HOME, full.dossier.id, '02', `?lan=${full.seqs[2]}`), // a resubmission, not a request
      formUrl(HOME, full.dossier.id, '02', '?lan=abc'),
      formUrl(HOME, full.dossier.id, '03'), // never refused
      formUrl(HOME, full.dossier.id, '05'),
      formUrl(HOME, full.dossier.id, '07'),
      formUrl(HOME, full.dossier.id, '1'),
      formUrl(HOME, pending.dossier.id, '01'), // not received yet
      formUrl(HOME, 'x0', '01'),
      formUrl(HOME, '00000000-0000-0000-0000-000000000000', '01'),
    ]) {
      expect((await c.get(url)).status, url).toBe(404);
    }
    const waiting = await c.get(formUrl(HOME, pending.dossier.id, '01'));
    expect(await waiting.text()).toContain('chưa được tiếp nhận');
  });

  it('hides the dossier from another commune, refuses roles without the permission, asks strangers to sign in', async () => {
    const other = await as('otherOfficer');
    expect((await other.get(formUrl(OTHER, full.dossier.id, '01'))).status).toBe(404);
    expect((await other.get(formUrl(HOME, full.dossier.id, '01'))).status).toBe(404);
    expect((await (await as('team')).get(formUrl(HOME, full.dossier.id, '01'))).status).toBe(403);
    expect((await (await as('lan')).get(formUrl(HOME, full.dossier.id, '01'))).status).toBe(403);
    const anon = await (await as(null)).get(formUrl(HOME, full.dossier.id, '01'));
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/dang-nhap\?next=/);
    expect((await (await as('leader')).get(formUrl(HOME, full.dossier.id, '06'))).status).toBe(200);
  });

  it("gives a citizen their own receipt, and nobody else's", async () => {
    const url = `/ho-so/${full.dossier.id}/bien-nhan.pdf`;
    const res = await (await as('lan')).get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="bien-nhan-${full.dossier.code}.pdf"`);
    const text = await pdfText(await res.arrayBuffer());
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain('Nguyễn Thị Lan');
    const logged = await audits('dossier.receipt_download', full.dossier.id);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.pd_read).toEqual(['applicant_name', 'applicant_address', 'applicant_phone', 'applicant_email']);

    expect((await (await as('hung')).get(url)).status).toBe(404);
    // Not received yet: the receipt of submission, which sets no appointment and is not form 01.
    const lan = await as('lan');
    const early = await lan.get(`/ho-so/${pending.dossier.id}/bien-nhan.pdf`);
    expect(early.status).toBe(200);
    expect(early.headers.get('content-type')).toBe('application/pdf');
    expect(early.headers.get('content-disposition')).toBe(`inline; filename="bien-nhan-${pending.dossier.code}.pdf"`);
    const earlyText = await pdfText(await early.arrayBuffer());
    expect(earlyText).toContain('GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN');
    expect(earlyText).toContain(`Mã hồ sơ: ${pending.dossier.code}`);
    expect(earlyText).toContain('Ngày hẹn trả kết quả: sẽ ghi khi cán bộ tiếp nhận hồ sơ');
    expect(earlyText).toContain(`https://xaso.example.vn/tra-cuu?ma=${pending.dossier.code}`);
    expect(earlyText).not.toContain('Mẫu số');
    expect(await audits('dossier.receipt_download', pending.dossier.id)).toMatchObject([{ detail: { form: 'submission', own: true, code: pending.dossier.code } }]);
    // Refused before reception: no receipt of any kind, and the page says why.
    const none = await lan.get(`/ho-so/${refused.dossier.id}/bien-nhan.pdf`);
    expect(none.status).toBe(404);
    expect(await none.text()).toContain('không được tiếp nhận');
    expect(await audits('dossier.receipt_download', refused.dossier.id)).toHaveLength(0);
    // The citizen's dossier page offers the link only where a receipt exists.
    expect(await (await lan.get(`/ho-so/${pending.dossier.id}`)).text()).toContain(`href="/ho-so/${pending.dossier.id}/bien-nhan.pdf"`);
    expect(await (await lan.get(`/ho-so/${refused.dossier.id}`)).text()).not.toContain('bien-nhan.pdf');
    expect((await (await as('lan')).get('/ho-so/x0/bien-nhan.pdf')).status).toBe(404);
    expect((await (await as('officer')).get(url)).status).toBe(403);
    const anon = await (await as(null)).get(url);
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe(`/dang-nhap?next=${encodeURIComponent(url)}`);
    expect(await audits('dossier.receipt_download', full.dossier.id)).toHaveLength(1);
  });

  it('exports the tracking book as Excel and PDF for a period, to those who keep it', async () => {
    const q = '?tu=2026-03-01&den=2026-03-31';
    const officer = await as('officer');
    const xlsx = await officer.get(`/can-bo/xa/${HOME}/so-theo-doi.xlsx${q}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="so-theo-doi-25459-2026-03-01-2026-03-31.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(6).getCell(3).value).toBe(full.dossier.code);
    expect(ws.getRow(6).getCell(4).value).toBe('Nguyễn Thị Lan');
    expect(ws.getRow(7).getCell(3).value).toBeNull(); // the pending dossier was never received
    const logged = await audits('dossier.tracking_book_export', HOME);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ pd_read: ['applicant_name'], detail: { format: 'xlsx', from: '2026-03-01', to: '2026-03-31', dossiers: 1 } });

    const pdf = await (await as('analyst')).get(`/can-bo/xa/${HOME}/so-theo-doi.pdf${q}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(await pdfText(await pdf.arrayBuffer())).toContain(full.dossier.code);

    expect((await officer.get(`/can-bo/xa/${HOME}/so-theo-doi.xlsx`)).status).toBe(200); // this month by default
    expect((await officer.get(`/can-bo/xa/${HOME}/so-theo-doi.xlsx?tu=2026-02-30`)).status).toBe(400);
    expect((await officer.get(`/can-bo/xa/${HOME}/so-theo-doi.pdf?tu=2026-03-31&den=2026-03-01`)).status).toBe(400);
    expect((await (await as('specialist')).get(`/can-bo/xa/${HOME}/so-theo-doi.xlsx${q}`)).status).toBe(403);
    expect((await (await as('otherOfficer')).get(`/can-bo/xa/${HOME}/so-theo-doi.xlsx${q}`)).status).toBe(404);
    expect((await (await as(null)).get(`/can-bo/xa/${HOME}/so-theo-doi.xlsx${q}`)).status).toBe(303);
  });

  it('reads the period: default this month, inclusive, at most a year', () => {
    expect(bookPeriod({}, '2026-02-17')).toEqual({ ok: true, from: '2026-02-01', to: '2026-02-28' });
    expect(bookPeriod({ tu: '2026-03-05' }, '2026-02-17')).toEqual({ ok: true, from: '2026-03-05', to: '2026-03-31' });
    expect(bookPeriod({ tu: '2026-01-01', den: '2026-12-31' }, '2026-02-17')).toMatchObject({ ok: true });
    expect(bookPeriod({ tu: '2026-01-01', den: '2027-01-02' }, '2026-02-17')).toMatchObject({ ok: false });
    expect(bookPeriod({ tu: '2026-02-29' }, '2026-02-17')).toMatchObject({ ok: false });
  });
});
