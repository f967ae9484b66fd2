import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../../catalog/catalog.store.js';
import { workingCalendar } from '../../calendar/shared.js';
import { seedDemo } from '../../demo/seed.js';
import { verifyAuditChain } from '../../platform/audit.js';
import type { DbHandle } from '../../platform/db.js';
import { catalogSlice } from '../../testing/catalog.js';
import { TestClock } from '../../testing/clock.js';
import { openTestDb, testEngines } from '../../testing/db.js';
import { onDossiersChanged } from '../changes.js';
import { act, attachSupplement, rateDossier, submitDossier, type DossierActor, type RecordOutcome } from '../dossiers.service.js';
import type { DossierRow } from '../dossiers.store.js';
import { BIRTH, CITIZEN, CITIZEN_2, HOME, userId } from '../submit/test-setup.js';
import type { ActionName } from '../workflow.js';
import { lookupTracked } from './lookup.js';
import { findOwnDossier, listAttached, listOwnDossiers, supplementRequestedAt } from './tracking.store.js';

const officer: DossierActor = { id: null, label: 'Cán bộ tiếp nhận', roles: ['receiving_officer'] };
const specialist: DossierActor = { id: null, label: 'Chuyên viên', roles: ['specialist'] };
const leader: DossierActor = { id: null, label: 'Lãnh đạo', roles: ['commune_leader'] };
const SHA = 'a'.repeat(64);

