import { randomUUID } from 'node:crypto';
import { actorLabel, clientIp, type Actor, type Ctx } from '../platform/context.js';
import type { UploadRoute } from '../platform/body-limits.js';
import { renderError } from '../platform/errors.js';
import { readForm, validate } from '../platform/forms.js';
import { MessagePage, pageCtx, type FieldErrors } from '../platform/layout.js';
import { grantsAllow, PUBLIC, requires } from '../platform/permissions.js';
import { RateLimiter } from '../platform/ratelimit.js';
import { route, type App } from '../platform/routes.js';
import { findCommune, provinceOf, type Commune } from '../units/units.js';
import { CategoryStep, CommuneStep, DetailsStep, LandingPage, PublishedPage, renderPublishedItems, TrackingPage, type DetailsView, type TrackingView, type Viewer } from './feedback.pages.js';
import { closeSchema, rateSchema, reopenSchema, replySchema, submitSchema, triageSchema } from './feedback.schema.js';
import * as service from './feedback.service.js';
import { CODE_RE, type LinkOptions, type Outcome, type Who } from './feedback.service.js';
import { cachesOf } from './cache.js';
import { feedbackStats } from './feedback.stats.js';
import { filterFromSlug, ItemPage, QueuePage, StatsPage, type ItemView } from './feedback.staff.js';
import * as store from './feedback.store.js';
import type { FeedbackRow } from './feedback.store.js';
import { pageNumber } from './feedback.view.js';
import { checkPhotos, decodePhotos, readPhoto, storePhotos, type UploadedPart } from './photos.js';
import { searchWords, vnDate } from './text.js';

// ---- the upload body limit ---------------------------------------------------------

export const UPLOAD_PATH = '/phan-anh/gui';
/** Five photos of 10 MB plus the form's text, with room for multipart framing. */
export const MAX_UPLOAD_BODY_BYTES = 55 * 1024 * 1024;

/** The one request that carries photos: its own limit instead of the form limit (src/platform/body-limits.ts). */
export const feedbackUpload: UploadRoute = {
  matches: (path) => path === UPLOAD_PATH,
  maxBytes: MAX_UPLOAD_BODY_BYTES,
  onTooLarge: (c) =>
    renderError(c, 413, 'Ảnh gửi lên quá lớn: mỗi ảnh tối đa 10 MB, tối đa 5 ảnh (tổng cộng không quá 55 MB). Hãy quay lại, chọn ít ảnh hơn hoặc ảnh nhỏ hơn rồi gửi lại.'),
};

// ---- helpers ------------------------------------------------------------------------

const CODE = '{PA-[0-9A-Z-]+}';

function who(c: Ctx, fallback = 'khách'): Who {
  const actor = c.get('actor');
  return { actorId: actor?.id ?? null, label: actor ? actorLabel(actor) : fallback, ip: clientIp(c) };
}

function links(c: Ctx): LinkOptions {
  const { config } = c.get('deps');
  return { baseUrl: config.baseUrl, secret: config.secret };
}

function canHandle(actor: Actor | null, communeCode: string): boolean {
  return !!actor && grantsAllow(actor.grants, 'feedback.handle', communeCode, provinceOf);
}

function isAuthor(c: Ctx, f: FeedbackRow, key: string | undefined): boolean {
  const actor = c.get('actor');
  if (actor && f.author_id === actor.id) return true;
  return !f.author_id && service.authorKeyMatches(c.get('deps').config.secret, f.id, key);
}

function communeOf(code: string | undefined): Commune | null {
  return code && /^\d{5}$/.test(code) ? (findCommune(code)?.commune ?? null) : null;
}

function notFoundPage(c: Ctx, title = 'Không tìm thấy phản ánh', body = 'Không có phản ánh nào với mã này. Kiểm tra lại mã trong tin nhắn xác nhận.') {
  return c.html(
    <MessagePage ctx={pageCtx(c)} title={title} body={body}>
      <p>
        <a href="/phan-anh">Trang phản ánh, kiến nghị</a>
      </p>
    </MessagePage>,
    404,
  );
}

/** Splits form-level messages (`_form`) from field errors, for the error summary. */
function splitErrors(errors: FieldErrors): { fields: FieldErrors; messages: string[] } {
  const { _form, ...fields } = errors;
  return { fields, messages: _form ? [_form] : [] };
}

