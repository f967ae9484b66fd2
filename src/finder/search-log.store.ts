import type { DbOrTx } from '../platform/db.js';
import { anonymise } from './anonymise.js';
import type { SearchResult } from './index.js';
import './finder.tables.js';

/** Records one search, anonymised and tied to no account; returns its id. */
export async function recordSearch(db: DbOrTx, question: string, commune: string | null, result: SearchResult): Promise<string> {
  const shown = [...(result.lifeEvents ?? []).flatMap((e) => e.steps.map((s) => s.code)), ...result.items.map((i) => i.code)];
  const row = await db
    .insertInto('finder_search')
    .values({ question: anonymise(question), commune_code: commune, shown_codes: [...new Set(shown)].slice(0, 30).join(' '), no_match: !!result.noMatch, opened_code: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}
