/**
 * The dossier JSON API (/api/v1): submit with files (multipart), read one
 * dossier, list a commune's queues, take workflow actions, and the public
 * tracking look-up. Same permissions as the pages; errors as
 * {error: {code, message, fields}} in Vietnamese.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { getProcedure } from '../catalog/catalog.store.js';
import { apiRoute } from '../platform/api.js';
import { admitPolicy, type UploadRoute } from '../platform/body-limits.js';
import { actorLabel, clientIp, type Actor, type Ctx } from '../platform/context.js';
import { apiError } from '../platform/errors.js';
import { storeFile } from '../platform/files.js';
import { grantsAllow, PUBLIC, requires, SIGNED_IN } from '../platform/permissions.js';
import type { App } from '../platform/routes.js';
import { findCommune, provinceOf, unitName } from '../units/units.js';
import { deadlineState } from './deadline.js';
import { dossierDeps, todayOf } from './deps.js';
import { submitDossier } from './dossiers.service.js';
import { findByIdempotencyKey, type DossierRow } from './dossiers.store.js';
import { assistedChannel, checkPaperFile, CONTACT_ERRORS, mobilePhone, plausibleEmail } from './submit/intake.js';
import { trackDossier } from './tracking/lookup.js';
import { actionLabel, auditView, loadView, mayAct, maySee, MAX_NOTE, runAction, type DossierView } from './office/office.service.js';
import { findById, queuePage, type QueueItem } from './office/office.store.js';
import { queueCounts } from './office/queue-counts.js';
import { branches, deadlineWindow, decodeCursor, encodeCursor, QUEUE_IDS } from './office/queues.js';
import { STATUS_LABELS, TRANSITIONS, type ActionName } from './workflow.js';

// ---- Upload route: its own body limit and CSRF rule (wired in app.ts) -----------------

export const DOSSIER_UPLOAD_PATH = '/api/v1/dossiers';
/** Scans of every paper (each ≤ 10 MB, checked one by one) in one request. */
export const MAX_DOSSIER_UPLOAD_BYTES = 60 * 1024 * 1024;
const MAX_FILES = 30;

/** The API's submission (multipart, with files): it gets MAX_DOSSIER_UPLOAD_BYTES instead of the 1 MB form limit. */
export function isDossierApiUpload(method: string, path: string): boolean {
  return method === 'POST' && path === DOSSIER_UPLOAD_PATH;
}

/** A whole dossier with its scans in one request: 60 MB instead of the form limit. */
export const dossierApiUpload: UploadRoute = {
  matches: (path) => path === DOSSIER_UPLOAD_PATH,
  maxBytes: MAX_DOSSIER_UPLOAD_BYTES,
  // Only a signed-in sender's body is read (src/platform/body-limits.ts).
  admit: admitPolicy(SIGNED_IN),
  onTooLarge: (c) => c.json(apiError('payload_too_large', 'Hồ sơ gửi lên lớn hơn 60 MB: gửi ít tệp hơn mỗi lần, hoặc quét nhỏ hơn.'), 413),
};

// ---- Schemas ------------------------------------------------------------------------

const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) })
  .openapi('DossierError');
const errorContent = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

const DEADLINES = ['overdue', 'at_risk', 'on_time', 'none'] as const;

const SummarySchema = z
  .object({
    id: z.string().uuid(),
    code: z.string().openapi({ example: '25459-260309-0001' }),
    commune: z.string().openapi({ description: 'Xã, phường tiếp nhận', example: '25459' }),
    decidingUnit: z.string().openapi({ description: 'Cơ quan có thẩm quyền giải quyết (mã xã hoặc mã tỉnh)' }),
    procedure: z.object({ code: z.string(), name: z.string().nullable() }),
    status: z.number().int().min(1).max(10),
    statusLabel: z.string(),
    stage: z.enum(['', 'processing', 'appraised']),
    dueDate: z.string().nullable().openapi({ example: '2026-03-12' }),
    deadline: z.enum(DEADLINES),
    assigneeId: z.string().nullable(),
    submittedAt: z.string(),
  })
  .openapi('DossierSummary');

