import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db.js';
import { testEngines } from '../../testing/db.js';
import { deadlineState } from '../deadline.js';
import { TEST_NOW, TEST_TODAY } from '../../testing/clock.js';
import type { Stage, Status } from '../workflow.js';
import { findById, findForUnit, queueCountQuery, queuePage, queueQuery, specialistsOf, unitCountGroups } from './office.store.js';
import { asSeenBy, branches, deadlineWindow, decodeCursor, encodeCursor, foldCounts, QUEUE_IDS, type Cursor, type DeadlineWindow, type QueueId } from './queues.js';
import { BIRTH, HOME, OFFICER, OTHER, openWorld, shiftDays, SPECIALIST, type World } from './testing.js';

const BIG = '25486';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
/** Nodes that pass their input's rows on (a hash table, a sort, a scan of a subquery), none that adds rows. */
const PASS_THROUGH = new Set(['Subquery Scan', 'Result', 'Hash', 'Materialize', 'Sort']);
/** A plan's nodes, each before its children. */
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

interface Seed {
  code: string;
  commune?: string;
  deciding?: string;
  status: Status;
  stage?: Stage;
  due?: string | null;
  assignee?: string | null;
}

async function insert(db: Db, rows: Seed[]): Promise<void> {
  await db
    .insertInto('dossier')
    .values(
      rows.map((r) => ({
        commune_code: r.commune ?? HOME,
        code: r.code,
        procedure_code: BIRTH,
        procedure_version: 1,
        deciding_unit: r.deciding ?? r.commune ?? HOME,
        applicant_id: null,
        applicant_name: 'Người thử',
        applicant_phone: null,
        applicant_email: null,
        channel: 'online' as const,
        assisted_by: null,
        consent_at: null,
        status: r.status,
        stage: r.stage ?? '',
        previous_status: null,
        received_at: r.status === 1 ? null : new Date(TEST_NOW),
        working_days: 5,
        due_date: r.due ?? null,
        assignee_id: r.assignee ?? null,
        idempotency_key: null,
        rating: null,
        rating_comment: null,
      })),
    )
    .execute();
}

/** Every page of a queue, following the cursors. */
async function walk(db: Db, unit: string, id: QueueId, w: DeadlineWindow, limit: number, mine: string | null = null): Promise<string[]> {
  const codes: string[] = [];
  let cursor: Cursor | null = null;
  for (let i = 0; i < 1000; i++) {
    const page = await queuePage(db, unit, branches(id, w), { cursor, limit, mine });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    codes.push(...page.items.map((it) => it.code));
    if (!page.next) return codes;
    // The cursor survives its trip through a URL.
    cursor = decodeCursor(encodeCursor(page.next))!;
    expect(cursor).toEqual(page.next);
  }
  throw new Error('pagination does not end');
}

