import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './db.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** Reads `NNNN_name.sql` files in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(dir + file, 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

async function ensureTable(db: Db): Promise<void> {
  // Look first: the application's restricted PostgreSQL role may not create tables, even "if not exists".
  const found = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(db);
  if (found.rows[0]?.t) return;
  await sql`create table if not exists schema_migrations (
    version text primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);
}

interface Applied {
  version: string;
  checksum: string;
}

async function applied(db: Db): Promise<Applied[]> {
  const r = await sql<Applied>`select version, checksum from schema_migrations order by version`.execute(db);
  return r.rows;
}

/**
 * Applies pending migrations, each in its own transaction. Forward only: an
 * applied migration whose file changed is an error, never re-run.
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  await ensureTable(db);
  const done = new Map((await applied(db)).map((a) => [a.version, a.checksum]));
  const ran: string[] = [];
  for (const m of migrations) {
    const sum = done.get(m.version);
    if (sum !== undefined) {
      if (sum !== m.checksum) {
        throw new Error(`Migration ${m.version}_${m.name} đã chạy nhưng tệp đã bị sửa: migration chỉ được thêm mới, không sửa.`);
      }
      continue;
    }
    await db.transaction().execute(async (tx) => {
      // Serialise concurrent starters (two processes on one PostgreSQL).
      await sql`select pg_advisory_xact_lock(7261001)`.execute(tx);
      const again = await sql<{ n: number }>`select count(*)::int as n from schema_migrations where version = ${m.version}`.execute(tx);
      if ((again.rows[0]?.n ?? 0) > 0) return;
      await sql.raw(m.sql).execute(tx);
      await sql`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`.execute(tx);
      ran.push(`${m.version}_${m.name}`);
    });
  }
  return ran;
}

/** Versions not yet applied (for /readyz). */
export async function pendingMigrations(db: Db, migrations = readMigrations()): Promise<string[]> {
  await ensureTable(db);
  const done = new Set((await applied(db)).map((a) => a.version));
  return migrations.filter((m) => !done.has(m.version)).map((m) => `${m.version}_${m.name}`);
}
