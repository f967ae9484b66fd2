/**
 * "Kho giấy tờ của tôi": the citizen's own documents, each with its
 * provenance and its access log, as pages and as JSON. Another person's
 * document answers 404 like an unknown one. Every file read is logged for the owner.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { apiRoute } from '../platform/api.js';
import type { UploadRoute } from '../platform/body-limits.js';
import { clientIp, type Actor, type Ctx } from '../platform/context.js';
import { apiError, renderError } from '../platform/errors.js';
import { checkUpload, readStoredFile, storeFile } from '../platform/files.js';
import { readForm } from '../platform/forms.js';
import { pageCtx, type FieldErrors } from '../platform/layout.js';
import { requires } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { displayName } from '../dossiers/submit/intake.js';
import { readUploadPart, UPLOAD_REQUEST_BYTES } from '../dossiers/submit/uploads.js';
import { accessLog, addDocument, deleteOwnUpload, findDocument, logAccess, type Who } from './documents.store.js';
import { provenance, reusableFor } from './reuse.js';
import { DocumentPage, StorePage } from './store.views.js';

const OWN = requires('documents.own');

export const storeUpload: UploadRoute = {
  matches: (path) => path === '/kho-giay-to/tai-len',
  maxBytes: UPLOAD_REQUEST_BYTES,
  onTooLarge: (c) => c.redirect('/kho-giay-to?loi=qua-lon', 303),
};

const who = (c: Ctx): Who => {
  const a = c.get('actor')!;
  return { actorId: a.id, actorLabel: a.fullName, ip: clientIp(c) };
};

const NOTICES: Record<string, string> = { 'da-luu': 'Đã lưu giấy tờ vào kho.', 'da-xoa': 'Đã xóa giấy tờ khỏi kho.' };

async function storePage(c: Ctx, o: { errors?: FieldErrors; title?: string; status?: 200 | 400 | 413 } = {}) {
  const actor = c.get('actor')!;
  const docs = await reusableFor(c.get('deps').db, actor.id);
  const notice = NOTICES[c.req.query('ok') ?? ''] ?? null;
  return c.html(<StorePage ctx={pageCtx(c)} docs={docs} notice={notice} errors={o.errors ?? {}} title={o.title ?? ''} />, o.status ?? 200);
}

/** Reads one of the actor's documents and logs the download, in one transaction. */
async function download(c: Ctx, actor: Actor, id: string): Promise<Response | null> {
  const { db, config } = c.get('deps');
  const doc = await db.transaction().execute(async (tx) => {
    const d = await findDocument(tx, actor.id, id);
    if (d) await logAccess(tx, { ownerId: actor.id, documentId: d.id, who: who(c), action: 'download' });
    return d;
  });
  if (!doc) return null;
  const bytes = await readStoredFile(config.dataDir, doc.sha256);
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': doc.mime,
      'content-disposition': `attachment; filename="${doc.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`,
      'cache-control': 'private, no-store',
    },
  });
}

const DocumentSchema = z
  .object({
    id: z.string(),
    source: z.enum(['issued_result', 'certified_copy', 'accepted_paper', 'own_upload']),
    title: z.string(),
    provenance: z.string(),
    mime: z.string(),
    fileName: z.string(),
    verificationCode: z.string().nullable(),
    dossierCode: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('StoredDocument');
const AccessSchema = z.object({ at: z.string(), actor: z.string(), action: z.enum(['view', 'download', 'reuse', 'delete', 'verify']), dossierCode: z.string().nullable() }).openapi('DocumentAccess');
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi('DocumentError');
const errorContent = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });
const IdParam = z.object({ id: z.string().max(40).openapi({ param: { name: 'id', in: 'path' }, example: '6f1c0d1e-6a43-4d39-9a57-2f7f3b1f6c11' }) });

function docJson(d: Awaited<ReturnType<typeof reusableFor>>[number]) {
  return {
    id: d.id,
    source: d.source,
    title: d.title,
    provenance: d.provenance,
    mime: d.mime,
    fileName: d.fileName,
    verificationCode: d.issuedCode,
    dossierCode: d.dossierCode,
    createdAt: d.createdAt.toISOString(),
  };
}

const NOT_FOUND = 'Không có giấy tờ này trong kho của bạn.';
const ISSUED = 'Giấy tờ do cơ quan nhà nước cấp hoặc đối chiếu không xóa được; chỉ giấy tờ bạn tự tải lên mới xóa được.';

