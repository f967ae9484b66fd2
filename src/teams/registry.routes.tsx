/** Officials' pages for the registry: villages and their household counts, teams, members, spreadsheet import. */
import type { Child } from 'hono/jsx';
import type { Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { parseForm, readForm } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { requires } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { unitName } from '../units/units.js';
import { MEMBER_ROLES, VILLAGE_KINDS, memberSchema, teamSchema, villageSchema } from './teams.schema.js';
import * as service from './teams.service.js';
import * as store from './teams.store.js';
import { importMembers, importVillages, type ImportReport } from './teams.import.js';
import { communeParam, idParam, noStore, uploadedFile, who } from './teams.http.js';
import { Select, FileInput } from '../platform/ui.js';
import { Notice, Scroll, TeamsNav, base, num } from './teams.ui.js';

const MANAGE = requires('teams.manage', 'commune');
const MAX_REPORT_ROWS = 1000;

function page(c: Ctx, commune: string, title: string, body: Child, status: 200 | 400 = 200, current = '') {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title={`${title} — ${unitName(commune) ?? commune}`}>
      <TeamsNav ctx={ctx} commune={commune} current={current} />
      {body}
    </Layout>,
    status,
  );
}

const kindOptions = Object.entries(VILLAGE_KINDS).map(([value, label]) => ({ value, label }));
const roleOptions = Object.entries(MEMBER_ROLES).map(([value, label]) => ({ value, label }));

// ---------------------------------------------------------------- overview

