/**
 * The back office's work queues as data: which statuses (and stages, and
 * deadline windows) each holds, their names in the page URL (`?hang=`) and in
 * the API (`?queue=`), and the keyset cursor that pages through them.
 */
import { RISK_MIN_WORKING_DAYS, type DeadlineWindow } from '../deadline.js';
import { CLOCK_RUNNING, STATUS, type Stage, type Status } from '../workflow.js';

export { deadlineWindow, type DeadlineWindow } from '../deadline.js';

export const QUEUE_IDS = ['receive', 'assign', 'process', 'approve', 'return', 'citizen', 'at_risk', 'overdue'] as const;
export type QueueId = (typeof QUEUE_IDS)[number];

export interface QueueInfo {
  id: QueueId;
  /** `?hang=` on the pages. */
  slug: string;
  label: string;
  /** Shown above the list: what the official is expected to do. */
  hint: string;
}

export const QUEUES: readonly QueueInfo[] = [
  { id: 'receive', slug: 'tiep-nhan', label: 'Chờ tiếp nhận', hint: 'Hồ sơ mới nộp: kiểm tra giấy tờ, rồi tiếp nhận, yêu cầu bổ sung hoặc từ chối.' },
  { id: 'assign', slug: 'phan-cong', label: 'Chờ phân công', hint: 'Đã tiếp nhận: chuyển cho chuyên viên xử lý.' },
  { id: 'process', slug: 'xu-ly', label: 'Đang xử lý', hint: 'Chuyên viên thẩm định hồ sơ rồi trình lãnh đạo.' },
  { id: 'approve', slug: 'phe-duyet', label: 'Chờ phê duyệt', hint: 'Đã thẩm định: lãnh đạo xem xét, phê duyệt và ký kết quả.' },
  { id: 'return', slug: 'tra-ket-qua', label: 'Chờ trả kết quả', hint: 'Đã có kết quả: trả cho người dân.' },
  { id: 'citizen', slug: 'cho-nguoi-dan', label: 'Chờ người dân', hint: 'Đang chờ người dân bổ sung giấy tờ hoặc nộp phí, lệ phí.' },
  { id: 'at_risk', slug: 'sap-den-han', label: 'Sắp đến hạn', hint: 'Đến hạn trả hôm nay, hoặc ngày làm việc tới với thủ tục từ 2 ngày làm việc trở lên: ưu tiên xử lý.' },
  { id: 'overdue', slug: 'qua-han', label: 'Quá hạn', hint: 'Đã quá hạn trả: phải lập Văn bản xin lỗi và hẹn lại ngày trả (mẫu 04) trước khi xử lý tiếp.' },
];

const BY_SLUG = new Map(QUEUES.map((q) => [q.slug, q]));
const BY_ID = new Map(QUEUES.map((q) => [q.id, q]));

export function queueBySlug(slug: string | undefined): QueueInfo | undefined {
  return slug ? BY_SLUG.get(slug) : undefined;
}
export function queueInfo(id: QueueId): QueueInfo {
  return BY_ID.get(id)!;
}

/** One slice of a queue: a status (and stage), optionally within a due-date window. */
export interface Branch {
  status: Status;
  stage?: Stage;
  /** Inclusive bounds on due_date; set for the deadline queues, which only hold dossiers whose clock runs. */
  dueFrom?: string;
  dueTo?: string;
  /** Only dossiers whose procedure allows at least this many working days. */
  minWorkingDays?: number;
}

function shift(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type StatusQueueId = Exclude<QueueId, 'at_risk' | 'overdue'>;

/** The queues defined by status (and stage) alone: the one statement of queue membership. */
const STATUS_QUEUES: Record<StatusQueueId, readonly Branch[]> = {
  receive: [{ status: STATUS.submitted }],
  assign: [{ status: STATUS.accepted }],
  process: [{ status: STATUS.inProcess, stage: 'processing' }],
  approve: [{ status: STATUS.inProcess, stage: 'appraised' }],
  return: [{ status: STATUS.decided }],
  citizen: [{ status: STATUS.supplementRequested }, { status: STATUS.paymentRequested }],
};

/** The branches a queue is made of (the deadline queues follow deadlineState in deadline.ts). */
export function branches(id: QueueId, w: DeadlineWindow): Branch[] {
  switch (id) {
    case 'at_risk':
      return CLOCK_RUNNING.flatMap((status) => [
        { status, dueFrom: w.today, dueTo: w.today },
        { status, dueFrom: shift(w.today, 1), dueTo: w.riskEnd, minWorkingDays: RISK_MIN_WORKING_DAYS },
      ]);
    case 'overdue':
      return CLOCK_RUNNING.map((status) => ({ status, dueTo: shift(w.today, -1) }));
    default:
      return [...STATUS_QUEUES[id]];
  }
}

/** Statuses that appear in some queue (not final). */
export const ACTIVE_STATUSES: readonly Status[] = [...new Set(Object.values(STATUS_QUEUES).flatMap((bs) => bs.map((b) => b.status)))].sort((a, b) => a - b);

/** One group of the counting query: how many of a unit's open dossiers share these traits (the same for every official). */
export interface UnitCountGroup {
  status: Status;
  stage: Stage;
  assignee_id: string | null;
  deadline: '' | 'at_risk' | 'overdue';
  n: number;
}

/** A group as one official sees it: assigned to them or not. */
export interface CountGroup {
  status: Status;
  stage: Stage;
  mine: boolean;
  deadline: '' | 'at_risk' | 'overdue';
  n: number;
}

export function asSeenBy(groups: readonly UnitCountGroup[], me: string): CountGroup[] {
  return groups.map((g) => ({ status: g.status, stage: g.stage, mine: g.assignee_id === me, deadline: g.deadline, n: g.n }));
}

export type QueueCounts = Record<QueueId, number> & { mine: number };

/** Folds the grouped counts into one number per queue (plus "mine" in the processing queue). */
export function foldCounts(groups: readonly CountGroup[]): QueueCounts {
  const counts = Object.fromEntries([...QUEUE_IDS, 'mine'].map((k) => [k, 0])) as QueueCounts;
  for (const g of groups) {
    for (const [id, bs] of Object.entries(STATUS_QUEUES) as [StatusQueueId, readonly Branch[]][]) {
      if (!bs.some((b) => b.status === g.status && (b.stage === undefined || b.stage === g.stage))) continue;
      counts[id] += g.n;
      if (id === 'process' && g.mine) counts.mine += g.n;
    }
    if (g.deadline === 'at_risk') counts.at_risk += g.n;
    if (g.deadline === 'overdue') counts.overdue += g.n;
  }
  return counts;
}

/** Position after the last dossier shown: its (due date, code). Null due dates sort last. */
export interface Cursor {
  d: string | null;
  c: string;
}

export function encodeCursor(cur: Cursor): string {
  return Buffer.from(JSON.stringify([cur.d, cur.c]), 'utf8').toString('base64url');
}

/** A calendar date PostgreSQL accepts (the regex alone lets 2026-13-45 through, which the database rejects). */
export function isRealDate(text: string): boolean {
  if (!/^(19|2\d)\d{2}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Undefined when the text is not a cursor this server made (the caller answers 400). */
export function decodeCursor(text: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 2) return undefined;
    const [d, c] = v as unknown[];
    if (!(d === null || (typeof d === 'string' && isRealDate(d)))) return undefined;
    if (typeof c !== 'string' || !/^[0-9A-Za-z._-]{1,80}$/.test(c)) return undefined;
    return { d, c };
  } catch {
    return undefined;
  }
}
