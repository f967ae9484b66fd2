import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import * as accounts from '../accounts/accounts.store.js';
import { hashPassword } from '../accounts/passwords.js';
import { ROLE_LABELS } from '../accounts/roles.js';
import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import { STAFF_ROLES, type StaffRole } from '../platform/permissions.js';
import { destroyAllSessions } from '../platform/session.js';
import { findCommune, findProvince } from '../units/units.js';

export interface AdminActor {
  id: string;
  label: string;
  ip: string | null;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** Roles given in a commune; the province ones are given at the province. */
const COMMUNE_ROLES: readonly StaffRole[] = ['receiving_officer', 'specialist', 'commune_leader', 'team_member'];
const PROVINCE_ROLES: readonly StaffRole[] = ['province_admin', 'analyst'];

export function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/**
 * Where a role may be granted by the administrator of `province`: a commune role
 * in one of its communes, a province role at the province. One rule for pages and API.
 */
export function checkGrant(province: string, unitCode: string, role: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isStaffRole(role)) errors.role = 'Chọn một vai trò trong danh sách';
  const code = unitCode.trim();
  if (!code) {
    errors.unit = 'Nhập mã xã, phường (5 chữ số), hoặc mã tỉnh cho vai trò cấp tỉnh';
    return errors;
  }
  if (code === province) {
    if (isStaffRole(role) && !PROVINCE_ROLES.includes(role)) errors.unit = `Vai trò "${ROLE_LABELS[role]}" được giao ở một xã, phường: nhập mã xã (5 chữ số)`;
    return errors;
  }
  const found = findCommune(code);
  if (!/^[0-9]{5}$/.test(code) || !found) errors.unit = `Không có xã, phường nào mã "${code}": kiểm tra lại mã (5 chữ số)`;
  else if (found.province.code !== province) errors.unit = `${found.commune.name} thuộc ${found.province.name}, không thuộc tỉnh bạn quản trị: chọn xã của tỉnh mình`;
  else if (isStaffRole(role) && !COMMUNE_ROLES.includes(role)) errors.unit = `Vai trò "${ROLE_LABELS[role]}" được giao ở cấp tỉnh: nhập mã tỉnh ${province}`;
  return errors;
}

/** Unit codes of a province and its communes (for "who holds what here"). */
function unitsOf(province: string): string[] {
  return [province, ...(findProvince(province)?.communes.map((c) => c.code) ?? [])];
}

export interface StaffRow {
  id: string;
  fullName: string;
  email: string | null;
  disabled: boolean;
  roles: { unitCode: string; role: StaffRole }[];
}

export async function listStaff(db: DbOrTx, province: string): Promise<StaffRow[]> {
  const rows = await db
    .selectFrom('staff_role as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .select(['u.id', 'u.full_name', 'u.email', 'u.disabled_at', 'r.unit_code', 'r.role'])
    .where('r.unit_code', 'in', unitsOf(province))
    .orderBy('u.full_name')
    .orderBy('r.unit_code')
    .execute();
  const byId = new Map<string, StaffRow>();
  for (const r of rows) {
    let s = byId.get(r.id);
    if (!s) byId.set(r.id, (s = { id: r.id, fullName: r.full_name, email: r.email, disabled: r.disabled_at !== null, roles: [] }));
    s.roles.push({ unitCode: r.unit_code, role: r.role as StaffRole });
  }
  return [...byId.values()];
}

/** A staff member the administrator of `province` may manage: one holding a role there. */
export async function staffInProvince(db: DbOrTx, province: string, userId: string): Promise<StaffRow | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(userId)) return undefined;
  const user = await db.selectFrom('app_user').select(['id', 'full_name', 'email', 'disabled_at', 'kind']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.kind !== 'staff') return undefined;
  const roles = await db.selectFrom('staff_role').select(['unit_code', 'role']).where('user_id', '=', userId).execute();
  const units = new Set(unitsOf(province));
  const here = roles.filter((r) => units.has(r.unit_code));
  if (here.length === 0) return undefined;
  return { id: user.id, fullName: user.full_name, email: user.email, disabled: user.disabled_at !== null, roles: here.map((r) => ({ unitCode: r.unit_code, role: r.role as StaffRole })) };
}

