import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingCalendar } from '../../calendar/shared.js';
import type { Client } from '../../testing/app.js';
import { act, type DossierActor } from '../dossiers.service.js';
import { STATUS, type ActionName } from '../workflow.js';
import { tinyPdf, tinyPng } from '../submit/test-files.js';
import { anonymous, CITIZEN, CITIZEN_2, location, OFFICER, openWorld, postFile, signedIn, submitOnline, type World } from '../submit/test-setup.js';
import { NOT_FOUND_MESSAGE } from './tracking.routes.js';

const officer: DossierActor = { id: null, label: 'Nguyễn Văn Cán Bộ (receiving_officer@25459)', roles: ['receiving_officer'] };
const specialist: DossierActor = { id: null, label: 'Chuyên viên Ẩn Danh', roles: ['specialist'] };
const leader: DossierActor = { id: null, label: 'Lãnh đạo', roles: ['commune_leader'] };

describe('tracking and the citizen’s own dossiers', () => {
  let w: World;
  let lan: Client;
  let dossier: { draftId: string; dossierId: string; code: string };

  async function step(action: ActionName, actor: DossierActor, note?: string) {
    const d = await w.h.db.selectFrom('dossier').select(['commune_code', 'version']).where('id', '=', dossier.dossierId).executeTakeFirstOrThrow();
    const r = await act(
      { db: w.h.db, calendar: await workingCalendar(), clock: w.clock },
      { communeCode: d.commune_code, dossierId: dossier.dossierId, action, expectedVersion: d.version, actor, ip: null, ...(note ? { note } : {}) },
    );
    if (!r.ok) throw new Error(`${action}: ${r.message}`);
    return r.dossier;
  }

  beforeAll(async () => {
    w = await openWorld();
    lan = await signedIn(w.app, CITIZEN);
    dossier = await submitOnline(w, lan, { address: 'Số 9, đường Bí Mật' });
  });
  afterAll(() => w.close());

  describe('the public look-up /tra-cuu', () => {
    it('shows the form; the QR link prefills the code', async () => {
      const r = await anonymous(w.app).get('/tra-cuu');
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('4 số cuối của số điện thoại');
      const qr = await (await anonymous(w.app).get(`/tra-cuu?ma=${dossier.code}`)).text();
      expect(qr).toContain(`value="${dossier.code}"`);
      expect(qr).not.toContain('error-summary');
    });

    it('with the right code and digits: status, due-date note and timeline in plain Vietnamese, nothing personal, no staff names', async () => {
      await step('accept', officer);
      const r = await anonymous(w.app).get(`/tra-cuu?ma=${dossier.code}&so=${CITIZEN.slice(-4)}`);
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toContain(`Hồ sơ ${dossier.code}`);
      expect(html).toContain('Đã tiếp nhận');
      expect(html).toContain('Đã nộp hồ sơ trực tuyến');
      expect(html).toContain('Hẹn trả kết quả:');
      expect(html).toContain('Bộ phận một cửa');
      expect(html).not.toContain('Nguyễn Văn Cán Bộ');
      expect(html).not.toContain('Nguyễn Thị Lan');
      expect(html).not.toContain('Bí Mật');
      expect(html).not.toContain(CITIZEN);
    });

    it('a wrong phone is answered exactly like an unknown code', async () => {
      const wrong = await anonymous(w.app).get(`/tra-cuu?ma=${dossier.code}&so=9999`);
      const unknown = await anonymous(w.app).get(`/tra-cuu?ma=25459-991231-9999&so=9999`);
      expect(wrong.status).toBe(404);
      expect(unknown.status).toBe(404);
      const a = await wrong.text();
      const b = await unknown.text();
      expect(a).toContain(NOT_FOUND_MESSAGE);
      expect(b).toContain(NOT_FOUND_MESSAGE);
      expect(a).not.toContain('Đã tiếp nhận');
      // Only the echoed code differs.
      expect(a.replaceAll(dossier.code, 'MA')).toBe(b.replaceAll('25459-991231-9999', 'MA'));
    });

    it('asks for both fields, each error linking to its field', async () => {
      const r = await anonymous(w.app).get('/tra-cuu?ma=&so=12');
      expect(r.status).toBe(400);
      const html = await r.text();
      expect(html).toContain('href="#f-ma"');
      expect(html).toContain('href="#f-so"');
    });

    it('is rate-limited per address', async () => {
      const c = anonymous(w.app);
      let last = 0;
      for (let i = 0; i < 31; i++) last = (await c.get(`/tra-cuu?ma=25459-000000-${String(i).padStart(4, '0')}&so=0000`)).status;
      expect(last).toBe(429);
      const blocked = await c.get(`/tra-cuu?ma=${dossier.code}&so=${CITIZEN.slice(-4)}`);
      expect(blocked.status).toBe(429);
      expect(await blocked.text()).toContain('phút');
    });

    it('is rate-limited per code, whoever asks', async () => {
      const code = '25459-000000-7777';
      let last = 0;
      for (let i = 0; i < 21; i++) last = (await anonymous(w.app).get(`/tra-cuu?ma=${code}&so=${String(i).padStart(4, '0')}`)).status;
      expect(last).toBe(429);
    });
  });

  describe('the owner’s pages', () => {
    it('/ho-so-cua-toi lists open drafts and dossiers with status and due date', async () => {
      await lan.post('/nop-ho-so/1.001193', {});
      const html = await (await lan.get('/ho-so-cua-toi')).text();
      expect(html).toContain('Bản nháp chưa nộp');
      expect(html).toContain('Thủ tục đăng ký khai sinh');
      expect(html).toContain(dossier.code);
      expect(html).toContain('Đã tiếp nhận');
      expect(html).toContain('Hẹn trả');
    });

    it('/ho-so/:id is the owner’s; others get 404, anonymous visitors sign in, a malformed id is 404', async () => {
      const own = await lan.get(`/ho-so/${dossier.dossierId}`);
      expect(own.status).toBe(200);
      const html = await own.text();
      expect(html).toContain(`/ho-so/${dossier.dossierId}/bien-nhan.pdf`);
      expect(html).toContain('Quá trình giải quyết');
      expect(html).toContain('giay-chung-sinh.pdf');
      const hung = await signedIn(w.app, CITIZEN_2);
      expect((await hung.get(`/ho-so/${dossier.dossierId}`)).status).toBe(404);
      expect((await hung.get('/ho-so-cua-toi').then((r) => r.text())).includes(dossier.code)).toBe(false);
      expect((await hung.post(`/ho-so/${dossier.dossierId}/danh-gia`, { diem: '1' })).status).toBe(404);
      expect((await hung.post(`/ho-so/${dossier.dossierId}/nop-bo-sung`, { version: '1' })).status).toBe(404);
      expect((await postFile(hung, `/ho-so/${dossier.dossierId}/bo-sung/0`, { name: 'x.pdf', bytes: tinyPdf(), type: 'application/pdf' })).status).toBe(404);
      expect((await lan.get('/ho-so/x0')).status).toBe(404);
      const anon = await anonymous(w.app).get(`/ho-so/${dossier.dossierId}`);
      expect(location(anon)).toBe(`/dang-nhap?next=${encodeURIComponent(`/ho-so/${dossier.dossierId}`)}`);
      expect((await (await signedIn(w.app, OFFICER)).get(`/ho-so/${dossier.dossierId}`)).status).toBe(403);
    });

    it('supplement: the pause is explained, papers are uploaded and resubmitted; a stale page gets a clear message', async () => {
      const before = await step('request_supplement', officer, 'Bản chụp giấy chứng sinh bị mờ, chụp lại rõ nét.');
      const page = await (await lan.get(`/ho-so/${dossier.dossierId}`)).text();
      expect(page).toContain('Đang chờ bạn bổ sung: Bản chụp giấy chứng sinh bị mờ, chụp lại rõ nét.');
      expect(page).toContain('Thời hạn giải quyết tạm dừng');
      expect(page).toContain(`/ho-so/${dossier.dossierId}/bo-sung/3`);
      // The public page explains it too.
      expect(await (await anonymous(w.app).get(`/tra-cuu?ma=${dossier.code}&so=${CITIZEN.slice(-4)}`)).text()).toContain('Đang chờ bạn bổ sung');

      // Nothing uploaded yet: "resubmit" asks for a paper first.
      const empty = await lan.post(`/ho-so/${dossier.dossierId}/nop-bo-sung`, { version: String(before.version) });
      expect(empty.status).toBe(400);
      const uploadPage = await lan.get(`/ho-so/${dossier.dossierId}/bo-sung/3`);
      expect(uploadPage.status).toBe(200);
      expect(await uploadPage.text()).toContain('Giấy chứng sinh');
      const bad = await postFile(lan, `/ho-so/${dossier.dossierId}/bo-sung/3`, { name: 'x.pdf', bytes: Buffer.from('MZ not a pdf'), type: 'application/pdf' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('“Giấy chứng sinh');
      const up = await postFile(lan, `/ho-so/${dossier.dossierId}/bo-sung/3`, { name: 'chung-sinh-ro.png', bytes: await tinyPng(9), type: 'image/png' });
      expect(location(up)).toBe(`/ho-so/${dossier.dossierId}?da=tai-len#bo-sung`);
      expect(await (await lan.get(`/ho-so/${dossier.dossierId}`)).text()).toContain('chung-sinh-ro.png');

      const stale = await lan.post(`/ho-so/${dossier.dossierId}/nop-bo-sung`, { version: String(before.version - 1) });
      expect(stale.status).toBe(409);
      expect(await stale.text()).toContain('vừa được người khác cập nhật');
      // The upload was a change of its own (a new version): the page shown after it carries that version.
      const uploaded = before.version + 1;
      const ok = await lan.post(`/ho-so/${dossier.dossierId}/nop-bo-sung`, { version: String(uploaded) });
      expect(location(ok)).toBe(`/ho-so/${dossier.dossierId}?da=bo-sung`);
      const d = await w.h.db.selectFrom('dossier').select(['status', 'due_date']).where('id', '=', dossier.dossierId).executeTakeFirstOrThrow();
      expect(d.status).toBe(STATUS.accepted);
      expect(d.due_date).not.toBeNull();
      // The same form again (a double tap): the version is stale now, said plainly, nothing changes.
      const twice = await lan.post(`/ho-so/${dossier.dossierId}/nop-bo-sung`, { version: String(uploaded) });
      expect(twice.status).toBe(409);
      const events = await w.h.db.selectFrom('dossier_event').select('action').where('dossier_id', '=', dossier.dossierId).execute();
      expect(events.filter((e) => e.action === 'resubmit')).toHaveLength(1);
      const timeline = await (await lan.get(`/ho-so/${dossier.dossierId}`)).text();
      expect(timeline).toContain('Đã nộp bổ sung giấy tờ');
      expect(timeline).toContain('<p class="meta">Bạn</p>');
      // No more uploads once the dossier moved on.
      expect(location(await lan.get(`/ho-so/${dossier.dossierId}/bo-sung/0`))).toBe(`/ho-so/${dossier.dossierId}`);
      expect((await postFile(lan, `/ho-so/${dossier.dossierId}/bo-sung/0`, { name: 'y.pdf', bytes: tinyPdf('y'), type: 'application/pdf' })).status).toBe(409);
    });

    it('rating: only after the result is returned, once, with an optional comment', async () => {
      const early = await lan.post(`/ho-so/${dossier.dossierId}/danh-gia`, { diem: '5' });
      expect(early.status).toBe(409);
      await step('assign', officer);
      await step('appraise', specialist);
      await step('approve', leader);
      await step('return_result', officer);
      const form = await (await lan.get(`/ho-so/${dossier.dossierId}`)).text();
      expect(form).toContain('Bạn có hài lòng');
      const invalid = await lan.post(`/ho-so/${dossier.dossierId}/danh-gia`, { diem: '9' });
      expect(invalid.status).toBe(400);
      expect(await invalid.text()).toContain('href="#f-diem"');
      const ok = await lan.post(`/ho-so/${dossier.dossierId}/danh-gia`, { diem: '4', y_kien: 'Nhanh, cán bộ hướng dẫn rõ.' });
      expect(ok.status).toBe(303);
      const again = await lan.post(`/ho-so/${dossier.dossierId}/danh-gia`, { diem: '1' });
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('Bạn đã đánh giá hồ sơ này rồi');
      const d = await w.h.db.selectFrom('dossier').select(['rating', 'rating_comment']).where('id', '=', dossier.dossierId).executeTakeFirstOrThrow();
      expect(d).toEqual({ rating: 4, rating_comment: 'Nhanh, cán bộ hướng dẫn rõ.' });
      expect(await (await lan.get(`/ho-so/${dossier.dossierId}`)).text()).toContain('Bạn đã đánh giá: <strong>Hài lòng</strong>');
    });
  });
});
