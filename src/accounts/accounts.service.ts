import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../platform/db.js';
import { appendAudit } from '../platform/audit.js';
import { enqueue } from '../platform/outbox.js';
import type { FieldErrors } from '../platform/layout.js';
import { destroyAllSessions } from '../platform/session.js';
import * as store from './accounts.store.js';
import { hashPassword, verifyNothing, verifyPassword } from './passwords.js';
import { provinceOf } from '../units/units.js';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;
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
  input: { full_name: string; phone: string; email: string | null; password: string },
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
      const userId = await store.insertUser(tx, { kind: 'citizen', fullName: input.full_name, phone: input.phone, email: input.email, passwordHash });
      await appendAudit(tx, {
        actorId: userId,
        actorLabel: input.full_name,
        action: 'account.register',
        subjectType: 'user',
        subjectId: userId,
        pdChanged: ['full_name', 'phone', ...(input.email ? ['email'] : [])],
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

export type LoginOutcome = { ok: true; userId: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; minutes: number };

export async function authenticate(db: Db, login: string, password: string, meta: RequestMeta): Promise<LoginOutcome> {
  const user = await store.findUserByLogin(db, login);
  if (!user || !user.password_hash) {
    await verifyNothing(password);
    return { ok: false, reason: 'invalid' };
  }
  if (user.locked_until && new Date(user.locked_until) > new Date()) {
    return { ok: false, reason: 'locked', minutes: Math.ceil((new Date(user.locked_until).getTime() - Date.now()) / 60_000) };
  }
  const good = await verifyPassword(user.password_hash, password);
  return db.transaction().execute(async (tx) => {
    if (!good) {
      const { locked } = await store.recordLoginFailure(tx, user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
      await appendAudit(tx, { actorId: null, actorLabel: 'khách', action: locked ? 'account.locked' : 'account.login_failed', subjectType: 'user', subjectId: user.id, ip: meta.ip });
      return locked ? { ok: false as const, reason: 'locked' as const, minutes: LOCK_MINUTES } : { ok: false as const, reason: 'invalid' as const };
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
    if ((await store.countCodesSince(tx, user.id, new Date(Date.now() - 3_600_000))) >= MAX_CODES_PER_HOUR) return;
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
    const active = user ? await store.activeOneTimeCode(tx, user.id) : undefined;
    if (!user || !active || new Date(active.expires_at) < new Date() || active.attempts >= MAX_CODE_ATTEMPTS) {
      return { ok: false as const, errors: { code: BAD_CODE } };
    }
    const expected = Buffer.from(active.code_hash);
    const given = Buffer.from(codeHash(secret, user.id, input.code));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      await store.countCodeAttempt(tx, active.id);
      return { ok: false as const, errors: { code: BAD_CODE } };
    }
    await store.markCodeUsed(tx, active.id);
    await store.setPasswordHash(tx, user.id, passwordHash);
    // A new password ends every open session (someone else may have had the old one).
    await destroyAllSessions(tx, user.id);
    await appendAudit(tx, {
      actorId: user.id,
      actorLabel: user.full_name,
      action: 'account.password_reset',
      subjectType: 'user',
      subjectId: user.id,
      pdChanged: ['password'],
      ip: meta.ip,
      detail: { via: active.purpose },
    });
    return { ok: true as const, userId: user.id };
  });
}

/**
 * Since Decree 118/2025 any counter in a province serves anyone living in it;
 * an official of another province may not touch the account.
 */
function servesCitizen(officerUnit: string | null, homeCommune: string | null): boolean {
  if (!officerUnit) return false;
  if (!homeCommune) return true;
  return provinceOf(homeCommune) === (officerUnit.length === 2 ? officerUnit : provinceOf(officerUnit));
}

export interface CitizenSummary {
  id: string;
  fullName: string;
  phone: string;
}

/** Counter lookup: reading a citizen's personal data is audited. */
export async function counterLookup(
  db: Db,
  officer: { id: string; label: string; unitCode: string | null },
  phone: string,
  meta: RequestMeta,
): Promise<CitizenSummary | null> {
  return db.transaction().execute(async (tx) => {
    const user = await store.findUserByPhone(tx, phone);
    if (!user || user.kind !== 'citizen' || !user.phone || !servesCitizen(officer.unitCode, user.home_commune_code)) return null;
    await appendAudit(tx, {
      actorId: officer.id,
      actorLabel: officer.label,
      unitCode: officer.unitCode,
      action: 'counter.citizen_lookup',
      subjectType: 'user',
      subjectId: user.id,
      pdRead: ['full_name', 'phone'],
      ip: meta.ip,
      detail: { purpose: 'password_reset' },
    });
    return { id: user.id, fullName: user.full_name, phone: user.phone };
  });
}

/**
 * An official at the counter, having checked the citizen's ID, issues a
 * one-time code; the citizen then sets a new password themselves, so the
 * official never knows it.
 */
export async function counterIssueResetCode(
  db: Db,
  secret: string,
  officer: { id: string; label: string; unitCode: string | null },
  input: { phone: string; idLast4: string },
  meta: RequestMeta,
): Promise<Outcome<{ code: string; citizen: CitizenSummary; expiresAt: Date }>> {
  return db.transaction().execute(async (tx) => {
    const user = await store.findUserByPhone(tx, input.phone);
    if (!user || user.kind !== 'citizen' || !user.phone || !servesCitizen(officer.unitCode, user.home_commune_code)) {
      return { ok: false as const, errors: { phone: 'Không có tài khoản người dân nào với số điện thoại này: kiểm tra lại số, hoặc giúp người dân đăng ký mới' } };
    }
    const code = newCode();
    const expiresAt = new Date(Date.now() + COUNTER_RESET_HOURS * 3_600_000);
    await store.insertOneTimeCode(tx, { userId: user.id, purpose: 'counter_reset', codeHash: codeHash(secret, user.id, code), expiresAt, issuedBy: officer.id });
    await enqueue(tx, { channel: 'sms', recipient: user.phone, body: `Xa So: can bo mot cua da cap ma dat lai mat khau cho ban: ${code}. Ma co hieu luc ${COUNTER_RESET_HOURS} gio.` });
    await appendAudit(tx, {
      actorId: officer.id,
      actorLabel: officer.label,
      unitCode: officer.unitCode,
      action: 'counter.password_reset_code',
      subjectType: 'user',
      subjectId: user.id,
      pdRead: ['full_name', 'phone'],
      ip: meta.ip,
      detail: { identityChecked: true, idLast4: input.idLast4 },
    });
    return { ok: true as const, code, citizen: { id: user.id, fullName: user.full_name, phone: user.phone }, expiresAt };
  });
}
