import { getProcedure, getProcedureAt } from '../catalog/catalog.store.js';
import type { ChannelTerms, Procedure } from '../catalog/procedure.js';
import { addWorkingDays, dueDate, isoDateInVn, type WorkingDayCalendar } from '../calendar/index.js';
import { appendAudit } from '../platform/audit.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db.js';
import { enqueue, type OutgoingMessage } from '../platform/outbox.js';
import type { StaffRole } from '../platform/permissions.js';
import { findCommune, findProvince, provinceOf } from '../units/units.js';
import { dossiersChanged } from './changes.js';
import * as store from './dossiers.store.js';
import { UUID_RE, type DossierRow } from './dossiers.store.js';
import { apply, check, REFUSAL_MESSAGES, STATUS, STATUS_LABELS, type ActionName, type Actor, type DossierState, type FormNo } from './workflow.js';

/** Who acts on a dossier, resolved by the caller from the session. */
export interface DossierActor {
  id: string | null;
  label: string;
  /** Workflow roles this person holds for this dossier's units ('applicant' when it is theirs). */
  roles: Actor[];
}

export interface DossierDeps {
  db: Db;
  calendar: WorkingDayCalendar;
  /** "Now" for every write: the app's clock, set by tests. */
  clock: Clock;
}

/** Working days a procedure takes on a channel, as published; unknown → 0 (same day) is never assumed. */
export function processingWorkingDays(p: Procedure, channel: 'online' | 'direct'): number {
  const terms: ChannelTerms | undefined = p.channels.find((c) => c.channel === channel) ?? p.channels[0];
  const t = terms?.time;
  if (!t) return DEFAULT_WORKING_DAYS;
  switch (t.unit) {
    case 'working_day':
    case 'day':
      return Math.ceil(t.qty);
    case 'hour':
      return Math.ceil(t.qty / 8) - 1 < 0 ? 0 : Math.ceil(t.qty / 8) - 1;
    case 'month':
      return Math.ceil(t.qty * 22);
    default:
      return DEFAULT_WORKING_DAYS;
  }
}
/** When the portal publishes no time: the longest common commune deadline, so no one is promised too early. */
export const DEFAULT_WORKING_DAYS = 15;

/** Who decides: commune-level procedures at the receiving commune, others at the province (Decree 118/2025 routing). */
export function decidingUnitFor(p: Procedure, receivingCommune: string): string {
  if (p.levels.includes('commune')) return receivingCommune;
  return provinceOf(receivingCommune) ?? receivingCommune;
}

/** Dossier code: deciding agency + receipt date (YYMMDD) + daily sequence. */
export function dossierCode(agency: string, day: string, seq: number): string {
  return `${agency}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${String(seq).padStart(4, '0')}`;
}

export interface SubmitInput {
  communeCode: string;
  procedureCode: string;
  caseNo: number;
  applicant: { id: string | null; name: string; phone: string | null; email: string | null; address: string };
  channel: 'online' | 'counter' | 'field';
  /** The official or team member who submitted on the citizen's behalf. */
  assistedBy: { id: string; label: string } | null;
  consent: boolean;
  idempotencyKey: string;
  files: { paperNo: number; sha256: string; fileName: string }[];
  actorLabel: string;
  ip: string | null;
  /** The caller already loaded the procedure (current version): not read twice. */
  procedure?: Procedure & { version: number };
  /** The caller looked the key up just now and found nothing; a race is still caught by the unique key. */
  keyChecked?: boolean;
}

export type SubmitOutcome = { ok: true; dossier: DossierRow; created: boolean } | { ok: false; errors: Record<string, string> };

/** A replayed key answers only the one who first used it: a guessed key reveals nothing. */
function sameSubmitter(d: DossierRow, input: SubmitInput): boolean {
  return input.assistedBy ? d.assisted_by === input.assistedBy.id : d.applicant_id === input.applicant.id && d.assisted_by === null;
}
const KEY_TAKEN: SubmitOutcome = { ok: false, errors: { idempotency_key: 'Mã gửi hồ sơ này đã được dùng. Tải lại trang và nộp lại.' } };

function stateOf(d: DossierRow): DossierState {
  return { status: d.status, stage: d.stage, dueDate: d.due_date, previousStatus: d.previous_status, previousStage: d.previous_stage };
}

