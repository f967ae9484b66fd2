import { isoDateInVn } from '../calendar/index.js';
import { workingCalendar } from '../calendar/shared.js';
import type { Db } from '../platform/db.js';
import { progressBar } from '../platform/progress.js';
import { rebuild } from './rollup.js';
import { generateDossiers } from './generate.js';

/** `xaso stats rebuild`: recomputes every roll-up; exit 0 when nothing differed, 4 when something did. */
export async function statsRebuildCommand(db: Db, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const started = Date.now();
  const diffs = await rebuild(db, { today: isoDateInVn(new Date()), calendar: await workingCalendar(), onProgress: progressBar('Tính lại số liệu') });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!diffs.length) {
    out.write(`Đã tính lại số liệu tổng hợp (${seconds} giây): khớp hoàn toàn với số đã lưu.\n`);
    return 0;
  }
  out.write(`Đã tính lại số liệu tổng hợp (${seconds} giây): ${diffs.length} số liệu khác với số đã lưu (đã sửa):\n`);
  for (const d of diffs.slice(0, 50)) out.write(`  ${d}\n`);
  if (diffs.length > 50) out.write(`  … và ${diffs.length - 50} số liệu khác.\n`);
  return 4;
}

/** `xaso generate-dossiers --province 80 --dossiers N --years 2`: synthetic history, then fresh roll-ups. */
export async function generateDossiersCommand(db: Db, args: { province?: string | undefined; dossiers?: string | undefined; years?: string | undefined }, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const dossiers = Number(args.dossiers ?? '');
  const years = Number(args.years ?? '2');
  if (!/^[0-9]{2}$/.test(args.province ?? '') || !Number.isSafeInteger(dossiers) || dossiers < 1 || dossiers > 50_000_000 || !(years > 0 && years <= 5)) {
    err.write('Dùng: xaso generate-dossiers --province <mã tỉnh 2 chữ số> --dossiers <số hồ sơ, 1–50.000.000> [--years <1–5, mặc định 2>]\n');
    return 2;
  }
  const calendar = await workingCalendar();
  const today = isoDateInVn(new Date());
  const r = await generateDossiers(db, { province: args.province!, dossiers, years, endDay: today, calendar, onProgress: progressBar('Sinh hồ sơ') });
  if (!r.ok) {
    err.write(`${r.message}\n`);
    return 3;
  }
  out.write(`Đã sinh ${r.dossiers.toLocaleString('vi-VN')} hồ sơ trong ${r.seconds.toFixed(1)} giây (${Math.round(r.dossiers / r.seconds).toLocaleString('vi-VN')} hồ sơ/giây).\n`);
  await rebuild(db, { today, calendar, onProgress: progressBar('Tính số liệu tổng hợp') });
  out.write('Đã tính số liệu tổng hợp.\n');
  return 0;
}
