/** The public "Chỉ số phục vụ" page of a commune, like the national portal's public index page. */
import { isoDateInVn } from '../calendar/index.js';
import { renderError } from '../platform/errors.js';
import { ErrorSummary, Layout, pageCtx } from '../platform/layout.js';
import { PUBLIC } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { findCommune } from '../units/units.js';
import { formatValue, measure } from './measures.js';
import { communeOpenData } from './open-data.js';
import { parsePeriod, previousPeriod, quarterOf } from './period.js';
import { BarChart } from './stats.charts.js';
import { NO_DATA, PeriodForm, points } from './stats.view.js';

const SHOWN = ['received', 'online_share', 'on_time_share', 'late_share', 'avg_days', 'supplements_per_dossier', 'rating_avg', 'feedback_handled_share', 'feedback_on_time_share', 'feedback_satisfaction', 'paid_online'];

export function registerStatsPublic(app: App): void {
  route(app, 'GET', '/xa/:commune/chi-so-phuc-vu', PUBLIC, async (c) => {
    const commune = c.req.param('commune') ?? '';
    const found = findCommune(commune);
    if (!found) return renderError(c, 404, 'Không có xã, phường với mã này.');
    const ctx = pageCtx(c);
    const today = isoDateInVn(new Date());
    const values = { ky: c.req.query('ky') ?? '', tu: c.req.query('tu') ?? '', den: c.req.query('den') ?? '' };
    // The public page defaults to the last finished quarter: its figures no longer move much.
    const r = values.ky || values.tu || values.den ? parsePeriod({ period: values.ky, from: values.tu, to: values.den }) : { ok: true as const, period: previousPeriod(quarterOf(today)) };
    const title = `Chỉ số phục vụ — ${found.commune.name}`;
    const action = `/xa/${commune}/chi-so-phuc-vu`;
    if (!r.ok) {
      const errors = { [r.field]: r.message };
      return c.html(
        <Layout ctx={ctx} title={title}>
          <ErrorSummary t={ctx.t} errors={errors} />
          <h1>{title}</h1>
          <PeriodForm action={action} period={null} today={today} values={values} errors={errors} />
        </Layout>,
        400,
      );
    }
    const data = (await communeOpenData(c.get('deps').db, commune, r.period))!;
    return c.html(
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        <p class="lead">
          {found.commune.name}, {found.province.name}: chất lượng phục vụ người dân theo Quyết định 766/QĐ-TTg, {r.period.label}. Số liệu tính từ hồ sơ và phản ánh gửi đến xã trong kỳ.
        </p>
        <PeriodForm action={action} period={r.period} today={today} values={values} errors={{}} />
        <p class="stats-score">
          {data.indexSuppressed ? (
            'Kỳ này xã có ít hơn 5 hồ sơ: không công bố điểm để không ai bị nhận ra.'
          ) : (
            <>
              <strong>{points(data.index)}</strong> / 100 điểm
            </>
          )}
        </p>
        <p class="hint">Chỉ tính các nhóm có dữ liệu; nhóm "{NO_DATA}" không tính vào mẫu số. Ô dựa trên ít hơn 5 hồ sơ được ẩn.</p>
        {data.indexSuppressed ? null : <BarChart title="Điểm theo nhóm" bars={data.groups.map((g) => ({ label: g.label, value: g.points, max: g.available }))} />}
        <table>
          <caption>Điểm theo nhóm</caption>
          <thead>
            <tr>
              <th scope="col">Nhóm</th>
              <th scope="col">Điểm</th>
            </tr>
          </thead>
          <tbody>
            {data.groups.map((g) => (
              <tr>
                <th scope="row">{g.label}</th>
                <td>{g.available === 0 ? NO_DATA : data.indexSuppressed ? 'ẩn' : `${points(g.points)} / ${g.available}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>Số liệu</caption>
          <tbody>
            {SHOWN.map((id) => {
              const m = measure(id);
              const p = data.measures.find((x) => x.id === id)!;
              return (
                <tr>
                  <th scope="row">{m.label}</th>
                  <td>{formatValue(m, p.suppressed ? 'suppressed' : p.value)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p>
          Dữ liệu mở: <a href={`/api/v1/stats/communes/${commune}?period=${encodeURIComponent(r.period.key)}`}>JSON</a> ·{' '}
          <a href={`/api/v1/stats/communes/${commune}/figures.csv?period=${encodeURIComponent(r.period.key)}`}>CSV</a>
        </p>
      </Layout>,
    );
  });
}
