/**
 * Submitting a dossier: online by the citizen (`/nop-ho-so/…`), or on their
 * behalf by a receiving officer at the counter or a community team member in
 * the field (`/can-bo/nop-thay/…`). Both are the same draft, one question per
 * page, saved as the person goes; the draft id is the idempotency key, so a
 * double tap or a resend creates one dossier.
 */
import { findUserById, findUserByPhone } from '../../accounts/accounts.store.js';
import { getProcedure } from '../../catalog/catalog.store.js';
import type { Procedure } from '../../catalog/procedure.js';
import { dossierDeps } from '../deps.js';
import { actorLabel, clientIp, type Actor, type Ctx } from '../../platform/context.js';
import { renderError } from '../../platform/errors.js';
import { storeFile } from '../../platform/files.js';
import { readForm, validate } from '../../platform/forms.js';
import { MessagePage, pageCtx, type FieldErrors } from '../../platform/layout.js';
import { grantsAllow, requires, roleAllows, type Policy } from '../../platform/permissions.js';
import { route, type App } from '../../platform/routes.js';
import { findCommune, findProvince, provinceOf, unitName, type Commune } from '../../units/units.js';
import { submitDossier, type SubmitInput } from '../dossiers.service.js';
import { findDossier } from '../dossiers.store.js';
import { receiptKind } from '../forms/data.js';
import { fieldLinks, type ErrorLink } from './components.js';
import {
  acceptsOnline,
  caseLabel,
  choosableCases,
  effectiveCase,
  fileKey,
  missingAnswers,
  nextStep,
  papersOf,
  previousStep,
  shortPaperName,
  stepIndex,
  stepPath,
  stepsFor,
  submittedFiles,
  type DraftData,
  type DraftMode,
  type Step,
} from './draft.js';
import {
  attachDraftFile,
  countOpenDrafts,
  createDraft,
  deleteDraft,
  findOwnDraft,
  lastAddress,
  listOpenDrafts,
  markDraftSubmitted,
  MAX_OPEN_DRAFTS,
  removeDraftFile,
  saveDraftData,
  setDraftCommune,
  type DraftRow,
  type Who,
} from './drafts.store.js';
import { assistedApplicantSchema, assistedStartSchema, caseSchema, communeSchema, consentSchema, declarationSchema, onlineApplicantSchema } from './submit.schema.js';
import {
  ApplicantPage,
  applicantValues,
  AssistedStartPage,
  CasePage,
  caseOptions,
  CommunePage,
  ConsentPage,
  DeclarationPage,
  DonePage,
  PaperPage,
  ReviewPage,
  StartPage,
  type Frame,
  type PaperView,
} from './submit.views.js';
import { assistedChannel, checkPaperFile } from './intake.js';
import { readUploadPart, TOO_LARGE } from './uploads.js';

interface Flow {
  mode: DraftMode;
  prefix: string;
  policy: Policy;
  final: 'cam-doan' | 'dong-y';
  /** Where "back" goes from the first page, and after a draft is deleted. */
  home: (code: string) => string;
}

const ONLINE: Flow = { mode: 'online', prefix: '/nop-ho-so/ban-nhap', policy: requires('dossier.own'), final: 'cam-doan', home: (code) => `/nop-ho-so/${code}` };
const ASSISTED: Flow = { mode: 'assisted', prefix: '/can-bo/nop-thay/ban-nhap', policy: requires('dossier.submitAssisted'), final: 'dong-y', home: () => '/can-bo/nop-thay' };

interface Loaded {
  flow: Flow;
  draft: DraftRow;
  p: Procedure & { version: number };
  steps: Step[];
  base: string;
  actor: Actor;
  who: Who;
}

const collator = new Intl.Collator('vi');
function byName(a: Commune, b: Commune): number {
  return collator.compare(a.name.replace(/^(Xã|Phường|Đặc khu) /, ''), b.name.replace(/^(Xã|Phường|Đặc khu) /, ''));
}

