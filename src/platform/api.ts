import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';
import type { Policy } from './permissions.js';
import { PUBLIC } from './permissions.js';
import { guard, recordPolicy, route, type App } from './routes.js';

/** Registers a documented /api/v1 route with its policy (the guard runs before validation). */
export function apiRoute<R extends RouteConfig>(app: App, config: R, policy: Policy, handler: RouteHandler<R, AppEnv>): void {
  const honoPath = config.path.replace(/\{(\w+)\}/g, ':$1');
  recordPolicy(app, config.method.toUpperCase(), honoPath, policy);
  const middleware = [guard(policy), ...(config.middleware ? [config.middleware].flat() : [])];
  app.openapi({ ...config, middleware } as R, handler);
}

export function registerApiDocs(app: App): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'xaso_sid',
  });
  route(app, 'GET', '/api/v1/openapi.json', PUBLIC, (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'Xã Số API', version: '1', description: 'API của Xã Số. Lỗi trả về dạng {error: {code, message, fields}}.' },
      }),
    ),
  );
}
