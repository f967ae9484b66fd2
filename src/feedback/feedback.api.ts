import { createRoute, z } from '@hono/zod-openapi';
import { apiRoute } from '../platform/api.js';
import { apiError } from '../platform/errors.js';
import { requires } from '../platform/permissions.js';
import type { App } from '../platform/routes.js';
import { findCommune } from '../units/units.js';
import { feedbackStats } from './feedback.stats.js';
import { vnDate } from './text.js';

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });

const Row = {
  received: z.number().int(),
  handled: z.number().int(),
  handledOnTime: z.number().int(),
  onTimeRate: z.number().nullable(),
  ratings: z.number().int(),
  averageSatisfaction: z.number().nullable(),
};

const StatsSchema = z
  .object({
    communeCode: z.string(),
    year: z.number().int(),
    total: z.object(Row),
    byCategory: z.array(z.object({ code: z.string(), name: z.string(), ...Row })),
    byMonth: z.array(z.object({ month: z.string(), ...Row })),
  })
  .openapi('FeedbackStats');

export function registerFeedbackApi(app: App): void {
  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/communes/{commune}/feedback/stats',
      summary: 'Số liệu phản ánh, kiến nghị của một xã: tiếp nhận, đã xử lý, đúng hạn, mức hài lòng — theo loại và theo tháng',
      security: [{ session: [] }],
      request: {
        params: z.object({ commune: z.string().regex(/^\d{5}$/, 'commune: cần mã xã, phường gồm 5 chữ số').openapi({ example: '25459' }) }),
        query: z.object({
          year: z.coerce.number({ error: 'year: cần năm, ví dụ 2026' }).int('year: cần năm, ví dụ 2026').min(2000, 'year: từ 2000').max(2100, 'year: đến 2100').optional().openapi({ example: 2026 }),
        }),
      },
      responses: {
        200: { description: 'Số liệu', content: { 'application/json': { schema: StatsSchema } } },
        400: { description: 'Tham số chưa hợp lệ', content: { 'application/json': { schema: ErrorSchema } } },
        401: { description: 'Chưa đăng nhập', content: { 'application/json': { schema: ErrorSchema } } },
        404: { description: 'Không có xã này (hoặc không thuộc quyền của bạn)', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    requires('feedback.stats', 'commune'),
    async (c) => {
      const { commune } = c.req.valid('param');
      if (!findCommune(commune)) return c.json(apiError('not_found', c.get('t')('error.notfound')), 404);
      const year = c.req.valid('query').year ?? Number(vnDate().slice(0, 4));
      return c.json(await feedbackStats(c.get('deps').db, commune, year), 200);
    },
  );
}
