/**
 * What the back-office pages and the JSON API share: who may see a dossier,
 * the checks an action needs before the workflow runs it (so bad input is a
 * 400, never a database error), and the read model of one dossier.
 */
import type { WorkingDayCalendar } from '../../calendar/index.js';
import type { Procedure } from '../../catalog/procedure.js';
import { appendAudit } from '../../platform/audit.js';
import { actorLabel, type Actor } from '../../platform/context.js';
import type { Db } from '../../platform/db.js';
import { grantsAllow, type Permission } from '../../platform/permissions.js';
import { findCommune, findProvince, provinceOf } from '../../units/units.js';
import { deadlineState, deadlineWindow } from '../deadline.js';
import { todayOf } from '../deps.js';
import { act, procedureOf, workflowRolesFor, type ActOutcome, type DossierDeps } from '../dossiers.service.js';
import { listEvents, listFiles, listPauses, type DossierEvent, type DossierRow } from '../dossiers.store.js';
import { availableActions, check, isOverdue, isRecordAction, RECORD_LABELS, transition, type ActionName, type Actor as WorkflowActor, type DossierState, type FormNo, type Transition } from '../workflow.js';
import { isSpecialistOf, specialistsOf, userName, UUID_RE, type FullDossier, type Official } from './office.store.js';
import { isRealDate } from './queues.js';