/** The communes where an official may submit on someone's behalf: their own (a province grant reaches its communes). */
export function assistedCommunes(actor: Actor): Commune[] {
  const out = new Map<string, Commune>();
  for (const g of actor.grants) {
    if (!roleAllows('dossier.submitAssisted', g.role)) continue;
    if (g.unitCode.length === 5) {
      const c = findCommune(g.unitCode)?.commune;
      if (c) out.set(c.code, c);
    } else for (const c of findProvince(g.unitCode)?.communes ?? []) out.set(c.code, c);
  }
  return [...out.values()].sort(byName);
}

function whoOf(c: Ctx): Who {
  const actor = c.get('actor')!;
  return { id: actor.id, label: actorLabel(actor), ip: clientIp(c) };
}

function unknownProcedure(c: Ctx) {
  return c.html(
    <MessagePage ctx={pageCtx(c)} title="Không tìm thấy thủ tục" body="Không có thủ tục nào mang mã này trong danh mục hiện hành. Có thể mã bị gõ sai, hoặc thủ tục đã bị bãi bỏ.">
      <p>
        <a href="/thu-tuc">Xem danh mục thủ tục</a>
      </p>
    </MessagePage>,
    404,
  );
}

async function load(c: Ctx, flow: Flow): Promise<Loaded | Response> {
  const actor = c.get('actor')!;
  const { db } = c.get('deps');
  const draft = await findOwnDraft(db, c.req.param('draftId') ?? '', actor.id);
  if (!draft || draft.data.mode !== flow.mode) return renderError(c, 404);
  // An official who has since lost the role in that commune no longer sees the draft.
  if (flow.mode === 'assisted' && !grantsAllow(actor.grants, 'dossier.submitAssisted', draft.commune_code, provinceOf)) return renderError(c, 404);
  const p = await getProcedure(db, draft.procedure_code);
  if (!p) return unknownProcedure(c);
  return { flow, draft, p, steps: stepsFor(p, draft.data), base: `${flow.prefix}/${draft.id}`, actor, who: whoOf(c) };
}

type DraftHandler = (c: Ctx, l: Loaded) => Response | Promise<Response>;

/** Loads the caller's own draft; a submitted draft only shows its result. */
function withDraft(flow: Flow, handler: DraftHandler, opts: { afterSubmit?: boolean } = {}) {
  return async (c: Ctx) => {
    const l = await load(c, flow);
    if (l instanceof Response) return l;
    if (l.draft.submitted_dossier && !opts.afterSubmit) return c.redirect(`${l.base}/da-nop`, 303);
    return handler(c, l);
  };
}

async function fromReview(c: Ctx): Promise<boolean> {
  if (c.req.method === 'GET') return c.req.query('tu') === 'xem-lai';
  return (await readForm(c)).tu === 'xem-lai';
}

function frameFor(c: Ctx, l: Loaded, step: Step, errors: ErrorLink[], review: boolean): Frame {
  const i = stepIndex(l.steps, step);
  const prev = previousStep(l.steps, step);
  return {
    ctx: pageCtx(c),
    base: l.base,
    procedure: l.p,
    back: review ? `${l.base}/xem-lai` : prev ? `${l.base}/${stepPath(prev)}` : l.flow.home(l.p.code),
    at: i + 1,
    of: l.steps.length,
    errors,
    fromReview: review,
  };
}

/** After saving: the next page of the (possibly changed) draft, or back to the review. */
function goOn(c: Ctx, l: Loaded, step: Step, data: DraftData, review: boolean): Response {
  if (review) return c.redirect(`${l.base}/xem-lai`, 303);
  return c.redirect(`${l.base}/${stepPath(nextStep(stepsFor(l.p, data), step))}`, 303);
}

// ---- Page handlers, shared by both flows ------------------------------------------

async function applicantPage(c: Ctx, l: Loaded, values?: Record<string, string>, errors: FieldErrors = {}) {
  const review = await fromReview(c);
  let v = values;
  if (!v) {
    if (l.draft.data.applicant) v = applicantValues(l.draft.data.applicant);
    else if (l.flow.mode === 'online') {
      // Prefilled from the account; the account has no address, so the last one given.
      v = { full_name: l.actor.fullName, phone: l.actor.phone ?? '', email: l.actor.email ?? '', address: await lastAddress(c.get('deps').db, l.actor.id) };
    } else v = {};
  }
  const step: Step = { id: 'nguoi-nop' };
  return c.html(<ApplicantPage frame={frameFor(c, l, step, fieldLinks(errors), review)} mode={l.flow.mode} values={v} errors={errors} />, Object.keys(errors).length ? 400 : 200);
}

