import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogSnapshot } from '../catalog/snapshot.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/finder');
const lines = (f: string) =>
  readFileSync(path.join(dir, f), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { q: string; codes?: string[]; intents?: string[][]; source?: string });

describe('finder evaluation sets', () => {
  it('label every question with codes that exist in the catalog', async () => {
    const codes = new Set((await loadCatalogSnapshot()).map((p) => p.code));
    for (const f of ['dev-set.jsonl', 'test-set.jsonl']) {
      for (const it of lines(f)) {
        expect(it.codes?.length, it.q).toBeGreaterThan(0);
        for (const c of [...(it.codes ?? []), ...(it.intents ?? []).flat()]) expect(codes.has(c), `${f}: ${it.q} → ${c}`).toBe(true);
      }
    }
  });

  it('keep the test set at 300+ questions with provenance, none shared with the development set', () => {
    const test = lines('test-set.jsonl');
    expect(test.length).toBeGreaterThanOrEqual(300);
    expect(test.every((t) => t.source)).toBe(true);
    const dev = new Set(lines('dev-set.jsonl').map((d) => d.q.toLowerCase()));
    expect(test.filter((t) => dev.has(t.q.toLowerCase()))).toEqual([]);
    expect(lines('out-of-scope-test.jsonl').length).toBeGreaterThanOrEqual(50);
  });
});
