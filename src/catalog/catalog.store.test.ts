import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { catalogSlice } from '../testing/catalog.js';
import { getProcedure, getProcedureAt, importCatalog, listCurrentProcedures } from './catalog.store.js';
import type { Procedure } from './procedure.js';

describe.each(testEngines())('catalog import on %s', (engine) => {
  let h: DbHandle;
  let slice: Procedure[];
  beforeAll(async () => {
    h = await openTestDb(engine);
    slice = await catalogSlice(['1.001193', '1.003622', '1.000110'], 30);
  });
  afterAll(() => h.close());

  async function count(table: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(h.db);
    return r.rows[0]!.n;
  }

  it('imports procedures with their channels, papers by case, notes and steps as rows', async () => {
    const r = await importCatalog(h.db, slice, { source: 'test' });
    expect(r.added).toHaveLength(slice.length);
    const birth = await getProcedure(h.db, '1.001193');
    expect(birth?.name).toBe('Thủ tục đăng ký khai sinh');
    const papers = await h.db.selectFrom('procedure_paper').selectAll().where('code', '=', '1.001193').where('is_note', '=', false).execute();
    expect(papers.length).toBe(slice.find((p) => p.code === '1.001193')!.cases.reduce((n, c) => n + c.papers.length, 0));
    const notes = await h.db.selectFrom('procedure_paper').select('name').where('is_note', '=', true).execute();
    expect(notes.length).toBeGreaterThan(0);
    expect(await count('procedure_step')).toBeGreaterThan(0);
    const audit = await h.db.selectFrom('audit_log').select('detail').where('action', '=', 'catalog.import').execute();
    expect(audit).toHaveLength(1);
  });

  it('re-importing the same catalog changes nothing', async () => {
    const before = { v: await count('procedure_version'), p: await count('procedure_paper') };
    const r = await importCatalog(h.db, slice, { source: 'test again' });
    expect(r).toMatchObject({ added: [], changed: [], removed: [], unchanged: slice.length });
    expect({ v: await count('procedure_version'), p: await count('procedure_paper') }).toEqual(before);
  });

  it('versions a changed procedure; the old version stays in force for what was received before', async () => {
    const before = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const changed = slice.map((p) => (p.code === '1.001193' ? { ...p, requirements: 'Điều kiện mới (thử nghiệm)' } : p));
    const r = await importCatalog(h.db, changed, { source: 'test v2' });
    expect(r.changed).toEqual(['1.001193']);
    expect((await getProcedure(h.db, '1.001193'))?.version).toBe(2);
    const old = await getProcedureAt(h.db, '1.001193', before);
    expect(old?.version).toBe(1);
    expect(old?.requirements).not.toBe('Điều kiện mới (thử nghiệm)');
    expect((await getProcedureAt(h.db, '1.001193', new Date()))?.requirements).toBe('Điều kiện mới (thử nghiệm)');
  });

  it('marks procedures missing from an import as removed, and brings them back when they return', async () => {
    const without = slice.filter((p) => p.code !== '1.003622');
    const r = await importCatalog(h.db, without.map((p) => (p.code === '1.001193' ? { ...p, requirements: 'Điều kiện mới (thử nghiệm)' } : p)), { source: 'test v3' });
    expect(r.removed).toEqual(['1.003622']);
    expect(await getProcedure(h.db, '1.003622')).toBeNull();
    expect((await listCurrentProcedures(h.db)).map((p) => p.code)).not.toContain('1.003622');
    const back = await importCatalog(h.db, slice, { source: 'test v4' });
    expect(back.changed).toContain('1.003622');
    expect((await getProcedure(h.db, '1.003622'))?.version).toBe(2);
  });
});

describe('xaso import-catalog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xaso-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the portal format, reports what it did, and is idempotent', async () => {
    const fixtures = ['raw-1.001193', 'raw-1.003622', 'raw-1.014325', 'raw-1.014325-space'];
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, fixtures.map((f) => JSON.stringify(JSON.parse(readFileSync(new URL(`./fixtures/${f}.json`, import.meta.url), 'utf8')))).join('\n') + '\n');
    const env = { ...process.env, XASO_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    const run = (): Promise<{ stdout: string; stderr: string }> => promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts', 'import-catalog', file], { env });
    const first = await run();
    expect(first.stdout).toContain('Đọc 4 bản ghi → 3 thủ tục. Thêm 3, thay đổi 0, gỡ bỏ 0, giữ nguyên 0');
    expect(first.stderr).toContain('Trùng mã 1.014325');
    expect(first.stderr).toContain('Nhập thủ tục: 100%');
    const second = await run();
    expect(second.stdout).toContain('Thêm 0, thay đổi 0, gỡ bỏ 0, giữ nguyên 3');
  });
});