async function saveApplicant(c: Ctx, l: Loaded) {
  const values = await readForm(c);
  const form = l.flow.mode === 'online' ? validate(onlineApplicantSchema, values) : validate(assistedApplicantSchema, values);
  if (!form.ok) return applicantPage(c, l, form.values, form.errors);
  const d = form.data;
  const patch: Partial<DraftData> = { applicant: { name: d.full_name, phone: d.phone, email: d.email, address: d.address } };
  let accountFound = false;
  if (l.flow.mode === 'assisted') {
    const account = d.phone ? await findUserByPhone(c.get('deps').db, d.phone) : undefined;
    accountFound = account?.kind === 'citizen';
    patch.applicantId = accountFound ? account!.id : null;
    patch.accountName = accountFound ? account!.full_name : null;
  }
  await saveDraftData(c.get('deps').db, l.draft.id, l.who, patch, {
    fields: ['applicant_name', 'applicant_phone', 'applicant_email', 'applicant_address'],
    // The official sees the account's name to confirm it is the right person: a read of personal data.
    ...(l.flow.mode === 'assisted' ? { read: accountFound ? ['app_user.full_name'] : [], detail: { accountFound } } : {}),
  });
  return goOn(c, l, { id: 'nguoi-nop' }, { ...l.draft.data, ...patch }, values.tu === 'xem-lai');
}

function communeChoices(c: Ctx, l: Loaded): Commune[] {
  const province = findProvince(provinceOf(l.draft.commune_code) ?? c.get('deps').config.provinces[0] ?? '');
  return [...(province?.communes ?? [])].sort(byName);
}

async function communePage(c: Ctx, l: Loaded, value?: string, errors: FieldErrors = {}) {
  const review = await fromReview(c);
  return c.html(
    <CommunePage frame={frameFor(c, l, { id: 'noi-nop' }, fieldLinks(errors), review)} communes={communeChoices(c, l)} value={value ?? l.draft.commune_code} errors={errors} />,
    Object.keys(errors).length ? 400 : 200,
  );
}

async function saveCommune(c: Ctx, l: Loaded) {
  const values = await readForm(c);
  const form = validate(communeSchema, values);
  const choices = communeChoices(c, l);
  if (!form.ok) return communePage(c, l, values.commune, form.errors);
  if (!choices.some((x) => x.code === form.data.commune)) return communePage(c, l, values.commune, { commune: 'Chọn xã, phường nhận hồ sơ trong danh sách' });
  await setDraftCommune(c.get('deps').db, l.draft.id, l.actor.id, form.data.commune);
  return goOn(c, l, { id: 'noi-nop' }, { ...l.draft.data, communeChosen: true }, values.tu === 'xem-lai');
}

async function casePage(c: Ctx, l: Loaded, value?: string, errors: FieldErrors = {}) {
  const options = choosableCases(l.p);
  if (options.length <= 1) return c.redirect(`${l.base}/tiep-tuc`, 303);
  const review = await fromReview(c);
  const current = value ?? (l.draft.data.caseNo !== undefined ? String(l.draft.data.caseNo) : undefined);
  return c.html(
    <CasePage frame={frameFor(c, l, { id: 'truong-hop' }, fieldLinks(errors), review)} options={caseOptions(l.p, options)} value={current} errors={errors} />,
    Object.keys(errors).length ? 400 : 200,
  );
}

async function saveCase(c: Ctx, l: Loaded) {
  const values = await readForm(c);
  const form = validate(caseSchema, values);
  const options = choosableCases(l.p);
  if (options.length <= 1) return c.redirect(`${l.base}/tiep-tuc`, 303);
  const chosen = form.ok ? Number(form.data.case_no) : NaN;
  if (!options.includes(chosen)) return casePage(c, l, values.case_no, { case_no: 'Chọn trường hợp đúng với bạn' });
  await saveDraftData(c.get('deps').db, l.draft.id, l.who, { caseNo: chosen });
  return goOn(c, l, { id: 'truong-hop' }, { ...l.draft.data, caseNo: chosen }, values.tu === 'xem-lai');
}

