import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import type { FieldErrors } from '../platform/layout.js';
import type { MemberRole, VillageKind } from './teams.tables.js';
import { nameKey } from './teams.schema.js';
import * as store from './teams.store.js';

/** Who acts, for the audit log. */
export interface Who {
  id: string | null;
  label: string;
  ip?: string | null;
}

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors } | { ok: false; notFound: true };

const NOT_FOUND = { ok: false, notFound: true } as const;

function audit(db: DbOrTx, who: Who, commune: string, action: string, subjectType: string, id: number, extra: { pdRead?: string[]; pdChanged?: string[]; detail?: Record<string, unknown> } = {}) {
  return appendAudit(db, { actorId: who.id, actorLabel: who.label, unitCode: commune, action, subjectType, subjectId: `${commune}/${id}`, ip: who.ip ?? null, ...extra });
}

// ---------------------------------------------------------------- villages

export interface VillageInput {
  name: string;
  kind: VillageKind;
  households: number | null;
}

const VILLAGE_TAKEN = 'Xã đã có thôn, ấp hoặc tổ dân phố mang tên này: kiểm tra lại danh sách, hoặc đặt tên khác';

export async function addVillage(db: Db, who: Who, commune: string, v: VillageInput): Promise<Outcome<{ id: number }>> {
  return db.transaction().execute(async (tx): Promise<Outcome<{ id: number }>> => {
    await store.lockCommuneRegistry(tx, commune);
    const key = nameKey(v.name);
    if (await store.findVillageByKey(tx, commune, key)) return { ok: false, errors: { name: VILLAGE_TAKEN } };
    const id = await store.insertVillage(tx, commune, { ...v, key, source: 'entered' });
    await audit(tx, who, commune, 'teams.village_add', 'team_village', id, { detail: { name: v.name, kind: v.kind, households: v.households } });
    return { ok: true, id };
  });
}

export async function editVillage(db: Db, who: Who, commune: string, id: number, v: VillageInput): Promise<Outcome> {
  return db.transaction().execute(async (tx): Promise<Outcome> => {
    await store.lockCommuneRegistry(tx, commune);
    const before = await store.getVillage(tx, commune, id);
    if (!before) return NOT_FOUND;
    const key = nameKey(v.name);
    const same = await store.findVillageByKey(tx, commune, key);
    if (same && same.id !== id) return { ok: false, errors: { name: VILLAGE_TAKEN } };
    const householdsChanged = before.households !== v.households;
    await store.updateVillage(tx, commune, id, { name: v.name, key, kind: v.kind, ...(householdsChanged ? { households: v.households } : {}), source: 'entered' });
    await audit(tx, who, commune, 'teams.village_edit', 'team_village', id, {
      detail: { before: { name: before.name, kind: before.kind, households: before.households }, after: v },
    });
    return { ok: true };
  });
}

// ---------------------------------------------------------------- teams

export interface TeamInput {
  name: string;
  villageId: number;
}

const TEAM_TAKEN = 'Xã đã có tổ mang tên này: đặt tên khác, ví dụ thêm tên thôn, ấp';
const NO_VILLAGE = 'Chọn thôn, ấp hoặc tổ dân phố trong danh sách';

export async function addTeam(db: Db, who: Who, commune: string, t: TeamInput): Promise<Outcome<{ id: number }>> {
  return db.transaction().execute(async (tx): Promise<Outcome<{ id: number }>> => {
    await store.lockCommuneRegistry(tx, commune);
    if (!(await store.getVillage(tx, commune, t.villageId))) return { ok: false, errors: { village_id: NO_VILLAGE } };
    const key = nameKey(t.name);
    if (await store.findTeamByKey(tx, commune, key)) return { ok: false, errors: { name: TEAM_TAKEN } };
    const id = await store.insertTeam(tx, commune, { ...t, key });
    await audit(tx, who, commune, 'teams.team_add', 'team', id, { detail: { name: t.name, villageId: t.villageId } });
    return { ok: true, id };
  });
}

export async function editTeam(db: Db, who: Who, commune: string, id: number, t: TeamInput): Promise<Outcome> {
  return db.transaction().execute(async (tx): Promise<Outcome> => {
    await store.lockCommuneRegistry(tx, commune);
    const before = await store.getTeam(tx, commune, id);
    if (!before) return NOT_FOUND;
    if (!(await store.getVillage(tx, commune, t.villageId))) return { ok: false, errors: { village_id: NO_VILLAGE } };
    const key = nameKey(t.name);
    const same = await store.findTeamByKey(tx, commune, key);
    if (same && same.id !== id) return { ok: false, errors: { name: TEAM_TAKEN } };
    await store.updateTeam(tx, commune, id, { ...t, key });
    await audit(tx, who, commune, 'teams.team_edit', 'team', id, { detail: { before: { name: before.name, villageId: before.villageId }, after: t } });
    return { ok: true };
  });
}

