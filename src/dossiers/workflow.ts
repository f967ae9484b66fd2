/**
 * The one-stop-shop workflow as data: statuses (as provincial systems and the
 * national sync number them), actions, who may take each, and the form each
 * produces. Code asks this table; there are no status `if` chains elsewhere.
 */
import type { StaffRole } from '../platform/permissions.js';

export const STATUS = {
  submitted: 1,
  accepted: 2,
  refused: 3,
  inProcess: 4,
  supplementRequested: 5,
  paymentRequested: 6,
  withdrawn: 7,
  stopped: 8,
  decided: 9,
  returned: 10,
} as const;
export type Status = (typeof STATUS)[keyof typeof STATUS];

/** In plain Vietnamese, for citizens' timelines and officials' queues. */
export const STATUS_LABELS: Record<Status, string> = {
  1: 'Đã nộp, chờ tiếp nhận',
  2: 'Đã tiếp nhận',
  3: 'Bị từ chối tiếp nhận',
  4: 'Đang giải quyết',
  5: 'Chờ bổ sung giấy tờ',
  6: 'Chờ nộp phí, lệ phí',
  7: 'Đã rút hồ sơ',
  8: 'Dừng giải quyết',
  9: 'Đã có kết quả, chờ trả',
  10: 'Đã trả kết quả',
};

/** Statuses in which the legal clock runs. */
export const CLOCK_RUNNING: readonly Status[] = [2, 4, 6, 9];
/** Statuses after which nothing more happens. */
export const FINAL: readonly Status[] = [3, 7, 8, 10];

export type Stage = '' | 'processing' | 'appraised';

export type ActionName =
  | 'accept'
  | 'refuse'
  | 'request_supplement'
  | 'resubmit'
  | 'assign'
  | 'transfer'
  | 'appraise'
  | 'approve'
  | 'request_payment'
  | 'confirm_payment'
  | 'return_result'
  | 'withdraw'
  | 'stop'
  | 'apologise';

/**
 * History entries that move no status: the applicant's own changes, recorded
 * as events (with a version) like actions, and named here.
 */
export const RECORD_LABELS = {
  attach_supplement: 'Đã tải lên giấy tờ bổ sung',
  rate: 'Đã đánh giá mức độ hài lòng',
} as const;
export type RecordAction = keyof typeof RECORD_LABELS;

export function isRecordAction(action: string): action is RecordAction {
  return Object.hasOwn(RECORD_LABELS, action);
}

export type FormNo = '01' | '02' | '03' | '04' | '05';

/** Who acts: the applicant (the citizen who owns the dossier), or a staff role. */
export type Actor = 'applicant' | StaffRole;

export interface Transition {
  action: ActionName;
  label: string;
  from: readonly { status: Status; stage?: Stage }[];
  /** 'same' keeps the status; 'previous' goes back to where a pause began. */
  to: Status | 'same' | 'previous';
  toStage?: Stage;
  by: readonly Actor[];
  form?: FormNo;
  /** A note is required (reasons, list of missing papers). */
  needsNote: boolean;
  clock?: 'start' | 'pause' | 'resume';
  /** May be taken on an overdue dossier without an apology first. */
  allowedWhenOverdue?: boolean;
}

const OFFICIALS: readonly Actor[] = ['receiving_officer', 'specialist', 'commune_leader'];