const DetailSchema = SummarySchema.extend({
  version: z.number().int().openapi({ description: 'Gửi lại giá trị này khi thao tác: hồ sơ đã đổi thì trả về 409' }),
  procedure: z.object({ code: z.string(), name: z.string().nullable(), version: z.number().int() }),
  caseNo: z.number().int(),
  channel: z.enum(['online', 'counter', 'field']),
  receivedAt: z.string().nullable(),
  workingDays: z.number().int(),
  applicant: z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable(), address: z.string() }),
  papers: z.array(
    z.object({
      no: z.number().int().openapi({ description: 'Số thứ tự giấy tờ trong trường hợp, tính từ 0 (trường paper_<no> khi nộp)' }),
      name: z.string(),
      originals: z.number().int(),
      copies: z.number().int(),
      files: z.array(z.object({ sha256: z.string(), fileName: z.string(), mime: z.string(), size: z.number().int() })),
    }),
  ),
  events: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      action: z.string(),
      label: z.string(),
      fromStatus: z.number().int().nullable(),
      toStatus: z.number().int(),
      actor: z.string(),
      note: z.string(),
      dueDate: z.string().nullable(),
      form: z.string().nullable(),
    }),
  ),
  pauses: z.array(z.object({ pausedAt: z.string(), resumedAt: z.string().nullable(), reason: z.string() })),
  actions: z.array(z.object({ action: z.string(), label: z.string(), needsNote: z.boolean(), form: z.string().nullable() })).openapi({ description: 'Các thao tác người gọi được làm lúc này' }),
}).openapi('Dossier');

const CreatedSchema = z.object({ id: z.string().uuid(), code: z.string(), status: z.number().int(), version: z.number().int() }).openapi('DossierCreated');

const ACTION_NAMES = TRANSITIONS.map((t) => t.action) as [ActionName, ...ActionName[]];

const ActionBody = z
  .object({
    action: z.enum(ACTION_NAMES, { error: `action: một trong ${ACTION_NAMES.join(', ')}` }),
    version: z
      .number({ error: 'version: cần số phiên bản hồ sơ (trường version khi đọc hồ sơ)' })
      .int('version: cần số nguyên')
      .min(1, 'version: từ 1 trở lên')
      .max(1_000_000_000, 'version: quá lớn'),
    note: z.string({ error: 'note: cần chuỗi ký tự' }).max(MAX_NOTE, `note: tối đa ${MAX_NOTE} ký tự`).optional(),
    newDueDate: z.string({ error: 'newDueDate: ngày dạng YYYY-MM-DD' }).max(10, 'newDueDate: ngày dạng YYYY-MM-DD').optional(),
    decidingUnit: z.string({ error: 'decidingUnit: mã xã (5 chữ số) hoặc mã tỉnh (2 chữ số)' }).max(5, 'decidingUnit: mã xã (5 chữ số) hoặc mã tỉnh (2 chữ số)').optional(),
    assigneeId: z.string({ error: 'assigneeId: mã chuyên viên' }).max(36, 'assigneeId: mã chuyên viên').optional(),
  })
  .openapi('DossierAction', { example: { action: 'accept', version: 1 } });

const IdParam = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: '0b8a3c1e-2f4d-4c1a-9a65-3f1e2d4c5b6a' }) });

const ListQuery = z.object({
  queue: z.enum(QUEUE_IDS, { error: `queue: một trong ${QUEUE_IDS.join(', ')}` }).default('receive'),
  cursor: z.string().max(200, 'cursor: không hợp lệ').optional().openapi({ description: 'nextCursor của trang trước' }),
  limit: z.coerce.number({ error: 'limit: số từ 1 đến 100' }).int('limit: số nguyên').min(1, 'limit: từ 1').max(100, 'limit: tối đa 100').default(50),
  mine: z.enum(['true', 'false'], { error: 'mine: true hoặc false' }).optional().openapi({ description: 'Hàng process: chỉ hồ sơ giao cho tôi' }),
});

