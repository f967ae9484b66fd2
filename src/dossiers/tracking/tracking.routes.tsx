/**
 * Following a dossier: the public look-up (`/tra-cuu`, code + last four phone
 * digits, reached from the receipt's QR code), the citizen's own list and
 * dossier pages, supplementary papers while a supplement is awaited, and the
 * satisfaction rating once the result is returned.
 */
import { z } from 'zod';
import { actorLabel, clientIp, type Ctx } from '../../platform/context.js';
import { renderError } from '../../platform/errors.js';
import { storeFile } from '../../platform/files.js';
import { readForm, validate } from '../../platform/forms.js';
import { pageCtx, type FieldErrors } from '../../platform/layout.js';
import { PUBLIC, requires } from '../../platform/permissions.js';
import { route, type App } from '../../platform/routes.js';
import { unitName } from '../../units/units.js';
import { deadlineState, deadlineWindow } from '../deadline.js';
import { dossierDeps, todayOf } from '../deps.js';
import { act, attachSupplement, procedureOf, rateDossier, workflowRolesFor } from '../dossiers.service.js';
import { listEvents, type DossierRow } from '../dossiers.store.js';
import { normaliseDigits, trackDossier } from './lookup.js';
import { STATUS } from '../workflow.js';
import { vnDate, type ErrorLink } from '../submit/components.js';
import { shortPaperName } from '../submit/draft.js';
import { listOpenDrafts } from '../submit/drafts.store.js';
import type { PaperView } from '../submit/submit.views.js';
import { checkPaperFile } from '../submit/intake.js';
import { readUploadPart, TOO_LARGE } from '../submit/uploads.js';
import { buildTimeline, dueNote, waitingNote } from './timeline.js';
import { findOwnDossier, listAttached, listOwnDossiers, supplementRequestedAt, type OwnDossier } from './tracking.store.js';
import { DossierPage, MyDossiersPage, SupplementPaperPage, TrackPage, type DossierView, type TrackResult } from './tracking.views.js';

const OWN = requires('dossier.own');
const OTHER_PAPER = 'Giấy tờ khác theo yêu cầu bổ sung';

/** The same words for an unknown code and a wrong phone: the page must not tell which. */
export const NOT_FOUND_MESSAGE = 'Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này. Kiểm tra lại mã trên giấy biên nhận và số điện thoại đã dùng khi nộp.';

async function overdue(c: Ctx, d: Pick<DossierRow, 'status' | 'due_date' | 'working_days'>): Promise<boolean> {
  const { calendar, clock } = await dossierDeps(c);
  return deadlineState(d, deadlineWindow(todayOf(clock), calendar)) === 'overdue';
}

// ---- Public look-up ----------------------------------------------------------------

function trackPage(c: Ctx, values: { ma: string; so: string }, opts: { errors?: FieldErrors; messages?: ErrorLink[]; result?: TrackResult | null; status?: 200 | 400 | 404 | 429 } = {}) {
  return c.html(<TrackPage ctx={pageCtx(c)} values={values} errors={opts.errors ?? {}} messages={opts.messages ?? []} result={opts.result ?? null} />, opts.status ?? 200);
}