describe.each(testEngines())('back-office queues on %s', (engine) => {
  let w: World;
  let win: DeadlineWindow;
  let me: string;
  let procedureName: string;
  const expected = new Map<QueueId | 'mine', string[]>();

  beforeAll(async () => {
    w = await openWorld(engine);
    me = w.users.get(SPECIALIST)!;
    procedureName = (await w.h.db.selectFrom('procedure').select('name').where('code', '=', BIRTH).executeTakeFirstOrThrow()).name;
    win = deadlineWindow(TEST_TODAY, w.calendar);
    const far = shiftDays(win.riskEnd, 30);
    const rows: Seed[] = [];
    let n = 0;
    const add = (s: Omit<Seed, 'code'>, prefix = 'A') => {
      const code = `${prefix}-${String(++n).padStart(4, '0')}`;
      rows.push({ ...s, code });
      return code;
    };
    // 23 to receive (no due date), 7 to assign, processing (some mine, some late), appraised, awaiting return, waiting for the citizen, finished ones.
    const receive = Array.from({ length: 23 }, () => add({ status: 1 }));
    const assign = Array.from({ length: 7 }, (_, i) => add({ status: 2, due: shiftDays(far, i % 3) }));
    const overdue = [add({ status: 4, stage: 'processing', due: shiftDays(win.today, -3), assignee: me }), add({ status: 9, due: shiftDays(win.today, -1) })];
    const atRisk = [add({ status: 4, stage: 'appraised', due: win.today }), add({ status: 6, due: win.riskEnd, stage: 'processing' })];
    const processing = [overdue[0]!, ...Array.from({ length: 12 }, (_, i) => add({ status: 4, stage: 'processing', due: shiftDays(far, i % 4), assignee: i % 2 ? me : null }))];
    const appraised = [atRisk[0]!, add({ status: 4, stage: 'appraised', due: far })];
    const toReturn = [overdue[1]!, add({ status: 9, due: far })];
    const citizen = [atRisk[1]!, add({ status: 5 }), add({ status: 5 })];
    for (const s of [3, 7, 8, 10] as Status[]) add({ status: s, due: shiftDays(win.today, -10) });
    // Decree 118/2025: received in another commune, decided here — and the reverse, which is not ours.
    const routed = add({ commune: OTHER, deciding: HOME, status: 1 }, 'R');
    add({ commune: OTHER, deciding: OTHER, status: 1 }, 'R');
    add({ commune: OTHER, deciding: '80', status: 1 }, 'R');
    await insert(w.h.db, rows);
    expected.set('receive', [...receive, routed]);
    expected.set('assign', assign);
    expected.set('process', processing);
    expected.set('mine', processing.filter((c) => rows.find((r) => r.code === c)!.assignee === me));
    expected.set('approve', appraised);
    expected.set('return', toReturn);
    expected.set('citizen', citizen);
    expected.set('at_risk', atRisk);
    expected.set('overdue', overdue);
  });
  afterAll(() => w.close());

  it('puts each open dossier in its queues and counts them all with one grouped query', async () => {
    const counts = foldCounts(asSeenBy(await unitCountGroups(w.h.db, HOME, win), me));
    for (const id of QUEUE_IDS) expect(counts[id], id).toBe(expected.get(id)!.length);
    expect(counts.mine).toBe(expected.get('mine')!.length);
    for (const id of QUEUE_IDS) {
      const got = await walk(w.h.db, HOME, id, win, 1000);
      expect([...got].sort(), id).toEqual([...expected.get(id)!].sort());
    }
    expect((await walk(w.h.db, HOME, 'process', win, 1000, me)).sort()).toEqual([...expected.get('mine')!].sort());
  });

  it('counts by assignee, so one result serves every official of the unit', async () => {
    const groups = await unitCountGroups(w.h.db, HOME, win);
    expect(foldCounts(asSeenBy(groups, me))).toEqual(foldCounts(asSeenBy(await unitCountGroups(w.h.db, HOME, win), me)));
    const someoneElse = foldCounts(asSeenBy(groups, w.users.get(OFFICER)!));
    expect(someoneElse.mine).toBe(0);
    expect({ ...someoneElse, mine: expected.get('mine')!.length }).toEqual(foldCounts(asSeenBy(groups, me)));
  });

  it('brings each row’s procedure name in the page query', async () => {
    const page = await queuePage(w.h.db, HOME, branches('receive', win), { cursor: null, limit: 5, mine: null });
    expect(page.items).toHaveLength(5);
    for (const it of page.items) expect(it.procedure_name).toBe(procedureName);
  });

  it('deadline queues agree with deadlineState', async () => {
    for (const id of ['at_risk', 'overdue'] as const) {
      const page = await queuePage(w.h.db, HOME, branches(id, win), { cursor: null, limit: 100, mine: null });
      for (const it of page.items) expect(deadlineState(it, win)).toBe(id);
    }
  });

  it('pages by (due date, code), undated last, without gaps or repeats, whatever the page size', async () => {
    for (const id of ['receive', 'process', 'citizen'] as const) {
      const all = await walk(w.h.db, HOME, id, win, 1000);
      for (const size of [1, 2, 5, 50]) expect(await walk(w.h.db, HOME, id, win, size), `${id} by ${size}`).toEqual(all);
    }
    const page = await queuePage(w.h.db, HOME, branches('citizen', win), { cursor: null, limit: 10, mine: null });
    const dues = page.items.map((i) => i.due_date);
    expect(dues.indexOf(null)).toBeGreaterThan(0);
    expect(dues.slice(dues.indexOf(null)).every((d) => d === null)).toBe(true);
  });

  it('finds a dossier for its receiving commune or its deciding unit, and for no other', async () => {
    const r = await w.h.db.selectFrom('dossier').select(['id', 'commune_code']).where('code', '=', expected.get('receive')!.at(-1)!).executeTakeFirstOrThrow();
    expect((await findForUnit(w.h.db, HOME, r.id))?.commune_code).toBe(OTHER);
    expect((await findForUnit(w.h.db, OTHER, r.id))?.id).toBe(r.id);
    expect(await findForUnit(w.h.db, BIG, r.id)).toBeUndefined();
    expect(await findForUnit(w.h.db, HOME, 'x0')).toBeUndefined();
    expect(await findById(w.h.db, "1' or '1'='1")).toBeUndefined();
    expect((await findById(w.h.db, r.id))?.id).toBe(r.id);
  });

  it('lists the specialists of a unit', async () => {
    expect((await specialistsOf(w.h.db, HOME)).map((s) => s.id)).toEqual([me]);
    expect(await specialistsOf(w.h.db, '80')).toEqual([]);
  });

  it('rejects cursors it did not make', () => {
    for (const bad of ['', 'x', '%%%', encodeCursor({ d: '2026-13-45', c: 'A' }), Buffer.from('[1,2]').toString('base64url'), Buffer.from('["2026-01-01","a b"]').toString('base64url')]) {
      expect(decodeCursor(bad), bad).toBeUndefined();
    }
    expect(decodeCursor(encodeCursor({ d: null, c: '25459-260309-0001' }))).toEqual({ d: null, c: '25459-260309-0001' });
  });

  const INDEX_SCAN = /(Index|Index Only|Bitmap Index) Scan (using|on) dossier_(queue_idx|undated_idx|commune_code_idempotency_key_key)/;

  it('stays fast with 100,000 dossiers in a commune: index scans, one grouped count', async () => {
    const statuses = [1, 2, 4, 4, 5, 6, 9, 10, 10, 10, 10, 10, 3, 7, 8];
    // Bulk load without per-row foreign-key triggers (the rows reference a commune and a procedure that exist).
    await sql`set session_replication_role = replica`.execute(w.h.db);
    await sql`
      insert into dossier (commune_code, code, procedure_code, procedure_version, deciding_unit, applicant_name, channel, status, stage, working_days, due_date, received_at)
      select ${BIG}, ${BIG} || '-' || lpad(i::text, 6, '0'), ${BIRTH}, 1, ${BIG}, 'x', 'online', s, case when s = 4 then (array['processing', 'appraised'])[1 + i % 2] else '' end, 5,
        case when s in (2, 4, 6, 9, 10) then ${win.today}::date - 200 + (i * 7919) % 400 end, now()
      from (select i, (${sql.raw(`array[${statuses.join(',')}]`)})[1 + i % ${statuses.length}] as s from generate_series(1, 100000) i) g`.execute(w.h.db);
    await sql`set session_replication_role = default`.execute(w.h.db);
    await sql`analyze dossier`.execute(w.h.db);

    const counts = foldCounts(asSeenBy(await unitCountGroups(w.h.db, BIG, win), me));
    expect(counts.receive).toBe(Math.floor(100000 / statuses.length));

    const explain = async (q: { compile(db: Db): CompiledQuery }) => {
      const c = q.compile(w.h.db);
      const r = await w.h.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${c.sql}`, [...c.parameters]));
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    };
    const jsonPlan = async (q: { compile(db: Db): CompiledQuery }): Promise<PlanNode> => {
      const c = q.compile(w.h.db);
      const r = await w.h.db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${c.sql}`, [...c.parameters]));
      const v = r.rows[0]!['QUERY PLAN'];
      return ((typeof v === 'string' ? JSON.parse(v) : v) as { Plan: PlanNode }[])[0]!.Plan;
    };
    const times: Record<string, number> = {};
    for (const id of ['receive', 'process', 'overdue', 'citizen'] as const) {
      let cursor: Cursor | null = null;
      // Deep in the queue: page 20.
      for (let p = 0; p < 20; p++) {
        const page = await queuePage(w.h.db, BIG, branches(id, win), { cursor, limit: 50, mine: null });
        times[`${id}#${p}`] = page.items.length;
        if (!page.next) break;
        cursor = page.next;
      }
      const query = queueQuery(BIG, branches(id, win), { cursor, limit: 50, mine: null })!;
      const plan = await explain(query);
      // Any index led by the commune will do (the planner may pick another one on its statistics); never a full scan.
      expect(plan, `${id} plan`).toMatch(INDEX_SCAN);
      expect(plan, `${id} plan`).not.toMatch(/Seq Scan on dossier|dossier_code_key/);
      // Procedure names are looked up for the page's rows only: the dossier side of the join is the limited page.
      const join = nodes(await jsonPlan(query)).find((n) => n['Node Type'] === 'Nested Loop' || n['Node Type'].endsWith(' Join'));
      const dossierSide = join?.Plans?.find((p) => nodes(p).some((n) => n['Relation Name'] === 'dossier'));
      expect(dossierSide && nodes(dossierSide).find((n) => !PASS_THROUGH.has(n['Node Type']))?.['Node Type'], `${id} plan`).toBe('Limit');
    }
    // The big commune is most of this table, so any plan reads most of it; a small commune beside it is read by its indexes only.
    const smallPlan = await explain(queueCountQuery(HOME, win));
    expect(smallPlan).toMatch(INDEX_SCAN);
    expect(smallPlan).toContain('dossier_routed_idx');
    expect(smallPlan).not.toMatch(/Seq Scan on dossier/);
    // Speed itself is measured by bench/dossiers.bench.ts, not asserted here; the plans are the guarantee.
    expect(Object.keys(times).length).toBeGreaterThan(0);
  });
});
