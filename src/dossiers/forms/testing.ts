/**
 * Test support: dossiers driven through the workflow with a clock the test
 * moves, so their forms can be printed and read back. Used only by tests.
 */
import { sql } from 'kysely';
import type { WorkingDayCalendar } from '../../calendar/index.js';
import type { Db } from '../../platform/db.js';
import { act, submitDossier, type ActInput, type DossierActor } from '../dossiers.service.js';
import type { DossierRow } from '../dossiers.store.js';
import { TestClock } from '../../testing/clock.js';

export { TestClock };

export const COMMUNE = '25459';
export const BIRTH = '1.001193';

export const officer: DossierActor = { id: null, label: 'Trần Thị Tiếp Nhận (receiving_officer@25459)', roles: ['receiving_officer'] };
export const specialist: DossierActor = { id: null, label: 'Lê Văn Chuyên Viên', roles: ['specialist'] };
export const leader: DossierActor = { id: null, label: 'Phạm Văn Lãnh Đạo', roles: ['commune_leader'] };
export const citizen: DossierActor = { id: null, label: 'Người dân', roles: ['applicant'] };


/**
 * The store stamps events with the database's now(), not the service clock:
 * re-date the event to the test clock so steps land on the days the test
 * means. (The event log is append-only; its guard is lifted for this update only.)
 */
export async function stampEvent(db: Db, dossierId: string, seq: number, at: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`alter table dossier_event disable trigger dossier_event_no_update`.execute(tx);
    await sql`update dossier_event set at = ${at.toISOString()}::timestamptz where dossier_id = ${dossierId} and seq = ${seq}`.execute(tx);
    await sql`alter table dossier_event enable trigger dossier_event_no_update`.execute(tx);
  });
}

export type Step = [at: string, actor: DossierActor, action: ActInput['action'], extra?: Partial<ActInput>];

export interface Driven {
  dossier: DossierRow;
  /** Event number of each step, in order (the submission is event 1). */
  seqs: number[];
}

/** Submits a birth registration and takes each step at its time. */
export async function drive(
  deps: { db: Db; calendar: WorkingDayCalendar; clock: TestClock },
  submit: { at: string; key: string; applicantId?: string | null; name?: string; channel?: 'online' | 'counter' },
  steps: readonly Step[],
): Promise<Driven> {
  deps.clock.set(submit.at);
  const channel = submit.channel ?? 'online';
  const s = await submitDossier(deps, {
    communeCode: COMMUNE,
    procedureCode: BIRTH,
    caseNo: 0,
    applicant: { id: submit.applicantId ?? null, name: submit.name ?? 'Nguyễn Thị Lan', phone: '0912000001', email: 'lan@example.vn', address: 'Khu phố 1, Phường Tân Ninh' },
    channel,
    assistedBy: null,
    consent: channel !== 'online',
    idempotencyKey: submit.key,
    files: [],
    actorLabel: submit.name ?? 'Nguyễn Thị Lan',
    ip: null,
  });
  if (!s.ok) throw new Error(`submit failed: ${JSON.stringify(s.errors)}`);
  let d = s.dossier;
  await stampEvent(deps.db, d.id, 1, deps.clock.now());
  const seqs = [1];
  for (const [at, actor, action, extra] of steps) {
    deps.clock.set(at);
    const r = await act(deps, { communeCode: COMMUNE, dossierId: d.id, action, expectedVersion: d.version, actor, ip: null, ...extra });
    if (!r.ok) throw new Error(`${action} at ${at}: ${r.message}`);
    d = r.dossier;
    await stampEvent(deps.db, d.id, r.eventSeq, deps.clock.now());
    seqs.push(r.eventSeq);
  }
  return { dossier: d, seqs };
}

/** Supplement before and after receipt, an on-time decision, a late apology, a return on the new date. */
export const FULL_FLOW: readonly Step[] = [
  ['2026-03-09T09:30:00+07:00', officer, 'request_supplement', { note: '- Giấy chứng sinh (bản chính)\n- Văn bản ủy quyền có chứng thực' }],
  ['2026-03-10T10:00:00+07:00', citizen, 'resubmit'],
  ['2026-03-10T10:15:00+07:00', officer, 'accept'],
  ['2026-03-10T10:30:00+07:00', officer, 'assign'],
  ['2026-03-10T14:00:00+07:00', specialist, 'request_supplement', { note: '1. Bản sao giấy đăng ký kết hôn bị mờ, nộp lại bản rõ\n2. Tờ khai đăng ký khai sinh còn thiếu chữ ký' }],
  ['2026-03-12T09:00:00+07:00', citizen, 'resubmit'],
  ['2026-03-12T15:00:00+07:00', specialist, 'appraise'],
  ['2026-03-13T10:00:00+07:00', leader, 'approve'],
  ['2026-03-16T08:30:00+07:00', officer, 'apologise', { note: 'Giấy khai sinh phải in và ký lại do sai chính tả tên người cha.', newDueDate: '2026-03-18' }],
  ['2026-03-18T09:00:00+07:00', officer, 'return_result'],
];
