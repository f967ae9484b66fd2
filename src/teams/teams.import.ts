/**
 * Importing members (and villages with their household counts) from a
 * spreadsheet. All or nothing: every row is checked first, and only a file
 * without a single refused row is written, in one transaction. A refused file
 * comes back with a row-by-row report; the official fixes the file and uploads
 * it again. (The same rule for the web form and the command line, and no
 * half-imported list to reconcile later.)
 */
import { createHash } from 'node:crypto';
import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import { MEMBER_ROLES, VILLAGE_KINDS, fold, nameKey, parsePhone, parseRole } from './teams.schema.js';
import type { MemberRole, VillageKind } from './teams.tables.js';
import { MAX_ROWS, mapColumns, readSpreadsheet, type SheetRow } from './spreadsheet.js';
import { lockCommuneRegistry } from './teams.store.js';
import type { Who } from './teams.service.js';

export interface RowProblem {
  line: number;
  label: string;
  problems: string[];
}

export interface ImportReport {
  ok: boolean;
  /** Why the whole file was refused (encoding, columns, size), before looking at rows. */
  fileError: string | null;
  rows: number;
  refused: RowProblem[];
  added: number;
  updated: number;
  teamsCreated: string[];
  linkedAccounts: number;
  ignoredColumns: string[];
}

export type Progress = (done: number, total: number) => void;

const CHUNK = 1000;

function emptyReport(): ImportReport {
  return { ok: false, fileError: null, rows: 0, refused: [], added: 0, updated: 0, teamsCreated: [], linkedAccounts: 0, ignoredColumns: [] };
}

function refuseFile(error: string): ImportReport {
  return { ...emptyReport(), fileError: error };
}

// ---------------------------------------------------------------- columns

type MemberField = 'name' | 'phone' | 'village' | 'role' | 'team';

const MEMBER_COLUMNS = [
  { field: 'name', label: 'Họ tên', required: true, matches: (k: string) => ['hoten', 'hovaten', 'ten', 'hotenthanhvien', 'tenthanhvien', 'name', 'fullname'].includes(k) },
  { field: 'phone', label: 'Số điện thoại', required: true, matches: (k: string) => /^(so)?(dien)?thoai|^sdt|^sodt|^didong|^phone/.test(k) },
  {
    field: 'village',
    label: 'Thôn/tổ',
    required: true,
    matches: (k: string) => /^(thon|ap|ban|buon|soc|xom|khupho|todanpho|khuvuc|diaban|village)/.test(k),
  },
  { field: 'role', label: 'Vai trò', required: false, matches: (k: string) => /^(vaitro|chucvu|chucdanh|nhiemvu|role)/.test(k) },
  {
    field: 'team',
    label: 'Tổ',
    required: false,
    matches: (k: string) => ['to', 'tento', 'tocns', 'tocnscd', 'tocnscongdong', 'thuocto', 'team'].includes(k) || k.startsWith('tocongngheso'),
  },
] as const satisfies readonly { field: MemberField; label: string; required: boolean; matches: (k: string) => boolean }[];

type VillageField = 'village' | 'households' | 'kind';

const VILLAGE_COLUMNS = [
  { field: 'village', label: 'Thôn/tổ', required: true, matches: (k: string) => /^(ten)?(thon|ap|ban|buon|soc|xom|khupho|todanpho|khuvuc|diaban|village)/.test(k) },
  { field: 'households', label: 'Số hộ', required: true, matches: (k: string) => /^(tong)?soho|^hogiadinh|^households/.test(k) },
  { field: 'kind', label: 'Loại', required: false, matches: (k: string) => /^loai|^kind/.test(k) },
] as const satisfies readonly { field: VillageField; label: string; required: boolean; matches: (k: string) => boolean }[];

// ---------------------------------------------------------------- village names

const KIND_PREFIX: [RegExp, VillageKind][] = [
  [/^(to dan pho|tdp)\b/, 'to_dan_pho'],
  [/^(khu pho|kp)\b/, 'khu_pho'],
  [/^thon\b/, 'thon'],
  [/^ap\b/, 'ap'],
  [/^(ban|buon|soc)\b/, 'ban'],
];

/** "Ấp Thạnh Đông" and "Thạnh Đông" name the same place: match on the name without its kind word. */
function bareKey(key: string): string {
  for (const [re] of KIND_PREFIX) if (re.test(key)) return key.replace(re, '').trim();
  return key;
}

function inferKind(name: string): VillageKind | null {
  const key = fold(name);
  for (const [re, kind] of KIND_PREFIX) if (re.test(key)) return kind;
  return null;
}

