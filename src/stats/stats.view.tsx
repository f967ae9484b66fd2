/** Pieces the dashboard pages, the public page and the exports share. */
import type { FC } from 'hono/jsx';
import type { IndexResult } from './index766.js';
import { MEASURES, formatValue, measure, publicValue, received, finished, type Figures, type Measure } from './measures.js';
import { recentPeriods, type Period } from './period.js';
import { BarChart, LineChart } from './stats.charts.js';
import type { FieldErrors } from '../platform/layout.js';
import { ErrorText } from '../platform/ui.js';

export const NO_DATA = 'chưa có dữ liệu';

export function points(v: number | null): string {
  return v === null ? NO_DATA : v.toFixed(2).replace('.', ',');
}
export function pct(v: number | null): string {
  return v === null ? NO_DATA : `${(v * 100).toFixed(1).replace('.', ',')}%`;
}
export function change(now: number | null, before: number | null): string {
  if (now === null || before === null) return '—';
  const d = now - before;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(2).replace('.', ',')}`;
}

/** The period picker: a plain GET form, so every view has a shareable URL. */
export const PeriodForm: FC<{ action: string; period: Period | null; today: string; values: Record<string, string>; errors: FieldErrors }> = ({ action, period, today, values, errors }) => (
  <form method="get" action={action} class="stats-filter" novalidate>
    <div class={errors.ky ? 'field field-error' : 'field'}>
      <label for="f-ky">Kỳ báo cáo</label>
      <ErrorText name="ky" error={errors.ky} />
      <select id="f-ky" name="ky">
        {recentPeriods(today).map((p) => (
          <option value={p.key} selected={p.key === (period?.kind !== 'range' ? (values.ky ?? period?.key) : '')}>
            {p.label}
          </option>
        ))}
      </select>
    </div>
    <details open={Boolean(values.tu || values.den)}>
      <summary>Hoặc chọn từ ngày đến ngày</summary>
      {(['tu', 'den'] as const).map((name) => (
        <div class={errors[name] ? 'field field-error' : 'field'}>
          <label for={`f-${name}`}>{name === 'tu' ? 'Từ ngày' : 'Đến ngày'}</label>
          <ErrorText name={name} error={errors[name]} />
          <input id={`f-${name}`} name={name} type="date" value={values[name] ?? ''} aria-invalid={errors[name] ? 'true' : undefined} />
        </div>
      ))}
    </details>
    <button type="submit">Xem</button>
  </form>
);

export const IndexTable: FC<{ index: IndexResult; previous: IndexResult; caption: string }> = ({ index, previous, caption }) => (
  <>
    <p class="stats-score">
      <strong>{points(index.score)}</strong> / 100 điểm quy đổi
      <span class="hint">
        {' '}
        (kỳ trước {points(previous.score)}; thay đổi {change(index.score, previous.score)}). Tính trên {index.available} điểm có dữ liệu; nhóm "{NO_DATA}" không tính vào mẫu số.
      </span>
    </p>
    <BarChart title={caption} bars={index.groups.map((g) => ({ label: g.label, value: g.points, max: g.available }))} />
    <div class="stats-scroll" role="region" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Nhóm, chỉ tiêu</th>
            <th scope="col">Tỷ lệ</th>
            <th scope="col">Mục tiêu</th>
            <th scope="col">Điểm</th>
            <th scope="col">Thay đổi</th>
          </tr>
        </thead>
        {index.groups.map((g, gi) => (
          <tbody>
            <tr class="stats-group">
              <th scope="row">{g.label}</th>
              <td></td>
              <td>{g.max} điểm</td>
              <td>{g.points === null ? NO_DATA : `${points(g.points)} / ${g.available}`}</td>
              <td>{change(g.points, previous.groups[gi]?.points ?? null)}</td>
            </tr>
            {g.indicators.map((i, ii) => (
              <tr>
                <th scope="row" class="stats-indicator">
                  {i.label}
                </th>
                <td>{pct(i.ratio)}</td>
                <td>{pct(i.target)}</td>
                <td>{i.points === null ? NO_DATA : `${points(i.points)} / ${i.max}`}</td>
                <td>{change(i.points, previous.groups[gi]?.indicators[ii]?.points ?? null)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  </>
);

/** Every measure with its value, the previous period's and the formula. */
export const MeasureTable: FC<{ now: Figures; before: Figures; caption: string; ids?: string[]; publicOnly?: boolean }> = ({ now, before, caption, ids, publicOnly }) => {
  const list: Measure[] = ids ? ids.map(measure) : [...MEASURES];
  const val = (m: Measure, f: Figures) => (publicOnly ? publicValue(m, f) : m.value(f));
  return (
    <div class="stats-scroll" role="region" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Số liệu</th>
            <th scope="col">Kỳ này</th>
            <th scope="col">Kỳ trước</th>
            <th scope="col">Cách tính</th>
          </tr>
        </thead>
        <tbody>
          {list.map((m) => (
            <tr>
              <th scope="row">{m.label}</th>
              <td>{formatValue(m, val(m, now))}</td>
              <td>{formatValue(m, val(m, before))}</td>
              <td class="hint">
                {m.formula} ({m.unit})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** Weekly trend of received, finished, late: a chart and its table. */
export const TrendBlock: FC<{ weeks: [string, Figures][] }> = ({ weeks }) => {
  const cats = weeks.map(([w]) => `${w.slice(8, 10)}/${w.slice(5, 7)}`);
  const rec = weeks.map(([, f]) => received(f.counters));
  const fin = weeks.map(([, f]) => finished(f.counters));
  const late = weeks.map(([, f]) => f.counters.done_late + f.counters.open_overdue);
  return (
    <section>
      <h2>Theo tuần</h2>
      {weeks.length ? (
        <>
          <LineChart
            title="Hồ sơ tiếp nhận, đã giải quyết, trễ hạn theo tuần"
            categories={cats}
            series={[
              { label: 'Tiếp nhận', colour: '#1d5fa8', values: rec },
              { label: 'Đã giải quyết', colour: '#1a7f37', dash: '6 3', values: fin },
              { label: 'Trễ hạn', colour: '#b42318', dash: '2 2', values: late },
            ]}
          />
          <div class="stats-scroll" role="region" aria-label="Số liệu theo tuần" tabindex={0}>
            <table>
              <caption>Hồ sơ nộp trong tuần (bắt đầu thứ Hai) và kết quả của chúng</caption>
              <thead>
                <tr>
                  <th scope="col">Tuần từ</th>
                  <th scope="col">Tiếp nhận</th>
                  <th scope="col">Đã giải quyết</th>
                  <th scope="col">Trễ hạn</th>
                </tr>
              </thead>
              <tbody>
                {weeks.map(([w], i) => (
                  <tr>
                    <th scope="row">{w}</th>
                    <td>{rec[i]}</td>
                    <td>{fin[i]}</td>
                    <td>{late[i]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p>Chưa có hồ sơ trong kỳ.</p>
      )}
    </section>
  );
};
