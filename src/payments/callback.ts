/**
 * The payment gateway's callback: HMAC-SHA256 over "timestamp.body" with a
 * shared secret, hex in `X-Xaso-Signature`, Unix seconds in `X-Xaso-Timestamp`.
 * A callback signed more than five minutes before (or after) our clock is refused,
 * so a captured request cannot be replayed later; within the window a replay is
 * harmless because the bank reference is counted once. Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from '@hono/zod-openapi';

export const SIGNATURE_HEADER = 'x-xaso-signature';
export const TIMESTAMP_HEADER = 'x-xaso-timestamp';
export const REPLAY_WINDOW_SECONDS = 5 * 60;

export function signCallback(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'bad_signature' };

export function verifyCallback(secret: string, body: string, timestamp: string | undefined, signature: string | undefined, nowMs: number): SignatureVerdict {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  const expected = Buffer.from(signCallback(secret, timestamp, body), 'hex');
  const given = /^[0-9a-fA-F]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  // Check the signature first: an unsigned caller learns nothing about our clock.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > REPLAY_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/** What a gateway sends: one incoming bank transaction to the commune's collection account. */
export const CallbackBody = z
  .object({
    transactionId: z.string().min(1).max(100).describe('Mã giao dịch của ngân hàng (duy nhất); gửi lại cùng mã thì chỉ được tính một lần'),
    reference: z.string().regex(/^[0-9A-Za-z]{4,25}$/).describe('Mã thanh toán trong nội dung chuyển khoản, ví dụ HS254592612030001'),
    amount: z.number().int().positive().max(9_999_999_999_999).describe('Số tiền đã nhận, đồng'),
    accountNo: z.string().regex(/^[0-9A-Za-z]{1,19}$/).describe('Số tài khoản thu của xã'),
    bankBin: z.string().regex(/^\d{6}$/).optional().describe('Mã BIN ngân hàng của tài khoản thu'),
    paidAt: z.iso.datetime({ offset: true }).describe('Thời điểm ngân hàng ghi có (ISO 8601)'),
    description: z.string().max(500).optional().describe('Nội dung chuyển khoản nguyên văn'),
  })
  .openapi('PaymentCallback');
