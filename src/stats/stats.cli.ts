import { isoDateInVn } from '../calendar/index.js';
import { workingCalendar } from '../calendar/shared.js';
import type { Db } from '../platform/db.js';
import { progressBar } from '../platform/progress.js';
import { rebuild } from './rollup.js';

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
