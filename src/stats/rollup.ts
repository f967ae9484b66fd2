/**
 * Keeps the daily roll-ups current: a worker follows dossier and feedback
 * changes in order of `updated_at` from a cursor, recomputes each touched
 * item's fact from its stored row and events, and applies the difference to
 * its old fact (docs/decisions/0140-ioc-cohort.md). Idempotent per item, so it
 * re-reads an overlap window behind the cursor. `rebuild` starts from scratch.
 */
import { sql } from 'kysely';
import type { WorkingDayCalendar } from '../calendar/index.js';
import type { Db, DbOrTx } from '../platform/db.js';
import { DOSSIER_COUNTERS, FEEDBACK_COUNTERS, type DossierCounter, type FeedbackCounter } from './measures.js';
import { dossierFact, feedbackFact, type DossierFact, type FeedbackFact, type OnlineLevel, type RawDossier, type RawEvent, type RawFeedback } from './facts.js';
import './stats.tables.js';

export interface RollupOptions {
  /** Today in Việt Nam time, YYYY-MM-DD (from the injected clock). */
  today: string;
  calendar: WorkingDayCalendar;
  batch?: number;
}

/** Late-committing transactions are caught by re-reading this far behind the cursor. */
const OVERLAP_MS = 10 * 60 * 1000;
const EPOCH = new Date('2000-01-01T00:00:00Z');

interface Key {
  commune: string;
  id: string;
}

// Plain IN lists, not row values: PGlite aborts on a long list of (commune, id) pairs. Ids are unique, so the pair test adds nothing.
const communesOf = (keys: readonly Key[]) => [...new Set(keys.map((k) => k.commune))];
const idsOf = (keys: readonly Key[]) => keys.map((k) => k.id);

type Delta<C extends string> = Map<string, { commune: string; day: string; procedure: string; counters: Partial<Record<C, number>> }>;

function addDelta<C extends string>(map: Delta<C>, commune: string, day: string, procedure: string, counters: Partial<Record<C, number>>, sign: 1 | -1): void {
  const key = `${commune}|${day}|${procedure}`;
  let cell = map.get(key);
  if (!cell) map.set(key, (cell = { commune, day, procedure, counters: {} }));
  for (const [k, v] of Object.entries(counters) as [C, number][]) cell.counters[k] = (cell.counters[k] ?? 0) + sign * v;
}

async function loadRawDossiers(db: DbOrTx, ids: readonly string[]): Promise<Map<string, RawDossier & { id: string }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.code', 'd.procedure_code')
    .select([
      'd.commune_code',
      'd.id',
      'd.procedure_code',
      'p.online_level',
      'd.channel',
      'd.assisted_by',
      'd.submitted_at',
      'd.received_at',
      'd.status',
      sql<string | null>`d.due_date::text`.as('due_date'),
      'd.rating',
    ])
    .where('d.id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      `${r.commune_code}|${r.id}`,
      {
        id: r.id,
        communeCode: r.commune_code,
        procedureCode: r.procedure_code,
        onlineLevel: r.online_level as OnlineLevel,
        channel: r.channel,
        assisted: r.assisted_by !== null,
        submittedAt: new Date(r.submitted_at),
        receivedAt: r.received_at ? new Date(r.received_at) : null,
        status: Number(r.status),
        dueDate: r.due_date,
        rating: r.rating === null ? null : Number(r.rating),
      },
    ]),
  );
}

async function loadEvents(db: DbOrTx, keys: readonly Key[]): Promise<Map<string, RawEvent[]>> {
  const out = new Map<string, RawEvent[]>();
  if (!keys.length) return out;
  const rows = await db
    .selectFrom('dossier_event')
    .select(['commune_code', 'dossier_id', 'seq', 'at', 'action', 'to_status', sql<string | null>`due_date::text`.as('due_date')])
    .where('commune_code', 'in', communesOf(keys))
    .where('dossier_id', 'in', idsOf(keys))
    .execute();
  for (const r of rows) {
    const key = `${r.commune_code}|${r.dossier_id}`;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push({ seq: Number(r.seq), at: new Date(r.at), action: r.action, toStatus: Number(r.to_status), dueDate: r.due_date });
  }
  return out;
}

