import { clientIp, actorLabel, type Ctx } from '../platform/context.js';
import { appendAudit } from '../platform/audit.js';
import { renderError } from '../platform/errors.js';
import { parseForm, safeNext } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { PUBLIC, SIGNED_IN, requires } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { destroyAllSessions, destroySession } from '../platform/session.js';
import { Select } from '../platform/ui.js';
import { findCommune, findProvince, PROVINCES, unitName } from '../units/units.js';
import { homeCommuneSchema, idNumberSchema, loginSchema, normalizePhone, registerSchema, resetConfirmSchema, resetRequestSchema } from './accounts.schema.js';
import { authenticate, confirmPasswordReset, registerCitizen, requestPasswordReset, setHomeCommune, setIdNumber } from './accounts.service.js';
import * as store from './accounts.store.js';
import { accountLimits } from './limits.js';
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
        <Field
          name="id_number"
          label="Số định danh cá nhân (không bắt buộc)"
          hint="12 chữ số in trên căn cước (CCCD). Cần có để cán bộ một cửa giúp bạn đặt lại mật khẩu khi bạn không nhận được tin nhắn."
          inputmode="numeric"
          value={values.id_number}
          errors={errors}
        />
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
      <div class="notice">
        <p>
          <strong>Cán bộ bộ phận một cửa đã đưa mã cho bạn?</strong> Không cần xin mã mới: dùng ngay mã đó.
        </p>
        <p>
          <a class="button secondary" href="/dat-lai-mat-khau?ma-tu-quay=1" id="counter-code-link">
            Tôi đã có mã từ bộ phận một cửa
          </a>
        </p>
      </div>
      <form method="post" action="/quen-mat-khau" novalidate>
        <CsrfField ctx={ctx} />
        <Field name="phone" label="Số điện thoại di động" type="tel" inputmode="tel" autocomplete="tel" value={values.phone} errors={errors} />
        <button type="submit">Gửi mã</button>
      </form>
      <p>Không nhận được tin nhắn? Mang căn cước (CCCD) đến bộ phận một cửa của xã, phường bạn đã chọn trong tài khoản; cán bộ sẽ cấp mã cho bạn.</p>
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
        <p class="notice success">Nếu số điện thoại này có tài khoản, chúng tôi đã gửi mã qua tin nhắn. Mã có hiệu lực 15 phút. Mã cán bộ một cửa đã đưa bạn (nếu có) vẫn dùng được.</p>
      ) : null}
      <h1>Đặt mật khẩu mới</h1>
      {c.req.query('ma-tu-quay') || values.counter ? (
        <p>Nhập số điện thoại của tài khoản và mã gồm 6 chữ số cán bộ bộ phận một cửa đã đưa cho bạn, rồi chọn mật khẩu mới. Cán bộ không biết mật khẩu bạn chọn.</p>
      ) : (
        <p>Nhập mã gồm 6 chữ số bạn nhận được qua tin nhắn hoặc từ cán bộ một cửa, rồi chọn mật khẩu mới.</p>
      )}
      <form method="post" action="/dat-lai-mat-khau" novalidate>
        <CsrfField ctx={ctx} />
        {c.req.query('ma-tu-quay') || values.counter ? <input type="hidden" name="counter" value="1" /> : null}
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

const BAD_LOGIN = 'Số điện thoại (hoặc thư điện tử) hoặc mật khẩu chưa đúng: kiểm tra lại, hoặc chọn "Quên mật khẩu"';

