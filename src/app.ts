import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimits } from './platform/body-limits.js';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { registerAccountApi } from './accounts/accounts.api.js';
import { registerCalendarApi } from './calendar/calendar.api.js';
import { registerAccountRoutes } from './accounts/accounts.routes.js';
import { registerCounterRoutes } from './accounts/counter.routes.js';
import { registerOidcRoutes } from './accounts/oidc.routes.js';
import { registerCatalogRoutes } from './catalog/catalog.routes.js';
import { registerDossierFormRoutes } from './dossiers/forms.routes.js';
import { finderFor } from './finder/finder.service.js';
import { registerFinderRoutes } from './finder/finder.routes.js';
import { feedbackUpload, open311Refusal, registerFeedback } from './feedback/index.js';
import { registerTeamsRoutes, teamsUpload } from './teams/teams.routes.js';
import { dossierPaperUpload } from './dossiers/submit/uploads.js';
import { registerSubmitRoutes } from './dossiers/submit/submit.routes.js';
import { registerTrackingRoutes } from './dossiers/tracking/tracking.routes.js';
import { dossierApiUpload, registerDossierApi } from './dossiers/dossiers.api.js';
import { registerDossierOffice } from './dossiers/office/office.routes.js';
import { paymentsUpload, registerPayments } from './payments/payments.routes.js';
import { certifyUpload, registerCertifyRoutes } from './documents/certify.routes.js';
import { registerStoreRoutes, storeUpload } from './documents/store.routes.js';
import { registerVerifyRoutes, verificationUpload } from './documents/verify.routes.js';
import { registerApiDocs } from './platform/api.js';
import { systemClock } from './platform/clock.js';
import { registerStatsRoutes } from './stats/stats.routes.js';
import { registerStatsApi } from './stats/stats.api.js';
import { registerStatsPublic } from './stats/stats.public.js';
import { registerNotificationRoutes } from './notifications/notifications.routes.js';
import { registerStaffAdminRoutes } from './admin/staff.routes.js';
import type { AppEnv, Deps } from './platform/context.js';
import { csrf } from './platform/csrf.js';
import { demoBanner } from './demo/banner.js';
import { rejectControlCharacters, securityHeaders } from './platform/http-guards.js';
import { apiError, renderError } from './platform/errors.js';
import { parseLocale, translator } from './platform/i18n.js';
import { registerPlatformRoutes } from './platform/platform.routes.js';
import { SESSION_COOKIE, loadSession } from './platform/session.js';
import type { App } from './platform/routes.js';

export const MAX_FORM_BYTES = 1024 * 1024;

/** The composition root: builds the app and owns its state (the clock unless one is given). */
export function createApp(given: Omit<Deps, 'clock'> & Partial<Pick<Deps, 'clock'>>): App {
  const deps: Deps = { ...given, clock: given.clock ?? systemClock };
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const fields: Record<string, string> = {};
      for (const issue of result.error.issues) fields[issue.path.join('.') || '_'] ??= issue.message;
      return c.json(apiError('invalid', c.get('t')('error.validation'), fields), 400);
    },
  });

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || randomUUID();
    const log = deps.log.child({ reqId: requestId });
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('log', log);
    const locale = parseLocale(getCookie(c, 'lang'));
    c.set('locale', locale);
    c.set('t', translator(locale));
    c.set('largeText', getCookie(c, 'size') === 'large');
    c.set('demo', false);
    c.set('actor', null);
    c.set('csrf', '');
    const started = performance.now();
    await next();
    // Set on the finished response directly: c.header() after next() would rebuild it (slow path).
    const headers = c.res.headers;
    headers.set('x-request-id', requestId);
    securityHeaders(headers, deps.config.baseUrl);
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });

  app.use('*', rejectControlCharacters(open311Refusal));

  // The session first (a cookie, no body), so upload routes can refuse anonymous senders before reading.
  app.use('*', async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) c.set('actor', await loadSession(deps.db, token));
    await next();
  });

  // Forms get 1 MB; routes that take files declare their own limit, who may send, and share one upload budget.
  app.use('*', bodyLimits(MAX_FORM_BYTES, (c) => renderError(c, 413), [feedbackUpload, teamsUpload, dossierPaperUpload, dossierApiUpload, paymentsUpload, verificationUpload, storeUpload, certifyUpload]));

  app.use('*', csrf());
  app.use('*', demoBanner());

  registerPlatformRoutes(app);
  registerAccountRoutes(app);
  registerCounterRoutes(app);
  registerOidcRoutes(app);
  registerAccountApi(app);
  // Before the catalog: /api/v1/procedures/search must win over /api/v1/procedures/{code}.
  registerFinderRoutes(app, finderFor(deps.db));
  registerCatalogRoutes(app);
  registerCalendarApi(app);
  registerDossierFormRoutes(app);
  registerFeedback(app);
  registerTeamsRoutes(app);
  registerSubmitRoutes(app);
  registerTrackingRoutes(app);
  registerDossierOffice(app);
  registerDossierApi(app);
  registerStatsRoutes(app);
  registerStatsPublic(app);
  registerStatsApi(app);
  registerPayments(app);
  registerVerifyRoutes(app);
  registerStoreRoutes(app);
  registerCertifyRoutes(app);
  registerNotificationRoutes(app);
  registerStaffAdminRoutes(app);
  registerApiDocs(app);

  app.notFound((c) => renderError(c, 404));
  app.onError((err, c) => {
    // Framework-raised client errors (malformed JSON, unreadable body) keep their status.
    if (err instanceof HTTPException && err.status < 500) {
      const status = err.status === 413 ? 413 : 400;
      return renderError(c, status, status === 400 ? c.get('t')('error.json') : undefined);
    }
    c.get('log')?.error({ err }, 'unhandled error');
    return renderError(c, 500);
  });
  return app;
}