/** The paper a path names, in the draft's case; null when there is no such paper. */
function paperOf(c: Ctx, l: Loaded): { caseNo: number; index: number } | 'choose_case' | null {
  const raw = c.req.param('paper') ?? '';
  if (!/^\d{1,3}$/.test(raw)) return null;
  const caseNo = effectiveCase(l.p, l.draft.data);
  if (caseNo === null) return 'choose_case';
  const index = Number(raw);
  return index < papersOf(l.p, caseNo).length ? { caseNo, index } : null;
}

function paperView(l: Loaded, caseNo: number, index: number, review: boolean): PaperView {
  const papers = papersOf(l.p, caseNo);
  const step: Step = { id: 'giay-to', paper: index };
  const next = review ? `${l.base}/xem-lai` : `${l.base}/${stepPath(nextStep(l.steps, step))}`;
  return {
    paper: papers[index]!,
    position: index + 1,
    total: papers.length,
    attached: l.draft.files[fileKey(caseNo, index)]?.[0] ?? null,
    notes: l.p.cases[caseNo]?.notes ?? [],
    action: `${l.base}/giay-to/${index}`,
    removeAction: `${l.base}/giay-to/${index}/xoa`,
    next,
  };
}

async function paperPage(c: Ctx, l: Loaded, errors: FieldErrors = {}, status: 200 | 400 | 413 = 200) {
  const at = paperOf(c, l);
  if (at === 'choose_case') return c.redirect(`${l.base}/truong-hop`, 303);
  if (!at) return renderError(c, 404);
  const review = await fromReview(c);
  const v = paperView(l, at.caseNo, at.index, review);
  let errs = errors;
  if (c.req.method === 'GET' && c.req.query('loi') === 'qua-lon') {
    errs = { tep: TOO_LARGE(shortPaperName(v.paper.name)) };
    status = 413;
  }
  return c.html(<PaperPage frame={frameFor(c, l, { id: 'giay-to', paper: at.index }, fieldLinks(errs), review)} v={v} errors={errs} />, status);
}

async function savePaper(c: Ctx, l: Loaded) {
  const at = paperOf(c, l);
  if (at === 'choose_case') return c.redirect(`${l.base}/truong-hop`, 303);
  if (!at) return renderError(c, 404);
  const values = await readForm(c);
  const review = values.tu === 'xem-lai';
  const paper = papersOf(l.p, at.caseNo)[at.index]!;
  const label = shortPaperName(paper.name);
  const key = fileKey(at.caseNo, at.index);
  const part = await readUploadPart(c);
  if (!part) {
    if (l.draft.files[key]?.length) return goOn(c, l, { id: 'giay-to', paper: at.index }, l.draft.data, review);
    return paperPage(c, l, { tep: `Chọn tệp cho “${label}”, hoặc bấm “Bỏ qua” nếu bạn không có giấy tờ này` }, 400);
  }
  const checked = await checkPaperFile(part, label);
  if (!checked.ok) return paperPage(c, l, { tep: checked.message }, 400);
  const { db, config } = c.get('deps');
  // Stored and attached at once: a dropped connection after this never loses the file.
  const stored = await storeFile(db, config.dataDir, part.bytes, checked.mime);
  await attachDraftFile(db, l.draft.id, l.who, key, { sha256: stored.sha256, fileName: checked.fileName, size: stored.size, mime: checked.mime });
  return goOn(c, l, { id: 'giay-to', paper: at.index }, l.draft.data, review);
}

async function removePaper(c: Ctx, l: Loaded) {
  const at = paperOf(c, l);
  if (at === 'choose_case') return c.redirect(`${l.base}/truong-hop`, 303);
  if (!at) return renderError(c, 404);
  await removeDraftFile(c.get('deps').db, l.draft.id, l.actor.id, fileKey(at.caseNo, at.index));
  return c.redirect(`${l.base}/giay-to/${at.index}`, 303);
}