const TrackQuery = z.object({
  code: z.string({ error: 'code: nhập mã hồ sơ' }).trim().min(1, 'code: nhập mã hồ sơ').max(40, 'code: mã hồ sơ quá dài').openapi({ example: '25459-260309-0001' }),
  phoneLast4: z.string({ error: 'phoneLast4: 4 số cuối điện thoại' }).max(20, 'phoneLast4: đúng 4 chữ số cuối số điện thoại').openapi({ example: '0001' }),
});

const TrackSchema = z
  .object({
    code: z.string(),
    status: z.number().int(),
    statusLabel: z.string(),
    procedure: z.object({ code: z.string(), name: z.string().nullable() }),
    receivingUnit: z.string(),
    submittedAt: z.string(),
    receivedAt: z.string().nullable(),
    dueDate: z.string().nullable(),
    history: z.array(z.object({ at: z.string(), label: z.string(), statusLabel: z.string() })),
  })
  .openapi('DossierTracking');

/** The multipart body, documented by hand: files are not JSON, so it is read and checked in the handler. */
const CREATE_BODY_SCHEMA = {
  type: 'object',
  required: ['commune', 'procedure', 'idempotency_key'],
  properties: {
    commune: { type: 'string', description: 'Mã xã, phường nộp hồ sơ (5 chữ số)', example: '25459' },
    procedure: { type: 'string', description: 'Mã thủ tục', example: '1.001193' },
    case_no: { type: 'integer', minimum: 0, default: 0, description: 'Trường hợp giấy tờ của thủ tục, tính từ 0' },
    applicant_name: { type: 'string', description: 'Họ tên người nộp (người dân: mặc định tên tài khoản; cán bộ nộp thay: bắt buộc)' },
    applicant_phone: { type: 'string', description: 'Số điện thoại nhận tin nhắn (người dân: mặc định số của tài khoản)' },
    applicant_email: { type: 'string' },
    applicant_address: { type: 'string' },
    idempotency_key: { type: 'string', description: 'Khóa do máy gửi tạo (8–100 ký tự): gửi lại cùng khóa không tạo hồ sơ thứ hai', example: 'c0f4e0e2-8a57-4f7e-9d0e-1a2b3c4d5e6f' },
    consent: { type: 'string', enum: ['true'], description: 'Cán bộ nộp thay: người dân đã đồng ý' },
  },
  patternProperties: {
    '^paper_[0-9]+$': { type: 'string', format: 'binary', description: 'Tệp của giấy tờ số <n> (tính từ 0) trong trường hợp đã chọn: PDF, JPG hoặc PNG, tối đa 10 MB; có thể gửi nhiều tệp cùng tên trường' },
  },
} as const;

// ---- Mapping ----------------------------------------------------------------------

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function summaryOf(d: Pick<QueueItem, 'id' | 'code' | 'commune_code' | 'deciding_unit' | 'procedure_code' | 'status' | 'stage' | 'due_date' | 'assignee_id' | 'submitted_at'>, name: string | null, deadline: (typeof DEADLINES)[number]) {
  return {
    id: d.id,
    code: d.code,
    commune: d.commune_code,
    decidingUnit: d.deciding_unit,
    procedure: { code: d.procedure_code, name },
    status: d.status,
    statusLabel: STATUS_LABELS[d.status],
    stage: d.stage,
    dueDate: d.due_date,
    deadline,
    assigneeId: d.assignee_id,
    submittedAt: iso(d.submitted_at)!,
  };
}

function detailOf(v: DossierView) {
  const d = v.d;
  return {
    ...summaryOf(d, v.procedure?.name ?? null, v.deadline),
    version: d.version,
    procedure: { code: d.procedure_code, name: v.procedure?.name ?? null, version: d.procedure_version },
    caseNo: d.case_no,
    channel: d.channel,
    receivedAt: iso(d.received_at),
    workingDays: d.working_days,
    applicant: { name: d.applicant_name, phone: d.applicant_phone, email: d.applicant_email, address: d.applicant_address },
    papers: v.papers.map((p) => ({ no: p.no, name: p.name, originals: p.originals, copies: p.copies, files: p.files })),
    events: v.events.map((e) => ({
      seq: e.seq,
      at: iso(e.at)!,
      action: e.action,
      label: actionLabel(e.action),
      fromStatus: e.from_status,
      toStatus: e.to_status,
      actor: e.actor_label,
      note: e.note,
      dueDate: e.due_date,
      form: typeof e.detail.form === 'string' ? e.detail.form : null,
    })),
    pauses: v.pauses.map((p) => ({ pausedAt: iso(p.paused_at)!, resumedAt: iso(p.resumed_at), reason: p.reason })),
    actions: v.actions.map((t) => ({ action: t.action, label: t.label, needsNote: t.needsNote, form: t.form ?? null })),
  };
}