describe.each(testEngines())('citizens’ dossier store on %s', (engine) => {
  let h: DbHandle;
  let lan: string;
  let hung: string;
  let n = 0;
  const clock = new TestClock();
  const deps = async () => ({ db: h.db, calendar: await workingCalendar(), clock });

  async function submit(applicantId: string): Promise<DossierRow> {
    const r = await submitDossier(await deps(), {
      communeCode: HOME,
      procedureCode: BIRTH,
      caseNo: 0,
      applicant: { id: applicantId, name: 'Người nộp', phone: CITIZEN, email: null, address: 'Khu phố 1' },
      channel: 'online',
      assistedBy: null,
      consent: false,
      idempotencyKey: `store-${engine}-${++n}`,
      files: [],
      actorLabel: 'Người nộp',
      ip: null,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.dossier;
  }

  async function step(d: DossierRow, actor: DossierActor, action: ActionName, note?: string): Promise<DossierRow> {
    const r = await act(await deps(), { communeCode: d.commune_code, dossierId: d.id, action, expectedVersion: d.version, actor, ip: null, ...(note ? { note } : {}) });
    if (!r.ok) throw new Error(`${action}: ${r.message}`);
    return r.dossier;
  }

  async function returned(applicantId: string): Promise<DossierRow> {
    let d = await submit(applicantId);
    for (const [actor, action] of [
      [officer, 'accept'],
      [officer, 'assign'],
      [specialist, 'appraise'],
      [leader, 'approve'],
      [officer, 'return_result'],
    ] as const)
      d = await step(d, actor, action);
    return d;
  }

  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db);
    await importCatalog(h.db, await catalogSlice([BIRTH], 1), { source: 'test' });
    await h.db.insertInto('stored_file').values({ sha256: SHA, size_bytes: 10, mime: 'application/pdf' }).execute();
    lan = await userId(h, CITIZEN);
    hung = await userId(h, CITIZEN_2);
  });
  afterAll(() => h.close());

  it('looks codes up together: concurrent look-ups share one query and each gets its own dossier and history', async () => {
    const plain = await submit(lan);
    const done = await returned(hung);
    let queries = 0;
    const counted = h.db.withPlugin({
      transformQuery: (args) => (queries++, args.node),
      transformResult: async (args) => args.result,
    });
    const [a, b, none] = await Promise.all([lookupTracked(counted, plain.code), lookupTracked(counted, done.code), lookupTracked(counted, 'KHONG-CO-0000')]);
    expect(queries).toBe(1);
    expect(a?.dossier.id).toBe(plain.id);
    expect(a?.events.map((e) => e.action)).toEqual(['submit']);
    expect(b?.dossier.id).toBe(done.id);
    expect(b?.procedureName).toBe('Thủ tục đăng ký khai sinh');
    expect(b?.events.map((e) => e.action)).toEqual(['submit', 'accept', 'assign', 'appraise', 'approve', 'return_result']);
    expect(b?.events.every((e) => e.at instanceof Date && !Number.isNaN(e.at.getTime()))).toBe(true);
    expect(b?.events[1]?.due_date).toBe(done.due_date);
    expect(none).toBeNull();
  });

  it('lists and opens only the applicant’s own dossiers', async () => {
    const mine = await submit(lan);
    const theirs = await submit(hung);
    const list = await listOwnDossiers(h.db, lan);
    expect(list.map((d) => d.id)).toContain(mine.id);
    expect(list.map((d) => d.id)).not.toContain(theirs.id);
    expect(list[0]).toMatchObject({ procedure_name: 'Thủ tục đăng ký khai sinh' });
    expect(await findOwnDossier(h.db, mine.id, lan)).toMatchObject({ id: mine.id, code: mine.code, rating: null, rating_comment: null });
    expect(await findOwnDossier(h.db, theirs.id, lan)).toBeUndefined();
    expect(await findOwnDossier(h.db, 'x0', lan)).toBeUndefined();
  });

  /** Outcome, version, events and change notices of one dossier: every change goes through the service. */
  const said = (o: RecordOutcome) => (o.ok ? 'ok' : o.code);
  async function trail(id: string) {
    const row = await h.db.selectFrom('dossier').select('version').where('id', '=', id).executeTakeFirstOrThrow();
    const events = await h.db.selectFrom('dossier_event').select('action').where('dossier_id', '=', id).orderBy('seq').execute();
    return { version: row.version, events: events.map((e) => e.action) };
  }

  it('takes supplementary papers only while a supplement is awaited, from the applicant; each one a version, an event and a change notice', async () => {
    const d = await submit(lan);
    const file = { paperNo: 0, sha256: SHA, fileName: 'a.pdf' };
    const by = (applicantId: string) => ({ dossierId: d.id, applicantId, file, actorLabel: 'Nguyễn Thị Lan', ip: null });
    expect(said(await attachSupplement(await deps(), by(lan)))).toBe('refused');
    await step(d, officer, 'request_supplement', 'Thiếu giấy chứng sinh.');
    expect(await supplementRequestedAt(h.db, HOME, d.id)).not.toBeNull();
    expect(said(await attachSupplement(await deps(), by(hung)))).toBe('not_found');
    const before = await trail(d.id);
    const heard: string[][] = [];
    const stop = onDossiersChanged((units) => heard.push([...units]));
    try {
      expect(said(await attachSupplement(await deps(), by(lan)))).toBe('ok');
    } finally {
      stop();
    }
    const after = await trail(d.id);
    expect(after.version).toBe(before.version + 1);
    expect(after.events).toEqual([...before.events, 'attach_supplement']);
    expect(heard).toContainEqual([HOME, HOME]);
    expect((await listAttached(h.db, HOME, d.id)).map((f) => f.file_name)).toEqual(['a.pdf']);
    const audit = await h.db.selectFrom('audit_log').select('action').where('subject_id', '=', d.id).where('action', '=', 'dossier.attach_supplement').execute();
    expect(audit).toHaveLength(1);
  });

  it('a returned dossier is rated once, even by two requests at the same moment; the rating is a version, an event and a change notice', async () => {
    const open = await submit(lan);
    const rate = async (dossierId: string, applicantId: string, rating: number, comment: string | null = null) =>
      rateDossier(await deps(), { dossierId, applicantId, rating, comment, actorLabel: 'Lan', ip: null });
    expect(said(await rate(open.id, lan, 5))).toBe('refused');
    const d = await returned(lan);
    expect(said(await rate(d.id, hung, 1))).toBe('not_found');
    const before = await trail(d.id);
    const heard: string[][] = [];
    const stop = onDossiersChanged((units) => heard.push([...units]));
    let outcomes: string[];
    try {
      outcomes = (await Promise.all([rate(d.id, lan, 4, 'Cán bộ nhiệt tình.'), rate(d.id, lan, 2)])).map(said);
    } finally {
      stop();
    }
    expect(outcomes.sort()).toEqual(['already_rated', 'ok']);
    expect(heard).toHaveLength(1);
    const after = await trail(d.id);
    expect(after.version).toBe(before.version + 1);
    expect(after.events).toEqual([...before.events, 'rate']);
    const row = await h.db.selectFrom('dossier').select(['rating', 'rating_comment']).where('id', '=', d.id).executeTakeFirstOrThrow();
    expect([4, 2]).toContain(row.rating);
    const audits = await h.db.selectFrom('audit_log').select('action').where('subject_id', '=', d.id).where('action', '=', 'dossier.rate').execute();
    expect(audits).toHaveLength(1);
    expect(said(await rate(d.id, lan, 5))).toBe('already_rated');
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });
});
