import { z } from 'zod';
import { PHONE_RE, normalizePhone } from '../accounts/accounts.schema.js';
import { formatIsoDate, formatVnDate, parseIsoDate, vnLocalParts } from '../calendar/localDate.js';
import type { MemberRole, VillageKind } from './teams.tables.js';

// ---------------------------------------------------------------- text

/** Lower-case ASCII words: "Ấp Thạnh Đông" → "ap thanh dong". Used to match names typed with or without diacritics. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The key two names share when they are the same village or team. */
export function nameKey(s: string): string {
  return fold(s);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f<>{}\\]/;

// ---------------------------------------------------------------- labels

export const VILLAGE_KINDS: Record<VillageKind, string> = {
  thon: 'Thôn',
  ap: 'Ấp',
  ban: 'Bản, buôn, sóc',
  to_dan_pho: 'Tổ dân phố',
  khu_pho: 'Khu phố',
};

export const MEMBER_ROLES: Record<MemberRole, string> = {
  leader: 'Tổ trưởng',
  youth_union: 'Đoàn thanh niên',
  women_union: 'Hội phụ nữ',
  police: 'Công an',
  village_head: 'Trưởng thôn, ấp, tổ dân phố',
  other: 'Thành viên khác',
};

/** What a member helps people with, in the order of the form and of the reports. */
export const TASKS = [
  { key: 'eid_activated', label: 'Kích hoạt định danh điện tử (VNeID) mức 2', short: 'VNeID mức 2' },
  { key: 'accounts_created', label: 'Tạo tài khoản dịch vụ công', short: 'Tài khoản DVC' },
  { key: 'dossiers_submitted', label: 'Nộp hồ sơ trực tuyến giúp người dân', short: 'Nộp hồ sơ' },
  { key: 'cashless_setup', label: 'Cài thanh toán không dùng tiền mặt', short: 'Thanh toán' },
  { key: 'apps_installed', label: 'Cài ứng dụng (VNeID, dịch vụ công…)', short: 'Cài ứng dụng' },
  { key: 'training_attendees', label: 'Số người dự buổi hướng dẫn, tập huấn', short: 'Dự tập huấn' },
] as const;
export type TaskKey = (typeof TASKS)[number]['key'];
export const COUNT_FIELDS = ['households_visited', ...TASKS.map((t) => t.key)] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** Reads a role written by a person in a spreadsheet ("Tổ trưởng", "to truong", "ĐTN"…); null when unknown. */
export function parseRole(text: string): MemberRole | null {
  const k = fold(text).replace(/ /g, '');
  if (k === '' || k === 'khac' || k === 'thanhvien' || k === 'thanhvienkhac' || k === 'tovien' || k === 'other') return 'other';
  if ((Object.keys(MEMBER_ROLES) as MemberRole[]).includes(k as MemberRole)) return k as MemberRole;
  // "Tổ trưởng tổ dân phố" heads a neighbourhood: a village head, not the team's leader.
  if (/^(truong|totruongtodanpho|totruongkhupho)/.test(k) && /(thon|ap|ban|buon|soc|xom|khupho|todanpho|khuvuc)$/.test(k)) return 'village_head';
  if (k === 'totruong' || k.startsWith('totruongto') || k === 'truongto') return 'leader';
  if (k.includes('doanthanhnien') || ['doan', 'dtn', 'thanhnien', 'doanvien', 'tncs'].includes(k)) return 'youth_union';
  if (k.includes('phunu') || ['hpn', 'lhpn'].includes(k)) return 'women_union';
  if (k.includes('congan') || k === 'ca') return 'police';
  return null;
}

/** A mobile number from a person or a spreadsheet cell (where Excel may have dropped the leading 0). */
export function parsePhone(text: string): string | null {
  let p = normalizePhone(text.trim());
  if (/^[35789][0-9]{8}$/.test(p)) p = `0${p}`;
  return PHONE_RE.test(p) ? p : null;
}

// ---------------------------------------------------------------- dates

