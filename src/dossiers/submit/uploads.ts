/**
 * Paper uploads: one file per request, checked by content (never by name or
 * declared type), stored once per SHA-256 under the data folder. The client's
 * file name is only ever a display label, cleaned; it never builds a path.
 */
import sharp from 'sharp';
import type { UploadRoute } from '../../platform/body-limits.js';
import type { Ctx } from '../../platform/context.js';
import { checkUpload, type AcceptedMime } from '../../platform/files.js';

/** One paper (≤ 10 MB) plus the form fields and multipart framing. */
export const UPLOAD_REQUEST_BYTES = 12 * 1024 * 1024;

/** The file field on every upload form. */
export const FILE_FIELD = 'tep';

const UPLOAD_PATHS = [/^\/nop-ho-so\/ban-nhap\/[^/]+\/giay-to\/[^/]+$/, /^\/can-bo\/nop-thay\/ban-nhap\/[^/]+\/giay-to\/[^/]+$/, /^\/ho-so\/[^/]+\/bo-sung\/[^/]+$/];

/** Requests that carry a paper: they get UPLOAD_REQUEST_BYTES instead of the 1 MB form limit. */
export function isDossierUpload(method: string, path: string): boolean {
  return method === 'POST' && UPLOAD_PATHS.some((re) => re.test(path));
}

/** Paper uploads: one file per request, with the form (src/platform/body-limits.ts). */
export const dossierPaperUpload: UploadRoute = {
  matches: (path) => isDossierUpload('POST', path),
  maxBytes: UPLOAD_REQUEST_BYTES,
  onTooLarge: (c) => uploadTooLarge(c),
};

/**
 * Too large for even the upload limit: back to the same page, which names the
 * paper in its message (the session and the draft are not loaded yet here).
 */
export function uploadTooLarge(c: Ctx): Response {
  return c.redirect(`${c.req.path}?loi=qua-lon`, 303);
}

/** The message for a file over the request limit, shown on the page the upload came from. */
export const TOO_LARGE = (label: string) => `“${label}”: tệp lớn hơn 10 MB. Chụp ảnh với độ phân giải thấp hơn hoặc quét thành PDF nhỏ hơn.`;

export interface UploadPart {
  /** As the client sent it: untrusted. */
  name: string;
  bytes: Uint8Array;
}

/** The file in the form, or null when none was chosen (browsers send an empty, nameless part). */
export async function readUploadPart(c: Ctx, field = FILE_FIELD): Promise<UploadPart | null> {
  if (!(c.req.header('content-type') ?? '').includes('multipart/form-data')) return null;
  const body = await c.req.parseBody();
  const v = body[field];
  if (!(v instanceof File)) return null;
  if (v.name === '' && v.size === 0) return null;
  return { name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) };
}

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
export async function checkPaperFile(part: UploadPart, paperLabel: string): Promise<PaperFileCheck> {
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

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
