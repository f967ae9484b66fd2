import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres, type DbHandle } from './db.js';
import { withDatabase } from '../testing/global-setup.js';
import { openTestDb, testEngines } from '../testing/db.js';

describe.each(testEngines())('database on %s', (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb(engine);
    await sql`create table t_probe (id int primary key, v text)`.execute(h.db);
  });
  afterAll(() => h.close());

  it('runs two transactions at once; the rolled-back one leaks nothing into the other or the table', async () => {
    let releaseA!: () => void;
    const aMayFinish = new Promise<void>((r) => (releaseA = r));
    const seenByB: number[] = [];
    const a = h.db
      .transaction()
      .execute(async (tx) => {
        await sql`insert into t_probe values (1, 'a')`.execute(tx);
        await aMayFinish;
        await sql`insert into t_probe values (2, 'a')`.execute(tx);
        throw new Error('roll back A');
      })
      .catch((e: Error) => e.message);
    const b = h.db.transaction().execute(async (tx) => {
      const rows = await sql<{ id: number }>`select id from t_probe`.execute(tx);
      seenByB.push(...rows.rows.map((r) => r.id));
      await sql`insert into t_probe values (3, 'b')`.execute(tx);
    });
    // A statement outside any transaction, issued while A is open.
    const outside = sql<{ n: number }>`select count(*)::int as n from t_probe where v = 'a'`.execute(h.db);
    releaseA();
    expect(await a).toBe('roll back A');
    await b;
    const n = (await outside).rows[0]!.n;
    const final = await sql<{ id: number; v: string }>`select id, v from t_probe order by id`.execute(h.db);
    expect(final.rows).toEqual([{ id: 3, v: 'b' }]);
    expect(seenByB).toEqual([]);
    expect(n).toBe(0);
  });

  it('keeps working after a failed statement inside a transaction', async () => {
    await expect(
      h.db.transaction().execute(async (tx) => {
        await sql`insert into t_probe values (10, 'x')`.execute(tx);
        await sql`insert into t_probe values (10, 'dup')`.execute(tx);
      }),
    ).rejects.toThrow();
    const r = await sql<{ n: number }>`select count(*)::int as n from t_probe where id = 10`.execute(h.db);
    expect(r.rows[0]!.n).toBe(0);
  });
});

describe('embedded database settings', () => {
  it('keeps the buffer pool small: it lives in the server process and never shrinks', async () => {
    const h = await openTestDb('pglite');
    try {
      const r = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(h.db);
      expect(r.rows[0]!.shared_buffers).toBe('32MB');
    } finally {
      await h.close();
    }
  });
});

describe.runIf(testEngines().includes('postgres'))('PostgreSQL connection loss', () => {
  it('reports an idle connection the server killed and carries on with a new one', async () => {
    const h = await openTestDb('postgres');
    const name = (await sql<{ db: string }>`select current_database() as db`.execute(h.db)).rows[0]!.db;
    let lost!: (message: string) => void;
    const reported = new Promise<string>((r) => (lost = r));
    const own = await openPostgres(withDatabase(inject('pgUrl')!, name), 1, (err) => lost(err.message));
    try {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(own.db)).rows[0]!.pid;
      await sql`select pg_terminate_backend(${pid})`.execute(h.db);
      expect(await reported).toMatch(/terminat/);
      expect((await sql<{ one: number }>`select 1 as one`.execute(own.db)).rows[0]!.one).toBe(1);
    } finally {
      await own.close();
      await h.close();
    }
  });
});
