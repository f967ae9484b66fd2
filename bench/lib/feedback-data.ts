/**
 * The feedback benchmark's data: 100,000 items in the demo province, loaded in
 * one statement, and the plans of the queries the measured pages run.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.js';

/*
 * N items over the last 365 days across the demo province's communes (a tenth of
 * them in Phường Tân Ninh, 25459), in one INSERT … SELECT over generate_series.
 * The mix: 70 % public; 92 % closed (most with a public answer, a third rated),
 * 8 % new or in progress (many overdue).
 */
export const BUSY_COMMUNE = '25459';

/** Words the descriptions are made of (already folded for the search column). */
const PHRASES = [
  ['Đèn đường không sáng', 'den duong khong sang'],
  ['Ổ gà trên đường liên ấp', 'o ga tren duong lien ap'],
  ['Rác thải tồn đọng ở đầu hẻm', 'rac thai ton dong o dau hem'],
  ['Cống thoát nước bị tắc', 'cong thoat nuoc bi tac'],
  ['Tụ tập gây mất trật tự ban đêm', 'tu tap gay mat trat tu ban dem'],
  ['Hồ sơ chứng thực chậm trả kết quả', 'ho so chung thuc cham tra ket qua'],
  ['Cây xanh gãy đổ chắn lối đi', 'cay xanh gay do chan loi di'],
  ['Nước sinh hoạt có mùi lạ', 'nuoc sinh hoat co mui la'],
] as const;

const CATEGORIES = ['duong-sa-chieu-sang', 'moi-truong-rac-thai', 'an-ninh-trat-tu', 'thu-tuc-hanh-chinh', 'khac'];

export async function loadFeedback(db: Db, total: number, provinceCode = '80'): Promise<{ rows: number; busyCommuneRows: number; ms: number }> {
  const started = performance.now();
  const communes = (await db.selectFrom('feedback_category').select('commune_code').distinct().execute()).map((r) => r.commune_code).filter((c) => c !== BUSY_COMMUNE);
  const inProvince = (await db.selectFrom('commune').select('code').where('province_code', '=', provinceCode).execute()).map((r) => r.code);
  const others = communes.filter((c) => inProvince.includes(c));
  if (!others.length) throw new Error('no feedback categories: seed the demo first');
  const texts = PHRASES.map(([t]) => t);
  const folded = PHRASES.map(([, f]) => f);
  await sql`
    insert into feedback (commune_code, code, category_code, description, location_text, is_public, contact_phone, channel,
      status, due_date, submitted_at, triaged_at, closed_at, updated_at, reply_count, public_reply, public_reply_at,
      rating, rated_at, responsible_unit, search_text, version)
    select g.commune, 'PA-' || g.commune || '-' || to_char(g.at at time zone 'UTC' + interval '7 hours', 'YYYY') || '-' || lpad(g.i::text, 6, '0'),
      (${sql.val(CATEGORIES)}::text[])[1 + g.i % 5],
      (${sql.val(texts)}::text[])[1 + g.i % 8] || ' (số ' || g.i || ')',
      'Tổ ' || (1 + g.i % 12) || ', khu phố ' || (1 + g.i % 5),
      g.r % 10 < 7,
      '09' || lpad((g.i % 100000000)::text, 8, '0'),
      case when g.i % 20 = 0 then 'open311' else 'web' end,
      g.status,
      (g.at at time zone 'UTC' + interval '7 hours')::date + 14,
      g.at,
      g.at + interval '1 day',
      case when g.status = 'closed' then g.at + (g.i % 20 || ' days')::interval end,
      g.at + interval '2 days',
      case when g.status = 'closed' then 1 else 0 end,
      case when g.status = 'closed' and g.i % 10 <> 9 then 'Đã xử lý xong: ' || (${sql.val(texts)}::text[])[1 + g.i % 8] || ' đã được khắc phục.' end,
      case when g.status = 'closed' and g.i % 10 <> 9 then g.at + (g.i % 20 || ' days')::interval end,
      case when g.status = 'closed' and g.i % 3 = 0 then 1 + g.i % 5 end,
      case when g.status = 'closed' and g.i % 3 = 0 then g.at + interval '21 days' end,
      'Tổ dân phố ' || (1 + g.i % 12),
      ' ' || (${sql.val(folded)}::text[])[1 + g.i % 8] || ' so ' || g.i || ' to ' || (1 + g.i % 12) || ' khu pho ' || (1 + g.i % 5)
        || case when g.status = 'closed' and g.i % 10 <> 9 then ' da xu ly xong ' || (${sql.val(folded)}::text[])[1 + g.i % 8] || ' da duoc khac phuc' else '' end || ' ',
      3
    from (
      select i, r,
        -- One in ten in the busy commune, the rest spread over the province.
        case when i % 10 = 0 then ${BUSY_COMMUNE}::text else (${sql.val(others)}::text[])[1 + (i / 10) % ${sql.lit(others.length)}] end as commune,
        -- Spread over the last 365 days, newest last.
        now() - ((${sql.lit(total)} - i) * (365.0 * 86400 / ${sql.lit(total)}) || ' seconds')::interval as at,
        case when r < 40 then 'new' when r < 80 then 'in_progress' else 'closed' end as status
      from generate_series(1, ${sql.lit(total)}) as i,
        -- A scrambled 0–999 per item (Knuth's multiplicative hash), so every commune gets every status.
        lateral (select (i::bigint * 2654435761 % 1000)::int as r) h
    ) g`.execute(db);
  // Open items submitted long ago are overdue; the newest open ones are not.
  await sql`analyze feedback`.execute(db);
  const n = await db.selectFrom('feedback').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const busy = await db.selectFrom('feedback').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_code', '=', BUSY_COMMUNE).executeTakeFirstOrThrow();
  return { rows: Number(n.n), busyCommuneRows: Number(busy.n), ms: Math.round(performance.now() - started) };
}

