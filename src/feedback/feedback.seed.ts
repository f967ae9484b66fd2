import type { Db } from '../platform/db.js';
import { hashApiKey } from './feedback.service.js';
import * as store from './feedback.store.js';

/** The default categories and their deadlines in working days (a commune may change them). */
export const DEFAULT_CATEGORIES = [
  { code: 'duong-sa-chieu-sang', name: 'Đường sá, chiếu sáng', deadlineDays: 10 },
  { code: 'moi-truong-rac-thai', name: 'Môi trường, rác thải', deadlineDays: 7 },
  { code: 'an-ninh-trat-tu', name: 'An ninh trật tự', deadlineDays: 5 },
  { code: 'thu-tuc-hanh-chinh', name: 'Thủ tục hành chính', deadlineDays: 10 },
  { code: 'khac', name: 'Khác', deadlineDays: 15 },
] as const;

/**
 * Demo: the default categories for every commune of the province (citizens may
 * write to any of them), and, when named, an Open311 key for the province
 * (never a published one by default). Safe to run twice.
 */
export async function seedFeedbackDemo(db: Db, provinceCode: string, open311Key: string | null = null): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const communes = await tx.selectFrom('commune').select('code').where('province_code', '=', provinceCode).execute();
    if (communes.length) {
      await tx
        .insertInto('feedback_category')
        .values(communes.flatMap((c) => DEFAULT_CATEGORIES.map((k, i) => ({ commune_code: c.code, code: k.code, name: k.name, deadline_days: k.deadlineDays, position: i + 1 }))))
        .onConflict((oc) => oc.columns(['commune_code', 'code']).doNothing())
        .execute();
    }
    if (open311Key) await store.insertApiKey(tx, { provinceCode, label: 'Khoá thử nghiệm (dữ liệu mẫu)', keyHash: hashApiKey(open311Key) });
  });
}