async function track(c: Ctx) {
  const rawSo = c.req.query('so');
  // Typed values come back as typed (only spaces dropped), so a mistake is fixed, not retyped.
  const values = { ma: (c.req.query('ma') ?? '').replace(/\s+/g, '').slice(0, 60), so: normaliseDigits(rawSo ?? '') };
  // The receipt's QR code carries only the code: prefill it and ask for the digits.
  if (rawSo === undefined) return trackPage(c, values);
  const outcome = await trackDossier(c.get('deps'), clientIp(c), { code: values.ma, digits: values.so });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'invalid':
        return trackPage(c, values, { errors: { ...(outcome.fields.code ? { ma: outcome.fields.code } : {}), ...(outcome.fields.digits ? { so: outcome.fields.digits } : {}) }, status: 400 });
      case 'rate_limited':
        return trackPage(c, values, { messages: [{ href: '#f-ma', text: c.get('t')('error.ratelimited', { minutes: outcome.minutes }) }], status: 429 });
      case 'not_found':
        return trackPage(c, values, { messages: [{ href: '#f-ma', text: NOT_FOUND_MESSAGE }], status: 404 });
    }
  }
  const found = outcome.found;
  const { dossier: d, events } = found;
  const result: TrackResult = {
    code: d.code,
    procedureName: found.procedureName ?? d.procedure_code,
    commune: unitName(d.commune_code) ?? d.commune_code,
    status: d.status,
    due: dueNote(d, vnDate),
    waiting: waitingNote(d, events),
    overdue: await overdue(c, d),
    timeline: buildTimeline(d, events, 'public'),
  };
  return trackPage(c, values, { result });
}

// ---- The owner's dossier ---------------------------------------------------------------

const NOTICES: Record<string, string> = {
  'tai-len': 'Đã tải lên giấy tờ bổ sung. Tải lên hết các giấy tờ được yêu cầu rồi bấm “Nộp bổ sung”.',
  'bo-sung': 'Đã nộp bổ sung. Cán bộ sẽ kiểm tra và báo cho bạn qua tin nhắn.',
  'danh-gia': 'Cảm ơn bạn đã đánh giá.',
};

async function paperNames(c: Ctx, d: OwnDossier): Promise<string[]> {
  const p = await procedureOf(c.get('deps').db, d);
  return (p?.cases[d.case_no]?.papers ?? []).map((x) => x.name);
}

async function dossierView(c: Ctx, d: OwnDossier): Promise<DossierView> {
  const { db } = c.get('deps');
  const [events, files, names] = await Promise.all([listEvents(db, d.commune_code, d.id), listAttached(db, d.commune_code, d.id), paperNames(c, d)]);
  const named = files.map((f) => ({ ...f, paper: names[f.paper_no] ?? OTHER_PAPER }));
  let supplement: DossierView['supplement'] = null;
  if (d.status === STATUS.supplementRequested) {
    const since = await supplementRequestedAt(db, d.commune_code, d.id);
    supplement = {
      papers: [...names, OTHER_PAPER].map((name, no) => ({ no, name })),
      added: named.filter((f) => since && f.attached_at >= since),
    };
  }
  return {
    d,
    commune: unitName(d.commune_code) ?? d.commune_code,
    due: dueNote(d, vnDate),
    waiting: waitingNote(d, events),
    overdue: await overdue(c, d),
    timeline: buildTimeline(d, events, 'owner'),
    files: named,
    supplement,
  };
}

async function dossierPage(c: Ctx, opts: { d?: OwnDossier; errors?: FieldErrors; messages?: ErrorLink[]; values?: Record<string, string>; status?: 200 | 400 | 409 } = {}) {
  const d = opts.d ?? (await findOwnDossier(c.get('deps').db, c.req.param('id') ?? '', c.get('actor')!.id));
  if (!d) return renderError(c, 404);
  const da = c.req.method === 'GET' ? c.req.query('da') : undefined;
  return c.html(
    <DossierPage ctx={pageCtx(c)} v={await dossierView(c, d)} errors={opts.errors ?? {}} messages={opts.messages ?? []} notice={da ? (NOTICES[da] ?? null) : null} values={opts.values ?? {}} />,
    opts.status ?? 200,
  );
}

/** The owner's dossier from the path, or the answer to give instead. */
async function ownDossier(c: Ctx): Promise<OwnDossier | Response> {
  const d = await findOwnDossier(c.get('deps').db, c.req.param('id') ?? '', c.get('actor')!.id);
  return d ?? renderError(c, 404);
}