async function reviewPage(c: Ctx, l: Loaded) {
  const data = l.draft.data;
  const caseNo = effectiveCase(l.p, data);
  if (caseNo === null) return c.redirect(`${l.base}/truong-hop`, 303);
  const c0 = l.p.cases[caseNo];
  return c.html(
    <ReviewPage
      frame={frameFor(c, l, { id: 'xem-lai' }, [], false)}
      v={{
        mode: l.flow.mode,
        applicant: data.applicant,
        accountName: data.applicantId ? (data.accountName ?? null) : null,
        commune: unitName(l.draft.commune_code) ?? l.draft.commune_code,
        caseName: choosableCases(l.p).length > 1 && c0 ? caseLabel(c0, caseNo) : null,
        papers: papersOf(l.p, caseNo).map((paper, i) => ({ step: { id: 'giay-to', paper: i }, name: paper.name, file: l.draft.files[fileKey(caseNo, i)]?.[0] ?? null })),
        next: `${l.base}/${l.flow.final}`,
      }}
    />,
  );
}

function missingLinks(l: Loaded): ErrorLink[] {
  return missingAnswers(l.p, l.draft.data, l.draft.files).map((m) => ({ href: `${l.base}/${stepPath(m.step)}`, text: m.message }));
}

function finalPage(c: Ctx, l: Loaded, errors: FieldErrors = {}, extra: ErrorLink[] = [], status: 200 | 400 = 200) {
  const links = [...extra, ...missingLinks(l), ...fieldLinks(errors)];
  const step: Step = { id: l.flow.final };
  const frame = frameFor(c, l, step, links, false);
  if (l.flow.mode === 'online') return c.html(<DeclarationPage frame={frame} draftId={l.draft.id} errors={errors} />, status);
  return c.html(
    <ConsentPage frame={frame} draftId={l.draft.id} official={l.actor.fullName} now={c.get('deps').clock.now()} channel={assistedChannel(l.actor, l.draft.commune_code)} errors={errors} />,
    status,
  );
}

/** submitDossier's field errors → the page that fixes each. */
function serviceErrorLinks(l: Loaded, errors: Record<string, string>): { links: ErrorLink[]; fields: FieldErrors } {
  const links: ErrorLink[] = [];
  const fields: FieldErrors = {};
  for (const [k, text] of Object.entries(errors)) {
    if (k === 'consent') fields.dong_y = text;
    else if (k === 'applicant_name') links.push({ href: `${l.base}/nguoi-nop`, text });
    else if (k === 'case_no') links.push({ href: `${l.base}/truong-hop`, text });
    else links.push({ href: l.flow.home(l.p.code), text });
  }
  return { links, fields };
}

async function submit(c: Ctx, l: Loaded) {
  const values = await readForm(c);
  const form = l.flow.mode === 'online' ? validate(declarationSchema, values) : validate(consentSchema, values);
  if (!form.ok) return finalPage(c, l, form.errors, [], 400);
  // The key is the draft: one draft, one dossier, however many times the form arrives.
  if (form.data.idempotency_key !== l.draft.id) return finalPage(c, l, {}, [{ href: `${l.base}/${l.flow.final}`, text: 'Trang đã cũ: tải lại trang rồi nộp lại' }], 400);
  if (missingLinks(l).length) return finalPage(c, l, {}, [], 400);
  const data = l.draft.data;
  const a = data.applicant!;
  const { db } = c.get('deps');
  const input: SubmitInput = {
    communeCode: l.draft.commune_code,
    procedureCode: l.p.code,
    caseNo: effectiveCase(l.p, data) ?? 0,
    applicant: { id: l.flow.mode === 'online' ? l.actor.id : (data.applicantId ?? null), name: a.name, phone: a.phone, email: a.email, address: a.address },
    channel: l.flow.mode === 'online' ? 'online' : assistedChannel(l.actor, l.draft.commune_code),
    assistedBy: l.flow.mode === 'assisted' ? { id: l.actor.id, label: actorLabel(l.actor) } : null,
    consent: l.flow.mode === 'assisted',
    idempotencyKey: l.draft.id,
    files: submittedFiles(l.p, data, l.draft.files),
    actorLabel: actorLabel(l.actor),
    ip: clientIp(c),
    procedure: l.p,
  };
  const outcome = await submitDossier(await dossierDeps(c), input);
  if (!outcome.ok) {
    const mapped = serviceErrorLinks(l, outcome.errors);
    return finalPage(c, l, mapped.fields, mapped.links, 400);
  }
  await markDraftSubmitted(db, l.draft.id, l.actor.id, outcome.dossier.id);
  return c.redirect(`${l.base}/da-nop`, 303);
}

