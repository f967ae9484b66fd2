/**
 * The rules of intake, for the pages and the JSON API alike: what a paper's
 * file must be (checked by content, images decoded, the name only a cleaned
 * label that never builds a path), how the applicant can be reached, and
 * through which channel a dossier comes in.
 */
import sharp from 'sharp';
import { normalizePhone, PHONE_RE } from '../../accounts/accounts.schema.js';
import type { Actor } from '../../platform/context.js';
import { checkUpload, type AcceptedMime } from '../../platform/files.js';
import { provinceOf } from '../../units/units.js';

/** Browsers send a base name only; a path, a parent reference or control characters mean a crafted request. */
export function unsafeFileName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[/\\\u0000-\u001f\u007f]/.test(name) || /(^|[/\\])\.\.([/\\]|$)/.test(name) || name.trim() === '..';
}

const EXT: Record<AcceptedMime, string> = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png' };

/**
 * The name shown to officials: printable, short, and ending in the extension of
 * what the file really is (a PNG named "x.pdf" is shown as "x.png").
 */
export function displayName(name: string, mime: AcceptedMime): string {
  const clean = name
    .normalize('NFC')
    // Control characters, and bidirectional overrides that make "fdp.exe" read as "exe.pdf".
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  const base = clean.replace(/\.(pdf|jpe?g|png)$/i, '').replace(/^\.+/, '').slice(0, 100).trim() || 'giay-to';
  return `${base}${EXT[mime]}`;
}

export type PaperFileCheck = { ok: true; mime: AcceptedMime; fileName: string } | { ok: false; message: string };

/** Checks one upload for one paper; every refusal names the paper and says what to do. */
export async function checkPaperFile(part: { name: string; bytes: Uint8Array }, paperLabel: string): Promise<PaperFileCheck> {
  const label = `“${paperLabel}”`;
  if (unsafeFileName(part.name)) return { ok: false, message: `${label}: tên tệp không hợp lệ (có đường dẫn hoặc ký tự lạ). Đổi tên tệp cho đơn giản rồi tải lên lại.` };
  const checked = await checkUpload(part.bytes, label);
  if (!checked.ok) return checked;
  if (checked.mime !== 'application/pdf') {
    // A header alone passes the type check: decode the image so a cut-off or corrupt photo is refused now, not at the counter.
    try {
      await sharp(part.bytes, { failOn: 'error', limitInputPixels: 120_000_000 }).stats();
    } catch {
      return { ok: false, message: `${label}: ảnh bị hỏng hoặc tải lên chưa hết. Chụp lại giấy tờ rồi tải lên lại.` };
    }
  }
  return { ok: true, mime: checked.mime, fileName: displayName(part.name, checked.mime) };
}


/** At the counter when the official is a receiving officer there; otherwise a community team in the field. */
export function assistedChannel(actor: Pick<Actor, 'grants'>, communeCode: string): 'counter' | 'field' {
  const counter = actor.grants.some((g) => g.role === 'receiving_officer' && (g.unitCode === communeCode || (g.unitCode.length === 2 && provinceOf(communeCode) === g.unitCode)));
  return counter ? 'counter' : 'field';
}

export const CONTACT_ERRORS = {
  phone: 'Số điện thoại di động gồm 10 chữ số, ví dụ 0912345678',
  email: 'Thư điện tử chưa đúng, ví dụ ten@example.com',
} as const;

/** A typed e-mail address is plausible (the real check is a message that arrives). */
export function plausibleEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}

/** A typed mobile number, normalised (+84, spaces); null when it is not one. */
export function mobilePhone(typed: string): string | null {
  const phone = normalizePhone(typed);
  return PHONE_RE.test(phone) ? phone : null;
}
