import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../../catalog/catalog.store.js';
import { seedDemo } from '../../demo/seed.js';
import type { DbHandle } from '../../platform/db.js';
import { catalogSlice } from '../../testing/catalog.js';
import { openTestDb, testEngines } from '../../testing/db.js';
import {
  attachDraftFile,
  countOpenDrafts,
  createDraft,
  deleteDraft,
  findOwnDraft,
  lastAddress,
  listOpenDrafts,
  markDraftSubmitted,
  removeDraftFile,
  saveDraftData,
  setDraftCommune,
  type Who,
} from './drafts.store.js';
import { BIRTH, CITIZEN, CITIZEN_2, HOME, OTHER, userId } from './test-setup.js';

const file = (n: number) => ({ sha256: String(n).repeat(64).slice(0, 64).replace(/[^0-9]/g, 'a'), fileName: `giay-${n}.pdf`, size: 100 + n, mime: 'application/pdf' });

describe.each(testEngines())('submission drafts on %s', (engine) => {
  let h: DbHandle;
  let owner: Who;
  let stranger: Who;
  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db);
    await importCatalog(h.db, await catalogSlice([BIRTH], 1), { source: 'test' });
    owner = { id: await userId(h, CITIZEN), label: 'Nguyễn Thị Lan', ip: '192.0.2.1' };
    stranger = { id: await userId(h, CITIZEN_2), label: 'Trần Văn Hùng', ip: '192.0.2.2' };
  });
  afterAll(() => h.close());

  it('creates a draft only its owner can read, with an audit entry', async () => {
    const id = await createDraft(h.db, owner, { communeCode: HOME, procedureCode: BIRTH, data: { mode: 'online' } });
    expect(await findOwnDraft(h.db, id, owner.id)).toMatchObject({ id, commune_code: HOME, procedure_code: BIRTH, data: { mode: 'online' }, files: {}, submitted_dossier: null });
    expect(await findOwnDraft(h.db, id, stranger.id)).toBeUndefined();
    expect(await findOwnDraft(h.db, 'x0', owner.id)).toBeUndefined();
    const audit = await h.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', id).execute();
    expect(audit).toEqual([{ action: 'dossier_draft.create', actor_id: owner.id }]);
  });

  it('merges answers; a stranger’s write changes nothing', async () => {
    const id = await createDraft(h.db, owner, { communeCode: HOME, procedureCode: BIRTH, data: { mode: 'online' } });
    expect(await saveDraftData(h.db, id, owner, { applicant: { name: 'Nguyễn Thị Lan', phone: CITIZEN, email: null, address: 'Khu phố 1' } }, { fields: ['applicant_name'] })).toBe(true);
    expect(await saveDraftData(h.db, id, owner, { caseNo: 2 })).toBe(true);
    expect(await saveDraftData(h.db, id, stranger, { caseNo: 0 })).toBe(false);
    expect(await setDraftCommune(h.db, id, stranger.id, OTHER)).toBe(false);
    expect(await setDraftCommune(h.db, id, owner.id, OTHER)).toBe(true);
    const d = (await findOwnDraft(h.db, id, owner.id))!;
    expect(d.data).toEqual({ mode: 'online', applicant: { name: 'Nguyễn Thị Lan', phone: CITIZEN, email: null, address: 'Khu phố 1' }, caseNo: 2, communeChosen: true });
    expect(d.commune_code).toBe(OTHER);
    const audits = await h.db.selectFrom('audit_log').select(['action', 'pd_changed']).where('subject_id', '=', id).orderBy('seq').execute();
    expect(audits.map((a) => a.action)).toEqual(['dossier_draft.create', 'dossier_draft.update']);
  });

  it('keeps every file when papers are attached at the same time (one statement per change)', async () => {
    const id = await createDraft(h.db, owner, { communeCode: HOME, procedureCode: BIRTH, data: { mode: 'online' } });
    await Promise.all([0, 1, 2, 3].map((n) => attachDraftFile(h.db, id, owner, `0.${n}`, file(n))));
    let d = (await findOwnDraft(h.db, id, owner.id))!;
    expect(Object.keys(d.files).sort()).toEqual(['0.0', '0.1', '0.2', '0.3']);
    // Replacing keeps one file per paper.
    await attachDraftFile(h.db, id, owner, '0.1', file(7));
    expect(await attachDraftFile(h.db, id, stranger, '0.1', file(8))).toBe(false);
    expect(await removeDraftFile(h.db, id, stranger.id, '0.2')).toBe(false);
    expect(await removeDraftFile(h.db, id, owner.id, '0.2')).toBe(true);
    d = (await findOwnDraft(h.db, id, owner.id))!;
    expect(d.files['0.1']).toEqual([file(7)]);
    expect(d.files['0.2']).toBeUndefined();
  });

  it('a submitted draft is frozen; marking it again with the same dossier is harmless', async () => {
    const id = await createDraft(h.db, owner, { communeCode: HOME, procedureCode: BIRTH, data: { mode: 'online' } });
    const dossier = '00000000-0000-4000-8000-000000000001';
    await markDraftSubmitted(h.db, id, owner.id, dossier);
    await markDraftSubmitted(h.db, id, owner.id, dossier);
    await markDraftSubmitted(h.db, id, owner.id, '00000000-0000-4000-8000-000000000002');
    expect((await findOwnDraft(h.db, id, owner.id))!.submitted_dossier).toBe(dossier);
    expect(await saveDraftData(h.db, id, owner, { caseNo: 1 })).toBe(false);
    expect(await attachDraftFile(h.db, id, owner, '0.0', file(1))).toBe(false);
    expect(await deleteDraft(h.db, id, owner)).toBe(false);
    expect((await listOpenDrafts(h.db, owner.id, 'online')).some((x) => x.id === id)).toBe(false);
  });

  it('lists open drafts per owner and mode, counts them, deletes only one’s own', async () => {
    const before = await countOpenDrafts(h.db, stranger.id);
    const a = await createDraft(h.db, stranger, { communeCode: HOME, procedureCode: BIRTH, data: { mode: 'online' } });
    const list = await listOpenDrafts(h.db, stranger.id, 'online');
    expect(list[0]).toMatchObject({ id: a, procedure_code: BIRTH, procedure_name: 'Thủ tục đăng ký khai sinh' });
    expect(await listOpenDrafts(h.db, stranger.id, 'assisted')).toEqual([]);
    expect(await countOpenDrafts(h.db, stranger.id)).toBe(before + 1);
    expect(await deleteDraft(h.db, a, owner)).toBe(false);
    expect(await deleteDraft(h.db, a, stranger)).toBe(true);
    expect(await countOpenDrafts(h.db, stranger.id)).toBe(before);
  });

  it('remembers the last address given, for the next draft', async () => {
    const id = await createDraft(h.db, stranger, { communeCode: HOME, procedureCode: BIRTH, data: { mode: 'online' } });
    await saveDraftData(h.db, id, stranger, { applicant: { name: 'Trần Văn Hùng', phone: CITIZEN_2, email: null, address: 'Ấp 3, xã Tân Biên' } });
    expect(await lastAddress(h.db, stranger.id)).toBe('Ấp 3, xã Tân Biên');
  });
});