async function overview(c: Ctx) {
  const commune = communeParam(c);
  const { db } = c.get('deps');
  const [villages, teams] = await Promise.all([store.listVillages(db, commune), store.listTeams(db, commune)]);
  const q = (k: string) => c.req.query(k);
  const members = teams.reduce((s, t) => s + t.members, 0);
  return page(
    c,
    commune,
    'Tổ và thành viên',
    <>
      {q('da-nhap') ? (
        <Notice>
          Đã nhập {num(Number(q('da-nhap')))} thành viên{Number(q('to-moi')) ? `, tạo ${num(Number(q('to-moi')))} tổ mới` : ''}.
        </Notice>
      ) : null}
      {q('da-nhap-thon') ? <Notice>Đã nhập danh sách thôn và số hộ.</Notice> : null}
      {q('da-luu') ? <Notice>Đã lưu.</Notice> : null}
      <h1>Tổ công nghệ số cộng đồng</h1>
      <p>
        {villages.length} thôn, ấp, tổ dân phố · {teams.length} tổ · {members} thành viên.
      </p>
      <p class="tcns-actions">
        <a class="button" href={`${base(commune)}/them-to`}>
          Thêm tổ
        </a>
        <a class="button secondary" href={`${base(commune)}/them-thon`}>
          Thêm thôn, ấp
        </a>
        <a class="button secondary" href={`${base(commune)}/nhap`}>
          Nhập từ bảng tính
        </a>
      </p>
      <h2>Các tổ</h2>
      {teams.length === 0 ? (
        <p>Chưa có tổ nào. Thêm thôn, ấp trước, rồi thêm tổ hoặc nhập danh sách thành viên từ bảng tính.</p>
      ) : (
        <ul class="list-plain">
          {teams.map((t) => (
            <li>
              <a href={`${base(commune)}/to/${t.id}`}>{t.name}</a>
              <span class="meta">
                {t.villageName} · {t.members} thành viên
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>Thôn, ấp, tổ dân phố</h2>
      {villages.length === 0 ? (
        <p>Chưa có thôn nào.</p>
      ) : (
        <Scroll label="Danh sách thôn, ấp, tổ dân phố">
          <table>
            <thead>
              <tr>
                <th scope="col">Tên</th>
                <th scope="col">Số hộ</th>
                <th scope="col">Số tổ</th>
              </tr>
            </thead>
            <tbody>
              {villages.map((v) => (
                <tr>
                  <td>
                    <a href={`${base(commune)}/thon/${v.id}`}>{v.name}</a>
                    <span class="meta">{VILLAGE_KINDS[v.kind]}</span>
                  </td>
                  <td>
                    {num(v.households)}
                    {v.householdsSource === 'imported' ? <span class="meta">nhập từ tệp</span> : null}
                  </td>
                  <td>{v.teams}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
    </>,
    200,
    '',
  );
}

// ---------------------------------------------------------------- villages

function villageForm(c: Ctx, commune: string, action: string, title: string, values: Record<string, string>, errors: FieldErrors = {}) {
  return page(
    c,
    commune,
    title,
    <>
      <ErrorSummary t={c.get('t')} errors={errors} />
      <h1>{title}</h1>
      <form method="post" action={action} novalidate>
        <CsrfField ctx={pageCtx(c)} />
        <Field name="name" label="Tên" hint="Ví dụ: Ấp Thạnh Đông, Khu phố 3, Tổ dân phố 12" value={values.name} errors={errors} />
        <Select name="kind" label="Loại" value={values.kind ?? 'thon'} errors={errors} options={kindOptions} />
        <Field name="households" label="Số hộ (không bắt buộc)" hint="Số hộ gia đình trong thôn, để tính độ phủ. Có thể nhập sau." inputmode="numeric" value={values.households} errors={errors} />
        <button type="submit">Lưu</button>
      </form>
      <p>
        <a href={base(commune)}>Quay lại</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

// ---------------------------------------------------------------- teams

async function teamForm(c: Ctx, commune: string, action: string, title: string, values: Record<string, string>, errors: FieldErrors = {}) {
  const villages = await store.listVillages(c.get('deps').db, commune);
  return page(
    c,
    commune,
    title,
    <>
      <ErrorSummary t={c.get('t')} errors={errors} />
      <h1>{title}</h1>
      {villages.length === 0 ? (
        <p>
          Xã chưa có thôn, ấp nào. <a href={`${base(commune)}/them-thon`}>Thêm thôn, ấp</a> trước.
        </p>
      ) : (
        <form method="post" action={action} novalidate>
          <CsrfField ctx={pageCtx(c)} />
          <Field name="name" label="Tên tổ" hint="Ví dụ: Tổ công nghệ số ấp Thạnh Đông" value={values.name} errors={errors} />
          <Select
            name="village_id"
            label="Thôn, ấp, tổ dân phố"
            value={values.village_id}
            errors={errors}
            placeholder="— Chọn —"
            options={villages.map((v) => ({ value: String(v.id), label: v.name }))}
          />
          <button type="submit">Lưu</button>
        </form>
      )}
      <p>
        <a href={base(commune)}>Quay lại</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

async function teamPage(c: Ctx, commune: string, teamId: number, values?: Record<string, string>, errors: FieldErrors = {}) {
  const { db } = c.get('deps');
  const team = await store.getTeam(db, commune, teamId);
  if (!team) return renderError(c, 404);
  const [members, villages] = await Promise.all([service.readTeamMembers(db, who(c), commune, teamId), store.listVillages(db, commune)]);
  const v = values ?? { name: team.name, village_id: String(team.villageId) };
  noStore(c);
  return page(
    c,
    commune,
    team.name,
    <>
      <ErrorSummary t={c.get('t')} errors={errors} />
      {c.req.query('da-luu') ? <Notice>Đã lưu.</Notice> : null}
      {c.req.query('da-thoi') ? <Notice>Đã ghi nhận thành viên thôi tham gia tổ.</Notice> : null}
      <h1>{team.name}</h1>
      <p>{team.villageName}</p>
      <h2>Thành viên ({members.length})</h2>
      <p>
        <a class="button" href={`${base(commune)}/to/${teamId}/them-thanh-vien`}>
          Thêm thành viên
        </a>
      </p>
      {members.length === 0 ? (
        <p>Tổ chưa có thành viên.</p>
      ) : (
        <ul class="list-plain">
          {members.map((m) => (
            <li>
              <a href={`${base(commune)}/thanh-vien/${m.id}`}>{m.fullName}</a> — {MEMBER_ROLES[m.role]}
              <span class="meta">
                <a href={`tel:${m.phone}`}>{m.phone}</a>
                {m.userLogin ? ` · có tài khoản ${m.userLogin}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>Sửa tên tổ</h2>
      <form method="post" action={`${base(commune)}/to/${teamId}`} novalidate>
        <CsrfField ctx={pageCtx(c)} />
        <Field name="name" label="Tên tổ" value={v.name} errors={errors} />
        <Select name="village_id" label="Thôn, ấp, tổ dân phố" value={v.village_id} errors={errors} options={villages.map((x) => ({ value: String(x.id), label: x.name }))} />
        <button type="submit" class="secondary">
          Lưu tên tổ
        </button>
      </form>
      <p>
        <a href={base(commune)}>Quay lại danh sách tổ</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

// ---------------------------------------------------------------- members

async function memberForm(
  c: Ctx,
  commune: string,
  opts: { action: string; title: string; teamSelect: boolean; back: string },
  values: Record<string, string>,
  errors: FieldErrors = {},
  extra: Child = null,
) {
  const { db } = c.get('deps');
  const [accounts, teams] = await Promise.all([store.teamMemberAccounts(db, commune), opts.teamSelect ? store.listTeams(db, commune) : Promise.resolve([])]);
  noStore(c);
  return page(
    c,
    commune,
    opts.title,
    <>
      <ErrorSummary t={c.get('t')} errors={errors} />
      <h1>{opts.title}</h1>
      <form method="post" action={opts.action} novalidate>
        <CsrfField ctx={pageCtx(c)} />
        <Field name="full_name" label="Họ và tên" autocomplete="off" value={values.full_name} errors={errors} />
        <Field name="phone" label="Số điện thoại di động" hint="Ví dụ: 0912345678" type="tel" inputmode="tel" autocomplete="off" value={values.phone} errors={errors} />
        <Select name="role" label="Vai trò trong tổ" value={values.role ?? 'other'} errors={errors} options={roleOptions} />
        {opts.teamSelect ? <Select name="team_id" label="Tổ" value={values.team_id} errors={errors} options={teams.map((t) => ({ value: String(t.id), label: `${t.name} (${t.villageName})` }))} /> : null}
        <Select
          name="user_id"
          label="Tài khoản đăng nhập (không bắt buộc)"
          hint="Gắn với tài khoản thành viên tổ công nghệ số của xã, để người này ghi nhật ký và được nhận là tổ trưởng."
          value={values.user_id ?? ''}
          errors={errors}
          placeholder="Chưa có tài khoản"
          options={accounts.map((a) => ({ value: a.id, label: `${a.fullName} (${a.login})` }))}
        />
        <button type="submit">Lưu</button>
      </form>
      {extra}
      <p>
        <a href={opts.back}>Quay lại</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

// ---------------------------------------------------------------- import

function ImportReportView({ report }: { report: ImportReport }) {
  if (report.fileError) return null;
  const shown = report.refused.slice(0, MAX_REPORT_ROWS);
  return (
    <>
      <h2>Các dòng bị từ chối</h2>
      <p>
        Đọc được {num(report.rows)} dòng; {num(report.refused.length)} dòng cần sửa. Chưa nhập dòng nào: sửa các dòng dưới đây trong tệp rồi tải lên lại.
      </p>
      <Scroll label="Các dòng bị từ chối">
        <table class="tcns-report">
          <thead>
            <tr>
              <th scope="col">Dòng</th>
              <th scope="col">Người, thôn</th>
              <th scope="col">Lý do</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr>
                <td>{r.line}</td>
                <td>{r.label}</td>
                <td>
                  <ul>
                    {r.problems.map((p) => (
                      <li>{p}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {report.refused.length > shown.length ? <p>… và {num(report.refused.length - shown.length)} dòng khác.</p> : null}
    </>
  );
}

function importPage(c: Ctx, commune: string, results: { members?: { errors: FieldErrors; report?: ImportReport }; villages?: { errors: FieldErrors; report?: ImportReport } } = {}) {
  const ctx = pageCtx(c);
  const errors = { ...(results.members?.errors ?? {}), ...(results.villages?.errors ?? {}) };
  noStore(c);
  return page(
    c,
    commune,
    'Nhập từ bảng tính',
    <>
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Nhập từ bảng tính</h1>
      <p>Nhận tệp Excel (.xlsx) hoặc CSV (UTF-8), tối đa 8 MB. Tiêu đề cột viết có dấu hay không dấu đều được.</p>
      <p>
        <strong>Nhập tất cả hoặc không nhập gì:</strong> hệ thống kiểm tra mọi dòng trước; nếu có dòng sai thì không nhập dòng nào và liệt kê từng dòng cần sửa.
      </p>
      <h2>Danh sách thành viên</h2>
      <p>Các cột: Họ tên, Số điện thoại, Thôn/tổ, Vai trò (không bắt buộc), Tổ (không bắt buộc; để trống nếu thôn chỉ có một tổ).</p>
      <form method="post" action={`${base(commune)}/nhap`} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <FileInput name="tep" label="Tệp danh sách thành viên" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" errors={errors} />
        <button type="submit">Kiểm tra và nhập thành viên</button>
      </form>
      {results.members?.report ? <ImportReportView report={results.members.report} /> : null}
      <h2>Danh sách thôn và số hộ</h2>
      <p>Các cột: Thôn/tổ, Số hộ, Loại (không bắt buộc). Thôn đã có thì cập nhật số hộ, thôn chưa có thì thêm mới.</p>
      <form method="post" action={`${base(commune)}/nhap-thon`} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <FileInput name="tep_thon" label="Tệp danh sách thôn" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" errors={errors} />
        <button type="submit" class="secondary">
          Kiểm tra và nhập thôn
        </button>
      </form>
      {results.villages?.report ? <ImportReportView report={results.villages.report} /> : null}
      <p>
        <a href={base(commune)}>Quay lại</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

function reportErrors(field: string, report: ImportReport): FieldErrors {
  if (report.fileError) return { [field]: report.fileError };
  return { [field]: `Chưa nhập gì: ${report.refused.length} trong ${report.rows} dòng cần sửa (xem danh sách bên dưới)` };
}

// ---------------------------------------------------------------- routes

export function registerRegistryRoutes(app: App): void {
  route(app, 'GET', '/can-bo/xa/:commune/to-cns', MANAGE, (c) => overview(c));

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/them-thon', MANAGE, (c) => villageForm(c, communeParam(c), `${base(communeParam(c))}/them-thon`, 'Thêm thôn, ấp, tổ dân phố', {}));
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/them-thon', MANAGE, async (c) => {
    const commune = communeParam(c);
    const form = await parseForm(c, villageSchema);
    const action = `${base(commune)}/them-thon`;
    if (!form.ok) return villageForm(c, commune, action, 'Thêm thôn, ấp, tổ dân phố', form.values, form.errors);
    const r = await service.addVillage(c.get('deps').db, who(c), commune, form.data);
    if (!r.ok) return 'errors' in r ? villageForm(c, commune, action, 'Thêm thôn, ấp, tổ dân phố', form.values, r.errors) : renderError(c, 404);
    return c.redirect(`${base(commune)}?da-luu=1`, 303);
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/thon/:village', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'village');
    const v = id === null ? undefined : await store.getVillage(c.get('deps').db, commune, id);
    if (!v) return renderError(c, 404);
    return villageForm(c, commune, `${base(commune)}/thon/${v.id}`, `Sửa: ${v.name}`, { name: v.name, kind: v.kind, households: v.households === null ? '' : String(v.households) });
  });
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/thon/:village', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'village');
    const v = id === null ? undefined : await store.getVillage(c.get('deps').db, commune, id);
    if (!v) return renderError(c, 404);
    const action = `${base(commune)}/thon/${v.id}`;
    const form = await parseForm(c, villageSchema);
    if (!form.ok) return villageForm(c, commune, action, `Sửa: ${v.name}`, form.values, form.errors);
    const r = await service.editVillage(c.get('deps').db, who(c), commune, v.id, form.data);
    if (!r.ok) return 'errors' in r ? villageForm(c, commune, action, `Sửa: ${v.name}`, form.values, r.errors) : renderError(c, 404);
    return c.redirect(`${base(commune)}?da-luu=1`, 303);
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/them-to', MANAGE, (c) => teamForm(c, communeParam(c), `${base(communeParam(c))}/them-to`, 'Thêm tổ', { village_id: c.req.query('thon') ?? '' }));
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/them-to', MANAGE, async (c) => {
    const commune = communeParam(c);
    const action = `${base(commune)}/them-to`;
    const form = await parseForm(c, teamSchema);
    if (!form.ok) return teamForm(c, commune, action, 'Thêm tổ', form.values, form.errors);
    const r = await service.addTeam(c.get('deps').db, who(c), commune, { name: form.data.name, villageId: form.data.village_id });
    if (!r.ok) return 'errors' in r ? teamForm(c, commune, action, 'Thêm tổ', form.values, r.errors) : renderError(c, 404);
    return c.redirect(`${base(commune)}/to/${r.id}?da-luu=1`, 303);
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/to/:team', MANAGE, async (c) => {
    const id = idParam(c, 'team');
    return id === null ? renderError(c, 404) : teamPage(c, communeParam(c), id);
  });
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/to/:team', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'team');
    if (id === null || !(await store.getTeam(c.get('deps').db, commune, id))) return renderError(c, 404);
    const form = await parseForm(c, teamSchema);
    if (!form.ok) return teamPage(c, commune, id, form.values, form.errors);
    const r = await service.editTeam(c.get('deps').db, who(c), commune, id, { name: form.data.name, villageId: form.data.village_id });
    if (!r.ok) return 'errors' in r ? teamPage(c, commune, id, form.values, r.errors) : renderError(c, 404);
    return c.redirect(`${base(commune)}/to/${id}?da-luu=1`, 303);
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/to/:team/them-thanh-vien', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'team');
    const team = id === null ? undefined : await store.getTeam(c.get('deps').db, commune, id);
    if (!team) return renderError(c, 404);
    return memberForm(c, commune, { action: `${base(commune)}/to/${team.id}/them-thanh-vien`, title: `Thêm thành viên: ${team.name}`, teamSelect: false, back: `${base(commune)}/to/${team.id}` }, {});
  });
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/to/:team/them-thanh-vien', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'team');
    const team = id === null ? undefined : await store.getTeam(c.get('deps').db, commune, id);
    if (!team) return renderError(c, 404);
    const opts = { action: `${base(commune)}/to/${team.id}/them-thanh-vien`, title: `Thêm thành viên: ${team.name}`, teamSelect: false, back: `${base(commune)}/to/${team.id}` };
    const form = await parseForm(c, memberSchema);
    if (!form.ok) return memberForm(c, commune, opts, form.values, form.errors);
    const r = await service.addMember(c.get('deps').db, who(c), commune, team.id, { fullName: form.data.full_name, phone: form.data.phone, role: form.data.role, userId: form.data.user_id });
    if (!r.ok) return 'errors' in r ? memberForm(c, commune, opts, form.values, r.errors) : renderError(c, 404);
    return c.redirect(`${base(commune)}/to/${team.id}?da-luu=1`, 303);
  });

  const memberOpts = (commune: string, m: store.Member) => ({ action: `${base(commune)}/thanh-vien/${m.id}`, title: `Sửa thành viên: ${m.fullName}`, teamSelect: true, back: `${base(commune)}/to/${m.teamId}` });
  const leaveForm = (c: Ctx, commune: string, m: store.Member) => (
    <>
      <h2>Thôi tham gia tổ</h2>
      <p>Thành viên thôi tham gia được bỏ khỏi danh sách; các lần đi cơ sở họ đã ghi vẫn được giữ.</p>
      <form method="post" action={`${base(commune)}/thanh-vien/${m.id}/thoi`}>
        <CsrfField ctx={pageCtx(c)} />
        <button type="submit" class="warning">
          Ghi nhận {m.fullName} thôi tham gia
        </button>
      </form>
    </>
  );
  route(app, 'GET', '/can-bo/xa/:commune/to-cns/thanh-vien/:member', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'member');
    const m = id === null ? undefined : await service.readMember(c.get('deps').db, who(c), commune, id);
    if (!m) return renderError(c, 404);
    return memberForm(c, commune, memberOpts(commune, m), { full_name: m.fullName, phone: m.phone, role: m.role, team_id: String(m.teamId), user_id: m.userId ?? '' }, {}, leaveForm(c, commune, m));
  });
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/thanh-vien/:member', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'member');
    const m = id === null ? undefined : await store.getMember(c.get('deps').db, commune, id);
    if (!m || m.leftAt) return renderError(c, 404);
    const form = await parseForm(c, memberSchema);
    if (!form.ok) return memberForm(c, commune, memberOpts(commune, m), form.values, form.errors, leaveForm(c, commune, m));
    const teamId = form.data.team_id ?? m.teamId;
    const r = await service.editMember(c.get('deps').db, who(c), commune, m.id, { fullName: form.data.full_name, phone: form.data.phone, role: form.data.role, userId: form.data.user_id, teamId });
    if (!r.ok) return 'errors' in r ? memberForm(c, commune, memberOpts(commune, m), form.values, r.errors, leaveForm(c, commune, m)) : renderError(c, 404);
    return c.redirect(`${base(commune)}/to/${teamId}?da-luu=1`, 303);
  });
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/thanh-vien/:member/thoi', MANAGE, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'member');
    if (id === null) return renderError(c, 404);
    await readForm(c);
    const r = await service.removeMember(c.get('deps').db, who(c), commune, id);
    if (!r.ok) return renderError(c, 404);
    return c.redirect(`${base(commune)}/to/${r.teamId}?da-thoi=1`, 303);
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/nhap', MANAGE, (c) => importPage(c, communeParam(c)));
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/nhap', MANAGE, async (c) => {
    const commune = communeParam(c);
    const file = await uploadedFile(c, 'tep');
    if (!file) return importPage(c, commune, { members: { errors: { tep: 'Chọn tệp danh sách thành viên (.xlsx hoặc .csv) để tải lên' } } });
    const report = await importMembers(c.get('deps').db, who(c), commune, file.bytes, { source: file.name.slice(0, 200) });
    if (!report.ok) return importPage(c, commune, { members: { errors: reportErrors('tep', report), report } });
    return c.redirect(`${base(commune)}?da-nhap=${report.added}&to-moi=${report.teamsCreated.length}`, 303);
  });
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/nhap-thon', MANAGE, async (c) => {
    const commune = communeParam(c);
    const file = await uploadedFile(c, 'tep_thon');
    if (!file) return importPage(c, commune, { villages: { errors: { tep_thon: 'Chọn tệp danh sách thôn (.xlsx hoặc .csv) để tải lên' } } });
    const report = await importVillages(c.get('deps').db, who(c), commune, file.bytes, { source: file.name.slice(0, 200) });
    if (!report.ok) return importPage(c, commune, { villages: { errors: reportErrors('tep_thon', report), report } });
    return c.redirect(`${base(commune)}?da-nhap-thon=1`, 303);
  });
}
