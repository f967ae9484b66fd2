import { sql, type Selectable } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import './feedback.tables.js';
import type { FeedbackCategoryTable, FeedbackEventKind, FeedbackStatus } from './feedback.tables.js';

export type Category = Selectable<FeedbackCategoryTable>;

/** A feedback row as the app reads it (`due_date` as `YYYY-MM-DD`). */
export interface FeedbackRow {
  commune_code: string;
  id: string;
  code: string;
  category_code: string;
  description: string;
  location_text: string;
  lat: number | null;
  long: number | null;
  address_id: string | null;
  media_url: string | null;
  is_public: boolean;
  author_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  channel: 'web' | 'open311';
  token: string | null;
  status: FeedbackStatus;
  responsible_unit: string | null;
  due_date: string;
  submitted_at: Date;
  triaged_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  reply_count: number;
  public_reply: string | null;
  public_reply_at: Date | null;
  reopen_count: number;
  reopen_reason: string | null;
  rating: number | null;
  rating_comment: string | null;
  version: number;
}

const dueText = sql<string>`to_char(feedback.due_date, 'YYYY-MM-DD')`.as('due_date');

const COLUMNS = [
  'feedback.commune_code',
  'feedback.id',
  'feedback.code',
  'feedback.category_code',
  'feedback.description',
  'feedback.location_text',
  'feedback.lat',
  'feedback.long',
  'feedback.address_id',
  'feedback.media_url',
  'feedback.is_public',
  'feedback.author_id',
  'feedback.contact_name',
  'feedback.contact_phone',
  'feedback.channel',
  'feedback.token',
  'feedback.status',
  'feedback.responsible_unit',
  'feedback.submitted_at',
  'feedback.triaged_at',
  'feedback.closed_at',
  'feedback.updated_at',
  'feedback.reply_count',
  'feedback.public_reply',
  'feedback.public_reply_at',
  'feedback.reopen_count',
  'feedback.reopen_reason',
  'feedback.rating',
  'feedback.rating_comment',
  'feedback.version',
] as const;

// ---- categories ---------------------------------------------------------------

export async function listCategories(db: DbOrTx, communeCode: string, opts: { activeOnly?: boolean } = {}): Promise<Category[]> {
  let q = db.selectFrom('feedback_category').selectAll().where('commune_code', '=', communeCode);
  if (opts.activeOnly !== false) q = q.where('active', '=', true);
  return q.orderBy('position').orderBy('code').execute();
}

export async function getCategory(db: DbOrTx, communeCode: string, code: string): Promise<Category | undefined> {
  return db.selectFrom('feedback_category').selectAll().where('commune_code', '=', communeCode).where('code', '=', code).executeTakeFirst();
}

export async function upsertCategory(db: DbOrTx, c: { communeCode: string; code: string; name: string; deadlineDays: number; position?: number; active?: boolean }): Promise<void> {
  const values = { commune_code: c.communeCode, code: c.code, name: c.name, deadline_days: c.deadlineDays, position: c.position ?? 0, active: c.active ?? true };
  await db
    .insertInto('feedback_category')
    .values(values)
    .onConflict((oc) => oc.columns(['commune_code', 'code']).doUpdateSet({ name: values.name, deadline_days: values.deadline_days, position: values.position, active: values.active }))
    .execute();
}

/** Communes that take feedback (have an active category). */
export async function communesAcceptingFeedback(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('feedback_category').select('commune_code').distinct().where('active', '=', true).orderBy('commune_code').execute();
  return rows.map((r) => r.commune_code);
}

/** Every active service across communes (Open311 without a jurisdiction): one row per code. */
export async function distinctServices(db: DbOrTx, communeCodes?: string[]): Promise<{ code: string; name: string; deadline_days: number }[]> {
  let q = db
    .selectFrom('feedback_category')
    .select(['code', sql<string>`min(name)`.as('name'), sql<number>`min(deadline_days)::int`.as('deadline_days'), sql<number>`min(position)::int`.as('position')])
    .where('active', '=', true)
    .groupBy('code');
  if (communeCodes) q = q.where('commune_code', 'in', communeCodes.length ? communeCodes : ['']);
  const rows = await q.orderBy('position').orderBy('code').execute();
  return rows.map(({ code, name, deadline_days }) => ({ code, name, deadline_days }));
}

