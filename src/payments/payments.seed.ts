import { appendAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import './payments.tables.js';

/** Demo collection accounts (made-up numbers at bank BIN 970436) so the demo's payment pages show a VietQR code. */
export async function seedPaymentsDemo(db: Db, communes: readonly { code: string; name: string }[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const c of communes) {
      await tx
        .insertInto('payment_account')
        .values({ commune_code: c.code, bank_bin: '970436', account_no: `99${c.code}000`, account_name: `UBND ${c.name}`.toUpperCase() })
        .onConflict((oc) => oc.column('commune_code').doNothing())
        .execute();
    }
    await appendAudit(tx, { actorId: null, actorLabel: 'hệ thống', action: 'payments.demo.seed', subjectType: 'system', detail: { accounts: communes.length } });
  });
}
