/** Form schemas of the submission flow; each message names the field and says what to do. */
import { z } from 'zod';
import { normalizePhone, PHONE_RE, phoneField } from '../../accounts/accounts.schema.js';

// Control characters and markup have no place in text printed on the receipt.
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^<>{}\\\u0000-\u001f\u007f]*$/;

const name = z
  .string({ error: 'Nhập họ và tên' })
  .trim()
  .min(2, 'Nhập họ và tên đầy đủ, ví dụ Nguyễn Văn An')
  .max(100, 'Họ và tên quá dài: tối đa 100 ký tự')
  .refine((n) => PRINTABLE.test(n) && !n.includes('/'), 'Họ và tên chỉ gồm chữ cái và dấu cách');

const email = z
  .string()
  .trim()
  .max(254, 'Địa chỉ thư điện tử quá dài')
  .transform((e) => e.toLowerCase())
  .refine((e) => e === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e), 'Địa chỉ thư điện tử chưa đúng, ví dụ ten@gmail.com (có thể bỏ trống)')
  .optional()
  .transform((e) => (e ? e : null));

const ADDRESS_HINT = 'Nhập địa chỉ nơi bạn đang ở, ví dụ: Số 12, khu phố 3, phường Tân Ninh';
const addressText = z
  .string({ error: ADDRESS_HINT })
  .trim()
  .max(300, 'Địa chỉ quá dài: tối đa 300 ký tự')
  .refine((a) => PRINTABLE.test(a), 'Địa chỉ chỉ gồm chữ, số và dấu câu thông thường');
const requiredAddress = addressText.refine((a) => a.length >= 5, ADDRESS_HINT);
const optionalAddress = addressText.optional().transform((a) => a ?? '');

const optionalPhone = z
  .string()
  .trim()
  .max(20, 'Số điện thoại quá dài: nhập 10 chữ số, ví dụ 0912345678')
  .transform(normalizePhone)
  .refine((p) => p === '' || PHONE_RE.test(p), 'Số điện thoại chưa đúng: nhập 10 chữ số bắt đầu bằng 0, ví dụ 0912345678 (hoặc để trống)')
  .optional()
  .transform((p) => (p ? p : null));

/** The citizen for themselves: a phone is required (notices and tracking use it). */
export const onlineApplicantSchema = z.object({ full_name: name, phone: phoneField, email, address: requiredAddress });

/** An official for a citizen: a name is enough; a phone links the citizen's account. */
export const assistedApplicantSchema = z.object({ full_name: name, phone: optionalPhone, email, address: optionalAddress });

export const communeSchema = z.object({ commune: z.string({ error: 'Chọn xã, phường nhận hồ sơ' }).regex(/^\d{5}$/, 'Chọn xã, phường nhận hồ sơ trong danh sách') });

export const caseSchema = z.object({ case_no: z.string({ error: 'Chọn trường hợp đúng với bạn' }).regex(/^\d{1,3}$/, 'Chọn trường hợp đúng với bạn') });

export const declarationSchema = z.object({
  cam_doan: z.literal('yes', { error: 'Đánh dấu vào ô “Tôi cam đoan…” để nộp hồ sơ' }),
  idempotency_key: z.string({ error: 'Trang đã cũ: tải lại trang rồi nộp lại' }).max(64),
});

export const consentSchema = z.object({
  dong_y: z.literal('yes', { error: 'Cần người dân đồng ý: hỏi người dân, rồi đánh dấu vào ô “Người dân đã đồng ý…”' }),
  idempotency_key: z.string({ error: 'Trang đã cũ: tải lại trang rồi nộp lại' }).max(64),
});

export const assistedStartSchema = z.object({
  procedure_code: z
    .string({ error: 'Nhập mã thủ tục, ví dụ 1.001193' })
    .trim()
    .min(1, 'Nhập mã thủ tục, ví dụ 1.001193')
    .max(40, 'Mã thủ tục chưa đúng, ví dụ 1.001193'),
  commune: z.string().optional(),
});
