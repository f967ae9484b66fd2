/**
 * Paper uploads over HTTP: one file per request, the request size limit, and
 * reading the part. What a file must be is intake.ts's, for pages and API alike.
 */
import { admitPolicy, type UploadRoute } from '../../platform/body-limits.js';
import { SIGNED_IN } from '../../platform/permissions.js';
import type { Ctx } from '../../platform/context.js';

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
  admit: admitPolicy(SIGNED_IN),
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

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
