import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv, Ctx } from './context.js';

/** A POST route that takes files and so a larger body than a form. Features declare theirs. */
export interface UploadRoute {
  matches(path: string): boolean;
  maxBytes: number;
  /** The answer when even this limit is exceeded (a page naming what to do, or JSON). */
  onTooLarge(c: Ctx): Response | Promise<Response>;
}

/**
 * One body limit per request, decided before anything reads the body (the
 * session and CSRF steps do): the upload route's own limit, else the form
 * limit. Requests without a body are not wrapped at all.
 */
export function bodyLimits(formMaxBytes: number, onFormTooLarge: (c: Ctx) => Response | Promise<Response>, uploads: readonly UploadRoute[]): MiddlewareHandler<AppEnv> {
  const formLimit = bodyLimit({ maxSize: formMaxBytes, onError: (c) => onFormTooLarge(c as Ctx) });
  const limits = uploads.map((u) => ({ route: u, limit: bodyLimit({ maxSize: u.maxBytes, onError: (c) => u.onTooLarge(c as Ctx) }) }));
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const path = c.req.path;
    const upload = method === 'POST' ? limits.find((l) => l.route.matches(path)) : undefined;
    return (upload?.limit ?? formLimit)(c, next);
  };
}