/** Communes (of the given ones) that offer a service code. */
export async function communesOffering(db: DbOrTx, serviceCode: string, communeCodes: string[]): Promise<string[]> {
  if (!communeCodes.length) return [];
  const rows = await db
    .selectFrom('feedback_category')
    .select('commune_code')
    .where('code', '=', serviceCode)
    .where('active', '=', true)
    .where('commune_code', 'in', communeCodes)
    .execute();
  return rows.map((r) => r.commune_code);
}

// ---- API keys -------------------------------------------------------------------

export async function findApiKey(db: DbOrTx, keyHash: string): Promise<{ id: string; province_code: string; label: string } | undefined> {
  return db.selectFrom('open311_api_key').select(['id', 'province_code', 'label']).where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function insertApiKey(db: DbOrTx, k: { provinceCode: string; label: string; keyHash: string }): Promise<void> {
  await db
    .insertInto('open311_api_key')
    .values({ province_code: k.provinceCode, label: k.label, key_hash: k.keyHash, revoked_at: null })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
}

// ---- feedback rows ----------------------------------------------------------------

/** The next number of a commune's year: one row per (commune, year), incremented in the caller's transaction. */
export async function nextSequence(db: DbOrTx, communeCode: string, year: number): Promise<number> {
  const r = await sql<{ last: number }>`
    insert into feedback_sequence (commune_code, year, last) values (${communeCode}, ${year}, 1)
    on conflict (commune_code, year) do update set last = feedback_sequence.last + 1
    returning last`.execute(db);
  return Number(r.rows[0]!.last);
}

export interface NewFeedback {
  communeCode: string;
  code: string;
  categoryCode: string;
  description: string;
  locationText: string;
  lat: number | null;
  long: number | null;
  addressId: string | null;
  mediaUrl: string | null;
  isPublic: boolean;
  authorId: string | null;
  contactName: string | null;
  contactPhone: string | null;
  channel: 'web' | 'open311';
  apiKeyId: string | null;
  token: string | null;
  idempotencyKey: string | null;
  dueDate: string;
  searchText: string;
  submittedAt?: Date;
}

export async function insertFeedback(db: DbOrTx, f: NewFeedback): Promise<string> {
  const row = await db
    .insertInto('feedback')
    .values({
      commune_code: f.communeCode,
      code: f.code,
      category_code: f.categoryCode,
      description: f.description,
      location_text: f.locationText,
      lat: f.lat,
      long: f.long,
      address_id: f.addressId,
      media_url: f.mediaUrl,
      is_public: f.isPublic,
      author_id: f.authorId,
      contact_name: f.contactName,
      contact_phone: f.contactPhone,
      channel: f.channel,
      api_key_id: f.apiKeyId,
      token: f.token,
      idempotency_key: f.idempotencyKey,
      due_date: f.dueDate,
      search_text: f.searchText,
      responsible_unit: null,
      triaged_at: null,
      closed_at: null,
      public_reply: null,
      public_reply_at: null,
      reopen_reason: null,
      rating: null,
      rating_comment: null,
      rated_at: null,
      ...(f.submittedAt ? { submitted_at: f.submittedAt, updated_at: f.submittedAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findByIdempotencyKey(db: DbOrTx, communeCode: string, key: string): Promise<{ id: string; code: string } | undefined> {
  return db.selectFrom('feedback').select(['id', 'code']).where('commune_code', '=', communeCode).where('idempotency_key', '=', key).executeTakeFirst();
}

export async function getFeedbackByCode(db: DbOrTx, code: string): Promise<FeedbackRow | undefined> {
  return (await db.selectFrom('feedback').select([...COLUMNS, dueText]).where('code', '=', code).executeTakeFirst()) as FeedbackRow | undefined;
}

export async function getFeedbackByToken(db: DbOrTx, token: string): Promise<{ code: string } | undefined> {
  return db.selectFrom('feedback').select('code').where('token', '=', token).executeTakeFirst();
}

export type FeedbackPatch = Partial<{
  category_code: string;
  responsible_unit: string | null;
  due_date: string;
  status: FeedbackStatus;
  triaged_at: Date | null;
  closed_at: Date | null;
  reply_count: number;
  public_reply: string | null;
  public_reply_at: Date | null;
  reopen_count: number;
  reopen_reason: string | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: Date | null;
  search_text: string;
}>;

/** Applies a change only if the row is still at `version` (optimistic concurrency); returns the new version or null. */
export async function updateFeedback(db: DbOrTx, communeCode: string, id: string, version: number, patch: FeedbackPatch): Promise<number | null> {
  const row = await db
    .updateTable('feedback')
    .set({ ...patch, version: sql<number>`version + 1`, updated_at: new Date() })
    .where('commune_code', '=', communeCode)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row ? row.version : null;
}

export async function insertEvent(
  db: DbOrTx,
  e: { communeCode: string; feedbackId: string; seq: number; actorId: string | null; kind: FeedbackEventKind; body?: string; isPublic?: boolean; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('feedback_event')
    .values({ commune_code: e.communeCode, feedback_id: e.feedbackId, seq: e.seq, actor_id: e.actorId, kind: e.kind, body: e.body ?? '', is_public: e.isPublic ?? false, detail: JSON.stringify(e.detail ?? {}) })
    .execute();
}

export async function listEvents(db: DbOrTx, communeCode: string, feedbackId: string) {
  return db
    .selectFrom('feedback_event')
    .select(['seq', 'at', 'actor_id', 'kind', 'body', 'is_public', 'detail'])
    .where('commune_code', '=', communeCode)
    .where('feedback_id', '=', feedbackId)
    .orderBy('seq')
    .execute();
}

export async function insertPhotos(db: DbOrTx, communeCode: string, feedbackId: string, photos: { sha256: string; bytes: number; width: number; height: number }[]): Promise<void> {
  if (!photos.length) return;
  await db
    .insertInto('feedback_photo')
    .values(photos.map((p, i) => ({ commune_code: communeCode, feedback_id: feedbackId, seq: i + 1, sha256: p.sha256, bytes: p.bytes, width: p.width, height: p.height })))
    .execute();
}

export async function listPhotos(db: DbOrTx, communeCode: string, feedbackId: string) {
  return db.selectFrom('feedback_photo').select(['seq', 'sha256', 'width', 'height']).where('commune_code', '=', communeCode).where('feedback_id', '=', feedbackId).orderBy('seq').execute();
}

export async function authorName(db: DbOrTx, userId: string): Promise<{ full_name: string; phone: string | null; home_commune_code: string | null } | undefined> {
  return db.selectFrom('app_user').select(['full_name', 'phone', 'home_commune_code']).where('id', '=', userId).executeTakeFirst();
}

// ---- officials' queue ----------------------------------------------------------------

export interface QueueCounts {
  new: number;
  inProgress: number;
  overdue: number;
  atRisk: number;
}

/** Counts of open items; only open rows are read (the queue index's leading columns). */
export async function queueCounts(db: DbOrTx, communeCode: string, today: string, atRiskUntil: string): Promise<QueueCounts> {
  const r = await db
    .selectFrom('feedback')
    .select([
      sql<number>`count(*) filter (where status = 'new')::int`.as('new'),
      sql<number>`count(*) filter (where status = 'in_progress')::int`.as('in_progress'),
      sql<number>`count(*) filter (where due_date < ${today}::date)::int`.as('overdue'),
      sql<number>`count(*) filter (where due_date >= ${today}::date and due_date <= ${atRiskUntil}::date)::int`.as('at_risk'),
    ])
    .where('commune_code', '=', communeCode)
    .where('status', 'in', ['new', 'in_progress'])
    .executeTakeFirstOrThrow();
  return { new: r.new, inProgress: r.in_progress, overdue: r.overdue, atRisk: r.at_risk };
}

export type QueueFilter = 'open' | 'new' | 'in_progress' | 'overdue' | 'at_risk' | 'closed';

export interface QueueItem {
  code: string;
  category_code: string;
  category_name: string;
  status: FeedbackStatus;
  due_date: string;
  submitted_at: Date;
  closed_at: Date | null;
  location_text: string;
  description: string;
  reopen_count: number;
}

export async function queueList(db: DbOrTx, communeCode: string, filter: QueueFilter, today: string, atRiskUntil: string, page: number, perPage: number): Promise<{ items: QueueItem[]; more: boolean }> {
  let q = db
    .selectFrom('feedback')
    .innerJoin('feedback_category as c', (j) => j.onRef('c.commune_code', '=', 'feedback.commune_code').onRef('c.code', '=', 'feedback.category_code'))
    .select([
      'feedback.code',
      'feedback.category_code',
      'c.name as category_name',
      'feedback.status',
      dueText,
      'feedback.submitted_at',
      'feedback.closed_at',
      'feedback.location_text',
      sql<string>`left(feedback.description, 160)`.as('description'),
      'feedback.reopen_count',
    ])
    .where('feedback.commune_code', '=', communeCode);
  if (filter === 'closed') {
    q = q.where('feedback.status', '=', 'closed').orderBy('feedback.closed_at', 'desc');
  } else {
    if (filter === 'new' || filter === 'in_progress') q = q.where('feedback.status', '=', filter);
    else q = q.where('feedback.status', 'in', ['new', 'in_progress']);
    if (filter === 'overdue') q = q.where(sql<boolean>`feedback.due_date < ${today}::date`);
    if (filter === 'at_risk') q = q.where(sql<boolean>`feedback.due_date >= ${today}::date and feedback.due_date <= ${atRiskUntil}::date`);
    q = q.orderBy('feedback.due_date').orderBy('feedback.submitted_at');
  }
  const rows = (await q.limit(perPage + 1).offset((page - 1) * perPage).execute()) as QueueItem[];
  return { items: rows.slice(0, perPage), more: rows.length > perPage };
}

// ---- public list --------------------------------------------------------------------

export interface PublishedItem {
  code: string;
  category_name: string;
  description: string;
  location_text: string;
  public_reply: string;
  submitted_at: Date;
  closed_at: Date;
}

/** Answered public items (the partial index's predicate, word by word on the folded text). */
export async function publishedList(db: DbOrTx, communeCode: string, words: string[], page: number, perPage: number): Promise<{ items: PublishedItem[]; more: boolean }> {
  let q = db
    .selectFrom('feedback')
    .innerJoin('feedback_category as c', (j) => j.onRef('c.commune_code', '=', 'feedback.commune_code').onRef('c.code', '=', 'feedback.category_code'))
    .select(['feedback.code', 'c.name as category_name', 'feedback.description', 'feedback.location_text', 'feedback.public_reply', 'feedback.submitted_at', 'feedback.closed_at'])
    .where('feedback.commune_code', '=', communeCode)
    .where('feedback.is_public', '=', true)
    .where('feedback.status', '=', 'closed')
    .where('feedback.public_reply', 'is not', null);
  for (const w of words) q = q.where('feedback.search_text', 'like', `%${w}%`);
  const rows = (await q
    .orderBy('feedback.closed_at', 'desc')
    .orderBy('feedback.code', 'desc')
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
    .execute()) as PublishedItem[];
  return { items: rows.slice(0, perPage), more: rows.length > perPage };
}

// ---- Open311 --------------------------------------------------------------------------

export interface Open311Filter {
  codes?: string[];
  serviceCodes?: string[];
  communeCode?: string;
  start?: Date;
  end?: Date;
  statuses?: ('open' | 'closed')[];
  limit: number;
}

/** What Open311 shows of an item (public fields, and what decides which of them to show). */
export interface Open311Row {
  commune_code: string;
  code: string;
  category_code: string;
  category_name: string;
  deadline_days: number;
  description: string;
  location_text: string;
  lat: number | null;
  long: number | null;
  address_id: string | null;
  media_url: string | null;
  is_public: boolean;
  status: FeedbackStatus;
  responsible_unit: string | null;
  due_date: string;
  submitted_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  public_reply: string | null;
  reopen_count: number;
}

type Open311Json = Omit<Open311Row, 'submitted_at' | 'updated_at' | 'closed_at'> & { submitted_at: string; updated_at: string; closed_at: string | null };

/**
 * Up to 1,000 rows per answer: aggregated to one JSON value in the database,
 * because the embedded engine's per-row decoding costs more than the query itself.
 */
export async function open311List(db: DbOrTx, f: Open311Filter): Promise<Open311Row[]> {
  let q = db
    .selectFrom('feedback as f')
    .innerJoin('feedback_category as c', (j) => j.onRef('c.commune_code', '=', 'f.commune_code').onRef('c.code', '=', 'f.category_code'))
    .select([
      'f.commune_code',
      'f.code',
      'f.category_code',
      'c.name as category_name',
      'c.deadline_days',
      'f.description',
      'f.location_text',
      'f.lat',
      'f.long',
      'f.address_id',
      'f.media_url',
      'f.is_public',
      'f.status',
      'f.responsible_unit',
      sql<string>`to_char(f.due_date, 'YYYY-MM-DD')`.as('due_date'),
      'f.submitted_at',
      'f.updated_at',
      'f.closed_at',
      'f.public_reply',
      'f.reopen_count',
    ]);
  if (f.codes) q = q.where('f.code', 'in', f.codes.length ? f.codes : ['']);
  if (f.communeCode) q = q.where('f.commune_code', '=', f.communeCode);
  if (f.serviceCodes?.length) q = q.where('f.category_code', 'in', f.serviceCodes);
  if (f.start) q = q.where('f.submitted_at', '>=', f.start);
  if (f.end) q = q.where('f.submitted_at', '<=', f.end);
  if (f.statuses?.length === 1) q = f.statuses[0] === 'closed' ? q.where('f.status', '=', 'closed') : q.where('f.status', 'in', ['new', 'in_progress']);
  const inner = q.orderBy('f.submitted_at', 'desc').orderBy('f.code', 'desc').limit(f.limit);
  const r = await db
    .selectFrom(inner.as('x'))
    .select(sql<string>`coalesce(json_agg(x order by x.submitted_at desc, x.code desc), '[]')::text`.as('j'))
    .executeTakeFirstOrThrow();
  return (JSON.parse(r.j) as Open311Json[]).map((x) => ({
    ...x,
    submitted_at: new Date(x.submitted_at),
    updated_at: new Date(x.updated_at),
    closed_at: x.closed_at ? new Date(x.closed_at) : null,
  }));
}

// ---- figures ----------------------------------------------------------------------------

const VN_MONTH = (col: string) => sql<string>`to_char(${sql.ref(col)} at time zone 'UTC' + interval '7 hours', 'YYYY-MM')`;

export async function receivedCounts(db: DbOrTx, communeCode: string, from: Date, to: Date) {
  return db
    .selectFrom('feedback')
    .select(['category_code', VN_MONTH('submitted_at').as('month'), sql<number>`count(*)::int`.as('n')])
    .where('commune_code', '=', communeCode)
    .where('submitted_at', '>=', from)
    .where('submitted_at', '<', to)
    .groupBy(['category_code', 'month'])
    .execute();
}

export async function handledCounts(db: DbOrTx, communeCode: string, from: Date, to: Date) {
  return db
    .selectFrom('feedback')
    .select([
      'category_code',
      VN_MONTH('closed_at').as('month'),
      sql<number>`count(*)::int`.as('handled'),
      // On time: closed on or before the due date, in Việt Nam's calendar.
      sql<number>`count(*) filter (where (closed_at at time zone 'UTC' + interval '7 hours')::date <= due_date)::int`.as('on_time'),
      sql<number>`count(rating)::int`.as('ratings'),
      sql<number>`coalesce(sum(rating), 0)::int`.as('rating_sum'),
    ])
    .where('commune_code', '=', communeCode)
    .where('status', '=', 'closed')
    .where('closed_at', '>=', from)
    .where('closed_at', '<', to)
    .groupBy(['category_code', 'month'])
    .execute();
}
