import { createAdmin } from '../accounts/admin.js';
import { DEFAULT_CATEGORIES } from '../feedback/feedback.seed.js';
import { appendAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import { findProvince } from '../units/units.js';
import { ensureUnits } from '../units/units.store.js';
import '../feedback/feedback.tables.js';

export interface OnboardInput {
  province: string;
  adminEmail: string;
  adminName?: string | undefined;
  adminPassword: string;
}

export interface OnboardReport {
  province: string;
  provinceName: string;
  communes: number;
  categoriesAdded: number;
  adminMessage: string;
}

/**
 * `xaso init`: makes a province usable from an empty database — its communes
 * (from data/units), the default feedback categories in each commune, and its
 * first administrator. Offerings follow the catalog's defaults and the holiday
 * tables are national (data/holidays); both need nothing per province.
 * Safe to run again: existing rows are kept; a second administrator with the same e-mail is refused.
 */
export async function onboardProvince(db: Db, input: OnboardInput): Promise<OnboardReport> {
  const province = findProvince(input.province.trim());
  if (!province) throw new Error(`--province: không có tỉnh mã "${input.province}". Cần mã tỉnh 2 chữ số trong danh mục 34 tỉnh, thành phố (ví dụ 04 Cao Bằng, 80 Tây Ninh).`);
  await ensureUnits(db);
  const adminMessage = await createAdmin(db, {
    email: input.adminEmail,
    name: input.adminName?.trim() || `Quản trị ${province.name}`,
    province: province.code,
    password: input.adminPassword,
  });
  const categoriesAdded = await db.transaction().execute(async (tx) => {
    const communes = province.communes.map((c) => c.code);
    const r = await tx
      .insertInto('feedback_category')
      .values(communes.flatMap((code) => DEFAULT_CATEGORIES.map((k, i) => ({ commune_code: code, code: k.code, name: k.name, deadline_days: k.deadlineDays, position: i + 1 }))))
      .onConflict((oc) => oc.columns(['commune_code', 'code']).doNothing())
      .executeTakeFirst();
    const added = Number(r.numInsertedOrUpdatedRows ?? 0);
    await appendAudit(tx, { actorId: null, actorLabel: 'dòng lệnh', unitCode: province.code, action: 'province.init', subjectType: 'province', subjectId: province.code, detail: { communes: communes.length, categoriesAdded: added } });
    return added;
  });
  return { province: province.code, provinceName: province.name, communes: province.communes.length, categoriesAdded, adminMessage };
}
