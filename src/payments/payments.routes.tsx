/** Payment routes: pages, the statement upload, and the gateway callback (JSON API, documented in OpenAPI). */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import QRCode from 'qrcode';
import { getProcedure } from '../catalog/catalog.store.js';
import { workflowRolesFor } from '../dossiers/dossiers.service.js';
import { findDossier } from '../dossiers/dossiers.store.js';
import { apiRoute } from '../platform/api.js';
import type { UploadRoute } from '../platform/body-limits.js';
import { actorLabel, clientIp, type AppEnv, type Ctx } from '../platform/context.js';
import { apiError, renderError } from '../platform/errors.js';
import { readForm } from '../platform/forms.js';
import { pageCtx } from '../platform/layout.js';
import { grantsAllow, PUBLIC, requires, SIGNED_IN, type Permission } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { findProvince, provinceOf } from '../units/units.js';
import { CallbackBody, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyCallback } from './callback.js';
import { advanceDossierAfterPayment, requestDossierPayment } from './dossier-hook.js';
import { confirmFee, feeFor, feeTable } from './fees.service.js';
import type { FeeStatus } from './fee-text.js';
import { AccountPage, FeesPage, FeesSearchPage, NoticePage, PaymentPage, QueuePage, ReceiptsPage, ReportPage, RequestPage, StatementPage } from './payments.pages.js';
import * as store from './payments.store.js';
import {
  cancelReceipt,
  collectionAccount,
  communeName,
  communeOfAccount,
  importStatement,
  matchQueued,
  paymentQr,
  recordTransaction,
  refundPayment,
  refundQueued,
  setCollectionAccount,
  vnDay,
  type PaymentsActor,
  type PaymentsDeps,
} from './payments.service.js';
import { renderReceiptPdf } from './receipt-pdf.js';
import { dailyReport, reportWorkbook } from './report.js';
import { parseStatement } from './statement.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REF_RE = /^[0-9A-Z]{4,25}$/;
const STATEMENT_BYTES = 5 * 1024 * 1024;
const STATEMENT_PATH = /^\/can-bo\/xa\/\d{5}\/thu-phi\/sao-ke$/;

export const paymentsUpload: UploadRoute = {
  matches: (path) => STATEMENT_PATH.test(path),
  maxBytes: STATEMENT_BYTES,
  onTooLarge: (c) => renderError(c, 413, 'Tệp sao kê lớn hơn 5 MB: xuất sao kê theo từng ngày rồi nhập từng tệp.'),
};

/** A path parameter, '' when absent (routes here are registered untyped). */
const param = (c: Ctx, name: string): string => c.req.param(name) ?? '';

function who(c: Ctx): PaymentsActor {
  const a = c.get('actor');
  return { id: a?.id ?? null, label: actorLabel(a), ip: clientIp(c) };
}

/** The dependencies the service runs with: a confirmed payment moves its dossier on. */
function paymentsDeps(c: Ctx): PaymentsDeps {
  const { db, log } = c.get('deps');
  return {
    db,
    onConfirmed: async (p) => {
      try {
        await advanceDossierAfterPayment(db, p);
      } catch (err) {
        // The payment stands; `advancePaidDossiers` moves the dossier on later.
        log.error({ err, reference: p.reference }, 'dossier not moved on after payment');
      }
    },
  };
}

function holds(c: Ctx, permission: Permission, unit: string): boolean {
  return grantsAllow(c.get('actor')?.grants ?? [], permission, unit, provinceOf);
}

const staffBase = (commune: string) => `/can-bo/xa/${commune}/thu-phi`;

async function loadByReference(c: Ctx): Promise<store.Payment | null> {
  const ref = (param(c, 'reference')).toUpperCase();
  return REF_RE.test(ref) ? store.findPaymentByReference(c.get('deps').db, ref) : null;
}

/** The citizen may download their own receipt; the commune's accountant, leader and province administrators may too. */
async function mayReadReceipt(c: Ctx, p: store.Payment): Promise<boolean> {
  if (holds(c, 'payments.view', p.communeCode)) return true;
  const actor = c.get('actor');
  if (!actor || !p.dossierId) return false;
  const d = await findDossier(c.get('deps').db, p.communeCode, p.dossierId);
  return !!d && workflowRolesFor(actor, d).includes('applicant');
}