/** A temporary password the administrator hands over once (12 characters, no look-alikes). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[randomInt(alphabet.length)];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

export interface NewStaffInput {
  fullName: string;
  email: string;
  unit: string;
  role: string;
}

export async function createStaff(db: Db, actor: AdminActor, province: string, input: NewStaffInput): Promise<Outcome<{ id: string; password: string }>> {
  const errors: Record<string, string> = {};
  const fullName = input.fullName.trim();
  const email = input.email.trim().toLowerCase();
  if (fullName.length < 2) errors.full_name = 'Nhập họ và tên cán bộ';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Nhập thư điện tử công vụ của cán bộ, ví dụ ten@caobang.gov.vn';
  Object.assign(errors, checkGrant(province, input.unit, input.role));
  if (!errors.email && (await accounts.findUserByLogin(db, email))) errors.email = `Thư điện tử ${email} đã có tài khoản: tìm cán bộ đó trong danh sách và giao thêm vai trò`;
  if (Object.keys(errors).length) return { ok: false, errors };
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  try {
    const id = await db.transaction().execute(async (tx) => {
      const id = await accounts.insertUser(tx, { kind: 'staff', fullName, phone: null, email, passwordHash: hash });
      await accounts.grantRole(tx, id, input.unit.trim(), input.role as StaffRole);
      await appendAudit(tx, {
        actorId: actor.id,
        actorLabel: actor.label,
        unitCode: input.unit.trim(),
        action: 'staff.create',
        subjectType: 'user',
        subjectId: id,
        pdChanged: ['full_name', 'email'],
        ip: actor.ip,
        detail: { role: input.role },
      });
      return id;
    });
    return { ok: true, value: { id, password } };
  } catch (err) {
    // Two administrators creating the same e-mail at once: the unique key decides.
    if ((err as { code?: string }).code === '23505') return { ok: false, errors: { email: `Thư điện tử ${email} đã có tài khoản` } };
    throw err;
  }
}

export async function grantStaffRole(db: Db, actor: AdminActor, province: string, userId: string, unit: string, role: string): Promise<Outcome<null>> {
  const errors = checkGrant(province, unit, role);
  if (Object.keys(errors).length) return { ok: false, errors };
  await db.transaction().execute(async (tx) => {
    await accounts.grantRole(tx, userId, unit.trim(), role as StaffRole);
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: unit.trim(), action: 'staff.grant', subjectType: 'user', subjectId: userId, ip: actor.ip, detail: { role } });
  });
  return { ok: true, value: null };
}

async function activeAdmins(tx: DbOrTx, province: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('staff_role as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .select('u.id')
    .where('r.unit_code', '=', province)
    .where('r.role', '=', 'province_admin')
    .where('u.disabled_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

const LAST_ADMIN = 'Đây là quản trị viên cuối cùng của tỉnh: giao vai trò quản trị cho người khác trước';

export async function revokeStaffRole(db: Db, actor: AdminActor, province: string, userId: string, unit: string, role: string): Promise<Outcome<null>> {
  if (!unitsOf(province).includes(unit) || !isStaffRole(role)) return { ok: false, errors: { role: 'Không tìm thấy vai trò này' } };
  return db.transaction().execute(async (tx): Promise<Outcome<null>> => {
    // Serialise changes to a province's administrators, so two revocations cannot both pass the check.
    await sql`select pg_advisory_xact_lock(7261150, ${Number(province)})`.execute(tx);
    if (role === 'province_admin') {
      const admins = await activeAdmins(tx, province);
      if (admins.length === 1 && admins[0] === userId) return { ok: false, errors: { role: LAST_ADMIN } };
    }
    const r = await tx.deleteFrom('staff_role').where('user_id', '=', userId).where('unit_code', '=', unit).where('role', '=', role).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return { ok: false, errors: { role: 'Không tìm thấy vai trò này' } };
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: unit, action: 'staff.revoke', subjectType: 'user', subjectId: userId, ip: actor.ip, detail: { role } });
    return { ok: true, value: null };
  });
}

export async function setStaffDisabled(db: Db, actor: AdminActor, province: string, userId: string, disabled: boolean): Promise<Outcome<null>> {
  return db.transaction().execute(async (tx): Promise<Outcome<null>> => {
    await sql`select pg_advisory_xact_lock(7261150, ${Number(province)})`.execute(tx);
    if (disabled) {
      const admins = await activeAdmins(tx, province);
      if (admins.length === 1 && admins[0] === userId) return { ok: false, errors: { _form: `Không thể khoá tài khoản: ${LAST_ADMIN.toLowerCase()}` } };
    }
    await tx.updateTable('app_user').set({ disabled_at: disabled ? new Date() : null }).where('id', '=', userId).execute();
    if (disabled) await destroyAllSessions(tx, userId);
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: province, action: disabled ? 'staff.disable' : 'staff.enable', subjectType: 'user', subjectId: userId, ip: actor.ip });
    return { ok: true, value: null };
  });
}

/** Sign-ins of one account (from the audit log), newest first; reading them is itself audited. */
export async function signInHistory(db: Db, actor: AdminActor, province: string, userId: string, limit = 50) {
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('audit_log')
      .select(['at', 'action', 'ip'])
      .where('subject_type', '=', 'user')
      .where('subject_id', '=', userId)
      .where('action', 'in', ['account.login', 'account.oidc_login'])
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: province, action: 'staff.signin_history', subjectType: 'user', subjectId: userId, pdRead: ['ip'], ip: actor.ip });
    return rows;
  });
}

/** The audit log of a province: entries on the province or one of its communes, newest first. */
export async function provinceAuditLog(db: DbOrTx, province: string, before: number | null, limit = 100) {
  let q = db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor_label', 'unit_code', 'action', 'subject_type', 'subject_id'])
    .where('unit_code', 'in', unitsOf(province))
    .orderBy('seq', 'desc')
    .limit(limit);
  if (before !== null) q = q.where('seq', '<', before);
  return q.execute();
}
