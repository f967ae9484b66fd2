import { actorLabel, clientIp, type Actor, type Ctx } from '../platform/context.js';
import { parseForm } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { requires, roleAllows, type Permission } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { unitName } from '../units/units.js';
import { counterLookupSchema, counterResetSchema, normalizePhone } from './accounts.schema.js';
import { counterIssueResetCode, counterLookup, COUNTER_RESET_HOURS, NO_CITIZEN, NO_ID_NUMBER, type CitizenSummary, type Officer } from './accounts.service.js';
import { accountLimits } from './limits.js';
import { ROLE_LABELS } from './roles.js';

function officerOf(actor: Actor): Officer {
  return { id: actor.id, label: actorLabel(actor), grants: actor.grants };
}

/** The work areas a person's roles open, for each commune they serve. */
function staffLinks(actor: Actor): { href: string; label: string }[] {
  const links: { href: string; label: string }[] = [];
  const can = (p: Permission) => actor.grants.some((g) => roleAllows(p, g.role));
  const communes = [...new Set(actor.grants.filter((g) => g.unitCode.length === 5).map((g) => g.unitCode))];
  for (const commune of communes) {
    const name = unitName(commune) ?? commune;
    const here = (p: Permission) => actor.grants.some((g) => g.unitCode === commune && roleAllows(p, g.role));
    if (here('dossier.work')) links.push({ href: `/can-bo/xa/${commune}/ho-so`, label: `Hồ sơ — ${name}` });
    if (here('feedback.handle')) links.push({ href: `/can-bo/xa/${commune}/phan-anh`, label: `Phản ánh, kiến nghị — ${name}` });
    if (here('dossier.trackingBook')) links.push({ href: `/can-bo/xa/${commune}/so-theo-doi.xlsx`, label: `Sổ theo dõi hồ sơ (Excel) — ${name}` });
    if (here('payments.view')) links.push({ href: `/can-bo/xa/${commune}/thu-phi`, label: `Thu phí, lệ phí — ${name}` });
  }
  if (can('dossier.submitAssisted')) links.push({ href: '/can-bo/nop-thay', label: 'Nộp hồ sơ thay người dân' });
  if (can('counter.resetPassword')) links.push({ href: '/can-bo/dat-lai-mat-khau', label: 'Đặt lại mật khẩu cho người dân' });
  if (can('catalog.manageCommune')) links.push({ href: '/can-bo/thu-tuc-cua-xa', label: 'Thủ tục xã giải quyết' });
  if (can('teams.coverage')) links.push({ href: '/can-bo/to-cns', label: 'Tổ công nghệ số cộng đồng' });
  if (can('stats.view')) links.push({ href: '/can-bo/chi-so', label: 'Chỉ số phục vụ và số liệu hồ sơ' });
  for (const g of actor.grants) {
    if (g.unitCode.length === 2 && roleAllows('payments.fees', g.role)) links.push({ href: `/can-bo/tinh/${g.unitCode}/le-phi`, label: `Bảng phí, lệ phí — ${unitName(g.unitCode) ?? g.unitCode}` });
  }
  for (const g of actor.grants.filter((g) => g.unitCode.length === 2 && roleAllows('staff.manage', g.role))) {
    links.push({ href: `/quan-tri/${g.unitCode}/can-bo`, label: `Cán bộ và vai trò — ${unitName(g.unitCode) ?? g.unitCode}` });
  }
  return links;
}

function LookupPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title="Đặt lại mật khẩu cho người dân">
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Đặt lại mật khẩu cho người dân</h1>
      <p>Dùng khi người dân quên mật khẩu và đến quầy. Hệ thống cấp một mã dùng một lần; người dân tự đặt mật khẩu mới, cán bộ không biết mật khẩu.</p>
      <form method="post" action="/can-bo/dat-lai-mat-khau" novalidate>
        <CsrfField ctx={ctx} />
        <Field name="phone" label="Số điện thoại của người dân" type="tel" inputmode="tel" value={values.phone} errors={errors} />
        <button type="submit">Tìm tài khoản</button>
      </form>
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

function ConfirmPage(c: Ctx, citizen: CitizenSummary, values: Record<string, string> = {}, errors: FieldErrors = {}, status?: 400 | 429) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title="Kiểm tra giấy tờ tùy thân">
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Kiểm tra giấy tờ tùy thân</h1>
      <p>
        Tài khoản: <strong>{citizen.fullName}</strong>, số điện thoại {citizen.phone}.
      </p>
      {citizen.hasIdNumber ? null : <p class="notice">{NO_ID_NUMBER}</p>}
      <p>Đối chiếu căn cước (CCCD) của người đang đứng tại quầy với tên trên, rồi nhập số định danh cá nhân in trên căn cước: hệ thống so với số tài khoản đã lưu. Người dân sẽ được báo (tin nhắn, và khi đăng nhập lần sau); việc này ghi vào nhật ký.</p>
      <form method="post" action="/can-bo/dat-lai-mat-khau/cap-ma" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="phone" value={citizen.phone} />
        <Field name="id_number" label="Số định danh cá nhân trên căn cước (12 chữ số)" inputmode="numeric" value={values.id_number} errors={errors} />
        <div class={errors.identity_checked ? 'field field-error' : 'field'}>
          {errors.identity_checked ? (
            <p class="error-message" id="f-identity_checked-error">
              {errors.identity_checked}
            </p>
          ) : null}
          <div class="checkbox">
            <input
              id="f-identity_checked"
              type="checkbox"
              name="identity_checked"
              value="yes"
              aria-invalid={errors.identity_checked ? 'true' : undefined}
              aria-describedby={errors.identity_checked ? 'f-identity_checked-error' : undefined}
            />
            <label for="f-identity_checked">Tôi đã kiểm tra giấy tờ tùy thân, đúng là chủ tài khoản</label>
          </div>
        </div>
        <button type="submit">Cấp mã đặt lại mật khẩu</button>
      </form>
    </Layout>,
    status ?? (Object.keys(errors).length ? 400 : 200),
  );
}

