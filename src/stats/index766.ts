/**
 * The service quality index of Decision 766/QĐ-TTg: six groups, 100 points.
 * Formulas are named here once; which indicators count, their points and
 * targets are configuration, versioned by the date each version applies from
 * (docs/decisions/0140-ioc-index-766.md explains each reading).
 *
 * An indicator without data ("chưa có dữ liệu") is left out of the
 * denominator: the index is the points earned ÷ the points that could be
 * earned on the indicators with data, × 100.
 */
import { finished, inProgress, ratio, type Counters } from './measures.js';

export interface IndexInputs {
  counters: Counters;
  /** Procedures the unit offers, and how many of them can be done online (full or partial). */
  offered: { total: number; online: number; full: number };
}

/** The formulas the configuration may name; each returns a ratio 0–1, or null without data. */
export const FORMULAS = {
  noData: () => null,
  onTime: ({ counters: x }) => ratio(x.done_early + x.done_on_time + x.open_on_time, finished(x) + inProgress(x)),
  fullOnlineDossiers: ({ counters: x }) => ratio(x.recv_online_full, x.recv_full_eligible),
  proceduresOnline: ({ offered }) => ratio(offered.online, offered.total),
  feedbackOnTime: ({ counters: x }) => ratio(x.fb_on_time, x.fb_received),
  feedbackSatisfied: ({ counters: x }) => ratio(x.fb_satisfied, x.fb_rated),
  notLateNorDisliked: ({ counters: x }) => {
    const late = ratio(x.done_late + x.open_overdue, finished(x) + inProgress(x));
    const disliked = ratio(x.rating_dissatisfied, x.rated);
    return late === null || disliked === null ? null : Math.max(0, 1 - (late + disliked));
  },
} satisfies Record<string, (i: IndexInputs) => number | null>;
export type FormulaName = keyof typeof FORMULAS;

export type GroupId = 'transparency' | 'progress' | 'online' | 'digitisation' | 'payment' | 'satisfaction';

export interface IndicatorConfig {
  id: string;
  group: GroupId;
  label: string;
  formula: FormulaName;
  /** Points when the ratio reaches the target. */
  max: number;
  /** The ratio at which full points are earned (0–1). */
  target: number;
}

export interface IndexVersion {
  version: string;
  /** First day (YYYY-MM-DD) the version applies to: a period uses the version in force on its first day. */
  effectiveFrom: string;
  groups: { id: GroupId; label: string; max: number }[];
  indicators: IndicatorConfig[];
}

export const INDEX_VERSIONS: readonly IndexVersion[] = [
  {
    version: '766/2022-xaso-1',
    effectiveFrom: '2022-03-23',
    groups: [
      { id: 'transparency', label: 'Công khai, minh bạch', max: 18 },
      { id: 'progress', label: 'Tiến độ giải quyết', max: 20 },
      { id: 'online', label: 'Dịch vụ trực tuyến', max: 12 },
      { id: 'digitisation', label: 'Số hóa hồ sơ', max: 22 },
      { id: 'payment', label: 'Thanh toán trực tuyến', max: 10 },
      { id: 'satisfaction', label: 'Mức độ hài lòng', max: 18 },
    ],
    indicators: [
      { id: 'published', group: 'transparency', label: 'Công khai thủ tục đúng hạn, đầy đủ', formula: 'noData', max: 6, target: 1 },
      { id: 'synced', group: 'transparency', label: 'Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia', formula: 'noData', max: 12, target: 1 },
      { id: 'on_time', group: 'progress', label: 'Hồ sơ giải quyết, đang giải quyết đúng hạn', formula: 'onTime', max: 20, target: 1 },
      { id: 'full_online', group: 'online', label: 'Hồ sơ trực tuyến toàn trình trên hồ sơ của thủ tục đủ điều kiện', formula: 'fullOnlineDossiers', max: 6, target: 0.8 },
      { id: 'procedures_online', group: 'online', label: 'Thủ tục cung cấp trực tuyến', formula: 'proceduresOnline', max: 6, target: 1 },
      { id: 'e_result', group: 'digitisation', label: 'Hồ sơ có kết quả điện tử', formula: 'noData', max: 6, target: 1 },
      { id: 'digitised', group: 'digitisation', label: 'Thành phần hồ sơ được số hóa', formula: 'noData', max: 6, target: 1 },
      { id: 'reuse', group: 'digitisation', label: 'Tái sử dụng dữ liệu đã số hóa, cơ sở dữ liệu dân cư', formula: 'noData', max: 10, target: 1 },
      { id: 'fees', group: 'payment', label: 'Hồ sơ nộp phí, lệ phí trực tuyến', formula: 'noData', max: 10, target: 1 },
      { id: 'feedback_on_time', group: 'satisfaction', label: 'Phản ánh, kiến nghị xử lý đúng hạn', formula: 'feedbackOnTime', max: 6, target: 1 },
      { id: 'feedback_satisfied', group: 'satisfaction', label: 'Hài lòng với việc xử lý phản ánh', formula: 'feedbackSatisfied', max: 6, target: 1 },
      { id: 'not_late_nor_disliked', group: 'satisfaction', label: '100% trừ (tỷ lệ trễ hạn + tỷ lệ không hài lòng)', formula: 'notLateNorDisliked', max: 6, target: 1 },
    ],
  },
];

/** The version in force on `day`; the earliest when the day precedes them all. */
export function versionFor(day: string, versions: readonly IndexVersion[] = INDEX_VERSIONS): IndexVersion {
  let chosen = versions[0]!;
  for (const v of versions) if (v.effectiveFrom <= day && v.effectiveFrom >= chosen.effectiveFrom) chosen = v;
  return chosen;
}

export interface IndicatorResult extends IndicatorConfig {
  ratio: number | null;
  /** null: no data, left out of the denominator. */
  points: number | null;
}

export interface GroupResult {
  id: GroupId;
  label: string;
  max: number;
  /** Points earned, and points that could be earned on indicators with data; null when none has data. */
  points: number | null;
  available: number;
  indicators: IndicatorResult[];
}

export interface IndexResult {
  version: string;
  groups: GroupResult[];
  points: number;
  available: number;
  /** Points ÷ available × 100; null when no indicator has data. */
  score: number | null;
}

export function scoreIndicator(ratioValue: number | null, max: number, target: number): number | null {
  if (ratioValue === null) return null;
  if (target <= 0 || ratioValue >= target) return max;
  return (ratioValue * max) / target;
}

export function computeIndex(inputs: IndexInputs, version: IndexVersion): IndexResult {
  const groups: GroupResult[] = version.groups.map((g) => {
    const indicators = version.indicators
      .filter((i) => i.group === g.id)
      .map((i): IndicatorResult => {
        const r = FORMULAS[i.formula](inputs);
        return { ...i, ratio: r, points: scoreIndicator(r, i.max, i.target) };
      });
    const withData = indicators.filter((i) => i.points !== null);
    return {
      id: g.id,
      label: g.label,
      max: g.max,
      points: withData.length ? withData.reduce((s, i) => s + i.points!, 0) : null,
      available: withData.reduce((s, i) => s + i.max, 0),
      indicators,
    };
  });
  const points = groups.reduce((s, g) => s + (g.points ?? 0), 0);
  const available = groups.reduce((s, g) => s + g.available, 0);
  return { version: version.version, groups, points, available, score: available ? (points / available) * 100 : null };
}
