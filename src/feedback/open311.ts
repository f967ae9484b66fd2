/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/:
 * discovery, services, service definitions, requests (GET and POST), one
 * request, tokens. XML (required by the spec) and JSON, UTF-8, times in ISO
 * 8601 with +07:00, errors as [{code, description}].
 *
 * Jurisdictions are communes (jurisdiction_id = 5-digit commune code);
 * services are a commune's feedback categories. Reading is public and carries
 * no personal data; posting needs a province's API key (checked here, not by
 * a session: Open311 clients send no cookies).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as zlibGzip } from 'node:zlib';
import { clientIp, type Ctx } from '../platform/context.js';
import { readForm } from '../platform/forms.js';
import { PUBLIC } from '../platform/permissions.js';
import { RateLimiter } from '../platform/ratelimit.js';
import { route, type App } from '../platform/routes.js';
import { findCommune, provinceOf } from '../units/units.js';
import { normalizePhone, PHONE_RE } from '../accounts/accounts.schema.js';
import { charCount, MAX_DESCRIPTION } from './feedback.schema.js';
import { cachesOf } from './cache.js';
import * as service from './feedback.service.js';
import * as store from './feedback.store.js';
import type { Open311Row } from './feedback.store.js';
import { cleanText, redactContacts, vnDay, vnIso } from './text.js';

export const OPEN311_BASE = '/open311/v2';
/** The most requests one GET returns (the spec's suggested ceiling is 1,000). */
export const MAX_REQUESTS = 1000;
const MAX_SPAN_MS = 90 * 86_400_000;
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const CHANGESET = '2026-01-01T00:00:00+07:00';

type Format = 'json' | 'xml';
export interface Open311Error {
  code: number;
  description: string;
}

// ---- output -----------------------------------------------------------------------

function escapeXml(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&'"]/g, (ch) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[ch]};`);
}

type XmlValue = string | number | boolean | null | undefined | XmlNode | XmlNode[];
interface XmlNode {
  name: string;
  children: [string, XmlValue][];
}

function el(name: string, fields: Record<string, XmlValue> | [string, XmlValue][]): XmlNode {
  return { name, children: Array.isArray(fields) ? fields : Object.entries(fields) };
}

function renderXml(node: XmlNode): string {
  const inner = node.children
    .map(([name, v]) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) return renderXml(v);
      if (Array.isArray(v)) return `<${name}>${v.map(renderXml).join('')}</${name}>`;
      return `<${name}>${v === null || v === undefined ? '' : escapeXml(String(v))}</${name}>`;
    })
    .join('');
  return `<${node.name}>${inner}</${node.name}>`;
}

const CONTENT_TYPES: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

function xmlDocument(node: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${renderXml(node)}`;
}

function send(c: Ctx, format: Format, status: number, json: unknown, xml: () => XmlNode) {
  c.header('cache-control', 'no-store');
  if (format === 'xml') {
    return c.body(xmlDocument(xml()), status as 200, { 'content-type': CONTENT_TYPES.xml });
  }
  return c.body(JSON.stringify(json), status as 200, { 'content-type': CONTENT_TYPES.json });
}

/**
 * A public list as sent: encoded once, as is and gzipped (a 1,000-item answer is
 * over 600 kB of JSON; clients on slow networks ask for gzip), each a Uint8Array,
 * which the server writes without copying, with its validator.
 */
interface Answer {
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  gzipped: Uint8Array<ArrayBuffer>;
  gzippedEtag: string;
  count: number;
}

const gzip = promisify(zlibGzip);

function etagOf(bytes: Uint8Array, suffix = ''): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}${suffix}"`;
}

/**
 * The list for this URL from the answer cache (src/feedback/cache.ts), or loaded and
 * encoded once however many clients ask at the same time.
 */
function cachedAnswer(c: Ctx, format: Format, load: () => Promise<Open311Row[]>): Promise<Answer> {
  const url = new URL(c.req.url);
  return cachesOf(c.get('deps').db).answers.get(`${url.pathname}${url.search}`, async () => {
    const rows = (await load()).map(requestJson);
    const bytes = Buffer.from(format === 'json' ? JSON.stringify(rows) : xmlDocument(requestsXml(rows)));
    // In the thread pool: the event loop keeps serving meanwhile.
    const gzipped = await gzip(bytes);
    return { bytes, etag: etagOf(bytes), gzipped, gzippedEtag: etagOf(bytes, '-gz'), count: rows.length };
  }, (a) => a.bytes.byteLength + a.gzipped.byteLength);
}

