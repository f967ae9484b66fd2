import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.js';
import { renderError } from './errors.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const QUERY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function decoded(part: string): string | null {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/**
 * Control characters in a path or query reach no route and no database
 * (PostgreSQL text cannot hold NUL): a path with one is 404, a query with one
 * (or with broken percent-encoding) is 400, before any handler runs. Tab and
 * line breaks may stand in a query (a GET form's textarea); `next` is checked on its own.
 */
export function rejectControlCharacters(answer: (c: Context<AppEnv>, status: 400 | 404, message: string) => Response | undefined = () => undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const q = url.indexOf('?');
    const rawPath = new URL(url).pathname;
    const path = decoded(rawPath);
    if (path === null || CONTROL.test(path)) return answer(c, 404, c.get('t')('error.controlchars')) ?? renderError(c, 404);
    if (q >= 0) {
      for (const pair of url.slice(q + 1).split('&')) {
        const value = decoded(pair);
        if (value === null || QUERY_CONTROL.test(value)) return answer(c, 400, c.get('t')('error.controlchars')) ?? renderError(c, 400, c.get('t')('error.controlchars'));
      }
    }
    return next();
  };
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // Scripts only from our own files, never inline: an injected <script> or on* attribute does not run.
  "script-src 'self'",
  "style-src 'self'",
  // Bar widths on the coverage page are style attributes (no script can be carried by them).
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

/**
 * Security headers on every answer. An answer that says nothing about caching
 * is `no-store`: pages and API answers may carry personal data, and those
 * meant to be cached (styles, scripts, public images) say so themselves.
 */
export function securityHeaders(headers: Headers, baseUrl: string): void {
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'same-origin');
  headers.set('x-frame-options', 'DENY');
  headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
  headers.set('permissions-policy', PERMISSIONS_POLICY);
  if (baseUrl.startsWith('https:')) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
}
