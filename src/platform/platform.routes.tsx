import { setCookie } from 'hono/cookie';
import { sql } from 'kysely';
import { STYLESHEET, STYLESHEET_PATH } from './assets.js';
import { safeNext } from './forms.js';
import { Layout, pageCtx } from './layout.js';
import { pendingMigrations } from './migrate.js';
import { PUBLIC } from './permissions.js';
import { route, type App } from './routes.js';
import { addMessages } from './i18n.js';

addMessages(
  {
    'home.title': 'Dịch vụ công của xã',
    'home.lead': 'Tìm đúng thủ tục, biết trước cần mang giấy tờ gì, nộp hồ sơ trực tuyến và theo dõi kết quả.',
    'home.account.title': 'Tài khoản',
    'home.account.body': 'Đăng ký bằng số điện thoại, hoặc đăng nhập bằng VNeID. Quên mật khẩu? Cán bộ một cửa có thể giúp bạn đặt lại.',
  },
  {
    'home.title': 'Your commune’s public services',
    'home.lead': 'Find the right procedure, know which papers to bring, submit online and follow the result.',
    'home.account.title': 'Account',
    'home.account.body': 'Register with your phone number, or sign in with VNeID. Forgot your password? The one-stop counter can help you reset it.',
  },
);

export function registerPlatformRoutes(app: App): void {
  route(app, 'GET', '/healthz', PUBLIC, (c) => c.json({ status: 'ok' }));

  route(app, 'GET', '/readyz', PUBLIC, async (c) => {
    const { db } = c.get('deps');
    try {
      await sql`select 1`.execute(db);
      const pending = await pendingMigrations(db);
      if (pending.length) return c.json({ status: 'migrating', pending }, 503);
      return c.json({ status: 'ready' });
    } catch (err) {
      c.get('log').warn({ err }, 'readiness check failed');
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  route(app, 'GET', STYLESHEET_PATH, PUBLIC, (c) => {
    c.header('cache-control', 'public, max-age=31536000, immutable');
    c.header('content-type', 'text/css; charset=utf-8');
    return c.body(STYLESHEET);
  });

  // Language and text size are cookies set by plain links, so they work without JavaScript.
  route(app, 'GET', '/tuy-chon', PUBLIC, (c) => {
    const lang = c.req.query('lang');
    const size = c.req.query('size');
    const opts = { path: '/', maxAge: 365 * 86400, sameSite: 'Lax' as const, httpOnly: true };
    if (lang === 'vi' || lang === 'en') setCookie(c, 'lang', lang, opts);
    if (size === 'large' || size === 'normal') setCookie(c, 'size', size, opts);
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  route(app, 'GET', '/', PUBLIC, (c) => {
    const ctx = pageCtx(c);
    const { t } = ctx;
    return c.html(
      <Layout ctx={ctx} title={t('home.title')}>
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <ul class="list-plain home-links" lang="vi">
          <li>
            <a class="choice" href="/thu-tuc">Xem thủ tục theo việc trong đời: có con nhỏ, kết hôn, người thân qua đời…</a>
          </li>
          <li>
            <a class="choice" href="/tra-cuu">Tra cứu hồ sơ đã nộp (mã hồ sơ và 4 số cuối điện thoại)</a>
          </li>
          <li>
            <a class="choice" href="/ho-so-cua-toi">Hồ sơ của tôi</a>
          </li>
          <li>
            <a class="choice" href="/phan-anh/gui">Gửi phản ánh, kiến nghị</a>
          </li>
        </ul>
        <h2>{t('home.account.title')}</h2>
        <p>{t('home.account.body')}</p>
      </Layout>,
    );
  });
}
