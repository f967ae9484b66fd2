/**
 * Every dossier and feedback measure, defined once: its id, Vietnamese label,
 * formula and unit. Pages, exports and the open-data API read from here.
 *
 * Figures rest on additive counters (`Counters`) kept per commune × procedure ×
 * day; every period or area is a sum of counters, and every measure is a pure
 * function of a sum, so a month, a quarter, a year or the province is computed
 * the same way. Percentiles come from a histogram of working days, also additive.
 */

/** Additive counters stored per commune × procedure × day (the day the dossier was submitted). */
export const DOSSIER_COUNTERS = [
  'recv_online_full',
  'recv_online_partial',
  'recv_counter',
  'recv_assisted',
  'recv_field',
  'recv_full_eligible',
  'done_early',
  'done_on_time',
  'done_late',
  'open_on_time',
  'open_overdue',
  'proc_days_sum',
  'supplement_requests',
  'refused',
  'withdrawn',
  'stopped',
  'apologies',
  'returned_online',
  'returned_counter',
  'rated',
  'rating_sum',
  'rating_satisfied',
  'rating_dissatisfied',
] as const;
export type DossierCounter = (typeof DOSSIER_COUNTERS)[number];

/** Additive counters stored per commune × day (the day the feedback arrived). */
export const FEEDBACK_COUNTERS = ['fb_received', 'fb_handled', 'fb_on_time', 'fb_rated', 'fb_rating_sum', 'fb_satisfied'] as const;
export type FeedbackCounter = (typeof FEEDBACK_COUNTERS)[number];

export type Counters = Record<DossierCounter | FeedbackCounter, number>;

export function zeroCounters(): Counters {
  const c = {} as Counters;
  for (const k of DOSSIER_COUNTERS) c[k] = 0;
  for (const k of FEEDBACK_COUNTERS) c[k] = 0;
  return c;
}

export function addCounters(into: Counters, more: Partial<Counters>): Counters {
  for (const [k, v] of Object.entries(more) as [keyof Counters, number][]) into[k] += v;
  return into;
}

/** Working-day histogram of finished dossiers: working days → dossiers. */
export type Histogram = ReadonlyMap<number, number>;

export interface Figures {
  counters: Counters;
  histogram: Histogram;
}

export type Unit = 'hồ sơ' | '%' | 'ngày làm việc' | 'lần/hồ sơ' | 'điểm (1–5)' | 'phản ánh';

export interface Measure {
  id: string;
  label: string;
  /** The formula in words, as shown beside the figure. */
  formula: string;
  unit: Unit;
  /** null: no data to compute it (shown as "chưa có dữ liệu"). */
  value: (f: Figures) => number | null;
  /** The dossier count a figure rests on, for suppressing small cells in public outputs. */
  base: (f: Figures) => number;
}

const c = (f: Figures) => f.counters;

export function received(x: Counters): number {
  return x.recv_online_full + x.recv_online_partial + x.recv_counter + x.recv_assisted + x.recv_field;
}
export function finished(x: Counters): number {
  return x.done_early + x.done_on_time + x.done_late;
}
export function inProgress(x: Counters): number {
  return x.open_on_time + x.open_overdue;
}

/** a ÷ b, or null when b is 0 (never 0 %, never 100 %). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** The smallest value with at least `p` of the mass at or below it (nearest-rank). */
export function percentile(h: Histogram, p: number): number | null {
  let total = 0;
  for (const n of h.values()) total += n;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const k of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(k)!;
    if (seen >= rank) return k;
  }
  return null;
}

export function mergeHistograms(into: Map<number, number>, more: Histogram): Map<number, number> {
  for (const [k, n] of more) into.set(k, (into.get(k) ?? 0) + n);
  return into;
}

const count = (id: string, label: string, formula: string, pick: (x: Counters) => number, unit: Unit = 'hồ sơ'): Measure => ({
  id,
  label,
  formula,
  unit,
  value: (f) => pick(c(f)),
  base: (f) => received(c(f)),
});

const share = (id: string, label: string, formula: string, num: (x: Counters) => number, den: (x: Counters) => number): Measure => ({
  id,
  label,
  formula,
  unit: '%',
  value: (f) => ratio(num(c(f)), den(c(f))),
  base: (f) => den(c(f)),
});

