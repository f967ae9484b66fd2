/** `xaso import-team-members FILE --commune CODE`: the import service, with its report as text. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Db } from '../platform/db.js';
import { findCommune } from '../units/units.js';
import { importMembers, type ImportReport, type Progress } from './teams.import.js';

/** Exit codes: 0 imported, 2 usage or unreadable file, 4 refused (nothing written). */
export async function importTeamMembersFile(db: Db, file: string, commune: string, onProgress?: Progress): Promise<{ code: number; out: string; err: string }> {
  const unit = findCommune(commune);
  if (!unit) return { code: 2, out: '', err: `Không có xã, phường mã ${commune} trong danh mục đơn vị hành chính.\n` };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return { code: 2, out: '', err: `Không đọc được tệp ${file}: ${err instanceof Error ? err.message : String(err)}\n` };
  }
  const started = Date.now();
  const report = await importMembers(db, { id: null, label: 'dòng lệnh' }, commune, bytes, { source: basename(file), ...(onProgress ? { onProgress } : {}) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (report.ok) {
    const teams = report.teamsCreated.length ? ` Tạo ${report.teamsCreated.length} tổ mới: ${report.teamsCreated.join(', ')}.` : '';
    const linked = report.linkedAccounts ? ` Gắn ${report.linkedAccounts} tài khoản đăng nhập.` : '';
    return { code: 0, out: `${unit.commune.name}: đã nhập ${report.added} thành viên (${seconds} giây).${teams}${linked}\n`, err: '' };
  }
  return { code: 4, out: '', err: formatRefusal(report) };
}

export function formatRefusal(report: ImportReport): string {
  if (report.fileError) return `Không nhập: ${report.fileError}\n`;
  const lines = report.refused.map((r) => `Dòng ${r.line} (${r.label}): ${r.problems.join('; ')}`);
  return `${lines.join('\n')}\nKhông nhập dòng nào: ${report.refused.length} trong ${report.rows} dòng cần sửa. Sửa tệp rồi chạy lại.\n`;
}
