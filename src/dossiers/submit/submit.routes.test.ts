import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingCalendar } from '../../calendar/shared.js';
import { act } from '../dossiers.service.js';
import type { Client } from '../../testing/app.js';
import { STATUS } from '../workflow.js';
import { tinyPdf, tinyPng } from './test-files.js';
import {
  anonymous,
  BIRTH,
  CITIZEN,
  CITIZEN_2,
  draftIdOf,
  HOME,
  location,
  OFFICER,
  OFFLINE,
  openWorld,
  OTHER,
  OTHER_OFFICER,
  postFile,
  signedIn,
  SINGLE_CASE,
  SPECIALIST,
  submitOnline,
  TEAM_MEMBER,
  userId,
  type World,
} from './test-setup.js';

/** A PDF the app answered, as one line of text (after checking it is one). */
async function pdfAt(c: Client, href: string): Promise<string> {
  const res = await c.get(href);
  expect(res.status, href).toBe(200);
  expect(res.headers.get('content-type'), href).toBe('application/pdf');
  const p = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
  try {
    return (await p.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await p.destroy();
  }
}

/** The href of the link whose text is `text`. */
function hrefOf(html: string, text: string): string | null {
  const m = new RegExp(`<a href="([^"]+)">${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</a>`).exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
}

describe('online submission by a citizen', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld();
  });
  afterAll(() => w.close());

  it('goes through every page, one question each, and ends with the code, the due-date note, the receipt and the tracking link', async () => {
    const c = await signedIn(w.app, CITIZEN);
    const startPage = await c.get(`/nop-ho-so/${BIRTH}`);
    expect(startPage.status).toBe(200);
    expect(await startPage.text()).toContain('Bắt đầu');

    const start = await c.post(`/nop-ho-so/${BIRTH}`, {});
    expect(start.status).toBe(303);
    const id = draftIdOf(location(start));
    const base = `/nop-ho-so/ban-nhap/${id}`;
    expect(location(start)).toBe(`${base}/nguoi-nop`);

    // (a) applicant, prefilled from the account
    const applicant = await (await c.get(`${base}/nguoi-nop`)).text();
    expect(applicant).toContain('value="Nguyễn Thị Lan"');
    expect(applicant).toContain(`value="${CITIZEN}"`);
    expect(applicant).toContain('Bước 1 trên');
    const empty = await c.post(`${base}/nguoi-nop`, { full_name: '', phone: '12', email: 'x', address: '' });
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('class="error-summary"');
    for (const f of ['full_name', 'phone', 'email', 'address']) expect(emptyHtml).toContain(`href="#f-${f}"`);
    let r = await c.post(`${base}/nguoi-nop`, { full_name: 'Nguyễn Thị Lan', phone: '0912 000 001', email: '', address: 'Số 12, khu phố 3, phường Tân Ninh' });
    expect(r.status).toBe(303);
    expect(location(r)).toBe(`${base}/noi-nop`);

    // receiving commune: the home commune preselected, any commune of the province accepted
    const communePage = await (await c.get(`${base}/noi-nop`)).text();
    expect(communePage).toContain(`<option value="${HOME}" selected="">`);
    expect((await c.post(`${base}/noi-nop`, { commune: '01001' })).status).toBe(400);
    r = await c.post(`${base}/noi-nop`, { commune: HOME });
    expect(location(r)).toBe(`${base}/truong-hop`);

    // (b) the case: cases of notes only ("Lưu ý") are not offered
    const casePage = await (await c.get(`${base}/truong-hop`)).text();
    expect(casePage).toContain('Giấy tờ phải nộp');
    expect(casePage).not.toContain('>Lưu ý');
    expect((await c.post(`${base}/truong-hop`, { case_no: '2' })).status).toBe(400);
    r = await c.post(`${base}/truong-hop`, { case_no: '0' });
    expect(location(r)).toBe(`${base}/giay-to/0`);

    // (c) one page per paper; notes are guidance, not slots
    const paper0 = await (await c.get(`${base}/giay-to/0`)).text();
    expect(paper0).toContain('Giấy tờ 1 trên 4');
    expect(paper0).toContain('Lưu ý của thủ tục');
    expect(paper0).toContain('enctype="multipart/form-data"');
    const nothing = await postFile(c, `${base}/giay-to/0`, null);
    expect(nothing.status).toBe(400);
    expect(await nothing.text()).toContain('Bỏ qua');
    r = await postFile(c, `${base}/giay-to/0`, { name: 'bien-ban.pdf', bytes: tinyPdf(), type: 'application/pdf' });
    expect(location(r)).toBe(`${base}/giay-to/1`);
    // Saved at once: the draft holds it before the next page is even asked for.
    const saved = await w.h.db.selectFrom('dossier_draft').select('files').where('id', '=', id).executeTakeFirstOrThrow();
    expect(Object.keys(saved.files)).toEqual(['0.0']);
    // Shown back, and replaceable.
    const again = await (await c.get(`${base}/giay-to/0`)).text();
    expect(again).toContain('Đã tải lên: <strong>bien-ban.pdf</strong>');
    r = await postFile(c, `${base}/giay-to/0`, { name: 'bien-ban-moi.pdf', bytes: tinyPdf('moi'), type: 'application/pdf' });
    expect(r.status).toBe(303);
    r = await postFile(c, `${base}/giay-to/3`, { name: 'chung-sinh.png', bytes: await tinyPng(), type: 'image/png' });
    expect(location(r)).toBe(`${base}/xem-lai`);

    // (d) review
    const review = await (await c.get(`${base}/xem-lai`)).text();
    expect(review).toContain('bien-ban-moi.pdf');
    expect(review).not.toContain('bien-ban.pdf');
    expect(review).toContain('chung-sinh.png');
    expect(review).toContain('Chưa tải lên');
    expect(review).toContain(`${base}/cam-doan`);

    // (e) declaration: the tick is required
    const unticked = await c.post(`${base}/cam-doan`, { idempotency_key: id });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain('href="#f-cam_doan"');
    r = await c.post(`${base}/cam-doan`, { cam_doan: 'yes', idempotency_key: id });
    expect(r.status).toBe(303);
    expect(location(r)).toBe(`${base}/da-nop`);

    const done = await (await c.get(`${base}/da-nop`)).text();
    const d = await w.h.db.selectFrom('dossier').selectAll().where('idempotency_key', '=', id).executeTakeFirstOrThrow();
    expect(done).toContain(d.code);
    expect(done).toContain('Ngày hẹn trả sẽ có khi cán bộ tiếp nhận hồ sơ');
    expect(done).toContain(`/tra-cuu?ma=${d.code}`);
    // The receipt answers right away, before any officer has seen the dossier: a receipt of submission, not form 01.
    const receiptHref = hrefOf(done, 'Tải giấy biên nhận (PDF)');
    expect(receiptHref).toBe(`/ho-so/${d.id}/bien-nhan.pdf`);
    const receipt = await pdfAt(c, receiptHref!);
    expect(receipt).toContain('GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN');
    expect(receipt).toContain(`Mã hồ sơ: ${d.code}`);
    expect(receipt).toContain('Ngày hẹn trả kết quả: sẽ ghi khi cán bộ tiếp nhận hồ sơ (hồ sơ đủ giấy tờ)');
    expect(receipt.match(/01 tệp/g)).toHaveLength(2); // the two papers uploaded
    expect(receipt).not.toContain('Mẫu số 01');
    // The same link on the citizen's dossier page.
    const own = await (await c.get(`/ho-so/${d.id}`)).text();
    expect(hrefOf(own, 'Tải giấy biên nhận (PDF)')).toBe(receiptHref);
    expect(own).toContain('Giấy hẹn trả kết quả có khi cán bộ tiếp nhận hồ sơ');
    expect(await pdfAt(c, receiptHref!)).toContain(d.code);
    expect(d).toMatchObject({ channel: 'online', commune_code: HOME, status: STATUS.submitted, applicant_id: await userId(w.h, CITIZEN), applicant_address: 'Số 12, khu phố 3, phường Tân Ninh', case_no: 0, assisted_by: null });
    const files = await w.h.db.selectFrom('dossier_file').select(['paper_no', 'file_name']).where('dossier_id', '=', d.id).orderBy('paper_no').execute();
    expect(files).toEqual([
      { paper_no: 0, file_name: 'bien-ban-moi.pdf' },
      { paper_no: 3, file_name: 'chung-sinh.png' },
    ]);
    // A submitted draft only shows its result.
    expect(location(await c.get(`${base}/nguoi-nop`))).toBe(`${base}/da-nop`);
    expect((await w.h.db.selectFrom('outbox').select('body').where('recipient', '=', CITIZEN).execute()).some((m) => m.body.includes(d.code))).toBe(true);
  });

  it('one draft makes one dossier: the same form sent twice at once, and again later', async () => {
    const c = await signedIn(w.app, CITIZEN_2);
    const first = await submitOnline(w, c);
    const base = `/nop-ho-so/ban-nhap/${first.draftId}`;
    // A resend after the dossier exists: the result again, not a second dossier.
    const resend = await c.post(`${base}/cam-doan`, { cam_doan: 'yes', idempotency_key: first.draftId });
    expect(location(resend)).toBe(`${base}/da-nop`);

    // Two taps in flight together, before either has finished.
    const start = await c.post(`/nop-ho-so/${SINGLE_CASE}`, {});
    const id = draftIdOf(location(start));
    const b2 = `/nop-ho-so/ban-nhap/${id}`;
    await c.post(`${b2}/nguoi-nop`, { full_name: 'Trần Văn Hùng', phone: CITIZEN_2, address: 'Ấp 2, xã Tân Biên' });
    await c.post(`${b2}/noi-nop`, { commune: HOME });
    await postFile(c, `${b2}/giay-to/0`, { name: 'a.pdf', bytes: tinyPdf('a'), type: 'application/pdf' });
    const token = await c.csrf();
    const [a, b] = await Promise.all([c.post(`${b2}/cam-doan`, { cam_doan: 'yes', idempotency_key: id }, { csrf: token }), c.post(`${b2}/cam-doan`, { cam_doan: 'yes', idempotency_key: id }, { csrf: token })]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const rows = await w.h.db.selectFrom('dossier').select('id').where('idempotency_key', '=', id).execute();
    expect(rows).toHaveLength(1);
    const draft = await w.h.db.selectFrom('dossier_draft').select('submitted_dossier').where('id', '=', id).executeTakeFirstOrThrow();
    expect(draft.submitted_dossier).toBe(rows[0]!.id);
  });

  it('refuses a key that is not the draft’s own (a forged key cannot fetch another dossier)', async () => {
    const c = await signedIn(w.app, CITIZEN);
    const other = await submitOnline(w, await signedIn(w.app, CITIZEN_2));
    const start = await c.post(`/nop-ho-so/${SINGLE_CASE}`, {});
    const id = draftIdOf(location(start));
    const base = `/nop-ho-so/ban-nhap/${id}`;
    await c.post(`${base}/nguoi-nop`, { full_name: 'Nguyễn Thị Lan', phone: CITIZEN, address: 'Khu phố 1' });
    await c.post(`${base}/noi-nop`, { commune: HOME });
    await postFile(c, `${base}/giay-to/1`, { name: 'b.pdf', bytes: tinyPdf('b'), type: 'application/pdf' });
    const forged = await c.post(`${base}/cam-doan`, { cam_doan: 'yes', idempotency_key: other.draftId });
    expect(forged.status).toBe(400);
    expect(await forged.text()).not.toContain(other.code);
  });

  it('skips the case page when the procedure has one case, and asks for at least one paper', async () => {
    const c = await signedIn(w.app, CITIZEN);
    const id = draftIdOf(location(await c.post(`/nop-ho-so/${SINGLE_CASE}`, {})));
    const base = `/nop-ho-so/ban-nhap/${id}`;
    await c.post(`${base}/nguoi-nop`, { full_name: 'Nguyễn Thị Lan', phone: CITIZEN, address: 'Khu phố 1' });
    const r = await c.post(`${base}/noi-nop`, { commune: OTHER });
    expect(location(r)).toBe(`${base}/giay-to/0`);
    expect(location(await c.get(`${base}/truong-hop`))).toBe(`${base}/tiep-tuc`);
    const noPapers = await c.post(`${base}/cam-doan`, { cam_doan: 'yes', idempotency_key: id });
    expect(noPapers.status).toBe(400);
    expect(await noPapers.text()).toContain(`href="${base}/giay-to/0"`);
    // Resuming a draft goes to the first unanswered page.
    expect(location(await c.get(`${base}/tiep-tuc`))).toBe(`${base}/giay-to/0`);
    await postFile(c, `${base}/giay-to/0`, { name: 'x.pdf', bytes: tinyPdf('x'), type: 'application/pdf' });
    expect(location(await c.post(`${base}/cam-doan`, { cam_doan: 'yes', idempotency_key: id }))).toBe(`${base}/da-nop`);
    const d = await w.h.db.selectFrom('dossier').select(['commune_code', 'deciding_unit']).where('idempotency_key', '=', id).executeTakeFirstOrThrow();
    expect(d.commune_code).toBe(OTHER);
  });

  it('does not start an online draft for a procedure that is not offered online', async () => {
    const c = await signedIn(w.app, CITIZEN);
    const page = await c.get(`/nop-ho-so/${OFFLINE}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('chưa nhận hồ sơ trực tuyến');
    const before = await w.h.db.selectFrom('dossier_draft').select('id').execute();
    expect((await c.post(`/nop-ho-so/${OFFLINE}`, {})).status).toBe(200);
    expect(await w.h.db.selectFrom('dossier_draft').select('id').execute()).toHaveLength(before.length);
    expect((await c.get('/nop-ho-so/9.999999')).status).toBe(404);
  });

  describe('who may touch a draft', () => {
    let id: string;
    let base: string;
    beforeAll(async () => {
      const owner = await signedIn(w.app, CITIZEN);
      id = draftIdOf(location(await owner.post(`/nop-ho-so/${BIRTH}`, {})));
      base = `/nop-ho-so/ban-nhap/${id}`;
    });

    it('another citizen gets 404 on every page and every form of someone else’s draft, and changes nothing', async () => {
      const other = await signedIn(w.app, CITIZEN_2);
      for (const step of ['nguoi-nop', 'noi-nop', 'truong-hop', 'giay-to/0', 'xem-lai', 'cam-doan', 'da-nop', 'tiep-tuc']) expect((await other.get(`${base}/${step}`)).status, step).toBe(404);
      const before = await w.h.db.selectFrom('dossier_draft').select(['data', 'files', 'commune_code']).where('id', '=', id).executeTakeFirstOrThrow();
      expect((await other.post(`${base}/nguoi-nop`, { full_name: 'Kẻ Gian', phone: CITIZEN_2, address: 'Nơi khác' })).status).toBe(404);
      expect((await other.post(`${base}/noi-nop`, { commune: OTHER })).status).toBe(404);
      expect((await other.post(`${base}/truong-hop`, { case_no: '0' })).status).toBe(404);
      expect((await postFile(other, `${base}/giay-to/0`, { name: 'x.pdf', bytes: tinyPdf(), type: 'application/pdf' })).status).toBe(404);
      expect((await other.post(`${base}/giay-to/0/xoa`, {})).status).toBe(404);
      expect((await other.post(`${base}/cam-doan`, { cam_doan: 'yes', idempotency_key: id })).status).toBe(404);
      expect((await other.post(`${base}/xoa`, {})).status).toBe(404);
      const after = await w.h.db.selectFrom('dossier_draft').select(['data', 'files', 'commune_code']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(after).toEqual(before);
      expect((await other.get('/ho-so-cua-toi').then((r) => r.text())).includes(id)).toBe(false);
    });

    it('anonymous visitors are sent to sign in, and come back after', async () => {
      const anon = anonymous(w.app);
      for (const path of [`/nop-ho-so/${BIRTH}`, `${base}/nguoi-nop`]) {
        const r = await anon.get(path);
        expect(r.status).toBe(303);
        expect(location(r)).toBe(`/dang-nhap?next=${encodeURIComponent(path)}`);
      }
      const r = await anon.post(`${base}/nguoi-nop`, { full_name: 'X', phone: CITIZEN, address: 'Y' });
      expect(location(r)).toMatch(/^\/dang-nhap\?next=/);
    });

    it('staff use the assisted flow, not the citizen one', async () => {
      const officer = await signedIn(w.app, OFFICER);
      expect((await officer.get(`/nop-ho-so/${BIRTH}`)).status).toBe(403);
      expect((await officer.post(`${base}/nguoi-nop`, { full_name: 'X' })).status).toBe(403);
    });

    it('the owner may delete a draft', async () => {
      const owner = await signedIn(w.app, CITIZEN);
      const doomed = draftIdOf(location(await owner.post(`/nop-ho-so/${BIRTH}`, {})));
      const r = await owner.post(`/nop-ho-so/ban-nhap/${doomed}/xoa`, {});
      expect(location(r)).toBe('/ho-so-cua-toi?da=xoa-ban-nhap');
      expect(await w.h.db.selectFrom('dossier_draft').select('id').where('id', '=', doomed).executeTakeFirst()).toBeUndefined();
    });
  });

  it('a status change queues one notice to a phone-only applicant (outbox)', async () => {
    const c = await signedIn(w.app, CITIZEN);
    const { dossierId } = await submitOnline(w, c);
    const count = async () => (await w.h.db.selectFrom('outbox').select('id').where('dedupe_key', 'like', `dossier:${dossierId}:%`).execute()).length;
    expect(await count()).toBe(1);
    const d = await w.h.db.selectFrom('dossier').select(['commune_code', 'version']).where('id', '=', dossierId).executeTakeFirstOrThrow();
    const r = await act(
      { db: w.h.db, calendar: await workingCalendar(), clock: w.clock },
      { communeCode: d.commune_code, dossierId, action: 'accept', expectedVersion: d.version, actor: { id: null, label: 'Cán bộ', roles: ['receiving_officer'] }, ip: null },
    );
    expect(r.ok).toBe(true);
    expect(await count()).toBe(2);
  });
});

describe('assisted submission at the counter and in the field', () => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld();
  });
  afterAll(() => w.close());

  async function assisted(login: string, citizen: { name: string; phone: string }) {
    const c = await signedIn(w.app, login);
    const startPage = await c.get('/can-bo/nop-thay');
    expect(startPage.status).toBe(200);
    const r = await c.post('/can-bo/nop-thay', { procedure_code: BIRTH });
    expect(r.status).toBe(303);
    const id = draftIdOf(location(r));
    const base = `/can-bo/nop-thay/ban-nhap/${id}`;
    expect(location(r)).toBe(`${base}/nguoi-nop`);
    // No commune page: the official's own commune.
    expect(location(await c.post(`${base}/nguoi-nop`, { full_name: citizen.name, phone: citizen.phone, email: '', address: '' }))).toBe(`${base}/truong-hop`);
    expect(location(await c.post(`${base}/truong-hop`, { case_no: '0' }))).toBe(`${base}/giay-to/0`);
    expect((await postFile(c, `${base}/giay-to/0`, { name: 'scan.pdf', bytes: tinyPdf('scan'), type: 'application/pdf' })).status).toBe(303);
    return { c, id, base };
  }

  it('a receiving officer submits for a citizen with an account, after recording consent; the citizen sees it in their list', async () => {
    const { c, id, base } = await assisted(OFFICER, { name: 'Nguyễn Thị Lan', phone: CITIZEN });
    const review = await (await c.get(`${base}/xem-lai`)).text();
    expect(review).toContain('Hồ sơ sẽ hiện trong tài khoản này');
    const consentPage = await (await c.get(`${base}/dong-y`)).text();
    expect(consentPage).toContain('Cán bộ tiếp nhận Phường Tân Ninh');
    expect(consentPage).toContain('Tại bộ phận một cửa');
    const noConsent = await c.post(`${base}/dong-y`, { idempotency_key: id });
    expect(noConsent.status).toBe(400);
    expect(await noConsent.text()).toContain('href="#f-dong_y"');
    const r = await c.post(`${base}/dong-y`, { dong_y: 'yes', idempotency_key: id });
    expect(location(r)).toBe(`${base}/da-nop`);
    const done = await (await c.get(`${base}/da-nop`)).text();
    const d = await w.h.db.selectFrom('dossier').selectAll().where('idempotency_key', '=', id).executeTakeFirstOrThrow();
    expect(done).toContain(d.code);
    // The official prints the receipt for the citizen through their own draft (the citizen's route is the citizen's):
    // it answers at once, as a receipt of submission, since nobody has received the dossier yet.
    const receiptHref = hrefOf(done, 'In giấy biên nhận cho người dân (PDF)');
    expect(receiptHref).toBe(`${base}/bien-nhan.pdf`);
    const early = await pdfAt(c, receiptHref!);
    expect(early).toContain('GIẤY BIÊN NHẬN HỒ SƠ ĐÃ NỘP');
    expect(early).toContain(`Mã hồ sơ: ${d.code}`);
    expect(early).toContain('cán bộ nộp thay người dân (Cán bộ tiếp nhận Phường Tân Ninh)');
    expect(early).toContain('Ngày hẹn trả kết quả: sẽ ghi khi cán bộ tiếp nhận hồ sơ');
    expect(early).toContain('CÁN BỘ NỘP THAY');
    expect(early).not.toContain('Mẫu số 01');
    expect(done).not.toContain('/mau/01');
    expect(done).not.toContain(`/ho-so/${d.id}/bien-nhan.pdf`);
    // The next step at the counter: receive it, which is what issues form 01.
    expect(hrefOf(done, 'Mở hồ sơ trong khu làm việc của cán bộ')).toBe(`/can-bo/xa/${HOME}/ho-so/${d.id}`);
    expect(done).toContain('Kiểm tra giấy tờ rồi bấm “Tiếp nhận hồ sơ”');
    const accepted = await act(
      { db: w.h.db, calendar: await workingCalendar(), clock: w.clock },
      { communeCode: HOME, dossierId: d.id, action: 'accept', expectedVersion: d.version, actor: { id: await userId(w.h, OFFICER), label: 'Cán bộ tiếp nhận Phường Tân Ninh', roles: ['receiving_officer'] }, ip: null },
    );
    expect(accepted.ok).toBe(true);
    const received = await pdfAt(c, receiptHref!);
    expect(received).toContain('Mẫu số 01');
    expect(received).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(received).toContain(d.code);
    expect(await (await c.get(`${base}/da-nop`)).text()).toContain('Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01).');
    const logged = await w.h.db.selectFrom('audit_log').select('detail').where('subject_id', '=', d.id).where('action', '=', 'dossier.receipt_download').orderBy('seq').execute();
    expect(logged.map((l) => l.detail)).toMatchObject([
      { form: 'submission', assisted: true },
      { form: '01', assisted: true },
    ]);
    expect(d).toMatchObject({ channel: 'counter', commune_code: HOME, assisted_by: await userId(w.h, OFFICER), applicant_id: await userId(w.h, CITIZEN), applicant_phone: CITIZEN });
    expect(d.consent_at).not.toBeNull();
    const audit = await w.h.db.selectFrom('audit_log').select(['action', 'detail']).where('subject_id', '=', d.id).where('action', '=', 'dossier.submit_assisted').executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ consent: true, channel: 'counter' });
    const citizen = await signedIn(w.app, CITIZEN);
    expect(await (await citizen.get('/ho-so-cua-toi')).text()).toContain(d.code);
  });

  it('a community team member submits in the field, for someone without an account', async () => {
    const { c, id, base } = await assisted(TEAM_MEMBER, { name: 'Đinh Văn Tư', phone: '' });
    expect(await (await c.get(`${base}/dong-y`)).text()).toContain('Tổ công nghệ số cộng đồng');
    expect(location(await c.post(`${base}/dong-y`, { dong_y: 'yes', idempotency_key: id }))).toBe(`${base}/da-nop`);
    const d = await w.h.db.selectFrom('dossier').selectAll().where('idempotency_key', '=', id).executeTakeFirstOrThrow();
    const done = await (await c.get(`${base}/da-nop`)).text();
    expect(done).toContain(d.code);
    expect(done).not.toContain('/mau/01');
    expect(d).toMatchObject({ channel: 'field', applicant_id: null, applicant_phone: null, assisted_by: await userId(w.h, TEAM_MEMBER) });
    // Someone without an account or a phone leaves with the code on paper: the team member prints the receipt.
    const receiptHref = hrefOf(done, 'In giấy biên nhận cho người dân (PDF)');
    expect(receiptHref).toBe(`${base}/bien-nhan.pdf`);
    const receipt = await pdfAt(c, receiptHref!);
    expect(receipt).toContain(`Mã hồ sơ: ${d.code}`);
    expect(receipt).toContain('với sự hỗ trợ của Tổ công nghệ số cộng đồng');
    expect(receipt).toContain('NGƯỜI HỖ TRỢ NỘP');
    expect(receipt).toContain('Đinh Văn Tư');
    // Only through one's own draft.
    expect((await (await signedIn(w.app, OFFICER)).get(receiptHref!)).status).toBe(404);
    expect((await (await signedIn(w.app, CITIZEN)).get(receiptHref!)).status).toBe(403);
    // Refused at the counter before reception: no receipt, and no link to one.
    const refusal = await act(
      { db: w.h.db, calendar: await workingCalendar(), clock: w.clock },
      { communeCode: HOME, dossierId: d.id, action: 'refuse', expectedVersion: d.version, actor: { id: null, label: 'Cán bộ', roles: ['receiving_officer'] }, note: 'Không thuộc thẩm quyền', ip: null },
    );
    expect(refusal.ok).toBe(true);
    expect((await c.get(receiptHref!)).status).toBe(404);
    expect(await (await c.get(`${base}/da-nop`)).text()).not.toContain('bien-nhan.pdf');
  });

  it('staff of another commune may not submit for this commune, nor open its drafts', async () => {
    const other = await signedIn(w.app, OTHER_OFFICER);
    const before = await w.h.db.selectFrom('dossier_draft').select('id').execute();
    const r = await other.post('/can-bo/nop-thay', { procedure_code: BIRTH, commune: HOME });
    expect(r.status).toBe(400);
    expect(await w.h.db.selectFrom('dossier_draft').select('id').execute()).toHaveLength(before.length);
    // Their own commune works, and is the one recorded.
    const own = await other.post('/can-bo/nop-thay', { procedure_code: BIRTH });
    const ownDraft = await w.h.db.selectFrom('dossier_draft').select('commune_code').where('id', '=', draftIdOf(location(own))).executeTakeFirstOrThrow();
    expect(ownDraft.commune_code).toBe(OTHER);
    const { id, base } = await assisted(OFFICER, { name: 'Lê Văn Năm', phone: '' });
    expect((await other.get(`${base}/xem-lai`)).status).toBe(404);
    expect((await other.post(`${base}/dong-y`, { dong_y: 'yes', idempotency_key: id })).status).toBe(404);
    expect(await w.h.db.selectFrom('dossier').select('id').where('idempotency_key', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('roles without the permission, and citizens, are refused', async () => {
    expect((await (await signedIn(w.app, SPECIALIST)).get('/can-bo/nop-thay')).status).toBe(403);
    expect((await (await signedIn(w.app, CITIZEN)).post('/can-bo/nop-thay', { procedure_code: BIRTH })).status).toBe(403);
    const anon = await anonymous(w.app).get('/can-bo/nop-thay');
    expect(location(anon)).toBe('/dang-nhap?next=%2Fcan-bo%2Fnop-thay');
  });

  it('an unknown procedure code is a field error', async () => {
    const c = await signedIn(w.app, OFFICER);
    const r = await c.post('/can-bo/nop-thay', { procedure_code: '9.999' });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('href="#f-procedure_code"');
  });
});