export const MEASURES: readonly Measure[] = [
  count('received', 'Hồ sơ tiếp nhận', 'tổng hồ sơ nộp trong kỳ, mọi kênh', received),
  count('received_online_full', 'Nộp trực tuyến toàn trình', 'hồ sơ tự nộp trực tuyến, thủ tục trực tuyến toàn trình', (x) => x.recv_online_full),
  count('received_online_partial', 'Nộp trực tuyến một phần', 'hồ sơ tự nộp trực tuyến, thủ tục trực tuyến một phần', (x) => x.recv_online_partial),
  count('received_counter', 'Nộp tại bộ phận một cửa', 'hồ sơ cán bộ nhận tại quầy', (x) => x.recv_counter),
  count('received_assisted', 'Cán bộ nộp trực tuyến giúp', 'hồ sơ trực tuyến do cán bộ nộp giúp người dân', (x) => x.recv_assisted),
  count('received_field', 'Tổ công nghệ số nộp giúp tại cơ sở', 'hồ sơ tổ công nghệ số cộng đồng nộp giúp', (x) => x.recv_field),
  share('online_share', 'Tỷ lệ nộp trực tuyến', '(trực tuyến toàn trình + một phần + cán bộ nộp trực tuyến giúp) ÷ hồ sơ tiếp nhận', (x) => x.recv_online_full + x.recv_online_partial + x.recv_assisted, received),
  count('finished', 'Hồ sơ đã giải quyết', 'sớm hạn + đúng hạn + trễ hạn', finished),
  count('finished_early', 'Giải quyết trước hạn', 'có kết quả trước ngày hẹn trả', (x) => x.done_early),
  count('finished_on_time', 'Giải quyết đúng hạn', 'có kết quả đúng ngày hẹn trả', (x) => x.done_on_time),
  count('finished_late', 'Giải quyết trễ hạn', 'có kết quả sau ngày hẹn trả', (x) => x.done_late),
  count('in_progress_on_time', 'Đang giải quyết, còn hạn', 'chưa có kết quả, chưa quá hạn', (x) => x.open_on_time),
  count('in_progress_overdue', 'Đang giải quyết, quá hạn', 'chưa có kết quả, đã quá ngày hẹn trả', (x) => x.open_overdue),
  share('on_time_share', 'Tỷ lệ đúng hạn', '(trước hạn + đúng hạn + đang giải quyết còn hạn) ÷ (đã giải quyết + đang giải quyết)', (x) => x.done_early + x.done_on_time + x.open_on_time, (x) => finished(x) + inProgress(x)),
  share('late_share', 'Tỷ lệ trễ hạn', '(trễ hạn + đang quá hạn) ÷ (đã giải quyết + đang giải quyết)', (x) => x.done_late + x.open_overdue, (x) => finished(x) + inProgress(x)),
  {
    id: 'avg_days',
    label: 'Thời gian giải quyết trung bình',
    formula: 'tổng số ngày làm việc từ tiếp nhận đến có kết quả ÷ hồ sơ đã giải quyết',
    unit: 'ngày làm việc',
    value: (f) => ratio(c(f).proc_days_sum, finished(c(f))),
    base: (f) => finished(c(f)),
  },
  {
    id: 'p90_days',
    label: 'Thời gian giải quyết (90% hồ sơ không quá)',
    formula: 'số ngày làm việc mà 90% hồ sơ đã giải quyết không vượt quá',
    unit: 'ngày làm việc',
    value: (f) => percentile(f.histogram, 0.9),
    base: (f) => finished(c(f)),
  },
  {
    id: 'supplements_per_dossier',
    label: 'Yêu cầu bổ sung trên mỗi hồ sơ',
    formula: 'số lần yêu cầu bổ sung, hoàn thiện hồ sơ ÷ hồ sơ tiếp nhận',
    unit: 'lần/hồ sơ',
    value: (f) => ratio(c(f).supplement_requests, received(c(f))),
    base: (f) => received(c(f)),
  },
  count('refused', 'Từ chối tiếp nhận', 'hồ sơ bị từ chối tiếp nhận (mẫu 03)', (x) => x.refused),
  count('withdrawn', 'Rút hồ sơ', 'hồ sơ người dân rút', (x) => x.withdrawn),
  count('stopped', 'Dừng giải quyết', 'hồ sơ dừng giải quyết (mẫu 05)', (x) => x.stopped),
  count('apologies', 'Văn bản xin lỗi', 'số văn bản xin lỗi, hẹn lại ngày trả (mẫu 04)', (x) => x.apologies),
  count('returned_online', 'Trả kết quả trực tuyến', 'hồ sơ nộp trực tuyến đã trả kết quả', (x) => x.returned_online),
  count('returned_counter', 'Trả kết quả tại quầy', 'hồ sơ nộp tại quầy hoặc tại cơ sở đã trả kết quả', (x) => x.returned_counter),
  {
    id: 'paid_online',
    label: 'Thanh toán trực tuyến',
    formula: 'hồ sơ nộp phí, lệ phí trực tuyến ÷ hồ sơ có phí, lệ phí',
    unit: '%',
    value: () => null,
    base: () => 0,
  },
  count('rated', 'Lượt đánh giá hồ sơ', 'hồ sơ người dân đã đánh giá', (x) => x.rated),
  {
    id: 'rating_avg',
    label: 'Điểm đánh giá trung bình',
    formula: 'tổng điểm đánh giá (1–5) ÷ lượt đánh giá',
    unit: 'điểm (1–5)',
    value: (f) => ratio(c(f).rating_sum, c(f).rated),
    base: (f) => c(f).rated,
  },
  share('rating_satisfied_share', 'Tỷ lệ hài lòng với hồ sơ', 'đánh giá 4–5 điểm ÷ lượt đánh giá', (x) => x.rating_satisfied, (x) => x.rated),
  { ...count('feedback_received', 'Phản ánh, kiến nghị nhận được', 'phản ánh gửi đến trong kỳ', (x) => x.fb_received, 'phản ánh'), base: (f) => c(f).fb_received },
  { ...count('feedback_handled', 'Phản ánh đã xử lý', 'phản ánh đã đóng', (x) => x.fb_handled, 'phản ánh'), base: (f) => c(f).fb_received },
  share('feedback_handled_share', 'Tỷ lệ phản ánh đã xử lý', 'phản ánh đã xử lý ÷ phản ánh nhận được', (x) => x.fb_handled, (x) => x.fb_received),
  share('feedback_on_time_share', 'Tỷ lệ phản ánh xử lý đúng hạn', 'phản ánh đóng không muộn hơn hạn xử lý ÷ phản ánh nhận được', (x) => x.fb_on_time, (x) => x.fb_received),
  {
    id: 'feedback_satisfaction',
    label: 'Mức hài lòng với xử lý phản ánh',
    formula: 'phản ánh được đánh giá 4–5 điểm ÷ phản ánh được đánh giá',
    unit: '%',
    value: (f) => ratio(c(f).fb_satisfied, c(f).fb_rated),
    base: (f) => c(f).fb_rated,
  },
];

const BY_ID = new Map(MEASURES.map((m) => [m.id, m]));

export function measure(id: string): Measure {
  const m = BY_ID.get(id);
  if (!m) throw new Error(`unknown measure ${id}`);
  return m;
}

/** Public outputs hide a figure resting on fewer dossiers than this, so nobody can be singled out. */
export const SUPPRESS_BELOW = 5;

export function publicValue(m: Measure, f: Figures): number | null | 'suppressed' {
  const b = m.base(f);
  if (b > 0 && b < SUPPRESS_BELOW) return 'suppressed';
  return m.value(f);
}

/** A value as Vietnamese text: "chưa có dữ liệu" for null, percentages with one decimal (comma). */
export function formatValue(m: Pick<Measure, 'unit'>, v: number | null | 'suppressed'): string {
  if (v === 'suppressed') return 'ít hơn 5 hồ sơ';
  if (v === null) return 'chưa có dữ liệu';
  if (m.unit === '%') return `${(v * 100).toFixed(1).replace('.', ',')}%`;
  if (Number.isInteger(v)) return v.toLocaleString('vi-VN');
  return v.toFixed(2).replace('.', ',');
}
