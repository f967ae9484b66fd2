import { timingSafeEqual } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jsx } from 'hono/jsx';
import { clientIp, type Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { safeNext } from '../platform/forms.js';
import { MessagePage, pageCtx } from '../platform/layout.js';
import { PUBLIC } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { CALLBACK_PATH, FLOW_COOKIE, FLOW_COOKIE_PATH, FLOW_MINUTES, beginFlow, finishFlow, sealFlow, signInWithOidc, unsealFlow } from './oidc.service.js';
import { startWebSession } from './web-session.js';

const MESSAGES = {
  cancelled: 'Bạn đã hủy đăng nhập hoặc chưa đồng ý chia sẻ thông tin với Xã Số. Bạn có thể thử lại, hoặc đăng nhập bằng số điện thoại và mật khẩu.',
  provider: 'Cổng đăng nhập quốc gia báo lỗi nên chưa đăng nhập được. Vui lòng thử lại sau ít phút.',
  expired: `Phiên đăng nhập đã hết hạn (quá ${FLOW_MINUTES} phút) hoặc trình duyệt đã chặn cookie. Vui lòng bắt đầu đăng nhập lại.`,
  state: 'Yêu cầu đăng nhập không khớp với trình duyệt này. Để bảo vệ tài khoản của bạn, vui lòng bắt đầu đăng nhập lại từ trang Xã Số.',
  exchange: 'Chưa xác nhận được thông tin đăng nhập với cổng quốc gia. Vui lòng thử lại sau ít phút.',
  unavailable: 'Hiện chưa kết nối được với cổng đăng nhập quốc gia. Vui lòng thử lại sau ít phút, hoặc đăng nhập bằng số điện thoại và mật khẩu.',
} as const;

type Failure = keyof typeof MESSAGES;

/** Says what went wrong and leads back to the sign-in page; the details go to the log only. */
function failure(c: Ctx, reason: Failure, err?: unknown): Response | Promise<Response> {
  const status = reason === 'unavailable' ? 503 : 400;
  c.get('log')[status === 503 ? 'error' : 'warn']({ reason, err }, 'national sign-in failed');
  const page = jsx(
    MessagePage,
    { ctx: pageCtx(c), title: 'Chưa đăng nhập được', body: MESSAGES[reason] },
    jsx('p', null, jsx('a', { href: '/dang-nhap' }, 'Quay lại trang đăng nhập')),
  );
  c.header('cache-control', 'no-store');
  return c.html(page.toString(), status);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerOidcRoutes(app: App): void {
  route(app, 'GET', '/dang-nhap/vneid', PUBLIC, async (c) => {
    const { config } = c.get('deps');
    if (!config.oidc) return renderError(c, 404);
    const asked = c.req.query('next');
    const next = safeNext(asked && asked.length <= 500 ? asked : undefined, '/tai-khoan');
    let begun: Awaited<ReturnType<typeof beginFlow>>;
    try {
      begun = await beginFlow(config, next);
    } catch (err) {
      return failure(c, 'unavailable', err);
    }
    setCookie(c, FLOW_COOKIE, sealFlow(config.secret, begun.flow), {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET, which still carries it.
      sameSite: 'Lax',
      secure: config.baseUrl.startsWith('https:'),
      path: FLOW_COOKIE_PATH,
      maxAge: FLOW_MINUTES * 60,
    });
    c.header('cache-control', 'no-store');
    return c.redirect(begun.url.href, 302);
  });

  route(app, 'GET', CALLBACK_PATH, PUBLIC, async (c) => {
    const { config, db } = c.get('deps');
    if (!config.oidc) return renderError(c, 404);
    const sealed = getCookie(c, FLOW_COOKIE);
    // One use only, whatever the outcome.
    deleteCookie(c, FLOW_COOKIE, { path: FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'Lax', secure: config.baseUrl.startsWith('https:') });

    const error = c.req.query('error');
    if (error) {
      return failure(c, error === 'access_denied' ? 'cancelled' : 'provider', { error, description: c.req.query('error_description')?.slice(0, 300) });
    }
    const opened = unsealFlow(config.secret, sealed);
    if (!opened.ok) return failure(c, 'expired', { cookie: opened.reason });
    const { flow } = opened;
    const state = c.req.query('state');
    if (!state || !sameText(state, flow.state)) return failure(c, 'state');
    if (!c.req.query('code')) return failure(c, 'provider', { error: 'no code' });

    let result: Awaited<ReturnType<typeof finishFlow>>;
    try {
      result = await finishFlow(config, flow, new URL(c.req.url).search);
    } catch (err) {
      return failure(c, 'exchange', err);
    }
    const signIn = await signInWithOidc(db, result.issuer, result.profile, { ip: clientIp(c) });
    await startWebSession(c, signIn.userId);
    c.get('log').info({ userId: signIn.userId, outcome: signIn.outcome }, 'national sign-in');
    c.header('cache-control', 'no-store');
    return c.redirect(safeNext(flow.next, '/tai-khoan'), 303);
  });
}