export function registerStoreRoutes(app: App): void {
  route(app, 'GET', '/kho-giay-to', OWN, (c) => (c.req.query('loi') === 'qua-lon' ? storePage(c, { errors: { tep: 'Tệp giấy tờ: tệp lớn hơn 10 MB. Chụp ảnh với độ phân giải thấp hơn hoặc quét thành PDF nhỏ hơn.' }, status: 413 }) : storePage(c)));

  route(app, 'POST', '/kho-giay-to/tai-len', OWN, async (c) => {
    const form = await readForm(c);
    const title = (form.ten ?? '').trim().slice(0, 200);
    const part = await readUploadPart(c, 'tep');
    const errors: FieldErrors = {};
    if (!title) errors.ten = 'Tên giấy tờ: nhập tên để bạn nhận ra giấy tờ này, ví dụ “Căn cước công dân”.';
    const checked = part ? await checkUpload(part.bytes, 'Tệp giấy tờ') : null;
    if (!part) errors.tep = 'Tệp giấy tờ: chọn ảnh hoặc tệp PDF của giấy tờ.';
    else if (checked && !checked.ok) errors.tep = checked.message;
    if (Object.keys(errors).length || !part || !checked?.ok) return storePage(c, { errors, title, status: 400 });
    const { db, config } = c.get('deps');
    const actor = c.get('actor')!;
    await db.transaction().execute(async (tx) => {
      const { sha256 } = await storeFile(tx, config.dataDir, part.bytes, checked.mime);
      await addDocument(tx, { ownerId: actor.id, source: 'own_upload', title, sha256, mime: checked.mime, fileName: displayName(part.name, checked.mime) }, who(c));
    });
    return c.redirect('/kho-giay-to?ok=da-luu', 303);
  });

  route(app, 'GET', '/kho-giay-to/:id', OWN, async (c) => {
    const actor = c.get('actor')!;
    const { db } = c.get('deps');
    const doc = await findDocument(db, actor.id, c.req.param('id') ?? '');
    if (!doc) return renderError(c, 404, NOT_FOUND);
    const log = await accessLog(db, actor.id, doc.id);
    return c.html(<DocumentPage ctx={pageCtx(c)} doc={{ ...doc, provenance: provenance(doc) }} log={log} />);
  });

  route(app, 'GET', '/kho-giay-to/:id/tep', OWN, async (c) => (await download(c, c.get('actor')!, c.req.param('id') ?? '')) ?? renderError(c, 404, NOT_FOUND));

  route(app, 'POST', '/kho-giay-to/:id/xoa', OWN, async (c) => {
    const actor = c.get('actor')!;
    const outcome = await c.get('deps').db.transaction().execute((tx) => deleteOwnUpload(tx, actor.id, c.req.param('id') ?? '', who(c)));
    if (outcome === 'not_found') return renderError(c, 404, NOT_FOUND);
    if (outcome === 'issued') return renderError(c, 409, ISSUED);
    return c.redirect('/kho-giay-to?ok=da-xoa', 303);
  });

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/documents',
      summary: 'Kho giấy tờ của tôi: danh sách giấy tờ và nguồn gốc',
      security: [{ session: [] }],
      responses: { 200: { description: 'Giấy tờ trong kho', content: { 'application/json': { schema: z.object({ items: z.array(DocumentSchema) }) } } }, 401: errorContent('Chưa đăng nhập'), 403: errorContent('Không phải tài khoản người dân') },
    }),
    OWN,
    async (c) => c.json({ items: (await reusableFor(c.get('deps').db, c.get('actor')!.id)).map(docJson) }, 200),
  );
  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/documents/{id}',
      summary: 'Một giấy tờ trong kho, với nhật ký ai đã xem hoặc dùng (Luật 91/2025)',
      security: [{ session: [] }],
      request: { params: IdParam },
      responses: {
        200: { description: 'Giấy tờ', content: { 'application/json': { schema: DocumentSchema.extend({ accessLog: z.array(AccessSchema) }) } } },
        401: errorContent('Chưa đăng nhập'),
        404: errorContent('Không có trong kho của bạn'),
      },
    }),
    OWN,
    async (c) => {
      const actor = c.get('actor')!;
      const { db } = c.get('deps');
      const doc = await findDocument(db, actor.id, c.req.valid('param').id);
      if (!doc) return c.json(apiError('not_found', NOT_FOUND), 404);
      const log = await accessLog(db, actor.id, doc.id);
      return c.json(
        {
          ...docJson({ ...doc, provenance: provenance(doc) }),
          accessLog: log.map((e) => ({ at: e.at.toISOString(), actor: e.self ? 'Bạn' : e.actorLabel, action: e.action, dossierCode: e.dossierCode })),
        },
        200,
      );
    },
  );
  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/documents/{id}/file',
      summary: 'Tải tệp của một giấy tờ trong kho (được ghi vào nhật ký truy cập)',
      security: [{ session: [] }],
      request: { params: IdParam },
      responses: { 200: { description: 'Tệp giấy tờ (PDF hoặc ảnh)' }, 401: errorContent('Chưa đăng nhập'), 404: errorContent('Không có trong kho của bạn') },
    }),
    OWN,
    async (c) => ((await download(c, c.get('actor')!, c.req.valid('param').id)) ?? c.json(apiError('not_found', NOT_FOUND), 404)) as never,
  );
  apiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/documents/{id}/delete',
      summary: 'Xóa một giấy tờ tự tải lên (kết quả và bản sao chứng thực không xóa được)',
      security: [{ session: [] }],
      request: { params: IdParam },
      responses: { 204: { description: 'Đã xóa' }, 401: errorContent('Chưa đăng nhập'), 404: errorContent('Không có trong kho của bạn'), 409: errorContent('Giấy tờ do cơ quan cấp: không xóa được') },
    }),
    OWN,
    async (c) => {
      const actor = c.get('actor')!;
      const outcome = await c.get('deps').db.transaction().execute((tx) => deleteOwnUpload(tx, actor.id, c.req.valid('param').id, who(c)));
      if (outcome === 'not_found') return c.json(apiError('not_found', NOT_FOUND), 404);
      if (outcome === 'issued') return c.json(apiError('conflict', ISSUED), 409);
      return c.body(null, 204);
    },
  );
}
