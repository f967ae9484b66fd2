import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Procedure } from './procedure.js';
import { CatalogSnapshotError, loadCatalogSnapshot } from './snapshot.js';

describe('committed catalog snapshot (data/catalog/procedures.jsonl.gz)', () => {
  let catalog: Procedure[];
  beforeAll(async () => {
    catalog = await loadCatalogSnapshot();
  });

  it('loads and validates more than 5,000 procedures', () => {
    expect(catalog.length).toBeGreaterThan(5000);
  });

  it('has unique codes, sorted', () => {
    const codes = catalog.map((p) => p.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
  });

  it('contains 1.001193 (đăng ký khai sinh) with its papers', () => {
    const birth = catalog.find((p) => p.code === '1.001193');
    expect(birth?.name).toBe('Thủ tục đăng ký khai sinh');
    expect(birth?.levels).toContain('commune');
    const papers = birth!.cases.flatMap((c) => c.papers.map((x) => x.name));
    expect(papers.length).toBeGreaterThanOrEqual(8);
    expect(papers.some((n) => n.startsWith('Giấy chứng sinh'))).toBe(true);
    expect(papers.some((n) => n.startsWith('Tờ khai đăng ký khai sinh'))).toBe(true);
  });

  it('marks 1.003622 as disputed, and is NFC throughout', () => {
    expect(catalog.find((p) => p.code === '1.003622')).toMatchObject({ onlineLevel: 'offline', onlineLevelDisputed: true });
    const sample = JSON.stringify(catalog.slice(0, 500));
    expect(sample).toBe(sample.normalize('NFC'));
  });
});

describe('loadCatalogSnapshot on a broken file', () => {
  it('names the bad line', async () => {
    const good = (await loadCatalogSnapshot()).slice(0, 2).map((p) => JSON.stringify(p));
    const bad = JSON.stringify({ ...JSON.parse(good[1]!), onlineLevel: 'sometimes' });
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    const file = join(dir, 'broken.jsonl.gz');
    writeFileSync(file, gzipSync([good[0], bad, good[1]].join('\n')));
    await expect(loadCatalogSnapshot(file)).rejects.toThrow(CatalogSnapshotError);
    await expect(loadCatalogSnapshot(file)).rejects.toThrow(/line 2: .*onlineLevel/);

    writeFileSync(file, gzipSync(`${good[0]}\n{not json\n`));
    await expect(loadCatalogSnapshot(file)).rejects.toThrow(/line 2: invalid JSON/);
  });
});
