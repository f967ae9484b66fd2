/** Open data: a commune's and a province's figures as JSON and CSV, documented, cacheable, with ETag. */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { apiRoute } from '../platform/api.js';
import type { Ctx } from '../platform/context.js';
import { apiError } from '../platform/errors.js';
import { PUBLIC } from '../platform/permissions.js';
import type { App } from '../platform/routes.js';
import { findCommune, findProvince } from '../units/units.js';
import { communeOpenData, provinceOpenData, toCsv } from './open-data.js';
import { parsePeriod, type Period } from './period.js';

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });

const PeriodQuery = z.object({
  period: z.string().max(20).optional().openapi({ description: 'Tháng (2026-07), quý (2026-Q3) hoặc năm (2026); hoặc dùng from và to', example: '2026-Q3' }),
  from: z.string().max(20).optional().openapi({ description: 'Ngày đầu (YYYY-MM-DD), cùng với to; tối đa 5 năm', example: '2026-07-01' }),
  to: z.string().max(20).optional().openapi({ description: 'Ngày cuối (YYYY-MM-DD), gồm cả ngày này', example: '2026-09-30' }),
});

const MeasureSchema = z.object({
  id: z.string(),
  label: z.string(),
  unit: z.string(),
  formula: z.string(),
  value: z.number().nullable().openapi({ description: 'null: chưa có dữ liệu, hoặc bị ẩn (xem suppressed)' }),
  suppressed: z.boolean().openapi({ description: 'Ẩn vì dựa trên ít hơn 5 hồ sơ' }),
});

const FiguresSchema = z
  .object({
    unit: z.object({ code: z.string(), name: z.string() }),
    period: z.object({ key: z.string(), from: z.string(), to: z.string(), label: z.string() }),
    index: z.number().nullable().openapi({ description: 'Chỉ số phục vụ (Quyết định 766/QĐ-TTg) quy về thang 100, chỉ tính các chỉ tiêu có dữ liệu' }),
    indexSuppressed: z.boolean(),
    groups: z.array(z.object({ id: z.string(), label: z.string(), points: z.number().nullable(), available: z.number(), max: z.number() })),
    measures: z.array(MeasureSchema),
  })
  .openapi('StatsFigures');

function readPeriod(c: Ctx, q: { period?: string | undefined; from?: string | undefined; to?: string | undefined }): Period | Response {
  const r = parsePeriod({ period: q.period ?? (q.from || q.to ? undefined : ''), from: q.from, to: q.to }, { period: 'period', from: 'from', to: 'to' });
  if (!r.ok) return c.json(apiError('invalid', r.message, { [r.field]: `${r.field}: ${r.message}` }), 400);
  return r.period;
}

/** A cacheable answer with a strong ETag; 304 when the client has it. */
function cached(c: Ctx, body: string | Buffer, type: string, fileName?: string): Response {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers: Record<string, string> = { etag, 'cache-control': 'public, max-age=300', vary: 'accept-encoding' };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  headers['content-type'] = type;
  if (fileName) headers['content-disposition'] = `attachment; filename="${fileName}"`;
  return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, headers);
}

const unknownUnit = (c: Ctx, field: 'commune' | 'province') =>
  c.json(apiError('invalid', field === 'commune' ? 'Không có xã, phường với mã này' : 'Không có tỉnh, thành phố với mã này', { [field]: `${field}: mã không có trong danh mục đơn vị hành chính` }), 400);

export function registerStatsApi(app: App): void {
  for (const format of ['json', 'csv'] as const) {
    apiRoute(
      app,
      createRoute({
        method: 'get',
        path: `/api/v1/stats/communes/{commune}${format === 'csv' ? '/figures.csv' : ''}`,
        summary: `Chỉ số phục vụ và số liệu hồ sơ, phản ánh của một xã, phường trong một kỳ (${format.toUpperCase()}); ô dưới 5 hồ sơ bị ẩn`,
        request: { params: z.object({ commune: z.string().max(10).openapi({ example: '25459' }) }), query: PeriodQuery },
        responses: {
          200: { description: 'Số liệu', content: format === 'json' ? { 'application/json': { schema: FiguresSchema } } : { 'text/csv': { schema: z.string() } } },
          304: { description: 'Không đổi (ETag)' },
          400: { description: 'Tham số chưa hợp lệ; fields nêu tên tham số', content: { 'application/json': { schema: ErrorSchema } } },
        },
      }),
      PUBLIC,
      async (c) => {
        const { commune } = c.req.valid('param');
        if (!findCommune(commune)) return unknownUnit(c, 'commune');
        const period = readPeriod(c, c.req.valid('query'));
        if (period instanceof Response) return period;
        const data = (await communeOpenData(c.get('deps').db, commune, period))!;
        return format === 'json' ? cached(c, JSON.stringify(data), 'application/json; charset=utf-8') : cached(c, await toCsv([data]), 'text/csv; charset=utf-8', `chi-so-${commune}-${period.key}.csv`);
      },
    );
    apiRoute(
      app,
      createRoute({
        method: 'get',
        path: `/api/v1/stats/provinces/{province}/communes${format === 'csv' ? '.csv' : ''}`,
        summary: `Số liệu của mọi xã, phường có hồ sơ trong kỳ của một tỉnh (${format.toUpperCase()}); ô dưới 5 hồ sơ bị ẩn`,
        request: { params: z.object({ province: z.string().max(4).openapi({ example: '80' }) }), query: PeriodQuery },
        responses: {
          200: { description: 'Số liệu từng xã', content: format === 'json' ? { 'application/json': { schema: z.object({ communes: z.array(FiguresSchema) }) } } : { 'text/csv': { schema: z.string() } } },
          304: { description: 'Không đổi (ETag)' },
          400: { description: 'Tham số chưa hợp lệ; fields nêu tên tham số', content: { 'application/json': { schema: ErrorSchema } } },
        },
      }),
      PUBLIC,
      async (c) => {
        const { province } = c.req.valid('param');
        if (!findProvince(province)) return unknownUnit(c, 'province');
        const period = readPeriod(c, c.req.valid('query'));
        if (period instanceof Response) return period;
        const rows = await provinceOpenData(c.get('deps').db, province, period);
        return format === 'json' ? cached(c, JSON.stringify({ communes: rows }), 'application/json; charset=utf-8') : cached(c, await toCsv(rows), 'text/csv; charset=utf-8', `chi-so-tinh-${province}-${period.key}.csv`);
      },
    );
  }
}
