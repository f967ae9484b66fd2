import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { DbOrTx } from './db.js';
import './tables.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_MIME = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AcceptedMime = (typeof ACCEPTED_MIME)[number];

export type FileCheck = { ok: true; mime: AcceptedMime } | { ok: false; message: string };

/** Decides by content, never by name: a renamed executable is refused, a truncated PDF too. */
export async function checkUpload(bytes: Uint8Array, fieldLabel: string): Promise<FileCheck> {
  if (bytes.byteLength === 0) return { ok: false, message: `${fieldLabel}: tệp trống (0 byte). Chụp hoặc quét lại giấy tờ rồi tải lên.` };
  if (bytes.byteLength > MAX_UPLOAD_BYTES) return { ok: false, message: `${fieldLabel}: tệp lớn hơn 10 MB. Chụp ảnh với độ phân giải thấp hơn hoặc quét thành PDF nhỏ hơn.` };
  const type = await fileTypeFromBuffer(bytes);
  const mime = type?.mime as string | undefined;
  if (!mime || !(ACCEPTED_MIME as readonly string[]).includes(mime)) {
    return { ok: false, message: `${fieldLabel}: chỉ nhận ảnh JPG, PNG hoặc tệp PDF. Tệp bạn chọn không phải loại này.` };
  }
  if (mime === 'application/pdf') {
    const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.byteLength - 1024))).toString('latin1');
    if (!tail.includes('%%EOF')) return { ok: false, message: `${fieldLabel}: tệp PDF bị hỏng hoặc tải lên chưa hết. Tải lên lại.` };
  }
  return { ok: true, mime: mime as AcceptedMime };
}

/** Where a stored file lives: <dataDir>/files/ab/cd/<sha256>. The name never comes from the user. */
export function storedPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
  const root = resolve(dataDir, 'files');
  const path = resolve(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  if (!path.startsWith(root + sep)) throw new Error('path escapes the data folder');
  return path;
}

/**
 * Writes the bytes once per content (temp file, fsync, rename: a crash leaves
 * either nothing or the whole file) and records it. Idempotent.
 */
export async function storeFile(db: DbOrTx, dataDir: string, bytes: Uint8Array, mime: string): Promise<{ sha256: string; size: number }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = storedPath(dataDir, sha256);
  const exists = await stat(path).then(
    (s) => s.size === bytes.byteLength,
    () => false,
  );
  if (!exists) {
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path).catch(async (err: unknown) => {
      await unlink(tmp).catch(() => undefined);
      throw err;
    });
  }
  await db.insertInto('stored_file').values({ sha256, size_bytes: bytes.byteLength, mime }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  return { sha256, size: bytes.byteLength };
}

/** Reads a stored file back, checking its checksum (a corrupted file is never served). */
export async function readStoredFile(dataDir: string, sha256: string): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(storedPath(dataDir, sha256));
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error(`stored file ${sha256} is corrupted`);
  return bytes;
}

/** The temporary names this code writes before a rename: `<final name>.<12 hex>.tmp`. */
const TEMP_NAME = /\.[0-9a-f]{12}\.tmp$/;
/** Where such files are written: stored files, uploads, and the data folder itself (checkpoints). */
const TEMP_DIRS = ['files', 'uploads'];

/**
 * Removes temporary files a crash left between write and rename (they are
 * never referenced: the rename is what publishes a file). Runs at start,
 * before requests; `olderThanMs` spares files another live instance sharing
 * the folder may be writing right now. Returns how many were removed.
 */
export async function removeOrphanTemps(dataDir: string, olderThanMs = 0, now = Date.now()): Promise<number> {
  let removed = 0;
  const visit = async (dir: string, recurse: boolean): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (recurse) await visit(path, true);
      } else if (e.isFile() && TEMP_NAME.test(e.name)) {
        const s = await stat(path).catch(() => null);
        if (s && now - s.mtimeMs >= olderThanMs && (await unlink(path).then(() => true, () => false))) removed++;
      }
    }
  };
  const root = resolve(dataDir);
  await visit(root, false);
  for (const d of TEMP_DIRS) await visit(join(root, d), true);
  return removed;
}
