/**
 * Team-member import: 10,000 rows through the real service (read the file,
 * check every row against the registry, write in one transaction, audit) on an
 * embedded PGlite database, beside a baseline measured in the same run: a plain
 * multi-row INSERT of the same rows. Target: 10,000 members in at most 10 s.
 *
 *   npx tsx bench/teams-import.bench.ts [--rows 10000] [--repeat 3]
 *
 * Writes bench/results/teams-import-<YYYY-MM-DD>.md (date, machine, figures).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { openPglite } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { ensureUnits } from '../src/units/units.store.js';
import { findProvince } from '../src/units/units.js';
import { readSpreadsheet } from '../src/teams/spreadsheet.js';
import { importMembers } from '../src/teams/teams.import.js';
import { nameKey, todayVn } from '../src/teams/teams.schema.js';
import type { MemberRole } from '../src/teams/teams.tables.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' }, repeat: { type: 'string', default: '3' } } });
const ROWS = Number(values.rows);
const REPEAT = Number(values.repeat);
const TARGET_MS = 10_000;
const VILLAGES = 40;
// Communes of Tây Ninh (80): each run imports into a commune of its own, so every import starts from the same state.
const COMMUNES = findProvince('80')!.communes.slice(0, 12).map((c) => c.code);

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Quốc', 'Thanh', 'Hữu', 'Thu'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Hạnh', 'Hùng', 'Lan', 'Mai', 'Nam', 'Phúc', 'Quyên', 'Sơn', 'Tâm', 'Uyên', 'Vy', 'Yến'];
const ROLE_TEXT = ['Tổ trưởng', 'Đoàn thanh niên', 'Hội phụ nữ', 'Công an', 'Trưởng ấp', ''];
const ROLE_CODE: MemberRole[] = ['leader', 'youth_union', 'women_union', 'police', 'village_head', 'other'];

interface Row {
  name: string;
  phone: string;
  village: string;
  roleText: string;
  role: MemberRole;
  team: string;
}

function rows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => {
    const v = i % VILLAGES;
    const r = i % 25 === 0 ? 0 : 1 + (i % 5);
    return {
      name: `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i >> 2) % MIDDLE.length]} ${GIVEN[(i >> 4) % GIVEN.length]}`,
      phone: `09${String(10_000_000 + i).padStart(8, '0')}`,
      village: `Ấp ${v + 1}`,
      roleText: ROLE_TEXT[r]!,
      role: ROLE_CODE[r]!,
      team: `Tổ công nghệ số Ấp ${v + 1}`,
    };
  });
}

function csv(data: Row[]): Uint8Array {
  const lines = ['Họ tên,Số điện thoại,Thôn/tổ,Vai trò,Tổ', ...data.map((r) => `${r.name},${r.phone},${r.village},${r.roleText},${r.team}`)];
  return new TextEncoder().encode(lines.join('\r\n'));
}

async function xlsx(data: Row[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Thành viên');
  ws.addRow(['Họ tên', 'Số điện thoại', 'Thôn/tổ', 'Vai trò', 'Tổ']);
  for (const r of data) ws.addRow([r.name, r.phone, r.village, r.roleText, r.team]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; 1-min load average at start ${os.loadavg()[0]!.toFixed(2)}`;
}

function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  if (REPEAT * 3 > COMMUNES.length) throw new Error(`--repeat at most ${Math.floor(COMMUNES.length / 3)}`);
  const started = new Date();
  const host = machine();
  process.stderr.write(`Máy: ${host}\nĐang tạo CSDL PGlite mới (khoảng 5–10 giây)…\n`);
  const h = await openPglite({});
  await migrate(h.db);
  await ensureUnits(h.db);
  const data = rows(ROWS);
  const files = { csv: csv(data), xlsx: await xlsx(data) };
  process.stderr.write(`Tệp: CSV ${(files.csv.length / 1024).toFixed(0)} KB, XLSX ${(files.xlsx.length / 1024).toFixed(0)} KB, ${ROWS} dòng, ${VILLAGES} ấp.\n`);

  // Every commune gets the same villages; the baseline's communes also get the teams the import would create.
  for (const [ci, commune] of COMMUNES.entries()) {
    const villageIds = await h.db
      .insertInto('team_village')
      .values(Array.from({ length: VILLAGES }, (_, v) => ({ commune_code: commune, name: `Ấp ${v + 1}`, name_key: nameKey(`Ấp ${v + 1}`), kind: 'ap' as const, households: 500, households_source: 'entered' as const })))
      .returning('id')
      .execute();
    if (ci % 3 === 2) {
      await h.db
        .insertInto('team')
        .values(villageIds.map((v, i) => ({ commune_code: commune, village_id: v.id, name: `Tổ công nghệ số Ấp ${i + 1}`, name_key: nameKey(`Tổ công nghệ số Ấp ${i + 1}`) })))
        .execute();
    }
  }

  const who = { id: null, label: 'bench' };
  const results: { csv: number[]; xlsx: number[]; baseline: number[]; parseCsv: number[]; parseXlsx: number[] } = { csv: [], xlsx: [], baseline: [], parseCsv: [], parseXlsx: [] };
  const count = async (commune: string) =>
    Number((await h.db.selectFrom('team_member').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_code', '=', commune).executeTakeFirstOrThrow()).n);

  for (let rep = 0; rep < REPEAT; rep++) {
    const [cCsv, cXlsx, cBase] = [COMMUNES[rep * 3]!, COMMUNES[rep * 3 + 1]!, COMMUNES[rep * 3 + 2]!];

    let t = performance.now();
    await readSpreadsheet(files.csv);
    results.parseCsv.push(performance.now() - t);
    t = performance.now();
    await readSpreadsheet(files.xlsx);
    results.parseXlsx.push(performance.now() - t);

    t = performance.now();
    const a = await importMembers(h.db, who, cCsv, files.csv, { source: 'bench.csv' });
    results.csv.push(performance.now() - t);
    if (!a.ok || (await count(cCsv)) !== ROWS) throw new Error(`CSV import failed: ${a.fileError ?? JSON.stringify(a.refused.slice(0, 3))}`);

    t = performance.now();
    const b = await importMembers(h.db, who, cXlsx, files.xlsx, { source: 'bench.xlsx' });
    results.xlsx.push(performance.now() - t);
    if (!b.ok || (await count(cXlsx)) !== ROWS) throw new Error(`XLSX import failed: ${b.fileError ?? JSON.stringify(b.refused.slice(0, 3))}`);

    // Baseline: the same rows, already parsed and resolved to team ids, as a plain multi-row INSERT in one transaction.
    const teams = new Map((await h.db.selectFrom('team').select(['id', 'name']).where('commune_code', '=', cBase).execute()).map((x) => [x.name, x.id]));
    t = performance.now();
    await h.db.transaction().execute(async (tx) => {
      for (let i = 0; i < data.length; i += 1000) {
        await tx
          .insertInto('team_member')
          .values(data.slice(i, i + 1000).map((r) => ({ commune_code: cBase, team_id: teams.get(r.team)!, full_name: r.name, phone: r.phone, role: r.role, user_id: null, left_at: null })))
          .execute();
      }
    });
    results.baseline.push(performance.now() - t);
    if ((await count(cBase)) !== ROWS) throw new Error('baseline insert failed');
    process.stderr.write(`Lượt ${rep + 1}/${REPEAT}: CSV ${(results.csv.at(-1)! / 1000).toFixed(2)} s, XLSX ${(results.xlsx.at(-1)! / 1000).toFixed(2)} s, INSERT ${(results.baseline.at(-1)! / 1000).toFixed(2)} s\n`);
  }
  await h.close();

  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<keyof typeof results, number>;
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const all = (xs: number[]) => xs.map(s).join(' / ');
  const verdict = (ms: number) => (ms <= TARGET_MS ? 'yes' : '**no**');
  const date = todayVn();
  const md = `# Team-member import benchmark — ${date}

Run ${started.toISOString()} at revision ${revision()}.
Machine: ${host}. Shared machine: wall-clock figures are noisy; compare the ratios to the baseline.
Database: PGlite (in memory), migrated, with ${VILLAGES} villages per commune. ${ROWS.toLocaleString('en')} generated rows (name, phone, village, role, team), each import into a commune of its own.
Files: CSV ${(files.csv.length / 1024).toFixed(0)} KB, XLSX ${(files.xlsx.length / 1024).toFixed(0)} KB.

## What is timed

- **Import (service)**: \`importMembers()\` end to end: read the file (content sniffing, UTF-8 check, CSV or XLSX parse), map the columns, check every row against the commune's registry (villages, teams, phones already registered, duplicates in the file, roles, linked accounts), create the ${VILLAGES} teams the file names, insert the rows in chunks of 1,000, append the audit entry — all in one transaction.
- **Baseline**: the same ${ROWS.toLocaleString('en')} rows, already parsed and resolved to team ids, inserted with a plain multi-row \`INSERT\` in chunks of 1,000 in one transaction, into a third commune whose teams exist.
- **Parse only**: \`readSpreadsheet()\` of each file, for the breakdown.

Median of ${REPEAT} runs, every run in the third column; seconds.

| | median (s) | runs (s) | ≤ 10 s | ÷ baseline |
|---|---|---|---|---|
| Import CSV (service) | ${s(m.csv)} | ${all(results.csv)} | ${verdict(m.csv)} | ${(m.csv / m.baseline).toFixed(1)} |
| Import XLSX (service) | ${s(m.xlsx)} | ${all(results.xlsx)} | ${verdict(m.xlsx)} | ${(m.xlsx / m.baseline).toFixed(1)} |
| Baseline: plain multi-row INSERT | ${s(m.baseline)} | ${all(results.baseline)} | | 1.0 |
| Parse only, CSV | ${s(m.parseCsv)} | ${all(results.parseCsv)} | | |
| Parse only, XLSX | ${s(m.parseXlsx)} | ${all(results.parseXlsx)} | | |
`;
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const out = new URL(`./results/teams-import-${date}.md`, import.meta.url);
  writeFileSync(out, md);
  process.stdout.write(md);
  process.stderr.write(`Đã ghi ${out.pathname}\n`);
  if (m.csv > TARGET_MS || m.xlsx > TARGET_MS) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
