/** Coverage, planning and reports: the hub, a commune's coverage and monthly report, the province roll-up. */
import type { Child } from 'hono/jsx';
import type { Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { Layout, pageCtx } from '../platform/layout.js';
import { grantsAllow, requires, roleAllows } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { ROLE_LABELS } from '../accounts/roles.js';
import { provinceOf, unitName } from '../units/units.js';
import { lagOrder, monthlyReport, per100, percent, provinceRollup, totals, villageCoverage, type VillageCoverage } from './teams.coverage.js';
import { monthlyReportPdf, monthlyReportXlsx, reportFileName } from './teams.reports.js';
import { MONTH_RE, addDays, monthLabel, todayVn } from './teams.schema.js';
import { communeParam } from './teams.http.js';
import { Scroll, TeamsNav, base, num } from './teams.ui.js';

const COVERAGE = requires('teams.coverage', 'commune');
const ESTIMATE = '"Hộ đã đến" cộng dồn số hộ ghi ở mỗi lần đi, không vượt quá số hộ của thôn: đây là số ước tính, vì nhật ký không ghi tên từng hộ.';

function page(c: Ctx, commune: string | null, title: string, body: Child, current: string) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title={commune ? `${title} — ${unitName(commune) ?? commune}` : title}>
      {commune ? <TeamsNav ctx={ctx} commune={commune} current={current} /> : null}
      {body}
    </Layout>,
  );
}

function currentMonth(): string {
  return todayVn().slice(0, 7);
}

/** The last twelve months, newest first, for the month picker. */
function recentMonths(): string[] {
  const months: string[] = [];
  let d = `${currentMonth()}-01`;
  for (let i = 0; i < 12; i++) {
    months.push(d.slice(0, 7));
    d = `${addDays(d, -1).slice(0, 7)}-01`;
  }
  return months;
}

