import { createRoute, z } from '@hono/zod-openapi';
import { apiRoute } from '../platform/api.js';
import { apiError } from '../platform/errors.js';
import { PUBLIC } from '../platform/permissions.js';
import type { App } from '../platform/routes.js';
import { dueDate, lunarYearName, solarToLunar } from './index.js';
import { workingCalendar } from './shared.js';

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });

const DueQuery = z.object({
  receivedAt: z
    .string({ error: 'receivedAt: cần thời điểm tiếp nhận theo ISO 8601 có múi giờ, ví dụ 2026-02-13T10:00:00+07:00' })
    .max(40, 'receivedAt: quá dài')
    .openapi({ example: '2026-02-13T16:00:00+07:00' }),
  workingDays: z.coerce
    .number({ error: 'workingDays: cần số ngày làm việc (0 = trả trong ngày)' })
    .int('workingDays: cần số nguyên')
    .min(0, 'workingDays: không được âm')
    .max(3650, 'workingDays: tối đa 3650')
    .openapi({ example: 3 }),
});

const LunarQuery = z.object({
  date: z
    .string({ error: 'date: cần ngày dạng YYYY-MM-DD' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date: cần ngày dạng YYYY-MM-DD, ví dụ 2026-02-17')
    .openapi({ example: '2026-02-17' }),
});

export function registerCalendarApi(app: App): void {
  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/calendar/due',
      summary: 'Ngày hẹn trả kết quả: tiếp nhận + N ngày làm việc (quy tắc 15 giờ cho thủ tục trong ngày)',
      request: { query: DueQuery },
      responses: {
        200: {
          description: 'Ngày hẹn trả',
          content: { 'application/json': { schema: z.object({ due: z.string().nullable(), receivedAt: z.string(), countFrom: z.string(), workingDays: z.number(), notes: z.array(z.string()) }) } },
        },
        400: { description: 'Tham số chưa hợp lệ', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    PUBLIC,
    async (c) => {
      const { receivedAt, workingDays } = c.req.valid('query');
      try {
        const r = dueDate({ receivedAt, workingDays }, await workingCalendar());
        return c.json({ due: r.due, receivedAt: r.receivedAt, countFrom: r.countFrom, workingDays: r.workingDays, notes: r.notes }, 200);
      } catch (err) {
        if (err instanceof RangeError) return c.json(apiError('invalid', c.get('t')('error.validation'), { receivedAt: `receivedAt: ${err.message}` }), 400);
        throw err;
      }
    },
  );

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/calendar/lunar',
      summary: 'Đổi ngày dương lịch sang âm lịch Việt Nam (UTC+7)',
      request: { query: LunarQuery },
      responses: {
        200: {
          description: 'Ngày âm lịch',
          content: { 'application/json': { schema: z.object({ day: z.number(), month: z.number(), year: z.number(), leap: z.boolean(), yearName: z.string() }) } },
        },
        400: { description: 'Tham số chưa hợp lệ', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    PUBLIC,
    (c) => {
      const [y, m, d] = c.req.valid('query').date.split('-').map(Number) as [number, number, number];
      try {
        const l = solarToLunar(y, m, d);
        return c.json({ ...l, yearName: lunarYearName(l.year) }, 200);
      } catch (err) {
        if (err instanceof RangeError) return c.json(apiError('invalid', c.get('t')('error.validation'), { date: `date: ${err.message}` }), 400);
        throw err;
      }
    },
  );
}