async function receiptResponse(c: Ctx, r: store.Receipt): Promise<Response> {
  const p = await store.findPayment(c.get('deps').db, r.communeCode, r.paymentId);
  const pdf = await renderReceiptPdf({ ...r, reference: p?.reference ?? '', paidVia: p?.paidVia ?? null });
  return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="bien-lai-${r.symbol}-${r.no}.pdf"`, 'cache-control': 'private, no-store' });
}

function registerCitizenRoutes(app: App): void {
  route(app, 'GET', '/thanh-toan/:reference', PUBLIC, async (c) => {
    const p = await loadByReference(c);
    if (!p) return renderError(c, 404);
    const db = c.get('deps').db;
    const account = await collectionAccount(db, p.communeCode);
    const receipt = p.state === 'paid' ? await store.receiptOfPayment(db, p.communeCode, p.id) : null;
    const receiptHref = receipt && (await mayReadReceipt(c, p)) ? `/thanh-toan/${p.reference}/bien-lai` : null;
    return c.html(<PaymentPage ctx={pageCtx(c)} p={p} account={account} receiptHref={receiptHref} />);
  });

  route(app, 'GET', '/thanh-toan/:reference/qr.png', PUBLIC, async (c) => {
    const p = await loadByReference(c);
    if (!p) return renderError(c, 404);
    const qr = await paymentQr(c.get('deps').db, p);
    if (!qr.ok) return renderError(c, 404);
    const png = await QRCode.toBuffer(qr.payload, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });
    return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
  });

  route(app, 'GET', '/thanh-toan/:reference/giay-bao', PUBLIC, async (c) => {
    const p = await loadByReference(c);
    if (!p || p.state !== 'pending') return renderError(c, 404);
    const account = await collectionAccount(c.get('deps').db, p.communeCode);
    if (!account) return renderError(c, 404);
    return c.html(<NoticePage ctx={pageCtx(c)} p={p} account={account} communeName={communeName(p.communeCode)} />);
  });

  route(app, 'GET', '/thanh-toan/:reference/bien-lai', SIGNED_IN, async (c) => {
    const p = await loadByReference(c);
    if (!p || !(await mayReadReceipt(c, p))) return renderError(c, 404);
    const r = await store.receiptOfPayment(c.get('deps').db, p.communeCode, p.id);
    return r ? receiptResponse(c, r) : renderError(c, 404);
  });
}

function registerAccountantRoutes(app: App): void {
  const queue = async (c: Ctx, opts: { errors?: Record<string, string>; errorTxn?: string; values?: Record<string, string>; done?: string } = {}) => {
    const commune = param(c, 'commune');
    const txns = await store.listTxns(c.get('deps').db, commune, { state: 'queued' });
    return c.html(
      <QueuePage
        ctx={pageCtx(c)}
        commune={commune}
        communeName={communeName(commune)}
        txns={txns}
        reconcile={holds(c, 'payments.reconcile', commune)}
        errors={opts.errors ?? {}}
        errorTxn={opts.errorTxn ?? null}
        values={opts.values ?? {}}
        done={opts.done ?? null}
      />,
      opts.errors && Object.keys(opts.errors).length ? 400 : 200,
    );
  };

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi', requires('payments.view', 'commune'), async (c) => {
    const done = c.req.query('xong');
    return queue(c, { ...(done === 'khop' ? { done: 'Đã ghi nhận giao dịch cho khoản thu và lập biên lai.' } : done === 'hoan' ? { done: 'Đã ghi nhận hoàn tiền.' } : {}) });
  });

  route(app, 'POST', '/can-bo/xa/:commune/thu-phi/giao-dich/:txn/khop', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const txn = param(c, 'txn');
    if (!UUID_RE.test(txn)) return renderError(c, 404);
    const values = await readForm(c);
    const out = await matchQueued(paymentsDeps(c), who(c), commune, txn, values.reference ?? '', values.note ?? '');
    if (out.ok) return c.redirect(`${staffBase(commune)}?xong=khop`, 303);
    if (out.status === 404) return renderError(c, 404);
    return queue(c, { errors: { [out.field ?? 'reference']: out.message }, errorTxn: txn, values });
  });

  route(app, 'POST', '/can-bo/xa/:commune/thu-phi/giao-dich/:txn/hoan', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const txn = param(c, 'txn');
    if (!UUID_RE.test(txn)) return renderError(c, 404);
    const values = await readForm(c);
    const out = await refundQueued(paymentsDeps(c), who(c), commune, txn, values.reason ?? '');
    if (out.ok) return c.redirect(`${staffBase(commune)}?xong=hoan`, 303);
    if (out.status === 404) return renderError(c, 404);
    return queue(c, { errors: { [out.field ?? 'reason']: out.message }, errorTxn: txn, values });
  });

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi/sao-ke', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const id = c.req.query('ket-qua') ?? '';
    let result = null;
    if (UUID_RE.test(id)) {
      const st = await c.get('deps').db.selectFrom('bank_statement').selectAll().where('commune_code', '=', commune).where('id', '=', id).executeTakeFirst();
      if (st) {
        const txns = await c.get('deps').db.selectFrom('bank_txn').select(['state']).where('commune_code', '=', commune).where('statement_id', '=', id).execute();
        result = {
          statementId: st.id,
          fileName: st.file_name,
          lines: st.lines,
          newLines: st.new_lines,
          alreadyRecorded: st.lines - st.new_lines,
          matched: txns.filter((t) => t.state === 'matched').length,
          queued: txns.filter((t) => t.state === 'queued').length,
          problems: st.problems as { row: number; field: string; message: string }[],
        };
      }
    }
    return c.html(<StatementPage ctx={pageCtx(c)} commune={commune} communeName={communeName(commune)} errors={{}} result={result} />);
  });

  route(app, 'POST', '/can-bo/xa/:commune/thu-phi/sao-ke', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const type = c.req.header('content-type') ?? '';
    const body = type.includes('multipart/form-data') ? await c.req.parseBody() : {};
    const f = body.tep;
    const page = (message: string) => c.html(<StatementPage ctx={pageCtx(c)} commune={commune} communeName={communeName(commune)} errors={{ tep: message }} result={null} />, 400);
    if (typeof f !== 'object' || f === null || typeof (f as File).arrayBuffer !== 'function' || (f as File).size === 0) return page('Tệp sao kê: chọn tệp .xlsx hoặc .csv xuất từ ngân hàng.');
    const bytes = Buffer.from(await (f as File).arrayBuffer());
    const parsed = await parseStatement(bytes);
    if (parsed.lines.length === 0) return page(`Tệp sao kê: ${parsed.problems[0]?.message ?? 'không có dòng tiền vào nào.'}`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const result = await importStatement(paymentsDeps(c), who(c), commune, { sha256, name: (f as File).name || 'sao-ke' }, parsed);
    return c.redirect(`${staffBase(commune)}/sao-ke?ket-qua=${result.statementId}`, 303);
  });

  const receipts = async (c: Ctx, opts: { errors?: Record<string, string>; errorKey?: string; values?: Record<string, string>; done?: string } = {}) => {
    const commune = param(c, 'commune');
    const y = Number(c.req.query('nam') ?? (param(c, 'year') || vnDay(new Date()).slice(0, 4)));
    const year = Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : Number(vnDay(new Date()).slice(0, 4));
    const list = await store.listReceipts(c.get('deps').db, commune, year);
    return c.html(
      <ReceiptsPage
        ctx={pageCtx(c)}
        commune={commune}
        communeName={communeName(commune)}
        year={year}
        receipts={list}
        reconcile={holds(c, 'payments.reconcile', commune)}
        errors={opts.errors ?? {}}
        errorKey={opts.errorKey ?? null}
        values={opts.values ?? {}}
        done={opts.done ?? null}
      />,
      opts.errors && Object.keys(opts.errors).length ? 400 : 200,
    );
  };

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi/bien-lai', requires('payments.view', 'commune'), (c) =>
    receipts(c, c.req.query('xong') === 'huy' ? { done: 'Đã huỷ biên lai; số biên lai vẫn giữ.' } : c.req.query('xong') === 'hoan' ? { done: 'Đã ghi nhận hoàn tiền; biên lai đã huỷ.' } : {}),
  );

  const receiptKey = (c: Ctx): { year: number; no: number } | null => {
    const year = Number(param(c, 'year'));
    const no = Number(param(c, 'no'));
    return Number.isInteger(year) && year >= 2000 && year <= 2100 && Number.isInteger(no) && no > 0 && no < 10_000_000 ? { year, no } : null;
  };

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi/bien-lai/:year/:no', requires('payments.view', 'commune'), async (c) => {
    const key = receiptKey(c);
    const r = key ? await store.findReceipt(c.get('deps').db, param(c, 'commune'), key.year, key.no) : null;
    return r ? receiptResponse(c, r) : renderError(c, 404);
  });

  route(app, 'POST', '/can-bo/xa/:commune/thu-phi/bien-lai/:year/:no/huy', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const key = receiptKey(c);
    if (!key) return renderError(c, 404);
    const values = await readForm(c);
    const out = await cancelReceipt(paymentsDeps(c), who(c), commune, key.year, key.no, values.reason ?? '');
    if (out.ok) return c.redirect(`${staffBase(commune)}/bien-lai?nam=${key.year}&xong=huy`, 303);
    if (out.status === 404) return renderError(c, 404);
    return receipts(c, { errors: { [out.field ?? 'reason']: out.message }, errorKey: `${key.year}-${key.no}`, values });
  });

  route(app, 'POST', '/can-bo/xa/:commune/thu-phi/khoan-thu/:payment/hoan', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const id = param(c, 'payment');
    if (!UUID_RE.test(id)) return renderError(c, 404);
    const values = await readForm(c);
    const out = await refundPayment(paymentsDeps(c), who(c), commune, id, values.reason ?? '');
    if (out.ok) return c.redirect(`${staffBase(commune)}/bien-lai?xong=hoan`, 303);
    if (out.status === 404) return renderError(c, 404);
    return receipts(c, { errors: { [out.field ?? 'reason']: out.message }, values });
  });

  const reportDay = (c: Ctx) => {
    const q = c.req.query('ngay') ?? '';
    return /^\d{4}-\d{2}-\d{2}$/.test(q) && !Number.isNaN(Date.parse(`${q}T00:00:00Z`)) ? q : vnDay(new Date());
  };

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi/bao-cao', requires('payments.view', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const r = await dailyReport(c.get('deps').db, commune, reportDay(c));
    return c.html(<ReportPage ctx={pageCtx(c)} commune={commune} communeName={communeName(commune)} r={r} reconcile={holds(c, 'payments.reconcile', commune)} />);
  });

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi/bao-cao.xlsx', requires('payments.view', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const r = await dailyReport(c.get('deps').db, commune, reportDay(c));
    const xlsx = await reportWorkbook(r, communeName(commune));
    return c.body(new Uint8Array(xlsx), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="doi-chieu-${commune}-${r.day}.xlsx"`,
      'cache-control': 'private, no-store',
    });
  });

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi/tai-khoan', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const a = await collectionAccount(c.get('deps').db, commune);
    const values: Record<string, string> = a ? { bank_bin: a.bankBin, account_no: a.accountNo, account_name: a.accountName } : {};
    return c.html(<AccountPage ctx={pageCtx(c)} commune={commune} communeName={communeName(commune)} values={values} errors={{}} done={c.req.query('xong') === '1'} />);
  });

  route(app, 'POST', '/can-bo/xa/:commune/thu-phi/tai-khoan', requires('payments.reconcile', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const values = await readForm(c);
    const out = await setCollectionAccount(paymentsDeps(c), who(c), commune, { bankBin: values.bank_bin ?? '', accountNo: values.account_no ?? '', accountName: values.account_name ?? '' });
    if (out.ok) return c.redirect(`${staffBase(commune)}/tai-khoan?xong=1`, 303);
    return c.html(<AccountPage ctx={pageCtx(c)} commune={commune} communeName={communeName(commune)} values={values} errors={out.errors} done={false} />, 400);
  });
}

