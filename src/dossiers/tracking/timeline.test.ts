import { describe, expect, it } from 'vitest';
import type { DossierEvent } from '../dossiers.store.js';
import { vnDate } from '../submit/components.js';
import { buildTimeline, dueNote, OFFICE, waitingNote } from './timeline.js';

const APPLICANT = '11111111-1111-4111-8111-111111111111';
let seq = 0;
function ev(action: string, to: DossierEvent['to_status'], extra: Partial<DossierEvent> = {}): DossierEvent {
  return { seq: ++seq, at: new Date('2026-03-09T02:00:00Z'), actor_label: 'Trần Văn Cán Bộ (receiving_officer@25459)', actor_id: '22222222-2222-4222-8222-222222222222', action, from_status: null, to_status: to, note: '', detail: {}, due_date: null, ...extra };
}

describe('the citizen’s timeline', () => {
  const events = [
    ev('submit', 1, { actor_id: APPLICANT, actor_label: 'Nguyễn Thị Lan', detail: { channel: 'online' } }),
    ev('request_supplement', 5, { note: 'Thiếu giấy chứng sinh.' }),
    ev('resubmit', 1, { actor_id: APPLICANT, actor_label: 'Nguyễn Thị Lan' }),
    ev('accept', 2, { due_date: '2026-03-11' }),
    ev('assign', 4, { note: 'Giao chị Hoa xử lý gấp' }),
    ev('transfer', 4, { note: 'Không thuộc thẩm quyền xã', detail: { from: '25459', to: '80' } }),
    ev('apologise', 4, { note: 'Cần xác minh nơi sinh.', due_date: '2026-03-13' }),
  ];

  it('tells each step in plain Vietnamese, with the date, and never names staff', () => {
    const t = buildTimeline({ applicant_id: APPLICANT }, events, 'owner');
    expect(t.map((e) => e.title)).toEqual([
      'Đã nộp hồ sơ trực tuyến',
      'Yêu cầu bổ sung giấy tờ',
      'Đã nộp bổ sung giấy tờ',
      'Đã tiếp nhận hồ sơ',
      'Chuyển chuyên viên giải quyết',
      'Chuyển cơ quan có thẩm quyền giải quyết: Tỉnh Tây Ninh',
      'Xin lỗi vì chậm trả kết quả, hẹn lại ngày trả',
    ]);
    expect(t.map((e) => e.by)).toEqual(['Bạn', OFFICE, 'Bạn', OFFICE, OFFICE, OFFICE, OFFICE]);
    expect(JSON.stringify(t)).not.toContain('Trần Văn Cán Bộ');
    expect(t[3]!.dueDate).toBe('2026-03-11');
    expect(t[6]!.dueDate).toBe('2026-03-13');
  });

  it('shows the notes written to the citizen, and hides internal ones', () => {
    const t = buildTimeline({ applicant_id: APPLICANT }, events, 'public');
    expect(t[1]!.detail).toBe('Cần bổ sung: Thiếu giấy chứng sinh.');
    expect(t[4]!.detail).toBeNull();
    expect(t[5]!.detail).toBeNull();
    expect(t[6]!.detail).toBe('Lý do: Cần xác minh nơi sinh.');
    expect(t[0]!.by).toBe('Người nộp hồ sơ');
  });

  it('an assisted submission is the office’s (or the team’s) step', () => {
    const counter = buildTimeline({ applicant_id: APPLICANT }, [ev('submit', 1, { detail: { channel: 'counter' } })], 'owner')[0]!;
    expect(counter).toMatchObject({ title: 'Đã nộp hồ sơ tại bộ phận một cửa', by: OFFICE });
    const field = buildTimeline({ applicant_id: null }, [ev('submit', 1, { detail: { channel: 'field' } })], 'owner')[0]!;
    expect(field.title).toContain('tổ công nghệ số cộng đồng');
  });

  it('explains the due date and the pause', () => {
    expect(dueNote({ status: 1, due_date: null }, vnDate)).toBe('Ngày hẹn trả sẽ có khi cán bộ tiếp nhận hồ sơ.');
    expect(dueNote({ status: 4, due_date: '2026-03-11' }, vnDate)).toBe('Hẹn trả kết quả: 11/03/2026.');
    expect(dueNote({ status: 5, due_date: null }, vnDate)).toContain('tạm dừng');
    expect(dueNote({ status: 10, due_date: '2026-03-11' }, vnDate)).toBeNull();
    expect(waitingNote({ status: 5 }, events)).toBe('Đang chờ bạn bổ sung: Thiếu giấy chứng sinh.');
    expect(waitingNote({ status: 4 }, events)).toBeNull();
  });
});
