import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeGate, MAX_PHOTO_BYTES, photoDir, photoPath, processPhotos, storePhotos, type UploadedPart } from './photos.js';

/** A small image of the given format, made here (no fixture files). */
export async function testImage(format: 'png' | 'jpeg' | 'webp', width = 40, height = 30): Promise<Uint8Array> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } });
  const buf = format === 'png' ? await img.png().toBuffer() : format === 'webp' ? await img.webp().toBuffer() : await img.jpeg().toBuffer();
  return new Uint8Array(buf);
}

/** Every file under a folder, relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.push(`${prefix}${e.name}`);
    }
  };
  await walk(dir, '');
  return out.sort();
}

describe('feedback photos', () => {
  let root: string;
  let dataDir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'xaso-photos-'));
    dataDir = join(root, 'data');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('accepts JPEG, PNG and WebP, re-encodes to JPEG and names files by content hash only', async () => {
    const parts: UploadedPart[] = [
      { name: 'a.png', bytes: await testImage('png') },
      { name: 'b.jpg', bytes: await testImage('jpeg') },
      { name: 'c.webp', bytes: await testImage('webp') },
    ];
    const r = await processPhotos(parts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const p of r.photos) {
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect((await sharp(p.data).metadata()).format).toBe('jpeg');
    }
    await storePhotos(dataDir, r.photos);
    const files = await filesUnder(dataDir);
    expect(files.length).toBe(new Set(r.photos.map((p) => p.sha256)).size);
    for (const f of files) expect(f).toMatch(/^uploads\/feedback\/[0-9a-f]{64}\.jpg$/);
  });

  it('shrinks big photos to at most 1600 px and drops EXIF (location privacy), keeping the orientation', async () => {
    const withGps = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#336699' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { ImageDescription: 'nha cua toi' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '11/1 18/1 0/1' } })
      .toBuffer();
    const before = await sharp(withGps).metadata();
    expect(before.exif?.includes(Buffer.from('nha cua toi'))).toBe(true);
    expect(before.orientation).toBe(6);
    const r = await processPhotos([{ name: 'IMG_0001.JPG', bytes: new Uint8Array(withGps) }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const meta = await sharp(r.photos[0]!.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(Math.max(meta.width!, meta.height!)).toBe(1600);
    // Orientation 6 = rotate 90°: the stored photo stands upright.
    expect(meta.height).toBeGreaterThan(meta.width!);
    expect(r.photos[0]!.width).toBe(meta.width);
  });

  it('never enlarges a small photo', async () => {
    const r = await processPhotos([{ name: 'nho.png', bytes: await testImage('png', 120, 80) }]);
    expect(r.ok && [r.photos[0]!.width, r.photos[0]!.height]).toEqual([120, 80]);
  });

  it('refuses, naming each file: wrong type, renamed executable, oversized, zero-byte, path traversal, broken image', async () => {
    const png = await testImage('png');
    const exe = new Uint8Array(Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'binary'), Buffer.alloc(64)]));
    const elf = new Uint8Array(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]));
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
    big.set(png);
    const broken = png.slice(0, 60);
    const r = await processPhotos([
      { name: 'ghi-chu.txt', bytes: new TextEncoder().encode('chỉ là chữ, không phải ảnh') },
      { name: 'anh-dep.jpg', bytes: exe },
      { name: 'anh.png', bytes: elf },
      { name: 'qua-lon.png', bytes: big },
      { name: 'rong.jpg', bytes: new Uint8Array(0) },
      { name: '../../../etc/cron.d/x.png', bytes: png },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'bạn chọn 6 ảnh, chỉ gửi được tối đa 5 ảnh',
      '“ghi-chu.txt” không phải ảnh JPEG, PNG hoặc WebP',
      '“anh-dep.jpg” không phải ảnh JPEG, PNG hoặc WebP',
      '“anh.png” không phải ảnh JPEG, PNG hoặc WebP',
      '“qua-lon.png” lớn hơn 10 MB',
      '“rong.jpg” là tệp rỗng (0 byte)',
      '“../../../etc/cron.d/x.png” có tên tệp không hợp lệ (chứa đường dẫn hoặc ký tự điều khiển)',
    ]);
    const more = await processPhotos([
      { name: 'C:\\Users\\lan\\anh.png', bytes: png },
      { name: 'hong.png', bytes: broken },
      { name: '..', bytes: png },
      { name: 'a\u0000.png', bytes: png },
    ]);
    expect(more.ok).toBe(false);
    if (!more.ok) {
      expect(more.problems).toHaveLength(4);
      expect(more.problems[1]).toBe('“hong.png” bị hỏng hoặc quá lớn, không đọc được');
    }
  });

  it('refuses more than five photos, and ignores the empty part a browser sends when none is chosen', async () => {
    const png = await testImage('png');
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `${i}.png`, bytes: png }));
    const r = await processPhotos(six);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toContain('tối đa 5 ảnh');
    const none = await processPhotos([{ name: '', bytes: new Uint8Array(0) }]);
    expect(none).toEqual({ ok: true, photos: [] });
  });

  it('builds paths from a hash only, inside the data folder', () => {
    const sha = 'a'.repeat(64);
    expect(photoPath(dataDir, sha)).toBe(join(photoDir(dataDir), `${sha}.jpg`));
    for (const bad of ['../x', `${'a'.repeat(63)}/`, 'A'.repeat(64), '', `${sha}.jpg`]) expect(() => photoPath(dataDir, bad)).toThrow();
  });

  it('writes nothing when a photo is refused', async () => {
    const empty = join(root, 'empty');
    const r = await processPhotos([{ name: '../../x.png', bytes: await testImage('png') }]);
    expect(r.ok).toBe(false);
    if (r.ok) await storePhotos(empty, r.photos);
    expect(await filesUnder(empty)).toEqual([]);
    expect(await filesUnder(root)).not.toContain('x.png');
  });
});

describe('the decode gate', () => {
  it('lets at most its limit decode at once, and every job runs', async () => {
    const gate = new DecodeGate(2);
    let active = 0;
    let most = 0;
    const job = async (i: number) => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => gate.run(() => job(i))));
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(most).toBe(2);
    expect(gate.peak).toBe(2);
    expect(gate.started).toBe(12);
    // A failing job frees its slot.
    await expect(gate.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await gate.run(() => Promise.resolve('ok'))).toBe('ok');
  });
});