/** EXPLAIN ANALYZE of the queries the measured pages run, as src/feedback/feedback.store.ts writes them (for the report). */
export async function queryPlans(db: Db, today: string, atRiskUntil: string): Promise<Record<string, string>> {
  const join = sql`join feedback_category c on c.commune_code = f.commune_code and c.code = f.category_code`;
  const queries: Record<string, ReturnType<typeof sql>> = {
    'queue counts (cached per commune)': sql`select count(*) filter (where status = 'new'), count(*) filter (where status = 'in_progress'),
      count(*) filter (where due_date < ${today}::date), count(*) filter (where due_date >= ${today}::date and due_date <= ${atRiskUntil}::date)
      from feedback where commune_code = ${BUSY_COMMUNE} and status in ('new', 'in_progress')`,
    'queue list (every view)': sql`select f.code, c.name, f.status, f.due_date, f.submitted_at, f.closed_at, f.location_text, left(f.description, 160), f.reopen_count
      from feedback f ${join} where f.commune_code = ${BUSY_COMMUNE} and f.status in ('new', 'in_progress') order by f.due_date, f.submitted_at limit 26`,
    'public list (cached)': sql`select f.code, c.name, f.description, f.location_text, f.public_reply, f.submitted_at, f.closed_at
      from feedback f ${join} where f.commune_code = ${BUSY_COMMUNE} and f.is_public and f.status = 'closed' and f.public_reply is not null
      order by f.closed_at desc, f.code desc limit 21`,
    'public search, third page (cached)': sql`select f.code, c.name, f.description, f.location_text, f.public_reply, f.submitted_at, f.closed_at
      from feedback f ${join} where f.commune_code = ${BUSY_COMMUNE} and f.is_public and f.status = 'closed' and f.public_reply is not null
      and f.search_text like '%den%' and f.search_text like '%duong%' order by f.closed_at desc, f.code desc limit 21 offset 40`,
    'open311 requests, default (cached)': sql`select coalesce(json_agg(x order by x.submitted_at desc, x.code desc), '[]')::text from (
      select f.*, c.name, c.deadline_days from feedback f ${join} where f.submitted_at >= now() - interval '90 days' and f.submitted_at <= now()
      order by f.submitted_at desc, f.code desc limit 1000) x`,
  };
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(queries)) {
    const r = await sql`explain (analyze, buffers) ${q}`.execute(db);
    out[name] = (r.rows as Record<string, string>[]).map((row) => Object.values(row)[0]).join('\n');
  }
  return out;
}
