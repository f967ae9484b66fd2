import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.js';
import type { DbHandle } from '../platform/db.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { importTeamMembersFile } from './teams.cli.js';
import { HOME, OTHER } from './teams.fixtures.js';
import { importMembers, importVillages } from './teams.import.js';
import { decodeCsv, firstInvalidUtf8 } from './spreadsheet.js';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WHO = { id: null, label: 'kiểm thử' };
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Windows-1258-style bytes: what an old Excel "CSV" of Vietnamese names looks like. */
function legacyBytes(s: string): Uint8Array {
  return Uint8Array.from([...s].map((ch) => (ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 0xe0 + (ch.charCodeAt(0) % 16))));
}

async function xlsx(rows: (string | number)[][], opts: { titleRow?: string; blankFirstSheet?: boolean } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (opts.blankFirstSheet) wb.addWorksheet('Hướng dẫn');
  const ws = wb.addWorksheet('Danh sách');
  if (opts.titleRow) ws.addRow([opts.titleRow]);
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function memberCount(h: DbHandle, commune: string): Promise<number> {
  const r = await h.db.selectFrom('team_member').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_code', '=', commune).where('left_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('spreadsheet decoding', () => {
  it('finds the first byte that is not UTF-8', () => {
    expect(firstInvalidUtf8(utf8('Nguyễn Văn An'))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xc3]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xe0, 0x80, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
  });

  it('reads UTF-8 with a BOM and UTF-16 (Excel "Unicode text"), refuses legacy encodings and broken text', () => {
    expect(decodeCsv(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('Họ tên')]))).toEqual({ ok: true, text: 'Họ tên' });
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Họ tên', 'utf16le')]);
    expect(decodeCsv(new Uint8Array(u16))).toEqual({ ok: true, text: 'Họ tên' });
    const legacy = decodeCsv(legacyBytes('Họ tên,Số điện thoại\nNguyễn,0912345678'));
    expect(legacy.ok).toBe(false);
    expect((legacy as { error: string }).error).toContain('UTF-8');
    expect((legacy as { error: string }).error).toContain('dòng 1');
    const mojibake = decodeCsv(utf8('Họ tên\nNguyá»…n VÄƒn An'));
    expect((mojibake as { error: string }).error).toContain('dòng 2');
  });
});