/** Whether the client takes gzip ("gzip", "gzip;q=0.5", "*"), unless it refuses it ("gzip;q=0"). */
export function acceptsGzip(header: string | undefined): boolean {
  let any = false;
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((x) => x.trim());
    const q = params.find((x) => x.startsWith('q='));
    const ok = !q || Number(q.slice(2)) > 0;
    if (name === 'gzip') return ok;
    if (name === '*') any = ok;
  }
  return any;
}

/** Sends a cached list; a polling client that already has it gets a 304. */
function sendAnswer(c: Ctx, format: Format, answer: Answer) {
  const gzipped = acceptsGzip(c.req.header('accept-encoding'));
  const etag = gzipped ? answer.gzippedEtag : answer.etag;
  const headers = { 'content-type': CONTENT_TYPES[format], etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  if (gzipped) return c.body(answer.gzipped, 200, { ...headers, 'content-encoding': 'gzip' });
  return c.body(answer.bytes, 200, headers);
}

export function sendErrors(c: Ctx, format: Format, status: 400 | 403 | 404 | 429, errors: Open311Error[]) {
  return send(c, format, status, errors, () => el('errors', errors.map((e) => ['error', el('error', { code: e.code, description: e.description })] as [string, XmlValue])));
}

/** A request refused before routing (e.g. control characters): Open311 clients get Open311's error list. */
export function open311Refusal(c: Ctx, status: 400 | 404, description: string): Response | undefined {
  if (!c.req.path.startsWith('/open311/')) return undefined;
  return sendErrors(c, c.req.path.endsWith('.xml') ? 'xml' : 'json', status, [{ code: status, description }]);
}

/** "requests.json" → ["requests", "json"]; anything else → null. */
function splitFormat(file: string): [string, Format] | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? [m[1]!, m[2] as Format] : null;
}

function serviceJson(s: { code: string; name: string; deadline_days: number }) {
  return {
    service_code: s.code,
    service_name: s.name,
    description: `Xử lý trong ${s.deadline_days} ngày làm việc.`,
    metadata: true,
    type: 'realtime' as const,
    keywords: null,
    group: null,
  };
}

/** The one attribute: whether the report may be shown publicly (default yes, as Open311 reports are). */
function definitionJson(code: string) {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'cong_khai',
        datatype: 'singlevaluelist' as const,
        required: false,
        datatype_description: 'co: công khai nội dung (mặc định); khong: chỉ người gửi và cán bộ xã xem',
        order: 1,
        description: 'Cho mọi người xem phản ánh này?',
        values: [
          { key: 'co', name: 'Có' },
          { key: 'khong', name: 'Không' },
        ],
      },
    ],
  };
}

function statusNotes(r: Open311Row): string {
  if (r.status === 'new') return 'Mới tiếp nhận';
  if (r.status === 'in_progress') {
    return `Đang xử lý${r.responsible_unit ? `; giao: ${r.responsible_unit}` : ''}${r.reopen_count ? '; đã mở lại theo yêu cầu của người gửi' : ''}`;
  }
  if (r.is_public && r.public_reply) return `Đã trả lời: ${redactContacts(r.public_reply)}`;
  return 'Đã trả lời người gửi';
}

/** One request, public fields only: no names, phones or e-mails; private reports show no text or place. */
export function requestJson(r: Open311Row) {
  const pub = r.is_public;
  return {
    service_request_id: r.code,
    status: r.status === 'closed' ? ('closed' as const) : ('open' as const),
    status_notes: statusNotes(r),
    service_name: r.category_name,
    service_code: r.category_code,
    description: pub ? redactContacts(r.description) : null,
    agency_responsible: r.responsible_unit ?? findCommune(r.commune_code)?.commune.name ?? null,
    service_notice: `Xử lý trong ${r.deadline_days} ngày làm việc`,
    requested_datetime: vnIso(r.submitted_at),
    // The spec: for a closed request, when it was closed.
    updated_datetime: vnIso(r.status === 'closed' && r.closed_at ? r.closed_at : r.updated_at),
    // End of office hours on the due day.
    expected_datetime: `${r.due_date}T17:00:00+07:00`,
    address: pub && r.location_text ? redactContacts(r.location_text) : null,
    address_id: pub ? r.address_id : null,
    zipcode: null,
    lat: pub ? r.lat : null,
    long: pub ? r.long : null,
    media_url: pub ? r.media_url : null,
  };
}

