/**
 * Everything the forms are printed from, read from the database in one place:
 * the dossier, the procedure version it follows, its event history, its files.
 * The renderers receive the result as plain data and do no I/O.
 */
import { DEFAULT_DEADLINE_RULES, isoDateInVn } from '../../calendar/index.js';
import type { Procedure } from '../../catalog/procedure.js';
import type { Db, DbOrTx } from '../../platform/db.js';
import { unitName } from '../../units/units.js';
import { procedureOf } from '../dossiers.service.js';
import { findDossier, listEvents, listFiles, type DossierEvent, type DossierRow } from '../dossiers.store.js';
import { FINAL, isRecordAction, STATUS, STATUS_LABELS, TRANSITIONS, type ActionName, type Status } from '../workflow.js';
import { displayName, feeLines, issuerOf, noteItems, timeliness, ubndShort, vnParts } from './format.js';
import type { BookProgress, BookRow, ControlRow, DossierFormBase, DossierForm, PdfFormNo, ReceiptData, SubmissionReceiptData, TrackingBookData } from './types.js';

export interface FormDataOptions {
  /** The site's public address, for the QR code on form 01 (e.g. config.baseUrl). */
  baseUrl?: string;
  /** "Now", for the date line of form 06 and the status line of the submission receipt. */
  now?: Date;
  /** The time of day printed with the appointment date (default: end of office hours, a *(check)* rule of the calendar). */
  appointmentTime?: string;
}

