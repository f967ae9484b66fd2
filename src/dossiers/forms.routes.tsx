/**
 * Downloads of the one-stop-shop forms: an official prints forms 01–06 of a
 * dossier of their commune, a citizen downloads the receipt of their own
 * dossier, whoever submitted a dossier on someone's behalf prints its receipt
 * for them, and the tracking book (form 07) is exported as Excel or PDF.
 * Every download reads personal data, so each writes one audit entry.
 *
 * "The receipt" is form 01 once the dossier is received and, before that, the
 * receipt of submission (no appointment yet); `/mau/01` is form 01 only.
 */
import { todayOf } from './deps.js';
import { appendAudit } from '../platform/audit.js';
import { actorLabel, clientIp, type Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { grantsAllow, requires } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { provinceOf } from '../units/units.js';
import { findDossier } from './dossiers.store.js';
import { asciiSlug } from './forms/format.js';
import { formData, ownReceiptData, receiptFor, renderForm, renderTrackingBookPdf, renderTrackingBookXlsx, trackingBookData, type FormDataResult, type PdfFormNo } from './forms/index.js';
import { findOwnDraft } from './submit/drafts.store.js';

const PDF = 'application/pdf';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The personal data each form prints (for the audit log's "what was read"). */
const PD_READ: Record<PdfFormNo, string[]> = {
  '01': ['applicant_name', 'applicant_address', 'applicant_phone', 'applicant_email'],
  '02': ['applicant_name', 'applicant_address'],
  '03': ['applicant_name', 'applicant_address'],
  '04': ['applicant_name', 'applicant_address'],
  '05': ['applicant_name', 'applicant_address'],
  '06': ['applicant_name'],
};

/** The longest period one export covers: a year of a commune's dossiers. */
export const MAX_BOOK_DAYS = 366;

function download(c: Ctx, body: Buffer, type: string, fileName: string, disposition: 'inline' | 'attachment') {
  return c.body(new Uint8Array(body), 200, {
    'content-type': type,
    'content-disposition': `${disposition}; filename="${fileName}"`,
    'content-length': String(body.length),
    // Personal data: never kept by a shared cache or the browser's back button.
    'cache-control': 'private, no-store',
  });
}

async function audit(c: Ctx, entry: { unitCode: string; action: string; subjectType: string; subjectId: string | null; pdRead: string[]; detail: Record<string, unknown> }) {
  const actor = c.get('actor');
  await c
    .get('deps')
    .db.transaction()
    .execute((tx) => appendAudit(tx, { actorId: actor?.id ?? null, actorLabel: actorLabel(actor), ip: clientIp(c), ...entry }));
}

function notFound(c: Ctx, r: Extract<FormDataResult, { ok: false }>) {
  return renderError(c, 404, r.reason === 'not_found' ? undefined : r.message);
}

function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `?tu=&den=` (inclusive local dates); by default the whole month of `tu`, or of today. */
export function bookPeriod(q: { tu?: string | undefined; den?: string | undefined }, today: string): { ok: true; from: string; to: string } | { ok: false; message: string } {
  const from = q.tu?.trim() || `${today.slice(0, 7)}-01`;
  let to = q.den?.trim();
  if (!to) {
    const [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
    to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  }
  if (!isDate(from) || !isDate(to)) return { ok: false, message: 'Ngày không hợp lệ: nhập theo dạng năm-tháng-ngày, ví dụ ?tu=2026-03-01&den=2026-03-31.' };
  if (to < from) return { ok: false, message: 'Ngày kết thúc (den) phải từ ngày bắt đầu (tu) trở đi.' };
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_BOOK_DAYS) return { ok: false, message: `Mỗi lần xuất tối đa ${MAX_BOOK_DAYS} ngày: chia thành nhiều khoảng thời gian.` };
  return { ok: true, from, to };
}

export function registerDossierFormRoutes(app: App): void {
  route(app, 'GET', '/can-bo/xa/:commune/ho-so/:id/mau/:form', requires('dossier.work', 'commune'), async (c) => {
    const commune = c.req.param('commune') ?? '';
    const form = c.req.param('form') ?? '';
    if (!/^0[1-6]$/.test(form)) return renderError(c, 404);
    const lan = c.req.query('lan');
    if (lan !== undefined && !/^[1-9]\d{0,6}$/.test(lan)) return renderError(c, 404);
    const formNo = form as PdfFormNo;
    const eventSeq = lan !== undefined && formNo !== '01' && formNo !== '06' ? Number(lan) : undefined;
    const r = await formData(c.get('deps').db, commune, c.req.param('id') ?? '', formNo, eventSeq, { baseUrl: c.get('deps').config.baseUrl });
    if (!r.ok) return notFound(c, r);
    const pdf = await renderForm(r.data);
    const seq = 'eventSeq' in r.data ? r.data.eventSeq : undefined;
    await audit(c, {
      unitCode: commune,
      action: 'dossier.form_download',
      subjectType: 'dossier',
      subjectId: r.dossier.id,
      pdRead: PD_READ[formNo],
      detail: { code: r.dossier.code, form: formNo, ...(seq !== undefined ? { eventSeq: seq } : {}) },
    });
    const name = `mau-${formNo}-${asciiSlug(r.dossier.code)}${eventSeq !== undefined ? `-lan-${eventSeq}` : ''}.pdf`;
    return download(c, pdf, PDF, name, 'inline');
  });

  const receipt = async (c: Ctx, r: FormDataResult, how: { own: true } | { assisted: true }) => {
    if (!r.ok) return notFound(c, r);
    const pdf = await renderForm(r.data);
    await audit(c, {
      unitCode: r.dossier.commune_code,
      action: 'dossier.receipt_download',
      subjectType: 'dossier',
      subjectId: r.dossier.id,
      pdRead: PD_READ['01'],
      detail: { code: r.dossier.code, form: r.data.form, ...how },
    });
    return download(c, pdf, PDF, `bien-nhan-${asciiSlug(r.dossier.code)}.pdf`, 'inline');
  };

  route(app, 'GET', '/ho-so/:id/bien-nhan.pdf', requires('dossier.own'), async (c) => {
    const actor = c.get('actor')!;
    return receipt(c, await ownReceiptData(c.get('deps').db, actor.id, c.req.param('id') ?? '', { baseUrl: c.get('deps').config.baseUrl }), { own: true });
  });

  // The person who submitted for a citizen (at the counter or in the field) hands them the receipt: reached
  // through their own submitted draft, while they may still submit in that commune (as the draft pages check).
  route(app, 'GET', '/can-bo/nop-thay/ban-nhap/:draftId/bien-nhan.pdf', requires('dossier.submitAssisted'), async (c) => {
    const actor = c.get('actor')!;
    const { db, config } = c.get('deps');
    const draft = await findOwnDraft(db, c.req.param('draftId') ?? '', actor.id);
    if (!draft?.submitted_dossier || draft.data.mode !== 'assisted' || !grantsAllow(actor.grants, 'dossier.submitAssisted', draft.commune_code, provinceOf)) return renderError(c, 404);
    const d = await findDossier(db, draft.commune_code, draft.submitted_dossier);
    if (!d) return renderError(c, 404);
    return receipt(c, await receiptFor(db, d, { baseUrl: config.baseUrl }), { assisted: true });
  });

  const book = (format: 'xlsx' | 'pdf') => async (c: Ctx) => {
    const commune = c.req.param('commune') ?? '';
    const period = bookPeriod({ tu: c.req.query('tu'), den: c.req.query('den') }, todayOf(c.get('deps').clock));
    if (!period.ok) return renderError(c, 400, period.message);
    const data = await trackingBookData(c.get('deps').db, commune, period.from, period.to);
    const body = format === 'xlsx' ? await renderTrackingBookXlsx(data) : await renderTrackingBookPdf(data);
    await audit(c, {
      unitCode: commune,
      action: 'dossier.tracking_book_export',
      subjectType: 'tracking_book',
      subjectId: commune,
      pdRead: data.rows.length ? ['applicant_name'] : [],
      detail: { format, from: period.from, to: period.to, dossiers: data.rows.length },
    });
    const name = `so-theo-doi-${asciiSlug(commune)}-${period.from}-${period.to}.${format}`;
    return format === 'xlsx' ? download(c, body, XLSX, name, 'attachment') : download(c, body, PDF, name, 'inline');
  };
  route(app, 'GET', '/can-bo/xa/:commune/so-theo-doi.xlsx', requires('dossier.trackingBook', 'commune'), book('xlsx'));
  route(app, 'GET', '/can-bo/xa/:commune/so-theo-doi.pdf', requires('dossier.trackingBook', 'commune'), book('pdf'));
}
