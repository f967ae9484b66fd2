import { z } from 'zod';
import { appendAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import { findProvince } from '../units/units.js';
import * as store from './accounts.store.js';
import { newPasswordField } from './accounts.schema.js';
import { hashPassword } from './passwords.js';

const adminSchema = z.object({
  email: z.string().trim().toLowerCase().email('--email: cần địa chỉ thư điện tử hợp lệ'),
  name: z.string().trim().min(2, '--name: cần họ tên quản trị viên'),
  province: z.string().refine((p) => findProvince(p) !== undefined, '--province: cần mã tỉnh 2 chữ số, ví dụ 80 (Tây Ninh)'),
  password: newPasswordField,
});

/** `xaso create-admin`: a province administrator account. Throws a Vietnamese message on bad input. */
export async function createAdmin(db: Db, input: { email: string; name: string; province: string; password: string }): Promise<string> {
  const parsed = adminSchema.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => (i.path[0] === 'password' ? `XASO_ADMIN_PASSWORD: ${i.message}` : i.message)).join('\n'));
  const { email, name, province, password } = parsed.data;
  const hash = await hashPassword(password);
  return db.transaction().execute(async (tx) => {
    if (await store.findUserByLogin(tx, email)) throw new Error(`Đã có tài khoản ${email}.`);
    const id = await store.insertUser(tx, { kind: 'staff', fullName: name, phone: null, email, passwordHash: hash });
    await store.grantRole(tx, id, province, 'province_admin');
    await appendAudit(tx, { actorId: null, actorLabel: 'dòng lệnh', unitCode: province, action: 'account.create_admin', subjectType: 'user', subjectId: id, pdChanged: ['full_name', 'email'] });
    return `Đã tạo quản trị viên ${email} cho ${findProvince(province)!.name}.`;
  });
}