/** act() names fields as the page's form does; the API uses its JSON names. */
const API_FIELD: Record<string, string> = { new_due_date: 'newDueDate', deciding_unit: 'decidingUnit', assignee_id: 'assigneeId' };

/** The detail answer; reading it shows personal data, so officials' reads are audited (the applicant reading their own is not). */
async function detailFor(c: Ctx, actor: Actor, id: string) {
  const { db } = c.get('deps');
  const d = await findById(db, id);
  if (!d) return null;
  const { calendar, clock } = await dossierDeps(c);
  const v = await loadView(db, calendar, todayOf(clock), actor, d);
  if (d.applicant_id !== actor.id) await auditView(db, actor, d, 'api', clientIp(c));
  return detailOf(v);
}

// ---- Multipart submission ------------------------------------------------------------------

type BodyValue = string | File | (string | File)[];

function firstText(v: BodyValue | undefined): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x.replaceAll('\u0000', '') : undefined;
}

const CreateFields = z.object({
  commune: z.string({ error: 'Chọn xã, phường nộp hồ sơ' }).regex(/^\d{5}$/, 'Mã xã, phường gồm 5 chữ số, ví dụ 25459'),
  procedure: z.string({ error: 'Chọn thủ tục' }).trim().min(1, 'Chọn thủ tục').max(40, 'Mã thủ tục quá dài'),
  case_no: z
    .string()
    .regex(/^\d{1,2}$/, 'Chọn trường hợp của bạn (số từ 0)')
    .optional()
    .transform((s) => Number(s ?? 0)),
  applicant_name: z.string().max(200, 'Họ và tên tối đa 200 ký tự').optional(),
  applicant_phone: z.string().max(20, 'Số điện thoại quá dài: nhập 10 chữ số').optional(),
  applicant_email: z.string().max(200, 'Thư điện tử quá dài').optional(),
  applicant_address: z.string().max(500, 'Địa chỉ tối đa 500 ký tự').optional(),
  idempotency_key: z.string({ error: 'Thiếu idempotency_key (khóa chống gửi trùng do máy gửi tạo)' }).regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'idempotency_key: 8–100 ký tự chữ, số, dấu - _ . :'),
  consent: z.string().optional(),
});

const created = (d: DossierRow) => ({ id: d.id, code: d.code, status: d.status, version: d.version });

/** The same key from someone else never reveals their dossier. */
function ownSubmission(actor: Actor, d: DossierRow): boolean {
  return actor.kind === 'citizen' ? d.applicant_id === actor.id : d.assisted_by === actor.id;
}

