import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { HOME, OTHER, LEADER_ACCOUNT, OFFICER, makeStaff, teamsOf, userId, villagesOf } from './teams.fixtures.js';
import { lagOrder, monthlyReport, provinceRollup, totals, villageCoverage } from './teams.coverage.js';
import { addStep, createGuide, guidesForProcedure, setPublished } from './teams.guides.js';
import { correctEntry, correctionRight, createEntry, getEntry, listRevisions, standing, type LogActor } from './teams.log.js';
import { addDays, parseRole, parsePhone, todayVn, type LogValues } from './teams.schema.js';
import * as service from './teams.service.js';
import * as store from './teams.store.js';

const SYSTEM = { id: null, label: 'kiểm thử' };

function values(villageId: number, over: Partial<LogValues> = {}): LogValues {
  return {
    visit_date: todayVn(),
    village_id: villageId,
    households_visited: 5,
    eid_activated: 2,
    accounts_created: 1,
    dossiers_submitted: 1,
    cashless_setup: 0,
    apps_installed: 3,
    training_attendees: 0,
    note: '',
    ...over,
  };
}

describe('pure rules', () => {
  it('reads roles as people write them', () => {
    expect(parseRole('Tổ trưởng')).toBe('leader');
    expect(parseRole('to truong')).toBe('leader');
    expect(parseRole('ĐTN')).toBe('youth_union');
    expect(parseRole('Đoàn thanh niên')).toBe('youth_union');
    expect(parseRole('Hội Phụ nữ')).toBe('women_union');
    expect(parseRole('Công an xã')).toBe('police');
    expect(parseRole('Trưởng ấp')).toBe('village_head');
    expect(parseRole('Tổ trưởng tổ dân phố')).toBe('village_head');
    expect(parseRole('')).toBe('other');
    expect(parseRole('Thành viên')).toBe('other');
    expect(parseRole('giám đốc')).toBeNull();
  });

  it('reads phones, including a leading zero that Excel dropped', () => {
    expect(parsePhone('0912 345 678')).toBe('0912345678');
    expect(parsePhone('+84912345678')).toBe('0912345678');
    expect(parsePhone('912345678')).toBe('0912345678');
    expect(parsePhone('0212345678')).toBeNull();
    expect(parsePhone('12345')).toBeNull();
  });
});