function parseKind(text: string): VillageKind | null {
  const k = fold(text).replace(/ /g, '');
  if (k === '') return null;
  if ((Object.keys(VILLAGE_KINDS) as VillageKind[]).includes(k as VillageKind)) return k as VillageKind;
  if (k === 'thon' || k === 'xom') return 'thon';
  if (k === 'ap') return 'ap';
  if (['ban', 'buon', 'soc', 'banbuonsoc'].includes(k)) return 'ban';
  if (k === 'todanpho' || k === 'tdp') return 'to_dan_pho';
  if (k === 'khupho' || k === 'kp') return 'khu_pho';
  return null;
}

interface VillageIndex {
  byKey: Map<string, { id: number; name: string }>;
  byBare: Map<string, { id: number; name: string }[]>;
}

async function villageIndex(db: DbOrTx, commune: string): Promise<VillageIndex> {
  const rows = await db.selectFrom('team_village').select(['id', 'name', 'name_key']).where('commune_code', '=', commune).execute();
  const byKey = new Map(rows.map((r) => [r.name_key, { id: r.id, name: r.name }]));
  const byBare = new Map<string, { id: number; name: string }[]>();
  for (const r of rows) {
    const b = bareKey(r.name_key);
    byBare.set(b, [...(byBare.get(b) ?? []), { id: r.id, name: r.name }]);
  }
  return { byKey, byBare };
}

function findVillage(index: VillageIndex, text: string): { id: number; name: string } | null {
  const key = nameKey(text);
  const exact = index.byKey.get(key);
  if (exact) return exact;
  const candidates = index.byBare.get(bareKey(key)) ?? [];
  return candidates.length === 1 ? candidates[0]! : null;
}

// ---------------------------------------------------------------- members

interface PlannedMember {
  line: number;
  fullName: string;
  phone: string;
  role: MemberRole;
  teamKey: string;
  userId: string | null;
}

const ROLE_HINT = Object.values(MEMBER_ROLES)
  .filter((r) => r !== MEMBER_ROLES.other)
  .join(', ');

/**
 * Checks every row against the commune's registry and, when none is refused,
 * writes them all. Reads the registry inside the transaction (under the
 * commune's member lock), so the check and the write see the same state.
 */