async function acceptingCommunes(c: Ctx): Promise<Commune[]> {
  const codes = await store.communesAcceptingFeedback(c.get('deps').db);
  return codes.map((code) => findCommune(code)?.commune).filter((x): x is Commune => !!x);
}

async function homeCommuneCode(c: Ctx): Promise<string | null> {
  const actor = c.get('actor');
  if (!actor) return null;
  return (await store.authorName(c.get('deps').db, actor.id))?.home_commune_code ?? null;
}

// ---- citizen: submit ---------------------------------------------------------------------

async function detailsView(c: Ctx, commune: Commune, category: store.Category, extra: Partial<DetailsView> = {}): Promise<DetailsView> {
  const actor = c.get('actor');
  return { commune, category, idem: randomUUID(), accountPhone: actor?.phone ?? null, signedIn: !!actor, ...extra };
}

async function submitStep(c: Ctx) {
  const ctx = pageCtx(c);
  const { db } = c.get('deps');
  const communes = await acceptingCommunes(c);
  const accepting = new Set(communes.map((x) => x.code));
  const asked = c.req.query('xa');
  const home = asked === undefined ? await homeCommuneCode(c) : null;
  // A signed-in citizen starts at their home commune, unless they asked to change it.
  const xa = asked ?? (home && accepting.has(home) && !c.req.query('doi') ? home : undefined);
  if (xa === undefined) return c.html(<CommuneStep ctx={ctx} communes={communes} value={home ?? undefined} />);
  const commune = accepting.has(xa) ? communeOf(xa) : null;
  if (!commune) return c.html(<CommuneStep ctx={ctx} communes={communes} errors={{ xa: 'Chọn xã, phường nơi xảy ra việc bạn phản ánh' }} />, 400);
  const categories = await store.listCategories(db, commune.code);
  const loai = c.req.query('loai');
  if (loai === undefined) return c.html(<CategoryStep ctx={ctx} commune={commune} categories={categories} />);
  const category = categories.find((x) => x.code === loai);
  if (!category) return c.html(<CategoryStep ctx={ctx} commune={commune} categories={categories} errors={{ loai: 'Chọn loại phản ánh phù hợp nhất; nếu không có, chọn “Khác”' }} />, 400);
  return c.html(<DetailsStep ctx={ctx} v={await detailsView(c, commune, category)} />);
}

async function uploadedParts(c: Ctx): Promise<UploadedPart[]> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('multipart/form-data')) return [];
  const form = await c.req.formData();
  const parts: UploadedPart[] = [];
  for (const v of form.getAll('anh')) {
    if (typeof v === 'string') continue;
    parts.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
  }
  return parts;
}