function requestsXml(rows: ReturnType<typeof requestJson>[]): XmlNode {
  return el('service_requests', rows.map((r) => ['request', el('request', r as unknown as Record<string, XmlValue>)] as [string, XmlValue]));
}

// ---- input ------------------------------------------------------------------------

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 date or date-time; no zone means Việt Nam time. `endOfDay` for a bare end date. */
export function parseIsoInstant(text: string, endOfDay = false): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const time = h ? `${h}:${mi}:${s ?? '00'}` : endOfDay ? '23:59:59' : '00:00:00';
  if (h && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return null;
  const z = !zone ? '+07:00' : zone === 'Z' || zone === 'z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${time}${z}`);
  // Reject dates that roll over (2026-02-31).
  if (Number.isNaN(date.getTime())) return null;
  const check = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  return check.getUTCDate() === day ? date : null;
}

function list(value: string | undefined, max = 100): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, max);
}

function jurisdiction(value: string | undefined): { code?: string; error?: Open311Error; status?: 400 | 404 } {
  if (value === undefined || value === '') return {};
  if (!/^\d{5}$/.test(value)) return { error: { code: 400, description: 'jurisdiction_id: cần mã xã, phường gồm 5 chữ số, ví dụ 25459' }, status: 400 };
  if (!findCommune(value)) return { error: { code: 404, description: `jurisdiction_id: không có xã, phường mã ${value}` }, status: 404 };
  return { code: value };
}

// ---- handlers ---------------------------------------------------------------------

function discovery(c: Ctx, format: Format) {
  const base = c.get('deps').config.baseUrl;
  const body = {
    changeset: CHANGESET,
    contact: 'Xã Số — bộ phận một cửa của xã, phường nơi có phản ánh',
    key_service: 'Khoá API (api_key) do Sở, ban, ngành quản trị hệ thống của tỉnh cấp; mỗi tỉnh một bộ khoá.',
    endpoints: [{ specification: SPEC, url: `${base}${OPEN311_BASE}`, changeset: CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] }],
  };
  return send(c, format, 200, body, () =>
    el('discovery', {
      changeset: body.changeset,
      contact: body.contact,
      key_service: body.key_service,
      endpoints: el('endpoints', [
        [
          'endpoint',
          el('endpoint', {
            specification: SPEC,
            url: body.endpoints[0]!.url,
            changeset: CHANGESET,
            type: 'production',
            formats: el('formats', [
              ['format', 'text/xml'],
              ['format', 'application/json'],
            ]),
          }),
        ],
      ]),
    }),
  );
}

async function services(c: Ctx, format: Format) {
  const j = jurisdiction(c.req.query('jurisdiction_id'));
  if (j.error) return sendErrors(c, format, j.status!, [j.error]);
  const { db } = c.get('deps');
  const rows = j.code
    ? (await store.listCategories(db, j.code)).map((x) => ({ code: x.code, name: x.name, deadline_days: x.deadline_days }))
    : await store.distinctServices(db);
  const body = rows.map(serviceJson);
  return send(c, format, 200, body, () => el('services', body.map((s) => ['service', el('service', s)] as [string, XmlValue])));
}

