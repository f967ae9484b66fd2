import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../platform/db.js';
import { appendAudit } from '../platform/audit.js';
import { enqueue } from '../platform/outbox.js';
import type { FieldErrors } from '../platform/layout.js';
import { destroyAllSessions } from '../platform/session.js';
import * as store from './accounts.store.js';
import { hashPassword, verifyNothing, verifyPassword } from './passwords.js';
import { grantsAllow, type RoleGrant } from '../platform/permissions.js';
import { provinceOf, unitName } from '../units/units.js';

export const SELF_RESET_MINUTES = 15;
export const COUNTER_RESET_HOURS = 24;
export const MAX_CODE_ATTEMPTS = 5;
export const MAX_CODES_PER_HOUR = 3;

export interface RequestMeta {
  ip: string | null;
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export async function registerCitizen(
  db: Db,
  secret: string,
  input: { full_name: string; phone: string; email: string | null; id_number?: string | null; password: string },
  meta: RequestMeta,
): Promise<Outcome<{ userId: string }>> {
  // Hash before the transaction: it is the slow part and needs no lock.
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (tx) => {
      const errors: FieldErrors = {};
      if (await store.findUserByPhone(tx, input.phone)) {
        errors.phone = 'Số điện thoại này đã có tài khoản: hãy đăng nhập, hoặc chọn "Quên mật khẩu"';
      }
      if (input.email && (await store.findUserByLogin(tx, input.email))) {
        errors.email = 'Thư điện tử này đã được dùng cho tài khoản khác: dùng địa chỉ khác hoặc bỏ trống';
      }
      if (Object.keys(errors).length) return { ok: false as const, errors };
      const idHash = input.id_number ? idNumberHash(secret, input.id_number) : null;
      const userId = await store.insertUser(tx, { kind: 'citizen', fullName: input.full_name, phone: input.phone, email: input.email, passwordHash, idNumberHash: idHash });
      await appendAudit(tx, {
        actorId: userId,
        actorLabel: input.full_name,
        action: 'account.register',
        subjectType: 'user',
        subjectId: userId,
        pdChanged: ['full_name', 'phone', ...(input.email ? ['email'] : []), ...(idHash ? ['id_number'] : [])],
        ip: meta.ip,
      });
      return { ok: true as const, userId };
    });
  } catch (err) {
    // Two registrations with one phone at once: the database's unique key decides.
    if (isUniqueViolation(err)) return { ok: false, errors: { phone: 'Số điện thoại hoặc thư điện tử này đã có tài khoản: hãy đăng nhập' } };
    throw err;
  }
}

export type LoginOutcome = { ok: true; userId: string } | { ok: false };

/**
 * Checks a password. An unknown login and a wrong password take the same path
 * (a password verify and an audit entry), so neither the answer nor its timing
 * tells whether an account exists. Repeated failures are slowed by the caller's
 * throttle, never by locking the account (anyone could lock an official out).
 */
export async function authenticate(db: Db, login: string, password: string, meta: RequestMeta): Promise<LoginOutcome> {
  const user = await store.findUserByLogin(db, login);
  const good = user?.password_hash ? await verifyPassword(user.password_hash, password) : (await verifyNothing(password), false);
  return db.transaction().execute(async (tx) => {
    if (!user || !good) {
      await appendAudit(tx, { actorId: null, actorLabel: 'khách', action: 'account.login_failed', subjectType: 'user', subjectId: user?.id ?? null, ip: meta.ip });
      return { ok: false as const };
    }
    await store.clearLoginFailures(tx, user.id);
    await appendAudit(tx, { actorId: user.id, actorLabel: user.full_name, action: 'account.login', subjectType: 'user', subjectId: user.id, ip: meta.ip });
    return { ok: true as const, userId: user.id };
  });
}

export function codeHash(secret: string, userId: string, code: string): string {
  return createHmac('sha256', secret).update(`otc:${userId}:${code}`).digest('hex');
}

function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Self-service reset: a 6-digit code by SMS. The answer never says whether
 * the phone has an account (no enumeration).
 */
export async function requestPasswordReset(db: Db, secret: string, phone: string, meta: RequestMeta): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const user = await store.findUserByPhone(tx, phone);
    if (!user) return;
    if ((await store.countCodesSince(tx, user.id, 'password_reset', new Date(Date.now() - 3_600_000))) >= MAX_CODES_PER_HOUR) return;
    const code = newCode();
    await store.insertOneTimeCode(tx, {
      userId: user.id,
      purpose: 'password_reset',
      codeHash: codeHash(secret, user.id, code),
      expiresAt: new Date(Date.now() + SELF_RESET_MINUTES * 60_000),
      issuedBy: null,
    });
    await enqueue(tx, { channel: 'sms', recipient: phone, body: `Xa So: ma dat lai mat khau cua ban la ${code}. Ma co hieu luc ${SELF_RESET_MINUTES} phut. Khong dua ma nay cho ai.` });
    await appendAudit(tx, { actorId: null, actorLabel: 'khách', action: 'account.reset_requested', subjectType: 'user', subjectId: user.id, ip: meta.ip });
  });
}

