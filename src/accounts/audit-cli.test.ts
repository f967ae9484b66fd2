import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../platform/db.js';
import { migrate } from '../platform/migrate.js';
import { appendAudit } from '../platform/audit.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'xaso-audit-'));
const env = { ...process.env, XASO_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' };

function xaso(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

describe('xaso command line', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help', async () => {
    const r = await xaso('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('audit verify');
  });

  it('`audit verify` passes on an intact log and names the first edited row', async () => {
    expect((await xaso('migrate')).out).toContain('0001_foundation');
    const h = await openPglite({ dir: join(dir, 'pgdata') });
    await migrate(h.db);
    for (let i = 0; i < 3; i++) {
      await h.db.transaction().execute((tx) => appendAudit(tx, { actorId: null, actorLabel: 'cli', action: 'test', subjectType: 't', subjectId: String(i) }));
    }
    await h.close();
    const ok = await xaso('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('3 bản ghi');

    const h2 = await openPglite({ dir: join(dir, 'pgdata') });
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(h2.db);
    await sql`update audit_log set subject_id = 'forged' where seq = 2`.execute(h2.db);
    await h2.close();
    const bad = await xaso('audit', 'verify');
    expect(bad.code).toBe(3);
    expect(bad.out).toContain('bản ghi số 2');
  });

  it('`create-admin` refuses bad input with Vietnamese messages naming the option', async () => {
    const r = await xaso('create-admin', '--email', 'not-an-email', '--name', 'A', '--province', '99');
    expect(r.code).toBe(2);
    expect(r.out).toContain('--email');
    expect(r.out).toContain('--province');
  });
});
