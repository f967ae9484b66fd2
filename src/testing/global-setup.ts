import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openPglite, openPostgres } from '../platform/db.js';
import { migrate } from '../platform/migrate.js';
import { ensureUnits } from '../units/units.store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string | null;
    pgUrl: string | null;
  }
}

/**
 * Migrates one template per engine for the whole run; each test file clones it
 * (PGlite: from a dumped data dir, ~1 s instead of ~5 s; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = join(process.cwd(), '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pglite-template-${process.pid}.tar.gz`);
  const lite = await openPglite({});
  await migrate(lite.db);
  await ensureUnits(lite.db);
  const dump = await lite.dump();
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('pgliteTemplate', file);

  const pgUrl = process.env.XASO_TEST_PG_URL ?? null;
  if (!pgUrl && process.env.CI === 'true') {
    throw new Error('CI=true but XASO_TEST_PG_URL is not set: the PostgreSQL suites must run in CI (see .ci/run).');
  }
  let pgTemplate: string | null = null;
  if (pgUrl) {
    pgTemplate = `xaso_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${pgTemplate}`);
    await admin.query(`create database ${pgTemplate}`);
    await admin.end();
    const tpl = await openPostgres(withDatabase(pgUrl, pgTemplate), 2);
    await migrate(tpl.db);
    await ensureUnits(tpl.db);
    await tpl.close();
  }
  project.provide('pgTemplate', pgTemplate);
  project.provide('pgUrl', pgUrl);

  return async () => {
    rmSync(file, { force: true });
    if (pgUrl && pgTemplate) {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      const dbs = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2`, [`${pgTemplate}_t_%`, pgTemplate]);
      for (const { datname } of dbs.rows) await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
