/**
 * A PostgreSQL database of the benchmark's own, on a server with production
 * durability settings: XASO_DURABLE_PG_URL's, or the one
 * `scripts/test-postgres.sh durable` starts (or finds running). Never the fast
 * unit-test instance (fsync off), whose numbers say nothing about a real server.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

function serverUrl(root: string): string {
  if (process.env.XASO_DURABLE_PG_URL) return process.env.XASO_DURABLE_PG_URL;
  const out = execFileSync('bash', [join(root, 'scripts/test-postgres.sh'), 'durable'], { encoding: 'utf8' });
  const m = /XASO_DURABLE_PG_URL=(\S+)/.exec(out);
  if (!m) throw new Error(`scripts/test-postgres.sh durable printed no URL:\n${out}`);
  return m[1]!;
}

async function admin<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** Process ids of the server processes connected to this database (their CPU is the benchmark's). */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

/** Creates a fresh, empty database named `<prefix>_<random>`. */
export async function createBenchDatabase(root: string, prefix: string): Promise<BenchDatabase> {
  const server = serverUrl(root);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(server, (c) => c.query(`create database ${name}`));
  const u = new URL(server);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    name,
    url,
    backendPids: () => admin(server, async (c) => (await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name])).rows.map((r) => r.pid)),
    drop: () => admin(server, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
