import { fuzzRuns } from '../../testing/fuzz.js';
import fc from 'fast-check';
import { TEST_TODAY } from '../../testing/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWorkingDay } from '../../calendar/index.js';
import { grantRole, insertUser } from '../../accounts/accounts.store.js';
import type { Client } from '../../testing/app.js';
import type { DossierRow } from '../dossiers.store.js';
import { REFUSAL_MESSAGES, TRANSITIONS, type ActionName, type Stage, type Status } from '../workflow.js';
import { ACTION_SLUGS } from './office.view.js';
import {
  as,
  attach,
  auditCount,
  CITIZEN,
  current,
  HOME,
  LEADER,
  OFFICER,
  OTHER,
  OTHER_OFFICER,
  openWorld,
  PROVINCE_ADMIN,
  put,
  shiftDays,
  SPECIALIST,
  submit,
  TINY_PNG,
  tinyPdf,
  type World,
} from './testing.js';

const page = (id: string, commune = HOME) => `/can-bo/xa/${commune}/ho-so/${id}`;
const today = () => TEST_TODAY;

async function post(c: Client, d: Pick<DossierRow, 'id' | 'version'>, slug: string, fields: Record<string, string> = {}, commune = HOME): Promise<Response> {
  // Any signed-in page carries a token (the sign-out form); the home page is not audited.
  const token = await c.csrf('/');
  return c.post(`${page(d.id, commune)}/${slug}`, { version: String(d.version), ...fields }, { csrf: token });
}

