import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import type { App } from '../platform/routes.js';
import type { Client } from '../testing/app.js';
import { openTestDb } from '../testing/db.js';
import { testApp } from '../testing/app.js';
import {
  ANALYST,
  CITIZEN,
  COMMUNE_LEADER,
  HOME,
  LEADER_ACCOUNT,
  OFFICER,
  OTHER,
  OTHER_MEMBER,
  OTHER_OFFICER,
  PROVINCE_ADMIN,
  SPECIALIST,
  auditActions,
  clientAs,
  makeStaff,
  postFile,
  teamsOf,
  villagesOf,
} from './teams.fixtures.js';
import { todayVn } from './teams.schema.js';

const B = `/can-bo/xa/${HOME}/to-cns`;
const utf8 = (s: string) => new TextEncoder().encode(s);
let seq = 0;
/** The error summary of a page, for short failure messages. */
const summary = (html: string) => /<div class="error-summary".*?<\/div>/s.exec(html)?.[0] ?? html.slice(0, 300);
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

describe('teams pages and actions', () => {
  let h: DbHandle;
  let app: App;
  let village: { id: number; name: string };
  let team: { id: number; name: string; village_id: number };
  let plain: { login: string; id: string };
  beforeAll(async () => {
    h = await openTestDb('pglite');
    await seedDemo(h.db);
    app = testApp(h);
    village = (await villagesOf(h.db, HOME))[0]!;
    team = (await teamsOf(h.db, HOME))[0]!;
    // A member who is not the leader, in the leader's team.
    plain = await makeStaff(h.db, { commune: HOME, member: { teamId: team.id, role: 'other', phone: '0977200001' } });
  });
  afterAll(() => h.close());

  const as = (login: string | null) => clientAs(app, h.db, login);

  function logForm(over: Record<string, string> = {}): Record<string, string> {
    return { key: `k-${uniq()}-0000000000`, visit_date: todayVn(), village_id: String(village.id), households_visited: '4', eid_activated: '2', accounts_created: '', dossiers_submitted: '1', cashless_setup: '', apps_installed: '3', training_attendees: '', note: 'Đi cùng trưởng ấp', ...over };
  }

  async function newEntry(login: string): Promise<number> {
    const c = await as(login);
    const res = await c.post(`${B}/nhat-ky`, logForm());
    expect(res.status).toBe(303);
    return Number(/da-luu=(\d+)/.exec(res.headers.get('location') ?? '')![1]);
  }

  async function newGuide(login: string): Promise<number> {
    const res = await (await as(login)).post(`${B}/huong-dan`, { title: `Hướng dẫn thử ${uniq()}`, procedure_code: '' });
    expect(res.status).toBe(303);
    return Number(/huong-dan\/(\d+)$/.exec(res.headers.get('location') ?? '')![1]);
  }

  /**
   * Every data-changing action: who may (303), who may not (403 for a missing
   * role, 404 for another commune's official or member, sign-in for anonymous).
   */
  describe('permissions of every data-changing action', () => {
    type Action = { name: string; kind: 'manage' | 'log'; run: (c: Client) => Promise<Response>; ownerOnly?: boolean };
    const actions: Action[] = [
      { name: 'add village', kind: 'manage', run: (c) => c.post(`${B}/them-thon`, { name: `Ấp ${uniq()}`, kind: 'ap', households: '120' }) },
      { name: 'edit village', kind: 'manage', run: (c) => c.post(`${B}/thon/${village.id}`, { name: village.name, kind: 'khu_pho', households: String(800 + (seq++ % 50)) }) },
      // New teams go to the last village, so the first keeps its single team (imports below name none).
      { name: 'add team', kind: 'manage', run: async (c) => c.post(`${B}/them-to`, { name: `Tổ ${uniq()}`, village_id: String((await villagesOf(h.db, HOME)).at(-1)!.id) }) },
      { name: 'edit team', kind: 'manage', run: (c) => c.post(`${B}/to/${team.id}`, { name: team.name, village_id: String(village.id) }) },
      { name: 'add member', kind: 'manage', run: (c) => c.post(`${B}/to/${team.id}/them-thanh-vien`, { full_name: 'Hồ Văn Thử', phone: `097730${String(seq++).padStart(4, '0')}`, role: 'other', user_id: '' }) },
      {
        name: 'edit member',
        kind: 'manage',
        run: async (c) => {
          const m = await h.db.selectFrom('team_member').select(['id', 'phone', 'full_name']).where('commune_code', '=', HOME).where('user_id', 'is', null).where('left_at', 'is', null).orderBy('id').executeTakeFirstOrThrow();
          return c.post(`${B}/thanh-vien/${m.id}`, { full_name: m.full_name, phone: m.phone, role: 'youth_union', team_id: String(team.id), user_id: '' });
        },
      },
      {
        name: 'member leaves',
        kind: 'manage',
        run: async (c) => {
          const id = await h.db.insertInto('team_member').values({ commune_code: HOME, team_id: team.id, full_name: 'Sắp Thôi', phone: `097740${String(seq++).padStart(4, '0')}`, role: 'other', user_id: null, left_at: null }).returning('id').executeTakeFirstOrThrow();
          return c.post(`${B}/thanh-vien/${id.id}/thoi`, {});
        },
      },
      { name: 'import members', kind: 'manage', run: (c) => postFile(c, `${B}/nhap`, 'tep', { name: 'ds.csv', bytes: utf8(`Họ tên,Số điện thoại,Thôn/tổ\nNhập Thử,097750${String(seq++).padStart(4, '0')},${village.name}\n`) }) },
      { name: 'import villages', kind: 'manage', run: (c) => postFile(c, `${B}/nhap-thon`, 'tep_thon', { name: 'thon.csv', bytes: utf8(`Thôn,Số hộ\n${village.name},${700 + (seq++ % 50)}\n`) }) },
      { name: 'log a visit', kind: 'log', run: (c) => c.post(`${B}/nhat-ky`, logForm()) },
      { name: 'write a guide', kind: 'log', run: (c) => c.post(`${B}/huong-dan`, { title: `Hướng dẫn ${uniq()}`, procedure_code: '' }) },
    ];

    const cases: [string, string | null, 'manage' | 'log' | 'both', number | 'login'][] = [
      ['anonymous', null, 'both', 'login'],
      ['a citizen', CITIZEN, 'both', 403],
      ['a specialist (no teams role)', SPECIALIST, 'both', 403],
      ['the analyst', ANALYST, 'both', 403],
      ["another commune's official", OTHER_OFFICER, 'both', 404],
      ["another commune's team member", OTHER_MEMBER, 'log', 404],
      ["another commune's team member", OTHER_MEMBER, 'manage', 403],
      ['a team member', LEADER_ACCOUNT, 'manage', 403],
      ['a team member', LEADER_ACCOUNT, 'log', 303],
      ['the receiving officer', OFFICER, 'both', 303],
      ['the commune leader', COMMUNE_LEADER, 'both', 303],
      ['the province administrator', PROVINCE_ADMIN, 'both', 303],
    ];

    for (const action of actions) {
      for (const [who, login, kind, expected] of cases) {
        if (kind !== 'both' && kind !== action.kind) continue;
        it(`${action.name}: ${who} → ${expected}`, async () => {
          const res = await action.run(await as(login));
          if (expected === 'login') {
            expect(res.status).toBe(303);
            expect(res.headers.get('location')).toMatch(/^\/dang-nhap\?next=/);
          } else expect(res.status, summary(await res.clone().text())).toBe(expected);
        });
      }
    }

    // Actions on one's own entries and guides: the author, not just anyone with the role.
    it('correct an entry: the author yes; another team member of the commune 404; another commune 404; anonymous to sign-in', async () => {
      const id = await newEntry(plain.login);
      const form = { ...logForm(), households_visited: '5', reason: 'ghi nhầm' };
      expect((await (await as(plain.login)).post(`${B}/nhat-ky/${id}`, form)).status).toBe(303);
      const outsider = await makeStaff(h.db, { commune: HOME });
      expect((await (await as(outsider.login)).post(`${B}/nhat-ky/${id}`, form)).status).toBe(404);
      expect((await (await as(OTHER_MEMBER)).post(`${B}/nhat-ky/${id}`, form)).status).toBe(404);
      expect((await (await as(OTHER_OFFICER)).post(`${B}/nhat-ky/${id}`, form)).status).toBe(404);
      expect((await (await as(SPECIALIST)).post(`${B}/nhat-ky/${id}`, form)).status).toBe(403);
      expect((await (await as(null)).post(`${B}/nhat-ky/${id}`, form)).status).toBe(303);
      expect((await (await as(OFFICER)).post(`${B}/nhat-ky/${id}`, { ...form, households_visited: '6' })).status).toBe(303);
    });

    it('change a guide (title, steps, publish): its author and officials; another member 403; another commune 404', async () => {
      const id = await newGuide(plain.login);
      const G = `${B}/huong-dan/${id}`;
      const step = { body: 'Mở ứng dụng VNeID', image_alt: '' };
      expect((await (await as(plain.login)).post(`${G}/buoc`, step)).status).toBe(303);
      expect((await (await as(LEADER_ACCOUNT)).post(`${G}/buoc`, step)).status).toBe(403);
      expect((await (await as(LEADER_ACCOUNT)).post(G, { title: 'Đổi tên trái phép', procedure_code: '' })).status).toBe(403);
      expect((await (await as(LEADER_ACCOUNT)).post(`${G}/dang`, { dang: '1' })).status).toBe(403);
      expect((await (await as(OTHER_MEMBER)).post(`${G}/buoc`, step)).status).toBe(404);
      expect((await (await as(OTHER_OFFICER)).post(`${G}/dang`, { dang: '1' })).status).toBe(404);
      expect((await (await as(CITIZEN)).post(`${G}/dang`, { dang: '1' })).status).toBe(403);
      expect((await (await as(OFFICER)).post(`${G}/dang`, { dang: '1' })).status).toBe(303);
      expect((await (await as(COMMUNE_LEADER)).post(G, { title: 'Tên mới do cán bộ đặt', procedure_code: '' })).status).toBe(303);
      const stepId = (await h.db.selectFrom('team_guide_step').select('id').where('guide_id', '=', id).executeTakeFirstOrThrow()).id;
      expect((await (await as(LEADER_ACCOUNT)).post(`${G}/buoc/${stepId}/xoa`, {})).status).toBe(403);
      expect((await (await as(plain.login)).post(`${G}/buoc/${stepId}/xoa`, {})).status).toBe(303);
      // Its last step gone, the guide is back to a draft.
      expect((await h.db.selectFrom('team_guide').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('draft');
    });
  });

  describe('registry', () => {
    it('adds a village, a team and a member, each audited; the team page read of phones is logged', async () => {
      const officer = await as(OFFICER);
      const name = `Ấp Mới ${uniq()}`;
      expect((await officer.post(`${B}/them-thon`, { name, kind: 'ap', households: '210' })).status).toBe(303);
      const v = await h.db.selectFrom('team_village').select(['id', 'households']).where('name', '=', name).executeTakeFirstOrThrow();
      expect(v.households).toBe(210);
      const t = await officer.post(`${B}/them-to`, { name: `Tổ ${name}`, village_id: String(v.id) });
      const teamId = Number(/to\/(\d+)/.exec(t.headers.get('location')!)![1]);
      expect((await officer.post(`${B}/to/${teamId}/them-thanh-vien`, { full_name: 'Châu Thị Bích', phone: '0977 600 001', role: 'leader', user_id: '' })).status).toBe(303);
      const page = await (await officer.get(`${B}/to/${teamId}`)).text();
      expect(page).toContain('Châu Thị Bích');
      expect(page).toContain('0977600001');
      const reads = await auditActions(h.db, 'teams.members_read');
      expect(reads.at(-1)).toMatchObject({ subject_id: `${HOME}/${teamId}`, pd_read: ['full_name', 'phone'] });
      expect((await auditActions(h.db, 'teams.village_add')).some((a) => (a.detail as { name?: string }).name === name)).toBe(true);
    });

    it('explains bad input in Vietnamese, naming the field, and keeps what was typed', async () => {
      const officer = await as(OFFICER);
      const res = await officer.post(`${B}/to/${team.id}/them-thanh-vien`, { full_name: '', phone: '12345', role: 'chief', user_id: 'abc' });
      expect(res.status).toBe(400);
      const html = await res.text();
      for (const text of ['Nhập họ và tên', 'Số điện thoại chưa đúng', 'Chọn vai trò trong tổ', 'href="#f-phone"']) expect(html).toContain(text);
      expect(html).toContain('value="12345"');
      const v = await officer.post(`${B}/them-thon`, { name: '', kind: 'x', households: '-3' });
      expect(v.status).toBe(400);
      const vt = await v.text();
      for (const text of ['Nhập tên thôn', 'Chọn loại', 'Số hộ: nhập một số nguyên']) expect(vt).toContain(text);
    });

    it('answers 404 for ids that do not exist or belong to another commune', async () => {
      const officer = await as(OFFICER);
      const foreignTeam = (await teamsOf(h.db, OTHER))[0]!;
      expect((await officer.get(`${B}/to/${foreignTeam.id}`)).status).toBe(404);
      expect((await officer.get(`${B}/to/abc`)).status).toBe(404);
      expect((await officer.get(`${B}/thon/999999`)).status).toBe(404);
      expect((await officer.post(`${B}/thanh-vien/999999/thoi`, {})).status).toBe(404);
    });
  });

  describe('spreadsheet upload', () => {
    it('imports a file larger than the 1 MB form limit', async () => {
      const rows = ['Họ tên,Số điện thoại,Thôn/tổ,Ghi chú'];
      for (let i = 0; i < 300; i++) rows.push(`Người Thứ ${i},0966${String(i).padStart(6, '0')},${village.name},${'x'.repeat(4000)}`);
      const bytes = utf8(rows.join('\n'));
      expect(bytes.length).toBeGreaterThan(1024 * 1024);
      const res = await postFile(await as(OFFICER), `${B}/nhap`, 'tep', { name: 'lon.csv', bytes });
      expect(res.status, summary(await res.clone().text())).toBe(303);
      expect(res.headers.get('location')).toContain('da-nhap=300');
    });

    it('refuses more than 8 MB with 413, and other forms still stop at 1 MB', async () => {
      const big = new Uint8Array(8 * 1024 * 1024 + 10).fill(0x41);
      expect((await postFile(await as(OFFICER), `${B}/nhap`, 'tep', { name: 'qua-lon.csv', bytes: big })).status).toBe(413);
      const res = await (await as(OFFICER)).post(`${B}/them-thon`, { name: 'x'.repeat(1024 * 1024 + 10), kind: 'ap' });
      expect(res.status).toBe(413);
    });

    it('shows the row-by-row report of a refused file, and writes nothing', async () => {
      const bytes = utf8(`Họ tên,Số điện thoại,Thôn/tổ\nMột,0955000001,${village.name}\nHai,0955000001,${village.name}\nBa,0955000003,Ấp Ma\n`);
      const res = await postFile(await as(OFFICER), `${B}/nhap`, 'tep', { name: 'sai.csv', bytes });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('Chưa nhập gì: 2 trong 3 dòng cần sửa');
      expect(html).toContain('trùng với dòng 2');
      expect(html).toContain('&quot;Ấp Ma&quot; chưa có trong danh sách');
      expect(await h.db.selectFrom('team_member').select('id').where('phone', '=', '0955000001').executeTakeFirst()).toBeUndefined();
      const none = await (await as(OFFICER)).post(`${B}/nhap`, {});
      expect(none.status).toBe(400);
      expect(await none.text()).toContain('Chọn tệp danh sách thành viên');
    });
  });

  describe('field log', () => {
    it('the form defaults to today and the member’s own village, and carries a one-time key', async () => {
      const html = await (await (await as(plain.login)).get(`${B}/nhat-ky`)).text();
      expect(html).toContain(`name="visit_date" type="date" value="${todayVn()}"`);
      expect(html).toMatch(new RegExp(`<option value="${village.id}" selected`));
      expect(html).toMatch(/name="key" value="[0-9a-f-]{36}"/);
    });

    it('a retried post (same key) makes one entry and answers the same', async () => {
      const c = await as(plain.login);
      const form = logForm();
      const a = await c.post(`${B}/nhat-ky`, form);
      const b = await c.post(`${B}/nhat-ky`, form);
      expect(a.status).toBe(303);
      expect(b.status).toBe(303);
      expect(b.headers.get('location')).toBe(a.headers.get('location'));
      const rows = await h.db.selectFrom('team_log_entry').select('id').where('idempotency_key', '=', form.key!).execute();
      expect(rows).toHaveLength(1);
      const page = await (await c.get(a.headers.get('location')!)).text();
      expect(page).toContain('Đã lưu');
    });

    it('a concurrent double post makes one entry', async () => {
      const c = await as(plain.login);
      const form = logForm();
      const token = await c.csrf();
      const [a, b] = await Promise.all([c.post(`${B}/nhat-ky`, form, { csrf: token }), c.post(`${B}/nhat-ky`, form, { csrf: token })]);
      expect([a.status, b.status]).toEqual([303, 303]);
      expect(a.headers.get('location')).toBe(b.headers.get('location'));
      expect(await h.db.selectFrom('team_log_entry').select('id').where('idempotency_key', '=', form.key!).execute()).toHaveLength(1);
    });

    it('a post without a key, or with all zeros, is refused with a message in Vietnamese', async () => {
      const c = await as(plain.login);
      const noKey = await c.post(`${B}/nhat-ky`, { ...logForm(), key: '' });
      expect(noKey.status).toBe(400);
      expect(await noKey.text()).toContain('tải lại trang');
      const zeros = await c.post(`${B}/nhat-ky`, logForm({ households_visited: '', eid_activated: '0', dossiers_submitted: '', apps_installed: '' }));
      expect(zeros.status).toBe(400);
      expect(await zeros.text()).toContain('ít nhất một số lớn hơn 0');
    });

    it('after 7 days the author may no longer correct; the team leader may, and the history shows both', async () => {
      const id = await newEntry(plain.login);
      await h.db.updateTable('team_log_entry').set({ created_at: new Date(Date.now() - 8 * 86_400_000) } as never).where('id', '=', id).execute();
      const author = await as(plain.login);
      const page = await (await author.get(`${B}/nhat-ky/${id}`)).text();
      expect(page).toContain('Đã quá 7 ngày');
      const res = await author.post(`${B}/nhat-ky/${id}`, { ...logForm(), households_visited: '9', reason: 'muộn' });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('nhờ tổ trưởng hoặc cán bộ xã');
      const leader = await as(LEADER_ACCOUNT);
      expect((await leader.post(`${B}/nhat-ky/${id}`, { ...logForm(), households_visited: '9', reason: 'tổ trưởng sửa giúp' })).status).toBe(303);
      const after = await (await leader.get(`${B}/nhat-ky/${id}`)).text();
      expect(after).toContain('Lịch sử sửa');
      expect(after).toContain('tổ trưởng sửa giúp');
      expect(after).toContain('hộ 4');
    });

    it('a member sees only their own entries; the leader, the team’s; officials, all', async () => {
      const id = await newEntry(plain.login);
      const stranger = await makeStaff(h.db, { commune: HOME });
      expect((await (await as(stranger.login)).get(`${B}/nhat-ky/${id}`)).status).toBe(404);
      expect((await (await as(LEADER_ACCOUNT)).get(`${B}/nhat-ky/${id}`)).status).toBe(200);
      expect((await (await as(OFFICER)).get(`${B}/nhat-ky/${id}`)).status).toBe(200);
      expect((await (await as(OTHER_OFFICER)).get(`${B}/nhat-ky/${id}`)).status).toBe(404);
    });
  });

  describe('coverage and reports', () => {
    it('the coverage page lists villages lowest coverage first', async () => {
      const html = await (await (await as(LEADER_ACCOUNT)).get(`${B}/do-phu`)).text();
      expect(html).toContain('Độ phủ và thôn cần ưu tiên');
      const pcts = [...html.matchAll(/<\/span>(\d+)%<\/td>/g)].map((m) => Number(m[1]));
      expect(pcts.length).toBeGreaterThan(3);
      expect([...pcts].sort((a, b) => a - b)).toEqual(pcts);
    });

    it('the Excel report holds the month’s figures per village and for the commune', async () => {
      const month = todayVn().slice(0, 7);
      const res = await (await as(COMMUNE_LEADER)).get(`${B}/bao-cao.xlsx?thang=${month}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers.get('content-disposition')).toContain(`bao-cao-to-cns-${HOME}-${month}.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const ws = wb.getWorksheet('Báo cáo tháng')!;
      expect(String(ws.getCell('A1').value)).toContain('Phường Tân Ninh');
      const names: string[] = [];
      let total: ExcelJS.Row | undefined;
      ws.eachRow((row, n) => {
        if (n <= 5) return;
        const first = String(row.getCell(1).value);
        if (first === 'Toàn xã') total = row;
        else names.push(first);
      });
      const villages = await villagesOf(h.db, HOME);
      expect(names.sort()).toEqual(villages.map((v) => v.name).sort());
      const { from } = { from: `${month}-01` };
      const sums = await h.db
        .selectFrom('team_log_entry')
        .select((eb) => [eb.fn.countAll<number>().as('visits'), eb.fn.sum<number>('eid_activated').as('eid')])
        .where('commune_code', '=', HOME)
        .where('visit_date', '>=', from)
        .executeTakeFirstOrThrow();
      expect(total!.getCell(5).value).toBe(Number(sums.visits));
      expect(total!.getCell(7).value).toBe(Number(sums.eid));
      expect(wb.getWorksheet('Thôn cần ưu tiên')).toBeDefined();
    });

    it('the PDF report is Vietnamese text that reads back', async () => {
      const month = todayVn().slice(0, 7);
      const res = await (await as(ANALYST)).get(`${B}/bao-cao.pdf?thang=${month}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
      const text = (await parser.getText()).text;
      await parser.destroy();
      expect(text).toContain('Báo cáo hoạt động tổ công nghệ số cộng đồng');
      expect(text).toContain('Phường Tân Ninh');
      expect(text).toContain('cần ưu tiên');
      for (const v of await villagesOf(h.db, HOME)) expect(text).toContain(v.name);
    });

    it('refuses a malformed month for a download, and lets no one from another commune have it', async () => {
      expect((await (await as(OFFICER)).get(`${B}/bao-cao.xlsx?thang=2026-13`)).status).toBe(400);
      expect((await (await as(OTHER_OFFICER)).get(`${B}/bao-cao.xlsx`)).status).toBe(404);
      expect((await (await as(SPECIALIST)).get(`${B}/bao-cao.pdf`)).status).toBe(403);
    });

    it('the province roll-up is for the province administrator and the analyst', async () => {
      const html = await (await (await as(ANALYST)).get('/can-bo/to-cns/tinh')).text();
      expect(html).toContain('Tây Ninh');
      expect(html).toContain('Phường Tân Ninh');
      expect((await (await as(PROVINCE_ADMIN)).get('/can-bo/to-cns/tinh?tinh=80')).status).toBe(200);
      expect((await (await as(ANALYST)).get('/can-bo/to-cns/tinh?tinh=01')).status).toBe(404);
      expect((await (await as(COMMUNE_LEADER)).get('/can-bo/to-cns/tinh')).status).toBe(403);
    });

    it('the hub shows a team member the way to the log', async () => {
      const html = await (await (await as(LEADER_ACCOUNT)).get('/can-bo/to-cns')).text();
      expect(html).toContain(`${B}/nhat-ky`);
      expect(html).not.toContain(`href="${B}"`);
    });
  });

  describe('guides', () => {
    it('publishes a guide with a picture; the public page and picture are served; drafts stay private', async () => {
      const author = await as(plain.login);
      const create = await author.post(`${B}/huong-dan`, { title: 'Cách nộp hồ sơ khai sinh trực tuyến', procedure_code: '9.999999' });
      expect(create.status).toBe(400);
      expect(await create.text()).toContain('Không tìm thấy thủ tục mã 9.999999');
      const id = await newGuide(plain.login);
      const G = `${B}/huong-dan/${id}`;
      const png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#3366cc' } }).png().toBuffer();
      const ok = await postFile(author, `${G}/buoc`, 'image', { name: 'man-hinh.png', bytes: new Uint8Array(png), type: 'image/png' }, { body: 'Mở ứng dụng VNeID, chọn Thủ tục hành chính', image_alt: 'Màn hình chính của VNeID' });
      expect(ok.status).toBe(303);
      const fake = await postFile(author, `${G}/buoc`, 'image', { name: 'anh.png', bytes: utf8('MZ this is not a picture'), type: 'image/png' }, { body: 'Bước giả' });
      expect(fake.status).toBe(400);
      expect(await fake.text()).toContain('Chỉ nhận ảnh JPG, PNG');
      const step = await h.db.selectFrom('team_guide_step').select(['id', 'image']).where('guide_id', '=', id).executeTakeFirstOrThrow();
      const stored = await sharp(Buffer.from(step.image!)).metadata();
      expect(stored.width).toBeLessThanOrEqual(900);
      const publicUrl = `/xa/${HOME}/huong-dan/${id}`;
      expect((await (await as(null)).get(publicUrl)).status).toBe(404);
      expect((await (await as(null)).get(`${publicUrl}/anh/${step.id}`)).status).toBe(404);
      expect((await author.get(publicUrl)).status).toBe(200);
      expect((await author.post(`${G}/dang`, { dang: '1' })).status).toBe(303);
      const html = await (await (await as(null)).get(publicUrl)).text();
      expect(html).toContain('Mở ứng dụng VNeID, chọn Thủ tục hành chính');
      expect(html).toContain('alt="Màn hình chính của VNeID"');
      const img = await (await as(null)).get(`${publicUrl}/anh/${step.id}`);
      expect(img.headers.get('content-type')).toBe('image/png');
      expect((await (await as(null)).get(`/xa/${HOME}/huong-dan`)).status).toBe(200);
      expect((await (await as(null)).get(`/xa/${OTHER}/huong-dan/${id}`)).status).toBe(404);
    });
  });
});
