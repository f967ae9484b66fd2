import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { getCookie, setCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { isApiPath, type AppEnv } from './context.js';
import { readForm } from './forms.js';
import { renderError } from './errors.js';

export const CSRF_COOKIE = 'xaso_csrf';

function tokenFor(secret: string, seed: string): string {
  return createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signed double-submit token: a random cookie, and in each form an HMAC of it
 * that another site can neither read nor forge. The JSON API is protected by
 * requiring a JSON content type or an X-Requested-With header (file uploads),
 * neither of which a cross-site form can send.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { config } = c.get('deps');
    let seed = getCookie(c, CSRF_COOKIE);
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
    if (isApiPath(c.req.path)) {
      const type = c.req.header('content-type') ?? '';
      // A cross-site form can send neither a JSON body nor a custom header.
      if (unsafe && c.get('actor') && !type.startsWith('application/json') && !c.req.header('x-requested-with')) {
        return renderError(c, 403, 'Yêu cầu API có phiên đăng nhập phải gửi JSON (Content-Type: application/json), hoặc kèm tiêu đề X-Requested-With khi gửi tệp.');
      }
      c.set('csrf', '');
      return next();
    }
    if (unsafe) {
      // No cookie, no valid token: refuse before reading (and buffering) the body.
      if (!seed) return renderError(c, 403, c.get('t')('form.csrf'));
      const sent = (await readForm(c))._csrf ?? c.req.header('x-csrf-token') ?? '';
      if (!sent || !same(sent, tokenFor(config.secret, seed))) {
        return renderError(c, 403, c.get('t')('form.csrf'));
      }
    }
    if (!seed || !/^[A-Za-z0-9_-]{20,64}$/.test(seed)) {
      seed = randomBytes(24).toString('base64url');
      setCookie(c, CSRF_COOKIE, seed, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: config.baseUrl.startsWith('https:'),
        path: '/',
      });
    }
    c.set('csrf', tokenFor(config.secret, seed));
    return next();
  };
}
