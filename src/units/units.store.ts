import type { DbOrTx } from '../platform/db.js';
import '../platform/tables.js';
import { PROVINCES } from './units.js';

/** Loads the reference units into the database; idempotent. */
export async function ensureUnits(db: DbOrTx): Promise<number> {
  const { n } = await db
    .selectFrom('commune')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const total = PROVINCES.reduce((s, p) => s + p.communes.length, 0);
  if (Number(n) === total) return 0;
  await db
    .insertInto('province')
    .values(PROVINCES.map((p) => ({ code: p.code, name: p.name, division_type: p.divisionType, codename: p.codename })))
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), division_type: eb.ref('excluded.division_type') })))
    .execute();
  const rows = PROVINCES.flatMap((p) =>
    p.communes.map((c) => ({ code: c.code, province_code: p.code, name: c.name, division_type: c.divisionType, codename: c.codename })),
  );
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('commune')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), province_code: eb.ref('excluded.province_code') })))
      .execute();
  }
  return rows.length;
}