async function serviceDefinition(c: Ctx) {
  const parts = splitFormat(c.req.param('file') ?? '');
  if (!parts) return sendErrors(c, 'json', 404, [{ code: 404, description: 'Đường dẫn cần kết thúc bằng .json hoặc .xml' }]);
  const [code, format] = parts;
  const j = jurisdiction(c.req.query('jurisdiction_id'));
  if (j.error) return sendErrors(c, format, j.status!, [j.error]);
  const { db } = c.get('deps');
  const exists = !/^[a-z0-9][a-z0-9-]{0,39}$/.test(code) ? false : j.code ? !!(await store.getCategory(db, j.code, code))?.active : (await store.distinctServices(db)).some((s) => s.code === code);
  if (!exists) return sendErrors(c, format, 404, [{ code: 404, description: `service_code: không có dịch vụ “${code.slice(0, 60)}”` }]);
  const body = definitionJson(code);
  return send(c, format, 200, body, () =>
    el('service_definition', {
      service_code: body.service_code,
      attributes: el(
        'attributes',
        body.attributes.map((a) => [
          'attribute',
          el('attribute', {
            variable: a.variable,
            code: a.code,
            datatype: a.datatype,
            required: a.required,
            datatype_description: a.datatype_description,
            order: a.order,
            description: a.description,
            values: el('values', a.values.map((v) => ['value', el('value', v)] as [string, XmlValue])),
          }),
        ] as [string, XmlValue]),
      ),
    }),
  );
}

async function getRequests(c: Ctx, format: Format) {
  // PostgreSQL text cannot hold NUL: clean what the client sent before it reaches a query.
  const q = Object.fromEntries(Object.entries(c.req.query()).map(([k, v]) => [k, cleanText(v)])) as Record<string, string | undefined>;
  const problems: Open311Error[] = [];
  const j = jurisdiction(q.jurisdiction_id);
  if (j.error) return sendErrors(c, format, j.status!, [j.error]);
  const ids = list(q.service_request_id);
  const filter: store.Open311Filter = { limit: MAX_REQUESTS, ...(j.code ? { communeCode: j.code } : {}) };
  if (ids.length) {
    // The spec: with service_request_id, every other filter is ignored.
    filter.codes = ids;
  } else {
    const start = q.start_date ? parseIsoInstant(q.start_date) : null;
    const end = q.end_date ? parseIsoInstant(q.end_date, true) : null;
    if (q.start_date && !start) problems.push({ code: 400, description: 'start_date: cần ngày giờ theo ISO 8601, ví dụ 2026-03-01T00:00:00+07:00' });
    if (q.end_date && !end) problems.push({ code: 400, description: 'end_date: cần ngày giờ theo ISO 8601, ví dụ 2026-03-31T23:59:59+07:00' });
    const to = end ?? (start ? new Date(start.getTime() + MAX_SPAN_MS) : new Date());
    const from = start ?? new Date(to.getTime() - MAX_SPAN_MS);
    if (start && end && start > end) problems.push({ code: 400, description: 'start_date phải trước end_date' });
    else if (to.getTime() - from.getTime() > MAX_SPAN_MS) problems.push({ code: 400, description: 'start_date và end_date cách nhau tối đa 90 ngày' });
    filter.start = from;
    filter.end = to;
    const statuses = list(q.status);
    for (const s of statuses) if (s !== 'open' && s !== 'closed') problems.push({ code: 400, description: `status: chỉ nhận open hoặc closed (không nhận “${s.slice(0, 20)}”)` });
    if (statuses.length) filter.statuses = [...new Set(statuses)] as ('open' | 'closed')[];
    const codes = list(q.service_code);
    if (codes.length) filter.serviceCodes = codes;
  }
  if (problems.length) return sendErrors(c, format, 400, problems);
  return sendAnswer(c, format, await cachedAnswer(c, format, () => store.open311List(c.get('deps').db, filter)));
}

async function getRequest(c: Ctx) {
  const parts = splitFormat(c.req.param('file') ?? '');
  if (!parts) return sendErrors(c, 'json', 404, [{ code: 404, description: 'Đường dẫn cần kết thúc bằng .json hoặc .xml' }]);
  const [id, format] = parts;
  const answer = service.CODE_RE.test(id) ? await cachedAnswer(c, format, () => store.open311List(c.get('deps').db, { codes: [id], limit: 1 })) : null;
  if (!answer?.count) return sendErrors(c, format, 404, [{ code: 404, description: `service_request_id: không có phản ánh mã “${id.slice(0, 40)}”` }]);
  return sendAnswer(c, format, answer);
}

async function getToken(c: Ctx) {
  const parts = splitFormat(c.req.param('file') ?? '');
  if (!parts) return sendErrors(c, 'json', 404, [{ code: 404, description: 'Đường dẫn cần kết thúc bằng .json hoặc .xml' }]);
  const [token, format] = parts;
  const row = /^[0-9a-f]{32}$/.test(token) ? await store.getFeedbackByToken(c.get('deps').db, token) : undefined;
  if (!row) return sendErrors(c, format, 404, [{ code: 404, description: 'token: không có phản ánh nào với token này' }]);
  const body = [{ service_request_id: row.code, token }];
  return send(c, format, 200, body, () => el('service_requests', [['request', el('request', body[0]!)]]));
}

function httpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && text.length <= 1000;
  } catch {
    return false;
  }
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

async function postRequest(c: Ctx, format: Format, limiter: RateLimiter) {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) {
    return sendErrors(c, format, 400, [{ code: 400, description: 'Gửi yêu cầu dạng application/x-www-form-urlencoded (hoặc multipart/form-data), theo GeoReport v2' }]);
  }
  const { db, config } = c.get('deps');
  const form = await readForm(c);
  const get = (k: string) => {
    const v = form[k] ?? c.req.query(k);
    return v === undefined ? undefined : cleanText(v).trim();
  };
  const keyProblems: Open311Error[] = [];
  const problems: Open311Error[] = [];

  const apiKey = get('api_key');
  const key = apiKey ? await store.findApiKey(db, service.hashApiKey(apiKey)) : undefined;
  if (!apiKey) keyProblems.push({ code: 403, description: 'api_key: thiếu khoá API (gửi kèm trường api_key)' });
  else if (!key) keyProblems.push({ code: 403, description: 'api_key: khoá API không đúng hoặc đã bị thu hồi' });
  if (key) {
    const wait = limiter.hit(key.id);
    if (wait) return sendErrors(c, format, 429, [{ code: 429, description: `Quá nhiều yêu cầu với khoá API này: đợi ${wait} phút rồi gửi lại` }]);
  }

  const serviceCode = get('service_code');
  if (!serviceCode) problems.push({ code: 400, description: 'service_code: thiếu loại phản ánh (xem services.json)' });

  const jid = get('jurisdiction_id');
  let communeCode: string | null = null;
  const j = jurisdiction(jid);
  if (j.error) problems.push(j.error);
  else if (j.code) {
    if (key && provinceOf(j.code) !== key.province_code) keyProblems.push({ code: 403, description: `api_key: khoá này không dùng được cho xã, phường ${j.code} (thuộc tỉnh khác)` });
    else communeCode = j.code;
  }
  if (serviceCode) {
    // Without a valid key the service is still checked (every problem is listed), across all communes.
    const candidates = j.code ? [j.code] : (await store.communesAcceptingFeedback(db)).filter((code) => !key || provinceOf(code) === key.province_code);
    const offering = await store.communesOffering(db, serviceCode, candidates);
    if (!offering.length) problems.push({ code: 404, description: `service_code: không có dịch vụ “${serviceCode.slice(0, 40)}”${j.code ? ` ở xã, phường ${j.code}` : ''} (xem services.json)` });
    else if (key && !jid) {
      if (offering.length === 1) communeCode = offering[0]!;
      else problems.push({ code: 400, description: `jurisdiction_id: cần mã xã, phường (5 chữ số) vì ${offering.length} xã, phường cùng nhận loại phản ánh này` });
    }
  }

  const latText = get('lat');
  const longText = get('long');
  const address = get('address_string') ?? '';
  const addressId = get('address_id') ?? '';
  let lat: number | null = null;
  let long: number | null = null;
  if (latText || longText) {
    const a = Number(latText);
    const b = Number(longText);
    if (!latText || !longText) problems.push({ code: 400, description: 'lat, long: cần gửi cả hai (vĩ độ và kinh độ WGS84)' });
    else if (!Number.isFinite(a) || a < -90 || a > 90) problems.push({ code: 400, description: 'lat: vĩ độ cần là số từ -90 đến 90' });
    else if (!Number.isFinite(b) || b < -180 || b > 180) problems.push({ code: 400, description: 'long: kinh độ cần là số từ -180 đến 180' });
    else [lat, long] = [a, b];
  } else if (!address && !addressId) {
    problems.push({ code: 400, description: 'Thiếu vị trí: gửi lat và long, hoặc address_string, hoặc address_id' });
  }
  if (charCount(address) > 500) problems.push({ code: 400, description: 'address_string: tối đa 500 ký tự' });
  if (addressId.length > 100) problems.push({ code: 400, description: 'address_id: tối đa 100 ký tự' });

  const description = get('description') ?? '';
  if (!description) problems.push({ code: 400, description: 'description: thiếu nội dung phản ánh' });
  else if (charCount(description) > MAX_DESCRIPTION) problems.push({ code: 400, description: `description: tối đa ${MAX_DESCRIPTION} ký tự (đang có ${charCount(description)})` });

  const media = get('media_url');
  let mediaUrl: string | null = null;
  if (media) {
    if (httpUrl(media)) mediaUrl = media;
    else problems.push({ code: 400, description: 'media_url: cần một địa chỉ http(s) hợp lệ, tối đa 1.000 ký tự' });
  }

  const phoneText = get('phone');
  const phone = phoneText ? normalizePhone(phoneText) : null;
  if (phone && !PHONE_RE.test(phone)) problems.push({ code: 400, description: 'phone: cần số di động Việt Nam 10 chữ số, ví dụ 0912345678' });
  const name = [get('first_name'), get('last_name')].filter(Boolean).join(' ').slice(0, 200) || null;

  const visibility = get('attribute[cong_khai]') ?? 'co';
  if (visibility !== 'co' && visibility !== 'khong') problems.push({ code: 400, description: 'attribute[cong_khai]: chỉ nhận co hoặc khong' });

  // Every problem is listed; the status is the gravest: a bad key (403), then something not found (404, as the spec says), else 400.
  if (keyProblems.length || problems.length) {
    const status = keyProblems.length ? 403 : problems.some((p) => p.code === 404) ? 404 : 400;
    return sendErrors(c, format, status, [...keyProblems, ...problems]);
  }

  const result = await service.submitFeedback(
    db,
    {
      communeCode: communeCode!,
      categoryCode: serviceCode!,
      description,
      locationText: address,
      lat,
      long,
      addressId: addressId || null,
      mediaUrl,
      isPublic: visibility === 'co',
      authorId: null,
      contactName: name,
      contactPhone: phone,
      channel: 'open311',
      apiKeyId: key!.id,
      idempotencyKey: null,
      photos: [],
    },
    { actorId: null, label: `Open311: ${key!.label}`, ip: clientIp(c) },
    { baseUrl: config.baseUrl, secret: config.secret },
  );
  if (!result.ok) return sendErrors(c, format, 400, Object.values(result.errors).map((d) => ({ code: 400, description: d })));
  const body = [{ service_request_id: result.code, token: result.token, service_notice: `Hạn xử lý: ${vnDay(result.dueDate)}`, account_id: null }];
  return send(c, format, 201, body, () => el('service_requests', [['request', el('request', body[0]!)]]));
}

