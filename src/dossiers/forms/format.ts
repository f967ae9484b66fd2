/**
 * Vietnamese wording for the printed forms: dates in words, money, who signed,
 * and how a step compares with its due date. Pure: no I/O, local time is UTC+7.
 */
import { isoDateInVn } from '../../calendar/index.js';
import type { Fee } from '../../catalog/procedure.js';
import { findCommune } from '../../units/units.js';
import type { BookProgress, FeeLine, Issuer, Timeliness } from './types.js';

const VN_OFFSET_MS = 7 * 3_600_000;
const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

const pad2 = (n: number) => String(n).padStart(2, '0');

function ymd(iso: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`expected YYYY-MM-DD, got "${iso}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Local wall-clock parts of an instant in Việt Nam. */
export function vnParts(at: Date): { date: string; hour: number; minute: number } {
  const local = new Date(at.getTime() + VN_OFFSET_MS);
  return { date: isoDateInVn(at), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

/** "ngày 09 tháng 03 năm 2026" (the date line of an administrative document). */
export function dateWords(iso: string): string {
  const [y, m, d] = ymd(iso);
  return `ngày ${pad2(d)} tháng ${pad2(m)} năm ${y}`;
}

/** "09/03/2026". */
export function dmy(iso: string): string {
  const [y, m, d] = ymd(iso);
  return `${pad2(d)}/${pad2(m)}/${y}`;
}

/** "Thứ Tư" for a local date. */
export function weekday(iso: string): string {
  const [y, m, d] = ymd(iso);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/** "09 giờ 05 phút, ngày 09 tháng 03 năm 2026". */
export function instantWords(at: Date): string {
  const p = vnParts(at);
  return `${pad2(p.hour)} giờ ${pad2(p.minute)} phút, ${dateWords(p.date)}`;
}

/** "09:05 09/03/2026", for table cells. */
export function instantShort(at: Date): string {
  const p = vnParts(at);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${dmy(p.date)}`;
}

/** "17 giờ 00 phút" from "17:00". */
export function timeWords(hhmm: string): string {
  const [h = '00', m = '00'] = hhmm.split(':');
  return `${h.padStart(2, '0')} giờ ${m.padStart(2, '0')} phút`;
}