async function supplementTarget(c: Ctx, d: OwnDossier): Promise<{ no: number; name: string } | null> {
  const raw = c.req.param('paper') ?? '';
  if (!/^\d{1,3}$/.test(raw)) return null;
  const names = [...(await paperNames(c, d)), OTHER_PAPER];
  const no = Number(raw);
  return no < names.length ? { no, name: names[no]! } : null;
}

async function supplementPage(c: Ctx, d: OwnDossier, target: { no: number; name: string }, errors: FieldErrors = {}, status: 200 | 400 | 413 = 200) {
  const { db } = c.get('deps');
  const since = await supplementRequestedAt(db, d.commune_code, d.id);
  const added = (await listAttached(db, d.commune_code, d.id)).filter((f) => f.paper_no === target.no && since && f.attached_at >= since).map((f) => f.file_name);
  const total = (await paperNames(c, d)).length + 1;
  const v: PaperView = {
    paper: { name: target.name, originals: 0, copies: 0, forms: [] },
    position: target.no + 1,
    total,
    attached: null,
    notes: [],
    action: `/ho-so/${d.id}/bo-sung/${target.no}`,
    removeAction: null,
    next: `/ho-so/${d.id}`,
    added,
    skipLabel: 'Quay lại hồ sơ',
    submitLabel: 'Tải lên',
  };
  let errs = errors;
  if (c.req.method === 'GET' && c.req.query('loi') === 'qua-lon') {
    errs = { tep: TOO_LARGE(shortPaperName(target.name)) };
    status = 413;
  }
  return c.html(<SupplementPaperPage ctx={pageCtx(c)} code={d.code} dossierId={d.id} v={v} errors={errs} />, status);
}

const ratingSchema = z.object({
  diem: z.string({ error: 'Chọn mức độ hài lòng của bạn' }).regex(/^[1-5]$/, 'Chọn mức độ hài lòng của bạn'),
  y_kien: z
    .string()
    .trim()
    .max(1000, 'Góp ý quá dài: tối đa 1.000 ký tự')
    .optional()
    .transform((s) => (s ? s : null)),
});

const versionSchema = z.object({ version: z.string().regex(/^\d{1,9}$/) });