// ---- registration ------------------------------------------------------------------

export function registerOpen311Routes(app: App): void {
  const postsByKey = new RateLimiter(600, 60 * 60_000);
  for (const format of ['json', 'xml'] as const) {
    route(app, 'GET', `${OPEN311_BASE}/discovery.${format}`, PUBLIC, (c) => discovery(c, format));
    route(app, 'GET', `${OPEN311_BASE}/services.${format}`, PUBLIC, (c) => services(c, format));
    route(app, 'GET', `${OPEN311_BASE}/requests.${format}`, PUBLIC, (c) => getRequests(c, format));
    // Public policy: the API key is the credential, checked in the handler.
    route(app, 'POST', `${OPEN311_BASE}/requests.${format}`, PUBLIC, (c) => postRequest(c, format, postsByKey));
  }
  route(app, 'GET', `${OPEN311_BASE}/services/:file`, PUBLIC, serviceDefinition);
  route(app, 'GET', `${OPEN311_BASE}/requests/:file`, PUBLIC, getRequest);
  route(app, 'GET', `${OPEN311_BASE}/tokens/:file`, PUBLIC, getToken);
  // Anything else under the endpoint answers in Open311's error format.
  const notFound = (c: Ctx) => sendErrors(c, c.req.path.endsWith('.xml') ? 'xml' : 'json', 404, [{ code: 404, description: 'Không có tài nguyên Open311 này (xem discovery.json)' }]);
  route(app, 'GET', `${OPEN311_BASE}/*`, PUBLIC, notFound);
  route(app, 'POST', `${OPEN311_BASE}/*`, PUBLIC, notFound);
}