async function applyDossierDelta(db: DbOrTx, cells: Delta<DossierCounter>, times: Map<string, number>): Promise<void> {
  const rows = [...cells.values()].filter((c) => Object.values(c.counters).some((v) => v !== 0));
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insertInto('stats_daily')
      .values(chunk.map((c) => ({ commune_code: c.commune, day: c.day, procedure_code: c.procedure, ...Object.fromEntries(DOSSIER_COUNTERS.map((k) => [k, c.counters[k] ?? 0])) })))
      .onConflict((oc) => oc.columns(['commune_code', 'day', 'procedure_code']).doUpdateSet(Object.fromEntries(DOSSIER_COUNTERS.map((k) => [k, sql`stats_daily.${sql.ref(k)} + excluded.${sql.ref(k)}`]))))
      .execute();
  }
  const hist = [...times.entries()].filter(([, n]) => n !== 0).map(([key, n]) => {
    const [commune, day, procedure, wdays] = key.split('|') as [string, string, string, string];
    return { commune_code: commune, day, procedure_code: procedure, wdays: Number(wdays), n };
  });
  for (let i = 0; i < hist.length; i += 500) {
    await db
      .insertInto('stats_daily_time')
      .values(hist.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['commune_code', 'day', 'procedure_code', 'wdays']).doUpdateSet({ n: sql`stats_daily_time.n + excluded.n` }))
      .execute();
  }
  if (hist.length) await db.deleteFrom('stats_daily_time').where('n', '=', 0).execute();
}