function daysAfter(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const MAX_NOTE = 4000;

export function stateOf(d: DossierRow): DossierState {
  return { status: d.status, stage: d.stage, dueDate: d.due_date, previousStatus: d.previous_status, previousStage: d.previous_stage };
}

function reaches(actor: Actor, permission: Permission, d: Pick<DossierRow, 'commune_code' | 'deciding_unit'>): boolean {
  return grantsAllow(actor.grants, permission, d.commune_code, provinceOf) || grantsAllow(actor.grants, permission, d.deciding_unit, provinceOf);
}

/** Officials who work on the dossier's receiving commune or deciding unit. */
export function worksOn(actor: Actor, d: Pick<DossierRow, 'commune_code' | 'deciding_unit'>): boolean {
  return reaches(actor, 'dossier.work', d);
}

/** Who may see a dossier through the API: its applicant, or officials of its units. Anyone else is told it does not exist. */
export function maySee(actor: Actor, d: Pick<DossierRow, 'applicant_id' | 'commune_code' | 'deciding_unit'>): boolean {
  return (d.applicant_id !== null && d.applicant_id === actor.id) || worksOn(actor, d);
}

/** Who may ask for an action: besides those who see it, community team members of its commune (they may resubmit). */
export function mayAct(actor: Actor, d: Pick<DossierRow, 'applicant_id' | 'commune_code' | 'deciding_unit'>): boolean {
  return maySee(actor, d) || reaches(actor, 'dossier.submitAssisted', d);
}

export function rolesOn(actor: Actor, d: DossierRow): WorkflowActor[] {
  return workflowRolesFor({ id: actor.id, kind: actor.kind, grants: actor.grants }, d);
}

export interface ActionRequest {
  action: ActionName;
  version: number;
  note: string;
  newDueDate?: string | undefined;
  decidingUnit?: string | undefined;
  assigneeId?: string | undefined;
}

/** Field names as act() reports them (the page's form names); the API renames them. */
type Fields = Record<string, string>;

function invalid(fields: Fields): ActOutcome {
  return { ok: false, code: 'invalid', message: Object.values(fields)[0] ?? 'Dữ liệu chưa hợp lệ', fields };
}

/** Input checks act() leaves to its callers; the rest (version, role, status, overdue, dates) is act()'s. */
async function precheck(db: Db, d: DossierRow, req: ActionRequest, today: string): Promise<ActOutcome | null> {
  if (req.note.length > MAX_NOTE) return invalid({ note: `Ghi chú dài quá ${MAX_NOTE} ký tự: viết gọn lại` });
  if (req.action === 'apologise') {
    const nd = req.newDueDate ?? '';
    // The calendar only knows some years: a date far ahead (or not a date) is refused here, not by a crash.
    if (!isRealDate(nd) || nd > daysAfter(today, 366)) return invalid({ new_due_date: 'Chọn ngày hẹn trả mới (ngày/tháng/năm), sau ngày hẹn cũ và trong vòng một năm' });
  }
  if (req.action === 'transfer') {
    const unit = req.decidingUnit ?? '';
    const known = /^\d{5}$/.test(unit) ? findCommune(unit) !== undefined : /^\d{2}$/.test(unit) && findProvince(unit) !== undefined;
    if (!known) return invalid({ deciding_unit: 'Chọn cơ quan có thẩm quyền giải quyết trong danh sách' });
  }
  if (req.action === 'assign') {
    const id = req.assigneeId ?? '';
    if (!UUID_RE.test(id) || !(await isSpecialistOf(db, id, d.deciding_unit))) return invalid({ assignee_id: 'Chọn chuyên viên xử lý hồ sơ trong danh sách' });
  }
  return null;
}

/** Runs one workflow action for a signed-in person on a dossier they may act on. */
export async function runAction(deps: DossierDeps, actor: Actor, d: DossierRow, req: ActionRequest, ip: string | null): Promise<ActOutcome> {
  const bad = await precheck(deps.db, d, req, todayOf(deps.clock));
  if (bad) return bad;
  return act(
    deps,
    {
      communeCode: d.commune_code,
      dossierId: d.id,
      action: req.action,
      expectedVersion: req.version,
      actor: { id: actor.id, label: actorLabel(actor), roles: rolesOn(actor, d) },
      note: req.note,
      ...(req.newDueDate !== undefined ? { newDueDate: req.newDueDate } : {}),
      ...(req.decidingUnit !== undefined ? { decidingUnit: req.decidingUnit } : {}),
      ...(req.assigneeId !== undefined ? { assigneeId: req.assigneeId } : {}),
      ip,
    },
  );
}

/** Reading a dossier shows the applicant's personal data: one audit entry per view (Law 91/2025). */
export async function auditView(db: Db, actor: Actor, d: DossierRow, how: 'page' | 'api', ip: string | null): Promise<void> {
  await db.transaction().execute((tx) =>
    appendAudit(tx, {
      actorId: actor.id,
      actorLabel: actorLabel(actor),
      unitCode: d.commune_code,
      action: 'dossier.view',
      subjectType: 'dossier',
      subjectId: d.id,
      pdRead: ['applicant_name', 'applicant_phone', 'applicant_email', 'applicant_address'],
      ip,
      detail: { code: d.code, via: how },
    }),
  );
}

export const FORM_NAMES: Record<FormNo | '06', string> = {
  '01': 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
  '02': 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
  '03': 'Phiếu từ chối tiếp nhận giải quyết hồ sơ',
  '04': 'Văn bản xin lỗi và đề nghị gia hạn',
  '05': 'Thông báo dừng giải quyết hồ sơ',
  '06': 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
};

export function actionLabel(action: string): string {
  if (action === 'submit') return 'Nộp hồ sơ';
  if (isRecordAction(action)) return RECORD_LABELS[action];
  try {
    return transition(action as ActionName).label;
  } catch {
    return action;
  }
}

export interface PaperView {
  no: number;
  name: string;
  originals: number;
  copies: number;
  files: { sha256: string; fileName: string; mime: string; size: number }[];
}

export interface DossierView {
  d: FullDossier;
  /** The version the dossier follows (in force when it was submitted). */
  procedure: Procedure | null;
  caseName: string;
  papers: PaperView[];
  /** Files whose paper number is not in the case (kept, so nothing attached is hidden). */
  otherFiles: PaperView['files'];
  events: DossierEvent[];
  pauses: { seq: number; paused_at: Date; resumed_at: Date | null; reason: string }[];
  today: string;
  deadline: ReturnType<typeof deadlineState>;
  overdue: boolean;
  roles: WorkflowActor[];
  actions: Transition[];
  /** What the official could do if the dossier were not overdue (shown as blocked, with the reason). */
  blocked: Transition[];
  assigneeName: string | null;
  specialists: Official[];
}

/** Everything the dossier page (and the API's detail answer) shows. */
export async function loadView(db: Db, calendar: WorkingDayCalendar, day: string, actor: Actor, d: FullDossier): Promise<DossierView> {
  const [procedure, events, pauses, files, assigneeName] = await Promise.all([
    procedureOf(db, d),
    listEvents(db, d.commune_code, d.id),
    listPauses(db, d.commune_code, d.id),
    listFiles(db, d.commune_code, d.id),
    userName(db, d.assignee_id),
  ]);
  const chosen = procedure?.cases[d.case_no];
  const papers: PaperView[] = (chosen?.papers ?? []).map((p, no) => ({ no, name: p.name, originals: p.originals, copies: p.copies, files: [] }));
  const otherFiles: PaperView['files'] = [];
  for (const f of files) {
    const file = { sha256: f.sha256, fileName: f.file_name, mime: f.mime, size: f.size_bytes };
    const paper = papers[f.paper_no];
    if (paper) paper.files.push(file);
    else otherFiles.push(file);
  }
  const roles = rolesOn(actor, d);
  const state = stateOf(d);
  const actions = availableActions(state, roles, day);
  const overdue = isOverdue(state, day);
  // Those act() would take were the dossier on time: shown as waiting for the apology.
  const blocked = overdue ? availableActions({ ...state, dueDate: day }, roles, day).filter((t) => !check(t.action, state, roles, day).ok) : [];
  const specialists = actions.some((t) => t.action === 'assign') ? await specialistsOf(db, d.deciding_unit) : [];
  return {
    d,
    procedure,
    caseName: chosen?.name ?? '',
    papers,
    otherFiles,
    events,
    pauses,
    today: day,
    deadline: deadlineState(d, deadlineWindow(day, calendar)),
    overdue,
    roles,
    actions,
    blocked,
    assigneeName,
    specialists,
  };
}