async function donePage(c: Ctx, l: Loaded) {
  if (!l.draft.submitted_dossier) return c.redirect(`${l.base}/tiep-tuc`, 303);
  const d = await findDossier(c.get('deps').db, l.draft.commune_code, l.draft.submitted_dossier);
  if (!d) return renderError(c, 404);
  const works = l.flow.mode === 'assisted' && grantsAllow(l.actor.grants, 'dossier.work', d.commune_code, provinceOf);
  // The receipt the applicant can hold now: until an officer receives the dossier, the receipt of submission (no
  // appointment yet), then form 01; none once refused or withdrawn. The citizen's own route is theirs alone; whoever
  // submitted for them prints it through this draft.
  const kind = receiptKind(d);
  const receipt = kind ? { kind, href: l.flow.mode === 'online' ? `/ho-so/${d.id}/bien-nhan.pdf` : `${l.base}/bien-nhan.pdf` } : null;
  const office = works ? `/can-bo/xa/${d.commune_code}/ho-so/${d.id}` : null;
  return c.html(<DonePage ctx={pageCtx(c)} d={d} procedureName={l.p.name} mode={l.flow.mode} trackUrl={`/tra-cuu?ma=${encodeURIComponent(d.code)}`} receipt={receipt} office={office} />);
}

function resume(c: Ctx, l: Loaded) {
  const first = missingAnswers(l.p, l.draft.data, l.draft.files)[0];
  return c.redirect(`${l.base}/${first ? stepPath(first.step) : 'xem-lai'}`, 303);
}

async function removeDraft(c: Ctx, l: Loaded) {
  await deleteDraft(c.get('deps').db, l.draft.id, l.who);
  return c.redirect(l.flow.mode === 'online' ? '/ho-so-cua-toi?da=xoa-ban-nhap' : '/can-bo/nop-thay', 303);
}

function registerDraftPages(app: App, flow: Flow): void {
  const at = (suffix: string) => `${flow.prefix}/:draftId/${suffix}`;
  const p = flow.policy;
  route(app, 'GET', at('tiep-tuc'), p, withDraft(flow, resume));
  route(app, 'GET', at('nguoi-nop'), p, withDraft(flow, (c, l) => applicantPage(c, l)));
  route(app, 'POST', at('nguoi-nop'), p, withDraft(flow, saveApplicant));
  if (flow.mode === 'online') {
    route(app, 'GET', at('noi-nop'), p, withDraft(flow, (c, l) => communePage(c, l)));
    route(app, 'POST', at('noi-nop'), p, withDraft(flow, saveCommune));
  }
  route(app, 'GET', at('truong-hop'), p, withDraft(flow, (c, l) => casePage(c, l)));
  route(app, 'POST', at('truong-hop'), p, withDraft(flow, saveCase));
  route(app, 'GET', at('giay-to/:paper'), p, withDraft(flow, (c, l) => paperPage(c, l)));
  route(app, 'POST', at('giay-to/:paper'), p, withDraft(flow, savePaper));
  route(app, 'POST', at('giay-to/:paper/xoa'), p, withDraft(flow, removePaper));
  route(app, 'GET', at('xem-lai'), p, withDraft(flow, reviewPage));
  route(app, 'GET', at(flow.final), p, withDraft(flow, (c, l) => finalPage(c, l)));
  route(app, 'POST', at(flow.final), p, withDraft(flow, submit));
  route(app, 'GET', at('da-nop'), p, withDraft(flow, donePage, { afterSubmit: true }));
  route(app, 'POST', at('xoa'), p, withDraft(flow, removeDraft));
}

// ---- Starting a draft ---------------------------------------------------------------

