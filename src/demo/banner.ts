import type { MiddlewareHandler } from 'hono';
import { isApiPath, type AppEnv } from '../platform/context.js';
import type { Db, DbOrTx } from '../platform/db.js';
import { Memo } from '../platform/memo.js';
import '../platform/tables.js';
import { DEMO_CITIZENS, DEMO_STAFF_DOMAIN } from './seed.js';

/** Whether any account with the published demo password may exist (a demo login or demo citizen phone). */
export async function demoAccountsPresent(db: DbOrTx): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where((eb) => eb.or([eb('email', 'like', `%@${DEMO_STAFF_DOMAIN}`), eb('phone', 'in', DEMO_CITIZENS.map((p) => p.phone))]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

const memos = new WeakMap<Db, Memo>();

/** Asked on every page: kept a minute, so a removed demo account takes the banner away soon after. */
function present(db: Db): Promise<boolean> {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new Memo({ ttlMs: 60_000, maxEntries: 1 })));
  return memo.get('demo', () => demoAccountsPresent(db));
}

/** Pages show a warning banner while demo accounts (one published password) exist. */
export function demoBanner(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('demo', isApiPath(c.req.path) ? false : await present(c.get('deps').db));
    return next();
  };
}