export async function importMembers(
  db: Db,
  who: Who,
  commune: string,
  bytes: Uint8Array,
  opts: { source: string; onProgress?: Progress } = { source: 'tệp tải lên' },
): Promise<ImportReport> {
  const sheet = await readSpreadsheet(bytes);
  if (!sheet.ok) return refuseFile(sheet.error);
  const map = mapColumns<MemberField>(sheet.rows, MEMBER_COLUMNS);
  if (!map.ok) return refuseFile(map.error);
  const data = sheet.rows.slice(map.headerIndex + 1);
  if (data.length === 0) return refuseFile('Tệp chỉ có dòng tiêu đề, chưa có thành viên nào.');
  if (data.length > MAX_ROWS) return refuseFile(`Tệp có hơn ${MAX_ROWS.toLocaleString('vi-VN')} dòng: chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt.`);
  const cell = (r: SheetRow, f: MemberField) => {
    const i = map.columns[f];
    return i === undefined ? '' : (r.cells[i] ?? '').trim();
  };

  return db.transaction().execute(async (tx) => {
    await lockCommuneRegistry(tx, commune);
    const villages = await villageIndex(tx, commune);
    const teams = await tx.selectFrom('team').select(['id', 'name', 'name_key', 'village_id']).where('commune_code', '=', commune).execute();
    const teamByKey = new Map(teams.map((t) => [t.name_key, t]));
    const teamsOfVillage = new Map<number, typeof teams>();
    for (const t of teams) teamsOfVillage.set(t.village_id, [...(teamsOfVillage.get(t.village_id) ?? []), t]);
    const villageNames = new Map([...villages.byKey.values()].map((v) => [v.id, v.name]));
    const registered = await tx
      .selectFrom('team_member as m')
      .innerJoin('team as t', (j) => j.onRef('t.commune_code', '=', 'm.commune_code').onRef('t.id', '=', 'm.team_id'))
      .select(['m.phone', 't.name as team_name'])
      .where('m.commune_code', '=', commune)
      .where('m.left_at', 'is', null)
      .execute();
    const registeredPhones = new Map(registered.map((r) => [r.phone, r.team_name]));
    // Team-member sign-ins of this commune with a phone: a member with the same phone is linked to it.
    const accounts = await tx
      .selectFrom('staff_role as r')
      .innerJoin('app_user as u', 'u.id', 'r.user_id')
      .leftJoin('team_member as m', (j) => j.onRef('m.user_id', '=', 'u.id').on('m.commune_code', '=', commune).on('m.left_at', 'is', null))
      .select(['u.id', 'u.phone', 'm.id as member_id'])
      .where('r.unit_code', '=', commune)
      .where('r.role', '=', 'team_member')
      .where('u.phone', 'is not', null)
      .execute();
    const accountByPhone = new Map(accounts.filter((a) => a.member_id === null).map((a) => [a.phone!, a.id]));

    const report: ImportReport = { ...emptyReport(), rows: data.length, ignoredColumns: map.ignored };
    const planned: PlannedMember[] = [];
    const newTeams = new Map<string, { name: string; villageId: number; line: number }>();
    const phoneLine = new Map<string, number>();

    for (const r of data) {
      const problems: string[] = [];
      const fullName = cell(r, 'name');
      const phoneText = cell(r, 'phone');
      const villageText = cell(r, 'village');
      const roleText = cell(r, 'role');
      const teamText = cell(r, 'team');

      if (!fullName) problems.push('thiếu họ tên');
      // eslint-disable-next-line no-control-regex
      else if (fullName.length > 100 || /[\u0000-\u001f<>{}\\]/.test(fullName)) problems.push('họ tên quá dài hoặc có ký tự lạ');

      const phone = phoneText ? parsePhone(phoneText) : null;
      if (!phoneText) problems.push('thiếu số điện thoại');
      else if (!phone) problems.push(`số điện thoại "${phoneText}" chưa đúng: cần 10 chữ số bắt đầu bằng 0, ví dụ 0912345678`);
      else {
        const earlier = phoneLine.get(phone);
        if (earlier !== undefined) problems.push(`số điện thoại ${phone} trùng với dòng ${earlier}`);
        else phoneLine.set(phone, r.line);
        const team = registeredPhones.get(phone);
        if (team !== undefined) problems.push(`số điện thoại ${phone} đã có trong danh sách thành viên của xã (tổ "${team}")`);
      }

      const role = parseRole(roleText);
      if (!role) problems.push(`vai trò "${roleText}" không rõ: ghi một trong ${ROLE_HINT}, hoặc để trống`);

      const village = villageText ? findVillage(villages, villageText) : null;
      if (!villageText) problems.push('thiếu thôn/tổ');
      else if (!village) problems.push(`thôn/tổ "${villageText}" chưa có trong danh sách của xã: thêm thôn trước, hoặc sửa tên cho đúng`);

      let teamKey = '';
      if (village) {
        if (teamText) {
          teamKey = nameKey(teamText);
          const existing = teamByKey.get(teamKey);
          const planned_ = newTeams.get(teamKey);
          if (existing && existing.village_id !== village.id) problems.push(`tổ "${teamText}" thuộc ${villageNames.get(existing.village_id) ?? 'thôn khác'}, không thuộc ${village.name}`);
          else if (!existing && planned_ && planned_.villageId !== village.id) problems.push(`tổ "${teamText}" đã được ghi thuộc thôn khác ở dòng ${planned_.line}`);
          else if (!existing && !planned_) {
            if (teamKey === '' || teamText.length > 100) problems.push(`tên tổ "${teamText}" chưa đúng`);
            else newTeams.set(teamKey, { name: teamText, villageId: village.id, line: r.line });
          }
        } else {
          const own = teamsOfVillage.get(village.id) ?? [];
          if (own.length === 1) teamKey = own[0]!.name_key;
          else if (own.length > 1) problems.push(`${village.name} có ${own.length} tổ: ghi tên tổ ở cột "Tổ"`);
          else {
            // A village without a team gets one, named after it.
            const name = `Tổ công nghệ số ${village.name}`;
            teamKey = nameKey(name);
            if (!newTeams.has(teamKey)) newTeams.set(teamKey, { name, villageId: village.id, line: r.line });
          }
        }
      }

      if (problems.length) report.refused.push({ line: r.line, label: fullName || phoneText || '(trống)', problems });
      else planned.push({ line: r.line, fullName, phone: phone!, role: role!, teamKey, userId: accountByPhone.get(phone!) ?? null });
    }

    if (report.refused.length) return report;

    const total = planned.length;
    opts.onProgress?.(0, total);
    const teamIds = new Map(teams.map((t) => [t.name_key, t.id]));
    for (const [key, t] of newTeams) {
      const row = await tx.insertInto('team').values({ commune_code: commune, name: t.name, name_key: key, village_id: t.villageId }).returning('id').executeTakeFirstOrThrow();
      teamIds.set(key, row.id);
      report.teamsCreated.push(t.name);
    }
    for (let i = 0; i < total; i += CHUNK) {
      const chunk = planned.slice(i, i + CHUNK);
      await tx
        .insertInto('team_member')
        .values(chunk.map((m) => ({ commune_code: commune, team_id: teamIds.get(m.teamKey)!, full_name: m.fullName, phone: m.phone, role: m.role, user_id: m.userId, left_at: null })))
        .execute();
      opts.onProgress?.(Math.min(i + CHUNK, total), total);
    }
    report.added = total;
    report.linkedAccounts = planned.filter((m) => m.userId).length;
    report.ok = true;
    await appendAudit(tx, {
      actorId: who.id,
      actorLabel: who.label,
      unitCode: commune,
      action: 'teams.members_import',
      subjectType: 'team_import',
      subjectId: `${commune}/${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`,
      ip: who.ip ?? null,
      pdChanged: ['full_name', 'phone', 'role'],
      detail: { source: opts.source, format: sheet.format, added: total, teamsCreated: report.teamsCreated, linkedAccounts: report.linkedAccounts },
    });
    return report;
  });
}

