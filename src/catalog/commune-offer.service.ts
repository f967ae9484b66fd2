import { z } from 'zod';
import { appendAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import type { FieldErrors } from '../platform/layout.js';
import { countByField, deleteOverride, offerState, upsertOverride, type OfferState } from './commune-offer.store.js';

/** The add/remove form: both fields required, messages name the field. */
export const offerFormSchema = z.object({
  code: z
    .string({ error: 'Nhập mã thủ tục, ví dụ 1.001193' })
    .trim()
    .min(1, 'Nhập mã thủ tục, ví dụ 1.001193')
    .max(40, 'Mã thủ tục chưa đúng: mã có dạng 1.001193'),
  reason: z
    .string({ error: 'Nhập lý do thay đổi, ví dụ: theo quyết định của Chủ tịch UBND xã' })
    .trim()
    .min(1, 'Nhập lý do thay đổi, ví dụ: theo quyết định của Chủ tịch UBND xã')
    .max(500, 'Lý do quá dài: tối đa 500 ký tự'),
});
export type OfferForm = z.output<typeof offerFormSchema>;

export interface Officer {
  id: string;
  label: string;
}

export type OfferResult = { ok: true; state: OfferState } | { ok: false; errors: FieldErrors };

/**
 * Adds (`offered: true`) or removes a procedure from what a commune offers,
 * with the audit entry in the same transaction. When the new state equals the
 * default (commune-level or not) the override is dropped: only differences are
 * stored, and the audit log keeps the history and reasons.
 */
export async function changeOffer(db: Db, officer: Officer, commune: string, form: OfferForm, offered: boolean, opts: { ip?: string | null } = {}): Promise<OfferResult> {
  return db.transaction().execute(async (tx): Promise<OfferResult> => {
    const before = await offerState(tx, commune, form.code);
    if (!before) return { ok: false, errors: { code: `Không có thủ tục nào mang mã "${form.code}" trong danh mục hiện hành: kiểm tra lại mã thủ tục` } };
    if (before.offered === offered) {
      return {
        ok: false,
        errors: { code: offered ? `Xã đã giải quyết thủ tục mã ${form.code}, không cần thêm: kiểm tra lại mã thủ tục` : `Xã hiện không giải quyết thủ tục mã ${form.code}, không có gì để bỏ: kiểm tra lại mã thủ tục` },
      };
    }
    if (offered === before.byDefault) await deleteOverride(tx, commune, form.code);
    else await upsertOverride(tx, { commune, code: form.code, offered, reason: form.reason, changedBy: officer.id });
    await appendAudit(tx, {
      actorId: officer.id,
      actorLabel: officer.label,
      unitCode: commune,
      action: 'catalog.commune_offer',
      subjectType: 'procedure',
      subjectId: form.code,
      ip: opts.ip ?? null,
      detail: { commune, offered, reason: form.reason, byDefault: before.byDefault },
    });
    const after = await offerState(tx, commune, form.code);
    return { ok: true, state: after! };
  });
}

// ---- Fields (lĩnh vực) grouped by a URL slug ------------------------------

/**
 * URL-safe form of a field name. The portal spells some fields several ways
 * ("Thi đua, khen thưởng", "Thi đua – Khen thưởng"); they share one slug and one page.
 */
export function fieldSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface FieldGroup {
  slug: string;
  /** The most used spelling. */
  name: string;
  /** Every spelling, for the query. */
  names: string[];
  total: number;
  commune: number;
}

const collator = new Intl.Collator('vi');

/** Fields with their procedure counts, in Vietnamese alphabetical order. */
export async function fieldGroups(db: Db): Promise<FieldGroup[]> {
  const groups = new Map<string, FieldGroup & { best: number }>();
  for (const row of await countByField(db)) {
    const slug = fieldSlug(row.key) || 'khac';
    const g = groups.get(slug);
    if (!g) {
      groups.set(slug, { slug, name: row.key || 'Lĩnh vực khác', names: [row.key], total: row.total, commune: row.commune, best: row.total });
      continue;
    }
    g.names.push(row.key);
    g.total += row.total;
    g.commune += row.commune;
    if (row.total > g.best) Object.assign(g, { name: row.key, best: row.total });
  }
  return [...groups.values()].map(({ best: _best, ...g }) => g).sort((a, b) => collator.compare(a.name, b.name));
}
