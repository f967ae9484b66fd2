/** Form schemas; each message names the field and says what to do. */
import { z } from 'zod';
import { normalizePhone, PHONE_RE } from '../accounts/accounts.schema.js';
import { cleanText } from './text.js';

export const MAX_DESCRIPTION = 4000;

const version = z.coerce
  .number({ error: 'Trang đã cũ: tải lại trang rồi làm lại' })
  .int('Trang đã cũ: tải lại trang rồi làm lại')
  .min(1, 'Trang đã cũ: tải lại trang rồi làm lại');

/** Characters as PostgreSQL's char_length counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const text = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((s) => cleanText(s ?? '').trim())
    .refine((s) => charCount(s) <= max, tooLong);

const requiredText = (max: number, missing: string, tooLong: string) => text(max, tooLong).refine((s) => s.length > 0, missing);

export const optionalPhone = z
  .string()
  .optional()
  .transform((s) => normalizePhone((s ?? '').trim()))
  .refine((p) => p === '' || PHONE_RE.test(p), 'Số điện thoại chưa đúng: nhập 10 chữ số bắt đầu bằng 0, ví dụ 0912345678')
  .transform((p) => (p === '' ? null : p));

export const submitSchema = z.object({
  xa: z.string({ error: 'Chọn xã, phường' }).regex(/^\d{5}$/, 'Chọn xã, phường trong danh sách'),
  loai: z.string({ error: 'Chọn loại phản ánh' }).regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Chọn loại phản ánh trong danh sách'),
  mo_ta: requiredText(MAX_DESCRIPTION, 'Nhập nội dung phản ánh: việc gì đang xảy ra', `Nội dung phản ánh quá dài: tối đa ${MAX_DESCRIPTION.toLocaleString('vi-VN')} ký tự`),
  dia_diem: text(500, 'Địa điểm quá dài: tối đa 500 ký tự'),
  cong_khai: z.enum(['co', 'khong'], { error: 'Chọn có cho mọi người xem phản ánh này hay không' }),
  dien_thoai: optionalPhone,
  idem: z
    .string()
    .optional()
    .transform((s) => (s && /^[A-Za-z0-9-]{8,64}$/.test(s) ? s : null)),
});
export type SubmitForm = z.output<typeof submitSchema>;

export const triageSchema = z.object({
  loai: z.string({ error: 'Chọn loại phản ánh' }).min(1, 'Chọn loại phản ánh'),
  don_vi: requiredText(200, 'Nhập đơn vị hoặc người chịu trách nhiệm xử lý, ví dụ: Tổ dân phố 3, công chức địa chính', 'Tên đơn vị xử lý quá dài: tối đa 200 ký tự'),
  phien_ban: version,
});

export const replySchema = z.object({
  noi_dung: requiredText(MAX_DESCRIPTION, 'Nhập nội dung trả lời', `Nội dung trả lời quá dài: tối đa ${MAX_DESCRIPTION.toLocaleString('vi-VN')} ký tự`),
  hien_thi: z.enum(['cong_khai', 'rieng'], { error: 'Chọn câu trả lời công khai hay chỉ gửi riêng người phản ánh' }),
  phien_ban: version,
});

export const closeSchema = z.object({ phien_ban: version });

export const rateSchema = z.object({
  diem: z.coerce.number({ error: 'Chọn mức hài lòng từ 1 đến 5' }).int('Chọn mức hài lòng từ 1 đến 5').min(1, 'Chọn mức hài lòng từ 1 đến 5').max(5, 'Chọn mức hài lòng từ 1 đến 5'),
  nhan_xet: text(1000, 'Nhận xét quá dài: tối đa 1.000 ký tự'),
  phien_ban: version,
  ma: z.string().optional(),
});

export const reopenSchema = z.object({
  ly_do: requiredText(1000, 'Nhập lý do bạn chưa hài lòng, để cán bộ xử lý lại đúng chỗ', 'Lý do quá dài: tối đa 1.000 ký tự'),
  phien_ban: version,
  ma: z.string().optional(),
});
