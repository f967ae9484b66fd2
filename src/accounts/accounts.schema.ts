import { z } from 'zod';

/** Accepts 0912 345 678, 0912.345.678, +84912345678, 84912345678 → 0912345678. */
export function normalizePhone(input: string): string {
  const digits = input.replace(/[\s.\-()]/g, '');
  if (/^\+84\d{9}$/.test(digits)) return `0${digits.slice(3)}`;
  if (/^84\d{9}$/.test(digits)) return `0${digits.slice(2)}`;
  return digits;
}

export const PHONE_RE = /^0[35789][0-9]{8}$/;

export const phoneField = z
  .string({ error: 'Nhập số điện thoại di động' })
  .trim()
  .min(1, 'Nhập số điện thoại di động')
  .max(20, 'Số điện thoại quá dài: nhập 10 chữ số, ví dụ 0912345678')
  .transform(normalizePhone)
  .refine((p) => PHONE_RE.test(p), 'Số điện thoại chưa đúng: nhập 10 chữ số bắt đầu bằng 0, ví dụ 0912345678');

export const newPasswordField = z
  .string({ error: 'Nhập mật khẩu' })
  .min(8, 'Mật khẩu cần ít nhất 8 ký tự. Có thể dùng một câu dễ nhớ, ví dụ "nha toi o xom 3"')
  .max(200, 'Mật khẩu quá dài: tối đa 200 ký tự');

const optionalEmail = z
  .string()
  .trim()
  .max(254, 'Địa chỉ thư điện tử quá dài')
  .transform((e) => e.toLowerCase())
  // eslint-disable-next-line no-control-regex
  .refine((e) => e === '' || /^[^\s@\u0000-\u001f]+@[^\s@\u0000-\u001f]+\.[^\s@\u0000-\u001f]+$/.test(e), 'Địa chỉ thư điện tử chưa đúng, ví dụ ten@gmail.com (có thể bỏ trống)')
  .transform((e) => (e === '' ? null : e))
  .optional()
  .transform((e) => e ?? null);

/** The 12-digit personal ID number (số định danh cá nhân, printed on the CCCD); spaces and dots allowed. */
export const idNumberField = z
  .string({ error: 'Nhập số định danh cá nhân gồm 12 chữ số (in trên căn cước)' })
  .trim()
  .transform((s) => s.replace(/[\s.]/g, ''))
  .refine((s) => /^[0-9]{12}$/.test(s), 'Số định danh cá nhân gồm đúng 12 chữ số, in trên căn cước (CCCD): nhập lại cho đủ');

const optionalIdNumber = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s.]/g, ''))
  .refine((s) => s === '' || /^[0-9]{12}$/.test(s), 'Số định danh cá nhân gồm đúng 12 chữ số, in trên căn cước (CCCD); có thể bỏ trống')
  .optional()
  .transform((s) => (s ? s : null));

export const registerSchema = z
  .object({
    full_name: z
      .string({ error: 'Nhập họ và tên' })
      .trim()
      .min(2, 'Nhập họ và tên đầy đủ, ví dụ Nguyễn Văn An')
      .max(100, 'Họ và tên quá dài: tối đa 100 ký tự')
      // Control characters and markup have no place in a name printed on forms.
      // eslint-disable-next-line no-control-regex
      .refine((n) => !/[<>{}\\/\u0000-\u001f]/.test(n), 'Họ và tên chỉ gồm chữ cái và dấu cách'),
    phone: phoneField,
    email: optionalEmail,
    id_number: optionalIdNumber,
    password: newPasswordField,
    password_confirm: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.password_confirm !== undefined && v.password_confirm !== v.password) {
      ctx.addIssue({ code: 'custom', path: ['password_confirm'], message: 'Hai lần nhập mật khẩu chưa giống nhau: nhập lại cho khớp' });
    }
    if (v.password.replace(/\s/g, '') === v.phone) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'Không dùng số điện thoại làm mật khẩu: chọn mật khẩu khác' });
    }
  });

export const loginSchema = z.object({
  login: z
    .string({ error: 'Nhập số điện thoại hoặc thư điện tử' })
    .trim()
    .min(1, 'Nhập số điện thoại hoặc thư điện tử')
    .max(254, 'Số điện thoại hoặc thư điện tử quá dài'),
  password: z.string({ error: 'Nhập mật khẩu' }).min(1, 'Nhập mật khẩu').max(200, 'Mật khẩu quá dài'),
  next: z.string().max(500).optional(),
});

export const resetRequestSchema = z.object({ phone: phoneField });

export const resetConfirmSchema = z
  .object({
    phone: phoneField,
    code: z
      .string({ error: 'Nhập mã gồm 6 chữ số' })
      .trim()
      .transform((s) => s.replace(/\s/g, ''))
      .refine((s) => /^[0-9]{6}$/.test(s), 'Mã xác nhận gồm 6 chữ số: nhập đúng mã bạn nhận được'),
    password: newPasswordField,
    password_confirm: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.password_confirm !== undefined && v.password_confirm !== v.password) {
      ctx.addIssue({ code: 'custom', path: ['password_confirm'], message: 'Hai lần nhập mật khẩu chưa giống nhau: nhập lại cho khớp' });
    }
  });

export const counterLookupSchema = z.object({ phone: phoneField });

export const counterResetSchema = z.object({
  phone: phoneField,
  id_number: idNumberField,
  identity_checked: z.literal('yes', { error: 'Xác nhận bạn đã kiểm tra giấy tờ tùy thân của người dân trước khi đặt lại mật khẩu' }),
});

export const idNumberSchema = z.object({
  id_number: idNumberField,
  password: z.string({ error: 'Nhập mật khẩu hiện tại để xác nhận' }).max(200, 'Mật khẩu quá dài').optional().default(''),
});

export const homeCommuneSchema = z.object({
  commune: z.string({ error: 'Chọn xã, phường nơi bạn sinh sống' }).trim().regex(/^[0-9]{5}$/, 'Chọn xã, phường nơi bạn sinh sống trong danh sách'),
});