describe.each(testEngines())('member import on %s', (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb(engine);
    await seedDemo(h.db);
  });
  afterAll(() => h.close());

  it('imports a good CSV: headers without diacritics, semicolons, a dropped leading zero, new teams', async () => {
    const before = await memberCount(h, HOME);
    const csv = ['ho ten;so dien thoai;thon/to;vai tro;to', 'Lý Thị Mận;0988111001;Khu phố 2;Tổ trưởng;', 'Tạ Văn Đức;988111002;khu pho 2;doan thanh nien;', 'Mai Thị Lụa;0988 111 003;Khu phố 3;;Tổ CNS số 2 khu phố 3'].join('\r\n');
    const r = await importMembers(h.db, WHO, HOME, utf8(csv), { source: 'test.csv' });
    expect(r).toMatchObject({ ok: true, added: 3, rows: 3, refused: [], teamsCreated: ['Tổ CNS số 2 khu phố 3'] });
    expect(await memberCount(h, HOME)).toBe(before + 3);
    const duc = await h.db.selectFrom('team_member').select(['phone', 'role']).where('full_name', '=', 'Tạ Văn Đức').executeTakeFirstOrThrow();
    expect(duc).toEqual({ phone: '0988111002', role: 'youth_union' });
    const audit = await h.db.selectFrom('audit_log').select(['pd_changed', 'detail']).where('action', '=', 'teams.members_import').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.pd_changed).toEqual(['full_name', 'phone', 'role']);
    expect(audit.detail).toMatchObject({ added: 3, source: 'test.csv', format: 'csv' });
  });

  it('imports an .xlsx with a title row above the headers and an empty first sheet', async () => {
    const file = await xlsx(
      [
        ['STT', 'Họ và tên', 'Số điện thoại', 'Thôn/Tổ', 'Vai trò', 'Tổ'],
        [1, 'Đinh Văn Hải', 988222001, 'Khu phố 4', 'Công an', ''],
        [2, 'Kiều Thị Nga', '0988222002', 'Khu phố 4', 'Hội phụ nữ', ''],
      ],
      { titleRow: 'DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG', blankFirstSheet: true },
    );
    const r = await importMembers(h.db, WHO, HOME, file, { source: 'ds.xlsx' });
    expect(r).toMatchObject({ ok: true, added: 2, ignoredColumns: ['STT'] });
    expect((await h.db.selectFrom('team_member').select('phone').where('full_name', '=', 'Đinh Văn Hải').executeTakeFirstOrThrow()).phone).toBe('0988222001');
  });

  it('refuses a file with wrong columns, naming what is missing and what it found', async () => {
    const r = await importMembers(h.db, WHO, HOME, utf8('Name,Tel\nA,0912345678'), { source: 'x.csv' });
    expect(r.ok).toBe(false);
    expect(r.fileError).toContain('"Họ tên"');
    expect(r.fileError).toContain('"Thôn/tổ"');
    expect(r.fileError).toContain('"Tel"');
  });

  it('refuses the whole file, row by row, for duplicate phones, unknown villages, bad or missing fields', async () => {
    const before = await memberCount(h, HOME);
    const existing = (await h.db.selectFrom('team_member').select('phone').where('commune_code', '=', HOME).limit(1).executeTakeFirstOrThrow()).phone;
    const csv = [
      'Họ tên,Số điện thoại,Thôn/tổ,Vai trò,Tổ',
      'Người Tốt,0988333001,Khu phố 1,,', // line 2: fine, but not written
      'Trùng Trong Tệp,0988333001,Khu phố 1,,', // 3
      `Đã Có,${existing},Khu phố 1,,`, // 4
      'Lạc Thôn,0988333004,Ấp Không Có,,', // 5
      ',0988333005,Khu phố 1,,', // 6
      'Sai Số,12345,Khu phố 1,,', // 7
      'Sai Vai,0988333007,Khu phố 1,giám đốc,', // 8
      'Sai Tổ,0988333008,Khu phố 1,,Tổ công nghệ số Khu phố 2', // 9
    ].join('\n');
    const r = await importMembers(h.db, WHO, HOME, utf8(csv), { source: 'bad.csv' });
    expect(r.ok).toBe(false);
    expect(r.rows).toBe(8);
    const byLine = Object.fromEntries(r.refused.map((x) => [x.line, x.problems.join(' | ')]));
    expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(byLine[3]).toContain('trùng với dòng 2');
    expect(byLine[4]).toContain('đã có trong danh sách thành viên');
    expect(byLine[5]).toContain('"Ấp Không Có" chưa có trong danh sách');
    expect(byLine[6]).toContain('thiếu họ tên');
    expect(byLine[7]).toContain('"12345" chưa đúng');
    expect(byLine[8]).toContain('vai trò "giám đốc" không rõ');
    expect(byLine[9]).toContain('không thuộc Khu phố 1');
    expect(await memberCount(h, HOME)).toBe(before);
    expect(await h.db.selectFrom('team_member').select('id').where('phone', '=', '0988333001').executeTakeFirst()).toBeUndefined();
  });

  it('refuses a CSV that is not UTF-8, writing nothing', async () => {
    const before = await memberCount(h, HOME);
    const r = await importMembers(h.db, WHO, HOME, legacyBytes('Họ tên,Số điện thoại,Thôn/tổ\nNguyễn Văn Bé,0988444001,Khu phố 1'), { source: 'old.csv' });
    expect(r.ok).toBe(false);
    expect(r.fileError).toMatch(/UTF-8.*Windows-1258/);
    expect(await memberCount(h, HOME)).toBe(before);
  });

  it('refuses other files by content: an old .xls, a PDF, a broken .xlsx, an empty file', async () => {
    expect((await importMembers(h.db, WHO, HOME, Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]))).fileError).toContain('.xls');
    expect((await importMembers(h.db, WHO, HOME, utf8('%PDF-1.7 ...'))).fileError).toContain('PDF');
    expect((await importMembers(h.db, WHO, HOME, Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9]))).fileError).toContain('Excel');
    expect((await importMembers(h.db, WHO, HOME, new Uint8Array())).fileError).toContain('trống');
    expect((await importMembers(h.db, WHO, HOME, utf8('Họ tên,Số điện thoại,Thôn/tổ\n'))).fileError).toContain('chỉ có dòng tiêu đề');
  });

  it('imports villages and their household counts, updating the ones that exist (all or nothing)', async () => {
    const csv = 'Tên thôn,Số hộ,Loại\nKhu phố Ninh Thọ,1.234,\nKhu phố Mới,250,khu phố\nẤp Bàu Sen,180,';
    const r = await importVillages(h.db, WHO, OTHER, utf8(csv), { source: 'thon.csv' });
    expect(r).toMatchObject({ ok: true, added: 2, updated: 1 });
    const rows = await h.db.selectFrom('team_village').select(['name', 'kind', 'households', 'households_source']).where('commune_code', '=', OTHER).where('name', 'in', ['Khu phố Ninh Thọ', 'Khu phố Mới', 'Ấp Bàu Sen']).orderBy('name').execute();
    expect(rows).toEqual([
      { name: 'Khu phố Mới', kind: 'khu_pho', households: 250, households_source: 'imported' },
      { name: 'Khu phố Ninh Thọ', kind: 'khu_pho', households: 1234, households_source: 'imported' },
      { name: 'Ấp Bàu Sen', kind: 'ap', households: 180, households_source: 'imported' },
    ]);
    const bad = await importVillages(h.db, WHO, OTHER, utf8('Thôn,Số hộ\nẤp Bàu Sen,nhiều\nẤp Mới Nữa,10\nap bau sen,20'), { source: 'bad.csv' });
    expect(bad.ok).toBe(false);
    expect(bad.refused.map((x) => x.line)).toEqual([2, 4]);
    expect(await h.db.selectFrom('team_village').select('id').where('name', '=', 'Ấp Mới Nữa').executeTakeFirst()).toBeUndefined();
  });

  it('reads the CLI file and reports like the web form', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xaso-teams-'));
    const good = join(dir, 'good.csv');
    await writeFile(good, 'Họ tên,Số điện thoại,Thôn/tổ\nCao Văn Tú,0988555001,Khu phố Ninh Thọ\n');
    const progress: [number, number][] = [];
    const ok = await importTeamMembersFile(h.db, good, OTHER, (d, t) => progress.push([d, t]));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('đã nhập 1 thành viên');
    expect(progress.at(-1)).toEqual([1, 1]);
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'Họ tên,Số điện thoại,Thôn/tổ\nCao Văn Tú,0988555001,Khu phố Ninh Thọ\n');
    const refused = await importTeamMembersFile(h.db, bad, OTHER);
    expect(refused.code).toBe(4);
    expect(refused.err).toContain('Dòng 2 (Cao Văn Tú)');
    expect((await importTeamMembersFile(h.db, join(dir, 'missing.csv'), OTHER)).code).toBe(2);
    expect((await importTeamMembersFile(h.db, good, '99999')).code).toBe(2);
  });
});
