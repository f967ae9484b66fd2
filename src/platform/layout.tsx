import { raw } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import type { Actor, Ctx } from './context.js';
import type { Locale, Translate } from './i18n.js';
import { STYLESHEET_PATH } from './assets.js';

/** What every page needs from the request, taken once from the context. */
export interface PageCtx {
  t: Translate;
  locale: Locale;
  actor: Actor | null;
  csrf: string;
  largeText: boolean;
  demo: boolean;
  path: string;
  query: string;
}

export function pageCtx(c: Ctx): PageCtx {
  const url = new URL(c.req.url);
  return {
    t: c.get('t'),
    locale: c.get('locale'),
    actor: c.get('actor'),
    csrf: c.get('csrf'),
    largeText: c.get('largeText'),
    demo: c.get('demo') ?? false,
    path: url.pathname,
    query: url.search,
  };
}

/** Query parameters never copied into other links (the tracking page's phone digits). */
const PRIVATE_PARAMS = ['so', 'phoneLast4'];

function prefsLink(ctx: PageCtx, key: 'lang' | 'size', value: string): string {
  const query = new URLSearchParams(ctx.query);
  for (const p of PRIVATE_PARAMS) query.delete(p);
  const rest = query.toString();
  return `/tuy-chon?${key}=${value}&next=${encodeURIComponent(ctx.path + (rest ? `?${rest}` : ''))}`;
}

export const Layout: FC<{ ctx: PageCtx; title: string; children?: Child; wide?: boolean }> = ({ ctx, title, children, wide }) => {
  const { t, actor } = ctx;
  const isStaff = actor?.kind === 'staff';
  return (
    <>
      {raw('<!DOCTYPE html>')}
    <html lang={ctx.locale} class={ctx.largeText ? 'text-lg' : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t('app.name')}`}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('shell.skip')}
        </a>
        {ctx.demo ? (
          <p class="demo-banner" role="alert">
            <strong>{t('shell.demo.title')}</strong> {t('shell.demo.body')}
          </p>
        ) : null}
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              {t('app.name')}
              <span class="tagline">{t('app.tagline')}</span>
            </a>
            <nav aria-label={t('shell.nav.account')} class="account-nav">
              {actor ? (
                <>
                  {isStaff ? <a href="/can-bo">{t('shell.nav.counter')}</a> : <a href="/ho-so-cua-toi">{t('shell.nav.dossiers')}</a>}
                  <a href="/thong-bao">{actor.unreadNotices > 0 ? t('shell.nav.inboxUnread', { n: actor.unreadNotices }) : t('shell.nav.inbox')}</a>
                  <a href="/tai-khoan">{t('shell.nav.account')}</a>
                  <form method="post" action="/dang-xuat" class="inline">
                    <input type="hidden" name="_csrf" value={ctx.csrf} />
                    <button type="submit" class="link-button">
                      {t('shell.nav.signout')}
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <a href="/dang-nhap">{t('shell.nav.signin')}</a>
                  <a href="/dang-ky">{t('shell.nav.register')}</a>
                </>
              )}
            </nav>
          </div>
          <form class="wrap search" method="get" action="/tim-kiem" role="search">
            <label for="site-search">{t('shell.search.label')}</label>
            <div class="search-row">
              <input id="site-search" name="q" type="search" placeholder={t('shell.search.placeholder')} autocomplete="off" />
              <button type="submit">{t('shell.search.button')}</button>
            </div>
          </form>
        </header>
        {/* Page content is written in Vietnamese; only the shell is translated. */}
        <main id="main" class={wide ? 'wrap wide' : 'wrap'} tabindex={-1} lang="vi">
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t('shell.footer')}</p>
            <p class="prefs">
              <a href={prefsLink(ctx, 'size', ctx.largeText ? 'normal' : 'large')}>
                {ctx.largeText ? t('shell.textsize.normal') : t('shell.textsize.larger')}
              </a>
              <a href={prefsLink(ctx, 'lang', ctx.locale === 'vi' ? 'en' : 'vi')} lang={ctx.locale === 'vi' ? 'en' : 'vi'}>
                {t('shell.lang.switch')}
              </a>
            </p>
          </div>
        </footer>
      </body>
    </html>
    </>
  );
};

export type FieldErrors = Record<string, string>;

/** GOV.UK-style error summary: at the top, focusable, each error links to its field. */
export const ErrorSummary: FC<{ t: Translate; errors: FieldErrors; messages?: string[] }> = ({ t, errors, messages }) => {
  const entries = Object.entries(errors);
  if (entries.length === 0 && !messages?.length) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{t('form.errors.title')}</h2>
      <p>{t('form.errors.intro')}</p>
      <ul>
        {(messages ?? []).map((m) => (
          <li>{m}</li>
        ))}
        {entries.map(([field, message]) => (
          <li>
            <a href={`#f-${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
};

export const Field: FC<{
  name: string;
  label: string;
  hint?: string;
  type?: string;
  value?: string | undefined;
  errors?: FieldErrors;
  autocomplete?: string;
  inputmode?: 'email' | 'search' | 'text' | 'tel' | 'url' | 'none' | 'numeric' | 'decimal';
  required?: boolean;
}> = ({ name, label, hint, type = 'text', value, errors, autocomplete, inputmode, required }) => {
  const error = errors?.[name];
  const describedBy = [hint ? `f-${name}-hint` : '', error ? `f-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      {hint ? (
        <p class="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`f-${name}-error`}>
          {error}
        </p>
      ) : null}
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        inputmode={inputmode}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
        required={required}
      />
    </div>
  );
};

export const CsrfField: FC<{ ctx: PageCtx }> = ({ ctx }) => <input type="hidden" name="_csrf" value={ctx.csrf} />;

export const MessagePage: FC<{ ctx: PageCtx; title: string; body: string; children?: Child }> = ({ ctx, title, body, children }) => (
  <Layout ctx={ctx} title={title}>
    <h1>{title}</h1>
    <p>{body}</p>
    {children}
    <p>
      <a href="/">{ctx.t('error.back.home')}</a>
    </p>
  </Layout>
);
