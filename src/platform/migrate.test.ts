import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from './db.js';
import { migrate, pendingMigrations, readMigrations } from './migrate.js';
import { openTestDb, testEngines } from '../testing/db.js';

describe.each(testEngines())('migrations on %s', (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb(engine);
  });
  afterAll(() => h.close());

  it('every migration is applied and re-running is a no-op', async () => {
    expect(await pendingMigrations(h.db)).toEqual([]);
    expect(await migrate(h.db)).toEqual([]);
    const applied = await sql<{ version: string }>`select version from schema_migrations order by version`.execute(h.db);
    expect(applied.rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
  });

  it('refuses an applied migration whose file was edited (forward only)', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'x' } : m));
    await expect(migrate(h.db, edited)).rejects.toThrow(/đã bị sửa/);
  });

  it('applies a new migration once, in a transaction that rolls back on error', async () => {
    const good = { version: '9998', name: 'probe', sql: 'create table probe_ok (id int); insert into probe_ok values (1);', checksum: 'a' };
    const bad = { version: '9999', name: 'broken', sql: 'create table probe_bad (id int); select * from no_such_table;', checksum: 'b' };
    expect(await migrate(h.db, [...readMigrations(), good])).toEqual(['9998_probe']);
    await expect(migrate(h.db, [...readMigrations(), good, bad])).rejects.toThrow();
    const t = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'probe_bad'`.execute(h.db);
    expect(t.rows[0]!.n).toBe(0);
  });

  it('has every commune and province of the reference data', async () => {
    const r = await sql<{ p: number; c: number }>`select (select count(*)::int from province) as p, (select count(*)::int from commune) as c`.execute(h.db);
    expect(r.rows[0]).toEqual({ p: 34, c: 3321 });
  });
});
