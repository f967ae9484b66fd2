/**
 * Feedback figures for the service index (Decision 766/QĐ-TTg, "satisfaction"
 * group): received, handled, handled on time, average satisfaction.
 * Received counts by the month an item arrived; handled, on time and ratings
 * by the month it was closed (a flow, as the index reads it).
 */
import type { DbOrTx } from '../platform/db.js';
import * as store from './feedback.store.js';

export interface StatsRow {
  received: number;
  handled: number;
  handledOnTime: number;
  /** handledOnTime ÷ handled, 0–1; null when nothing was handled. */
  onTimeRate: number | null;
  ratings: number;
  /** Mean rating 1–5, two decimals; null without ratings. */
  averageSatisfaction: number | null;
}

export interface FeedbackStats {
  communeCode: string;
  year: number;
  total: StatsRow;
  byCategory: ({ code: string; name: string } & StatsRow)[];
  byMonth: ({ month: string } & StatsRow)[];
}

interface Acc {
  received: number;
  handled: number;
  onTime: number;
  ratings: number;
  ratingSum: number;
}

const empty = (): Acc => ({ received: 0, handled: 0, onTime: 0, ratings: 0, ratingSum: 0 });

function finish(a: Acc): StatsRow {
  return {
    received: a.received,
    handled: a.handled,
    handledOnTime: a.onTime,
    onTimeRate: a.handled ? Math.round((a.onTime / a.handled) * 10000) / 10000 : null,
    ratings: a.ratings,
    averageSatisfaction: a.ratings ? Math.round((a.ratingSum / a.ratings) * 100) / 100 : null,
  };
}

export async function feedbackStats(db: DbOrTx, communeCode: string, year: number): Promise<FeedbackStats> {
  // The year in Việt Nam time.
  const from = new Date(`${year}-01-01T00:00:00+07:00`);
  const to = new Date(`${year + 1}-01-01T00:00:00+07:00`);
  const [categories, received, handled] = await Promise.all([
    store.listCategories(db, communeCode, { activeOnly: false }),
    store.receivedCounts(db, communeCode, from, to),
    store.handledCounts(db, communeCode, from, to),
  ]);
  const total = empty();
  const byCategory = new Map<string, Acc>(categories.map((c) => [c.code, empty()]));
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const byMonth = new Map<string, Acc>(months.map((m) => [m, empty()]));
  const at = <K,>(map: Map<K, Acc>, key: K): Acc => {
    let a = map.get(key);
    if (!a) map.set(key, (a = empty()));
    return a;
  };
  for (const r of received) {
    for (const a of [total, at(byCategory, r.category_code), at(byMonth, r.month)]) a.received += r.n;
  }
  for (const r of handled) {
    for (const a of [total, at(byCategory, r.category_code), at(byMonth, r.month)]) {
      a.handled += r.handled;
      a.onTime += r.on_time;
      a.ratings += r.ratings;
      a.ratingSum += r.rating_sum;
    }
  }
  const names = new Map(categories.map((c) => [c.code, c.name]));
  return {
    communeCode,
    year,
    total: finish(total),
    byCategory: [...byCategory].map(([code, a]) => ({ code, name: names.get(code) ?? code, ...finish(a) })),
    byMonth: [...byMonth].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, a]) => ({ month, ...finish(a) })),
  };
}