async function notifyApplicant(tx: Tx, d: DossierRow, text: string): Promise<void> {
  const messages: OutgoingMessage[] = [];
  if (d.applicant_phone) messages.push({ channel: 'sms', recipient: d.applicant_phone, body: `Xa So: ho so ${d.code}: ${text}`, dedupeKey: `dossier:${d.id}:${d.version}:sms` });
  if (d.applicant_email) {
    messages.push({ channel: 'email', recipient: d.applicant_email, subject: `Hồ sơ ${d.code}`, body: `Hồ sơ ${d.code}: ${text}`, dedupeKey: `dossier:${d.id}:${d.version}:email` });
  }
  await enqueue(tx, ...messages);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/**
 * Submits a dossier (online, at the counter, or in the field). The same
 * idempotency key always yields the same single dossier, so a double tap or a
 * resend after a dropped connection never creates two.
 */
export async function submitDossier(deps: DossierDeps, input: SubmitInput): Promise<SubmitOutcome> {
  const existing = input.keyChecked ? undefined : await store.findByIdempotencyKey(deps.db, input.communeCode, input.idempotencyKey);
  if (existing) return sameSubmitter(existing, input) ? { ok: true, dossier: existing, created: false } : KEY_TAKEN;
  const now = deps.clock.now();
  const procedure = input.procedure?.code === input.procedureCode ? input.procedure : await getProcedure(deps.db, input.procedureCode);
  const errors: Record<string, string> = {};
  if (!procedure) errors.procedure = 'Không tìm thấy thủ tục này: chọn lại thủ tục từ danh mục';
  if (input.channel !== 'online' && !input.consent) errors.consent = 'Cần ghi nhận người dân đồng ý để cán bộ nộp hồ sơ thay';
  if (!input.applicant.name.trim()) errors.applicant_name = 'Nhập họ và tên người nộp hồ sơ';
  if (procedure && (input.caseNo < 0 || (procedure.cases.length > 0 && input.caseNo >= procedure.cases.length))) errors.case_no = 'Chọn trường hợp của bạn';
  if (Object.keys(errors).length || !procedure) return { ok: false, errors };
  const workingDays = processingWorkingDays(procedure, input.channel === 'online' ? 'online' : 'direct');
  const deciding = decidingUnitFor(procedure, input.communeCode);
  try {
    // Numbered outside the transaction: the agency's counter row is locked for one
    // statement, not for the whole intake (a failed intake leaves a gap in the day's numbers).
    const day = isoDateInVn(now);
    const code = dossierCode(deciding, day, await store.nextSequence(deps.db, deciding, day));
    const outcome = await deps.db.transaction().execute(async (tx) => {
      const row = (await tx
        .insertInto('dossier')
        .values({
          commune_code: input.communeCode,
          code,
          procedure_code: procedure.code,
          procedure_version: procedure.version,
          case_no: input.caseNo,
          deciding_unit: deciding,
          applicant_id: input.applicant.id,
          applicant_name: input.applicant.name.trim(),
          applicant_phone: input.applicant.phone,
          applicant_email: input.applicant.email,
          applicant_address: input.applicant.address,
          channel: input.channel,
          assisted_by: input.assistedBy?.id ?? null,
          consent_at: input.channel !== 'online' ? now : null,
          status: STATUS.submitted,
          previous_status: null,
          received_at: null,
          working_days: workingDays,
          due_date: null,
          assignee_id: null,
          idempotency_key: input.idempotencyKey,
          rating: null,
          rating_comment: null,
          submitted_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()) as unknown as DossierRow;
      if (input.files.length) {
        await tx
          .insertInto('dossier_file')
          .values(input.files.map((f) => ({ commune_code: input.communeCode, dossier_id: row.id, paper_no: f.paperNo, sha256: f.sha256, file_name: f.fileName.slice(0, 200), attached_at: now })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      await store.insertEvent(tx, {
        communeCode: input.communeCode,
        dossierId: row.id,
        at: now,
        actorId: input.assistedBy?.id ?? input.applicant.id,
        actorLabel: input.actorLabel,
        action: 'submit',
        from: null,
        to: STATUS.submitted,
        detail: { channel: input.channel, assisted: input.assistedBy !== null, files: input.files.length },
        dueDate: null,
      });
      await notifyApplicant(tx, row, `da nop thanh cong, cho tiep nhan. Tra cuu: ma ${code}.`);
      // Last: the audit chain is one writer at a time until commit.
      await appendAudit(tx, {
        actorId: input.assistedBy?.id ?? input.applicant.id,
        actorLabel: input.actorLabel,
        unitCode: input.communeCode,
        action: input.assistedBy ? 'dossier.submit_assisted' : 'dossier.submit',
        subjectType: 'dossier',
        subjectId: row.id,
        pdChanged: ['applicant_name', 'applicant_phone', 'applicant_email', 'applicant_address'],
        ip: input.ip,
        detail: { code, procedure: procedure.code, channel: input.channel, consent: input.consent },
      });
      return { ok: true as const, dossier: row, created: true };
    });
    dossiersChanged([outcome.dossier.commune_code, outcome.dossier.deciding_unit]);
    return outcome;
  } catch (err) {
    // The same key raced in twice: the first one won; answer with it.
    if (isUniqueViolation(err)) {
      const again = await store.findByIdempotencyKey(deps.db, input.communeCode, input.idempotencyKey);
      if (again) return sameSubmitter(again, input) ? { ok: true, dossier: again, created: false } : KEY_TAKEN;
    }
    throw err;
  }
}

export interface ActInput {
  communeCode: string;
  dossierId: string;
  action: ActionName;
  /** The version the actor saw: a stale one means someone else acted first. */
  expectedVersion: number;
  actor: DossierActor;
  note?: string;
  /** apologise: the new appointment date. */
  newDueDate?: string;
  /** transfer: the new deciding unit. */
  decidingUnit?: string;
  assigneeId?: string;
  /** Structured facts for the event and forms (e.g. papers checked, papers missing). */
  detail?: Record<string, unknown>;
  ip: string | null;
}

export type ActOutcome =
  | { ok: true; dossier: DossierRow; form: FormNo | null; eventSeq: number }
  | { ok: false; code: 'not_found' | 'conflict' | 'refused' | 'invalid'; message: string; fields?: Record<string, string> };

/** Recomputes the due date from receipt, working days and every stored pause. */
async function recomputeDue(tx: Tx, d: DossierRow, calendar: WorkingDayCalendar): Promise<string | null> {
  if (!d.received_at) return null;
  const pauses = await store.listPauses(tx, d.commune_code, d.id);
  const r = dueDate(
    {
      receivedAt: new Date(d.received_at),
      workingDays: d.working_days,
      pauses: pauses.map((p) => ({ from: new Date(p.paused_at), ...(p.resumed_at ? { to: new Date(p.resumed_at) } : {}) })),
    },
    calendar,
  );
  return r.due;
}

/**
 * Takes one workflow action: checks it against the table, applies it and its
 * clock effect, appends the event and the audit entry, and queues the
 * notification, all in one transaction (optimistic concurrency on `version`).
 */
export async function act(deps: DossierDeps, input: ActInput): Promise<ActOutcome> {
  const now = deps.clock.now();
  const today = isoDateInVn(now);
  const note = (input.note ?? '').trim();
  let unitsBefore: string[] = [];
  const outcome = await deps.db.transaction().execute(async (tx): Promise<ActOutcome> => {
    const d = await store.findDossier(tx, input.communeCode, input.dossierId, true);
    if (!d) return { ok: false, code: 'not_found', message: 'Không tìm thấy hồ sơ.' };
    unitsBefore = [d.commune_code, d.deciding_unit];
    if (d.version !== input.expectedVersion) {
      return { ok: false, code: 'conflict', message: `Hồ sơ vừa được người khác cập nhật (hiện: ${STATUS_LABELS[d.status]}). Tải lại trang để xem trạng thái mới rồi thao tác lại.` };
    }
    const verdict = check(input.action, stateOf(d), input.actor.roles, today);
    if (!verdict.ok) return { ok: false, code: 'refused', message: REFUSAL_MESSAGES[verdict.reason] };
    const t = verdict.transition;
    if (t.needsNote && note.length < 3) {
      const what = input.action === 'request_supplement' ? 'Liệt kê đầy đủ, một lần, mọi giấy tờ cần bổ sung' : 'Ghi rõ lý do';
      return { ok: false, code: 'invalid', message: what, fields: { note: what } };
    }
    let next = apply(t, stateOf(d));
    let receivedAt = d.received_at;
    let decidingUnit = d.deciding_unit;
    const detail: Record<string, unknown> = { ...(input.detail ?? {}) };
    if (t.clock === 'start') receivedAt = now;
    if (t.clock === 'pause' && d.received_at) {
      const seq = (await store.listPauses(tx, d.commune_code, d.id)).length + 1;
      await tx.insertInto('dossier_pause').values({ commune_code: d.commune_code, dossier_id: d.id, seq, paused_at: now, resumed_at: null, reason: note }).execute();
    }
    if (t.clock === 'resume') {
      await tx.updateTable('dossier_pause').set({ resumed_at: now }).where('commune_code', '=', d.commune_code).where('dossier_id', '=', d.id).where('resumed_at', 'is', null).execute();
    }
    if (input.action === 'apologise') {
      const nd = input.newDueDate ?? '';
      const yearAhead = addWorkingDays(today, 260, deps.calendar);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(nd) || nd <= (d.due_date ?? today) || nd < today || nd > yearAhead) {
        const msg = 'Chọn ngày hẹn trả mới: sau ngày hẹn cũ, không trước hôm nay và trong vòng một năm';
        return { ok: false, code: 'invalid', message: msg, fields: { new_due_date: msg } };
      }
      if (!deps.calendar.isWorkingDay(nd)) {
        const msg = 'Ngày hẹn trả mới phải là ngày làm việc';
        return { ok: false, code: 'invalid', message: msg, fields: { new_due_date: msg } };
      }
      next = { ...next, dueDate: nd };
      detail.previousDueDate = d.due_date;
    }
    if (input.action === 'transfer') {
      const unit = input.decidingUnit ?? '';
      const known = unit.length === 2 ? findProvince(unit) !== undefined : findCommune(unit) !== undefined;
      if (!known || unit === d.deciding_unit) {
        const msg = 'Chọn cơ quan có thẩm quyền giải quyết (mã xã 5 chữ số hoặc mã tỉnh 2 chữ số), khác cơ quan hiện tại';
        return { ok: false, code: 'invalid', message: msg, fields: { deciding_unit: msg } };
      }
      detail.from = d.deciding_unit;
      detail.to = unit;
      decidingUnit = unit;
    }
    if (input.action === 'assign' && input.assigneeId !== undefined) {
      const staff = UUID_RE.test(input.assigneeId)
        ? await tx.selectFrom('staff_role').select('user_id').where('user_id', '=', input.assigneeId).where('role', '=', 'specialist').where('unit_code', '=', decidingUnit).executeTakeFirst()
        : undefined;
      if (!staff) {
        const msg = 'Chọn chuyên viên xử lý của cơ quan giải quyết hồ sơ';
        return { ok: false, code: 'invalid', message: msg, fields: { assignee: msg } };
      }
    }
    const updated = (await tx
      .updateTable('dossier')
      .set({
        status: next.status,
        stage: next.stage,
        previous_status: next.previousStatus,
        previous_stage: next.previousStage,
        received_at: receivedAt,
        deciding_unit: decidingUnit,
        assignee_id: input.action === 'assign' ? (input.assigneeId ?? null) : d.assignee_id,
        version: d.version + 1,
        updated_at: now,
        due_date: next.dueDate,
      })
      .where('commune_code', '=', d.commune_code)
      .where('id', '=', d.id)
      .where('version', '=', d.version)
      .returningAll()
      .executeTakeFirstOrThrow()) as unknown as DossierRow;
    // Due date follows the clock: set at acceptance, moved by pauses, replaced by an apology.
    let due = updated.due_date;
    if (t.clock === 'start' || t.clock === 'resume') due = await recomputeDue(tx, updated, deps.calendar);
    if (t.clock === 'pause') due = null;
    if (input.action === 'apologise') due = next.dueDate;
    if (due !== updated.due_date) {
      await tx.updateTable('dossier').set({ due_date: due }).where('commune_code', '=', d.commune_code).where('id', '=', d.id).execute();
      updated.due_date = due;
    }
    const eventSeq = await store.insertEvent(tx, {
      communeCode: d.commune_code,
      dossierId: d.id,
      at: now,
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      action: input.action,
      from: d.status,
      to: updated.status,
      note,
      detail: { ...detail, ...(t.form ? { form: t.form } : {}) },
      dueDate: updated.due_date,
    });
    const due_ = updated.due_date ? ` Hen tra: ${updated.due_date}.` : '';
    await notifyApplicant(tx, updated, `${asciiStatus(updated.status)}.${due_}`);
    // Last: the audit chain is one writer at a time until commit.
    await appendAudit(tx, {
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      unitCode: d.commune_code,
      action: `dossier.${input.action}`,
      subjectType: 'dossier',
      subjectId: d.id,
      ip: input.ip,
      detail: { code: d.code, from: d.status, to: updated.status, ...detail },
    });
    return { ok: true, dossier: updated, form: t.form ?? null, eventSeq };
  });
  if (outcome.ok) dossiersChanged([...unitsBefore, outcome.dossier.deciding_unit]);
  return outcome;
}

/** SMS text without diacritics: cheap phones and gateways garble them. */
function asciiStatus(s: DossierRow['status']): string {
  return STATUS_LABELS[s].normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** The version of the procedure the dossier follows (the one in force when it was submitted). */
export async function procedureOf(db: Db, d: DossierRow): Promise<Procedure | null> {
  return (await getProcedureAt(db, d.procedure_code, new Date(d.submitted_at))) ?? (await getProcedure(db, d.procedure_code));
}

/**
 * The workflow roles a signed-in person holds on one dossier: 'applicant' when
 * it is theirs; a staff role when granted in the receiving commune, the
 * deciding unit, or (province roles) their province.
 */
export function workflowRolesFor(
  person: { id: string; kind: 'citizen' | 'staff'; grants: readonly { unitCode: string; role: StaffRole }[] },
  d: Pick<DossierRow, 'applicant_id' | 'commune_code' | 'deciding_unit' | 'assisted_by'>,
): Actor[] {
  const roles = new Set<Actor>();
  if (d.applicant_id && d.applicant_id === person.id) roles.add('applicant');
  const province = provinceOf(d.commune_code);
  for (const g of person.grants) {
    const reaches = g.unitCode === d.commune_code || g.unitCode === d.deciding_unit || (g.unitCode.length === 2 && g.unitCode === province);
    // A community-team member acts only on the dossiers they helped submit.
    if (reaches && (g.role !== 'team_member' || d.assisted_by === person.id)) roles.add(g.role);
  }
  return [...roles];
}

/** A change by the applicant that moves no status (a supplementary paper, a rating). */
export type RecordOutcome = { ok: true; dossier: DossierRow } | { ok: false; code: 'not_found' | 'refused' | 'already_rated' };

/** One record change: lock → check → apply → event → notify → audit, in one transaction; caches hear of it after commit. */
async function recordChange(
  deps: DossierDeps,
  input: { dossierId: string; applicantId: string; actorLabel: string; ip: string | null },
  step: {
    action: 'attach_supplement' | 'rate';
    check: (d: DossierRow) => RecordOutcome | null;
    apply: (tx: Tx, d: DossierRow, now: Date) => Promise<DossierRow>;
    detail: (d: DossierRow) => Record<string, unknown>;
  },
): Promise<RecordOutcome> {
  const now = deps.clock.now();
  const outcome = await deps.db.transaction().execute(async (tx): Promise<RecordOutcome> => {
    const d = await store.lockOwnDossier(tx, input.dossierId, input.applicantId);
    if (!d) return { ok: false, code: 'not_found' };
    const refused = step.check(d);
    if (refused) return refused;
    const updated = await step.apply(tx, d, now);
    const detail = step.detail(d);
    await store.insertEvent(tx, {
      communeCode: d.commune_code,
      dossierId: d.id,
      at: now,
      actorId: input.applicantId,
      actorLabel: input.actorLabel,
      action: step.action,
      from: d.status,
      to: d.status,
      detail,
      dueDate: d.due_date,
    });
    // Last: the audit chain is one writer at a time until commit.
    await appendAudit(tx, {
      actorId: input.applicantId,
      actorLabel: input.actorLabel,
      unitCode: d.commune_code,
      action: `dossier.${step.action}`,
      subjectType: 'dossier',
      subjectId: d.id,
      ip: input.ip,
      detail: { code: d.code, ...detail },
    });
    return { ok: true, dossier: updated };
  });
  if (outcome.ok) dossiersChanged([outcome.dossier.commune_code, outcome.dossier.deciding_unit]);
  return outcome;
}

/**
 * The applicant adds a supplementary paper to a dossier awaiting one. Added,
 * never replacing: what was first submitted stays on record.
 */
export function attachSupplement(
  deps: DossierDeps,
  input: { dossierId: string; applicantId: string; file: { paperNo: number; sha256: string; fileName: string }; actorLabel: string; ip: string | null },
): Promise<RecordOutcome> {
  return recordChange(deps, input, {
    action: 'attach_supplement',
    check: (d) => (d.status === STATUS.supplementRequested ? null : { ok: false, code: 'refused' }),
    apply: async (tx, d, now) => {
      await store.addFile(tx, d, input.file, now);
      return store.bumpVersion(tx, d, now);
    },
    detail: () => ({ paper: input.file.paperNo, sha256: input.file.sha256 }),
  });
}

/** The applicant rates a returned dossier, once. */
export function rateDossier(
  deps: DossierDeps,
  input: { dossierId: string; applicantId: string; rating: number; comment: string | null; actorLabel: string; ip: string | null },
): Promise<RecordOutcome> {
  return recordChange(deps, input, {
    action: 'rate',
    check: (d) => (d.status !== STATUS.returned ? { ok: false, code: 'refused' } : d.rating !== null ? { ok: false, code: 'already_rated' } : null),
    apply: (tx, d, now) => store.bumpVersion(tx, d, now, { rating: input.rating, rating_comment: input.comment }),
    // The comment may name people: the event and the audit say only that there is one.
    detail: () => ({ rating: input.rating, comment: input.comment !== null }),
  });
}