/** Recomputes the facts of these dossiers and applies the differences. Callers give a transaction. */
export async function refreshDossiers(db: DbOrTx, keys: readonly Key[], opts: RollupOptions): Promise<void> {
  if (!keys.length) return;
  const raw = await loadRawDossiers(
    db,
    keys.map((k) => k.id),
  );
  const events = await loadEvents(db, keys);
  const old = await db
    .selectFrom('stats_dossier')
    .select(['commune_code', 'dossier_id', 'procedure_code', sql<string>`day::text`.as('day'), 'proc_days', 'counters'])
    .where('commune_code', 'in', communesOf(keys))
    .where('dossier_id', 'in', idsOf(keys))
    .execute();
  const cells: Delta<DossierCounter> = new Map();
  const times = new Map<string, number>();
  const addTime = (commune: string, day: string, procedure: string, wdays: number | null, sign: 1 | -1) => {
    if (wdays === null) return;
    const k = `${commune}|${day}|${procedure}|${wdays}`;
    times.set(k, (times.get(k) ?? 0) + sign);
  };
  for (const o of old) {
    const counters = (typeof o.counters === 'string' ? JSON.parse(o.counters) : o.counters) as Partial<Record<DossierCounter, number>>;
    addDelta(cells, o.commune_code, o.day, o.procedure_code, counters, -1);
    addTime(o.commune_code, o.day, o.procedure_code, o.proc_days, -1);
  }
  const facts: (DossierFact & { id: string })[] = [];
  for (const k of keys) {
    const key = `${k.commune}|${k.id}`;
    const d = raw.get(key);
    if (!d) continue;
    const f = dossierFact(d, events.get(key) ?? [], opts.today, opts.calendar);
    facts.push({ ...f, id: d.id });
    addDelta(cells, f.communeCode, f.day, f.procedureCode, f.counters, 1);
    addTime(f.communeCode, f.day, f.procedureCode, f.procDays, 1);
  }
  await applyDossierDelta(db, cells, times);
  for (let i = 0; i < facts.length; i += 500) {
    await db
      .insertInto('stats_dossier')
      .values(
        facts.slice(i, i + 500).map((f) => ({
          commune_code: f.communeCode,
          dossier_id: f.id,
          procedure_code: f.procedureCode,
          day: f.day,
          proc_days: f.procDays,
          open_due: f.openDue,
          counters: JSON.stringify(f.counters),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['commune_code', 'dossier_id']).doUpdateSet({
          procedure_code: sql`excluded.procedure_code`,
          day: sql`excluded.day`,
          proc_days: sql`excluded.proc_days`,
          open_due: sql`excluded.open_due`,
          counters: sql`excluded.counters`,
        }),
      )
      .execute();
  }
}

/** Recomputes these feedback items' facts and applies the differences. */
export async function refreshFeedback(db: DbOrTx, keys: readonly Key[]): Promise<void> {
  if (!keys.length) return;
  const rows = await db
    .selectFrom('feedback')
    .select(['commune_code', 'id', 'submitted_at', 'status', sql<string>`due_date::text`.as('due_date'), 'closed_at', 'rating'])
    .where('commune_code', 'in', communesOf(keys))
    .where('id', 'in', idsOf(keys))
    .execute();
  const old = await db
    .selectFrom('stats_feedback')
    .select(['commune_code', 'feedback_id', sql<string>`day::text`.as('day'), 'counters'])
    .where('commune_code', 'in', communesOf(keys))
    .where('feedback_id', 'in', idsOf(keys))
    .execute();
  const cells: Delta<FeedbackCounter> = new Map();
  for (const o of old) addDelta(cells, o.commune_code, o.day, '', (typeof o.counters === 'string' ? JSON.parse(o.counters) : o.counters) as Partial<Record<FeedbackCounter, number>>, -1);
  const facts: (FeedbackFact & { id: string })[] = [];
  for (const r of rows) {
    const raw: RawFeedback = {
      communeCode: r.commune_code,
      submittedAt: new Date(r.submitted_at),
      status: r.status,
      dueDate: r.due_date,
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
      rating: r.rating === null ? null : Number(r.rating),
    };
    const f = feedbackFact(raw);
    facts.push({ ...f, id: r.id });
    addDelta(cells, f.communeCode, f.day, '', f.counters, 1);
  }
  const changed = [...cells.values()].filter((c) => Object.values(c.counters).some((v) => v !== 0));
  if (changed.length) {
    await db
      .insertInto('stats_feedback_daily')
      .values(changed.map((c) => ({ commune_code: c.commune, day: c.day, ...Object.fromEntries(FEEDBACK_COUNTERS.map((k) => [k, c.counters[k] ?? 0])) })))
      .onConflict((oc) => oc.columns(['commune_code', 'day']).doUpdateSet(Object.fromEntries(FEEDBACK_COUNTERS.map((k) => [k, sql`stats_feedback_daily.${sql.ref(k)} + excluded.${sql.ref(k)}`]))))
      .execute();
  }
  if (facts.length) {
    await db
      .insertInto('stats_feedback')
      .values(facts.map((f) => ({ commune_code: f.communeCode, feedback_id: f.id, day: f.day, counters: JSON.stringify(f.counters) })))
      .onConflict((oc) => oc.columns(['commune_code', 'feedback_id']).doUpdateSet({ day: sql`excluded.day`, counters: sql`excluded.counters` }))
      .execute();
  }
}

async function cursorAt(db: DbOrTx, name: string): Promise<Date> {
  const r = await db.selectFrom('stats_cursor').select('at').where('name', '=', name).executeTakeFirst();
  return r ? new Date(r.at) : EPOCH;
}

async function setCursor(db: DbOrTx, name: string, at: Date): Promise<void> {
  await db
    .insertInto('stats_cursor')
    .values({ name, at, due_swept: null })
    .onConflict((oc) => oc.column('name').doUpdateSet({ at: sql`greatest(stats_cursor.at, excluded.at)` }))
    .execute();
}

/** Follows one source's changes from its cursor (minus the overlap) to the end, in batches. */
async function follow(db: Db, table: 'dossier' | 'feedback', apply: (tx: DbOrTx, keys: Key[]) => Promise<void>, batch: number, onProgress?: (n: number) => void): Promise<number> {
  const since = new Date((await cursorAt(db, table)).getTime() - OVERLAP_MS);
  // The position is kept as text: timestamps have microseconds, JavaScript dates only milliseconds.
  let last: { at: string; commune: string; id: string } | null = null;
  let newest = since;
  let done = 0;
  for (;;) {
    let q = db.selectFrom(table).select(['commune_code', 'id', 'updated_at', sql<string>`updated_at::text`.as('at_text')]).where('updated_at', '>=', since);
    if (last) {
      const l = last;
      q = q.where(sql<boolean>`(updated_at, commune_code, id) > (${l.at}::timestamptz, ${l.commune}, ${l.id}::uuid)`);
    }
    const rows = await q.orderBy('updated_at').orderBy('commune_code').orderBy('id').limit(batch).execute();
    if (!rows.length) break;
    const end = rows[rows.length - 1]!;
    last = { at: end.at_text, commune: end.commune_code, id: end.id };
    if (new Date(end.updated_at) > newest) newest = new Date(end.updated_at);
    const cursor = newest;
    await db.transaction().execute(async (tx) => {
      await apply(
        tx,
        rows.map((r) => ({ commune: r.commune_code, id: r.id })),
      );
      await setCursor(tx, table, cursor);
    });
    done += rows.length;
    onProgress?.(done);
    if (rows.length < batch) break;
  }
  return done;
}

/** Open dossiers whose due date has passed since they were last computed. */
async function sweepOverdue(db: Db, opts: RollupOptions, batch: number): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db
      .selectFrom('stats_dossier')
      .select(['commune_code', 'dossier_id'])
      .where('open_due', '<', opts.today)
      .limit(batch)
      .execute();
    if (!rows.length) return done;
    await db.transaction().execute((tx) =>
      refreshDossiers(
        tx,
        rows.map((r) => ({ commune: r.commune_code, id: r.dossier_id })),
        opts,
      ),
    );
    done += rows.length;
    if (rows.length < batch) return done;
  }
}