export function registerCounterRoutes(app: App): void {
  route(app, 'GET', '/can-bo', requires('staff.home'), (c) => {
    const ctx = pageCtx(c);
    const actor = c.get('actor')!;
    return c.html(
      <Layout ctx={ctx} title="Khu làm việc của cán bộ">
        <h1>Khu làm việc của cán bộ</h1>
        <ul>
          {actor.grants.map((g) => (
            <li>
              {ROLE_LABELS[g.role]} — {unitName(g.unitCode) ?? g.unitCode}
            </li>
          ))}
        </ul>
        <ul class="list-plain staff-links">
          {staffLinks(actor).map((l) => (
            <li>
              <a class="button secondary" href={l.href}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  route(app, 'GET', '/can-bo/dat-lai-mat-khau', requires('counter.resetPassword'), (c) => LookupPage(c));

  route(app, 'POST', '/can-bo/dat-lai-mat-khau', requires('counter.resetPassword'), async (c) => {
    const form = await parseForm(c, counterLookupSchema);
    if (!form.ok) return LookupPage(c, form.values, form.errors);
    const citizen = await counterLookup(c.get('deps').db, officerOf(c.get('actor')!), form.data.phone, { ip: clientIp(c) });
    if (!citizen) return LookupPage(c, form.values, { phone: NO_CITIZEN });
    return ConfirmPage(c, citizen);
  });

  route(app, 'POST', '/can-bo/dat-lai-mat-khau/cap-ma', requires('counter.resetPassword'), async (c) => {
    const form = await parseForm(c, counterResetSchema);
    if (!form.ok) {
      if (form.errors.phone) return LookupPage(c, form.values, form.errors);
      // Show the account again: the official compares its name with the ID card.
      const citizen = await counterLookup(c.get('deps').db, officerOf(c.get('actor')!), normalizePhone(form.values.phone ?? ''), { ip: clientIp(c) });
      if (!citizen) return LookupPage(c, form.values, { phone: NO_CITIZEN });
      return ConfirmPage(c, citizen, form.values, form.errors);
    }
    const { db, config } = c.get('deps');
    const actor = c.get('actor')!;
    // An official trying ID numbers on an account is slowed down (and each miss is audited).
    const wait = accountLimits(app).counterByOfficer.hit(actor.id);
    if (wait) return LookupPage(c, form.values, { phone: c.get('t')('error.ratelimited', { minutes: wait }) });
    const result = await counterIssueResetCode(db, config.secret, officerOf(actor), { phone: form.data.phone, idNumber: form.data.id_number }, { ip: clientIp(c) });
    if (!result.ok) {
      if (result.errors.phone) return LookupPage(c, form.values, result.errors);
      const citizen = await counterLookup(db, officerOf(actor), form.data.phone, { ip: clientIp(c) });
      return citizen ? ConfirmPage(c, citizen, form.values, result.errors) : LookupPage(c, form.values, { phone: NO_CITIZEN });
    }
    const ctx = pageCtx(c);
    return c.html(
      <Layout ctx={ctx} title="Mã đặt lại mật khẩu">
        <h1>Mã đặt lại mật khẩu</h1>
        <p>
          Đưa mã này cho <strong>{result.citizen.fullName}</strong>. Người dân được báo qua tin nhắn đến {result.citizen.phone} (tin nhắn không chứa mã) và khi đăng nhập lần sau.
        </p>
        <p class="code-box" id="reset-code">
          {result.code}
        </p>
        <p>
          Người dân vào <strong>Đăng nhập → Quên mật khẩu → Tôi đã có mã từ bộ phận một cửa</strong> (địa chỉ /dat-lai-mat-khau?ma-tu-quay=1), nhập số điện thoại, mã này và mật khẩu mới. Không cần bấm "Gửi mã": xin mã qua tin nhắn cũng không làm mất mã này. Mã có hiệu lực {COUNTER_RESET_HOURS} giờ và chỉ dùng được một lần.
        </p>
        <p>
          <a href="/can-bo/dat-lai-mat-khau">Giúp người khác</a>
        </p>
      </Layout>,
    );
  });
}
