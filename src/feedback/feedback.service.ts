/**
 * Feedback rules: each command validates its state, changes the row in one
 * transaction with an audit entry and a history event, and queues the
 * citizen's SMS in the same transaction. No HTTP here.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { addWorkingDays, loadDefaultCalendar, type HolidayCalendar } from '../calendar/index.js';
import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import { feedbackChanged } from './cache.js';
import type { FieldErrors } from '../platform/layout.js';
import { enqueue } from '../platform/outbox.js';
import * as store from './feedback.store.js';
import type { FeedbackRow } from './feedback.store.js';
import type { FeedbackEventKind, FeedbackStatus } from './feedback.tables.js';
import type { ProcessedPhoto } from './photos.js';
import { foldText, redactContacts, vnDate, vnDay } from './text.js';

export const STATUS_LABELS: Record<FeedbackStatus, string> = {
  new: 'Mới tiếp nhận',
  in_progress: 'Đang xử lý',
  closed: 'Đã trả lời, đã đóng',
};

/** Who acts: a signed-in user, an anonymous citizen, or an Open311 client (by its key). */
export interface Who {
  actorId: string | null;
  label: string;
  ip: string | null;
}

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; status: 400 | 409; errors: FieldErrors };

export const STALE =
  'Phản ánh này vừa được người khác cập nhật trong lúc bạn đang xem. Trang dưới đây là nội dung mới nhất: xem lại rồi làm lại thao tác nếu vẫn cần.';

function stale<T>(): Outcome<T> {
  return { ok: false, status: 409, errors: { _form: STALE } };
}

// ---- working days ---------------------------------------------------------------

let calendar: Promise<HolidayCalendar> | null = null;
/** The holiday tables, read once. */
export function workingCalendar(): Promise<HolidayCalendar> {
  calendar ??= loadDefaultCalendar();
  return calendar;
}

export async function dueFrom(date: string, deadlineDays: number): Promise<string> {
  return addWorkingDays(date, deadlineDays, await workingCalendar());
}

/** Today, and the last day that counts as "at risk" (due within one working day). */
export async function queueDays(now = new Date()): Promise<{ today: string; atRiskUntil: string }> {
  const today = vnDate(now);
  return { today, atRiskUntil: addWorkingDays(today, 1, await workingCalendar()) };
}

// ---- identifiers ------------------------------------------------------------------