export interface WorkerRun {
  dossiers: number;
  overdue: number;
  feedback: number;
}

/** One pass of the worker: everything changed since the cursors, then dossiers that turned overdue. */
export async function runWorker(db: Db, opts: RollupOptions): Promise<WorkerRun> {
  const batch = opts.batch ?? 1000;
  const dossiers = await follow(db, 'dossier', (tx, keys) => refreshDossiers(tx, keys, opts), batch);
  const overdue = await sweepOverdue(db, opts, batch);
  const feedback = await follow(db, 'feedback', (tx, keys) => refreshFeedback(tx, keys), batch);
  return { dossiers, overdue, feedback };
}

export type Cells = Map<string, Record<string, number>>;

/** Every non-zero roll-up figure, by "table|commune|day|procedure[|wdays]". */
export async function readCells(db: DbOrTx): Promise<Cells> {
  const out: Cells = new Map();
  const put = (key: string, values: Record<string, number>) => {
    const nonZero = Object.fromEntries(Object.entries(values).filter(([, v]) => Number(v) !== 0).map(([k, v]) => [k, Number(v)]));
    if (Object.keys(nonZero).length) out.set(key, nonZero);
  };
  const daily = await db.selectFrom('stats_daily').selectAll().select(sql<string>`day::text`.as('day')).execute();
  for (const r of daily) put(`d|${r.commune_code}|${r.day}|${r.procedure_code}`, Object.fromEntries(DOSSIER_COUNTERS.map((k) => [k, r[k]])));
  const time = await db.selectFrom('stats_daily_time').selectAll().select(sql<string>`day::text`.as('day')).execute();
  for (const r of time) put(`t|${r.commune_code}|${r.day}|${r.procedure_code}|${r.wdays}`, { n: r.n });
  const fb = await db.selectFrom('stats_feedback_daily').selectAll().select(sql<string>`day::text`.as('day')).execute();
  for (const r of fb) put(`f|${r.commune_code}|${r.day}`, Object.fromEntries(FEEDBACK_COUNTERS.map((k) => [k, r[k]])));
  return out;
}