async function submitPost(c: Ctx, limiter: RateLimiter) {
  const ctx = pageCtx(c);
  const { db, config } = c.get('deps');
  const values = await readForm(c);
  const communes = await acceptingCommunes(c);
  const commune = communes.find((x) => x.code === values.xa) ?? null;
  if (!commune) return c.html(<CommuneStep ctx={ctx} communes={communes} errors={{ xa: 'Chọn xã, phường nơi xảy ra việc bạn phản ánh' }} />, 400);
  const categories = await store.listCategories(db, commune.code);
  const category = categories.find((x) => x.code === values.loai);
  if (!category) return c.html(<CategoryStep ctx={ctx} commune={commune} categories={categories} errors={{ loai: 'Chọn loại phản ánh phù hợp nhất; nếu không có, chọn “Khác”' }} />, 400);

  const form = validate(submitSchema, values);
  const idem = form.ok ? form.data.idem : null;
  // A retried submission (double tap, resend after a lost answer) goes to the first one.
  if (idem) {
    const prior = await store.findByIdempotencyKey(db, commune.code, idem);
    if (prior) return c.redirect(await afterSubmitUrl(c, prior.code), 303);
  }
  const actor = c.get('actor');
  const errors: FieldErrors = form.ok ? {} : { ...form.errors };
  const phone = form.ok ? form.data.dien_thoai : null;
  if (!actor && !errors.dien_thoai && !phone) errors.dien_thoai = 'Nhập số điện thoại để nhận tin nhắn báo tiến độ, ví dụ 0912345678';
  const parts = await uploadedParts(c);
  const photoProblem = (problems: string[]) => `Ảnh chưa gửi được: ${problems.join('; ')}. Chọn lại ảnh JPEG, PNG hoặc WebP, mỗi ảnh tối đa 10 MB, tối đa 5 ảnh`;
  const again = async (errs: FieldErrors, photosFine: boolean) => {
    const chosePhotos = parts.some((p) => p.bytes.byteLength > 0);
    const messages = chosePhotos && photosFine ? ['Ảnh bạn đã chọn chưa được gửi: sau khi sửa, hãy chọn lại ảnh'] : [];
    const v = await detailsView(c, commune, category, { values, errors: errs, messages, ...(values.idem ? { idem: values.idem.slice(0, 64) } : {}) });
    return c.html(<DetailsStep ctx={ctx} v={v} />, 400);
  };
  // Cheap checks first (fields, and photos' names, sizes, types and header sizes); not a pixel is decoded yet.
  const checked = await checkPhotos(parts);
  if (checked.problems.length) errors.anh = photoProblem(checked.problems);
  if (!form.ok || Object.keys(errors).length) return again(errors, !checked.problems.length);
  // Every attempt that reaches the expensive part counts, whatever its outcome
  // (the limit is generous: many citizens may share one address behind a carrier's NAT).
  const wait = limiter.hit(clientIp(c));
  if (wait) return renderError(c, 429, c.get('t')('error.ratelimited', { minutes: wait }));
  const photos = await decodePhotos(checked.files);
  if (!photos.ok) return again({ anh: photoProblem(photos.problems) }, false);
  await storePhotos(config.dataDir, photos.photos);
  const result = await service.submitFeedback(
    db,
    {
      communeCode: commune.code,
      categoryCode: category.code,
      description: form.data.mo_ta,
      locationText: form.data.dia_diem,
      isPublic: form.data.cong_khai === 'co',
      authorId: actor?.id ?? null,
      contactPhone: phone ?? actor?.phone ?? null,
      channel: 'web',
      idempotencyKey: idem,
      photos: photos.photos,
    },
    who(c, 'người dân (không đăng nhập)'),
    links(c),
  );
  if (!result.ok) {
    const v = await detailsView(c, commune, category, { values, errors: result.errors });
    return c.html(<DetailsStep ctx={ctx} v={v} />, 400);
  }
  return c.redirect(await afterSubmitUrl(c, result.code), 303);
}

async function afterSubmitUrl(c: Ctx, code: string): Promise<string> {
  const f = await store.getFeedbackByCode(c.get('deps').db, code);
  const key = f && !f.author_id ? `ma=${service.authorKey(c.get('deps').config.secret, f.id)}&` : '';
  return `/phan-anh/${code}?${key}moi=1`;
}

// ---- citizen: tracking, rating, reopening ---------------------------------------------

const CITIZEN_NOTICES: Record<string, string> = {
  'danh-gia': 'Cảm ơn bạn đã đánh giá câu trả lời.',
  'mo-lai': 'Đã mở lại phản ánh. Cán bộ sẽ xử lý tiếp; bạn sẽ nhận tin nhắn khi có kết quả.',
};

async function trackingView(c: Ctx, f: FeedbackRow, key: string | undefined, extra: Partial<TrackingView> = {}): Promise<TrackingView> {
  const { db } = c.get('deps');
  const author = isAuthor(c, f, key);
  const viewer: Viewer = author ? 'author' : canHandle(c.get('actor'), f.commune_code) ? 'official' : 'public';
  const showContent = f.is_public || viewer !== 'public';
  const [category, events, photos] = await Promise.all([
    store.getCategory(db, f.commune_code, f.category_code),
    store.listEvents(db, f.commune_code, f.id),
    showContent ? store.listPhotos(db, f.commune_code, f.id) : Promise.resolve([]),
  ]);
  let notice: string | undefined;
  if (c.req.query('moi')) notice = `Đã gửi phản ánh. Mã phản ánh của bạn là ${f.code}: hãy ghi lại để theo dõi.${f.contact_phone ? ' Bạn sẽ nhận tin nhắn khi có tiến triển.' : ''}`;
  else notice = CITIZEN_NOTICES[c.req.query('xong') ?? ''];
  return {
    f,
    commune: findCommune(f.commune_code)!.commune,
    categoryName: category?.name ?? f.category_code,
    viewer,
    authorKey: author && !f.author_id ? key : undefined,
    events,
    photos,
    notice,
    ...extra,
  };
}

async function tracking(c: Ctx) {
  const f = await store.getFeedbackByCode(c.get('deps').db, c.req.param('code') ?? '');
  if (!f) return notFoundPage(c);
  const v = await trackingView(c, f, c.req.query('ma'));
  // A private item shows a stranger nothing, not even that it exists: the same page as an unknown code.
  if (!f.is_public && v.viewer === 'public') return notFoundPage(c);
  return c.html(<TrackingPage ctx={pageCtx(c)} v={v} />);
}