export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', label: 'Tiếp nhận hồ sơ', from: [{ status: 1 }], to: 2, by: ['receiving_officer'], form: '01', needsNote: false, clock: 'start' },
  { action: 'refuse', label: 'Từ chối tiếp nhận', from: [{ status: 1 }], to: 3, by: ['receiving_officer'], form: '03', needsNote: true, allowedWhenOverdue: true },
  {
    action: 'request_supplement',
    label: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
    from: [{ status: 1 }, { status: 2 }, { status: 4, stage: 'processing' }],
    to: 5,
    by: ['receiving_officer', 'specialist'],
    form: '02',
    needsNote: true,
    clock: 'pause',
  },
  { action: 'resubmit', label: 'Nộp bổ sung giấy tờ', from: [{ status: 5 }], to: 'previous', by: ['applicant', 'receiving_officer', 'team_member'], needsNote: false, clock: 'resume', allowedWhenOverdue: true },
  { action: 'assign', label: 'Chuyển chuyên viên xử lý', from: [{ status: 2 }], to: 4, toStage: 'processing', by: ['receiving_officer', 'commune_leader'], needsNote: false },
  { action: 'transfer', label: 'Chuyển cơ quan có thẩm quyền giải quyết', from: [{ status: 2 }, { status: 4, stage: 'processing' }], to: 'same', by: ['receiving_officer', 'commune_leader'], needsNote: true },
  { action: 'appraise', label: 'Thẩm định xong, trình lãnh đạo', from: [{ status: 4, stage: 'processing' }], to: 4, toStage: 'appraised', by: ['specialist'], needsNote: false },
  { action: 'approve', label: 'Phê duyệt, ký kết quả', from: [{ status: 4, stage: 'appraised' }], to: 9, by: ['commune_leader'], needsNote: false },
  { action: 'request_payment', label: 'Yêu cầu nộp phí, lệ phí', from: [{ status: 4 }], to: 6, by: ['receiving_officer', 'specialist'], needsNote: true },
  { action: 'confirm_payment', label: 'Xác nhận đã nộp phí', from: [{ status: 6 }], to: 'previous', by: ['receiving_officer'], needsNote: false },
  { action: 'return_result', label: 'Trả kết quả', from: [{ status: 9 }], to: 10, by: ['receiving_officer'], needsNote: false },
  {
    action: 'withdraw',
    label: 'Rút hồ sơ',
    from: [{ status: 1 }, { status: 2 }, { status: 4 }, { status: 5 }, { status: 6 }],
    to: 7,
    by: ['applicant', 'receiving_officer'],
    needsNote: false,
    allowedWhenOverdue: true,
  },
  { action: 'stop', label: 'Dừng giải quyết hồ sơ', from: [{ status: 2 }, { status: 4 }, { status: 5 }], to: 8, by: ['commune_leader'], form: '05', needsNote: true, allowedWhenOverdue: true },
  {
    action: 'apologise',
    label: 'Xin lỗi và hẹn lại ngày trả (mẫu 04)',
    from: [{ status: 2 }, { status: 4 }, { status: 6 }, { status: 9 }],
    to: 'same',
    by: OFFICIALS,
    form: '04',
    needsNote: true,
    allowedWhenOverdue: true,
  },
];

const BY_ACTION = new Map(TRANSITIONS.map((t) => [t.action, t]));

export function transition(action: ActionName): Transition {
  const t = BY_ACTION.get(action);
  if (!t) throw new Error(`unknown action ${action}`);
  return t;
}

export interface DossierState {
  status: Status;
  stage: Stage;
  /** Local due date `YYYY-MM-DD` while the clock runs. */
  dueDate: string | null;
  /** Status to go back to when a pause (supplement, payment) ends. */
  previousStatus: Status | null;
  previousStage: Stage;
}

export type Refusal = 'not_allowed_role' | 'wrong_status' | 'overdue_needs_apology';

export function isOverdue(state: DossierState, today: string): boolean {
  return state.dueDate !== null && CLOCK_RUNNING.includes(state.status) && today > state.dueDate;
}

/** Whether `actor` may take `action` now; the reason when not. Pure. */
export function check(action: ActionName, state: DossierState, actors: readonly Actor[], today: string): { ok: true; transition: Transition } | { ok: false; reason: Refusal } {
  const t = transition(action);
  if (!t.from.some((f) => f.status === state.status && (f.stage === undefined || f.stage === state.stage))) return { ok: false, reason: 'wrong_status' };
  if (!actors.some((a) => t.by.includes(a))) return { ok: false, reason: 'not_allowed_role' };
  // Silent lateness is impossible: an overdue dossier moves only after an apology with a new date.
  if (isOverdue(state, today) && !t.allowedWhenOverdue) return { ok: false, reason: 'overdue_needs_apology' };
  return { ok: true, transition: t };
}

/** The state after a transition. Pure. */
export function apply(t: Transition, state: DossierState): DossierState {
  if (t.to === 'same') return state;
  if (t.to === 'previous') {
    return { ...state, status: state.previousStatus ?? STATUS.submitted, stage: state.previousStage, previousStatus: null, previousStage: '' };
  }
  const pausing = t.to === STATUS.supplementRequested || t.to === STATUS.paymentRequested;
  return {
    ...state,
    status: t.to,
    stage: t.toStage ?? (t.to === STATUS.inProcess ? state.stage || 'processing' : ''),
    previousStatus: pausing ? state.status : state.previousStatus,
    previousStage: pausing ? state.stage : state.previousStage,
  };
}

/** The actions an actor could take now, for the buttons on a page. */
export function availableActions(state: DossierState, actors: readonly Actor[], today: string): Transition[] {
  return TRANSITIONS.filter((t) => check(t.action, state, actors, today).ok);
}

export const REFUSAL_MESSAGES: Record<Refusal, string> = {
  not_allowed_role: 'Vai trò của bạn không được thực hiện thao tác này trên hồ sơ.',
  wrong_status: 'Hồ sơ đang ở trạng thái không cho phép thao tác này (có thể người khác vừa xử lý). Tải lại trang để xem trạng thái mới.',
  overdue_needs_apology: 'Hồ sơ đã quá hạn: phải lập Văn bản xin lỗi và hẹn lại ngày trả (mẫu 04) trước khi xử lý tiếp.',
};