async function startPage(c: Ctx, errors: string[] = []) {
  const { db } = c.get('deps');
  const p = await getProcedure(db, c.req.param('code') ?? '');
  if (!p) return unknownProcedure(c);
  const drafts = (await listOpenDrafts(db, c.get('actor')!.id, 'online')).filter((d) => d.procedure_code === p.code);
  return c.html(<StartPage ctx={pageCtx(c)} p={p} online={acceptsOnline(p)} drafts={drafts} errors={errors} />, errors.length ? 400 : 200);
}

const TOO_MANY = `Bạn đang có ${MAX_OPEN_DRAFTS} bản nháp chưa nộp. Hãy nộp hoặc xóa bớt bản nháp trong mục “Hồ sơ của tôi” rồi bắt đầu lại.`;

async function startOnline(c: Ctx) {
  const { db } = c.get('deps');
  const p = await getProcedure(db, c.req.param('code') ?? '');
  if (!p) return unknownProcedure(c);
  if (!acceptsOnline(p)) return startPage(c);
  const actor = c.get('actor')!;
  if ((await countOpenDrafts(db, actor.id)) >= MAX_OPEN_DRAFTS) return startPage(c, [TOO_MANY]);
  const home = (await findUserById(db, actor.id))?.home_commune_code ?? null;
  // Default: the home commune; without one, a commune of the deployment's province (XASO_PROVINCE) until the citizen chooses.
  const commune = home && findCommune(home) ? home : findProvince(c.get('deps').config.provinces[0] ?? '')?.communes[0]?.code;
  if (!commune) return startPage(c);
  const id = await createDraft(db, whoOf(c), { communeCode: commune, procedureCode: p.code, data: { mode: 'online', communeChosen: false } });
  return c.redirect(`${ONLINE.prefix}/${id}/nguoi-nop`, 303);
}

async function assistedStartPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const actor = c.get('actor')!;
  const communes = assistedCommunes(actor);
  const drafts = await listOpenDrafts(c.get('deps').db, actor.id, 'assisted');
  const names = new Map(drafts.map((d) => [d.id, d.data.applicant?.name ? `${d.data.applicant.name}` : 'Chưa nhập tên người dân']));
  const v = { procedure_code: values.procedure_code ?? c.req.query('ma') ?? '', commune: values.commune ?? communes[0]?.code ?? '' };
  return c.html(<AssistedStartPage ctx={pageCtx(c)} communes={communes} values={v} errors={errors} drafts={drafts} names={names} />, Object.keys(errors).length ? 400 : 200);
}

async function startAssisted(c: Ctx) {
  const values = await readForm(c);
  const form = validate(assistedStartSchema, values);
  if (!form.ok) return assistedStartPage(c, values, form.errors);
  const actor = c.get('actor')!;
  const { db } = c.get('deps');
  const p = await getProcedure(db, form.data.procedure_code);
  if (!p) return assistedStartPage(c, values, { procedure_code: 'Không có thủ tục mang mã này: kiểm tra lại mã, ví dụ 1.001193' });
  const communes = assistedCommunes(actor);
  // The receiving commune is the official's own: a commune outside their grants is refused, whatever the form says.
  const commune = communes.length === 1 && !form.data.commune ? communes[0]! : communes.find((x) => x.code === form.data.commune);
  if (!commune) return assistedStartPage(c, values, { commune: 'Chọn xã, phường nơi bạn làm việc' });
  if ((await countOpenDrafts(db, actor.id)) >= MAX_OPEN_DRAFTS) return assistedStartPage(c, values, { procedure_code: TOO_MANY });
  const id = await createDraft(db, whoOf(c), { communeCode: commune.code, procedureCode: p.code, data: { mode: 'assisted', channel: assistedChannel(actor, commune.code) } });
  return c.redirect(`${ASSISTED.prefix}/${id}/nguoi-nop`, 303);
}

export function registerSubmitRoutes(app: App): void {
  route(app, 'GET', '/nop-ho-so/:code', ONLINE.policy, (c) => startPage(c));
  route(app, 'POST', '/nop-ho-so/:code', ONLINE.policy, startOnline);
  registerDraftPages(app, ONLINE);

  route(app, 'GET', '/can-bo/nop-thay', ASSISTED.policy, (c) => assistedStartPage(c));
  route(app, 'POST', '/can-bo/nop-thay', ASSISTED.policy, startAssisted);
  registerDraftPages(app, ASSISTED);
}