// ---------------------------------------------------------------- members

export interface MemberInput {
  fullName: string;
  phone: string;
  role: MemberRole;
  userId: string | null;
}

const PHONE_TAKEN = 'Số điện thoại này đã có trong danh sách thành viên của xã: kiểm tra lại, mỗi người chỉ ở một tổ';
const ACCOUNT_TAKEN = 'Tài khoản này đã gắn với một thành viên khác: chọn tài khoản khác';
const NO_ACCOUNT = 'Chọn tài khoản trong danh sách, hoặc "Chưa có tài khoản"';

async function checkMember(tx: DbOrTx, commune: string, m: MemberInput, selfId: number | null): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const same = await store.findActiveMemberByPhone(tx, commune, m.phone);
  if (same && same.id !== selfId) errors.phone = PHONE_TAKEN;
  if (m.userId) {
    const accounts = await store.teamMemberAccounts(tx, commune);
    if (!accounts.some((a) => a.id === m.userId)) errors.user_id = NO_ACCOUNT;
    else {
      const linked = await tx.selectFrom('team_member').select('id').where('commune_code', '=', commune).where('user_id', '=', m.userId).where('left_at', 'is', null).executeTakeFirst();
      if (linked && linked.id !== selfId) errors.user_id = ACCOUNT_TAKEN;
    }
  }
  return errors;
}

export async function addMember(db: Db, who: Who, commune: string, teamId: number, m: MemberInput): Promise<Outcome<{ id: number }>> {
  return db.transaction().execute(async (tx): Promise<Outcome<{ id: number }>> => {
    await store.lockCommuneRegistry(tx, commune);
    if (!(await store.getTeam(tx, commune, teamId))) return NOT_FOUND;
    const errors = await checkMember(tx, commune, m, null);
    if (Object.keys(errors).length) return { ok: false, errors };
    const id = await store.insertMember(tx, commune, { ...m, teamId });
    await audit(tx, who, commune, 'teams.member_add', 'team_member', id, { pdChanged: ['full_name', 'phone', 'role'], detail: { teamId, linkedAccount: m.userId !== null } });
    return { ok: true, id };
  });
}

export async function editMember(db: Db, who: Who, commune: string, id: number, m: MemberInput & { teamId: number }): Promise<Outcome> {
  return db.transaction().execute(async (tx): Promise<Outcome> => {
    await store.lockCommuneRegistry(tx, commune);
    const before = await store.getMember(tx, commune, id);
    if (!before || before.leftAt) return NOT_FOUND;
    if (!(await store.getTeam(tx, commune, m.teamId))) return { ok: false, errors: { team_id: 'Chọn tổ trong danh sách' } };
    const errors = await checkMember(tx, commune, m, id);
    if (Object.keys(errors).length) return { ok: false, errors };
    await store.updateMember(tx, commune, id, m);
    const changed = (
      [
        ['full_name', before.fullName !== m.fullName],
        ['phone', before.phone !== m.phone],
        ['role', before.role !== m.role],
        ['team_id', before.teamId !== m.teamId],
        ['user_id', before.userId !== m.userId],
      ] as const
    )
      .filter(([, c]) => c)
      .map(([f]) => f);
    await audit(tx, who, commune, 'teams.member_edit', 'team_member', id, { pdChanged: changed.filter((f) => f === 'full_name' || f === 'phone'), detail: { changed } });
    return { ok: true };
  });
}

export async function removeMember(db: Db, who: Who, commune: string, id: number): Promise<Outcome<{ teamId: number }>> {
  return db.transaction().execute(async (tx): Promise<Outcome<{ teamId: number }>> => {
    const before = await store.getMember(tx, commune, id);
    if (!before || before.leftAt) return NOT_FOUND;
    await store.markMemberLeft(tx, commune, id);
    await audit(tx, who, commune, 'teams.member_leave', 'team_member', id, { detail: { teamId: before.teamId } });
    return { ok: true, teamId: before.teamId };
  });
}

/** A team's members with their phones: a read of personal data, logged as such. */
export async function readTeamMembers(db: Db, who: Who, commune: string, teamId: number): Promise<store.Member[]> {
  return db.transaction().execute(async (tx): Promise<store.Member[]> => {
    const members = await store.listMembers(tx, commune, teamId);
    if (members.length) await audit(tx, who, commune, 'teams.members_read', 'team', teamId, { pdRead: ['full_name', 'phone'], detail: { members: members.length } });
    return members;
  });
}

export async function readMember(db: Db, who: Who, commune: string, id: number): Promise<store.Member | undefined> {
  return db.transaction().execute(async (tx): Promise<store.Member | undefined> => {
    const m = await store.getMember(tx, commune, id);
    if (m && !m.leftAt) await audit(tx, who, commune, 'teams.member_read', 'team_member', id, { pdRead: ['full_name', 'phone'] });
    return m && !m.leftAt ? m : undefined;
  });
}
