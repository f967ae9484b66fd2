/**
 * Fees per procedure and case, per province: proposed from the catalog's
 * published fee text, confirmed or corrected by the province administrator.
 * Each confirmation is a new version; nothing is overwritten.
 */
import { getProcedure } from '../catalog/catalog.store.js';
import { appendAudit } from '../platform/audit.js';
import type { DbOrTx } from '../platform/db.js';
import { parseFee, type FeeStatus, type ParsedFee } from './fee-text.js';
import { currentFees, type FeeVersion } from './payments.store.js';
import type { PaymentsActor, PaymentsDeps } from './payments.service.js';

export const CHANNEL_CASES: Record<string, string> = { direct: 'Nộp trực tiếp', online: 'Nộp trực tuyến', postal: 'Nộp qua bưu chính' };

export interface FeeRow {
  caseKey: string;
  caseLabel: string;
  /** Read from the catalog, when the catalog has this case. */
  proposal: (ParsedFee & { sourceText: string }) | null;
  /** The administrator's latest version, when there is one. */
  confirmed: FeeVersion | null;
}

/** The fee table of one procedure in one province: each case with its proposal and confirmed version. */
export async function feeTable(db: DbOrTx, provinceCode: string, procedureCode: string): Promise<FeeRow[] | null> {
  const p = await getProcedure(db, procedureCode);
  if (!p) return null;
  const rows = new Map<string, FeeRow>();
  for (const ch of p.channels) {
    const fee = ch.fees[0];
    if (!fee) continue;
    rows.set(ch.channel, { caseKey: ch.channel, caseLabel: CHANNEL_CASES[ch.channel] ?? ch.channel, proposal: { ...parseFee(fee), sourceText: fee.text }, confirmed: null });
  }
  for (const v of await currentFees(db, provinceCode, procedureCode)) {
    const row = rows.get(v.caseKey) ?? { caseKey: v.caseKey, caseLabel: CHANNEL_CASES[v.caseKey] ?? v.caseKey, proposal: null, confirmed: null };
    row.confirmed = v;
    rows.set(v.caseKey, row);
  }
  return [...rows.values()];
}

export interface FeeInput {
  provinceCode: string;
  procedureCode: string;
  caseKey: string;
  status: FeeStatus;
  amountVnd: number | null;
  per: string;
  exemptions: string[];
  note: string;
}

const CONFIRMABLE: readonly FeeStatus[] = ['amount', 'free'];

/** Confirms (first version) or corrects (later versions) one case's fee. */
export async function confirmFee(deps: PaymentsDeps, actor: PaymentsActor, input: FeeInput): Promise<{ ok: true; version: number } | { ok: false; errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  const caseKey = input.caseKey.trim();
  if (caseKey.length < 1 || caseKey.length > 100) errors.case_key = 'Trường hợp: nhập tên trường hợp (tối đa 100 ký tự), ví dụ "Nộp trực tiếp"';
  if (!CONFIRMABLE.includes(input.status)) errors.status = 'Mức thu: chọn "Thu số tiền" hoặc "Miễn, không thu"';
  if (input.status === 'amount' && (input.amountVnd === null || !Number.isSafeInteger(input.amountVnd) || input.amountVnd <= 0 || input.amountVnd > 9_999_999_999)) {
    errors.amount = 'Số tiền: nhập số đồng, chỉ chữ số, lớn hơn 0 (ví dụ 50000)';
  }
  if (input.note.trim().length < 5) errors.note = 'Căn cứ: ghi văn bản quy định mức thu (ví dụ số Nghị quyết của HĐND tỉnh)';
  if (Object.keys(errors).length) return { ok: false, errors };
  const exemptions = input.exemptions.map((e) => e.trim()).filter(Boolean).slice(0, 30);
  const version = await deps.db.transaction().execute(async (tx) => {
    const last = await tx
      .selectFrom('fee_schedule')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('province_code', '=', input.provinceCode)
      .where('procedure_code', '=', input.procedureCode)
      .where('case_key', '=', caseKey)
      .executeTakeFirst();
    const table = await feeTable(tx, input.provinceCode, input.procedureCode);
    const source = table?.find((r) => r.caseKey === caseKey)?.proposal?.sourceText ?? '';
    const v = Number(last?.v ?? 0) + 1;
    await tx
      .insertInto('fee_schedule')
      .values({
        province_code: input.provinceCode,
        procedure_code: input.procedureCode,
        case_key: caseKey,
        version: v,
        status: input.status,
        amount_vnd: input.status === 'amount' ? input.amountVnd : 0,
        per: input.per.trim() || null,
        exemptions: JSON.stringify(exemptions),
        source_text: source,
        confirmed_by: actor.id,
        confirmed_at: (deps.clock ?? { now: () => new Date() }).now(),
        note: input.note.trim(),
      })
      .execute();
    await appendAudit(tx, {
      actorId: actor.id,
      actorLabel: actor.label,
      unitCode: input.provinceCode,
      action: v === 1 ? 'payments.fee.confirm' : 'payments.fee.correct',
      subjectType: 'fee_schedule',
      subjectId: `${input.procedureCode}/${caseKey}`,
      ip: actor.ip,
      detail: { version: v, status: input.status, amountVnd: input.status === 'amount' ? input.amountVnd : 0, exemptions, note: input.note.trim() },
    });
    return v;
  });
  return { ok: true, version };
}

/** The confirmed fee of a case, for submission and payment requests; null when not confirmed. */
export async function feeFor(db: DbOrTx, provinceCode: string, procedureCode: string, caseKey: string): Promise<FeeVersion | null> {
  return (await currentFees(db, provinceCode, procedureCode)).find((f) => f.caseKey === caseKey) ?? null;
}