function tooMany(seconds: number): string {
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} phút` : `${seconds} giây`;
  return `Đăng nhập sai nhiều lần: đợi ${wait} rồi thử lại, hoặc chọn "Quên mật khẩu".`;
}

const NOTICE_TEXT: Record<'counter_reset_code' | 'counter_password_reset', string> = {
  counter_reset_code: 'Bộ phận một cửa đã cấp mã đặt lại mật khẩu cho tài khoản của bạn',
  counter_password_reset: 'Mật khẩu tài khoản của bạn đã được đặt lại bằng mã do bộ phận một cửa cấp',
};

const ACTION_TEXT: Record<string, string> = {
  'account.register': 'Đăng ký tài khoản',
  'account.login': 'Đăng nhập',
  'account.login_failed': 'Đăng nhập sai mật khẩu',
  'account.logout': 'Đăng xuất',
  'account.logout_everywhere': 'Đăng xuất trên mọi thiết bị',
  'account.reset_requested': 'Xin mã đặt lại mật khẩu qua tin nhắn',
  'account.password_reset': 'Đặt mật khẩu mới',
  'account.id_number_set': 'Lưu số định danh cá nhân',
  'account.home_commune_set': 'Chọn xã, phường',
  'counter.citizen_lookup': 'Cán bộ một cửa tra cứu tài khoản',
  'counter.password_reset_code': 'Cán bộ một cửa cấp mã đặt lại mật khẩu',
  'counter.id_mismatch': 'Cán bộ một cửa nhập số định danh không khớp',
};

function fmtTime(d: Date | string): string {
  return new Date(d).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
}

function HomeCommunePage(c: Ctx, province: string | null, errors: FieldErrors = {}) {
  const ctx = pageCtx(c);
  const p = province ? findProvince(province) : undefined;
  return c.html(
    <Layout ctx={ctx} title="Xã, phường của bạn">
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Xã, phường của bạn</h1>
      <p>Chỉ bộ phận một cửa của xã, phường bạn chọn mới được giúp bạn đặt lại mật khẩu tại quầy.</p>
      <form method="get" action="/tai-khoan/xa-phuong">
        <Select name="tinh" label="Tỉnh, thành phố" options={PROVINCES.map((x) => ({ value: x.code, label: x.name }))} value={p?.code} placeholder="— Chọn tỉnh, thành phố —" />
        <button type="submit" class="secondary">
          Xem các xã, phường
        </button>
      </form>
      {p ? (
        <form method="post" action="/tai-khoan/xa-phuong" novalidate>
          <CsrfField ctx={ctx} />
          <Select name="commune" label={`Xã, phường thuộc ${p.name}`} options={p.communes.map((x) => ({ value: x.code, label: x.name }))} errors={errors} placeholder="— Chọn xã, phường —" />
          <button type="submit">Lưu xã, phường</button>
        </form>
      ) : null}
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

function IdNumberPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}, status: 200 | 400 | 429 = 200) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title="Số định danh cá nhân">
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Số định danh cá nhân</h1>
      <p>Khi bạn quên mật khẩu và đến quầy, cán bộ đối chiếu số này với căn cước của bạn trước khi cấp mã. Hệ thống chỉ lưu dấu băm của số, không hiển thị lại cho ai.</p>
      <form method="post" action="/tai-khoan/so-dinh-danh" novalidate>
        <CsrfField ctx={ctx} />
        <Field name="id_number" label="Số định danh cá nhân (12 chữ số trên căn cước)" inputmode="numeric" value={values.id_number} errors={errors} />
        <Field name="password" label="Mật khẩu hiện tại" hint="Để chắc chắn đây là bạn." type="password" autocomplete="current-password" errors={errors} />
        <button type="submit">Lưu</button>
      </form>
    </Layout>,
    status,
  );
}

export function registerAccountRoutes(app: App): void {
  const limits = accountLimits(app);

  route(app, 'GET', '/dang-ky', PUBLIC, (c) => RegisterPage(c));
  route(app, 'POST', '/dang-ky', PUBLIC, async (c) => {
    const form = await parseForm(c, registerSchema);
    if (!form.ok) return RegisterPage(c, form.values, form.errors);
    const wait = limits.registerByIp.hit(clientIp(c));
    if (wait) return renderError(c, 429, c.get('t')('error.ratelimited', { minutes: wait }));
    const { db, config } = c.get('deps');
    const result = await registerCitizen(db, config.secret, form.data, { ip: clientIp(c) });
    if (!result.ok) return RegisterPage(c, form.values, result.errors);
    await startWebSession(c, result.userId);
    return c.redirect('/tai-khoan?moi=1', 303);
  });

  route(app, 'GET', '/dang-nhap', PUBLIC, (c) => LoginPage(c));
  route(app, 'POST', '/dang-nhap', PUBLIC, async (c) => {
    const form = await parseForm(c, loginSchema);
    const ip = clientIp(c);
    const wait = limits.loginByIp.hit(ip);
    if (wait) return LoginPage(c, form.values, {}, [c.get('t')('error.ratelimited', { minutes: wait })], 429);
    if (!form.ok) return LoginPage(c, form.values, form.errors, [], 400);
    const login = form.data.login.includes('@') ? form.data.login.toLowerCase() : normalizePhone(form.data.login);
    // Checked before the password is hashed, and alike for logins with and without an account.
    const delay = limits.login.waitMs(login, ip);
    if (delay > 0) return LoginPage(c, form.values, { login: tooMany(Math.ceil(delay / 1000)) }, [], 429);
    const { db } = c.get('deps');
    const result = await authenticate(db, login, form.data.password, { ip });
    if (!result.ok) {
      limits.login.failed(login, ip);
      return LoginPage(c, form.values, { login: BAD_LOGIN }, [], 400);
    }
    limits.login.succeeded(login, ip);
    await startWebSession(c, result.userId);
    const next = safeNext(form.data.next, '/tai-khoan');
    // Something happened to the account at a counter: the holder hears of it first.
    if (await store.hasUnseenNotices(db, result.userId)) return c.redirect(`/tai-khoan/nhat-ky?next=${encodeURIComponent(next)}`, 303);
    return c.redirect(next, 303);
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

  route(app, 'GET', '/tai-khoan', SIGNED_IN, async (c) => {
    const ctx = pageCtx(c);
    const actor = c.get('actor')!;
    const user = actor.kind === 'citizen' ? await store.findUserById(c.get('deps').db, actor.id) : undefined;
    const saved = c.req.query('da-luu');
    return c.html(
      <Layout ctx={ctx} title="Tài khoản của tôi">
        {c.req.query('moi') ? <p class="notice success">Đăng ký thành công. Chào mừng bạn đến với Xã Số!</p> : null}
        {saved === 'xa' ? <p class="notice success">Đã lưu xã, phường của bạn.</p> : null}
        {saved === 'dinh-danh' ? <p class="notice success">Đã lưu số định danh cá nhân.</p> : null}
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
            {user ? (
              <>
                <tr>
                  <th scope="row">Xã, phường của bạn</th>
                  <td>
                    {user.home_commune_code ? (unitName(user.home_commune_code) ?? user.home_commune_code) : 'Chưa chọn'} — <a href="/tai-khoan/xa-phuong">{user.home_commune_code ? 'Đổi' : 'Chọn'}</a>
                  </td>
                </tr>
                <tr>
                  <th scope="row">Số định danh cá nhân</th>
                  <td>
                    {user.id_number_hash ? 'Đã lưu' : 'Chưa lưu'} — <a href="/tai-khoan/so-dinh-danh">{user.id_number_hash ? 'Sửa' : 'Thêm'}</a>
                  </td>
                </tr>
              </>
            ) : null}
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
        {user && (!user.home_commune_code || !user.id_number_hash) ? (
          <p class="notice">Chọn xã, phường và lưu số định danh cá nhân để bộ phận một cửa có thể giúp bạn khi bạn quên mật khẩu mà không nhận được tin nhắn.</p>
        ) : null}
        <h2>Bảo mật</h2>
        <p>
          <a href="/tai-khoan/nhat-ky">Nhật ký truy cập tài khoản</a>
        </p>
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

  route(app, 'GET', '/tai-khoan/nhat-ky', SIGNED_IN, async (c) => {
    const ctx = pageCtx(c);
    const actor = c.get('actor')!;
    const { db } = c.get('deps');
    const notices = await store.takeUnseenNotices(db, actor.id);
    const log = await store.accessLog(db, actor.id);
    const next = safeNext(c.req.query('next'), '/tai-khoan');
    return c.html(
      <Layout ctx={ctx} title="Nhật ký truy cập tài khoản">
        {notices.length ? (
          <div class="notice" role="alert" id="account-notices">
            <h2>Thông báo về tài khoản của bạn</h2>
            <ul>
              {notices.map((n) => (
                <li>
                  {fmtTime(n.created_at)}: {NOTICE_TEXT[n.kind]}
                  {n.unit_code ? ` (${unitName(n.unit_code) ?? n.unit_code})` : ''}.
                </li>
              ))}
            </ul>
            <p>Nếu không phải bạn yêu cầu, hãy đổi mật khẩu ngay ("Quên mật khẩu" để nhận mã qua tin nhắn) và báo cho Ủy ban nhân dân xã, phường.</p>
          </div>
        ) : null}
        <h1>Nhật ký truy cập tài khoản</h1>
        <table>
          <thead>
            <tr>
              <th scope="col">Thời gian</th>
              <th scope="col">Việc</th>
              <th scope="col">Nơi</th>
            </tr>
          </thead>
          <tbody>
            {log.map((e) => (
              <tr>
                <td>{fmtTime(e.at)}</td>
                <td>{ACTION_TEXT[e.action] ?? e.action}</td>
                <td>{e.unit_code ? (unitName(e.unit_code) ?? e.unit_code) : e.actor_id === actor.id ? 'Bạn' : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <a class="button" href={next}>
            Tiếp tục
          </a>
        </p>
      </Layout>,
    );
  });

  route(app, 'GET', '/tai-khoan/xa-phuong', requires('account.citizen'), (c) => HomeCommunePage(c, c.req.query('tinh') ?? null));
  route(app, 'POST', '/tai-khoan/xa-phuong', requires('account.citizen'), async (c) => {
    const form = await parseForm(c, homeCommuneSchema);
    const found = form.ok ? findCommune(form.data.commune) : undefined;
    if (!form.ok || !found) return HomeCommunePage(c, form.values.commune ? (findCommune(form.values.commune)?.province.code ?? null) : null, { commune: 'Chọn xã, phường nơi bạn sinh sống trong danh sách' });
    const actor = c.get('actor')!;
    await setHomeCommune(c.get('deps').db, { id: actor.id, label: actorLabel(actor) }, found.commune.code, { ip: clientIp(c) });
    return c.redirect('/tai-khoan?da-luu=xa', 303);
  });

  route(app, 'GET', '/tai-khoan/so-dinh-danh', requires('account.citizen'), (c) => IdNumberPage(c));
  route(app, 'POST', '/tai-khoan/so-dinh-danh', requires('account.citizen'), async (c) => {
    const form = await parseForm(c, idNumberSchema);
    if (!form.ok) return IdNumberPage(c, form.values, form.errors, 400);
    const actor = c.get('actor')!;
    const wait = limits.idNumberByUser.hit(actor.id);
    if (wait) return IdNumberPage(c, form.values, { password: c.get('t')('error.ratelimited', { minutes: wait }) }, 429);
    const { db, config } = c.get('deps');
    const result = await setIdNumber(db, config.secret, { id: actor.id, label: actorLabel(actor) }, form.data, { ip: clientIp(c) });
    if (!result.ok) return IdNumberPage(c, form.values, result.errors, 400);
    return c.redirect('/tai-khoan?da-luu=dinh-danh', 303);
  });

  route(app, 'GET', '/quen-mat-khau', PUBLIC, (c) => ResetRequestPage(c));
  route(app, 'POST', '/quen-mat-khau', PUBLIC, async (c) => {
    const form = await parseForm(c, resetRequestSchema);
    if (!form.ok) return ResetRequestPage(c, form.values, form.errors);
    const wait = limits.resetRequestByIp.hit(clientIp(c));
    if (wait) return renderError(c, 429, c.get('t')('error.ratelimited', { minutes: wait }));
    const { db, config } = c.get('deps');
    await requestPasswordReset(db, config.secret, form.data.phone, { ip: clientIp(c) });
    return c.redirect(`/dat-lai-mat-khau?phone=${form.data.phone}&gui=1`, 303);
  });

  route(app, 'GET', '/dat-lai-mat-khau', PUBLIC, (c) => ResetConfirmPage(c));
  route(app, 'POST', '/dat-lai-mat-khau', PUBLIC, async (c) => {
    const form = await parseForm(c, resetConfirmSchema);
    if (!form.ok) return ResetConfirmPage(c, form.values, form.errors);
    // Counted before the new password is hashed: each try costs an argon2 hash.
    const wait = Math.max(limits.resetConfirmByIp.hit(clientIp(c)), limits.resetConfirmByPhone.hit(form.data.phone));
    if (wait) return ResetConfirmPage(c, form.values, { code: c.get('t')('error.ratelimited', { minutes: wait }) });
    const { db, config } = c.get('deps');
    const result = await confirmPasswordReset(db, config.secret, form.data, { ip: clientIp(c) });
    if (!result.ok) return ResetConfirmPage(c, form.values, result.errors);
    clearWebSession(c);
    return c.redirect('/dang-nhap?thong-bao=dat-lai', 303);
  });
}