// ---------------------------------------------------------------- villages

/** Creates villages and sets household counts from a spreadsheet (all or nothing, like members). */
export async function importVillages(db: Db, who: Who, commune: string, bytes: Uint8Array, opts: { source: string } = { source: 'tệp tải lên' }): Promise<ImportReport> {
  const sheet = await readSpreadsheet(bytes);
  if (!sheet.ok) return refuseFile(sheet.error);
  const map = mapColumns<VillageField>(sheet.rows, VILLAGE_COLUMNS);
  if (!map.ok) return refuseFile(map.error);
  const data = sheet.rows.slice(map.headerIndex + 1);
  if (data.length === 0) return refuseFile('Tệp chỉ có dòng tiêu đề, chưa có thôn nào.');
  if (data.length > 5000) return refuseFile('Tệp có hơn 5.000 dòng: một xã không có nhiều thôn như vậy, kiểm tra lại tệp.');
  const cell = (r: SheetRow, f: VillageField) => {
    const i = map.columns[f];
    return i === undefined ? '' : (r.cells[i] ?? '').trim();
  };
  return db.transaction().execute(async (tx) => {
    await lockCommuneRegistry(tx, commune);
    const villages = await villageIndex(tx, commune);
    const report: ImportReport = { ...emptyReport(), rows: data.length, ignoredColumns: map.ignored };
    const seen = new Map<string, number>();
    const plan: { existing: number | null; name: string; key: string; kind: VillageKind; households: number }[] = [];
    for (const r of data) {
      const problems: string[] = [];
      const name = cell(r, 'village');
      const hhText = cell(r, 'households').replace(/^(\d{1,3})([.,\s]\d{3})+$/, (m) => m.replace(/[.,\s]/g, ''));
      const kindText = cell(r, 'kind');
      if (!name) problems.push('thiếu tên thôn/tổ');
      // eslint-disable-next-line no-control-regex
      else if (name.length > 100 || /[\u0000-\u001f<>{}\\]/.test(name)) problems.push('tên thôn/tổ quá dài hoặc có ký tự lạ');
      const households = /^[0-9]{1,6}$/.test(hhText) && Number(hhText) <= 100_000 ? Number(hhText) : null;
      if (households === null) problems.push(`số hộ "${cell(r, 'households')}" chưa đúng: nhập một số nguyên từ 0 đến 100.000`);
      const kind = kindText ? parseKind(kindText) : (inferKind(name) ?? 'thon');
      if (!kind) problems.push(`loại "${kindText}" không rõ: ghi ${Object.values(VILLAGE_KINDS).join(', ')}, hoặc để trống`);
      const key = nameKey(name);
      const existing = name ? findVillage(villages, name) : null;
      const identity = existing ? `id:${existing.id}` : key;
      if (name && seen.has(identity)) problems.push(`thôn/tổ "${name}" trùng với dòng ${seen.get(identity)}`);
      else if (name) seen.set(identity, r.line);
      if (problems.length) report.refused.push({ line: r.line, label: name || '(trống)', problems });
      else plan.push({ existing: existing?.id ?? null, name, key, kind: kind!, households: households! });
    }
    if (report.refused.length) return report;
    const now = new Date();
    for (const p of plan) {
      if (p.existing !== null) {
        await tx.updateTable('team_village').set({ households: p.households, households_source: 'imported', households_updated_at: now }).where('commune_code', '=', commune).where('id', '=', p.existing).execute();
        report.updated++;
      } else {
        await tx
          .insertInto('team_village')
          .values({ commune_code: commune, name: p.name, name_key: p.key, kind: p.kind, households: p.households, households_source: 'imported', households_updated_at: now })
          .execute();
        report.added++;
      }
    }
    report.ok = true;
    await appendAudit(tx, {
      actorId: who.id,
      actorLabel: who.label,
      unitCode: commune,
      action: 'teams.villages_import',
      subjectType: 'team_import',
      subjectId: `${commune}/${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`,
      ip: who.ip ?? null,
      detail: { source: opts.source, format: sheet.format, added: report.added, updated: report.updated },
    });
    return report;
  });
}
