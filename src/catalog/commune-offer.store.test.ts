import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { catalogSlice } from '../testing/catalog.js';
import { importCatalog } from './catalog.store.js';
import { changeOffer, fieldGroups, fieldSlug } from './commune-offer.service.js';
import {
  countByField,
  countByLifeEvent,
  countOffered,
  countProcedures,
  deleteOverride,
  listOffered,
  listOverrides,
  listProcedures,
  offerState,
  offeredCodes,
  procedureExists,
  searchHeads,
  upsertOverride,
} from './commune-offer.store.js';
import type { Procedure } from './procedure.js';

const HOME = '25459';
const OTHER = '25480';
const BIRTH = '1.001193';
const MINISTRY_ONLY = '1.000578';
const officer = { id: '00000000-0000-4000-8000-000000000001', label: 'Cán bộ thử' };

describe.each(testEngines())('commune offers and catalog listings on %s', (engine) => {
  let h: DbHandle;
  let slice: Procedure[];
  let communeLevel: string[];
  beforeAll(async () => {
    h = await openTestDb(engine);
    slice = await catalogSlice([BIRTH, '1.000110', MINISTRY_ONLY, '1.008563'], 20);
    await importCatalog(h.db, slice, { source: 'test' });
    communeLevel = slice.filter((p) => p.levels.includes('commune')).map((p) => p.code);
    // changed_by references app_user: the officer must exist.
    await h.db.insertInto('app_user').values({ id: officer.id, kind: 'staff', full_name: officer.label, phone: null, email: 'thu@test.xaso.vn', password_hash: null }).execute();
  });
  afterAll(() => h.close());

  it('offers every current commune-level procedure by default', async () => {
    expect([...(await offeredCodes(h.db, HOME))].sort()).toEqual([...communeLevel].sort());
    expect(await countOffered(h.db, HOME)).toBe(communeLevel.length);
    const all = await listOffered(h.db, HOME);
    // Grouped by field (the collation decides the order of the groups).
    const runs = all.map((p) => p.field).filter((f, i, a) => f !== a[i - 1]);
    expect(new Set(runs).size).toBe(runs.length);
    const page = await listOffered(h.db, HOME, { offset: 2, limit: 3 });
    expect(page.map((p) => p.code)).toEqual(all.slice(2, 5).map((p) => p.code));
    expect(await offerState(h.db, HOME, BIRTH)).toMatchObject({ offered: true, byDefault: true, override: null, procedure: { code: BIRTH, levels: ['commune'] } });
    expect(await offerState(h.db, HOME, MINISTRY_ONLY)).toMatchObject({ offered: false, byDefault: false, override: null });
    expect(await offerState(h.db, HOME, '9.999999')).toBeNull();
  });

  it('applies overrides to one commune only', async () => {
    await h.db.transaction().execute(async (tx) => {
      await upsertOverride(tx, { commune: HOME, code: BIRTH, offered: false, reason: 'thử bỏ', changedBy: officer.id });
      await upsertOverride(tx, { commune: HOME, code: MINISTRY_ONLY, offered: true, reason: 'thử thêm', changedBy: null });
    });
    const home = await offeredCodes(h.db, HOME);
    expect(home.has(BIRTH)).toBe(false);
    expect(home.has(MINISTRY_ONLY)).toBe(true);
    expect((await offeredCodes(h.db, OTHER)).has(BIRTH)).toBe(true);
    const overrides = await listOverrides(h.db, HOME);
    expect(overrides.map((o) => [o.code, o.offered, o.reason]).sort()).toEqual([
      [MINISTRY_ONLY, true, 'thử thêm'],
      [BIRTH, false, 'thử bỏ'],
    ].sort());
    // Replacing an override keeps one row per commune and procedure.
    await upsertOverride(h.db, { commune: HOME, code: BIRTH, offered: false, reason: 'lý do mới', changedBy: null });
    expect((await offerState(h.db, HOME, BIRTH))?.override?.reason).toBe('lý do mới');
    await deleteOverride(h.db, HOME, BIRTH);
    await deleteOverride(h.db, HOME, MINISTRY_ONLY);
    expect(await listOverrides(h.db, HOME)).toEqual([]);
  });

  it('changes an offer with an audit entry, storing only differences from the default', async () => {
    const removed = await changeOffer(h.db, officer, HOME, { code: BIRTH, reason: 'Chuyển về phường bên cạnh' }, false, { ip: '203.0.113.9' });
    expect(removed).toMatchObject({ ok: true, state: { offered: false, override: { reason: 'Chuyển về phường bên cạnh' } } });
    const again = await changeOffer(h.db, officer, HOME, { code: BIRTH, reason: 'x' }, false);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.errors.code).toContain('không giải quyết');
    const back = await changeOffer(h.db, officer, HOME, { code: BIRTH, reason: 'Nhận lại' }, true);
    expect(back).toMatchObject({ ok: true, state: { offered: true, override: null } });
    const unknown = await changeOffer(h.db, officer, HOME, { code: '9.999999', reason: 'x' }, true);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors.code).toContain('Không có thủ tục nào mang mã "9.999999"');
    const audit = await h.db.selectFrom('audit_log').select(['actor_id', 'unit_code', 'subject_id', 'detail', 'ip']).where('action', '=', 'catalog.commune_offer').orderBy('seq').execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor_id: officer.id, unit_code: HOME, subject_id: BIRTH, ip: '203.0.113.9', detail: { offered: false, reason: 'Chuyển về phường bên cạnh', commune: HOME } });
    expect(audit[1]?.detail).toMatchObject({ offered: true, reason: 'Nhận lại' });
  });

  it('counts procedures per life event and per field, with the commune-level share', async () => {
    const events = new Map((await countByLifeEvent(h.db)).map((e) => [e.key, e]));
    const expectedBirthGroup = slice.filter((p) => p.lifeEvents.includes('co-con-nho'));
    expect(events.get('co-con-nho')).toEqual({ key: 'co-con-nho', total: expectedBirthGroup.length, commune: expectedBirthGroup.filter((p) => p.levels.includes('commune')).length });
    const fields = await countByField(h.db);
    expect(fields.reduce((n, f) => n + f.total, 0)).toBe(slice.length);
    const civil = (await fieldGroups(h.db)).find((g) => g.slug === 'ho-tich');
    expect(civil).toMatchObject({ name: 'Hộ tịch', total: slice.filter((p) => p.field === 'Hộ tịch').length });
  });

  it('lists a group with commune-level procedures first, paged', async () => {
    const filter = { fields: ['Hộ tịch'] };
    const total = await countProcedures(h.db, filter);
    const items = await listProcedures(h.db, filter, { offset: 0, limit: 50 });
    expect(items).toHaveLength(total);
    const firstOther = items.findIndex((p) => !p.levels.includes('commune'));
    expect(firstOther).toBeGreaterThan(0);
    expect(items.slice(firstOther).every((p) => !p.levels.includes('commune'))).toBe(true);
    expect(items.map((p) => p.code)).toContain(MINISTRY_ONLY);
    expect((await listProcedures(h.db, filter, { offset: 1, limit: 1 }))[0]?.code).toBe(items[1]?.code);
    expect((await listProcedures(h.db, { lifeEvent: 'co-con-nho' }, { offset: 0, limit: 50 })).map((p) => p.code)).toContain(BIRTH);
    expect(await countProcedures(h.db, { fields: [] })).toBe(0);
  });

  it('finds procedures by code or name for officials, exact code first', async () => {
    expect((await searchHeads(h.db, BIRTH))[0]?.code).toBe(BIRTH);
    expect((await searchHeads(h.db, 'khai sinh')).map((p) => p.code)).toContain(BIRTH);
    expect(await searchHeads(h.db, '100%_')).toEqual([]);
    expect(await procedureExists(h.db, BIRTH)).toBe(true);
    expect(await procedureExists(h.db, 'nope')).toBe(false);
  });
});

describe('fieldSlug', () => {
  it('folds Vietnamese and merges spellings of one field', () => {
    expect(fieldSlug('Hộ tịch')).toBe('ho-tich');
    expect(fieldSlug('Đường bộ')).toBe('duong-bo');
    expect(fieldSlug('Thi đua – Khen thưởng')).toBe(fieldSlug('Thi đua, khen thưởng'));
    expect(fieldSlug('')).toBe('');
  });
});
