/**
 * Reads the catalog's published fee (a number the portal may or may not give,
 * and free text) into a structured proposal that the province administrator
 * confirms or corrects. Pure; it never guesses between two amounts.
 */
import type { Fee } from '../catalog/procedure.js';

export type FeeStatus =
  /** One amount in đồng. */
  | 'amount'
  /** Nothing to pay ("Miễn lệ phí", "Không quy định"). */
  | 'free'
  /** The provincial People's Council sets the amount: the administrator must enter it. */
  | 'set_by_province'
  /** The portal published nothing. */
  | 'unpublished'
  /** Several amounts or none that can be read: the administrator decides. */
  | 'unclear';

export interface ParsedFee {
  status: FeeStatus;
  amountVnd: number | null;
  /** What one amount is for, when the text says ("/lần", "/tờ khai"). */
  per: string | null;
  /** Groups or cases exempt by law, as the text lists them. */
  exemptions: string[];
}

// "150.000 đồng", "20.000 vnđ", "5.000đ", "7.000 đồng/lần", "100000 VND".
const AMOUNT_RE = /(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|vnđ|vnd|đ)(?![\p{L}])(\s*\/\s*[\p{L} ]{1,20}?(?=[,.;)(]|$|\s(?:\(|đối|áp|theo|trường)))?/giu;

/** Amounts written with digits and a currency word, in order, with their "/unit" if any. */
export function amountsIn(text: string): { amountVnd: number; per: string | null }[] {
  const out: { amountVnd: number; per: string | null }[] = [];
  for (const m of text.matchAll(AMOUNT_RE)) {
    const value = Number(m[1]!.replace(/[.,]/g, ''));
    if (!Number.isSafeInteger(value) || value <= 0) continue;
    out.push({ amountVnd: value, per: m[2] ? `/${m[2].replace(/^\s*\/\s*/, '').trim()}` : null });
  }
  return out;
}

const FREE_RE = /^\(?\s*(miễn (lệ )?phí|không thu|không quy định|không)\s*[.)]?\s*($|\.|;)/iu;
const PROVINCE_RE = /hội đồng nhân dân|HĐND/iu;

/** "Miễn lệ phí cho a; b, c." → ["a", "b", "c"]. */
export function exemptionsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/miễn (?:lệ )?phí\s+(?:cho|đối với)\s+([^.]+)/giu)) {
    for (const part of m[1]!.split(/[;,]/)) {
      const p = part.replace(/^\s*(và|hoặc)\s+/u, '').trim();
      if (p) out.push(p);
    }
  }
  return out;
}

/** The proposal for one published fee. */
export function parseFee(fee: Pick<Fee, 'amountVnd' | 'text' | 'unpublished'>): ParsedFee {
  const text = fee.text.trim();
  const exemptions = exemptionsIn(text);
  if (fee.unpublished && !text) return { status: 'unpublished', amountVnd: null, per: null, exemptions };
  const amounts = amountsIn(text);
  if (fee.amountVnd !== null && fee.amountVnd > 0) {
    const per = amounts.find((a) => a.amountVnd === fee.amountVnd)?.per ?? null;
    return { status: 'amount', amountVnd: fee.amountVnd, per, exemptions };
  }
  if (FREE_RE.test(text)) return { status: 'free', amountVnd: 0, per: null, exemptions };
  const distinct = [...new Set(amounts.map((a) => a.amountVnd))];
  if (distinct.length === 1) return { status: 'amount', amountVnd: distinct[0]!, per: amounts[0]!.per, exemptions };
  if (distinct.length === 0 && PROVINCE_RE.test(text)) return { status: 'set_by_province', amountVnd: null, per: null, exemptions };
  if (!text) return { status: 'unpublished', amountVnd: null, per: null, exemptions };
  return { status: 'unclear', amountVnd: null, per: null, exemptions };
}
