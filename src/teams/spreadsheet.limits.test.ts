import { describe, expect, it } from 'vitest';
import { MAX_ROWS, checkZipSize, readSpreadsheet } from './spreadsheet.js';
import { xlsxBomb } from './spreadsheet.bomb.js';

describe('hostile spreadsheets', () => {
  it('refuses two million rows compressed small before unpacking them', async () => {
    const bomb = xlsxBomb(2_000_000);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(checkZipSize(bomb)).toBe('too-big');
    const read = await readSpreadsheet(bomb);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(/quá lớn hoặc có quá nhiều dòng/);
  });

  it('does not trust the sizes the zip declares: the real unpacked size is capped while inflating', async () => {
    const liar = xlsxBomb(2_000_000, { lieAboutSize: true });
    expect(checkZipSize(liar)).toBe('too-big');
    expect(checkZipSize(liar, 1024 * 1024 * 1024)).toBeNull();
  });

  it('stops reading at the row limit: a long sheet under the size cap is never read to its end', async () => {
    const long = xlsxBomb(200_000, { numbered: true });
    expect(checkZipSize(long)).toBeNull();
    const read = await readSpreadsheet(long);
    expect(read.ok).toBe(true);
    // One past the limit is what the importer needs to say "too many rows"; the other 179,979 rows are never parsed.
    expect(read.ok && read.rows.length).toBe(MAX_ROWS + 21);
  });

  it('refuses a cell far to the right instead of reading sixteen thousand empty columns per row', async () => {
    const read = await readSpreadsheet(xlsxBomb(0, { farColumn: true }));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(/quá 100 cột/);
  });

  it('parses off the request thread: the event loop keeps turning while a big file is read', async () => {
    let turns = 0;
    let done = false;
    const ticking = (async () => {
      while (!done) {
        await new Promise((r) => setImmediate(r));
        turns++;
      }
    })();
    const read = await readSpreadsheet(xlsxBomb(60_000, { numbered: true }));
    done = true;
    await ticking;
    expect(read.ok).toBe(true);
    expect(turns).toBeGreaterThan(10);
  });

  it('reports a broken zip as unreadable, without throwing', async () => {
    const broken = xlsxBomb(10).subarray(0, 200);
    expect(checkZipSize(broken)).toBe('unreadable');
    const read = await readSpreadsheet(broken);
    expect(!read.ok && read.error).toMatch(/Không đọc được tệp Excel/);
  });
});
