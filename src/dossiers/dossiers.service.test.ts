import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../catalog/catalog.store.js';
import { loadDefaultCalendar, type HolidayCalendar } from '../calendar/index.js';
import { verifyAuditChain } from '../platform/audit.js';
import type { DbHandle } from '../platform/db.js';
import { catalogSlice } from '../testing/catalog.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { act, submitDossier, type DossierActor, type SubmitInput } from './dossiers.service.js';
import { listEvents, listPauses } from './dossiers.store.js';
import { STATUS } from './workflow.js';
import { TestClock } from '../testing/clock.js';

const COMMUNE = '25459';
const officer: DossierActor = { id: null, label: 'Cán bộ tiếp nhận', roles: ['receiving_officer'] };
const specialist: DossierActor = { id: null, label: 'Chuyên viên', roles: ['specialist'] };
const leader: DossierActor = { id: null, label: 'Lãnh đạo', roles: ['commune_leader'] };
const citizen: DossierActor = { id: null, label: 'Người dân', roles: ['applicant'] };


function submission(key: string): SubmitInput {
  return {
    communeCode: COMMUNE,
    procedureCode: '1.001193',
    caseNo: 0,
    applicant: { id: null, name: 'Nguyễn Thị Lan', phone: '0912000001', email: null, address: 'Khu phố 1' },
    channel: 'online',
    assistedBy: null,
    consent: false,
    idempotencyKey: key,
    files: [],
    actorLabel: 'Nguyễn Thị Lan',
    ip: null,
  };
}