async function photo(c: Ctx) {
  const { db, config } = c.get('deps');
  const f = await store.getFeedbackByCode(db, c.req.param('code') ?? '');
  if (!f || !(f.is_public || isAuthor(c, f, c.req.query('ma')) || canHandle(c.get('actor'), f.commune_code))) return notFoundPage(c, 'Không tìm thấy ảnh', 'Ảnh này không có, hoặc không được công khai.');
  const n = Number(c.req.param('n'));
  const p = (await store.listPhotos(db, f.commune_code, f.id)).find((x) => x.seq === n);
  const bytes = p ? await readPhoto(config.dataDir, p.sha256) : null;
  if (!bytes) return notFoundPage(c, 'Không tìm thấy ảnh', 'Ảnh này không có.');
  return c.body(new Uint8Array(bytes), 200, { 'content-type': 'image/jpeg', 'cache-control': f.is_public ? 'public, max-age=86400' : 'private, no-store' });
}

type CitizenAction = 'danh-gia' | 'mo-lai';

async function citizenAction(c: Ctx, action: CitizenAction) {
  const { db } = c.get('deps');
  const f = await store.getFeedbackByCode(db, c.req.param('code') ?? '');
  if (!f) return notFoundPage(c);
  const values = await readForm(c);
  if (!isAuthor(c, f, values.ma)) {
    return renderError(c, 403, 'Chỉ người gửi phản ánh mới đánh giá hoặc yêu cầu xử lý lại được. Nếu bạn là người gửi, hãy đăng nhập hoặc mở đường dẫn trong tin nhắn xác nhận.');
  }
  const actor = c.get('actor');
  const by = who(c, 'người gửi phản ánh (không đăng nhập)');
  let result: Outcome<{ version: number }>;
  if (action === 'danh-gia') {
    const form = validate(rateSchema, values);
    if (!form.ok) return rerenderTracking(c, f, values, form.errors, 400);
    result = await service.rate(db, f, { rating: form.data.diem, comment: form.data.nhan_xet, version: form.data.phien_ban }, by, links(c));
  } else {
    const form = validate(reopenSchema, values);
    if (!form.ok) return rerenderTracking(c, f, values, form.errors, 400);
    result = await service.reopen(db, f, { reason: form.data.ly_do, version: form.data.phien_ban }, by, links(c));
  }
  if (!result.ok) {
    const fresh = result.status === 409 ? ((await store.getFeedbackByCode(db, f.code)) ?? f) : f;
    return rerenderTracking(c, fresh, result.status === 409 ? {} : values, result.errors, result.status);
  }
  const key = !actor || f.author_id !== actor.id ? values.ma : undefined;
  return c.redirect(`/phan-anh/${f.code}?${key ? `ma=${encodeURIComponent(key)}&` : ''}xong=${action}`, 303);
}

async function rerenderTracking(c: Ctx, f: FeedbackRow, values: Record<string, string>, errors: FieldErrors, status: 400 | 409) {
  const { fields, messages } = splitErrors(errors);
  const v = await trackingView(c, f, values.ma, { values, errors: fields, messages, notice: undefined });
  return c.html(<TrackingPage ctx={pageCtx(c)} v={v} />, status);
}

// ---- public list ----------------------------------------------------------------------

const PUBLIC_PER_PAGE = 20;

async function published(c: Ctx) {
  const commune = communeOf(c.req.param('commune'));
  if (!commune) return notFoundPage(c, 'Không tìm thấy xã, phường', 'Mã xã, phường này không có trong danh mục đơn vị hành chính.');
  const q = (c.req.query('q') ?? '').slice(0, 200);
  const page = pageNumber(c.req.query('trang'));
  const words = searchWords(q);
  const { db } = c.get('deps');
  // Public data, the same for everyone: cached rendered until the next change (src/feedback/cache.ts).
  const list = await cachesOf(db).answers.get(
    `published ${commune.code} ${page} ${words.join(' ')}`,
    async () => {
      const { items, more } = await store.publishedList(db, commune.code, words, page, PUBLIC_PER_PAGE);
      return renderPublishedItems(items, more);
    },
    (l) => 2 * l.html.length,
  );
  return c.html(<PublishedPage ctx={pageCtx(c)} commune={commune} q={q} list={list} page={page} />);
}

