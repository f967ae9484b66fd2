/**
 * Operations-centre pages: the province index with its communes, a commune's
 * index with its procedures, a procedure's figures and the dossiers behind
 * them. Every number links one level down; personal data only for roles that
 * may see it, and each such read is audited.
 */
import type { Child } from 'hono/jsx';
import { isoDateInVn } from '../calendar/index.js';
import { appendAudit } from '../platform/audit.js';
import { actorLabel, clientIp, type Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { ErrorSummary, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { grantsAllow, requires, roleAllows } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { findCommune, findProvince, provinceOf, unitName } from '../units/units.js';
import { STATUS_LABELS, type Status } from '../dossiers/workflow.js';
import { finished, formatValue, measure, received, type Figures } from './measures.js';
import { parsePeriod, previousPeriod, quarterOf, type Period } from './period.js';
import {
  communeRanking,
  dossierList,
  figuresBy,
  indexOf,
  offeredCounts,
  procedureName,
  procedureNames,
  provinceCommunes,
  sumOffered,
  totalFigures,
  type DossierFilter,
} from './stats.service.js';
import { IndexTable, MeasureTable, PeriodForm, TrendBlock, pct, points } from './stats.view.js';
import { indexReportPdf, indexReportXlsx, reportFileName, type IndexReport } from './stats.reports.js';

const PROVINCE = requires('stats.view', 'province');
const COMMUNE = requires('stats.view', 'commune');

export const provinceBase = (p: string) => `/can-bo/tinh/${p}/chi-so`;
export const communeBase = (c: string) => `/can-bo/xa/${c}/chi-so`;

function today(): string {
  return isoDateInVn(new Date());
}

/** The period asked for (default: this quarter), or the page again with the field's message (400). */
function readPeriod(c: Ctx): { ok: true; period: Period; values: Record<string, string> } | { ok: false; values: Record<string, string>; errors: FieldErrors } {
  const values = { ky: c.req.query('ky') ?? '', tu: c.req.query('tu') ?? '', den: c.req.query('den') ?? '' };
  if (!values.ky && !values.tu && !values.den) return { ok: true, period: quarterOf(today()), values };
  const r = parsePeriod({ period: values.ky, from: values.tu, to: values.den });
  return r.ok ? { ok: true, period: r.period, values } : { ok: false, values, errors: { [r.field]: r.message } };
}

function periodQuery(p: Period): string {
  if (p.kind !== 'range') return `ky=${encodeURIComponent(p.key)}`;
  return `tu=${p.from}&den=${p.to}`;
}

function page(c: Ctx, title: string, body: Child, status: 200 | 400 = 200) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title={title} wide>
      {body}
    </Layout>,
    status,
  );
}

function badPeriod(c: Ctx, title: string, action: string, values: Record<string, string>, errors: FieldErrors) {
  const ctx = pageCtx(c);
  return page(
    c,
    title,
    <>
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>{title}</h1>
      <PeriodForm action={action} period={null} today={today()} values={values} errors={errors} />
    </>,
    400,
  );
}

const late = (f: Figures) => f.counters.done_late + f.counters.open_overdue;

/** Procedures ranked by one figure, highest first: the top `n` with a non-zero value. */
function top(rows: [string, Figures][], by: (f: Figures) => number, n = 5): [string, Figures][] {
  return rows.filter(([, f]) => by(f) > 0).sort((a, b) => by(b[1]) - by(a[1]) || a[0].localeCompare(b[0])).slice(0, n);
}

async function buildReport(c: Ctx, unit: string, period: Period): Promise<IndexReport> {
  const db = c.get('deps').db;
  const prev = previousPeriod(period);
  const communes = unit.length === 2 ? provinceCommunes(unit) : [unit];
  const [offered, nowF, beforeF, ranking] = await Promise.all([
    offeredCounts(db, communes),
    totalFigures(db, { communes }, period),
    totalFigures(db, { communes }, prev),
    unit.length === 2 ? communeRanking(db, unit, period) : Promise.resolve([]),
  ]);
  const o = sumOffered(offered.values());
  return {
    unitCode: unit,
    unitName: unitName(unit) ?? unit,
    period,
    previous: prev,
    index: indexOf(nowF, o, period),
    previousIndex: indexOf(beforeF, o, prev),
    figures: nowF,
    communes: ranking,
    generatedOn: today(),
  };
}

