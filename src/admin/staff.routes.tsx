import { ROLE_LABELS } from '../accounts/roles.js';
import { vnDateTime } from '../dossiers/submit/components.js';
import { actorLabel, clientIp, type Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { readForm } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { requires, STAFF_ROLES } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { Select } from '../platform/ui.js';
import { findProvince, unitName } from '../units/units.js';
import {
  createStaff,
  grantStaffRole,
  listStaff,
  provinceAuditLog,
  revokeStaffRole,
  setStaffDisabled,
  signInHistory,
  staffInProvince,
  type AdminActor,
  type StaffRow,
} from './staff.service.js';

const ROLE_OPTIONS = STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

function adminActor(c: Ctx): AdminActor {
  const actor = c.get('actor')!;
  return { id: actor.id, label: actorLabel(actor), ip: clientIp(c) };
}

function unitLabel(code: string): string {
  return `${unitName(code) ?? code} (${code})`;
}

async function ListPage(c: Ctx) {
  const province = c.req.param('province')!;
  const ctx = pageCtx(c);
  const staff = await listStaff(c.get('deps').db, province);
  const created = c.req.query('mat-khau');
  return c.html(
    <Layout ctx={ctx} title="Cán bộ và vai trò" wide>
      <h1>Cán bộ và vai trò — {findProvince(province)?.name ?? province}</h1>
      <p>
        <a class="button" href={`/quan-tri/${province}/can-bo/moi`}>
          Tạo tài khoản cán bộ
        </a>{' '}
        <a href={`/quan-tri/${province}/nhat-ky`}>Nhật ký kiểm toán</a> · <a href="/quan-tri/thong-bao-loi">Thông báo gửi không được</a>
      </p>
      {created ? <p class="notice success">Đã tạo tài khoản. Mật khẩu tạm (chỉ hiện một lần, trao tận tay cán bộ): <strong>{created}</strong></p> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Cán bộ</th>
            <th scope="col">Vai trò</th>
            <th scope="col">Trạng thái</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr>
              <td>
                <a href={`/quan-tri/${province}/can-bo/${s.id}`}>{s.fullName}</a>
                <br />
                {s.email ?? ''}
              </td>
              <td>
                {s.roles.map((r) => (
                  <div>
                    {ROLE_LABELS[r.role]} — {unitLabel(r.unitCode)}
                  </div>
                ))}
              </td>
              <td>{s.disabled ? 'Đã khoá' : 'Đang hoạt động'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>,
  );
}

function NewPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const province = c.req.param('province')!;
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title="Tạo tài khoản cán bộ">
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Tạo tài khoản cán bộ</h1>
      <form method="post" action={`/quan-tri/${province}/can-bo/moi`} novalidate>
        <CsrfField ctx={ctx} />
        <Field name="full_name" label="Họ và tên" value={values.full_name} errors={errors} autocomplete="off" />
        <Field name="email" label="Thư điện tử công vụ" hint="Cán bộ đăng nhập bằng địa chỉ này" type="email" inputmode="email" value={values.email} errors={errors} autocomplete="off" />
        <Select name="role" label="Vai trò" options={ROLE_OPTIONS} value={values.role} errors={errors} placeholder="Chọn vai trò" />
        <Field name="unit" label="Mã xã, phường" hint={`5 chữ số, ví dụ ${findProvince(province)?.communes[0]?.code ?? '01234'}. Vai trò cấp tỉnh: nhập ${province}`} inputmode="numeric" value={values.unit} errors={errors} />
        <button type="submit">Tạo tài khoản</button>
      </form>
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

async function StaffPage(c: Ctx, staff: StaffRow, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const province = c.req.param('province')!;
  const ctx = pageCtx(c);
  const base = `/quan-tri/${province}/can-bo/${staff.id}`;
  return c.html(
    <Layout ctx={ctx} title={staff.fullName}>
      <ErrorSummary t={ctx.t} errors={errors} />
      {c.req.query('da-luu') !== undefined ? <p class="notice success">Đã lưu thay đổi.</p> : null}
      <h1>{staff.fullName}</h1>
      <p>
        {staff.email ?? ''} · {staff.disabled ? 'Đã khoá' : 'Đang hoạt động'} · <a href={`${base}/dang-nhap`}>Lịch sử đăng nhập</a>
      </p>
      <h2>Vai trò</h2>
      <ul class="list">
        {staff.roles.map((r) => (
          <li>
            {ROLE_LABELS[r.role]} — {unitLabel(r.unitCode)}
            <form method="post" action={`${base}/thu-hoi`} class="inline">
              <CsrfField ctx={ctx} />
              <input type="hidden" name="unit" value={r.unitCode} />
              <input type="hidden" name="role" value={r.role} />
              <button type="submit" class="secondary">
                Thu hồi
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>Giao thêm vai trò</h2>
      <form method="post" action={`${base}/giao-vai-tro`} novalidate>
        <CsrfField ctx={ctx} />
        <Select name="role" label="Vai trò" options={ROLE_OPTIONS} value={values.role} errors={errors} placeholder="Chọn vai trò" />
        <Field name="unit" label="Mã xã, phường (hoặc mã tỉnh cho vai trò cấp tỉnh)" inputmode="numeric" value={values.unit} errors={errors} />
        <button type="submit">Giao vai trò</button>
      </form>
      <h2>{staff.disabled ? 'Mở khoá tài khoản' : 'Khoá tài khoản'}</h2>
      <form method="post" action={`${base}/khoa`}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="disabled" value={staff.disabled ? '0' : '1'} />
        <p>{staff.disabled ? 'Cán bộ đăng nhập lại được bằng mật khẩu cũ.' : 'Cán bộ bị đăng xuất ngay trên mọi thiết bị và không đăng nhập được nữa. Lịch sử công việc vẫn giữ.'}</p>
        <button type="submit" class={staff.disabled ? undefined : 'warning'}>
          {staff.disabled ? 'Mở khoá' : 'Khoá tài khoản'}
        </button>
      </form>
      <p>
        <a href={`/quan-tri/${province}/can-bo`}>Về danh sách cán bộ</a>
      </p>
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

const ACTION_LABELS: Record<string, string> = {
  'account.login': 'Đăng nhập bằng mật khẩu',
  'account.oidc_login': 'Đăng nhập qua VNeID',
};

export function registerStaffAdminRoutes(app: App): void {
  const manage = requires('staff.manage', 'province');
  // The guard lets a province grant reach its communes' codes too: these pages take a province code only.
  app.use('/quan-tri/:province/*', async (c, next) => {
    const province = c.req.param('province');
    if (/^[0-9]+$/.test(province) && !findProvince(province)) return renderError(c, 404);
    return next();
  });
  const load = async (c: Ctx) => staffInProvince(c.get('deps').db, c.req.param('province')!, c.req.param('userId') ?? '');

  route(app, 'GET', '/quan-tri/:province/can-bo', manage, (c) => ListPage(c));
  route(app, 'GET', '/quan-tri/:province/can-bo/moi', manage, (c) => NewPage(c));
  route(app, 'POST', '/quan-tri/:province/can-bo/moi', manage, async (c) => {
    const province = c.req.param('province')!;
    const form = await readForm(c);
    const outcome = await createStaff(c.get('deps').db, adminActor(c), province, { fullName: form.full_name ?? '', email: form.email ?? '', unit: form.unit ?? '', role: form.role ?? '' });
    if (!outcome.ok) return NewPage(c, form, outcome.errors);
    // Post-redirect-get; the password is shown once on the list page and is in no log (query strings are not logged).
    return c.redirect(`/quan-tri/${province}/can-bo?mat-khau=${encodeURIComponent(outcome.value.password)}`, 303);
  });
  route(app, 'GET', '/quan-tri/:province/can-bo/:userId', manage, async (c) => {
    const staff = await load(c);
    return staff ? StaffPage(c, staff) : renderError(c, 404);
  });
  route(app, 'POST', '/quan-tri/:province/can-bo/:userId/giao-vai-tro', manage, async (c) => {
    const staff = await load(c);
    if (!staff) return renderError(c, 404);
    const form = await readForm(c);
    const outcome = await grantStaffRole(c.get('deps').db, adminActor(c), c.req.param('province')!, staff.id, form.unit ?? '', form.role ?? '');
    if (!outcome.ok) return StaffPage(c, staff, form, outcome.errors);
    return c.redirect(`/quan-tri/${c.req.param('province')!}/can-bo/${staff.id}?da-luu`, 303);
  });
  route(app, 'POST', '/quan-tri/:province/can-bo/:userId/thu-hoi', manage, async (c) => {
    const staff = await load(c);
    if (!staff) return renderError(c, 404);
    const form = await readForm(c);
    const outcome = await revokeStaffRole(c.get('deps').db, adminActor(c), c.req.param('province')!, staff.id, form.unit ?? '', form.role ?? '');
    if (!outcome.ok) return StaffPage(c, staff, {}, outcome.errors);
    const after = await load(c);
    return c.redirect(after ? `/quan-tri/${c.req.param('province')!}/can-bo/${staff.id}?da-luu` : `/quan-tri/${c.req.param('province')!}/can-bo`, 303);
  });
  route(app, 'POST', '/quan-tri/:province/can-bo/:userId/khoa', manage, async (c) => {
    const staff = await load(c);
    if (!staff) return renderError(c, 404);
    const form = await readForm(c);
    const outcome = await setStaffDisabled(c.get('deps').db, adminActor(c), c.req.param('province')!, staff.id, form.disabled !== '0');
    if (!outcome.ok) return StaffPage(c, staff, {}, outcome.errors);
    return c.redirect(`/quan-tri/${c.req.param('province')!}/can-bo/${staff.id}?da-luu`, 303);
  });
  route(app, 'GET', '/quan-tri/:province/can-bo/:userId/dang-nhap', manage, async (c) => {
    const staff = await load(c);
    if (!staff) return renderError(c, 404);
    const rows = await signInHistory(c.get('deps').db, adminActor(c), c.req.param('province')!, staff.id);
    const ctx = pageCtx(c);
    return c.html(
      <Layout ctx={ctx} title={`Lịch sử đăng nhập — ${staff.fullName}`}>
        <h1>Lịch sử đăng nhập — {staff.fullName}</h1>
        {rows.length === 0 ? <p>Chưa đăng nhập lần nào.</p> : null}
        <ul class="list">
          {rows.map((r) => (
            <li>
              {vnDateTime(r.at)} — {ACTION_LABELS[r.action] ?? r.action} — địa chỉ {r.ip ?? 'không rõ'}
            </li>
          ))}
        </ul>
        <p>
          <a href={`/quan-tri/${c.req.param('province')!}/can-bo/${staff.id}`}>Về trang cán bộ</a>
        </p>
      </Layout>,
    );
  });
  route(app, 'GET', '/quan-tri/:province/nhat-ky', requires('audit.read', 'province'), async (c) => {
    const province = c.req.param('province')!;
    const beforeText = c.req.query('truoc');
    const before = beforeText && /^[0-9]{1,15}$/.test(beforeText) ? Number(beforeText) : null;
    const rows = await provinceAuditLog(c.get('deps').db, province, before);
    const ctx = pageCtx(c);
    const last = rows.at(-1);
    return c.html(
      <Layout ctx={ctx} title="Nhật ký kiểm toán" wide>
        <h1>Nhật ký kiểm toán — {findProvince(province)?.name ?? province}</h1>
        <p>Mọi thay đổi trong tỉnh, mới nhất trước. Chuỗi băm được kiểm tra bằng lệnh “xaso audit verify”.</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Số</th>
              <th scope="col">Lúc</th>
              <th scope="col">Người làm</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Việc</th>
              <th scope="col">Đối tượng</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{String(r.seq)}</td>
                <td>{vnDateTime(r.at)}</td>
                <td>{r.actor_label}</td>
                <td>{r.unit_code ? unitLabel(r.unit_code) : ''}</td>
                <td>{r.action}</td>
                <td>
                  {r.subject_type} {r.subject_id ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {last && rows.length === 100 ? <a href={`/quan-tri/${province}/nhat-ky?truoc=${String(last.seq)}`}>Xem cũ hơn</a> : null}
      </Layout>,
    );
  });
}
