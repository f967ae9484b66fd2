/**
 * A dossier's history told to the citizen in plain Vietnamese: what happened
 * and when, with the notes that are addressed to them (missing papers,
 * reasons, fees). Staff are never named: it is "Bộ phận một cửa". Pure.
 */
import { unitName } from '../../units/units.js';
import type { DossierEvent, DossierRow } from '../dossiers.store.js';
import { CLOCK_RUNNING, RECORD_LABELS, STATUS, STATUS_LABELS, type Status } from '../workflow.js';

export interface TimelineEntry {
  at: Date;
  title: string;
  /** Text for the citizen (a reason, the missing papers); null when the note is internal. */
  detail: string | null;
  by: string;
  /** The appointment set by this step, `YYYY-MM-DD`. */
  dueDate: string | null;
}

export const OFFICE = 'Bộ phận một cửa';

/** Actions whose note is written to the citizen (forms 02, 03, 04, 05 and the fee request). */
const NOTE_FOR_CITIZEN: Record<string, string> = {
  refuse: 'Lý do',
  request_supplement: 'Cần bổ sung',
  request_payment: 'Khoản cần nộp',
  stop: 'Lý do',
  apologise: 'Lý do',
};

const TITLES: Record<string, string> = {
  submit: 'Đã nộp hồ sơ',
  accept: 'Đã tiếp nhận hồ sơ',
  refuse: 'Từ chối tiếp nhận hồ sơ',
  request_supplement: 'Yêu cầu bổ sung giấy tờ',
  resubmit: 'Đã nộp bổ sung giấy tờ',
  assign: 'Chuyển chuyên viên giải quyết',
  transfer: 'Chuyển cơ quan có thẩm quyền giải quyết',
  appraise: 'Đã thẩm định, trình lãnh đạo ký',
  approve: 'Đã có kết quả, chờ trả',
  request_payment: 'Yêu cầu nộp phí, lệ phí',
  confirm_payment: 'Đã nhận phí, lệ phí',
  return_result: 'Đã trả kết quả',
  withdraw: 'Đã rút hồ sơ',
  stop: 'Dừng giải quyết hồ sơ',
  apologise: 'Xin lỗi vì chậm trả kết quả, hẹn lại ngày trả',
  ...RECORD_LABELS,
};

function submitTitle(e: DossierEvent): string {
  const channel = e.detail.channel;
  if (channel === 'counter') return 'Đã nộp hồ sơ tại bộ phận một cửa';
  if (channel === 'field') return 'Đã nộp hồ sơ với sự hỗ trợ của tổ công nghệ số cộng đồng';
  return 'Đã nộp hồ sơ trực tuyến';
}

/** `audience`: 'owner' reads "Bạn"; the public tracking page says "Người nộp hồ sơ". */
export function buildTimeline(d: Pick<DossierRow, 'applicant_id'>, events: DossierEvent[], audience: 'owner' | 'public'): TimelineEntry[] {
  return events.map((e) => {
    const byApplicant = e.action === 'submit' ? e.detail.channel === 'online' : e.actor_id !== null && e.actor_id === d.applicant_id;
    let title = e.action === 'submit' ? submitTitle(e) : (TITLES[e.action] ?? STATUS_LABELS[e.to_status as Status] ?? 'Cập nhật hồ sơ');
    if (e.action === 'transfer' && typeof e.detail.to === 'string') title = `${title}: ${unitName(e.detail.to) ?? e.detail.to}`;
    const label = NOTE_FOR_CITIZEN[e.action];
    const note = e.note.trim();
    return {
      at: new Date(e.at),
      title,
      detail: label && note ? `${label}: ${note}` : null,
      by: byApplicant ? (audience === 'owner' ? 'Bạn' : 'Người nộp hồ sơ') : OFFICE,
      dueDate: e.action === 'accept' || e.action === 'apologise' || e.action === 'resubmit' ? e.due_date : null,
    };
  });
}

/** The line about the appointment, given the dossier's state now. */
export function dueNote(d: Pick<DossierRow, 'status' | 'due_date'>, fmt: (iso: string) => string): string | null {
  if (d.status === STATUS.submitted) return 'Ngày hẹn trả sẽ có khi cán bộ tiếp nhận hồ sơ.';
  if (d.status === STATUS.supplementRequested) return 'Thời hạn giải quyết tạm dừng trong khi chờ bạn bổ sung giấy tờ; ngày hẹn trả được tính lại khi bạn nộp bổ sung.';
  if (d.status === STATUS.paymentRequested && d.due_date) return `Hẹn trả kết quả: ${fmt(d.due_date)} (sau khi bạn nộp phí, lệ phí).`;
  if (CLOCK_RUNNING.includes(d.status) && d.due_date) return `Hẹn trả kết quả: ${fmt(d.due_date)}.`;
  return null;
}

/** The pause explained: what the office is waiting for, from the latest request. */
export function waitingNote(d: Pick<DossierRow, 'status'>, events: DossierEvent[]): string | null {
  const want = d.status === STATUS.supplementRequested ? 'request_supplement' : d.status === STATUS.paymentRequested ? 'request_payment' : null;
  if (!want) return null;
  const last = [...events].reverse().find((e) => e.action === want);
  const note = last?.note.trim() ?? '';
  const what = want === 'request_supplement' ? 'Đang chờ bạn bổ sung' : 'Đang chờ bạn nộp phí, lệ phí';
  return note ? `${what}: ${note}` : `${what}.`;
}