describe.each(testEngines())('dossier service on %s', (engine) => {
  let h: DbHandle;
  let calendar: HolidayCalendar;
  const clock = new TestClock(new Date('2026-03-09T09:00:00+07:00'));
  const deps = () => ({ db: h.db, calendar, clock });
  beforeAll(async () => {
    h = await openTestDb(engine);
    calendar = await loadDefaultCalendar();
    await importCatalog(h.db, await catalogSlice(['1.001193'], 5), { source: 'test' });
  });
  afterAll(() => h.close());

  it('submits once per idempotency key, with a code of agency + date + sequence', async () => {
    const [a, b] = await Promise.all([submitDossier(deps(), submission('k-1')), submitDossier(deps(), submission('k-1'))]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.dossier.id).toBe(b.dossier.id);
    expect(a.dossier.code).toMatch(/^25459-260309-\d{4}$/);
    const n = await h.db.selectFrom('dossier').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', 'k-1').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    const other = await submitDossier(deps(), submission('k-2'));
    expect(other.ok && other.dossier.code).not.toBe(a.dossier.code);
  });

  it('answers a replayed key only to whoever first used it', async () => {
    await submitDossier(deps(), submission('k-mine'));
    const stranger = await submitDossier(deps(), { ...submission('k-mine'), assistedBy: { id: '00000000-0000-4000-8000-000000000001', label: 'x' }, consent: true, channel: 'counter' });
    expect(stranger).toMatchObject({ ok: false, errors: { idempotency_key: expect.any(String) } });
  });

  it('runs supplement → accept → appraise → approve → return; pauses move the due date; every step is an event and an audit entry', async () => {
    clock.set('2026-03-09T09:00:00+07:00');
    const s = await submitDossier(deps(), submission('k-flow'));
    if (!s.ok) throw new Error('submit failed');
    let d = s.dossier;
    const step = async (actor: DossierActor, action: Parameters<typeof act>[1]['action'], extra: Partial<Parameters<typeof act>[1]> = {}) => {
      const r = await act(deps(), { communeCode: COMMUNE, dossierId: d.id, action, expectedVersion: d.version, actor, ip: null, ...extra });
      if (!r.ok) throw new Error(`${action}: ${r.message}`);
      d = r.dossier;
      return r;
    };
    const supp = await step(officer, 'request_supplement', { note: 'Thiếu giấy chứng sinh (bản chính).' });
    expect(supp.form).toBe('02');
    expect(d.status).toBe(STATUS.supplementRequested);
    clock.set('2026-03-10T10:00:00+07:00');
    await step(citizen, 'resubmit');
    expect(d.status).toBe(STATUS.submitted);
    const accepted = await step(officer, 'accept');
    expect(accepted.form).toBe('01');
    const baseDue = d.due_date!;
    expect(baseDue > '2026-03-10').toBe(true);
    await step(officer, 'assign');
    clock.set('2026-03-10T14:00:00+07:00');
    await step(specialist, 'request_supplement', { note: 'Bản sao giấy đăng ký kết hôn bị mờ, nộp lại bản rõ.' });
    expect(d.due_date).toBeNull();
    clock.set('2026-03-12T09:00:00+07:00');
    await step(citizen, 'resubmit');
    expect(d.due_date! > baseDue).toBe(true);
    expect(d.status).toBe(STATUS.inProcess);
    const pauses = await listPauses(h.db, COMMUNE, d.id);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]!.resumed_at).not.toBeNull();
    await step(specialist, 'appraise');
    await step(leader, 'approve');
    await step(officer, 'return_result');
    expect(d.status).toBe(STATUS.returned);
    const events = await listEvents(h.db, COMMUNE, d.id);
    expect(events.map((e) => e.action)).toEqual(['submit', 'request_supplement', 'resubmit', 'accept', 'assign', 'request_supplement', 'resubmit', 'appraise', 'approve', 'return_result']);
    const audits = await h.db.selectFrom('audit_log').select('action').where('subject_id', '=', d.id).execute();
    expect(audits).toHaveLength(10);
    const sms = await h.db.selectFrom('outbox').select('body').where('recipient', '=', '0912000001').execute();
    expect(sms.length).toBeGreaterThanOrEqual(10);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('lets one of two officials acting at once win; the other gets a clear message', async () => {
    const s = await submitDossier(deps(), submission('k-race'));
    if (!s.ok) throw new Error('submit failed');
    const input = { communeCode: COMMUNE, dossierId: s.dossier.id, expectedVersion: s.dossier.version, actor: officer, ip: null };
    const [a, b] = await Promise.all([act(deps(), { ...input, action: 'accept' }), act(deps(), { ...input, action: 'refuse', note: 'Không thuộc thẩm quyền.' })]);
    const outcomes = [a, b].map((r) => r.ok);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const loser = [a, b].find((r) => !r.ok);
    expect(loser && !loser.ok && loser.code).toBe('conflict');
    expect(loser && !loser.ok && loser.message).toContain('người khác');
  });

  it('refuses what a role may not do, and requires a reason where the law does', async () => {
    const s = await submitDossier(deps(), submission('k-roles'));
    if (!s.ok) throw new Error('submit failed');
    const base = { communeCode: COMMUNE, dossierId: s.dossier.id, expectedVersion: s.dossier.version, ip: null };
    const bySpecialist = await act(deps(), { ...base, action: 'accept', actor: specialist });
    expect(bySpecialist).toMatchObject({ ok: false, code: 'refused' });
    const noReason = await act(deps(), { ...base, action: 'refuse', actor: officer, note: '' });
    expect(noReason).toMatchObject({ ok: false, code: 'invalid', fields: { note: expect.any(String) } });
  });

  it('forces an apology with a new appointment (form 04) before an overdue dossier moves on', async () => {
    clock.set('2026-03-16T09:00:00+07:00');
    const s = await submitDossier(deps(), submission('k-late'));
    if (!s.ok) throw new Error('submit failed');
    let r = await act(deps(), { communeCode: COMMUNE, dossierId: s.dossier.id, action: 'accept', expectedVersion: s.dossier.version, actor: officer, ip: null });
    if (!r.ok) throw new Error(r.message);
    r = await act(deps(), { communeCode: COMMUNE, dossierId: s.dossier.id, action: 'assign', expectedVersion: r.dossier.version, actor: officer, ip: null });
    if (!r.ok) throw new Error(r.message);
    const due = r.dossier.due_date!;
    clock.set('2026-04-20T09:00:00+07:00');
    const blocked = await act(deps(), { communeCode: COMMUNE, dossierId: s.dossier.id, action: 'appraise', expectedVersion: r.dossier.version, actor: specialist, ip: null });
    expect(blocked).toMatchObject({ ok: false, code: 'refused', message: expect.stringContaining('mẫu 04') });
    const badDate = await act(deps(), { communeCode: COMMUNE, dossierId: s.dossier.id, action: 'apologise', expectedVersion: r.dossier.version, actor: specialist, note: 'Cần xác minh thêm.', newDueDate: due, ip: null });
    expect(badDate).toMatchObject({ ok: false, code: 'invalid' });
    const sorry = await act(deps(), { communeCode: COMMUNE, dossierId: s.dossier.id, action: 'apologise', expectedVersion: r.dossier.version, actor: specialist, note: 'Cần xác minh thêm với nơi sinh.', newDueDate: '2026-04-22', ip: null });
    expect(sorry).toMatchObject({ ok: true, form: '04' });
    if (!sorry.ok) return;
    expect(sorry.dossier.due_date).toBe('2026-04-22');
    const moved = await act(deps(), { communeCode: COMMUNE, dossierId: s.dossier.id, action: 'appraise', expectedVersion: sorry.dossier.version, actor: specialist, ip: null });
    expect(moved.ok).toBe(true);
  });
});