// ---- officials -------------------------------------------------------------------------

const QUEUE_PER_PAGE = 25;

async function queue(c: Ctx) {
  const commune = communeOf(c.req.param('commune'));
  if (!commune) return renderError(c, 404);
  const { db, engine } = c.get('deps');
  const filter = filterFromSlug(c.req.query('loc'));
  const page = pageNumber(c.req.query('trang'));
  const { today, atRiskUntil } = await service.queueDays();
  const key = `${commune.code} ${today} ${atRiskUntil}`;
  const listNow = () => store.queueList(db, commune.code, filter, today, atRiskUntil, page, QUEUE_PER_PAGE);
  const [counts, list] = await Promise.all([
    // The same for every official of the commune: shared, dropped by any change made here (src/feedback/cache.ts).
    cachesOf(db).counts.get(key, () => store.queueCounts(db, commune.code, today, atRiskUntil)),
    // Live on PostgreSQL (other processes write too); exact from the cache on the embedded database.
    engine === 'pglite' ? cachesOf(db).queuePages.get(`${key} ${filter} ${page}`, listNow) : listNow(),
  ]);
  return c.html(<QueuePage ctx={pageCtx(c)} commune={commune} counts={counts} filter={filter} items={list.items} page={page} more={list.more} today={today} atRiskUntil={atRiskUntil} />);
}

/** The item named in the path, only if it belongs to the commune in the path. */
async function officialItem(c: Ctx): Promise<{ f: FeedbackRow; commune: Commune } | null> {
  const commune = communeOf(c.req.param('commune'));
  if (!commune) return null;
  const code = c.req.param('code') ?? '';
  const f = CODE_RE.test(code) ? await store.getFeedbackByCode(c.get('deps').db, code) : undefined;
  return f && f.commune_code === commune.code ? { f, commune } : null;
}

const STAFF_NOTICES: Record<string, string> = {
  'phan-loai': 'Đã lưu phân loại và đơn vị xử lý.',
  'tra-loi': 'Đã gửi câu trả lời.',
  dong: 'Đã đóng phản ánh. Người dân sẽ nhận tin nhắn mời đánh giá.',
};

async function renderItem(c: Ctx, f: FeedbackRow, commune: Commune, extra: Partial<ItemView> = {}, status: 200 | 400 | 409 = 200) {
  const { db } = c.get('deps');
  const [categories, events, photos, author, days] = await Promise.all([
    store.listCategories(db, f.commune_code, { activeOnly: false }),
    store.listEvents(db, f.commune_code, f.id),
    store.listPhotos(db, f.commune_code, f.id),
    f.author_id ? store.authorName(db, f.author_id) : Promise.resolve(undefined),
    service.queueDays(),
  ]);
  await service.auditOfficialView(db, f, who(c));
  const usable = categories.filter((x) => x.active || x.code === f.category_code);
  const v: ItemView = { f, commune, categories: usable, author: author ?? null, events, photos, ...days, notice: STAFF_NOTICES[c.req.query('xong') ?? ''], ...extra };
  return c.html(<ItemPage ctx={pageCtx(c)} v={v} />, status);
}

async function item(c: Ctx) {
  const found = await officialItem(c);
  if (!found) return renderError(c, 404);
  return renderItem(c, found.f, found.commune);
}

type StaffAction = 'phan-loai' | 'tra-loi' | 'dong';

async function staffAction(c: Ctx, action: StaffAction) {
  const found = await officialItem(c);
  if (!found) return renderError(c, 404);
  const { f, commune } = found;
  const { db } = c.get('deps');
  const values = await readForm(c);
  const by = who(c);
  let result: Outcome<{ version: number }>;
  if (action === 'phan-loai') {
    const form = validate(triageSchema, values);
    if (!form.ok) return renderItem(c, f, commune, { values, errors: form.errors }, 400);
    result = await service.triage(db, f, { categoryCode: form.data.loai, responsibleUnit: form.data.don_vi, version: form.data.phien_ban }, by, links(c));
  } else if (action === 'tra-loi') {
    const form = validate(replySchema, f.is_public ? values : { ...values, hien_thi: 'rieng' });
    if (!form.ok) return renderItem(c, f, commune, { values, errors: form.errors }, 400);
    result = await service.reply(db, f, { body: form.data.noi_dung, isPublic: form.data.hien_thi === 'cong_khai', version: form.data.phien_ban }, by, links(c));
  } else {
    const form = validate(closeSchema, values);
    if (!form.ok) return renderItem(c, f, commune, { values, errors: form.errors }, 400);
    result = await service.close(db, f, { version: form.data.phien_ban }, by, links(c));
  }
  if (!result.ok) {
    // A stale form shows the latest state; the official's text is kept to paste again.
    const fresh = result.status === 409 ? ((await store.getFeedbackByCode(db, f.code)) ?? f) : f;
    return renderItem(c, fresh, commune, { values, errors: result.errors, notice: undefined }, result.status);
  }
  return c.redirect(`/can-bo/xa/${commune.code}/phan-anh/${f.code}?xong=${action}`, 303);
}

