import { clientIp, actorLabel, type Ctx } from '../platform/context.js';
import { appendAudit } from '../platform/audit.js';
import { renderError } from '../platform/errors.js';
import { parseForm, safeNext } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { PUBLIC, SIGNED_IN, requires } from '../platform/permissions.js';
import { RateLimiter } from '../platform/ratelimit.js';
import { route, type App } from '../platform/routes.js';
import { destroyAllSessions, destroySession } from '../platform/session.js';
import { unitName } from '../units/units.js';
import { loginSchema, normalizePhone, registerSchema, resetConfirmSchema, resetRequestSchema } from './accounts.schema.js';
import { authenticate, confirmPasswordReset, registerCitizen, requestPasswordReset, LOCK_MINUTES } from './accounts.service.js';
import { ROLE_LABELS } from './roles.js';
import { clearWebSession, startWebSession } from './web-session.js';
import { oidcEnabled } from './oidc.service.js';

function RegisterPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title="Đăng ký tài khoản">
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Đăng ký tài khoản</h1>
      <p>Tài khoản giúp bạn nộp hồ sơ trực tuyến và theo dõi kết quả. Chỉ cần số điện thoại.</p>
      <form method="post" action="/dang-ky" novalidate>
        <CsrfField ctx={ctx} />
        <Field name="full_name" label="Họ và tên" autocomplete="name" value={values.full_name} errors={errors} />
        <Field name="phone" label="Số điện thoại di động" hint="Ví dụ: 0912345678" type="tel" inputmode="tel" autocomplete="tel" value={values.phone} errors={errors} />
        <Field name="email" label="Thư điện tử (không bắt buộc)" type="email" autocomplete="email" value={values.email} errors={errors} />
        <Field name="password" label="Mật khẩu" hint="Ít nhất 8 ký tự. Một câu dễ nhớ là mật khẩu tốt." type="password" autocomplete="new-password" errors={errors} />
        <Field name="password_confirm" label="Nhập lại mật khẩu" type="password" autocomplete="new-password" errors={errors} />
        <button type="submit">Đăng ký</button>
      </form>
      <p>
        Đã có tài khoản? <a href="/dang-nhap">Đăng nhập</a>
      </p>
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

function LoginPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}, messages: string[] = [], status: 200 | 400 | 429 = 200) {
  const ctx = pageCtx(c);
  const next = values.next ?? c.req.query('next') ?? '';
  const notice = c.req.query('thong-bao');
  return c.html(
    <Layout ctx={ctx} title="Đăng nhập">
      <ErrorSummary t={ctx.t} errors={errors} messages={messages} />
      {notice === 'dat-lai' ? <p class="notice success">Bạn đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới.</p> : null}
      {notice === 'da-dang-xuat' ? <p class="notice success">Bạn đã đăng xuất trên mọi thiết bị.</p> : null}
      <h1>Đăng nhập</h1>
      <form method="post" action="/dang-nhap" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={next} />
        <Field name="login" label="Số điện thoại hoặc thư điện tử" type="text" inputmode="tel" autocomplete="username" value={values.login} errors={errors} />
        <Field name="password" label="Mật khẩu" type="password" autocomplete="current-password" errors={errors} />
        <button type="submit">Đăng nhập</button>
      </form>
      <p>
        <a href="/quen-mat-khau">Quên mật khẩu?</a>
      </p>
      {oidcEnabled(c.get('deps').config) ? (
        <p>
          <a class="button secondary" href={`/dang-nhap/vneid${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
            Đăng nhập bằng {c.get('deps').config.oidc?.label}
          </a>
        </p>
      ) : null}
      <p>
        Chưa có tài khoản? <a href="/dang-ky">Đăng ký</a>
      </p>
    </Layout>,
    status,
  );
}

function ResetRequestPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title="Quên mật khẩu">
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Quên mật khẩu</h1>
      <p>Nhập số điện thoại của tài khoản. Chúng tôi gửi một mã gồm 6 chữ số qua tin nhắn để bạn đặt mật khẩu mới.</p>
      <p>Không nhận được tin nhắn? Mang giấy tờ tùy thân đến bộ phận một cửa của xã, cán bộ sẽ giúp bạn.</p>
      <form method="post" action="/quen-mat-khau" novalidate>
        <CsrfField ctx={ctx} />
        <Field name="phone" label="Số điện thoại di động" type="tel" inputmode="tel" autocomplete="tel" value={values.phone} errors={errors} />
        <button type="submit">Gửi mã</button>
      </form>
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

function ResetConfirmPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const ctx = pageCtx(c);
  const phone = values.phone ?? c.req.query('phone') ?? '';
  return c.html(
    <Layout ctx={ctx} title="Đặt mật khẩu mới">
      <ErrorSummary t={ctx.t} errors={errors} />
      {c.req.query('gui') ? (
        <p class="notice success">Nếu số điện thoại này có tài khoản, chúng tôi đã gửi mã qua tin nhắn. Mã có hiệu lực 15 phút.</p>
      ) : null}
      <h1>Đặt mật khẩu mới</h1>
      <p>Nhập mã gồm 6 chữ số bạn nhận được qua tin nhắn hoặc từ cán bộ một cửa, rồi chọn mật khẩu mới.</p>
      <form method="post" action="/dat-lai-mat-khau" novalidate>
        <CsrfField ctx={ctx} />
        <Field name="phone" label="Số điện thoại di động" type="tel" inputmode="tel" autocomplete="tel" value={phone} errors={errors} />
        <Field name="code" label="Mã xác nhận (6 chữ số)" inputmode="numeric" autocomplete="one-time-code" value={values.code} errors={errors} />
        <Field name="password" label="Mật khẩu mới" hint="Ít nhất 8 ký tự." type="password" autocomplete="new-password" errors={errors} />
        <Field name="password_confirm" label="Nhập lại mật khẩu mới" type="password" autocomplete="new-password" errors={errors} />
        <button type="submit">Lưu mật khẩu mới</button>
      </form>
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

export function registerAccountRoutes(app: App): void {
  const loginByIp = new RateLimiter(30, 10 * 60_000);
  const resetByIp = new RateLimiter(10, 60 * 60_000);

  route(app, 'GET', '/dang-ky', PUBLIC, (c) => RegisterPage(c));
  route(app, 'POST', '/dang-ky', PUBLIC, async (c) => {
    const form = await parseForm(c, registerSchema);
    if (!form.ok) return RegisterPage(c, form.values, form.errors);
    const result = await registerCitizen(c.get('deps').db, form.data, { ip: clientIp(c) });
    if (!result.ok) return RegisterPage(c, form.values, result.errors);
    await startWebSession(c, result.userId);
    return c.redirect('/tai-khoan?moi=1', 303);
  });

  route(app, 'GET', '/dang-nhap', PUBLIC, (c) => LoginPage(c));
  route(app, 'POST', '/dang-nhap', PUBLIC, async (c) => {
    const form = await parseForm(c, loginSchema);
    const wait = loginByIp.hit(clientIp(c));
    if (wait) return LoginPage(c, form.values, {}, [c.get('t')('error.ratelimited', { minutes: wait })], 429);
    if (!form.ok) return LoginPage(c, form.values, form.errors, [], 400);
    const login = form.data.login.includes('@') ? form.data.login.toLowerCase() : normalizePhone(form.data.login);
    const result = await authenticate(c.get('deps').db, login, form.data.password, { ip: clientIp(c) });
    if (!result.ok) {
      const message =
        result.reason === 'locked'
          ? `Tài khoản tạm khóa ${result.minutes || LOCK_MINUTES} phút vì nhập sai mật khẩu nhiều lần. Đợi rồi thử lại, hoặc chọn "Quên mật khẩu".`
          : 'Số điện thoại (hoặc thư điện tử) hoặc mật khẩu chưa đúng: kiểm tra lại, hoặc chọn "Quên mật khẩu"';
      return LoginPage(c, form.values, { login: message }, [], 400);
    }
    await startWebSession(c, result.userId);
    return c.redirect(safeNext(form.data.next, '/tai-khoan'), 303);
  });

  route(app, 'POST', '/dang-xuat', PUBLIC, async (c) => {
    const actor = c.get('actor');
    const { db } = c.get('deps');
    if (actor) {
      await db.transaction().execute(async (tx) => {
        await destroySession(tx, actor.sessionId);
        await appendAudit(tx, { actorId: actor.id, actorLabel: actorLabel(actor), action: 'account.logout', subjectType: 'user', subjectId: actor.id, ip: clientIp(c) });
      });
    }
    clearWebSession(c);
    return c.redirect('/', 303);
  });

  route(app, 'POST', '/dang-xuat-moi-noi', requires('account.self'), async (c) => {
    const actor = c.get('actor')!;
    await c.get('deps').db.transaction().execute(async (tx) => {
      const n = await destroyAllSessions(tx, actor.id);
      await appendAudit(tx, { actorId: actor.id, actorLabel: actorLabel(actor), action: 'account.logout_everywhere', subjectType: 'user', subjectId: actor.id, ip: clientIp(c), detail: { sessions: n } });
    });
    clearWebSession(c);
    return c.redirect('/dang-nhap?thong-bao=da-dang-xuat', 303);
  });

  route(app, 'GET', '/tai-khoan', SIGNED_IN, (c) => {
    const ctx = pageCtx(c);
    const actor = c.get('actor')!;
    return c.html(
      <Layout ctx={ctx} title="Tài khoản của tôi">
        {c.req.query('moi') ? <p class="notice success">Đăng ký thành công. Chào mừng bạn đến với Xã Số!</p> : null}
        <h1>Tài khoản của tôi</h1>
        <table>
          <tbody>
            <tr>
              <th scope="row">Họ và tên</th>
              <td>{actor.fullName}</td>
            </tr>
            <tr>
              <th scope="row">Số điện thoại</th>
              <td>{actor.phone ?? '—'}</td>
            </tr>
            <tr>
              <th scope="row">Thư điện tử</th>
              <td>{actor.email ?? '—'}</td>
            </tr>
            {actor.grants.map((g) => (
              <tr>
                <th scope="row">Vai trò</th>
                <td>
                  {ROLE_LABELS[g.role]} — {unitName(g.unitCode) ?? g.unitCode}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Bảo mật</h2>
        <p>Nếu bạn đã đăng nhập trên máy của người khác, hoặc làm mất điện thoại, hãy đăng xuất trên mọi thiết bị.</p>
        <form method="post" action="/dang-xuat-moi-noi">
          <CsrfField ctx={ctx} />
          <button type="submit" class="secondary">
            Đăng xuất trên mọi thiết bị
          </button>
        </form>
      </Layout>,
    );
  });

  route(app, 'GET', '/quen-mat-khau', PUBLIC, (c) => ResetRequestPage(c));
  route(app, 'POST', '/quen-mat-khau', PUBLIC, async (c) => {
    const form = await parseForm(c, resetRequestSchema);
    if (!form.ok) return ResetRequestPage(c, form.values, form.errors);
    const wait = resetByIp.hit(clientIp(c));
    if (wait) return renderError(c, 429, c.get('t')('error.ratelimited', { minutes: wait }));
    const { db, config } = c.get('deps');
    await requestPasswordReset(db, config.secret, form.data.phone, { ip: clientIp(c) });
    return c.redirect(`/dat-lai-mat-khau?phone=${form.data.phone}&gui=1`, 303);
  });

  route(app, 'GET', '/dat-lai-mat-khau', PUBLIC, (c) => ResetConfirmPage(c));
  route(app, 'POST', '/dat-lai-mat-khau', PUBLIC, async (c) => {
    const form = await parseForm(c, resetConfirmSchema);
    if (!form.ok) return ResetConfirmPage(c, form.values, form.errors);
    const { db, config } = c.get('deps');
    const result = await confirmPasswordReset(db, config.secret, form.data, { ip: clientIp(c) });
    if (!result.ok) return ResetConfirmPage(c, form.values, result.errors);
    clearWebSession(c);
    return c.redirect('/dang-nhap?thong-bao=dat-lai', 303);
  });
}