describe.each(testEngines())('teams store on %s', (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db);
  });
  afterAll(() => h.close());

  describe('registry', () => {
    it('adds villages and teams, refusing a name already used (with or without diacritics)', async () => {
      const v = await service.addVillage(h.db, SYSTEM, HOME, { name: 'Ấp Thạnh Đông', kind: 'ap', households: 300 });
      expect(v.ok).toBe(true);
      const dup = await service.addVillage(h.db, SYSTEM, HOME, { name: 'ap thanh dong', kind: 'ap', households: null });
      expect(dup).toEqual({ ok: false, errors: { name: expect.stringContaining('đã có') } });
      // The same name in another commune is another village.
      expect((await service.addVillage(h.db, SYSTEM, OTHER, { name: 'Ấp Thạnh Đông', kind: 'ap', households: 10 })).ok).toBe(true);
      const id = (v as { id: number }).id;
      const t = await service.addTeam(h.db, SYSTEM, HOME, { name: 'Tổ CNS Thạnh Đông', villageId: id });
      expect(t.ok).toBe(true);
      expect((await service.addTeam(h.db, SYSTEM, HOME, { name: 'TO CNS THANH DONG', villageId: id })).ok).toBe(false);
      // A village of another commune cannot hold this commune's team.
      const foreign = (await villagesOf(h.db, OTHER))[0]!;
      expect(await service.addTeam(h.db, SYSTEM, HOME, { name: 'Tổ lạc', villageId: foreign.id })).toEqual({ ok: false, errors: { village_id: expect.any(String) } });
    });

    it('adds, edits and retires members; a phone belongs to one active member per commune', async () => {
      const team = (await teamsOf(h.db, HOME))[0]!;
      const a = await service.addMember(h.db, SYSTEM, HOME, team.id, { fullName: 'Ngô Thị Sen', phone: '0977000111', role: 'women_union', userId: null });
      expect(a.ok).toBe(true);
      const again = await service.addMember(h.db, SYSTEM, HOME, team.id, { fullName: 'Người khác', phone: '0977000111', role: 'other', userId: null });
      expect(again).toEqual({ ok: false, errors: { phone: expect.stringContaining('đã có') } });
      const id = (a as { id: number }).id;
      expect((await service.editMember(h.db, SYSTEM, HOME, id, { fullName: 'Ngô Thị Sen', phone: '0977000112', role: 'leader', userId: null, teamId: team.id })).ok).toBe(true);
      expect((await store.getMember(h.db, HOME, id))!.phone).toBe('0977000112');
      expect((await service.removeMember(h.db, SYSTEM, HOME, id)).ok).toBe(true);
      // Retired: the number is free again, and the record is kept.
      expect((await service.addMember(h.db, SYSTEM, HOME, team.id, { fullName: 'Ngô Thị Sen', phone: '0977000112', role: 'other', userId: null })).ok).toBe(true);
      expect((await store.getMember(h.db, HOME, id))!.leftAt).not.toBeNull();
      const audit = await h.db.selectFrom('audit_log').select(['action', 'pd_changed']).where('subject_id', '=', `${HOME}/${id}`).orderBy('seq').execute();
      expect(audit.map((x) => x.action)).toEqual(['teams.member_add', 'teams.member_edit', 'teams.member_leave']);
      expect(audit[0]!.pd_changed).toEqual(['full_name', 'phone', 'role']);
      expect(audit[1]!.pd_changed).toEqual(['phone']);
    });

    it('links a member only to a team-member account of the same commune', async () => {
      const team = (await teamsOf(h.db, HOME))[0]!;
      const officer = await userId(h.db, OFFICER);
      const r = await service.addMember(h.db, SYSTEM, HOME, team.id, { fullName: 'Cán bộ', phone: '0977000222', role: 'other', userId: officer });
      expect(r).toEqual({ ok: false, errors: { user_id: expect.any(String) } });
      const leader = await userId(h.db, LEADER_ACCOUNT);
      const taken = await service.addMember(h.db, SYSTEM, HOME, team.id, { fullName: 'Trùng tài khoản', phone: '0977000223', role: 'other', userId: leader });
      expect(taken).toEqual({ ok: false, errors: { user_id: expect.stringContaining('đã gắn') } });
    });
  });

  describe('field log', () => {
    let author: LogActor;
    let villageId: number;
    beforeAll(async () => {
      const team = (await teamsOf(h.db, HOME))[0]!;
      villageId = team.village_id;
      const s = await makeStaff(h.db, { commune: HOME, member: { teamId: team.id, role: 'other', phone: '0977100001' } });
      author = { id: s.id, label: 'Tác giả thử', grants: [{ unitCode: HOME, role: 'team_member' }] };
    });

    it('records a visit once per key, however often the form is posted', async () => {
      const key = 'k-0123456789abcdef';
      const first = await createEntry(h.db, author, HOME, key, values(villageId));
      const second = await createEntry(h.db, author, HOME, key, values(villageId));
      expect(first).toMatchObject({ ok: true, created: true });
      expect(second).toMatchObject({ ok: true, created: false, sameValues: true, id: (first as { id: number }).id });
      const n = await h.db.selectFrom('team_log_entry').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
      const audits = await h.db.selectFrom('audit_log').select('action').where('subject_id', '=', `${HOME}/${(first as { id: number }).id}`).execute();
      expect(audits.map((a) => a.action)).toEqual(['teams.log_add']);
    });

    it('makes one entry when the same key arrives twice at once', async () => {
      const key = 'k-concurrent-000001';
      const results = await Promise.all(Array.from({ length: 4 }, () => createEntry(h.db, author, HOME, key, values(villageId))));
      const ids = new Set(results.map((r) => (r as { id: number }).id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
      const n = await h.db.selectFrom('team_log_entry').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
    });

    it("says so when a key comes back with other values, and never hands one author's entry to another", async () => {
      const key = 'k-changed-values-01';
      await createEntry(h.db, author, HOME, key, values(villageId));
      expect(await createEntry(h.db, author, HOME, key, values(villageId, { households_visited: 9 }))).toMatchObject({ ok: true, created: false, sameValues: false });
      const other: LogActor = { id: await userId(h.db, LEADER_ACCOUNT), label: 'x', grants: [{ unitCode: HOME, role: 'team_member' }] };
      expect(await createEntry(h.db, other, HOME, key, values(villageId))).toEqual({ ok: false, conflict: true });
    });

    it('refuses a future date, a date too far back and a village of another commune', async () => {
      const tomorrow = addDays(todayVn(), 1);
      expect(await createEntry(h.db, author, HOME, 'k-future-date-0001', values(villageId, { visit_date: tomorrow }))).toEqual({ ok: false, errors: { visit_date: expect.stringContaining('sau hôm nay') } });
      expect(await createEntry(h.db, author, HOME, 'k-old-date-000001', values(villageId, { visit_date: addDays(todayVn(), -120) }))).toEqual({ ok: false, errors: { visit_date: expect.stringContaining('quá xa') } });
      const foreign = (await villagesOf(h.db, OTHER))[0]!;
      expect(await createEntry(h.db, author, HOME, 'k-foreign-village1', values(foreign.id))).toEqual({ ok: false, errors: { village_id: expect.any(String) } });
    });

    it('lets the author correct for 7 days, then only the team leader or an official; every correction kept', async () => {
      const made = (await createEntry(h.db, author, HOME, 'k-correct-0000001', values(villageId))) as { id: number };
      const day = 86_400_000;
      const created = (await getEntry(h.db, HOME, made.id))!.createdAt.getTime();
      const r1 = await correctEntry(h.db, author, HOME, made.id, values(villageId, { households_visited: 6 }), 'ghi nhầm số hộ', new Date(created + 6 * day));
      expect(r1).toEqual({ ok: true, revision: 2 });
      const late = await correctEntry(h.db, author, HOME, made.id, values(villageId, { households_visited: 7 }), 'sửa muộn', new Date(created + 8 * day));
      expect(late).toEqual({ ok: false, forbidden: expect.stringContaining('7 ngày') });
      const leader: LogActor = { id: await userId(h.db, LEADER_ACCOUNT), label: 'Tổ trưởng', grants: [{ unitCode: HOME, role: 'team_member' }] };
      expect(await correctEntry(h.db, leader, HOME, made.id, values(villageId, { households_visited: 7 }), 'tổ trưởng sửa', new Date(created + 30 * day))).toEqual({ ok: true, revision: 3 });
      const official: LogActor = { id: await userId(h.db, OFFICER), label: 'Cán bộ', grants: [{ unitCode: HOME, role: 'receiving_officer' }] };
      expect(await correctEntry(h.db, official, HOME, made.id, values(villageId, { households_visited: 8 }), 'cán bộ sửa', new Date(created + 60 * day))).toEqual({ ok: true, revision: 4 });
      // A member of another team neither sees nor corrects it.
      const otherTeam = (await teamsOf(h.db, HOME))[1]!;
      const stranger = await makeStaff(h.db, { commune: HOME, member: { teamId: otherTeam.id, role: 'leader', phone: '0977100002' } });
      const s: LogActor = { id: stranger.id, label: 'Người ngoài', grants: [{ unitCode: HOME, role: 'team_member' }] };
      expect(await correctEntry(h.db, s, HOME, made.id, values(villageId, { households_visited: 1 }), 'không được', new Date(created + day))).toEqual({ ok: false, notFound: true });
      const history = await listRevisions(h.db, HOME, made.id);
      expect(history.map((x) => [x.revision, x.oldValues.households_visited, x.reason])).toEqual([
        [3, 7, 'cán bộ sửa'],
        [2, 6, 'tổ trưởng sửa'],
        [1, 5, 'ghi nhầm số hộ'],
      ]);
      expect((await getEntry(h.db, HOME, made.id))!.households_visited).toBe(8);
      const audit = await h.db.selectFrom('audit_log').select('detail').where('action', '=', 'teams.log_correct').where('subject_id', '=', `${HOME}/${made.id}`).orderBy('seq').execute();
      expect(audit.map((a) => (a.detail as { as: string }).as)).toEqual(['author', 'leader', 'official']);
    });

    it('states the correction right as a pure rule', async () => {
      const s = await standing(h.db, author, HOME);
      const entry = { authorId: author.id, teamId: s.teamId, createdAt: new Date('2026-01-01T00:00:00Z') };
      expect(correctionRight(entry, author.id, s, new Date('2026-01-07T23:59:00Z'))).toEqual({ allowed: true, as: 'author' });
      expect(correctionRight(entry, author.id, s, new Date('2026-01-08T00:00:00Z')).allowed).toBe(false);
    });
  });

  describe('coverage', () => {
    it('caps households reached at the household count, and ranks the lowest coverage first', async () => {
      const [a, b] = await Promise.all([service.addVillage(h.db, SYSTEM, OTHER, { name: 'Ấp Đo Phủ A', kind: 'ap', households: 10 }), service.addVillage(h.db, SYSTEM, OTHER, { name: 'Ấp Đo Phủ B', kind: 'ap', households: 100 })]);
      const none = await service.addVillage(h.db, SYSTEM, OTHER, { name: 'Ấp Chưa Đếm', kind: 'ap', households: null });
      const ida = (a as { id: number }).id;
      const idb = (b as { id: number }).id;
      const member = await makeStaff(h.db, { commune: OTHER });
      const actor: LogActor = { id: member.id, label: 'x', grants: [{ unitCode: OTHER, role: 'team_member' }] };
      await createEntry(h.db, actor, OTHER, 'k-coverage-a-00001', values(ida, { households_visited: 8, eid_activated: 4 }));
      await createEntry(h.db, actor, OTHER, 'k-coverage-a-00002', values(ida, { households_visited: 8, eid_activated: 1 }));
      await createEntry(h.db, actor, OTHER, 'k-coverage-b-00001', values(idb, { households_visited: 20, dossiers_submitted: 5, eid_activated: 0 }));
      const list = await villageCoverage(h.db, OTHER, { from: null, to: todayVn() });
      const va = list.find((v) => v.id === ida)!;
      const vb = list.find((v) => v.id === idb)!;
      expect(va).toMatchObject({ reached: 10, coverage: 1, eidPer100: 50 });
      expect(vb).toMatchObject({ reached: 20, coverage: 0.2, onlinePer100: 5 });
      const { ranked, unknown } = lagOrder(list.filter((v) => [ida, idb, (none as { id: number }).id].includes(v.id)));
      expect(ranked.map((v) => v.id)).toEqual([idb, ida]);
      expect(unknown.map((v) => v.name)).toEqual(['Ấp Chưa Đếm']);
      const t = totals(list.filter((v) => v.id === ida || v.id === idb));
      expect(t).toMatchObject({ households: 110, reached: 30, visits: 3, householdsVisited: 36 });
      expect(t.coverage).toBeCloseTo(30 / 110);
    });

    it('builds the month report and the province roll-up', async () => {
      const month = todayVn().slice(0, 7);
      const r = await monthlyReport(h.db, HOME, month);
      expect(r.communeName).toBe('Phường Tân Ninh');
      expect(r.villages.length).toBeGreaterThan(5);
      expect(r.totals.visits).toBeGreaterThan(0);
      const roll = await provinceRollup(h.db, '80', month);
      expect(roll.communes.map((c) => c.code).sort()).toEqual(['25459', '25480', '25486']);
      for (let i = 1; i < roll.communes.length; i++) expect(roll.communes[i]!.coverage ?? 0).toBeGreaterThanOrEqual(roll.communes[i - 1]!.coverage ?? 0);
      expect(roll.without).toBeGreaterThan(50);
    });
  });

  describe('guides', () => {
    it('finds published guides for a procedure, the asking commune first', async () => {
      const author = { id: await userId(h.db, LEADER_ACCOUNT), label: 'x' };
      const other = { id: await userId(h.db, 'totcns.tanbien@demo.xaso.vn'), label: 'y' };
      const mine = (await createGuide(h.db, author, HOME, { title: 'Nộp hồ sơ kết hôn trực tuyến', procedure_code: null })) as { id: number };
      expect(mine.id).toBeGreaterThan(0);
      await addStep(h.db, author, HOME, mine.id, { body: 'Mở ứng dụng VNeID', image_alt: '' }, null);
      // The seed publishes one guide for 1.001193 per demo commune.
      const list = await guidesForProcedure(h.db, '1.001193', { commune: '25486' });
      expect(list[0]!.communeCode).toBe('25486');
      expect(list.map((g) => g.communeCode).sort()).toEqual(['25459', '25480', '25486']);
      expect(list[0]!.url).toMatch(/^\/xa\/25486\/huong-dan\/\d+$/);
      expect(list[0]!.steps).toBe(4);
      // A draft is not listed.
      const draft = (await createGuide(h.db, other, '25486', { title: 'Bản nháp khai sinh', procedure_code: null })) as { id: number };
      await h.db.updateTable('team_guide').set({ procedure_code: '1.001193' }).where('id', '=', draft.id).execute();
      expect((await guidesForProcedure(h.db, '1.001193')).some((g) => g.id === draft.id)).toBe(false);
      expect(await setPublished(h.db, other, '25486', draft.id, true)).toEqual({ ok: false, errors: { body: expect.any(String) } });
    });
  });
});
