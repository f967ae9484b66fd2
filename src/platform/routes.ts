import type { Handler, MiddlewareHandler } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { isApiPath, type AppEnv, type Ctx } from './context.js';
import { grantsAllow, roleAllows, type Policy } from './permissions.js';
import { provinceOf } from '../units/units.js';
import { renderError } from './errors.js';

export type App = OpenAPIHono<AppEnv>;

const registries = new WeakMap<object, Map<string, Policy>>();

/** Every route's policy in an app, by "METHOD path". The authorization-matrix test reads it. */
export function routePolicies(app: App): Map<string, Policy> {
  let map = registries.get(app);
  if (!map) registries.set(app, (map = new Map()));
  return map;
}

/** Records a policy for a route registered elsewhere (the API helper). */
export function recordPolicy(app: App, method: string, path: string, policy: Policy): void {
  const key = `${method} ${path}`;
  const map = routePolicies(app);
  if (map.has(key)) throw new Error(`route registered twice: ${key}`);
  map.set(key, policy);
}

/**
 * Why a request may not pass a policy (an answer), or undefined when it may.
 * `unitCode` is the route's unit parameter, already read (null when the policy names none).
 */
export function policyRefusal(c: Ctx, policy: Policy, unitCode: string | null): Response | Promise<Response> | undefined {
  if (policy.kind === 'public') return undefined;
  const actor = c.get('actor');
  if (!actor) {
    if (isApiPath(c.req.path)) return renderError(c, 401);
    const next_ = encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''));
    return c.redirect(`/dang-nhap?next=${next_}`, 303);
  }
  if (policy.kind === 'signedIn') return undefined;
  if (unitCode !== null) {
    if (grantsAllow(actor.grants, policy.permission, unitCode, provinceOf)) return undefined;
    // Hide other units' resources; say "forbidden" only when the role itself is missing.
    return renderError(c, grantsAllow(actor.grants, policy.permission, null, provinceOf) ? 404 : 403);
  }
  if (actor.kind === 'citizen' && roleAllows(policy.permission, 'citizen')) return undefined;
  if (grantsAllow(actor.grants, policy.permission, null, provinceOf)) return undefined;
  return renderError(c, 403);
}

/** Enforces a policy before the handler runs. */
export function guard(policy: Policy): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const unitCode = policy.kind === 'permission' && policy.unitParam ? (c.req.param(policy.unitParam) ?? '') : null;
    return (await policyRefusal(c, policy, unitCode)) ?? next();
  };
}

type Method = 'GET' | 'POST';

/** Registers a page or form route with its policy. */
export function route(app: App, method: Method, path: string, policy: Policy, handler: Handler<AppEnv>): void {
  recordPolicy(app, method, path, policy);
  app.on(method, path, guard(policy), handler);
}
