import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { seedFeedbackDemo } from './feedback.seed.js';
import * as store from './feedback.store.js';
import { feedbackStats } from './feedback.stats.js';
import { makeFeedback } from './test-helpers.js';
import { searchWords } from './text.js';

describe.each(testEngines())('feedback store on %s', (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedFeedbackDemo(h.db, '80', 'test-only-open311-key');
    await seedFeedbackDemo(h.db, '80'); // twice: idempotent; no key unless one is named
  });
  afterAll(() => h.close());

  it('seeds the default categories in every commune of the province, once, and the API key named', async () => {
    const communes = await store.communesAcceptingFeedback(h.db);
    const province = await h.db.selectFrom('commune').select('code').where('province_code', '=', '80').execute();
    expect(communes).toEqual(province.map((c) => c.code).sort());
    const cats = await store.listCategories(h.db, '25459');
    expect(cats.map((c) => c.name)).toEqual(['Đường sá, chiếu sáng', 'Môi trường, rác thải', 'An ninh trật tự', 'Thủ tục hành chính', 'Khác']);
    expect(cats.every((c) => c.deadline_days > 0)).toBe(true);
    const keys = await h.db.selectFrom('open311_api_key').selectAll().execute();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.key_hash).not.toContain('demo');
  });

  it('numbers items per commune and year, without gaps or repeats', async () => {
    const a1 = await store.nextSequence(h.db, '25480', 2031);
    const a2 = await store.nextSequence(h.db, '25480', 2031);
    const b1 = await store.nextSequence(h.db, '25486', 2031);
    const a3 = await store.nextSequence(h.db, '25480', 2032);
    expect([a1, a2, b1, a3]).toEqual([1, 2, 1, 1]);
    const many = await Promise.all(Array.from({ length: 10 }, () => h.db.transaction().execute((tx) => store.nextSequence(tx, '25486', 2033))));
    expect(many.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('round-trips an item: due date as YYYY-MM-DD, times as instants, tenant first', async () => {
    const at = new Date('2026-03-02T03:04:05Z');
    const { code, id } = await makeFeedback(h.db, { submittedAt: at, dueDate: '2026-03-16', lat: 11.3, long: 106.1, contactPhone: '0912000001' });
    const row = await store.getFeedbackByCode(h.db, code);
    expect(row).toMatchObject({ id, commune_code: '25459', due_date: '2026-03-16', lat: 11.3, long: 106.1, status: 'new', version: 1, contact_phone: '0912000001' });
    expect(row!.submitted_at.toISOString()).toBe(at.toISOString());
  });

  it('refuses a second item with the same idempotency key in a commune', async () => {
    await makeFeedback(h.db, { idempotencyKey: 'key-0123456789' });
    await expect(makeFeedback(h.db, { idempotencyKey: 'key-0123456789' })).rejects.toMatchObject({ code: '23505' });
    expect(await store.findByIdempotencyKey(h.db, '25459', 'key-0123456789')).toBeDefined();
    // Another commune may use the same key (keys are per commune).
    await makeFeedback(h.db, { idempotencyKey: 'key-0123456789', communeCode: '25480' });
  });

  it('changes a row only at the version it was read (optimistic concurrency)', async () => {
    const { id } = await makeFeedback(h.db);
    expect(await store.updateFeedback(h.db, '25459', id, 1, { responsible_unit: 'Tổ 1' })).toBe(2);
    expect(await store.updateFeedback(h.db, '25459', id, 1, { responsible_unit: 'Tổ 2' })).toBeNull();
    expect(await store.updateFeedback(h.db, '25480', id, 2, { responsible_unit: 'Tổ 3' })).toBeNull(); // another tenant's key
    const row = await h.db.selectFrom('feedback').select(['responsible_unit', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ responsible_unit: 'Tổ 1', version: 2 });
  });

  it('rejects what the schema forbids: 4,001 characters, an unknown category, a bad phone', async () => {
    await expect(makeFeedback(h.db, { description: 'x'.repeat(4001) })).rejects.toThrow();
    await expect(makeFeedback(h.db, { description: '😀'.repeat(4000) })).resolves.toBeDefined(); // characters, not UTF-16 units
    await expect(makeFeedback(h.db, { categoryCode: 'khong-co' })).rejects.toThrow();
    await expect(makeFeedback(h.db, { contactPhone: '12345' })).rejects.toThrow();
  });

  it('counts the queue: new, in progress, overdue, at risk (open items only)', async () => {
    const c = '25486';
    await makeFeedback(h.db, { communeCode: c, dueDate: '2026-05-01' }); // overdue, new
    await makeFeedback(h.db, { communeCode: c, dueDate: '2026-05-04', status: 'in_progress' }); // due today: at risk
    await makeFeedback(h.db, { communeCode: c, dueDate: '2026-05-05', status: 'in_progress' }); // at risk
    await makeFeedback(h.db, { communeCode: c, dueDate: '2026-05-06' }); // fine
    await makeFeedback(h.db, { communeCode: c, dueDate: '2026-04-01', status: 'closed' }); // closed: never overdue
    const counts = await store.queueCounts(h.db, c, '2026-05-04', '2026-05-05');
    expect(counts).toEqual({ new: 2, inProgress: 2, overdue: 1, atRisk: 2 });
    const overdue = await store.queueList(h.db, c, 'overdue', '2026-05-04', '2026-05-05', 1, 10);
    expect(overdue.items.map((i) => i.due_date)).toEqual(['2026-05-01']);
    const open = await store.queueList(h.db, c, 'open', '2026-05-04', '2026-05-05', 1, 3);
    expect(open.items.map((i) => i.due_date)).toEqual(['2026-05-01', '2026-05-04', '2026-05-05']);
    expect(open.more).toBe(true);
    const closed = await store.queueList(h.db, c, 'closed', '2026-05-04', '2026-05-05', 1, 10);
    expect(closed.items).toHaveLength(1);
  });

  it('publishes only answered, public, closed items; searches without diacritics', async () => {
    const c = '25489';
    await makeFeedback(h.db, { communeCode: c, description: 'Đèn đường ở tổ 3 bị hỏng', status: 'closed', publicReply: 'Đã thay bóng đèn' });
    await makeFeedback(h.db, { communeCode: c, description: 'Đèn chiếu sáng hẻm 12 tắt', status: 'closed', publicReply: 'Đã sửa', isPublic: false });
    await makeFeedback(h.db, { communeCode: c, description: 'Rác thải tồn đọng', status: 'closed', publicReply: null });
    await makeFeedback(h.db, { communeCode: c, description: 'Đèn đường khu phố 2', status: 'in_progress' });
    await makeFeedback(h.db, { communeCode: c, description: 'Ổ gà trên đường', status: 'closed', publicReply: 'Đã vá' });
    const all = await store.publishedList(h.db, c, [], 1, 10);
    expect(all.items.map((i) => i.description).sort()).toEqual(['Đèn đường ở tổ 3 bị hỏng', 'Ổ gà trên đường']);
    const den = await store.publishedList(h.db, c, searchWords('DEN duong'), 1, 10);
    expect(den.items.map((i) => i.description)).toEqual(['Đèn đường ở tổ 3 bị hỏng']);
    const reply = await store.publishedList(h.db, c, searchWords('vá'), 1, 10);
    expect(reply.items.map((i) => i.description)).toEqual(['Ổ gà trên đường']);
    const page2 = await store.publishedList(h.db, c, [], 2, 1);
    expect(page2.items).toHaveLength(1);
    expect(page2.more).toBe(false);
  });

  it('lists for Open311 by ids, dates, status, service and commune, newest first', async () => {
    const c = '25498';
    const old = await makeFeedback(h.db, { communeCode: c, submittedAt: new Date('2025-01-10T00:00:00Z') });
    const a = await makeFeedback(h.db, { communeCode: c, submittedAt: new Date('2025-03-01T00:00:00Z'), categoryCode: 'an-ninh-trat-tu' });
    const b = await makeFeedback(h.db, { communeCode: c, submittedAt: new Date('2025-03-05T00:00:00Z'), status: 'closed' });
    const range = { start: new Date('2025-02-01T00:00:00Z'), end: new Date('2025-04-01T00:00:00Z') };
    const list = await store.open311List(h.db, { communeCode: c, ...range, limit: 100 });
    expect(list.map((r) => r.code)).toEqual([b.code, a.code]);
    expect(list[0]!.category_name).toBe('Khác');
    expect((await store.open311List(h.db, { communeCode: c, ...range, statuses: ['open'], limit: 100 })).map((r) => r.code)).toEqual([a.code]);
    expect((await store.open311List(h.db, { communeCode: c, ...range, statuses: ['closed'], limit: 100 })).map((r) => r.code)).toEqual([b.code]);
    expect((await store.open311List(h.db, { communeCode: c, ...range, statuses: ['open', 'closed'], limit: 100 })).length).toBe(2);
    expect((await store.open311List(h.db, { communeCode: c, ...range, serviceCodes: ['an-ninh-trat-tu'], limit: 100 })).map((r) => r.code)).toEqual([a.code]);
    expect((await store.open311List(h.db, { codes: [old.code, 'PA-00000-2025-000001'], limit: 100 })).map((r) => r.code)).toEqual([old.code]);
    expect(await store.open311List(h.db, { communeCode: c, ...range, limit: 1 })).toHaveLength(1);
  });

  it('figures: received by month of arrival, handled and on time by month of closing, mean rating', async () => {
    const c = '25510';
    const t = (s: string) => new Date(s);
    // Received in January (local time: 31 Dec 23:30 UTC is 1 Jan in Việt Nam).
    await makeFeedback(h.db, { communeCode: c, submittedAt: t('2027-12-31T17:30:00Z'), categoryCode: 'khac' });
    // Received in January, closed in February on time (due 2028-02-10, closed 2028-02-09 local).
    await makeFeedback(h.db, { communeCode: c, submittedAt: t('2028-01-20T02:00:00Z'), dueDate: '2028-02-10', status: 'closed', closedAt: t('2028-02-09T09:00:00Z'), rating: 5, categoryCode: 'an-ninh-trat-tu' });
    // Closed late: due 2028-02-10, closed 2028-02-10 at 23:00 local = 16:00Z → still on the due day: on time.
    await makeFeedback(h.db, { communeCode: c, submittedAt: t('2028-01-21T02:00:00Z'), dueDate: '2028-02-10', status: 'closed', closedAt: t('2028-02-10T16:00:00Z'), rating: 2, categoryCode: 'an-ninh-trat-tu' });
    // 2028-02-11 00:30 local (17:30Z on the 10th): late.
    await makeFeedback(h.db, { communeCode: c, submittedAt: t('2028-01-22T02:00:00Z'), dueDate: '2028-02-10', status: 'closed', closedAt: t('2028-02-10T17:30:00Z'), categoryCode: 'khac' });
    // Last year's item: not counted.
    await makeFeedback(h.db, { communeCode: c, submittedAt: t('2027-06-01T00:00:00Z') });
    const s = await feedbackStats(h.db, c, 2028);
    expect(s.total).toEqual({ received: 4, handled: 3, handledOnTime: 2, onTimeRate: 0.6667, ratings: 2, averageSatisfaction: 3.5 });
    expect(s.byMonth).toHaveLength(12);
    expect(s.byMonth[0]).toMatchObject({ month: '2028-01', received: 4, handled: 0 });
    expect(s.byMonth[1]).toMatchObject({ month: '2028-02', received: 0, handled: 3, handledOnTime: 2 });
    const security = s.byCategory.find((x) => x.code === 'an-ninh-trat-tu')!;
    expect(security).toMatchObject({ name: 'An ninh trật tự', received: 2, handled: 2, handledOnTime: 2, averageSatisfaction: 3.5 });
    expect(s.byCategory.find((x) => x.code === 'khac')).toMatchObject({ received: 2, handled: 1, handledOnTime: 0, onTimeRate: 0, averageSatisfaction: null });
  });
});