function registerRequestRoutes(app: App): void {
  const page = async (c: Ctx, values: Record<string, string> = {}, errors: Record<string, string> = {}) => {
    const commune = param(c, 'commune');
    const id = param(c, 'dossier');
    const db = c.get('deps').db;
    const d = UUID_RE.test(id) ? await findDossier(db, commune, id) : undefined;
    if (!d) return renderError(c, 404);
    const proc = await getProcedure(db, d.procedure_code);
    const fee = await feeFor(db, provinceOf(commune) ?? '', d.procedure_code, values.fee_case || (d.channel === 'online' ? 'online' : 'direct'));
    return c.html(
      <RequestPage ctx={pageCtx(c)} commune={commune} dossierId={d.id} dossierCode={d.code} procedureName={proc?.name ?? d.procedure_code} version={d.version} suggested={fee?.status === 'amount' ? fee.amountVnd : null} values={values} errors={errors} />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  route(app, 'GET', '/can-bo/xa/:commune/thu-phi/yeu-cau/:dossier', requires('payments.request', 'commune'), (c) => page(c));

  route(app, 'POST', '/can-bo/xa/:commune/thu-phi/yeu-cau/:dossier', requires('payments.request', 'commune'), async (c) => {
    const commune = param(c, 'commune');
    const id = param(c, 'dossier');
    const db = c.get('deps').db;
    const d = UUID_RE.test(id) ? await findDossier(db, commune, id) : undefined;
    if (!d) return renderError(c, 404);
    const values = await readForm(c);
    const digits = (values.amount ?? '').replace(/[.\s,]/g, '').replace(/(đ|đồng|vnd)$/iu, '');
    const amount = /^\d{1,13}$/.test(digits) ? Number(digits) : NaN;
    const actor = c.get('actor')!;
    const out = await requestDossierPayment(
      db,
      { id: actor.id, label: actorLabel(actor), roles: workflowRolesFor(actor, d), ip: clientIp(c) },
      { communeCode: commune, dossierId: d.id, expectedVersion: Number(values.version ?? d.version), amountVnd: amount, feeCase: (values.fee_case ?? '').trim().slice(0, 100) },
    );
    if (out.ok) return c.redirect(`/thanh-toan/${out.payment.reference}`, 303);
    if (out.status === 404) return renderError(c, 404);
    return page(c, values, { [out.field ?? 'amount']: out.message });
  });
}

const STATUSES: readonly FeeStatus[] = ['amount', 'free'];

function registerFeeRoutes(app: App): void {
  route(app, 'GET', '/can-bo/tinh/:province/le-phi', requires('payments.fees', 'province'), async (c) => {
    const province = param(c, 'province');
    const p = findProvince(province);
    if (!p) return renderError(c, 404);
    const q = (c.req.query('ma') ?? '').trim();
    if (q) {
      if (/^[0-9.]{5,20}$/.test(q) && (await getProcedure(c.get('deps').db, q))) return c.redirect(`/can-bo/tinh/${province}/le-phi/${q}`, 303);
      return c.html(<FeesSearchPage ctx={pageCtx(c)} province={province} provinceName={p.name} q={q} error="Mã thủ tục: không có thủ tục với mã này trong danh mục. Nhập mã dạng 1.001612." />, 400);
    }
    return c.html(<FeesSearchPage ctx={pageCtx(c)} province={province} provinceName={p.name} q="" error={null} />);
  });

  const page = async (c: Ctx, values: Record<string, string> = {}, errors: Record<string, string> = {}, done: string | null = null) => {
    const province = param(c, 'province');
    const code = param(c, 'procedure');
    const db = c.get('deps').db;
    const proc = /^[0-9.]{5,20}$/.test(code) ? await getProcedure(db, code) : null;
    const rows = proc ? await feeTable(db, province, code) : null;
    if (!proc || !rows) return renderError(c, 404);
    return c.html(<FeesPage ctx={pageCtx(c)} province={province} procedureCode={code} procedureName={proc.name} rows={rows} values={values} errors={errors} done={done} />, Object.keys(errors).length ? 400 : 200);
  };

  route(app, 'GET', '/can-bo/tinh/:province/le-phi/:procedure', requires('payments.fees', 'province'), (c) => page(c, {}, {}, c.req.query('xong') === '1' ? 'Đã lưu mức thu (phiên bản mới).' : null));

  route(app, 'POST', '/can-bo/tinh/:province/le-phi/:procedure', requires('payments.fees', 'province'), async (c) => {
    const province = param(c, 'province');
    const code = param(c, 'procedure');
    if (!findProvince(province) || !/^[0-9.]{5,20}$/.test(code) || !(await getProcedure(c.get('deps').db, code))) return renderError(c, 404);
    const values = await readForm(c);
    const status = (STATUSES as readonly string[]).includes(values.status ?? '') ? (values.status as FeeStatus) : ('unclear' as FeeStatus);
    const digits = (values.amount ?? '').replace(/[.\s,]/g, '');
    const out = await confirmFee(paymentsDeps(c), who(c), {
      provinceCode: province,
      procedureCode: code,
      caseKey: values.case_key ?? '',
      status,
      amountVnd: /^\d{1,13}$/.test(digits) ? Number(digits) : null,
      per: values.per ?? '',
      exemptions: (values.exemptions ?? '').split(/\r?\n/),
      note: values.note ?? '',
    });
    if (out.ok) return c.redirect(`/can-bo/tinh/${province}/le-phi/${code}?xong=1`, 303);
    return page(c, values, out.errors);
  });
}

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });
const CallbackResult = z
  .object({
    result: z.enum(['confirmed', 'already_recorded', 'queued']).describe('confirmed: khoản thu đã xác nhận; already_recorded: giao dịch này đã nhận trước đó, không tính lại; queued: chuyển kế toán xử lý'),
    issue: z.enum(['unmatched', 'short', 'over', 'duplicate', 'cancelled']).optional(),
  })
  .openapi('PaymentCallbackResult');

