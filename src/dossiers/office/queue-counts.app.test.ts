import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole, insertUser } from '../../accounts/accounts.store.js';
import type { Client } from '../../testing/app.js';
import { testEngines } from '../../testing/db.js';
import { dossiersChanged } from '../changes.js';
import type { DossierRow } from '../dossiers.store.js';
import { QUEUES, type QueueId } from './queues.js';
import { as, current, HOME, LEADER, OFFICER, openWorld, SPECIALIST, submit, type World } from './testing.js';

const QUEUE_PAGE = `/can-bo/xa/${HOME}/ho-so`;
const SECOND_SPECIALIST = 'chuyenvien2.tanninh@demo.xaso.vn';

type Shown = Record<QueueId, number>;

/** The counts in the queue menu, as this official sees them. */
async function shown(c: Client): Promise<Shown> {
  const html = await (await c.get(`${QUEUE_PAGE}?hang=tiep-nhan`)).text();
  return Object.fromEntries(
    QUEUES.map((q) => {
      const m = new RegExp(`>${q.label} <span class="office-count">(\\d+)</span>`).exec(html);
      if (!m) throw new Error(`no count for ${q.label}`);
      return [q.id, Number(m[1])];
    }),
  ) as Shown;
}

/** "Only mine (n)" on the processing queue. */
async function mine(c: Client): Promise<number> {
  const html = await (await c.get(`${QUEUE_PAGE}?hang=xu-ly`)).text();
  return Number(/Chỉ xem hồ sơ giao cho tôi \((\d+)\)/.exec(html)![1]);
}

async function act(c: Client, d: Pick<DossierRow, 'id' | 'version'>, slug: string, fields: Record<string, string>): Promise<void> {
  const res = await c.post(`${QUEUE_PAGE}/${d.id}/${slug}`, { version: String(d.version), ...fields }, { csrf: await c.csrf('/') });
  expect(res.status).toBe(303);
}

describe.each(testEngines())('queue counts on the page, on %s', (engine) => {
  let w: World;
  beforeAll(async () => {
    w = await openWorld(engine);
    const id = await insertUser(w.h.db, { kind: 'staff', fullName: 'Chuyên viên thứ hai', phone: null, email: SECOND_SPECIALIST, passwordHash: null });
    await grantRole(w.h.db, id, HOME, 'specialist');
    w.users.set(SECOND_SPECIALIST, id);
  });
  afterAll(() => w.close());

  it('change as soon as a dossier is submitted or an official acts', async () => {
    const officer = await as(w, OFFICER);
    const before = await shown(officer);
    const d = await submit(w);
    expect(await shown(officer)).toEqual({ ...before, receive: before.receive + 1 });
    await act(officer, d, 'tiep-nhan', { checked_0: '1' });
    expect(await shown(officer)).toEqual({ ...before, assign: before.assign + 1 });
    await act(await as(w, LEADER), await current(w.h.db, d.id), 'phan-cong', { assignee_id: w.users.get(SPECIALIST)! });
    expect(await shown(officer)).toEqual({ ...before, process: before.process + 1 });
  });

  it('are shared between views: a write this process is not told of shows once the unit is named', async () => {
    const officer = await as(w, OFFICER);
    const d = await submit(w);
    const before = await shown(officer);
    // Another process withdraws it: this one hears nothing and serves the counts it has.
    await w.h.db.updateTable('dossier').set({ status: 7 }).where('id', '=', d.id).execute();
    expect(await shown(await as(w, LEADER))).toEqual(before);
    dossiersChanged([HOME]);
    expect(await shown(officer)).toEqual({ ...before, receive: before.receive - 1 });
  });

  it('list pages live on PostgreSQL; on the embedded database, cached and emptied by every change', async () => {
    const officer = await as(w, OFFICER);
    const listed = async (code: string) => (await (await officer.get(`${QUEUE_PAGE}?hang=tiep-nhan`)).text()).includes(`>${code}<`);
    const d = await submit(w);
    expect(await listed(d.code)).toBe(true);
    // Another process withdraws it: PostgreSQL shows that at once; PGlite has no other process.
    await w.h.db.updateTable('dossier').set({ status: 7 }).where('id', '=', d.id).execute();
    expect(await listed(d.code)).toBe(engine === 'pglite');
    const next = await submit(w);
    expect(await listed(d.code)).toBe(false);
    expect(await listed(next.code)).toBe(true);
  });

  it('count "mine" for each official from the one shared count', async () => {
    const [first, second, leader, officer] = await Promise.all([as(w, SPECIALIST), as(w, SECOND_SPECIALIST), as(w, LEADER), as(w, OFFICER)]);
    const [firstBefore, secondBefore] = [await mine(first), await mine(second)];
    for (const who of [SPECIALIST, SECOND_SPECIALIST, SECOND_SPECIALIST]) {
      const d = await submit(w);
      await act(officer, d, 'tiep-nhan', { checked_0: '1' });
      await act(leader, await current(w.h.db, d.id), 'phan-cong', { assignee_id: w.users.get(who)! });
    }
    expect(await mine(first)).toBe(firstBefore + 1);
    expect(await mine(second)).toBe(secondBefore + 2);
    expect(await mine(leader)).toBe(0);
    expect((await shown(first)).process).toBe((await shown(second)).process);
  });
});
