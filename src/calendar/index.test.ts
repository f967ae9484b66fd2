import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HolidayTableError, loadDefaultCalendar, loadHolidayTables } from './index.js';

describe('loadDefaultCalendar', () => {
  it('reads the committed tables and falls back to computed years', async () => {
    const cal = await loadDefaultCalendar();
    expect(cal.tableYears).toEqual([2025, 2026, 2027]);
    expect(cal.explain('2026-04-27').computed).toBe(false);
    expect(cal.explain('2030-09-03').computed).toBe(true);
  });

  it('the committed tables list their days in date order', async () => {
    for (const t of await loadHolidayTables()) {
      const dates = t.days.map((d) => d.date);
      expect(dates).toEqual([...dates].sort());
    }
  });
});

describe('loadHolidayTables', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  async function withFiles(files: Record<string, string>): Promise<URL> {
    dir = await mkdtemp(join(tmpdir(), 'xaso-holidays-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return pathToFileURL(`${dir}/`);
  }

  const table = (year: number): string =>
    JSON.stringify({ year, status: 'official', source: 'test', days: [{ kind: 'holiday', date: `${year}-01-01`, name: 'Tết Dương lịch', occasion: 'new-year' }] });

  it('ignores files that are not YYYY.json', async () => {
    const url = await withFiles({ '2030.json': table(2030), 'README.md': '# x', 'schema.json': '{}' });
    expect((await loadHolidayTables(url)).map((t) => t.year)).toEqual([2030]);
  });

  it('rejects a file whose year does not match its name', async () => {
    const url = await withFiles({ '2031.json': table(2030) });
    await expect(loadHolidayTables(url)).rejects.toThrow(/declares year 2030/);
  });

  it('rejects malformed JSON, naming the file', async () => {
    const url = await withFiles({ '2030.json': '{ "year": 2030,' });
    await expect(loadHolidayTables(url)).rejects.toThrow(HolidayTableError);
    await expect(loadHolidayTables(url)).rejects.toThrow(/2030\.json/);
  });
});