/** Letters and digits no one confuses when reading a code aloud (no 0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Six random characters: about 8.9 × 10⁸ possibilities, so the next item's code cannot be guessed from one's own. */
export function randomCodeSuffix(): string {
  return Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** `PA-<commune>-<year>-<sequence>-<random>`: the sequence keeps the officials' order, the random part keeps strangers out. */
export function feedbackCode(communeCode: string, year: number, seq: number, suffix = randomCodeSuffix()): string {
  return `PA-${communeCode}-${year}-${String(seq).padStart(6, '0')}-${suffix}`;
}

/** Codes given before the random part was added stay valid. */
export const CODE_RE = /^PA-\d{5}-\d{4}-\d{6,}(?:-[2-9A-HJ-NP-Z]{6})?$/;

/**
 * The anonymous author's key: whoever holds it may rate or reopen the item.
 * Derived, not stored, so a retried submission can give the same link again.
 */
export function authorKey(secret: string, feedbackId: string): string {
  return createHmac('sha256', secret).update(`feedback-author:${feedbackId}`).digest('base64url').slice(0, 24);
}

export function authorKeyMatches(secret: string, feedbackId: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(authorKey(secret, feedbackId));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function searchTextOf(f: { description: string; location_text: string; public_reply: string | null }): string {
  return ` ${foldText(redactContacts([f.description, f.location_text, f.public_reply ?? ''].join(' ')))} `;
}

// ---- notifications -------------------------------------------------------------------

export interface LinkOptions {
  baseUrl: string;
  secret: string;
}

/** The tracking link; anonymous authors get their key in it (they have no account to sign in with). */
export function trackingUrl(opts: LinkOptions, f: { id: string; code: string; author_id: string | null }): string {
  const base = `${opts.baseUrl}/phan-anh/${f.code}`;
  return f.author_id ? base : `${base}?ma=${authorKey(opts.secret, f.id)}`;
}

/** SMS in plain ASCII (cheap phones, 160-character GSM segments). */
async function notify(tx: DbOrTx, f: { id: string; code: string; author_id: string | null; contact_phone: string | null }, version: number, text: string, opts: LinkOptions): Promise<void> {
  if (!f.contact_phone) return;
  await enqueue(tx, {
    channel: 'sms',
    recipient: f.contact_phone,
    body: `Xa So: ${text} Xem: ${trackingUrl(opts, f)}`,
    dedupeKey: `feedback:${f.id}:v${version}`,
  });
}

// ---- submit ----------------------------------------------------------------------------

export interface SubmitInput {
  communeCode: string;
  categoryCode: string;
  description: string;
  locationText: string;
  lat?: number | null;
  long?: number | null;
  addressId?: string | null;
  mediaUrl?: string | null;
  isPublic: boolean;
  authorId: string | null;
  contactName?: string | null;
  contactPhone: string | null;
  channel: 'web' | 'open311';
  apiKeyId?: string | null;
  idempotencyKey: string | null;
  photos: ProcessedPhoto[];
}

export type SubmitOutcome = Outcome<{ id: string; code: string; token: string | null; created: boolean; dueDate: string }>;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** Files a new item; the same idempotency key twice returns the first one. Photos must already be stored. */
export async function submitFeedback(db: Db, input: SubmitInput, who: Who, links: LinkOptions, now = new Date()): Promise<SubmitOutcome> {
  const replay = async (): Promise<SubmitOutcome | null> => {
    if (!input.idempotencyKey) return null;
    const prior = await store.findByIdempotencyKey(db, input.communeCode, input.idempotencyKey);
    if (!prior) return null;
    const row = await store.getFeedbackByCode(db, prior.code);
    return { ok: true, id: prior.id, code: prior.code, token: row?.token ?? null, created: false, dueDate: row?.due_date ?? '' };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const category = await store.getCategory(db, input.communeCode, input.categoryCode);
  if (!category || !category.active) return { ok: false, status: 400, errors: { loai: 'Loại phản ánh này không có ở xã đã chọn: chọn một loại trong danh sách' } };
  const today = vnDate(now);
  const dueDate = await dueFrom(today, category.deadline_days);
  const year = Number(today.slice(0, 4));
  const token = input.channel === 'open311' ? randomBytes(16).toString('hex') : null;
  try {
    const done = await db.transaction().execute(async (tx) => {
      const code = feedbackCode(input.communeCode, year, await store.nextSequence(tx, input.communeCode, year));
      const row = {
        communeCode: input.communeCode,
        code,
        categoryCode: category.code,
        description: input.description,
        locationText: input.locationText,
        lat: input.lat ?? null,
        long: input.long ?? null,
        addressId: input.addressId ?? null,
        mediaUrl: input.mediaUrl ?? null,
        isPublic: input.isPublic,
        authorId: input.authorId,
        contactName: input.contactName ?? null,
        contactPhone: input.contactPhone,
        channel: input.channel,
        apiKeyId: input.apiKeyId ?? null,
        token,
        idempotencyKey: input.idempotencyKey,
        dueDate,
        searchText: searchTextOf({ description: input.description, location_text: input.locationText, public_reply: null }),
        submittedAt: now,
      };
      const id = await store.insertFeedback(tx, row);
      await store.insertPhotos(tx, input.communeCode, id, input.photos);
      await store.insertEvent(tx, { communeCode: input.communeCode, feedbackId: id, seq: 1, actorId: who.actorId, kind: 'submitted', isPublic: true, detail: { channel: input.channel, photos: input.photos.length } });
      const pd = [input.authorId ? 'author_id' : '', input.contactPhone ? 'contact_phone' : '', input.contactName ? 'contact_name' : ''].filter(Boolean);
      await appendAudit(tx, {
        actorId: who.actorId,
        actorLabel: who.label,
        unitCode: input.communeCode,
        action: 'feedback.submit',
        subjectType: 'feedback',
        subjectId: code,
        pdChanged: pd,
        ip: who.ip,
        detail: { channel: input.channel, category: category.code, public: input.isPublic, photos: input.photos.map((p) => p.sha256) },
      });
      await notify(tx, { id, code, author_id: input.authorId, contact_phone: input.contactPhone }, 1, `da nhan phan anh ${code}. Han xu ly: ${vnDay(dueDate)}.`, links);
      return { ok: true as const, id, code, token, created: true, dueDate };
    });
    feedbackChanged(db);
    return done;
  } catch (err) {
    // Two taps at once with one key: the unique key lets one through; the other answers with it.
    if (isUniqueViolation(err)) {
      const again = await replay();
      if (again) return again;
    }
    throw err;
  }
}

// ---- handling ------------------------------------------------------------------------

interface Step {
  kind: FeedbackEventKind;
  action: string;
  patch: store.FeedbackPatch;
  body?: string;
  isPublic?: boolean;
  detail?: Record<string, unknown>;
  pdRead?: string[];
  sms?: string;
}

/** One change: version-checked update, history event, audit entry, SMS, all in one transaction. */
async function apply(db: Db, f: FeedbackRow, version: number, who: Who, step: Step, links: LinkOptions): Promise<Outcome<{ version: number }>> {
  if (version !== f.version) return stale();
  const outcome = await db.transaction().execute(async (tx) => {
    const next = await store.updateFeedback(tx, f.commune_code, f.id, version, step.patch);
    if (next === null) return stale<{ version: number }>();
    await store.insertEvent(tx, { communeCode: f.commune_code, feedbackId: f.id, seq: next, actorId: who.actorId, kind: step.kind, body: step.body ?? '', isPublic: step.isPublic ?? false, detail: step.detail ?? {} });
    await appendAudit(tx, {
      actorId: who.actorId,
      actorLabel: who.label,
      unitCode: f.commune_code,
      action: step.action,
      subjectType: 'feedback',
      subjectId: f.code,
      pdRead: step.pdRead ?? [],
      ip: who.ip,
      detail: { version: next, ...(step.detail ?? {}) },
    });
    if (step.sms) await notify(tx, f, next, step.sms, links);
    return { ok: true as const, version: next };
  });
  if (outcome.ok) feedbackChanged(db);
  return outcome;
}

export async function triage(db: Db, f: FeedbackRow, input: { categoryCode: string; responsibleUnit: string; version: number }, who: Who, links: LinkOptions): Promise<Outcome<{ version: number }>> {
  if (f.status === 'closed') return { ok: false, status: 400, errors: { _form: 'Phản ánh đã đóng: không phân loại lại được' } };
  const category = await store.getCategory(db, f.commune_code, input.categoryCode);
  if (!category || !category.active) return { ok: false, status: 400, errors: { loai: 'Chọn một loại phản ánh trong danh sách' } };
  let dueDate = f.due_date;
  if (category.code !== f.category_code) {
    // Another category, another deadline: counted from receipt, or from the reopening that restarted the clock.
    const reopened = f.reopen_count > 0 ? (await store.listEvents(db, f.commune_code, f.id)).filter((e) => e.kind === 'reopened').at(-1) : undefined;
    dueDate = await dueFrom(vnDate(reopened ? new Date(reopened.at) : f.submitted_at), category.deadline_days);
  }
  const starting = f.status === 'new';
  return apply(db, f, input.version, who, {
    kind: 'triaged',
    action: 'feedback.triage',
    patch: { category_code: category.code, responsible_unit: input.responsibleUnit, due_date: dueDate, status: 'in_progress', triaged_at: new Date() },
    detail: { category: category.code, responsibleUnit: input.responsibleUnit, dueDate },
    isPublic: true,
    sms: starting ? `phan anh ${f.code} dang duoc xu ly. Han: ${vnDay(dueDate)}.` : undefined,
  }, links);
}

export async function reply(db: Db, f: FeedbackRow, input: { body: string; isPublic: boolean; version: number }, who: Who, links: LinkOptions): Promise<Outcome<{ version: number }>> {
  if (f.status === 'closed') return { ok: false, status: 400, errors: { _form: 'Phản ánh đã đóng: không trả lời thêm được' } };
  const isPublic = input.isPublic && f.is_public;
  const patch: store.FeedbackPatch = { reply_count: f.reply_count + 1 };
  if (isPublic) {
    patch.public_reply = input.body;
    patch.public_reply_at = new Date();
    patch.search_text = searchTextOf({ description: f.description, location_text: f.location_text, public_reply: input.body });
  }
  return apply(db, f, input.version, who, {
    kind: 'reply',
    action: 'feedback.reply',
    patch,
    body: input.body,
    isPublic,
    detail: { public: isPublic },
    sms: `co tra loi moi cho phan anh ${f.code}.`,
  }, links);
}

export async function close(db: Db, f: FeedbackRow, input: { version: number }, who: Who, links: LinkOptions): Promise<Outcome<{ version: number }>> {
  if (f.status === 'closed') return { ok: false, status: 400, errors: { _form: 'Phản ánh này đã đóng rồi' } };
  if (f.reply_count === 0) return { ok: false, status: 400, errors: { tra_loi: 'Cần trả lời người dân trước khi đóng: viết câu trả lời ở mục “Trả lời”' } };
  return apply(db, f, input.version, who, {
    kind: 'closed',
    action: 'feedback.close',
    patch: { status: 'closed', closed_at: new Date() },
    isPublic: true,
    detail: { dueDate: f.due_date, onTime: vnDate() <= f.due_date },
    sms: `phan anh ${f.code} da duoc tra loi va dong. Moi ban danh gia cau tra loi.`,
  }, links);
}

export async function reopen(db: Db, f: FeedbackRow, input: { reason: string; version: number }, who: Who, links: LinkOptions): Promise<Outcome<{ version: number }>> {
  if (f.status !== 'closed') return { ok: false, status: 400, errors: { _form: 'Chỉ mở lại được phản ánh đã đóng' } };
  if (f.reopen_count >= 1) return { ok: false, status: 400, errors: { ly_do: 'Phản ánh này đã được mở lại một lần: không mở lại được nữa. Bạn có thể gửi phản ánh mới' } };
  const category = await store.getCategory(db, f.commune_code, f.category_code);
  const today = vnDate();
  const dueDate = await dueFrom(today, category?.deadline_days ?? 10);
  return apply(db, f, input.version, who, {
    kind: 'reopened',
    action: 'feedback.reopen',
    // The clock restarts; the earlier rating was for the answer the citizen rejected.
    patch: { status: 'in_progress', closed_at: null, reopen_count: f.reopen_count + 1, reopen_reason: input.reason, due_date: dueDate, rating: null, rating_comment: null, rated_at: null },
    body: input.reason,
    detail: { dueDate },
    sms: `da mo lai phan anh ${f.code} theo yeu cau cua ban. Han moi: ${vnDay(dueDate)}.`,
  }, links);
}

export async function rate(db: Db, f: FeedbackRow, input: { rating: number; comment: string; version: number }, who: Who, links: LinkOptions): Promise<Outcome<{ version: number }>> {
  if (f.status !== 'closed') return { ok: false, status: 400, errors: { diem: 'Chỉ đánh giá được sau khi phản ánh đã được trả lời và đóng' } };
  return apply(db, f, input.version, who, {
    kind: 'rated',
    action: 'feedback.rate',
    patch: { rating: input.rating, rating_comment: input.comment || null, rated_at: new Date() },
    body: input.comment,
    detail: { rating: input.rating },
  }, links);
}

/** An official opened the item: the contact details were shown (Law 91/2025: reads are logged). */
export async function auditOfficialView(db: Db, f: FeedbackRow, who: Who): Promise<void> {
  const pdRead = [f.author_id ? 'author' : '', f.contact_phone ? 'contact_phone' : '', f.contact_name ? 'contact_name' : ''].filter(Boolean);
  await db.transaction().execute((tx) =>
    appendAudit(tx, { actorId: who.actorId, actorLabel: who.label, unitCode: f.commune_code, action: 'feedback.view', subjectType: 'feedback', subjectId: f.code, pdRead, ip: who.ip }),
  );
}
