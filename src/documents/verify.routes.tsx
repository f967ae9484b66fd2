/**
 * Public verification: `/xac-thuc` (a code typed, or the QR code's
 * `/xac-thuc/<code>`, or a PDF uploaded) and the same through the API. Plain
 * forms, no JavaScript needed. Uploaded files are read and forgotten.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { apiRoute } from '../platform/api.js';
import type { UploadRoute } from '../platform/body-limits.js';
import type { Ctx } from '../platform/context.js';
import { apiError } from '../platform/errors.js';
import { pageCtx, type FieldErrors } from '../platform/layout.js';
import { PUBLIC } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { MAX_VERIFY_BYTES, PdfInputError } from '../signing/verify.js';
import { readUploadPart } from '../dossiers/submit/uploads.js';
import { verifyCode, verifyUpload, type Verification } from './verification.js';
import { VerifyPage } from './verify.views.js';

export const VERIFY_API_PATH = '/api/v1/verification';
const TOO_LARGE = 'Tệp lớn hơn 10 MB. Văn bản do Xã Số cấp chỉ vài trăm KB: hãy chọn đúng tệp PDF đã tải về.';
const UNKNOWN_CODE = 'Không có văn bản nào mang mã xác thực này. Kiểm tra lại mã in dưới mã QR (dạng XS-25459-…), hoặc tải tệp PDF lên.';

/** One PDF, plus the multipart framing: a little over the 10 MB the check accepts. */
export const verificationUpload: UploadRoute = {
  matches: (path) => path === '/xac-thuc' || path === VERIFY_API_PATH,
  maxBytes: MAX_VERIFY_BYTES + 64 * 1024,
  onTooLarge: (c) => (c.req.path === VERIFY_API_PATH ? c.json(apiError('payload_too_large', TOO_LARGE), 413) : c.redirect('/xac-thuc?loi=qua-lon', 303)),
};

function page(c: Ctx, o: { code?: string; errors?: FieldErrors; result?: Verification | null; byCode?: boolean; status?: 200 | 400 | 404 | 413 }) {
  return c.html(<VerifyPage ctx={pageCtx(c)} code={o.code ?? ''} errors={o.errors ?? {}} result={o.result ?? null} byCode={o.byCode ?? false} />, o.status ?? 200);
}

async function byCode(c: Ctx, code: string) {
  const result = await verifyCode(c.get('deps').db, code);
  if (!result) return page(c, { code, errors: { ma: UNKNOWN_CODE }, status: 404 });
  return page(c, { code: result.document?.code ?? code, result, byCode: true });
}

const VerificationSchema = z
  .object({
    status: z.enum(['valid', 'altered', 'unknown', 'revoked']),
    reason: z.string().nullable(),
    signedBy: z.string().nullable(),
    signerName: z.string().nullable(),
    signedAt: z.string().nullable(),
    demo: z.boolean(),
    document: z.object({ code: z.string(), title: z.string(), kind: z.enum(['result', 'certified_copy']), dossierCode: z.string().nullable() }).nullable(),
  })
  .openapi('Verification');
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi('VerificationError');
const errorContent = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

const toJson = (v: Verification) => ({ ...v, signedAt: v.signedAt?.toISOString() ?? null });

export function registerVerifyRoutes(app: App): void {
  route(app, 'GET', '/xac-thuc', PUBLIC, (c) => {
    const ma = (c.req.query('ma') ?? '').replace(/\s+/g, '').slice(0, 40);
    if (c.req.query('loi') === 'qua-lon') return page(c, { errors: { tep: TOO_LARGE }, status: 413 });
    if (ma) return byCode(c, ma);
    return page(c, {});
  });
  route(app, 'GET', '/xac-thuc/:code', PUBLIC, (c) => byCode(c, (c.req.param('code') ?? '').slice(0, 40)));
  route(app, 'POST', '/xac-thuc', PUBLIC, async (c) => {
    const part = await readUploadPart(c, 'tep');
    if (!part) return page(c, { errors: { tep: 'Chọn tệp PDF cần kiểm tra rồi bấm “Kiểm tra tệp”.' }, status: 400 });
    try {
      return page(c, { result: await verifyUpload(c.get('deps').db, part.bytes) });
    } catch (err) {
      if (err instanceof PdfInputError) return page(c, { errors: { tep: err.message }, status: err.code === 'too_large' ? 413 : 400 });
      throw err;
    }
  });

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: `${VERIFY_API_PATH}/{code}`,
      summary: 'Xác thực văn bản theo mã xác thực in trên văn bản (công khai)',
      request: { params: z.object({ code: z.string().max(40).openapi({ param: { name: 'code', in: 'path' }, example: 'XS-25459-7K3M9Q2ZPD' }) }) },
      responses: { 200: { description: 'Văn bản có trong sổ', content: { 'application/json': { schema: VerificationSchema } } }, 404: errorContent('Không có văn bản mang mã này') },
    }),
    PUBLIC,
    async (c) => {
      const v = await verifyCode(c.get('deps').db, c.req.valid('param').code);
      if (!v) return c.json(apiError('not_found', UNKNOWN_CODE), 404);
      return c.json(toJson(v), 200);
    },
  );
  apiRoute(
    app,
    createRoute({
      method: 'post',
      path: VERIFY_API_PATH,
      summary: 'Xác thực một tệp PDF (công khai): hợp lệ, bị sửa, không xác định hoặc chữ ký hết giá trị',
      description: 'Gửi nguyên tệp PDF làm thân yêu cầu (Content-Type: application/pdf), tối đa 10 MB. Khi có phiên đăng nhập, kèm tiêu đề X-Requested-With.',
      request: { body: { required: true, content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } } },
      responses: {
        200: { description: 'Kết quả xác thực', content: { 'application/json': { schema: VerificationSchema } } },
        400: errorContent('Không phải PDF, PDF trống hoặc bị mã hóa (code: empty, not_pdf, encrypted)'),
        413: errorContent('Quá 10 MB'),
      },
    }),
    PUBLIC,
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      try {
        return c.json(toJson(await verifyUpload(c.get('deps').db, bytes)), 200);
      } catch (err) {
        if (err instanceof PdfInputError) return c.json(apiError(err.code, err.message), err.code === 'too_large' ? 413 : 400) as never;
        throw err;
      }
    },
  );
}