async function createDossier(c: Ctx) {
  const t = c.get('t');
  if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
    return c.json(apiError('unsupported_media_type', 'Gửi hồ sơ dạng multipart/form-data: các trường thông tin và tệp giấy tờ paper_<số>.'), 415);
  }
  let body: Record<string, BodyValue>;
  try {
    body = (await c.req.parseBody({ all: true })) as Record<string, BodyValue>;
  } catch {
    return c.json(apiError('invalid', 'Không đọc được nội dung gửi lên (multipart/form-data bị hỏng).'), 400);
  }
  const text: Record<string, string> = {};
  for (const k of Object.keys(CreateFields.shape)) {
    const v = firstText(body[k]);
    if (v !== undefined) text[k] = v;
  }
  const parsed = CreateFields.safeParse(text);
  const fields: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) fields[String(i.path[0] ?? '_')] ??= i.message;
  const files: { paperNo: number; file: File }[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (!k.startsWith('paper_')) continue;
    const m = /^paper_(\d{1,3})$/.exec(k);
    const list = (Array.isArray(v) ? v : [v]).filter((x) => !(typeof x === 'string' && x === '') && !(x instanceof File && x.size === 0 && x.name === ''));
    if (!m || list.some((x) => typeof x === 'string')) {
      fields[k] = `${k}: gửi tệp giấy tờ trong trường paper_<số>, số tính từ 0`;
      continue;
    }
    for (const f of list) files.push({ paperNo: Number(m[1]), file: f as File });
  }
  if (files.length > MAX_FILES) fields.files = `Tối đa ${MAX_FILES} tệp một lần`;
  if (!parsed.success || Object.keys(fields).length) return c.json(apiError('invalid', t('error.validation'), fields), 400);
  const input = parsed.data;
  const commune = findCommune(input.commune);
  if (!commune) return c.json(apiError('invalid', t('error.validation'), { commune: `Không có xã, phường nào mang mã ${input.commune}` }), 400);

  const actor = c.get('actor')!;
  const { db, config } = c.get('deps');
  // A citizen submits their own; staff only where they may submit on someone's behalf.
  let channel: 'online' | 'counter' | 'field' = 'online';
  if (actor.kind !== 'citizen') {
    if (!grantsAllow(actor.grants, 'dossier.submitAssisted', input.commune, provinceOf)) {
      return c.json(apiError('forbidden', 'Bạn không được nộp hồ sơ thay người dân ở xã, phường này.'), 403);
    }
    channel = assistedChannel(actor, input.commune);
  }
  const replay = await findByIdempotencyKey(db, input.commune, input.idempotency_key);
  if (replay) {
    if (!ownSubmission(actor, replay)) return c.json(apiError('idempotency_key_reused', 'idempotency_key này đã được dùng cho một hồ sơ khác: tạo khóa mới.'), 409);
    return c.json(created(replay), 200);
  }

  const procedure = await getProcedure(db, input.procedure);
  if (!procedure) return c.json(apiError('invalid', t('error.validation'), { procedure: 'Không tìm thấy thủ tục này: chọn lại thủ tục từ danh mục' }), 400);
  const papers = procedure.cases[input.case_no]?.papers ?? [];
  if (procedure.cases.length > 0 && input.case_no >= procedure.cases.length) return c.json(apiError('invalid', t('error.validation'), { case_no: 'Chọn trường hợp của bạn' }), 400);
  const checked: { paperNo: number; name: string; bytes: Uint8Array; mime: string }[] = [];
  for (const f of files) {
    const label = `Giấy tờ số ${f.paperNo + 1}`;
    if (f.paperNo >= papers.length) {
      fields[`paper_${f.paperNo}`] ??= `${label}: trường hợp này chỉ có ${papers.length} giấy tờ (paper_0 đến paper_${Math.max(0, papers.length - 1)})`;
      continue;
    }
    const bytes = new Uint8Array(await f.file.arrayBuffer());
    const check = await checkPaperFile({ name: f.file.name, bytes }, label);
    if (check.ok) checked.push({ paperNo: f.paperNo, name: check.fileName, bytes, mime: check.mime });
    else fields[`paper_${f.paperNo}`] ??= check.message;
  }
  let phone: string | null = null;
  const typedPhone = input.applicant_phone?.trim() ? mobilePhone(input.applicant_phone) : '';
  if (typedPhone === null) fields.applicant_phone = CONTACT_ERRORS.phone;
  else phone = typedPhone || (actor.kind === 'citizen' ? actor.phone : null);
  const email = input.applicant_email?.trim() || (actor.kind === 'citizen' ? actor.email : null) || null;
  if (email && !plausibleEmail(email)) fields.applicant_email = CONTACT_ERRORS.email;
  if (Object.keys(fields).length) return c.json(apiError('invalid', t('error.validation'), fields), 400);

  // Stored before the dossier row: a file without a dossier is harmless (content-addressed), the reverse is not.
  const stored: { paperNo: number; sha256: string; fileName: string }[] = [];
  for (const f of checked) {
    const { sha256 } = await storeFile(db, config.dataDir, f.bytes, f.mime);
    stored.push({ paperNo: f.paperNo, sha256, fileName: f.name });
  }
  const result = await submitDossier(
    await dossierDeps(c),
    {
      communeCode: input.commune,
      procedureCode: procedure.code,
      caseNo: input.case_no,
      applicant: {
        id: actor.kind === 'citizen' ? actor.id : null,
        name: input.applicant_name?.trim() || (actor.kind === 'citizen' ? actor.fullName : ''),
        phone,
        email,
        address: input.applicant_address?.trim() ?? '',
      },
      channel,
      assistedBy: actor.kind === 'citizen' ? null : { id: actor.id, label: actorLabel(actor) },
      consent: ['true', '1', 'on', 'yes'].includes((input.consent ?? '').toLowerCase()),
      idempotencyKey: input.idempotency_key,
      files: stored,
      actorLabel: actorLabel(actor),
      ip: clientIp(c),
      procedure,
      keyChecked: true,
    },
  );
  if (!result.ok) return c.json(apiError('invalid', t('error.validation'), result.errors), 400);
  if (!result.created && !ownSubmission(actor, result.dossier)) return c.json(apiError('idempotency_key_reused', 'idempotency_key này đã được dùng cho một hồ sơ khác: tạo khóa mới.'), 409);
  return c.json(created(result.dossier), result.created ? 201 : 200);
}