function registerExports(app: App, path: string, policy: typeof PROVINCE, unitOf: (c: Ctx) => string | null): void {
  for (const ext of ['xlsx', 'pdf'] as const) {
    route(app, 'GET', `${path}.${ext}`, policy, async (c) => {
      const unit = unitOf(c);
      if (!unit) return renderError(c, 404, 'Không có đơn vị hành chính với mã này.');
      const asked = readPeriod(c);
      if (!asked.ok) return renderError(c, 400, Object.values(asked.errors)[0]);
      const r = await buildReport(c, unit, asked.period);
      const bytes = ext === 'xlsx' ? await indexReportXlsx(r) : await indexReportPdf(r);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': ext === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf',
        'content-disposition': `attachment; filename="${reportFileName(r, ext)}"`,
        'cache-control': 'private, no-store',
      });
    });
  }
}

export function registerStatsRoutes(app: App): void {
  registerExports(app, '/can-bo/tinh/:province/chi-so', PROVINCE, (c) => {
    const p = c.req.param('province') ?? '';
    return findProvince(p) ? p : null;
  });
  registerExports(app, '/can-bo/xa/:commune/chi-so', COMMUNE, (c) => {
    const p = c.req.param('commune') ?? '';
    return findCommune(p) ? p : null;
  });

  route(app, 'GET', '/can-bo/chi-so', requires('stats.view'), (c) => {
    const actor = c.get('actor')!;
    const units = [...new Set(actor.grants.filter((g) => roleAllows('stats.view', g.role)).map((g) => g.unitCode))];
    return page(
      c,
      'Chỉ số phục vụ và số liệu hồ sơ',
      <>
        <h1>Chỉ số phục vụ và số liệu hồ sơ</h1>
        <ul class="list-plain staff-links">
          {units.map((u) => (
            <li>
              <a class="button secondary" href={u.length === 2 ? provinceBase(u) : communeBase(u)}>
                {unitName(u) ?? u}
              </a>
            </li>
          ))}
        </ul>
      </>,
    );
  });

  route(app, 'GET', '/can-bo/tinh/:province/chi-so', PROVINCE, async (c) => {
    const province = c.req.param('province') ?? '';
    const p = findProvince(province);
    if (!p) return renderError(c, 404, 'Không có tỉnh, thành phố với mã này.');
    const title = `Chỉ số phục vụ — ${p.name}`;
    const asked = readPeriod(c);
    if (!asked.ok) return badPeriod(c, title, provinceBase(province), asked.values, asked.errors);
    const { period, values } = asked;
    const prev = previousPeriod(period);
    const db = c.get('deps').db;
    const communes = provinceCommunes(province);
    const [ranking, offered, nowF, beforeF, weeks, procs] = await Promise.all([
      communeRanking(db, province, period),
      offeredCounts(db, communes),
      totalFigures(db, { communes }, period),
      totalFigures(db, { communes }, prev),
      figuresBy(db, { communes }, period, 'week'),
      figuresBy(db, { communes }, period, 'procedure'),
    ]);
    const all = sumOffered(offered.values());
    const index = indexOf(nowF, all, period);
    const before = indexOf(beforeF, all, prev);
    const procRows = [...procs.entries()];
    const names = await procedureNames(db, procRows.map(([k]) => k));
    const q = periodQuery(period);
    return page(
      c,
      title,
      <>
        <h1>{title}</h1>
        <p class="lead">Theo Quyết định 766/QĐ-TTg, {period.label}. Hồ sơ được tính vào kỳ chúng được nộp.</p>
        <PeriodForm action={provinceBase(province)} period={period} today={today()} values={values} errors={{}} />
        <p class="no-print">
          Tải báo cáo: <a href={`${provinceBase(province)}.xlsx?${q}`}>Excel</a> · <a href={`${provinceBase(province)}.pdf?${q}`}>PDF</a>
        </p>
        <h2>Chỉ số toàn tỉnh</h2>
        <IndexTable index={index} previous={before} caption={`Điểm theo nhóm, ${period.label}, so với ${prev.label}`} />
        <h2>Xếp hạng xã, phường</h2>
        {ranking.length ? (
          <div class="stats-scroll" role="region" aria-label="Xếp hạng xã, phường" tabindex={0}>
            <table>
              <caption>Xã, phường có hồ sơ hoặc phản ánh trong kỳ, điểm thấp nhất trước</caption>
              <thead>
                <tr>
                  <th scope="col">Xã, phường</th>
                  <th scope="col">Điểm</th>
                  <th scope="col">Hồ sơ tiếp nhận</th>
                  <th scope="col">Đúng hạn</th>
                  <th scope="col">Trễ hạn</th>
                </tr>
              </thead>
              <tbody>
                {ranking.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`${communeBase(r.code)}?${q}`}>{r.name}</a>
                    </th>
                    <td>{points(r.index.score)}</td>
                    <td>{received(r.figures.counters)}</td>
                    <td>{formatValue(measure('on_time_share'), measure('on_time_share').value(r.figures))}</td>
                    <td>{late(r.figures)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Chưa có xã, phường nào có hồ sơ trong kỳ.</p>
        )}
        <TrendBlock weeks={[...weeks.entries()].sort((a, b) => a[0].localeCompare(b[0]))} />
        <ProcedureTops rows={procRows} names={names} link={null} />
        <h2>Các số liệu</h2>
        <MeasureTable now={nowF} before={beforeF} caption={`Số liệu toàn tỉnh, ${period.label} và ${prev.label}`} />
      </>,
    );
  });

  route(app, 'GET', '/can-bo/xa/:commune/chi-so', COMMUNE, async (c) => {
    const commune = c.req.param('commune') ?? '';
    const found = findCommune(commune);
    if (!found) return renderError(c, 404, 'Không có xã, phường với mã này.');
    const title = `Chỉ số phục vụ — ${found.commune.name}`;
    const asked = readPeriod(c);
    if (!asked.ok) return badPeriod(c, title, communeBase(commune), asked.values, asked.errors);
    const { period, values } = asked;
    const prev = previousPeriod(period);
    const db = c.get('deps').db;
    const scope = { communes: [commune] };
    const [offered, nowF, beforeF, weeks, procs] = await Promise.all([
      offeredCounts(db, [commune]),
      totalFigures(db, scope, period),
      totalFigures(db, scope, prev),
      figuresBy(db, scope, period, 'week'),
      figuresBy(db, scope, period, 'procedure'),
    ]);
    const o = offered.get(commune) ?? { total: 0, online: 0, full: 0 };
    const procRows = [...procs.entries()].sort((a, b) => received(b[1].counters) - received(a[1].counters) || a[0].localeCompare(b[0]));
    const names = await procedureNames(db, procRows.map(([k]) => k));
    const q = periodQuery(period);
    const actor = c.get('actor')!;
    const seesProvince = grantsAllow(actor.grants, 'stats.view', found.province.code, provinceOf);
    const pBase = `${communeBase(commune)}/thu-tuc`;
    return page(
      c,
      title,
      <>
        {seesProvince ? (
          <p class="breadcrumb no-print">
            <a href={`${provinceBase(found.province.code)}?${q}`}>{found.province.name}</a>
          </p>
        ) : null}
        <h1>{title}</h1>
        <p class="lead">Theo Quyết định 766/QĐ-TTg, {period.label}.</p>
        <PeriodForm action={communeBase(commune)} period={period} today={today()} values={values} errors={{}} />
        <p class="no-print">
          Tải báo cáo: <a href={`${communeBase(commune)}.xlsx?${q}`}>Excel</a> · <a href={`${communeBase(commune)}.pdf?${q}`}>PDF</a>
        </p>
        <IndexTable index={indexOf(nowF, o, period)} previous={indexOf(beforeF, o, prev)} caption={`Điểm theo nhóm, ${period.label}, so với ${prev.label}`} />
        <h2>Theo thủ tục</h2>
        {procRows.length ? (
          <div class="stats-scroll" role="region" aria-label="Theo thủ tục" tabindex={0}>
            <table>
              <caption>Thủ tục có hồ sơ trong kỳ, nhiều hồ sơ nhất trước</caption>
              <thead>
                <tr>
                  <th scope="col">Thủ tục</th>
                  <th scope="col">Tiếp nhận</th>
                  <th scope="col">Đã giải quyết</th>
                  <th scope="col">Trễ hạn</th>
                  <th scope="col">Bổ sung/hồ sơ</th>
                  <th scope="col">Trung bình (ngày làm việc)</th>
                </tr>
              </thead>
              <tbody>
                {procRows.map(([code, f]) => (
                  <tr>
                    <th scope="row">
                      <a href={`${pBase}/${encodeURIComponent(code)}?${q}`}>{names.get(code) ?? code}</a>
                    </th>
                    <td>{received(f.counters)}</td>
                    <td>{finished(f.counters)}</td>
                    <td>{late(f)}</td>
                    <td>{formatValue(measure('supplements_per_dossier'), measure('supplements_per_dossier').value(f))}</td>
                    <td>{formatValue(measure('avg_days'), measure('avg_days').value(f))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Chưa có hồ sơ trong kỳ.</p>
        )}
        <TrendBlock weeks={[...weeks.entries()].sort((a, b) => a[0].localeCompare(b[0]))} />
        <ProcedureTops rows={procRows} names={names} link={(code) => `${pBase}/${encodeURIComponent(code)}?${q}`} />
        <h2>Các số liệu</h2>
        <MeasureTable now={nowF} before={beforeF} caption={`Số liệu của xã, ${period.label} và ${prev.label}`} />
      </>,
    );
  });

  route(app, 'GET', '/can-bo/xa/:commune/chi-so/thu-tuc/:procedure', COMMUNE, async (c) => {
    const commune = c.req.param('commune') ?? '';
    const code = c.req.param('procedure') ?? '';
    const found = findCommune(commune);
    const db = c.get('deps').db;
    const name = found ? await procedureName(db, code) : null;
    if (!found || name === null) return renderError(c, 404, 'Không có thủ tục với mã này. Chọn thủ tục trong bảng "Theo thủ tục" của trang chỉ số xã.');
    const asked = readPeriod(c);
    const action = `${communeBase(commune)}/thu-tuc/${encodeURIComponent(code)}`;
    if (!asked.ok) return badPeriod(c, name, action, asked.values, asked.errors);
    const { period, values } = asked;
    const prev = previousPeriod(period);
    const scope = { communes: [commune], procedure: code };
    const [nowF, beforeF] = await Promise.all([totalFigures(db, scope, period), totalFigures(db, scope, prev)]);
    const q = periodQuery(period);
    const list = (kind: string) => `${action}/ho-so?${q}&loai=${kind}`;
    return page(
      c,
      name,
      <>
        <p class="breadcrumb no-print">
          <a href={`${communeBase(commune)}?${q}`}>{found.commune.name}</a>
        </p>
        <h1>{name}</h1>
        <p class="lead">
          {found.commune.name}, {period.label}.
        </p>
        <PeriodForm action={action} period={period} today={today()} values={values} errors={{}} />
        <ul class="list-plain staff-links">
          <li>
            <a class="button" href={list('tre-han')}>
              Hồ sơ trễ hạn ({late(nowF)})
            </a>
          </li>
          <li>
            <a class="button secondary" href={list('dang-giai-quyet')}>
              Hồ sơ đang giải quyết ({nowF.counters.open_on_time + nowF.counters.open_overdue})
            </a>
          </li>
          <li>
            <a class="button secondary" href={list('tat-ca')}>
              Tất cả hồ sơ ({received(nowF.counters)})
            </a>
          </li>
        </ul>
        <MeasureTable now={nowF} before={beforeF} caption={`Số liệu của thủ tục, ${period.label} và ${prev.label}`} />
      </>,
    );
  });

  route(app, 'GET', '/can-bo/xa/:commune/chi-so/thu-tuc/:procedure/ho-so', COMMUNE, async (c) => {
    const commune = c.req.param('commune') ?? '';
    const code = c.req.param('procedure') ?? '';
    const found = findCommune(commune);
    const db = c.get('deps').db;
    const name = found ? await procedureName(db, code) : null;
    if (!found || name === null) return renderError(c, 404, 'Không có thủ tục với mã này. Chọn thủ tục trong bảng "Theo thủ tục" của trang chỉ số xã.');
    const asked = readPeriod(c);
    const action = `${communeBase(commune)}/thu-tuc/${encodeURIComponent(code)}/ho-so`;
    if (!asked.ok) return badPeriod(c, name, action, asked.values, asked.errors);
    const kinds: Record<string, [DossierFilter, string]> = { 'tre-han': ['late', 'trễ hạn'], 'dang-giai-quyet': ['open', 'đang giải quyết'], 'tat-ca': ['all', 'tất cả'] };
    const kind = kinds[c.req.query('loai') ?? 'tat-ca'];
    if (!kind) return renderError(c, 400, 'Loại danh sách chưa đúng: chọn "tre-han", "dang-giai-quyet" hoặc "tat-ca".');
    const from = Number(c.req.query('tu-dong') ?? '0');
    const offset = Number.isSafeInteger(from) && from >= 0 && from <= 1_000_000 ? from : 0;
    const { period } = asked;
    const list = await dossierList(db, commune, code, period, kind[0], offset);
    const actor = c.get('actor')!;
    const personal = grantsAllow(actor.grants, 'stats.personal', commune, provinceOf);
    if (personal && list.rows.length) {
      await appendAudit(db, {
        actorId: actor.id,
        actorLabel: actorLabel(actor),
        unitCode: commune,
        action: 'stats.dossier_list',
        subjectType: 'procedure',
        subjectId: code,
        pdRead: ['applicant_name'],
        ip: clientIp(c),
        detail: { period: period.key, list: kind[0], dossiers: list.rows.map((r) => r.code) },
      });
    }
    const q = periodQuery(period);
    return page(
      c,
      `Hồ sơ ${kind[1]} — ${name}`,
      <>
        <p class="breadcrumb no-print">
          <a href={`${communeBase(commune)}?${q}`}>{found.commune.name}</a> › <a href={`${communeBase(commune)}/thu-tuc/${encodeURIComponent(code)}?${q}`}>{name}</a>
        </p>
        <h1>
          Hồ sơ {kind[1]}: {name}
        </h1>
        <p class="lead">
          {found.commune.name}, nộp trong {period.label}.{' '}
          {personal ? 'Tên người nộp là dữ liệu cá nhân: lần xem này được ghi vào nhật ký.' : 'Vai trò của bạn xem mã hồ sơ, không xem tên người nộp.'}
        </p>
        {list.rows.length ? (
          <div class="stats-scroll" role="region" aria-label="Danh sách hồ sơ" tabindex={0}>
            <table>
              <caption>Hồ sơ theo ngày nộp</caption>
              <thead>
                <tr>
                  <th scope="col">Mã hồ sơ</th>
                  {personal ? <th scope="col">Người nộp</th> : null}
                  <th scope="col">Ngày nộp</th>
                  <th scope="col">Hẹn trả</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Ngày làm việc</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((r) => (
                  <tr class={r.late ? 'stats-late' : undefined}>
                    <th scope="row">
                      {r.code}
                      {r.late ? ' (trễ hạn)' : ''}
                    </th>
                    {personal ? <td>{r.applicantName}</td> : null}
                    <td>{r.day}</td>
                    <td>{r.dueDate ?? '—'}</td>
                    <td>{STATUS_LABELS[r.status as Status] ?? r.status}</td>
                    <td>{r.procDays ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Không có hồ sơ nào.</p>
        )}
        {list.more ? (
          <p>
            <a href={`${action}?${q}&loai=${c.req.query('loai') ?? 'tat-ca'}&tu-dong=${offset + list.rows.length}`}>Trang sau</a>
          </p>
        ) : null}
      </>,
    );
  });
}

const ProcedureTops = ({ rows, names, link }: { rows: [string, Figures][]; names: Map<string, string>; link: ((code: string) => string) | null }) => {
  const lists: [string, (f: Figures) => number, string][] = [
    ['Thủ tục nhiều yêu cầu bổ sung nhất', (f) => f.counters.supplement_requests, 'lần yêu cầu bổ sung'],
    ['Thủ tục nhiều hồ sơ trễ hạn nhất', late, 'hồ sơ trễ hạn'],
  ];
  return (
    <>
      {lists.map(([title, by, unit]) => {
        const t = top(rows, by);
        return (
          <section>
            <h2>{title}</h2>
            {t.length ? (
              <ol>
                {t.map(([code, f]) => (
                  <li>
                    {link ? <a href={link(code)}>{names.get(code) ?? code}</a> : (names.get(code) ?? code)}: {by(f)} {unit} trên {received(f.counters)} hồ sơ ({pct(received(f.counters) ? by(f) / received(f.counters) : null)})
                  </li>
                ))}
              </ol>
            ) : (
              <p>Không có.</p>
            )}
          </section>
        );
      })}
    </>
  );
};
