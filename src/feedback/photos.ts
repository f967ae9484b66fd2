/**
 * Feedback photos: checked by their content (never by name or declared type),
 * re-encoded to JPEG at most 1600 px with every metadata block dropped (EXIF
 * GPS would tell where the citizen lives), and stored under the data folder
 * by the SHA-256 of the re-encoded bytes. Client file names are only ever
 * shown back in error messages, never used to build a path.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTO_EDGE = 1600;
/** A 108-megapixel phone photo still passes; a decompression bomb does not. */
const MAX_INPUT_PIXELS = 120_000_000;
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp']);

export interface UploadedPart {
  /** As the client sent it: untrusted, for messages only. */
  name: string;
  bytes: Uint8Array;
}

export interface ProcessedPhoto {
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  data: Buffer;
}

export type PhotoOutcome = { ok: true; photos: ProcessedPhoto[] } | { ok: false; problems: string[] };

/** The name as shown in a message: short, printable. */
function shown(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean.length > 60 ? `${clean.slice(0, 57)}…` : clean || '(không tên)';
}

/** Browsers send only a base name; anything with a path in it is refused outright. */
function suspiciousName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[/\\\u0000-\u001f\u007f]/.test(name) || name.split('.').every((p) => p === '') || /(^|[/\\])\.\.([/\\]|$)/.test(name);
}

/** Parts that carry no file: what a browser sends for an empty file input. */
export function isEmptyPart(p: UploadedPart): boolean {
  return p.name === '' && p.bytes.byteLength === 0;
}

async function reencode(bytes: Uint8Array): Promise<ProcessedPhoto> {
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate() // apply the EXIF orientation before the EXIF block is dropped
    .resize({ width: MAX_PHOTO_EDGE, height: MAX_PHOTO_EDGE, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.byteLength, width: info.width, height: info.height, data };
}

/**
 * Decoding is the expensive part (a large PNG takes a core and hundreds of MB):
 * at most a few at a time in the whole process, whoever asks; the others wait their turn.
 */
export class DecodeGate {
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  /** Decodes started since the process began, and the most ever at once (for tests and health). */
  started = 0;
  peak = 0;
  constructor(readonly max: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    this.started++;
    this.peak = Math.max(this.peak, this.#active);
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next in line (active stays the same), or frees up.
      if (next) next();
      else this.#active--;
    }
  }
}

export const decodeGate = new DecodeGate(2);

export interface CheckedPhotos {
  files: UploadedPart[];
  problems: string[];
}

/** The cheap checks of one file, without decoding a pixel: its name, size, type read from the content, and pixel count read from the header. */
async function problemOf(file: UploadedPart): Promise<string | null> {
  const label = `“${shown(file.name)}”`;
  if (suspiciousName(file.name)) return `${label} có tên tệp không hợp lệ (chứa đường dẫn hoặc ký tự điều khiển)`;
  if (file.bytes.byteLength === 0) return `${label} là tệp rỗng (0 byte)`;
  if (file.bytes.byteLength > MAX_PHOTO_BYTES) return `${label} lớn hơn 10 MB`;
  const type = await fileTypeFromBuffer(file.bytes);
  if (!type || !ACCEPTED.has(type.mime)) return `${label} không phải ảnh JPEG, PNG hoặc WebP`;
  let pixels = Infinity;
  try {
    const meta = await sharp(file.bytes).metadata();
    pixels = (meta.width ?? Infinity) * (meta.height ?? Infinity);
  } catch {
    // An unreadable header: refused below.
  }
  return pixels <= MAX_INPUT_PIXELS ? null : `${label} bị hỏng hoặc quá lớn, không đọc được`;
}

function tooMany(files: UploadedPart[]): string[] {
  return files.length > MAX_PHOTOS ? [`bạn chọn ${files.length} ảnh, chỉ gửi được tối đa ${MAX_PHOTOS} ảnh`] : [];
}

export interface CheckedPhotos {
  files: UploadedPart[];
  problems: string[];
}

/** The cheap checks of every part (every file, even past the fifth, so the citizen learns every problem at once). */
export async function checkPhotos(parts: UploadedPart[]): Promise<CheckedPhotos> {
  const all = parts.filter((p) => !isEmptyPart(p));
  const problems = tooMany(all);
  const files: UploadedPart[] = [];
  for (const file of all) {
    const problem = await problemOf(file);
    if (problem) problems.push(problem);
    else files.push(file);
  }
  return { files, problems };
}

async function decodeOne(file: UploadedPart): Promise<ProcessedPhoto | string> {
  try {
    return await decodeGate.run(() => reencode(file.bytes));
  } catch {
    return `“${shown(file.name)}” bị hỏng hoặc quá lớn, không đọc được`;
  }
}

/** Re-encodes checked photos, through the process-wide gate; lists every problem, naming each file. */
export async function decodePhotos(files: UploadedPart[]): Promise<PhotoOutcome> {
  const problems: string[] = [];
  const photos: ProcessedPhoto[] = [];
  for (const file of files) {
    const r = await decodeOne(file);
    if (typeof r === 'string') problems.push(r);
    else photos.push(r);
  }
  return problems.length ? { ok: false, problems } : { ok: true, photos };
}

/** Checks and re-encodes each part in turn, listing every problem (for callers with no form to validate first). */
export async function processPhotos(parts: UploadedPart[]): Promise<PhotoOutcome> {
  const all = parts.filter((p) => !isEmptyPart(p));
  const problems = tooMany(all);
  const photos: ProcessedPhoto[] = [];
  for (const file of all) {
    const problem = await problemOf(file);
    const r = problem ?? (await decodeOne(file));
    if (typeof r === 'string') problems.push(r);
    else photos.push(r);
  }
  return problems.length ? { ok: false, problems } : { ok: true, photos };
}

export function photoDir(dataDir: string): string {
  return resolve(dataDir, 'uploads', 'feedback');
}

/** The one place a photo path is built: from a hash, checked to stay inside the folder. */
export function photoPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid photo hash');
  const dir = photoDir(dataDir);
  const file = join(dir, `${sha256}.jpg`);
  if (!file.startsWith(dir + sep)) throw new Error('photo path escapes the data folder');
  return file;
}

/** Writes each photo once (same content, same file); a temporary name and a rename make it atomic. */
export async function storePhotos(dataDir: string, photos: ProcessedPhoto[]): Promise<void> {
  if (!photos.length) return;
  await mkdir(photoDir(dataDir), { recursive: true });
  for (const p of photos) {
    const target = photoPath(dataDir, p.sha256);
    if (existsSync(target)) continue;
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, p.data, { mode: 0o640 });
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }
}

export async function readPhoto(dataDir: string, sha256: string): Promise<Buffer | null> {
  try {
    return await readFile(photoPath(dataDir, sha256));
  } catch {
    return null;
  }
}
