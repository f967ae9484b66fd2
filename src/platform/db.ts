import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Logger } from './logger.js';

/**
 * The whole schema as Kysely sees it. Each feature adds its tables by
 * declaration merging (`declare module '../platform/db.js' { interface Database … }`),
 * so features stay in their own folders.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Store functions take either, so they compose inside a transaction. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export type Engine = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
}

/** A FIFO mutex: PGlite has one connection, so a transaction must own it until it ends. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Like `pg`, use the simple protocol when there are no parameters, so a
    // migration script may hold several statements.
    const result =
      query.parameters.length === 0
        ? ((await this.pglite.exec(query.sql)).at(-1) ?? { rows: [] as R[], affectedRows: 0 })
        : await this.pglite.query<R>(query.sql, query.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite: streaming queries are not supported');
  }
}

/**
 * Kysely driver over one PGlite instance. Every acquisition takes the mutex and
 * a transaction keeps it until commit/rollback, so a concurrent statement can
 * never run inside (and leak into, or be rolled back with) someone else's transaction.
 */
class PgliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: PgliteConnection;
  #release: (() => void) | null = null;
  constructor(private readonly pglite: PGlite) {
    this.#connection = new PgliteConnection(pglite);
  }
  async init(): Promise<void> {
    await this.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }
  async destroy(): Promise<void> {
    await this.pglite.close();
  }
}

function pgliteDialect(pglite: PGlite): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(pglite),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

// Return bigint columns (counts, sequences) as numbers and dates as Date, like PGlite.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// A calendar date stays `YYYY-MM-DD`: turning it into a Date would shift it by the time zone.
pg.types.setTypeParser(1082, (v) => v);

/**
 * `onIdleError` hears about idle connections the server closed (restart, failover,
 * a dropped database). The pool replaces them; without a listener Node would crash.
 */
export async function openPostgres(url: string, max = 10, onIdleError: (err: Error) => void = () => {}): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', onIdleError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/** Opens (creating if needed) the embedded database in `dir`, or from a dumped data dir. */
export async function openPglite(opts: { dir?: string; loadDataDir?: Blob | File }): Promise<DbHandle & { dump(): Promise<Blob> }> {
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const pglite = await PGlite.create({
    parsers: { 1082: (v: string) => v },
    // The buffer pool lives in the server's own heap (WASM memory never shrinks): keep it
    // small, the OS page cache still holds the files. 128 MB (the default) pushed RSS past 512 MB.
    postgresqlconf: ['shared_buffers=32MB'],
    ...(opts.dir ? { dataDir: opts.dir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const db = new Kysely<Database>({ dialect: pgliteDialect(pglite) });
  return { db, engine: 'pglite', close: () => db.destroy(), dump: () => pglite.dumpDataDir('gzip') };
}

export async function openDatabase(cfg: { databaseUrl: string | null; dataDir: string }, log?: Pick<Logger, 'warn'>): Promise<DbHandle> {
  if (cfg.databaseUrl) return openPostgres(cfg.databaseUrl, 10, (err) => log?.warn({ err }, 'PostgreSQL closed an idle connection'));
  return openPglite({ dir: join(cfg.dataDir, 'pgdata') });
}