const BAD_CODE = 'Mã xác nhận không đúng hoặc đã hết hạn: kiểm tra lại, hoặc xin mã mới';

export async function confirmPasswordReset(
  db: Db,
  secret: string,
  input: { phone: string; code: string; password: string },
  meta: RequestMeta,
): Promise<Outcome<{ userId: string }>> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    const user = await store.findUserByPhone(tx, input.phone);
    // A text-message code and a counter code may both be valid: either one works.
    const now = new Date();
    const usable = user ? (await store.activeOneTimeCodes(tx, user.id)).filter((c) => new Date(c.expires_at) >= now && c.attempts < MAX_CODE_ATTEMPTS) : [];
    if (!user || usable.length === 0) return { ok: false as const, errors: { code: BAD_CODE } };
    const given = Buffer.from(codeHash(secret, user.id, input.code));
    const match = usable.find((c) => {
      const expected = Buffer.from(c.code_hash);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!match) {
      for (const c of usable) await store.countCodeAttempt(tx, c.id);
      return { ok: false as const, errors: { code: BAD_CODE } };
    }
    await store.markCodeUsed(tx, match.id);
    await store.setPasswordHash(tx, user.id, passwordHash);
    // A new password ends every open session (someone else may have had the old one).
    await destroyAllSessions(tx, user.id);
    if (match.purpose === 'counter_reset') await store.insertNotice(tx, { userId: user.id, kind: 'counter_password_reset', unitCode: match.unit_code });
    await appendAudit(tx, {
      actorId: user.id,
      actorLabel: user.full_name,
      action: 'account.password_reset',
      subjectType: 'user',
      subjectId: user.id,
      pdChanged: ['password'],
      ip: meta.ip,
      detail: { via: match.purpose },
    });
    return { ok: true as const, userId: user.id };
  });
}

/** The personal ID number as the account holds it: an HMAC keyed with the server secret, never the number. */
export function idNumberHash(secret: string, idNumber: string): string {
  return createHmac('sha256', secret).update(`pid:${idNumber}`).digest('hex');
}

export interface Officer {
  id: string;
  label: string;
  grants: readonly RoleGrant[];
}

/**
 * The counter that may reset a citizen's password: one of the citizen's own
 * commune (or its province's administrator). A citizen who has chosen no
 * commune is served by no counter: nobody can open their account from behind
 * a desk. Returns the unit whose grant serves, or null.
 */
export function servingUnit(grants: readonly RoleGrant[], homeCommune: string | null): string | null {
  if (!homeCommune) return null;
  if (!grantsAllow(grants, 'counter.resetPassword', homeCommune, provinceOf)) return null;
  return grants.find((g) => g.unitCode === homeCommune)?.unitCode ?? provinceOf(homeCommune) ?? null;
}

export interface CitizenSummary {
  id: string;
  fullName: string;
  phone: string;
  hasIdNumber: boolean;
}

/** Counter lookup: only a citizen this counter serves; reading their personal data is audited. */
export async function counterLookup(db: Db, officer: Officer, phone: string, meta: RequestMeta): Promise<CitizenSummary | null> {
  return db.transaction().execute(async (tx) => {
    const user = await store.findUserByPhone(tx, phone);
    const unit = user ? servingUnit(officer.grants, user.home_commune_code) : null;
    if (!user || user.kind !== 'citizen' || !user.phone || !unit) return null;
    await appendAudit(tx, {
      actorId: officer.id,
      actorLabel: officer.label,
      unitCode: unit,
      action: 'counter.citizen_lookup',
      subjectType: 'user',
      subjectId: user.id,
      pdRead: ['full_name', 'phone'],
      ip: meta.ip,
      detail: { purpose: 'password_reset' },
    });
    return { id: user.id, fullName: user.full_name, phone: user.phone, hasIdNumber: user.id_number_hash !== null };
  });
}

export const NO_CITIZEN =
  'Bộ phận một cửa của xã, phường này không phục vụ tài khoản nào với số điện thoại này. Kiểm tra lại số; nếu người dân đã chọn xã, phường khác (hoặc chưa chọn), hướng dẫn họ nhận mã qua tin nhắn ("Quên mật khẩu") hoặc đến một cửa của xã, phường họ đã chọn.';