// ---- Routes -----------------------------------------------------------------------

export function registerDossierApi(app: App): void {
  const NOT_FOUND_TRACK = 'Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này. Kiểm tra lại mã hồ sơ trong tin nhắn hoặc giấy hẹn.';

  // Before /dossiers/{id}, so "track" is never read as an id.
  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/dossiers/track',
      summary: 'Tra cứu tình trạng hồ sơ bằng mã hồ sơ và 4 số cuối điện thoại (công khai, không có thông tin cá nhân)',
      request: { query: TrackQuery },
      responses: {
        200: { description: 'Tình trạng hồ sơ', content: { 'application/json': { schema: TrackSchema } } },
        400: errorContent('Tham số chưa hợp lệ'),
        404: errorContent('Không có hồ sơ khớp mã và 4 số cuối (cùng một câu trả lời cho mã sai và số sai)'),
        429: errorContent('Tra cứu quá nhiều lần'),
      },
    }),
    PUBLIC,
    async (c) => {
      const { code, phoneLast4 } = c.req.valid('query');
      const outcome = await trackDossier(c.get('deps'), clientIp(c), { code, digits: phoneLast4 });
      if (!outcome.ok) {
        switch (outcome.reason) {
          case 'invalid':
            return c.json(apiError('invalid', c.get('t')('error.validation'), { ...(outcome.fields.code ? { code: outcome.fields.code } : {}), ...(outcome.fields.digits ? { phoneLast4: outcome.fields.digits } : {}) }), 400);
          case 'rate_limited':
            return c.json(apiError('rate_limited', c.get('t')('error.ratelimited', { minutes: outcome.minutes })), 429);
          case 'not_found':
            return c.json(apiError('not_found', NOT_FOUND_TRACK), 404);
        }
      }
      const found = outcome.found;
      const { dossier: d, events } = found;
      return c.json(
        {
          code: d.code,
          status: d.status,
          statusLabel: STATUS_LABELS[d.status],
          procedure: { code: d.procedure_code, name: found.procedureName },
          receivingUnit: unitName(d.commune_code) ?? d.commune_code,
          submittedAt: iso(d.submitted_at)!,
          receivedAt: iso(d.received_at),
          dueDate: d.due_date,
          // Steps and dates only: notes may name people or papers, and the code and 4 digits are easy to share.
          history: events.map((e) => ({ at: iso(e.at)!, label: actionLabel(e.action), statusLabel: STATUS_LABELS[e.to_status] })),
        },
        200,
      );
    },
  );

  apiRoute(
    app,
    createRoute({
      method: 'post',
      path: DOSSIER_UPLOAD_PATH,
      summary: 'Nộp hồ sơ kèm tệp giấy tờ',
      description:
        'Người dân đăng nhập nộp hồ sơ của mình (trực tuyến); cán bộ một cửa hoặc tổ công nghệ số cộng đồng nộp thay với consent=true. ' +
        'Gửi multipart/form-data với tiêu đề X-Requested-With (chống giả mạo yêu cầu). Tối đa 60 MB một lần, mỗi tệp tối đa 10 MB. ' +
        'Gửi lại cùng idempotency_key trả về hồ sơ đã tạo (200) thay vì tạo hồ sơ mới.',
      security: [{ session: [] }],
      request: { body: { required: true, content: { 'multipart/form-data': { schema: CREATE_BODY_SCHEMA as never } } } },
      responses: {
        201: { description: 'Đã tạo hồ sơ', content: { 'application/json': { schema: CreatedSchema } } },
        200: { description: 'Khóa idempotency_key đã dùng: hồ sơ đã tạo trước đó', content: { 'application/json': { schema: CreatedSchema } } },
        400: errorContent('Dữ liệu chưa hợp lệ (fields: lỗi theo từng trường)'),
        401: errorContent('Chưa đăng nhập'),
        403: errorContent('Không được nộp thay ở xã này, hoặc thiếu tiêu đề X-Requested-With'),
        409: errorContent('idempotency_key đã được dùng cho hồ sơ của người khác'),
        413: errorContent('Quá 60 MB'),
        415: errorContent('Không phải multipart/form-data'),
      },
    }),
    SIGNED_IN,
    (c) => createDossier(c) as never,
  );

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/dossiers/{id}',
      summary: 'Một hồ sơ: người nộp, giấy tờ, quá trình xử lý, thao tác được làm',
      description: 'Người nộp xem hồ sơ của mình; cán bộ của xã tiếp nhận hoặc cơ quan giải quyết xem hồ sơ của đơn vị (mỗi lần xem được ghi nhật ký). Người khác nhận 404.',
      security: [{ session: [] }],
      request: { params: IdParam },
      responses: {
        200: { description: 'Hồ sơ', content: { 'application/json': { schema: DetailSchema } } },
        401: errorContent('Chưa đăng nhập'),
        404: errorContent('Không có hồ sơ này (hoặc bạn không được xem)'),
      },
    }),
    SIGNED_IN,
    async (c) => {
      const actor = c.get('actor')!;
      const { id } = c.req.valid('param');
      const d = await findById(c.get('deps').db, id);
      const detail = d && maySee(actor, d) ? await detailFor(c, actor, d.id) : null;
      if (!detail) return c.json(apiError('not_found', 'Không tìm thấy hồ sơ.'), 404);
      return c.json(detail, 200);
    },
  );

  apiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/dossiers/{id}/actions',
      summary: 'Thao tác trên hồ sơ (tiếp nhận, yêu cầu bổ sung, phê duyệt…)',
      description:
        'Gửi version đã đọc: nếu người khác vừa cập nhật hồ sơ thì trả 409, không ghi đè. Người nộp chỉ được rút hoặc nộp bổ sung hồ sơ của mình. ' +
        'apologise cần newDueDate (ngày làm việc sau hạn cũ); transfer cần decidingUnit; assign cần assigneeId (chuyên viên của cơ quan giải quyết).',
      security: [{ session: [] }],
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ActionBody } } } },
      responses: {
        200: { description: 'Đã thực hiện', content: { 'application/json': { schema: z.object({ dossier: DetailSchema, form: z.string().nullable() }) } } },
        400: errorContent('Dữ liệu chưa hợp lệ (fields)'),
        401: errorContent('Chưa đăng nhập'),
        404: errorContent('Không có hồ sơ này (hoặc bạn không được thao tác)'),
        409: errorContent('Hồ sơ vừa được người khác cập nhật: đọc lại rồi thao tác'),
        422: errorContent('Thao tác không được phép (vai trò, trạng thái, hoặc hồ sơ quá hạn cần xin lỗi trước)'),
      },
    }),
    SIGNED_IN,
    async (c) => {
      const actor = c.get('actor')!;
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { db } = c.get('deps');
      const d = await findById(db, id);
      if (!d || !mayAct(actor, d)) return c.json(apiError('not_found', 'Không tìm thấy hồ sơ.'), 404);
      const outcome = await runAction(
        await dossierDeps(c),
        actor,
        d,
        { action: body.action, version: body.version, note: body.note ?? '', newDueDate: body.newDueDate, decidingUnit: body.decidingUnit, assigneeId: body.assigneeId },
        clientIp(c),
      );
      if (outcome.ok) {
        const detail = await detailFor(c, actor, d.id);
        return c.json({ dossier: detail!, form: outcome.form }, 200);
      }
      switch (outcome.code) {
        case 'not_found':
          return c.json(apiError('not_found', outcome.message), 404);
        case 'conflict':
          return c.json(apiError('conflict', outcome.message), 409);
        case 'refused':
          return c.json(apiError('refused', outcome.message), 422);
        case 'invalid': {
          const fields = Object.fromEntries(Object.entries(outcome.fields ?? {}).map(([k, m]) => [API_FIELD[k] ?? k, m]));
          return c.json(apiError('invalid', outcome.message, fields), 400);
        }
      }
    },
  );

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/communes/{commune}/dossiers',
      summary: 'Hàng hồ sơ của một xã, phường (kèm số lượng mỗi hàng)',
      description:
        'Hàng: receive (chờ tiếp nhận), assign (chờ phân công), process (đang xử lý; mine=true: giao cho tôi), approve (chờ phê duyệt), return (chờ trả), ' +
        'citizen (chờ người dân bổ sung hoặc nộp phí), at_risk (đến hạn hôm nay, hoặc ngày làm việc tới với thủ tục từ 2 ngày làm việc), overdue (quá hạn). Gồm cả hồ sơ xã giải quyết nhưng tiếp nhận ở nơi khác. ' +
        'Sắp theo hạn trả rồi mã hồ sơ; trang sau: cursor = nextCursor.',
      security: [{ session: [] }],
      request: { params: z.object({ commune: z.string().openapi({ param: { name: 'commune', in: 'path' }, example: '25459' }) }), query: ListQuery },
      responses: {
        200: {
          description: 'Một trang hồ sơ',
          content: {
            'application/json': {
              schema: z.object({
                queue: z.enum(QUEUE_IDS),
                items: z.array(SummarySchema),
                nextCursor: z.string().nullable(),
                counts: z.record(z.string(), z.number().int()).openapi({ description: 'Số hồ sơ mỗi hàng, và mine (đang xử lý, giao cho tôi)' }),
              }),
            },
          },
        },
        400: errorContent('Tham số chưa hợp lệ'),
        401: errorContent('Chưa đăng nhập'),
        403: errorContent('Không có quyền xử lý hồ sơ'),
        404: errorContent('Không có xã này, hoặc không thuộc đơn vị của bạn'),
      },
    }),
    requires('dossier.work', 'commune'),
    async (c) => {
      const { commune } = c.req.valid('param');
      const q = c.req.valid('query');
      if (!findCommune(commune)) return c.json(apiError('not_found', `Không có xã, phường nào mang mã ${commune}.`), 404);
      const cursor = q.cursor ? decodeCursor(q.cursor) : null;
      if (cursor === undefined) return c.json(apiError('invalid', c.get('t')('error.validation'), { cursor: 'cursor: không hợp lệ, bỏ trống để lấy trang đầu' }), 400);
      const actor = c.get('actor')!;
      const { db } = c.get('deps');
      const { calendar, clock } = await dossierDeps(c);
      const w = deadlineWindow(todayOf(clock), calendar);
      const mine = q.queue === 'process' && q.mine === 'true';
      const [counts, page] = await Promise.all([
        queueCounts(db, commune, actor.id, w),
        queuePage(db, commune, branches(q.queue, w), { cursor, limit: q.limit, mine: mine ? actor.id : null }),
      ]);
      return c.json(
        {
          queue: q.queue,
          items: page.items.map((it) => summaryOf(it, it.procedure_name, deadlineState(it, w))),
          nextCursor: page.next ? encodeCursor(page.next) : null,
          counts: { ...counts },
        },
        200,
      );
    },
  );
}

