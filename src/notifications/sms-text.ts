/**
 * Vietnamese brand-name SMS rules, pure: operators accept text without
 * diacritics (GSM 7-bit), at most two segments, matching a template the
 * province registered with them.
 */

/** GSM 03.38 basic characters that take two septets (escape + char). */
const GSM_EXTENDED = new Set(['^', '{', '}', '\\', '[', ']', '~', '|']);
export const MAX_SEGMENTS = 2;

/** Unaccented text: "Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan"; anything outside printable ASCII becomes "?". */
export function smsPlainText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** Septets the text takes in GSM 7-bit. */
export function gsmLength(text: string): number {
  let n = 0;
  for (const ch of text) n += GSM_EXTENDED.has(ch) ? 2 : 1;
  return n;
}

/** Segments: 160 septets alone, 153 each once concatenated (the header takes 7). */
export function smsSegments(text: string): number {
  const n = gsmLength(text);
  if (n === 0) return 0;
  return n <= 160 ? 1 : Math.ceil(n / 153);
}

export interface SmsTemplate {
  /** The id the operator registered it under. */
  id: string;
  pattern: RegExp;
}

/**
 * The messages Xã Số sends. A province registers these with its operator; the
 * gateway refuses text that matches none, so an unmatched message is not retried.
 */
export const SMS_TEMPLATES: readonly SmsTemplate[] = [
  { id: 'dossier_status', pattern: /^Xa So: ho so [A-Za-z0-9.-]+: .+$/ },
  { id: 'feedback_status', pattern: /^Xa So: .+ Xem: https?:\/\/\S+$/ },
  { id: 'password_code', pattern: /^Xa So: ma dat lai mat khau cua ban la \d{4,8}\. .+$/ },
  { id: 'counter_code', pattern: /^Xa So: can bo mot cua da cap ma dat lai mat khau cho ban: \d{4,8}\. .+$/ },
];

export function matchTemplate(text: string, templates: readonly SmsTemplate[] = SMS_TEMPLATES): SmsTemplate | undefined {
  return templates.find((t) => t.pattern.test(text));
}

export type SmsCheck = { ok: true; text: string; templateId: string; segments: number } | { ok: false; reason: string };

/** The text as the operator will take it, or why it cannot be sent. */
export function prepareSms(body: string, templates: readonly SmsTemplate[] = SMS_TEMPLATES): SmsCheck {
  const text = smsPlainText(body).trim();
  const segments = smsSegments(text);
  if (segments === 0) return { ok: false, reason: 'tin nhắn trống' };
  if (segments > MAX_SEGMENTS) return { ok: false, reason: `tin nhắn dài ${gsmLength(text)} ký tự, quá ${MAX_SEGMENTS} tin (306 ký tự)` };
  const template = matchTemplate(text, templates);
  if (!template) return { ok: false, reason: 'tin nhắn không khớp mẫu nào đã đăng ký với nhà mạng' };
  return { ok: true, text, templateId: template.id, segments };
}

