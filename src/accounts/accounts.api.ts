import { createRoute, z } from '@hono/zod-openapi';
import { apiRoute } from '../platform/api.js';
import { clientIp } from '../platform/context.js';
import { apiError } from '../platform/errors.js';
import { PUBLIC, SIGNED_IN } from '../platform/permissions.js';
import type { App } from '../platform/routes.js';
import { registerSchema } from './accounts.schema.js';
import { registerCitizen } from './accounts.service.js';
import { accountLimits } from './limits.js';

const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) })
  .openapi('Error');

const MeSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['citizen', 'staff']),
    fullName: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    roles: z.array(z.object({ unitCode: z.string(), role: z.string() })),
  })
  .openapi('Me');

export function registerAccountApi(app: App): void {
  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      summary: 'Tài khoản đang đăng nhập',
      security: [{ session: [] }],
      responses: {
        200: { description: 'Tài khoản', content: { 'application/json': { schema: MeSchema } } },
        401: { description: 'Chưa đăng nhập', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    SIGNED_IN,
    (c) => {
      const a = c.get('actor')!;
      return c.json({ id: a.id, kind: a.kind, fullName: a.fullName, phone: a.phone, email: a.email, roles: a.grants }, 200);
    },
  );

  apiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/accounts',
      summary: 'Đăng ký tài khoản người dân',
      request: { body: { required: true, content: { 'application/json': { schema: registerSchema as never } } } },
      responses: {
        201: { description: 'Đã tạo', content: { 'application/json': { schema: z.object({ id: z.string() }) } } },
        400: { description: 'Dữ liệu chưa hợp lệ', content: { 'application/json': { schema: ErrorSchema } } },
        429: { description: 'Quá nhiều lần đăng ký từ một địa chỉ', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    PUBLIC,
    async (c) => {
      const input = c.req.valid('json') as z.output<typeof registerSchema>;
      // The same count as the registration page: each account costs a password hash.
      const wait = accountLimits(app).registerByIp.hit(clientIp(c));
      if (wait) return c.json(apiError('rate_limited', c.get('t')('error.ratelimited', { minutes: wait })), 429);
      const { db, config } = c.get('deps');
      const result = await registerCitizen(db, config.secret, input, { ip: clientIp(c) });
      if (!result.ok) return c.json(apiError('invalid', c.get('t')('error.validation'), result.errors), 400);
      return c.json({ id: result.userId }, 201);
    },
  );
}