/** Checks the signature before anything else reads the body as JSON. */
const signatureCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ts = c.req.header(TIMESTAMP_HEADER);
  const sig = c.req.header(SIGNATURE_HEADER);
  if (!ts || !sig) return c.json(apiError('signature_missing', `Thiếu tiêu đề ${TIMESTAMP_HEADER} hoặc ${SIGNATURE_HEADER}.`), 400);
  const secret = c.get('deps').config.paymentCallbackSecret;
  if (!secret) return c.json(apiError('not_configured', 'Máy chủ chưa cấu hình khoá ký của cổng thanh toán (XASO_PAYMENT_CALLBACK_SECRET).'), 503);
  const verdict = verifyCallback(secret, await c.req.text(), ts, sig, Date.now());
  if (!verdict.ok) {
    c.get('log').warn({ reason: verdict.reason, ip: clientIp(c) }, 'payment callback refused');
    const message = verdict.reason === 'stale' ? 'Dấu thời gian lệch quá 5 phút: yêu cầu cũ hoặc gửi lại, bị từ chối.' : 'Chữ ký không đúng.';
    return c.json(apiError(verdict.reason, message), 401);
  }
  return next();
};

function registerCallbackApi(app: App): void {
  apiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/payments/callback',
      summary: 'Cổng thanh toán báo một giao dịch tiền vào tài khoản thu của xã',
      description: [
        'Ký: chữ ký = hex(HMAC-SHA256(khoá, `${timestamp}.${body}`)) với body là nội dung JSON nguyên văn gửi đi, timestamp là giây Unix.',
        `Gửi trong tiêu đề ${SIGNATURE_HEADER} và ${TIMESTAMP_HEADER}. Lệch quá 5 phút bị từ chối.`,
        'Cùng transactionId gửi nhiều lần (kể cả đồng thời) chỉ được tính một lần. Số tiền khác số phải nộp, mã không có, khoản đã huỷ hoặc đã nộp: giao dịch vào hàng chờ kế toán (result = queued).',
      ].join(' '),
      middleware: [signatureCheck],
      request: {
        headers: z.object({
          [SIGNATURE_HEADER]: z.string().openapi({ description: 'hex HMAC-SHA256 của "timestamp.body"' }),
          [TIMESTAMP_HEADER]: z.string().openapi({ description: 'giây Unix lúc ký' }),
        }),
        body: { content: { 'application/json': { schema: CallbackBody } }, required: true },
      },
      responses: {
        200: { description: 'Đã nhận', content: { 'application/json': { schema: CallbackResult } } },
        400: { description: 'Thiếu chữ ký hoặc dữ liệu chưa hợp lệ', content: { 'application/json': { schema: ErrorSchema } } },
        401: { description: 'Chữ ký sai hoặc quá 5 phút', content: { 'application/json': { schema: ErrorSchema } } },
        422: { description: 'Tài khoản thu không thuộc xã nào', content: { 'application/json': { schema: ErrorSchema } } },
        503: { description: 'Máy chủ chưa cấu hình khoá ký', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    PUBLIC,
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('deps').db;
      const commune = await communeOfAccount(db, body.bankBin, body.accountNo);
      if (!commune) return c.json(apiError('unknown_account', 'accountNo: không phải tài khoản thu của xã nào trên hệ thống.', { accountNo: 'Không có tài khoản thu này' }), 422);
      const out = await recordTransaction(
        paymentsDeps(c),
        commune,
        { bankRef: body.transactionId, source: 'gateway', date: vnDay(new Date(body.paidAt)), amountVnd: body.amount, description: body.description ?? body.reference, reference: body.reference.toUpperCase() },
        { id: null, label: 'Cổng thanh toán', ip: clientIp(c) },
      );
      if (out.kind === 'matched') return c.json({ result: 'confirmed' as const }, 200);
      if (out.kind === 'already_recorded') return c.json({ result: 'already_recorded' as const }, 200);
      return c.json({ result: 'queued' as const, issue: out.issue }, 200);
    },
  );
}

export function registerPayments(app: App): void {
  registerCitizenRoutes(app);
  registerAccountantRoutes(app);
  registerRequestRoutes(app);
  registerFeeRoutes(app);
  registerCallbackApi(app);
}