const MonthPicker = ({ action, month, extra }: { action: string; month: string; extra?: Record<string, string> }) => (
  <form method="get" action={action} class="tcns-month no-print">
    {Object.entries(extra ?? {}).map(([k, v]) => (
      <input type="hidden" name={k} value={v} />
    ))}
    <label for="f-thang">Tháng</label>
    <div class="picker-row">
      <select id="f-thang" name="thang">
        {recentMonths().map((m) => (
          <option value={m} selected={m === month}>
            {monthLabel(m)}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        Xem
      </button>
    </div>
  </form>
);

const VillageTable = ({ villages, caption }: { villages: VillageCoverage[]; caption: string }) => (
  <Scroll label={caption}>
    <table>
      <caption class="tcns-caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Thôn, ấp, tổ dân phố</th>
          <th scope="col">Số hộ</th>
          <th scope="col">Hộ đã đến</th>
          <th scope="col">Độ phủ</th>
          <th scope="col">VNeID trên 100 hộ</th>
          <th scope="col">Hồ sơ trực tuyến trên 100 hộ</th>
        </tr>
      </thead>
      <tbody>
        {villages.map((v) => (
          <tr>
            <th scope="row">{v.name}</th>
            <td>{num(v.households)}</td>
            <td>{num(v.reached)}</td>
            <td>
              <span class="tcns-bar" aria-hidden="true">
                <span style={`width:${Math.round((v.coverage ?? 0) * 100)}%`} />
              </span>
              {percent(v.coverage)}
            </td>
            <td>{per100(v.eidPer100)}</td>
            <td>{per100(v.onlinePer100)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </Scroll>
);

export function registerCoverageRoutes(app: App): void {
  route(app, 'GET', '/can-bo/to-cns', requires('teams.coverage'), (c) => {
    const actor = c.get('actor')!;
    const grants = actor.grants.filter((g) => roleAllows('teams.coverage', g.role));
    const communes = [...new Set(grants.filter((g) => g.unitCode.length === 5).map((g) => g.unitCode))];
    const provinces = [...new Set(grants.filter((g) => g.unitCode.length === 2 && roleAllows('teams.report', g.role)).map((g) => g.unitCode))];
    const may = (p: 'teams.log' | 'teams.manage' | 'teams.coverage', commune: string) => grantsAllow(actor.grants, p, commune, provinceOf);
    return page(
      c,
      null,
      'Tổ công nghệ số cộng đồng',
      <>
        <h1>Tổ công nghệ số cộng đồng</h1>
        {communes.map((code) => (
          <section class="tcns-hub">
            <h2>{unitName(code) ?? code}</h2>
            <ul class="tcns-links">
              {may('teams.log', code) ? (
                <li>
                  <a class="button" href={`${base(code)}/nhat-ky`}>
                    Ghi nhật ký đi cơ sở
                  </a>
                </li>
              ) : null}
              <li>
                <a href={`${base(code)}/do-phu`}>Độ phủ và thôn cần ưu tiên</a>
              </li>
              <li>
                <a href={`${base(code)}/bao-cao`}>Báo cáo tháng</a>
              </li>
              {may('teams.log', code) ? (
                <li>
                  <a href={`${base(code)}/huong-dan`}>Hướng dẫn từng bước</a>
                </li>
              ) : null}
              {may('teams.manage', code) ? (
                <li>
                  <a href={base(code)}>Tổ và thành viên</a>
                </li>
              ) : null}
            </ul>
          </section>
        ))}
        {provinces.map((code) => (
          <section class="tcns-hub">
            <h2>{unitName(code) ?? code}</h2>
            <p>
              <a class="button" href={`/can-bo/to-cns/tinh?tinh=${code}`}>
                Tổng hợp toàn tỉnh
              </a>
            </p>
          </section>
        ))}
        {grants.length && !communes.length && !provinces.length ? <p>Vai trò của bạn: {grants.map((g) => ROLE_LABELS[g.role]).join(', ')}.</p> : null}
      </>,
      '',
    );
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/do-phu', COVERAGE, async (c) => {
    const commune = communeParam(c);
    const villages = await villageCoverage(c.get('deps').db, commune, { from: null, to: todayVn() });
    const { ranked, unknown } = lagOrder(villages);
    const t = totals(villages);
    return page(
      c,
      commune,
      'Độ phủ',
      <>
        <h1>Độ phủ và thôn cần ưu tiên</h1>
        {villages.length === 0 ? (
          <p>Xã chưa có danh sách thôn, ấp.</p>
        ) : (
          <>
            <p class="lead">
              Đã đến {num(t.reached)} trong {num(t.householdsKnown)} hộ ({percent(t.coverage)}). {num(t.teams)} tổ, {num(t.members)} thành viên.
            </p>
            {ranked.length ? <VillageTable villages={ranked} caption="Thôn, ấp, tổ dân phố: độ phủ thấp nhất trước" /> : null}
            {unknown.length ? (
              <>
                <h2>Chưa có số hộ</h2>
                <p>Cần nhập số hộ để tính độ phủ: {unknown.map((v) => v.name).join(', ')}.</p>
              </>
            ) : null}
            <p class="hint">{ESTIMATE}</p>
          </>
        )}
      </>,
      'do-phu',
    );
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/bao-cao', COVERAGE, async (c) => {
    const commune = communeParam(c);
    const asked = c.req.query('thang') ?? '';
    const month = MONTH_RE.test(asked) ? asked : currentMonth();
    const r = await monthlyReport(c.get('deps').db, commune, month);
    const t = r.totals;
    const action = `${base(commune)}/bao-cao`;
    return page(
      c,
      commune,
      'Báo cáo tháng',
      <>
        <h1>Báo cáo {monthLabel(month)}</h1>
        <MonthPicker action={action} month={month} />
        <p class="tcns-actions">
          <a class="button" href={`${action}.xlsx?thang=${month}`} download={reportFileName(r, 'xlsx')}>
            Tải Excel
          </a>
          <a class="button secondary" href={`${action}.pdf?thang=${month}`} download={reportFileName(r, 'pdf')}>
            Tải PDF
          </a>
        </p>
        <h2>Trong tháng</h2>
        <dl class="tcns-dl">
          <dt>Lượt đi cơ sở</dt>
          <dd>{num(t.visits)}</dd>
          <dt>Hộ được đến</dt>
          <dd>{num(t.householdsVisited)}</dd>
          <dt>Kích hoạt VNeID mức 2</dt>
          <dd>{num(t.eid)}</dd>
          <dt>Tạo tài khoản dịch vụ công</dt>
          <dd>{num(t.accounts)}</dd>
          <dt>Hồ sơ nộp trực tuyến giúp</dt>
          <dd>{num(t.dossiers)}</dd>
          <dt>Cài thanh toán không tiền mặt</dt>
          <dd>{num(t.cashless)}</dd>
          <dt>Cài ứng dụng</dt>
          <dd>{num(t.apps)}</dd>
          <dt>Buổi tập huấn (người dự)</dt>
          <dd>
            {num(t.sessions)} ({num(t.trainees)})
          </dd>
          <dt>Độ phủ hộ cuối tháng</dt>
          <dd>{percent(t.coverage, 1)}</dd>
        </dl>
        {r.lagging.length ? <VillageTable villages={r.lagging.slice(0, 10)} caption="Thôn cần ưu tiên tháng sau (độ phủ thấp nhất)" /> : null}
      </>,
      'bao-cao',
    );
  });

  for (const ext of ['xlsx', 'pdf'] as const) {
    route(app, 'GET', `/can-bo/xa/:commune/to-cns/bao-cao.${ext}`, COVERAGE, async (c) => {
      const commune = communeParam(c);
      const month = c.req.query('thang') ?? currentMonth();
      if (!MONTH_RE.test(month)) return renderError(c, 400, 'Tháng chưa đúng: chọn tháng trong danh sách ở trang báo cáo.');
      const r = await monthlyReport(c.get('deps').db, commune, month);
      const bytes = ext === 'xlsx' ? await monthlyReportXlsx(r) : await monthlyReportPdf(r);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': ext === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf',
        'content-disposition': `attachment; filename="${reportFileName(r, ext)}"`,
        'cache-control': 'private, no-store',
      });
    });
  }

  route(app, 'GET', '/can-bo/to-cns/tinh', requires('teams.report'), async (c) => {
    const actor = c.get('actor')!;
    const provinces = [...new Set(actor.grants.filter((g) => g.unitCode.length === 2 && roleAllows('teams.report', g.role)).map((g) => g.unitCode))];
    const asked = c.req.query('tinh');
    const province = asked ?? provinces[0];
    if (!province || !provinces.includes(province)) return renderError(c, 404);
    const askedMonth = c.req.query('thang') ?? '';
    const month = MONTH_RE.test(askedMonth) ? askedMonth : currentMonth();
    const r = await provinceRollup(c.get('deps').db, province, month);
    return page(
      c,
      null,
      `Tổ công nghệ số — ${r.name}`,
      <>
        <p class="breadcrumb no-print">
          <a href="/can-bo/to-cns">Tổ công nghệ số</a>
        </p>
        <h1>Tổ công nghệ số cộng đồng — {r.name}</h1>
        <MonthPicker action="/can-bo/to-cns/tinh" month={month} extra={{ tinh: province }} />
        <p>
          {r.communes.length} xã, phường có số liệu; {r.without} xã, phường chưa có danh sách thôn. Độ phủ thấp nhất trước.
        </p>
        {r.communes.length ? (
          <Scroll label="Các xã, phường">
            <table>
              <caption class="tcns-caption">Các xã, phường: độ phủ lũy kế, và hoạt động trong {monthLabel(month)}</caption>
              <thead>
                <tr>
                  <th scope="col">Xã, phường</th>
                  <th scope="col">Số hộ</th>
                  <th scope="col">Độ phủ</th>
                  <th scope="col">VNeID trên 100 hộ</th>
                  <th scope="col">Hồ sơ trực tuyến trên 100 hộ</th>
                  <th scope="col">Tổ</th>
                  <th scope="col">Thành viên</th>
                  <th scope="col">Lượt đi trong tháng</th>
                </tr>
              </thead>
              <tbody>
                {r.communes.map((x) => (
                  <tr>
                    <th scope="row">
                      <a href={`${base(x.code)}/do-phu`}>{x.name}</a>
                    </th>
                    <td>{num(x.households)}</td>
                    <td>{percent(x.coverage)}</td>
                    <td>{per100(x.eidPer100)}</td>
                    <td>{per100(x.onlinePer100)}</td>
                    <td>{num(x.teams)}</td>
                    <td>{num(x.members)}</td>
                    <td>{num(x.monthVisits)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        ) : null}
        <p class="hint">{ESTIMATE}</p>
      </>,
      '',
    );
  });
}