export function registerTrackingRoutes(app: App): void {
  route(app, 'GET', '/tra-cuu', PUBLIC, (c) => track(c));

  route(app, 'GET', '/ho-so-cua-toi', OWN, async (c) => {
    const { db } = c.get('deps');
    const actor = c.get('actor')!;
    const [drafts, dossiers] = await Promise.all([listOpenDrafts(db, actor.id, 'online'), listOwnDossiers(db, actor.id)]);
    return c.html(<MyDossiersPage ctx={pageCtx(c)} drafts={drafts} dossiers={dossiers} notice={c.req.query('da')} />);
  });

  route(app, 'GET', '/ho-so/:id', OWN, (c) => dossierPage(c));

  route(app, 'GET', '/ho-so/:id/bo-sung/:paper', OWN, async (c) => {
    const d = await ownDossier(c);
    if (d instanceof Response) return d;
    if (d.status !== STATUS.supplementRequested) return c.redirect(`/ho-so/${d.id}`, 303);
    const target = await supplementTarget(c, d);
    if (!target) return renderError(c, 404);
    return supplementPage(c, d, target);
  });

  route(app, 'POST', '/ho-so/:id/bo-sung/:paper', OWN, async (c) => {
    const d = await ownDossier(c);
    if (d instanceof Response) return d;
    const target = await supplementTarget(c, d);
    if (!target) return renderError(c, 404);
    if (d.status !== STATUS.supplementRequested) return dossierPage(c, { d, messages: [{ href: '#main', text: 'Hồ sơ không còn chờ bổ sung giấy tờ, nên không tải thêm được.' }], status: 409 });
    const part = await readUploadPart(c);
    const label = shortPaperName(target.name);
    if (!part) return supplementPage(c, d, target, { tep: `Chọn tệp cho “${label}”` }, 400);
    const checked = await checkPaperFile(part, label);
    if (!checked.ok) return supplementPage(c, d, target, { tep: checked.message }, 400);
    const { db, config } = c.get('deps');
    const actor = c.get('actor')!;
    const stored = await storeFile(db, config.dataDir, part.bytes, checked.mime);
    const added = await attachSupplement(await dossierDeps(c), {
      dossierId: d.id,
      applicantId: actor.id,
      file: { paperNo: target.no, sha256: stored.sha256, fileName: checked.fileName },
      actorLabel: actorLabel(actor),
      ip: clientIp(c),
    });
    if (!added.ok) return dossierPage(c, { messages: [{ href: '#main', text: 'Hồ sơ không còn chờ bổ sung giấy tờ, nên không tải thêm được.' }], status: 409 });
    return c.redirect(`/ho-so/${d.id}?da=tai-len#bo-sung`, 303);
  });

  route(app, 'POST', '/ho-so/:id/nop-bo-sung', OWN, async (c) => {
    const d = await ownDossier(c);
    if (d instanceof Response) return d;
    const form = validate(versionSchema, await readForm(c));
    const stale = { href: `/ho-so/${d.id}`, text: 'Trang đã cũ: tải lại trang rồi nộp bổ sung lại' };
    if (!form.ok) return dossierPage(c, { d, messages: [stale], status: 400 });
    const { db } = c.get('deps');
    if (d.status === STATUS.supplementRequested) {
      const since = await supplementRequestedAt(db, d.commune_code, d.id);
      const added = (await listAttached(db, d.commune_code, d.id)).some((f) => since && f.attached_at >= since);
      if (!added) return dossierPage(c, { d, messages: [{ href: '#bo-sung', text: 'Tải lên ít nhất một giấy tờ bổ sung trước khi bấm “Nộp bổ sung”' }], status: 400 });
    }
    const actor = c.get('actor')!;
    const outcome = await act(
      await dossierDeps(c),
      {
        communeCode: d.commune_code,
        dossierId: d.id,
        action: 'resubmit',
        expectedVersion: Number(form.data.version),
        actor: { id: actor.id, label: actorLabel(actor), roles: workflowRolesFor(actor, d) },
        ip: clientIp(c),
      },
    );
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return renderError(c, 404);
      // A stale version (someone acted first) or a dossier no longer awaiting papers: say so plainly.
      return dossierPage(c, { messages: [{ href: `/ho-so/${d.id}`, text: outcome.message }], status: 409 });
    }
    return c.redirect(`/ho-so/${d.id}?da=bo-sung`, 303);
  });

  route(app, 'POST', '/ho-so/:id/danh-gia', OWN, async (c) => {
    const d = await ownDossier(c);
    if (d instanceof Response) return d;
    const values = await readForm(c);
    const form = validate(ratingSchema, values);
    if (!form.ok) return dossierPage(c, { d, errors: form.errors, values, status: 400 });
    const actor = c.get('actor')!;
    const outcome = await rateDossier(await dossierDeps(c), {
      dossierId: d.id,
      applicantId: actor.id,
      rating: Number(form.data.diem),
      comment: form.data.y_kien,
      actorLabel: actorLabel(actor),
      ip: clientIp(c),
    });
    if (!outcome.ok && outcome.code === 'not_found') return renderError(c, 404);
    if (!outcome.ok && outcome.code === 'already_rated') return dossierPage(c, { messages: [{ href: '#danh-gia', text: 'Bạn đã đánh giá hồ sơ này rồi. Mỗi hồ sơ chỉ đánh giá một lần.' }], status: 409 });
    if (!outcome.ok) return dossierPage(c, { d, messages: [{ href: '#main', text: 'Chỉ đánh giá được khi hồ sơ đã trả kết quả.' }], status: 409 });
    return c.redirect(`/ho-so/${d.id}?da=danh-gia#danh-gia`, 303);
  });
}
