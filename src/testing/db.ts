import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type DbHandle, type Engine } from '../platform/db.js';
import { withDatabase } from './global-setup.js';

/**
 * The engines store tests run on: PGlite always, PostgreSQL when the run has
 * one. With CI=true a missing PostgreSQL fails the run (global setup) instead of skipping.
 */
export function testEngines(): Engine[] {
  return inject('pgUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, migrated database with the reference units, cloned from the run's template. */
export async function openTestDb(engine: Engine): Promise<DbHandle> {
  if (engine === 'pglite') {
    const blob = new Blob([readFileSync(inject('pgliteTemplate'))]);
    return openPglite({ loadDataDir: blob });
  }
  const url = inject('pgUrl');
  const template = inject('pgTemplate');
  if (!url || !template) throw new Error('PostgreSQL is not available for this test run');
  // Named after this run's template, so concurrent runs on one server never drop each other's.
  const name = `${template}_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const handle = await openPostgres(withDatabase(url, name), 5);
  return {
    ...handle,
    async close() {
      await handle.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * The PostgreSQL server a durability test must use: the durable instance
 * (production fsync settings) when the run has one, else the fast one, which
 * proves nothing about durability (CI always has the durable one).
 * Databases named `<template>_t_…` are dropped by the global teardown.
 */
export function durablePg(): { url: string; template: string; durable: boolean } | null {
  const url = inject('durablePgUrl');
  const template = inject('durablePgTemplate');
  if (url && template) return { url, template, durable: true };
  const fast = inject('pgUrl');
  const fastTemplate = inject('pgTemplate');
  return fast && fastTemplate ? { url: fast, template: fastTemplate, durable: false } : null;
}