async function statsPage(c: Ctx) {
  const commune = communeOf(c.req.param('commune'));
  if (!commune) return renderError(c, 404);
  const current = Number(vnDate().slice(0, 4));
  const asked = Number(c.req.query('nam'));
  const year = Number.isInteger(asked) && asked >= current - 10 && asked <= current ? asked : current;
  const stats = await feedbackStats(c.get('deps').db, commune.code, year);
  const years = Array.from({ length: 5 }, (_, i) => current - i);
  return c.html(<StatsPage ctx={pageCtx(c)} commune={commune} stats={stats} years={years.includes(year) ? years : [...years, year]} />);
}

// ---- registration ----------------------------------------------------------------------

export function registerFeedbackRoutes(app: App): void {
  const submitByIp = new RateLimiter(30, 10 * 60_000);
  const HANDLE = requires('feedback.handle', 'commune');
  const STATS = requires('feedback.stats', 'commune');

  route(app, 'GET', '/phan-anh', PUBLIC, async (c) => {
    const home = communeOf((await homeCommuneCode(c)) ?? undefined);
    return c.html(<LandingPage ctx={pageCtx(c)} homeCommune={home} />);
  });
  route(app, 'GET', '/phan-anh/tra-cuu', PUBLIC, async (c) => {
    const raw = (c.req.query('ma_so') ?? '').slice(0, 40);
    const code = raw.replace(/\s+/g, '').toUpperCase();
    const found = CODE_RE.test(code) ? await store.getFeedbackByCode(c.get('deps').db, code) : undefined;
    if (found) return c.redirect(`/phan-anh/${found.code}`, 303);
    const message = code ? `Không tìm thấy phản ánh mã “${raw}”: kiểm tra lại mã trong tin nhắn xác nhận, ví dụ PA-25459-2026-000123` : 'Nhập mã phản ánh, ví dụ PA-25459-2026-000123';
    return c.html(<LandingPage ctx={pageCtx(c)} homeCommune={null} errors={{ ma_so: message }} lookup={raw} />, code ? 404 : 400);
  });
  route(app, 'GET', UPLOAD_PATH, PUBLIC, submitStep);
  route(app, 'POST', UPLOAD_PATH, PUBLIC, (c) => submitPost(c, submitByIp));
  route(app, 'GET', `/phan-anh/:code${CODE}`, PUBLIC, tracking);
  route(app, 'GET', `/phan-anh/:code${CODE}/anh/:n{[1-5]}`, PUBLIC, photo);
  route(app, 'POST', `/phan-anh/:code${CODE}/danh-gia`, PUBLIC, (c) => citizenAction(c, 'danh-gia'));
  route(app, 'POST', `/phan-anh/:code${CODE}/mo-lai`, PUBLIC, (c) => citizenAction(c, 'mo-lai'));
  route(app, 'GET', '/xa/:commune/phan-anh', PUBLIC, published);

  route(app, 'GET', '/can-bo/xa/:commune/phan-anh', HANDLE, queue);
  // Registered before `:code`, which would also match it. The guarded routes take any `:code` (checked
  // in the handler) so that a wrong code is answered after the guard, never instead of it.
  route(app, 'GET', '/can-bo/xa/:commune/phan-anh/so-lieu', STATS, statsPage);
  route(app, 'GET', '/can-bo/xa/:commune/phan-anh/:code', HANDLE, item);
  route(app, 'POST', '/can-bo/xa/:commune/phan-anh/:code/phan-loai', HANDLE, (c) => staffAction(c, 'phan-loai'));
  route(app, 'POST', '/can-bo/xa/:commune/phan-anh/:code/tra-loi', HANDLE, (c) => staffAction(c, 'tra-loi'));
  route(app, 'POST', '/can-bo/xa/:commune/phan-anh/:code/dong', HANDLE, (c) => staffAction(c, 'dong'));
}