describe('back office: queues, dossier page, actions', () => {
  let w: World;
  let specialistId: string;
  beforeAll(async () => {
    w = await openWorld();
    specialistId = w.users.get(SPECIALIST)!;
  });
  afterAll(() => w.close());

  describe('queues', () => {
    const COMMUNE = '25486';
    const officer = 'tiepnhan.tanbien@demo.xaso.vn';
    const base = `/can-bo/xa/${COMMUNE}/ho-so`;

    it('lists the queue with counts for every queue, 50 a page, with a link to the next page', async () => {
      const made: DossierRow[] = [];
      for (let i = 0; i < 55; i++) made.push(await submit(w, { commune: COMMUNE, citizen: '0912000004' }));
      const late = await put(w.h.db, made[0]!, { status: 4, stage: 'processing', due: shiftDays(today(), -2) });
      const c = await as(w, officer);
      const res = await c.get(base);
      expect(res.status).toBe(200);
      const html = await res.text();
      // The officer's default queue: to receive.
      expect(html).toContain('aria-current="page">Chờ tiếp nhận <span class="office-count">54</span>');
      expect(html).toContain('Quá hạn <span class="office-count">1</span>');
      expect(html).toContain('Đang xử lý <span class="office-count">1</span>');
      const links = [...html.matchAll(/href="\/can-bo\/xa\/25486\/ho-so\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
      expect(links).toHaveLength(50);
      const next = /href="([^"]*&amp;sau=[^"#]*)#hang"/.exec(html)![1]!.replaceAll('&amp;', '&');
      const second = await (await c.get(next)).text();
      const more = [...second.matchAll(/href="\/can-bo\/xa\/25486\/ho-so\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
      expect(more).toHaveLength(4);
      expect(new Set([...links, ...more]).size).toBe(54);
      expect(more).not.toContain(late.id);
      expect(second).toContain('Về đầu danh sách');
      expect(second).not.toContain('Xem tiếp');
      const overdue = await (await c.get(`${base}?hang=qua-han`)).text();
      expect(overdue).toContain(late.code);
      expect(overdue).toContain('Quá hạn</strong>');
      // The tracking book (form 07) is offered to those who may read it.
      expect(html).toContain(`href="/can-bo/xa/${COMMUNE}/so-theo-doi.xlsx"`);
    });

    it('shows a specialist their processing queue, and only theirs on request', async () => {
      const d = await submit(w);
      await put(w.h.db, d, { status: 4, stage: 'processing', due: shiftDays(today(), 10), assignee: specialistId });
      const other = await submit(w);
      await put(w.h.db, other, { status: 4, stage: 'processing', due: shiftDays(today(), 11), assignee: null });
      const c = await as(w, SPECIALIST);
      const all = await (await c.get(`/can-bo/xa/${HOME}/ho-so`)).text();
      expect(all).toContain('aria-current="page">Đang xử lý');
      expect(all).toContain(d.code);
      expect(all).toContain(other.code);
      expect(all).not.toContain('so-theo-doi.xlsx');
      const mine = await (await c.get(`/can-bo/xa/${HOME}/ho-so?hang=xu-ly&cua-toi=1`)).text();
      expect(mine).toContain(d.code);
      expect(mine).not.toContain(other.code);
    });

    it('shows dossiers this commune decides but another received (Decree 118/2025)', async () => {
      const d = await submit(w, { commune: OTHER, citizen: '0912000003' });
      await w.h.db.updateTable('dossier').set({ deciding_unit: HOME }).where('id', '=', d.id).execute();
      const html = await (await (await as(w, OFFICER)).get(`/can-bo/xa/${HOME}/ho-so?hang=tiep-nhan`)).text();
      expect(html).toContain(d.code);
      expect(html).toContain('Tiếp nhận tại Phường Bình Minh');
      expect((await (await as(w, OFFICER)).get(page(d.id))).status).toBe(200);
    });

    it('a routed dossier transferred onward leaves this commune’s pages', async () => {
      const d = await submit(w, { commune: OTHER, citizen: '0912000003' });
      const e = await put(w.h.db, d, { status: 2, due: shiftDays(today(), 9), deciding: HOME });
      const res = await post(await as(w, LEADER), e, 'chuyen-tham-quyen', { deciding_unit: '80', note: 'Thuộc thẩm quyền cấp tỉnh.' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/can-bo/xa/${HOME}/ho-so?da=chuyen-tham-quyen`);
      const c = await as(w, LEADER);
      expect(await (await c.get(res.headers.get('location')!)).text()).toContain('Đã chuyển hồ sơ đến cơ quan có thẩm quyền');
      expect((await c.get(page(d.id))).status).toBe(404);
      expect((await current(w.h.db, d.id)).deciding_unit).toBe('80');
    });

    it('answers 404 for an unknown queue or commune, 400 for a forged cursor; keeps other communes and citizens out', async () => {
      const c = await as(w, OFFICER);
      expect((await c.get(`/can-bo/xa/${HOME}/ho-so?hang=khong-co`)).status).toBe(404);
      expect((await c.get(`/can-bo/xa/${HOME}/ho-so?hang=tiep-nhan&sau=%27%20or%201%3D1`)).status).toBe(400);
      expect((await c.get(`/can-bo/xa/${COMMUNE}/ho-so`)).status).toBe(404);
      expect((await (await as(w, CITIZEN)).get(`/can-bo/xa/${HOME}/ho-so`)).status).toBe(403);
      const anon = await (await as(w, null)).get(`/can-bo/xa/${HOME}/ho-so`);
      expect(anon.status).toBe(303);
      expect(anon.headers.get('location')).toMatch(/^\/dang-nhap\?next=/);
      // A province official reaches every commune of the province.
      expect((await (await as(w, PROVINCE_ADMIN)).get(`/can-bo/xa/${COMMUNE}/ho-so?hang=qua-han`)).status).toBe(200);
    });
  });

  describe('the dossier page', () => {
    it('shows applicant, procedure version, papers, history and the actions of this official; each view is audited once', async () => {
      const d = await submit(w);
      const c = await as(w, OFFICER);
      const before = await auditCount(w.h.db, 'dossier.view', d.id);
      const res = await c.get(page(d.id));
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<h1>Hồ sơ ${d.code}</h1>`);
      expect(html).toContain('Nguyễn Thị Lan');
      expect(html).toContain('0912000001');
      expect(html).toContain('Thủ tục đăng ký khai sinh');
      expect(html).toMatch(/phiên bản \d+ \(áp dụng khi nộp\)/);
      expect(html).toContain('Giấy chứng sinh');
      expect(html).toContain('Nộp hồ sơ</strong>');
      for (const slug of ['tiep-nhan', 'yeu-cau-bo-sung', 'tu-choi', 'rut-ho-so']) expect(html).toContain(`action="${page(d.id)}/${slug}"`);
      expect(html).not.toContain(`/tham-dinh"`);
      expect(html).toContain(`name="version" value="${d.version}"`);
      expect(html).toContain(`href="${page(d.id)}/mau/06"`);
      expect(await auditCount(w.h.db, 'dossier.view', d.id)).toBe(before + 1);
      await c.get(page(d.id));
      expect(await auditCount(w.h.db, 'dossier.view', d.id)).toBe(before + 2);
      const entry = await w.h.db.selectFrom('audit_log').select(['pd_read', 'actor_id']).where('action', '=', 'dossier.view').where('subject_id', '=', d.id).executeTakeFirstOrThrow();
      expect(entry.pd_read).toContain('applicant_phone');
      expect(entry.actor_id).toBe(w.users.get(OFFICER));

      const specialist = await (await (await as(w, SPECIALIST)).get(page(d.id))).text();
      expect(specialist).not.toContain(`${page(d.id)}/tiep-nhan"`);
      expect(specialist).toContain(`${page(d.id)}/yeu-cau-bo-sung"`);
    });

    it('answers 404 for a malformed or unknown id and for another commune’s dossier', async () => {
      const c = await as(w, OFFICER);
      expect((await c.get(page('x0'))).status).toBe(404);
      expect((await c.get(page('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
      const theirs = await submit(w, { commune: OTHER, citizen: '0912000003' });
      expect((await c.get(page(theirs.id))).status).toBe(404);
      expect((await c.get(page(theirs.id, OTHER))).status).toBe(404);
      expect((await (await as(w, OTHER_OFFICER)).get(page(theirs.id, OTHER))).status).toBe(200);
      expect((await (await as(w, CITIZEN)).get(page(theirs.id, OTHER))).status).toBe(403);
    });
  });

  describe('each action: the right role may, another may not, other communes and citizens are kept out', () => {
    const future = () => shiftDays(today(), 20);
    const cases: { action: ActionName; state: { status: Status; stage?: Stage; previousStatus?: Status; previousStage?: Stage; due?: 'today' | 'future' }; ok: string; denied: string; fields?: (d: DossierRow) => Record<string, string>; expect: { status: Status; stage?: Stage } }[] = [
      { action: 'accept', state: { status: 1 }, ok: OFFICER, denied: SPECIALIST, fields: () => ({ checked_0: '1', checked_3: '1' }), expect: { status: 2 } },
      { action: 'refuse', state: { status: 1 }, ok: OFFICER, denied: LEADER, fields: () => ({ note: 'Không thuộc thẩm quyền của xã.' }), expect: { status: 3 } },
      { action: 'request_supplement', state: { status: 2, due: 'future' }, ok: SPECIALIST, denied: LEADER, fields: () => ({ missing_3: '1', note: 'Giấy chứng sinh bản chính.' }), expect: { status: 5 } },
      { action: 'resubmit', state: { status: 5, previousStatus: 2 }, ok: OFFICER, denied: SPECIALIST, expect: { status: 2 } },
      { action: 'assign', state: { status: 2, due: 'future' }, ok: LEADER, denied: SPECIALIST, fields: () => ({ assignee_id: '' }), expect: { status: 4, stage: 'processing' } },
      { action: 'transfer', state: { status: 2, due: 'future' }, ok: OFFICER, denied: SPECIALIST, fields: () => ({ deciding_unit: OTHER, note: 'Thuộc thẩm quyền phường Bình Minh.' }), expect: { status: 2 } },
      { action: 'appraise', state: { status: 4, stage: 'processing', due: 'future' }, ok: SPECIALIST, denied: OFFICER, expect: { status: 4, stage: 'appraised' } },
      { action: 'approve', state: { status: 4, stage: 'appraised', due: 'future' }, ok: LEADER, denied: SPECIALIST, expect: { status: 9 } },
      { action: 'request_payment', state: { status: 4, stage: 'processing', due: 'future' }, ok: SPECIALIST, denied: LEADER, fields: () => ({ note: 'Lệ phí 8.000 đồng, nộp tại quầy.' }), expect: { status: 6 } },
      { action: 'confirm_payment', state: { status: 6, previousStatus: 4, previousStage: 'processing', due: 'future' }, ok: OFFICER, denied: SPECIALIST, expect: { status: 4, stage: 'processing' } },
      { action: 'return_result', state: { status: 9, due: 'future' }, ok: OFFICER, denied: LEADER, expect: { status: 10 } },
      { action: 'withdraw', state: { status: 2, due: 'future' }, ok: OFFICER, denied: LEADER, expect: { status: 7 } },
      { action: 'stop', state: { status: 4, stage: 'processing', due: 'future' }, ok: LEADER, denied: OFFICER, fields: () => ({ note: 'Người dân đề nghị dừng.' }), expect: { status: 8 } },
      { action: 'apologise', state: { status: 4, stage: 'processing', due: 'today' }, ok: SPECIALIST, denied: PROVINCE_ADMIN, fields: () => ({ note: 'Cần xác minh nơi sinh.', new_due_date: '' }), expect: { status: 4, stage: 'processing' } },
    ];

    it('covers every action of the workflow', () => {
      expect(cases.map((c) => c.action).sort()).toEqual(TRANSITIONS.map((t) => t.action).sort());
    });

    async function prepared(s: (typeof cases)[number]['state']): Promise<DossierRow> {
      const d = await submit(w);
      if (s.status === 1) return d;
      return put(w.h.db, d, { status: s.status, stage: s.stage ?? '', previousStatus: s.previousStatus ?? null, previousStage: s.previousStage ?? '', due: s.due === 'today' ? today() : s.due === 'future' ? future() : null });
    }

    for (const tc of cases) {
      const slug = ACTION_SLUGS[tc.action];
      it(`${tc.action} (POST …/${slug})`, async () => {
        const fill = (d: DossierRow) => {
          const f = tc.fields?.(d) ?? {};
          if (tc.action === 'assign') f.assignee_id = specialistId;
          if (tc.action === 'apologise') f.new_due_date = nextWorkingDay(shiftDays(today(), 1), w.calendar);
          return f;
        };
        // The right role: done, back to the page with what happened and the form it produced.
        const d = await prepared(tc.state);
        const res = await post(await as(w, tc.ok), d, slug, fill(d));
        expect(res.status, await res.clone().text().then((t) => /<h2 id="problem-title">[\s\S]*?<\/div>|error-summary[\s\S]*?<\/div>/.exec(t)?.[0] ?? '')).toBe(303);
        expect(res.headers.get('location')).toBe(`${page(d.id)}?da=${slug}#ket-qua`);
        const after = await current(w.h.db, d.id);
        expect(after.status).toBe(tc.expect.status);
        if (tc.expect.stage) expect(after.stage).toBe(tc.expect.stage);
        expect(after.version).toBe(d.version + 1);
        const shown = await (await (await as(w, tc.ok)).get(`${page(d.id)}?da=${slug}`)).text();
        expect(shown).toContain('class="notice success"');
        const form = TRANSITIONS.find((t) => t.action === tc.action)!.form;
        if (form) expect(shown).toContain(`href="${page(d.id)}/mau/${form}"`);
        if (tc.action === 'assign') expect(after.assignee_id).toBe(specialistId);
        if (tc.action === 'transfer') expect(after.deciding_unit).toBe(OTHER);
        if (tc.action === 'apologise') expect(after.due_date).toBe(fill(d).new_due_date);
        if (tc.action === 'accept') {
          const event = await w.h.db.selectFrom('dossier_event').select('note').where('dossier_id', '=', d.id).where('action', '=', 'accept').executeTakeFirstOrThrow();
          expect(event.note).toMatch(/^Giấy tờ đã kiểm tra: \(1\) .*; \(4\) Giấy chứng sinh/);
        }
        if (tc.action === 'request_supplement') {
          const event = await w.h.db.selectFrom('dossier_event').select('note').where('dossier_id', '=', d.id).where('action', '=', 'request_supplement').executeTakeFirstOrThrow();
          expect(event.note).toMatch(/^Giấy tờ cần bổ sung:\n- Giấy chứng sinh[\s\S]*Giấy chứng sinh bản chính\.$/);
        }

        // Another role of the same commune: refused, nothing changes.
        const e = await prepared(tc.state);
        const denied = await post(await as(w, tc.denied), e, slug, fill(e));
        expect(denied.status).toBe(422);
        expect(await denied.text()).toContain(REFUSAL_MESSAGES.not_allowed_role);
        expect((await current(w.h.db, e.id)).version).toBe(e.version);
        // An official of another commune: no such dossier there.
        expect((await post(await as(w, OTHER_OFFICER), e, slug, fill(e))).status).toBe(404);
        expect((await post(await as(w, OTHER_OFFICER), e, slug, fill(e), OTHER)).status).toBe(404);
        // A citizen (even the applicant): not a staff page.
        expect((await post(await as(w, CITIZEN), e, slug, fill(e))).status).toBe(403);
        expect((await current(w.h.db, e.id)).version).toBe(e.version);
      });
    }

    it('shows field errors linked from the summary, keeping what was typed', async () => {
      const d = await submit(w);
      const c = await as(w, OFFICER);
      const res = await post(c, d, 'tu-choi', { note: '' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('<a href="#f-tu-choi-note">Ghi rõ lý do</a>');
      expect(html).toContain('id="f-tu-choi-note"');
      expect(html).toContain('aria-invalid="true"');
      const none = await post(c, d, 'tiep-nhan', { note: 'Đủ giấy tờ' });
      expect(none.status).toBe(400);
      const noneHtml = await none.text();
      expect(noneHtml).toContain('href="#f-tiep-nhan-checked"');
      expect(noneHtml).toContain('Đủ giấy tờ</textarea>');
      const e = await put(w.h.db, d, { status: 2, due: future() });
      const bad = await post(c, e, 'phan-cong', { assignee_id: w.users.get(OFFICER)! });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('href="#f-phan-cong-assignee_id"');
      const far = await post(c, e, 'chuyen-tham-quyen', { deciding_unit: '99999', note: 'Chuyển.' });
      expect(far.status).toBe(400);
      expect((await current(w.h.db, d.id)).version).toBe(e.version);
    });

    it('asks to reload when the version is missing, and refuses a post without the CSRF token', async () => {
      const d = await submit(w);
      const c = await as(w, OFFICER);
      const token = await c.csrf('/');
      const missing = await c.post(`${page(d.id)}/tiep-nhan`, { checked_0: '1' }, { csrf: token });
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain('tải lại trang');
      const forged = await c.post(`${page(d.id)}/tiep-nhan`, { version: String(d.version), checked_0: '1' }, { csrf: false });
      expect(forged.status).toBe(403);
      expect((await current(w.h.db, d.id)).status).toBe(1);
    });
  });

  describe('optimistic concurrency', () => {
    let secondOfficer: string;
    beforeAll(async () => {
      const id = await insertUser(w.h.db, { kind: 'staff', fullName: 'Cán bộ tiếp nhận thứ hai', phone: null, email: 'tiepnhan2.tanninh@demo.xaso.vn', passwordHash: null });
      await grantRole(w.h.db, id, HOME, 'receiving_officer');
      w.users.set('tiepnhan2.tanninh@demo.xaso.vn', id);
      secondOfficer = 'tiepnhan2.tanninh@demo.xaso.vn';
    });

    it('two officials posting the same version at once: one goes through, the other is told and sees the new state', async () => {
      const d = await submit(w);
      const [a, b] = await Promise.all([as(w, OFFICER), as(w, secondOfficer)]);
      const [ra, rb] = await Promise.all([post(a, d, 'tiep-nhan', { checked_0: '1' }), post(b, d, 'yeu-cau-bo-sung', { note: 'Thiếu tờ khai đăng ký khai sinh.' })]);
      const statuses = [ra.status, rb.status].sort();
      expect(statuses).toEqual([303, 409]);
      const loser = ra.status === 409 ? ra : rb;
      const html = await loser.text();
      expect(html).toContain('Hồ sơ vừa được người khác cập nhật');
      const now = await current(w.h.db, d.id);
      expect(now.version).toBe(d.version + 1);
      // The page shown to the loser carries the new version: acting again is possible, never a silent overwrite.
      expect(html).toContain(`name="version" value="${now.version}"`);
      const events = await w.h.db.selectFrom('dossier_event').select('action').where('dossier_id', '=', d.id).execute();
      expect(events.map((e) => e.action).filter((x) => x !== 'submit')).toHaveLength(1);
    });

    it('a stale page posted later gets 409 too', async () => {
      const d = await submit(w);
      expect((await post(await as(w, OFFICER), d, 'tiep-nhan', { checked_0: '1' })).status).toBe(303);
      const late = await post(await as(w, secondOfficer), d, 'yeu-cau-bo-sung', { note: 'Thiếu tờ khai.' });
      expect(late.status).toBe(409);
      expect(await late.text()).toContain('Hồ sơ vừa được người khác cập nhật (hiện: Đã tiếp nhận)');
      expect((await current(w.h.db, d.id)).status).toBe(2);
    });
  });

  describe('an overdue dossier', () => {
    it('replaces the other buttons with the apology (form 04), required before anything else moves', async () => {
      const d0 = await submit(w);
      const oldDue = shiftDays(today(), -3);
      const d = await put(w.h.db, d0, { status: 4, stage: 'processing', due: oldDue, assignee: specialistId });
      const c = await as(w, SPECIALIST);
      const html = await (await c.get(page(d.id))).text();
      expect(html).toContain('Hồ sơ đã quá hạn trả kết quả');
      expect(html).toContain('tạm khóa');
      expect(html).toContain(`action="${page(d.id)}/xin-loi"`);
      expect(html).not.toContain(`action="${page(d.id)}/tham-dinh"`);
      expect(html).not.toContain(`action="${page(d.id)}/yeu-cau-nop-phi"`);
      // The overdue box comes before the dossier facts: shown prominently.
      expect(html.indexOf('Hồ sơ đã quá hạn trả kết quả')).toBeLessThan(html.indexOf('Thông tin hồ sơ'));

      const blocked = await post(c, d, 'tham-dinh');
      expect(blocked.status).toBe(422);
      expect(await blocked.text()).toContain('mẫu 04');

      const noNote = await post(c, d, 'xin-loi', { note: '', new_due_date: nextWorkingDay(shiftDays(today(), 1), w.calendar) });
      expect(noNote.status).toBe(400);
      expect(await noNote.text()).toContain('href="#f-xin-loi-note"');
      const sameDay = await post(c, d, 'xin-loi', { note: 'Cần xác minh.', new_due_date: oldDue });
      expect(sameDay.status).toBe(400);
      expect(await sameDay.text()).toContain('href="#f-xin-loi-new_due_date"');
      for (const junk of ['2026-02-30', 'ngày mai', '9999-01-01']) expect((await post(c, d, 'xin-loi', { note: 'Cần xác minh.', new_due_date: junk })).status).toBe(400);

      const newDue = nextWorkingDay(shiftDays(today(), 1), w.calendar);
      const ok = await post(c, d, 'xin-loi', { note: 'Cần xác minh nơi sinh với bệnh viện.', new_due_date: newDue });
      expect(ok.status).toBe(303);
      const after = await (await c.get(`${page(d.id)}?da=xin-loi`)).text();
      expect(after).toContain(`href="${page(d.id)}/mau/04"`);
      expect(after).not.toContain('Hồ sơ đã quá hạn trả kết quả');
      expect(after).toContain(`action="${page(d.id)}/tham-dinh"`);
      const moved = await current(w.h.db, d.id);
      expect(moved.due_date).toBe(newDue);
      expect((await post(c, moved, 'tham-dinh')).status).toBe(303);
    });
  });

  describe('fuzz', () => {
    it('random form posts to every action never cause a 5xx', async () => {
      const d = await put(w.h.db, await submit(w), { status: 4, stage: 'processing', due: shiftDays(today(), 2), assignee: specialistId });
      const clients = await Promise.all([OFFICER, SPECIALIST, LEADER].map((l) => as(w, l)));
      const tokens = await Promise.all(clients.map((c) => c.csrf('/')));
      const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '1', '-1', '2026-02-30', '99999-01-01', '80', '00000', "' or 1=1 --", '\u0000', 'x'.repeat(5000)));
      await fc.assert(
        fc.asyncProperty(
          fc.nat(2),
          fc.constantFrom(...Object.values(ACTION_SLUGS)),
          fc.oneof(fc.constant(d.id), fc.uuid(), text),
          fc.record({ version: fc.oneof(text, fc.constant(String(d.version))), note: text, new_due_date: text, deciding_unit: text, assignee_id: fc.oneof(text, fc.uuid()), checked_0: text, missing_2: text, checked_999: text }, { requiredKeys: [] }),
          async (who, slug, id, fields) => {
            const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
            const res = await clients[who]!.post(`/can-bo/xa/${HOME}/ho-so/${encodeURIComponent(id) || 'x'}/${slug}`, clean, { csrf: tokens[who]! });
            expect(res.status).toBeLessThan(500);
            expect([303, 400, 404, 409, 422]).toContain(res.status);
          },
        ),
        { numRuns: fuzzRuns(150) },
      );
    });
  });

  describe('attached files', () => {
    it('lets the commune’s officials download them (audited), with the stored type; nobody else', async () => {
      const d = await submit(w);
      const pdf = tinyPdf();
      const sha = await attach(w, d, 3, pdf, 'application/pdf', 'giấy chứng sinh.pdf');
      const shaPng = await attach(w, d, 0, TINY_PNG, 'image/png', 'bien-ban.png');
      const c = await as(w, SPECIALIST);
      const html = await (await c.get(page(d.id))).text();
      expect(html).toContain(`href="${page(d.id)}/tep/${sha}"`);
      expect(html).toContain(`href="${page(d.id)}/tep/${shaPng}"`);
      const res = await c.get(`${page(d.id)}/tep/${sha}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh.pdf");
      expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdf);
      expect(await auditCount(w.h.db, 'dossier.file_download', d.id)).toBe(1);
      expect((await c.get(`${page(d.id)}/tep/${shaPng}`)).headers.get('content-type')).toBe('image/png');

      // Another dossier's file through this dossier's address, a bad hash, other communes, citizens.
      const other = await submit(w);
      expect((await c.get(`${page(other.id)}/tep/${sha}`)).status).toBe(404);
      expect((await c.get(`${page(d.id)}/tep/x0`)).status).toBe(404);
      expect((await c.get(`${page(d.id)}/tep/${'0'.repeat(64)}`)).status).toBe(404);
      expect((await (await as(w, OTHER_OFFICER)).get(`${page(d.id)}/tep/${sha}`)).status).toBe(404);
      expect((await (await as(w, OTHER_OFFICER)).get(`${page(d.id, OTHER)}/tep/${sha}`)).status).toBe(404);
      expect((await (await as(w, CITIZEN)).get(`${page(d.id)}/tep/${sha}`)).status).toBe(403);
      expect((await (await as(w, null)).get(`${page(d.id)}/tep/${sha}`)).status).toBe(303);
      expect(await auditCount(w.h.db, 'dossier.file_download', d.id)).toBe(2);
    });
  });
});