/** 50000 → "50.000 đồng". */
export function money(vnd: number): string {
  return `${String(Math.round(vnd)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
}

const FEE_KIND: Record<Fee['kind'], string> = { fee: 'Phí', charge: 'Lệ phí', other: 'Phí, lệ phí khác' };

/**
 * Fee lines as printed. A fee published as 0 with no text is *not published*,
 * never "free"; an explicit 0 is free. No fee at all on the channel is also
 * "not published": the portal says nothing, so neither do we.
 */
export function feeLines(fees: readonly Fee[]): FeeLine[] {
  if (fees.length === 0) return [{ label: 'Phí, lệ phí', text: 'chưa công bố' }];
  return fees.map((f) => {
    const label = FEE_KIND[f.kind];
    const note = f.text.trim();
    if (f.unpublished) return { label, text: 'chưa công bố' };
    if (f.amountVnd === 0) return { label, text: note ? `miễn phí (${note})` : 'miễn phí' };
    if (f.amountVnd === null) return { label, text: note || 'chưa công bố' };
    return { label, text: note ? `${money(f.amountVnd)} (${note})` : money(f.amountVnd) };
  });
}

/** The commune's name, and the place written on the date line ("Tân Ninh" for "Phường Tân Ninh"). */
export function issuerOf(communeCode: string): Issuer {
  const found = findCommune(communeCode)?.commune;
  const communeName = found?.name ?? `Xã ${communeCode}`;
  let place = communeName;
  const type = found?.divisionType ?? '';
  if (type && communeName.toLowerCase().startsWith(`${type.toLowerCase()} `)) place = communeName.slice(type.length + 1);
  return { communeCode, communeName, place };
}

/** "ỦY BAN NHÂN DÂN PHƯỜNG TÂN NINH". */
export function ubndUpper(issuer: Issuer): string {
  return `Ủy ban nhân dân ${issuer.communeName}`.toLocaleUpperCase('vi');
}

/** "UBND Phường Tân Ninh". */
export function ubndShort(issuer: Issuer): string {
  return `UBND ${issuer.communeName}`;
}

/**
 * A person's name as printed under a signature: actor labels carry their roles
 * ("Trần Văn A (receiving_officer@25459)") for the audit log, not for paper.
 */
export function displayName(actorLabel: string): string {
  return actorLabel.replace(/\s*\([^()]*@[^()]*\)\s*$/, '').trim();
}

/** "thủ tục đăng ký khai sinh" inside a sentence, whether or not the name starts with "Thủ tục". */
export function procedurePhrase(name: string): string {
  const n = name.trim();
  return /^thủ tục\s/i.test(n) ? `thủ tục ${n.slice('thủ tục '.length)}` : `thủ tục ${n}`;
}

/**
 * The line the office page writes above the papers an official ticks in a
 * supplement request. Stored notes carry it verbatim, so it stays readable on
 * the citizen's timeline; the forms must not count it as a missing paper.
 * Old notes keep this exact text: if the wording ever changes, keep the old one
 * in NOTE_HEADINGS.
 */
export const SUPPLEMENT_HEADING = 'Giấy tờ cần bổ sung:';
const NOTE_HEADINGS: ReadonlySet<string> = new Set([SUPPLEMENT_HEADING]);

/** A note split into items: one per line, list bullets and numbering stripped, the office page's headings left out. */
export function noteItems(note: string): string[] {
  return note
    .split(/\r?\n/)
    .filter((l) => !NOTE_HEADINGS.has(l.trim()))
    .map((l) => l.replace(/^\s*(?:[-–•*+]|\d{1,2}[.)])\s*/, '').trim())
    .filter((l) => l.length > 0);
}

/** A step on `day` against the due date in force: before it, on it, after it. */
export function timeliness(day: string, due: string | null): Timeliness | null {
  if (!due) return null;
  return day < due ? 'early' : day === due ? 'on_time' : 'late';
}

export const TIMELINESS_LABELS: Record<Timeliness, string> = { early: 'Sớm', on_time: 'Đúng hạn', late: 'Quá hạn' };

export const PROGRESS_LABELS: Record<BookProgress, string> = {
  ...TIMELINESS_LABELS,
  in_time: 'Còn hạn',
  overdue: 'Đã quá hạn',
  none: '',
};

/** An ASCII file-name part: "Mẫu 02 / 25459-260309-0001" → "mau-02-25459-260309-0001". */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 120);
}

/**
 * Titles as printed. The numbering and wording follow Circular 03/2025/TT-VPCP
 * as summarised in docs/domain.md *(check)*: change them here, in one place.
 */
export const FORM_TITLES = {
  '01': ['GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ'],
  '02': ['PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ'],
  '03': ['PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ'],
  '04': ['VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN', 'Về việc hẹn lại ngày trả kết quả giải quyết hồ sơ'],
  '05': ['THÔNG BÁO', 'Về việc dừng giải quyết hồ sơ'],
  '06': ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ'],
  '07': ['SỔ THEO DÕI HỒ SƠ'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The receipt of a dossier submitted but not yet received. Deliberately not a
 * numbered form: it must never pass for form 01, which only reception issues.
 */
export const SUBMISSION_RECEIPT_TITLES = {
  online: 'GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN',
  assisted: 'GIẤY BIÊN NHẬN HỒ SƠ ĐÃ NỘP',
  note: '(Hồ sơ chờ cán bộ tiếp nhận. Giấy này chưa phải Giấy tiếp nhận hồ sơ và hẹn trả kết quả)',
} as const;