/** Today in Việt Nam (UTC+7), `YYYY-MM-DD`. */
export function todayVn(now = Date.now()): string {
  return formatIsoDate(vnLocalParts(now).epochDay);
}

export function vnDate(iso: string): string {
  return formatVnDate(parseIsoDate(iso));
}

export function addDays(iso: string, days: number): string {
  return formatIsoDate(parseIsoDate(iso) + days);
}

/** How far back a visit may be recorded: late entries happen, months-old ones are guesses. */
export const BACKDATE_DAYS = 90;
/** How long an author may correct their own entry; later, only the team leader or an official (audited). */
export const CORRECTION_DAYS = 7;

/** `YYYY-MM` → its first and last day. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = `${month}-01`;
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1) };
}

export const MONTH_RE = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$/;

export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `tháng ${Number(m)}/${y}`;
}

// ---------------------------------------------------------------- form schemas

const name = (what: string, example: string) =>
  z
    .string({ error: `Nhập ${what}` })
    .trim()
    .min(1, `Nhập ${what}, ví dụ ${example}`)
    .max(100, `${what[0]!.toUpperCase()}${what.slice(1)} quá dài: tối đa 100 ký tự`)
    .refine((n) => !CONTROL.test(n), `${what[0]!.toUpperCase()}${what.slice(1)} chỉ gồm chữ, số và dấu cách`);

const idField = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((s) => /^[0-9]{1,9}$/.test(s), message)
    .transform(Number);

const optionalCount = (label: string, max: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const t = (s ?? '').trim();
      if (t === '') return null;
      if (!/^[0-9]{1,6}$/.test(t) || Number(t) > max) {
        ctx.addIssue({ code: 'custom', message: `${label}: nhập một số nguyên từ 0 đến ${max.toLocaleString('vi-VN')}, hoặc để trống` });
        return z.NEVER;
      }
      return Number(t);
    });

const count = (label: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const t = (s ?? '').trim();
      if (t === '') return 0;
      if (!/^[0-9]{1,4}$/.test(t) || Number(t) > 1000) {
        ctx.addIssue({ code: 'custom', message: `${label}: nhập một số từ 0 đến 1000 (để trống nghĩa là 0)` });
        return z.NEVER;
      }
      return Number(t);
    });

export const villageSchema = z.object({
  name: name('tên thôn, ấp hoặc tổ dân phố', 'Ấp Thạnh Đông'),
  kind: z.enum(Object.keys(VILLAGE_KINDS) as [VillageKind, ...VillageKind[]], { error: 'Chọn loại: thôn, ấp, bản, tổ dân phố hoặc khu phố' }),
  households: optionalCount('Số hộ', 100_000),
});

export const teamSchema = z.object({
  name: name('tên tổ', 'Tổ công nghệ số ấp Thạnh Đông'),
  village_id: idField('Chọn thôn, ấp hoặc tổ dân phố của tổ'),
});

export const memberSchema = z.object({
  full_name: name('họ và tên', 'Nguyễn Văn An'),
  phone: z
    .string({ error: 'Nhập số điện thoại di động' })
    .trim()
    .min(1, 'Nhập số điện thoại di động, ví dụ 0912345678')
    .max(20, 'Số điện thoại quá dài: nhập 10 chữ số, ví dụ 0912345678')
    .transform((p, ctx) => {
      const parsed = parsePhone(p);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: 'Số điện thoại chưa đúng: nhập 10 chữ số bắt đầu bằng 0, ví dụ 0912345678' });
        return z.NEVER;
      }
      return parsed;
    }),
  role: z.enum(Object.keys(MEMBER_ROLES) as [MemberRole, ...MemberRole[]], { error: 'Chọn vai trò trong tổ' }),
  team_id: idField('Chọn tổ của thành viên').optional(),
  user_id: z
    .string()
    .optional()
    .transform((s) => (s && s.trim() !== '' ? s.trim() : null))
    .refine((s) => s === null || /^[0-9a-f-]{36}$/.test(s), 'Chọn tài khoản trong danh sách, hoặc "Chưa có tài khoản"'),
});

export const IDEMPOTENCY_RE = /^[A-Za-z0-9-]{16,64}$/;

function visitDateField() {
  return z
    .string({ error: 'Nhập ngày đi' })
    .trim()
    .refine((s) => {
      if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
      try {
        parseIsoDate(s);
        return true;
      } catch {
        return false;
      }
    }, 'Ngày đi chưa đúng: chọn ngày trong lịch, ví dụ 05/11/2026');
}

const logFields = {
  visit_date: visitDateField(),
  village_id: idField('Chọn thôn, ấp hoặc tổ dân phố đã đến'),
  households_visited: count('Số hộ đã đến'),
  eid_activated: count('Số người kích hoạt VNeID mức 2'),
  accounts_created: count('Số tài khoản dịch vụ công đã tạo'),
  dossiers_submitted: count('Số hồ sơ đã nộp giúp'),
  cashless_setup: count('Số người cài thanh toán không dùng tiền mặt'),
  apps_installed: count('Số người được cài ứng dụng'),
  training_attendees: count('Số người dự buổi hướng dẫn'),
  note: z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim().replace(/\r\n/g, '\n'))
    .refine((s) => s.length <= 1000, 'Ghi chú quá dài: tối đa 1000 ký tự')
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'Ghi chú có ký tự không đọc được: xoá rồi gõ lại'),
};

function requireSomething(v: Record<CountField, number>, ctx: z.RefinementCtx): void {
  if (COUNT_FIELDS.every((f) => v[f] === 0)) {
    ctx.addIssue({ code: 'custom', path: ['households_visited'], message: 'Nhập số hộ đã đến hoặc số người đã được giúp: ít nhất một số lớn hơn 0' });
  }
}

export const logEntrySchema = z
  .object({
    key: z
      .string({ error: 'Trang đã cũ: tải lại trang rồi gửi lại' })
      .refine((s) => IDEMPOTENCY_RE.test(s), 'Trang đã cũ: tải lại trang rồi gửi lại'),
    ...logFields,
  })
  .superRefine(requireSomething);

export const correctionSchema = z
  .object({
    ...logFields,
    reason: z
      .string({ error: 'Nhập lý do sửa' })
      .trim()
      .min(3, 'Nhập lý do sửa, ví dụ "ghi nhầm số hộ"')
      .max(500, 'Lý do sửa quá dài: tối đa 500 ký tự'),
  })
  .superRefine(requireSomething);

export type LogValues = Omit<z.output<typeof correctionSchema>, 'reason'>;

export const guideSchema = z.object({
  title: z
    .string({ error: 'Nhập tên hướng dẫn' })
    .trim()
    .min(5, 'Nhập tên hướng dẫn, ví dụ "Cách nộp hồ sơ đăng ký khai sinh trực tuyến"')
    .max(150, 'Tên hướng dẫn quá dài: tối đa 150 ký tự')
    .refine((n) => !CONTROL.test(n), 'Tên hướng dẫn chỉ gồm chữ, số và dấu câu thông thường'),
  procedure_code: z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim())
    .refine((s) => s === '' || /^[0-9]\.[0-9]{6}$/.test(s), 'Mã thủ tục chưa đúng: dạng 1.001193, hoặc để trống')
    .transform((s) => (s === '' ? null : s)),
});

export const stepSchema = z.object({
  body: z
    .string({ error: 'Nhập nội dung bước' })
    .trim()
    .min(3, 'Nhập nội dung bước, ví dụ "Mở ứng dụng VNeID, chọn Thủ tục hành chính"')
    .max(1000, 'Nội dung bước quá dài: tối đa 1000 ký tự')
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'Nội dung bước có ký tự không đọc được: xoá rồi gõ lại'),
  image_alt: z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim())
    .refine((s) => s.length <= 200, 'Mô tả ảnh quá dài: tối đa 200 ký tự'),
});