export const NO_ID_NUMBER =
  'Tài khoản này chưa lưu số định danh cá nhân nên không thể đối chiếu: không cấp được mã tại quầy. Người dân nhận mã qua tin nhắn ("Quên mật khẩu"), rồi thêm số định danh trong mục Tài khoản.';
export const ID_MISMATCH = 'Số định danh cá nhân không khớp với số tài khoản này đã lưu: kiểm tra lại căn cước (CCCD) của người đang đứng tại quầy.';

/**
 * An official at the counter, having checked the citizen's ID card against the
 * number the account holds, issues a one-time code; the citizen then sets a
 * new password themselves, so the official never knows it. The citizen gets a
 * text message now and a notice at their next sign-in; all of it is audited.
 */
export async function counterIssueResetCode(
  db: Db,
  secret: string,
  officer: Officer,
  input: { phone: string; idNumber: string },
  meta: RequestMeta,
): Promise<Outcome<{ code: string; citizen: CitizenSummary; expiresAt: Date }>> {
  return db.transaction().execute(async (tx): Promise<Outcome<{ code: string; citizen: CitizenSummary; expiresAt: Date }>> => {
    const user = await store.findUserByPhone(tx, input.phone);
    const unit = user ? servingUnit(officer.grants, user.home_commune_code) : null;
    if (!user || user.kind !== 'citizen' || !user.phone || !unit) return { ok: false as const, errors: { phone: NO_CITIZEN } };
    const audit = { actorId: officer.id, actorLabel: officer.label, unitCode: unit, subjectType: 'user', subjectId: user.id, pdRead: ['full_name', 'phone'], ip: meta.ip };
    if (!user.id_number_hash) return { ok: false as const, errors: { id_number: NO_ID_NUMBER } };
    const expected = Buffer.from(user.id_number_hash);
    const given = Buffer.from(idNumberHash(secret, input.idNumber));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      // Recorded: an official trying numbers on an account is visible in its log.
      await appendAudit(tx, { ...audit, action: 'counter.id_mismatch' });
      return { ok: false as const, errors: { id_number: ID_MISMATCH } };
    }
    const code = newCode();
    const expiresAt = new Date(Date.now() + COUNTER_RESET_HOURS * 3_600_000);
    await store.insertOneTimeCode(tx, { userId: user.id, purpose: 'counter_reset', codeHash: codeHash(secret, user.id, code), expiresAt, issuedBy: officer.id, unitCode: unit });
    await store.insertNotice(tx, { userId: user.id, kind: 'counter_reset_code', unitCode: unit });
    await enqueue(tx, {
      channel: 'sms',
      recipient: user.phone,
      body: `Xa So: bo phan mot cua ${asciiName(unit)} vua cap ma dat lai mat khau cho tai khoan cua ban. Neu ban khong yeu cau, hay bao ngay cho UBND xa.`,
    });
    await appendAudit(tx, { ...audit, action: 'counter.password_reset_code', detail: { identityChecked: true } });
    return { ok: true as const, code, citizen: { id: user.id, fullName: user.full_name, phone: user.phone, hasIdNumber: true }, expiresAt };
  });
}

/** A unit's name without diacritics, as plain-text SMS carries it. */
function asciiName(unitCode: string): string {
  return (unitName(unitCode) ?? unitCode)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** The account holder records their personal ID number (so a counter can check it) — they confirm with their password. */
export async function setIdNumber(
  db: Db,
  secret: string,
  actor: { id: string; label: string },
  input: { id_number: string; password: string },
  meta: RequestMeta,
): Promise<Outcome<object>> {
  const user = await store.findUserById(db, actor.id);
  if (!user) return { ok: false, errors: { password: 'Không tìm thấy tài khoản' } };
  if (user.password_hash && !(await verifyPassword(user.password_hash, input.password))) {
    return { ok: false, errors: { password: 'Mật khẩu chưa đúng: nhập mật khẩu bạn dùng để đăng nhập' } };
  }
  await db.transaction().execute(async (tx) => {
    await store.setIdNumberHash(tx, actor.id, idNumberHash(secret, input.id_number));
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, action: 'account.id_number_set', subjectType: 'user', subjectId: actor.id, pdChanged: ['id_number'], ip: meta.ip });
  });
  return { ok: true };
}

/** The account holder chooses the commune whose counter may help them. */
export async function setHomeCommune(db: Db, actor: { id: string; label: string }, communeCode: string, meta: RequestMeta): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await store.setHomeCommune(tx, actor.id, communeCode);
    await appendAudit(tx, { actorId: actor.id, actorLabel: actor.label, unitCode: communeCode, action: 'account.home_commune_set', subjectType: 'user', subjectId: actor.id, pdChanged: ['home_commune_code'], ip: meta.ip });
  });
}