export type FormDataResult =
  | { ok: true; data: DossierForm; dossier: DossierRow }
  | { ok: false; reason: 'not_found' | 'not_received' | 'no_event'; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The public tracking page of a dossier: what the QR code on the receipt opens. */
export function trackingUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/$/, '')}/tra-cuu?ma=${encodeURIComponent(code)}`;
}

/** The actions whose event produced a form, from the workflow table (no lists kept here). */
export function actionsProducing(formNo: PdfFormNo): ActionName[] {
  return TRANSITIONS.filter((t) => t.form === formNo).map((t) => t.action);
}

/** The procedure exactly as the dossier follows it: its stored version, else the lead's fallback rule. */
async function procedureFor(db: Db, d: DossierRow): Promise<Procedure | null> {
  const row = await db.selectFrom('procedure_version').select('record').where('code', '=', d.procedure_code).where('version', '=', d.procedure_version).executeTakeFirst();
  return row ? (row.record as Procedure) : procedureOf(db, d);
}

function base(d: DossierRow, p: Procedure | null, issuedAt: Date): DossierFormBase {
  return {
    issuer: issuerOf(d.commune_code),
    dossierCode: d.code,
    applicant: { name: d.applicant_name, address: d.applicant_address, phone: d.applicant_phone, email: d.applicant_email },
    procedure: { code: d.procedure_code, name: p?.name ?? `Thủ tục ${d.procedure_code}` },
    issuedAt,
  };
}

function vnDayStart(iso: string): Date {
  return new Date(`${iso}T00:00:00+07:00`);
}
function nextDay(iso: string): string {
  const t = new Date(`${iso}T00:00:00Z`).getTime() + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The dossier's entry in the tracking book: the book is the year of receipt
 * (local time), the number its rank among the commune's dossiers received that
 * year, by time of receipt then code. Form 07 numbers its rows the same way.
 */
export async function bookEntry(db: DbOrTx, d: Pick<DossierRow, 'commune_code' | 'code' | 'received_at'>): Promise<{ book: string; no: number }> {
  const at = new Date(d.received_at!);
  const year = isoDateInVn(at).slice(0, 4);
  const r = await db
    .selectFrom('dossier')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('commune_code', '=', d.commune_code)
    .where('received_at', '>=', vnDayStart(`${year}-01-01`))
    .where((eb) => eb.or([eb('received_at', '<', at), eb.and([eb('received_at', '=', at), eb('code', '<=', d.code)])]))
    .executeTakeFirstOrThrow();
  return { book: year, no: Number(r.n) };
}

/** The parties a dossier passes between, as printed on the control slip. */
export interface Parties {
  applicant: string;
  oneStop: string;
  specialist: string;
  leader: string;
  unit(code: string): string;
}

export const DEFAULT_PARTIES: Parties = {
  applicant: 'Người nộp hồ sơ',
  oneStop: 'Bộ phận một cửa',
  specialist: 'Chuyên viên xử lý',
  leader: 'Lãnh đạo UBND',
  unit: (code) => (unitName(code) ? `UBND ${unitName(code)}` : `Cơ quan ${code}`),
};

const CHANNEL_LABELS: Record<string, string> = { online: 'trực tuyến', counter: 'tại Bộ phận một cửa', field: 'qua Tổ công nghệ số cộng đồng' };

function stepLabel(e: DossierEvent): string {
  if (e.action === 'submit') {
    const ch = typeof e.detail.channel === 'string' ? CHANNEL_LABELS[e.detail.channel] : undefined;
    return ch ? `Nộp hồ sơ ${ch}` : 'Nộp hồ sơ';
  }
  return TRANSITIONS.find((t) => t.action === e.action)?.label ?? e.action;
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * The control slip's rows, one per event: who handed the dossier to whom
 * (replaying where it is), when, the result, and the step against the due
 * date in force *before* it (so a late apology counts as late, and the first
 * step after receipt counts against the due date receipt set). Pure.
 */
export function controlSlipRows(events: readonly DossierEvent[], parties: Parties = DEFAULT_PARTIES): ControlRow[] {
  let holder = parties.applicant;
  let resumeTo: string | null = null;
  let dueBefore: string | null = null;
  // The slip hands the dossier from one party to the next: uploads and ratings hand nothing over.
  return events.filter((e) => !isRecordAction(e.action)).map((e, i) => {
    const from = holder;
    let to = holder;
    switch (e.action) {
      case 'submit':
      case 'accept':
      case 'approve':
        to = parties.oneStop;
        break;
      case 'refuse':
      case 'return_result':
      case 'withdraw':
      case 'stop':
        to = parties.applicant;
        break;
      case 'request_supplement':
        resumeTo = holder;
        to = parties.applicant;
        break;
      case 'resubmit':
        to = resumeTo ?? parties.oneStop;
        resumeTo = null;
        break;
      case 'assign':
        to = parties.specialist;
        break;
      case 'appraise':
        to = parties.leader;
        break;
      case 'transfer':
        to = parties.unit(String(e.detail.to ?? ''));
        break;
      // request_payment, confirm_payment, apologise: the dossier stays where it is.
    }
    holder = to;
    const dueInForce = dueBefore ?? e.due_date;
    dueBefore = e.due_date;
    const extra = e.action === 'apologise' && e.due_date ? `Hẹn lại ngày trả: ${e.due_date.split('-').reverse().join('/')}. ` : '';
    const note = e.note ? clip(noteItems(e.note).join('; '), 160) : '';
    return {
      no: i + 1,
      step: stepLabel(e),
      from,
      to,
      at: new Date(e.at),
      actor: displayName(e.actor_label),
      result: `${STATUS_LABELS[e.to_status]}.${extra || note ? ` ${extra}${note}` : ''}`.trim(),
      dueInForce,
      timeliness: timeliness(vnParts(new Date(e.at)).date, dueInForce),
    };
  });
}

async function filesPerPaper(db: Db, d: DossierRow): Promise<Map<number, number>> {
  const files = await listFiles(db, d.commune_code, d.id);
  const counts = new Map<number, number>();
  for (const f of files) counts.set(f.paper_no, (counts.get(f.paper_no) ?? 0) + 1);
  return counts;
}

/** The processing terms of the channel the dossier came by (fees differ online and at the counter). */
function termsOf(d: DossierRow, p: Procedure | null) {
  return p?.channels.find((c) => c.channel === (d.channel === 'online' ? 'online' : 'direct')) ?? p?.channels[0];
}

/** Which receipt the applicant can hold now: form 01 once received; a receipt of submission while waiting for reception; none when it was never received and never will be (refused, withdrawn). */
export function receiptKind(d: Pick<DossierRow, 'received_at' | 'status'>): 'appointment' | 'submission' | null {
  if (d.received_at) return 'appointment';
  return FINAL.includes(d.status) ? null : 'submission';
}

async function receiptData(db: Db, d: DossierRow, p: Procedure | null, events: DossierEvent[], opts: FormDataOptions): Promise<ReceiptData> {
  const accept = events.find((e) => actionsProducing('01').includes(e.action as ActionName));
  const receivedAt = new Date(d.received_at!);
  const perPaper = await filesPerPaper(db, d);
  // The catalog gives originals and copies; a "bản sao" in a procedure is a certified copy unless it says otherwise.
  const papers = (p?.cases[d.case_no]?.papers ?? []).map((x, i) => ({ name: x.name, originals: x.originals, certifiedCopies: x.copies, photocopies: 0, files: perPaper.get(i) ?? 0 }));
  const terms = termsOf(d, p);
  const issuer = issuerOf(d.commune_code);
  const online = d.channel === 'online' && p?.onlineLevel === 'full';
  const appointment = accept?.due_date ?? d.due_date;
  return {
    ...base(d, p, receivedAt),
    form: '01',
    receivedAt,
    receivedBy: displayName(accept?.actor_label ?? ''),
    channel: d.channel,
    papers,
    sets: 1,
    workingDays: d.working_days,
    appointment: { date: appointment, time: opts.appointmentTime ?? DEFAULT_DEADLINE_RULES.officeHoursEnd },
    currentDue: d.due_date && d.due_date !== appointment && !FINAL.includes(d.status) ? d.due_date : null,
    returnAt: online
      ? { kind: 'online', text: `trực tuyến, vào tài khoản của người nộp (hoặc tại Bộ phận một cửa ${ubndShort(issuer)} nếu người nộp yêu cầu)` }
      : { kind: 'counter', text: `Bộ phận một cửa ${ubndShort(issuer)}` },
    fees: feeLines(terms?.fees ?? []),
    bookEntry: await bookEntry(db, d),
    trackingUrl: trackingUrl(opts.baseUrl ?? '', d.code),
  };
}

async function submissionReceiptData(db: Db, d: DossierRow, p: Procedure | null, events: DossierEvent[], opts: FormDataOptions): Promise<SubmissionReceiptData> {
  const submittedAt = new Date(d.submitted_at);
  const perPaper = await filesPerPaper(db, d);
  const listed = p?.cases[d.case_no]?.papers ?? [];
  const papers = listed.map((x, i) => ({ name: x.name, files: perPaper.get(i) ?? 0 }));
  let otherFiles = 0;
  for (const [no, n] of perPaper) if (no >= listed.length) otherFiles += n;
  const submit = events.find((e) => e.action === 'submit');
  return {
    ...base(d, p, submittedAt),
    form: 'submission',
    submittedAt,
    channel: d.channel,
    assistedBy: d.channel !== 'online' && submit ? displayName(submit.actor_label) || null : null,
    papers,
    otherFiles,
    workingDays: d.working_days,
    status: STATUS_LABELS[d.status],
    statusAt: opts.now ?? new Date(),
    fees: feeLines(termsOf(d, p)?.fees ?? []),
    trackingUrl: trackingUrl(opts.baseUrl ?? '', d.code),
  };
}

/**
 * The receipt the applicant should hold now (see `receiptKind`): form 01 once
 * the dossier is received, before that the receipt of submission, and nothing
 * for a dossier refused or withdrawn before reception (its papers are form 03,
 * or none).
 */
export async function receiptFor(db: Db, d: DossierRow, opts: FormDataOptions = {}): Promise<FormDataResult> {
  const kind = receiptKind(d);
  if (kind === 'appointment') return formDataFor(db, d, '01', undefined, opts);
  if (kind === null) return { ok: false, reason: 'not_received', message: 'Hồ sơ không được tiếp nhận nên không có giấy biên nhận.' };
  const [p, events] = await Promise.all([procedureFor(db, d), listEvents(db, d.commune_code, d.id)]);
  return { ok: true, data: await submissionReceiptData(db, d, p, events, opts), dossier: d };
}

/** Assembles form `formNo` for a dossier already loaded. */
export async function formDataFor(db: Db, d: DossierRow, formNo: PdfFormNo, eventSeq?: number, opts: FormDataOptions = {}): Promise<FormDataResult> {
  const [p, events] = await Promise.all([procedureFor(db, d), listEvents(db, d.commune_code, d.id)]);
  if (formNo === '01') {
    if (!d.received_at) return { ok: false, reason: 'not_received', message: 'Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả.' };
    return { ok: true, data: await receiptData(db, d, p, events, opts), dossier: d };
  }
  if (formNo === '06') {
    const parties: Parties = { ...DEFAULT_PARTIES, oneStop: `Bộ phận một cửa ${ubndShort(issuerOf(d.commune_code))}` };
    return {
      ok: true,
      dossier: d,
      data: {
        ...base(d, p, opts.now ?? new Date()),
        form: '06',
        receivedAt: d.received_at ? new Date(d.received_at) : null,
        dueDate: d.due_date,
        status: STATUS_LABELS[d.status],
        rows: controlSlipRows(events, parties),
      },
    };
  }
  const actions = actionsProducing(formNo);
  const matching = events.filter((e) => actions.includes(e.action as ActionName));
  const e = eventSeq === undefined ? matching.at(-1) : matching.find((m) => m.seq === eventSeq);
  if (!e) return { ok: false, reason: 'no_event', message: `Hồ sơ này chưa có mẫu số ${formNo}${eventSeq === undefined ? '' : ` ở lần ${eventSeq}`}.` };
  const at = new Date(e.at);
  const officer = displayName(e.actor_label);
  const common = { ...base(d, p, at), eventSeq: e.seq, officer };
  const receivedAt = d.received_at ? new Date(d.received_at) : null;
  switch (formNo) {
    case '02': {
      const reason = typeof e.detail.reason === 'string' && e.detail.reason.trim() ? e.detail.reason.trim() : 'hồ sơ chưa đầy đủ, hợp lệ theo quy định.';
      return {
        ok: true,
        dossier: d,
        data: { ...common, form: '02', items: noteItems(e.note), reason, contact: `Bộ phận một cửa ${ubndShort(common.issuer)}${officer ? ` (cán bộ ${officer})` : ''}` },
      };
    }
    case '03':
      return { ok: true, dossier: d, data: { ...common, form: '03', reasons: noteItems(e.note), submittedAt: new Date(d.submitted_at) } };
    case '04': {
      const prev = e.detail.previousDueDate;
      return {
        ok: true,
        dossier: d,
        data: { ...common, form: '04', receivedAt, previousDue: typeof prev === 'string' ? prev : null, newDue: e.due_date ?? d.due_date ?? '', reason: e.note.trim() },
      };
    }
    case '05':
      return { ok: true, dossier: d, data: { ...common, form: '05', receivedAt, reasons: noteItems(e.note) } };
  }
}

/**
 * Form `formNo` of a dossier of `communeCode`, from the database. For forms
 * 02–05 the latest event that produced the form is used, or the one numbered
 * `eventSeq`. A dossier of another commune is "not found".
 */
export async function formData(db: Db, communeCode: string, dossierId: string, formNo: PdfFormNo, eventSeq?: number, opts: FormDataOptions = {}): Promise<FormDataResult> {
  const d = await findDossier(db, communeCode, dossierId);
  if (!d) return { ok: false, reason: 'not_found', message: 'Không tìm thấy hồ sơ.' };
  return formDataFor(db, d, formNo, eventSeq, opts);
}

/** The receipt of a citizen's own dossier (`receiptFor`); anyone else's is "not found". */
export async function ownReceiptData(db: Db, applicantId: string, dossierId: string, opts: FormDataOptions = {}): Promise<FormDataResult> {
  if (!UUID.test(dossierId) || !UUID.test(applicantId)) return { ok: false, reason: 'not_found', message: 'Không tìm thấy hồ sơ.' };
  const d = (await db.selectFrom('dossier').selectAll().where('id', '=', dossierId).where('applicant_id', '=', applicantId).executeTakeFirst()) as DossierRow | undefined;
  if (!d) return { ok: false, reason: 'not_found', message: 'Không tìm thấy hồ sơ.' };
  return receiptFor(db, d, opts);
}

/** How a dossier stands in the book: finished against its due date, or still running. */
export function bookProgress(r: { status: Status; due: string | null; decidedAt: Date | null }, today: string): BookProgress {
  if (r.decidedAt) return timeliness(isoDateInVn(r.decidedAt), r.due) ?? 'none';
  if (FINAL.includes(r.status) || !r.due) return 'none';
  return today > r.due ? 'overdue' : 'in_time';
}

/**
 * The tracking book (form 07) of a commune: every dossier it received
 * (accepted) between two local dates, inclusive, numbered within the year.
 */
export async function trackingBookData(db: Db, communeCode: string, from: string, to: string, opts: { now?: Date } = {}): Promise<TrackingBookData> {
  const now = opts.now ?? new Date();
  const yearStart = vnDayStart(`${from.slice(0, 4)}-01-01`);
  const start = vnDayStart(from);
  const end = vnDayStart(nextDay(to));
  const rows = await db
    .selectFrom('dossier as d')
    .leftJoin('procedure_version as v', (j) => j.onRef('v.code', '=', 'd.procedure_code').onRef('v.version', '=', 'd.procedure_version'))
    .select(['d.id', 'd.code', 'd.applicant_name', 'd.procedure_code', 'd.received_at', 'd.due_date', 'd.status', 'v.record'])
    .where('d.commune_code', '=', communeCode)
    .where('d.received_at', '>=', yearStart)
    .where('d.received_at', '<', end)
    .orderBy('d.received_at')
    .orderBy('d.code')
    .execute();
  const ids = rows.filter((r) => new Date(r.received_at!) >= start).map((r) => r.id);
  const milestones = ids.length
    ? await db
        .selectFrom('dossier_event')
        .select(['dossier_id', 'to_status', 'at', 'due_date'])
        .where('commune_code', '=', communeCode)
        .where('dossier_id', 'in', (eb) =>
          eb.selectFrom('dossier').select('id').where('commune_code', '=', communeCode).where('received_at', '>=', start).where('received_at', '<', end),
        )
        .where('to_status', 'in', [STATUS.decided, STATUS.returned])
        .orderBy('seq')
        .execute()
    : [];
  // The first time each was reached; a decision is judged against the due date in force when it was taken.
  const decided = new Map<string, { at: Date; due: string | null }>();
  const returned = new Map<string, Date>();
  for (const m of milestones) {
    if (m.to_status === STATUS.decided && !decided.has(m.dossier_id)) decided.set(m.dossier_id, { at: new Date(m.at), due: m.due_date });
    if (m.to_status === STATUS.returned && !returned.has(m.dossier_id)) returned.set(m.dossier_id, new Date(m.at));
  }
  const today = isoDateInVn(now);
  const counters = new Map<string, number>();
  const book: BookRow[] = [];
  for (const r of rows) {
    const receivedAt = new Date(r.received_at!);
    const year = isoDateInVn(receivedAt).slice(0, 4);
    const entryNo = (counters.get(year) ?? 0) + 1;
    counters.set(year, entryNo);
    if (receivedAt < start) continue;
    const decision = decided.get(r.id);
    const decidedAt = decision?.at ?? null;
    const record = r.record as Procedure | null;
    book.push({
      entryNo,
      book: year,
      code: r.code,
      applicant: r.applicant_name,
      procedureCode: r.procedure_code,
      procedureName: record?.name ?? r.procedure_code,
      receivedAt,
      due: r.due_date,
      decidedAt,
      returnedAt: returned.get(r.id) ?? null,
      status: STATUS_LABELS[r.status],
      progress: bookProgress({ status: r.status, due: decision ? decision.due : r.due_date, decidedAt }, today),
    });
  }
  return { issuer: issuerOf(communeCode), from, to, generatedAt: now, rows: book };
}
