import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeOrphanTemps, storedPath } from './files.js';

describe('orphan temporary files after a crash', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function dataDir(): string {
    const d = mkdtempSync(join(tmpdir(), 'xaso-files-'));
    dirs.push(d);
    return d;
  }

  it('removes what a write left before its rename, and nothing else', async () => {
    const dir = dataDir();
    const sha = 'a'.repeat(64);
    const stored = storedPath(dir, sha);
    mkdirSync(join(stored, '..'), { recursive: true });
    writeFileSync(stored, 'kept');
    const orphanFile = `${stored}.0123456789ab.tmp`;
    writeFileSync(orphanFile, 'half');
    mkdirSync(join(dir, 'uploads', 'feedback'), { recursive: true });
    const orphanPhoto = join(dir, 'uploads', 'feedback', `${'b'.repeat(64)}.jpg.ba9876543210.tmp`);
    writeFileSync(orphanPhoto, 'half');
    const orphanCheckpoint = join(dir, 'audit-checkpoint.json.cafecafecafe.tmp');
    writeFileSync(orphanCheckpoint, '{');
    const notOurs = join(dir, 'uploads', 'notes.tmp');
    writeFileSync(notOurs, 'someone else');
    mkdirSync(join(dir, 'pgdata'));
    const database = join(dir, 'pgdata', 'x.0123456789ab.tmp');
    writeFileSync(database, 'the database engine owns this');

    expect(await removeOrphanTemps(dir)).toBe(3);
    expect([existsSync(orphanFile), existsSync(orphanPhoto), existsSync(orphanCheckpoint)]).toEqual([false, false, false]);
    expect([existsSync(stored), existsSync(notOurs), existsSync(database)]).toEqual([true, true, true]);
  });

  it('spares recent files when another live instance may be writing them', async () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'files'));
    const recent = join(dir, 'files', 'x.0123456789ab.tmp');
    const old = join(dir, 'files', 'y.0123456789ab.tmp');
    writeFileSync(recent, '');
    writeFileSync(old, '');
    const now = Date.parse('2026-03-09T10:00:00Z');
    utimesSync(recent, new Date(now - 60_000), new Date(now - 60_000));
    utimesSync(old, new Date(now - 2 * 3_600_000), new Date(now - 2 * 3_600_000));
    expect(await removeOrphanTemps(dir, 3_600_000, now)).toBe(1);
    expect([existsSync(recent), existsSync(old)]).toEqual([true, false]);
  });

  it('copes with a data folder that has no files yet', async () => {
    expect(await removeOrphanTemps(join(dataDir(), 'missing'))).toBe(0);
  });
});