/** The roll-ups recounted naively from every raw row (tests and the rebuild's report). */
export async function naiveRecount(db: DbOrTx, opts: RollupOptions): Promise<Cells> {
  const ids = (await db.selectFrom('dossier').select(['commune_code', 'id']).execute()).map((r) => ({ commune: r.commune_code, id: r.id }));
  const raw = await loadRawDossiers(
    db,
    ids.map((k) => k.id),
  );
  const events = await loadEvents(db, ids);
  const acc = new Map<string, Record<string, number>>();
  const add = (key: string, counters: Record<string, number>) => {
    const cell = acc.get(key) ?? {};
    for (const [k, v] of Object.entries(counters)) cell[k] = (cell[k] ?? 0) + v;
    acc.set(key, cell);
  };
  for (const [key, d] of raw) {
    const f = dossierFact(d, events.get(key) ?? [], opts.today, opts.calendar);
    add(`d|${f.communeCode}|${f.day}|${f.procedureCode}`, f.counters);
    if (f.procDays !== null) add(`t|${f.communeCode}|${f.day}|${f.procedureCode}|${f.procDays}`, { n: 1 });
  }
  const fbs = await db.selectFrom('feedback').select(['commune_code', 'submitted_at', 'status', sql<string>`due_date::text`.as('due_date'), 'closed_at', 'rating']).execute();
  for (const r of fbs) {
    const f = feedbackFact({ communeCode: r.commune_code, submittedAt: new Date(r.submitted_at), status: r.status, dueDate: r.due_date, closedAt: r.closed_at ? new Date(r.closed_at) : null, rating: r.rating === null ? null : Number(r.rating) });
    add(`f|${f.communeCode}|${f.day}`, f.counters);
  }
  const out: Cells = new Map();
  for (const [k, v] of acc) {
    const nonZero = Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0));
    if (Object.keys(nonZero).length) out.set(k, nonZero);
  }
  return out;
}

export function diffCells(a: Cells, b: Cells): string[] {
  const out: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key) ?? {};
    const y = b.get(key) ?? {};
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if ((x[k] ?? 0) !== (y[k] ?? 0)) out.push(`${key} ${k}: ${x[k] ?? 0} → ${y[k] ?? 0}`);
  }
  return out.sort();
}

/**
 * Recomputes every roll-up from scratch, in batches with progress, and
 * returns every figure that differed from what was stored before.
 */
export async function rebuild(db: Db, opts: RollupOptions & { onProgress?: (done: number, total: number) => void }): Promise<string[]> {
  const before = await readCells(db);
  const batch = opts.batch ?? 500;
  await db.transaction().execute(async (tx) => {
    for (const t of ['stats_dossier', 'stats_daily', 'stats_daily_time', 'stats_feedback', 'stats_feedback_daily', 'stats_cursor'] as const) await tx.deleteFrom(t).execute();
  });
  const [{ n: dossiers }] = (await sql<{ n: number }>`select count(*)::int as n from dossier`.execute(db)).rows as [{ n: number }];
  const [{ n: feedback }] = (await sql<{ n: number }>`select count(*)::int as n from feedback`.execute(db)).rows as [{ n: number }];
  const total = Number(dossiers) + Number(feedback);
  opts.onProgress?.(0, total);
  const d = await follow(db, 'dossier', (tx, keys) => refreshDossiers(tx, keys, opts), batch, (n) => opts.onProgress?.(n, total));
  await follow(db, 'feedback', (tx, keys) => refreshFeedback(tx, keys), batch, (n) => opts.onProgress?.(d + n, total));
  opts.onProgress?.(total, total);
  return diffCells(before, await readCells(db));
}
