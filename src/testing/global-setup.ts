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
    /** PostgreSQL with production durability settings (scripts/test-postgres.sh durable), for the crash test. */
    durablePgUrl: string | null;
    durablePgTemplate: string | null;
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
  const pgTemplate = pgUrl ? await pgTemplateOn(pgUrl) : null;
  project.provide('pgTemplate', pgTemplate);
  project.provide('pgUrl', pgUrl);

  const durablePgUrl = process.env.XASO_DURABLE_PG_URL ?? null;
  if (!durablePgUrl && process.env.CI === 'true') {
    throw new Error('CI=true but XASO_DURABLE_PG_URL is not set: the crash test must run on PostgreSQL with production durability settings (see .ci/run).');
  }
  const durablePgTemplate = durablePgUrl ? await pgTemplateOn(durablePgUrl) : null;
  project.provide('durablePgUrl', durablePgUrl);
  project.provide('durablePgTemplate', durablePgTemplate);

  return async () => {
    rmSync(file, { force: true });
    if (pgUrl && pgTemplate) await dropTemplate(pgUrl, pgTemplate);
    if (durablePgUrl && durablePgTemplate) await dropTemplate(durablePgUrl, durablePgTemplate);
  };
}

async function pgTemplateOn(url: string): Promise<string> {
  const template = `xaso_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();
  const tpl = await openPostgres(withDatabase(url, template), 2);
  await migrate(tpl.db);
  await ensureUnits(tpl.db);
  await tpl.close();
  return template;
}

async function dropTemplate(url: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const dbs = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2`, [`${template}_t_%`, template]);
  for (const { datname } of dbs.rows) await admin.query(`drop database if exists ${datname} with (force)`);
  await admin.end();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
