import { sql } from 'kysely';
import type { DbOrTx } from '../platform/db.js';
import '../platform/tables.js';
import './teams.tables.js';
import type { MemberRole, VillageKind } from './teams.tables.js';

/** A commune's registry writes (forms and imports) take turns, so a duplicate name or phone is caught before the insert, not by a unique-index error. */
export async function lockCommuneRegistry(db: DbOrTx, commune: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(7261105, ${Number(commune)}::int)`.execute(db);
}

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

// ---------------------------------------------------------------- villages

export interface Village {
  id: number;
  name: string;
  kind: VillageKind;
  households: number | null;
  householdsSource: 'entered' | 'imported' | null;
  teams: number;
}

export async function listVillages(db: DbOrTx, commune: string): Promise<Village[]> {
  const rows = await db
    .selectFrom('team_village as v')
    .select(['v.id', 'v.name', 'v.kind', 'v.households', 'v.households_source'])
    .select((eb) => eb.selectFrom('team as t').whereRef('t.commune_code', '=', 'v.commune_code').whereRef('t.village_id', '=', 'v.id').select(eb.fn.countAll<number>().as('n')).as('teams'))
    .where('v.commune_code', '=', commune)
    .orderBy('v.name_key')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, households: r.households, householdsSource: r.households_source, teams: Number(r.teams ?? 0) }));
}

export async function getVillage(db: DbOrTx, commune: string, id: number): Promise<Village | undefined> {
  return (await listVillages(db, commune)).find((v) => v.id === id);
}

export async function findVillageByKey(db: DbOrTx, commune: string, key: string): Promise<{ id: number } | undefined> {
  return db.selectFrom('team_village').select('id').where('commune_code', '=', commune).where('name_key', '=', key).executeTakeFirst();
}

export async function insertVillage(
  db: DbOrTx,
  commune: string,
  v: { name: string; key: string; kind: VillageKind; households: number | null; source: 'entered' | 'imported' },
): Promise<number> {
  const row = await db
    .insertInto('team_village')
    .values({
      commune_code: commune,
      name: v.name,
      name_key: v.key,
      kind: v.kind,
      households: v.households,
      households_source: v.households === null ? null : v.source,
      households_updated_at: v.households === null ? null : new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateVillage(
  db: DbOrTx,
  commune: string,
  id: number,
  v: { name?: string; key?: string; kind?: VillageKind; households?: number | null; source: 'entered' | 'imported' },
): Promise<void> {
  await db
    .updateTable('team_village')
    .set({
      ...(v.name !== undefined ? { name: v.name, name_key: v.key! } : {}),
      ...(v.kind !== undefined ? { kind: v.kind } : {}),
      ...(v.households !== undefined
        ? { households: v.households, households_source: v.households === null ? null : v.source, households_updated_at: new Date() }
        : {}),
    })
    .where('commune_code', '=', commune)
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------- teams

export interface Team {
  id: number;
  name: string;
  villageId: number;
  villageName: string;
  members: number;
}

export async function listTeams(db: DbOrTx, commune: string): Promise<Team[]> {
  const rows = await db
    .selectFrom('team as t')
    .innerJoin('team_village as v', (j) => j.onRef('v.commune_code', '=', 't.commune_code').onRef('v.id', '=', 't.village_id'))
    .select(['t.id', 't.name', 't.village_id', 'v.name as village_name'])
    .select((eb) =>
      eb
        .selectFrom('team_member as m')
        .whereRef('m.commune_code', '=', 't.commune_code')
        .whereRef('m.team_id', '=', 't.id')
        .where('m.left_at', 'is', null)
        .select(eb.fn.countAll<number>().as('n'))
        .as('members'),
    )
    .where('t.commune_code', '=', commune)
    .orderBy('v.name_key')
    .orderBy('t.name_key')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, villageId: r.village_id, villageName: r.village_name, members: Number(r.members ?? 0) }));
}

export async function getTeam(db: DbOrTx, commune: string, id: number): Promise<Team | undefined> {
  return (await listTeams(db, commune)).find((t) => t.id === id);
}

export async function findTeamByKey(db: DbOrTx, commune: string, key: string): Promise<{ id: number; village_id: number } | undefined> {
  return db.selectFrom('team').select(['id', 'village_id']).where('commune_code', '=', commune).where('name_key', '=', key).executeTakeFirst();
}

export async function insertTeam(db: DbOrTx, commune: string, t: { name: string; key: string; villageId: number }): Promise<number> {
  const row = await db.insertInto('team').values({ commune_code: commune, name: t.name, name_key: t.key, village_id: t.villageId }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTeam(db: DbOrTx, commune: string, id: number, t: { name: string; key: string; villageId: number }): Promise<void> {
  await db.updateTable('team').set({ name: t.name, name_key: t.key, village_id: t.villageId }).where('commune_code', '=', commune).where('id', '=', id).execute();
}

// ---------------------------------------------------------------- members

export interface Member {
  id: number;
  teamId: number;
  teamName: string;
  fullName: string;
  phone: string;
  role: MemberRole;
  userId: string | null;
  userLogin: string | null;
  leftAt: Date | null;
}

function memberQuery(db: DbOrTx, commune: string) {
  return db
    .selectFrom('team_member as m')
    .innerJoin('team as t', (j) => j.onRef('t.commune_code', '=', 'm.commune_code').onRef('t.id', '=', 'm.team_id'))
    .leftJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['m.id', 'm.team_id', 't.name as team_name', 'm.full_name', 'm.phone', 'm.role', 'm.user_id', 'm.left_at'])
    .select((eb) => eb.fn.coalesce('u.email', 'u.phone').as('user_login'))
    .where('m.commune_code', '=', commune);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['execute']>>[number];

function toMember(r: MemberRow): Member {
  return {
    id: r.id,
    teamId: r.team_id,
    teamName: r.team_name,
    fullName: r.full_name,
    phone: r.phone,
    role: r.role,
    userId: r.user_id,
    userLogin: r.user_login ?? null,
    leftAt: r.left_at,
  };
}

/** Active members of a team, leaders first. */
export async function listMembers(db: DbOrTx, commune: string, teamId: number): Promise<Member[]> {
  const rows = await memberQuery(db, commune)
    .where('m.team_id', '=', teamId)
    .where('m.left_at', 'is', null)
    .orderBy(sql`m.role = 'leader'`, 'desc')
    .orderBy('m.full_name')
    .execute();
  return rows.map(toMember);
}

export async function getMember(db: DbOrTx, commune: string, id: number): Promise<Member | undefined> {
  const r = await memberQuery(db, commune).where('m.id', '=', id).executeTakeFirst();
  return r ? toMember(r) : undefined;
}

export async function findActiveMemberByPhone(db: DbOrTx, commune: string, phone: string): Promise<{ id: number; team_id: number } | undefined> {
  return db.selectFrom('team_member').select(['id', 'team_id']).where('commune_code', '=', commune).where('phone', '=', phone).where('left_at', 'is', null).executeTakeFirst();
}

/** The active member record of a signed-in user in a commune (their team and role), if linked. */
export async function memberOfUser(db: DbOrTx, commune: string, userId: string): Promise<{ id: number; teamId: number; role: MemberRole; villageId: number } | undefined> {
  const r = await db
    .selectFrom('team_member as m')
    .innerJoin('team as t', (j) => j.onRef('t.commune_code', '=', 'm.commune_code').onRef('t.id', '=', 'm.team_id'))
    .select(['m.id', 'm.team_id', 'm.role', 't.village_id'])
    .where('m.commune_code', '=', commune)
    .where('m.user_id', '=', userId)
    .where('m.left_at', 'is', null)
    .executeTakeFirst();
  return r ? { id: r.id, teamId: r.team_id, role: r.role, villageId: r.village_id } : undefined;
}

export async function insertMember(
  db: DbOrTx,
  commune: string,
  m: { teamId: number; fullName: string; phone: string; role: MemberRole; userId: string | null },
): Promise<number> {
  const row = await db
    .insertInto('team_member')
    .values({ commune_code: commune, team_id: m.teamId, full_name: m.fullName, phone: m.phone, role: m.role, user_id: m.userId, left_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateMember(
  db: DbOrTx,
  commune: string,
  id: number,
  m: { teamId: number; fullName: string; phone: string; role: MemberRole; userId: string | null },
): Promise<void> {
  await db
    .updateTable('team_member')
    .set({ team_id: m.teamId, full_name: m.fullName, phone: m.phone, role: m.role, user_id: m.userId, updated_at: new Date() })
    .where('commune_code', '=', commune)
    .where('id', '=', id)
    .execute();
}

export async function markMemberLeft(db: DbOrTx, commune: string, id: number): Promise<void> {
  await db.updateTable('team_member').set({ left_at: new Date(), updated_at: new Date() }).where('commune_code', '=', commune).where('id', '=', id).where('left_at', 'is', null).execute();
}

export interface Account {
  id: string;
  fullName: string;
  login: string;
  phone: string | null;
}

/** Sign-ins holding the team_member role in the commune: the accounts a member record may be linked to. */
export async function teamMemberAccounts(db: DbOrTx, commune: string): Promise<Account[]> {
  const rows = await db
    .selectFrom('staff_role as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .select(['u.id', 'u.full_name', 'u.email', 'u.phone'])
    .where('r.unit_code', '=', commune)
    .where('r.role', '=', 'team_member')
    .orderBy('u.full_name')
    .execute();
  return rows.map((r) => ({ id: r.id, fullName: r.full_name, login: r.email ?? r.phone ?? r.id, phone: r.phone }));
}

export async function communeCounts(db: DbOrTx, commune: string): Promise<{ villages: number; teams: number; members: number }> {
  const r = await sql<{ villages: number; teams: number; members: number }>`
    select (select count(*)::int from team_village where commune_code = ${commune}) as villages,
           (select count(*)::int from team where commune_code = ${commune}) as teams,
           (select count(*)::int from team_member where commune_code = ${commune} and left_at is null) as members`.execute(db);
  return r.rows[0]!;
}
