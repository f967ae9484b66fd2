/**
 * Back-office pages for officials of a commune: work queues, the dossier page,
 * one POST per workflow action (303 to the dossier page; a stale version
 * answers 409 with the page re-rendered), and downloads of attached files.
 */
import { appendAudit } from '../../platform/audit.js';
import { actorLabel, clientIp, type Ctx } from '../../platform/context.js';
import { renderError } from '../../platform/errors.js';
import { readStoredFile } from '../../platform/files.js';
import { readForm } from '../../platform/forms.js';
import { pageCtx } from '../../platform/layout.js';
import { grantsAllow, requires } from '../../platform/permissions.js';
import { route, type App } from '../../platform/routes.js';
import { findCommune, findProvince, provinceOf, type Commune } from '../../units/units.js';
import { procedureOf, type ActOutcome } from '../dossiers.service.js';
import { SUPPLEMENT_HEADING } from '../forms/format.js';
import { TRANSITIONS, type ActionName } from '../workflow.js';
import { DossierPage, QueuePage, type Posted } from './office.pages.js';
import { dossierDeps, todayOf } from '../deps.js';
import { auditView, loadView, runAction, type ActionRequest } from './office.service.js';
import { fileOf, findForUnit, queuePage, type FullDossier } from './office.store.js';
import { ACTION_BY_SLUG, ACTION_SLUGS, dossierUrl, queueUrl } from './office.view.js';
import { queueCounts, queuePageCacheOf } from './queue-counts.js';
import { branches, deadlineWindow, decodeCursor, encodeCursor, queueBySlug, queueInfo, type QueueId } from './queues.js';

const WORK = requires('dossier.work', 'commune');
export const PAGE_SIZE = 50;

function communeOf(c: Ctx): Commune | null {
  const code = c.req.param('commune') ?? '';
  return /^\d{5}$/.test(code) ? (findCommune(code)?.commune ?? null) : null;
}

/** The queue an official most likely wants first, by role. */
function defaultQueue(c: Ctx, commune: string): QueueId {
  const roles = new Set(c.get('actor')!.grants.filter((g) => g.unitCode === commune || g.unitCode === provinceOf(commune)).map((g) => g.role));
  if (roles.has('receiving_officer')) return 'receive';
  if (roles.has('specialist')) return 'process';
  if (roles.has('commune_leader')) return 'approve';
  return 'overdue';
}

/** Units a dossier may be transferred to: the communes of its province and the province itself. */
function transferUnits(commune: string): { value: string; label: string }[] {
  const province = findProvince(provinceOf(commune) ?? '');
  if (!province) return [];
  return [{ value: province.code, label: `${province.name} (cấp tỉnh)` }, ...province.communes.map((c) => ({ value: c.code, label: c.name }))];
}

async function renderDossier(c: Ctx, commune: Commune, d: FullDossier, posted: Posted = {}, status: 200 | 400 | 404 | 409 | 422 = 200, done: ActionName | null = null) {
  const { db } = c.get('deps');
  const actor = c.get('actor')!;
  const { calendar, clock } = await dossierDeps(c);
  const v = await loadView(db, calendar, todayOf(clock), actor, d);
  await auditView(db, actor, d, 'page', clientIp(c));
  return c.html(<DossierPage ctx={pageCtx(c)} commune={commune} v={v} posted={posted} done={done} transferUnits={transferUnits(commune.code)} />, status);
}

/** Builds the note an action records from the page's fields (ticked papers become words in the record). */
function noteFrom(action: ActionName, values: Record<string, string>, papers: string[]): { note: string; errors: Record<string, string> } {
  const ticked = (prefix: string) =>
    Object.keys(values)
      .flatMap((k) => (k.startsWith(`${prefix}_`) && /^\d{1,3}$/.test(k.slice(prefix.length + 1)) ? [Number(k.slice(prefix.length + 1))] : []))
      .filter((n) => n < papers.length)
      .sort((a, b) => a - b);
  const typed = (values.note ?? '').trim();
  if (action === 'accept') {
    const got = ticked('checked');
    if (papers.length && got.length === 0) return { note: typed, errors: { checked: 'Đánh dấu các giấy tờ đã kiểm tra trước khi tiếp nhận' } };
    const list = got.length ? `Giấy tờ đã kiểm tra: ${got.map((n) => `(${n + 1}) ${papers[n]!.slice(0, 120)}`).join('; ')}.` : '';
    return { note: [list, typed].filter(Boolean).join('\n'), errors: {} };
  }
  if (action === 'request_supplement') {
    const missing = ticked('missing').map((n) => `- ${papers[n]!.slice(0, 300)}`);
    return { note: [missing.length ? `${SUPPLEMENT_HEADING}\n${missing.join('\n')}` : '', typed].filter(Boolean).join('\n'), errors: {} };
  }
  return { note: typed, errors: {} };
}

const STATUS_OF: Record<Exclude<ActOutcome, { ok: true }>['code'], 400 | 404 | 409 | 422> = { invalid: 400, not_found: 404, conflict: 409, refused: 422 };

export function registerDossierOffice(app: App): void {
  route(app, 'GET', '/can-bo/xa/:commune/ho-so', WORK, async (c) => {
    const commune = communeOf(c);
    if (!commune) return renderError(c, 404);
    const { db, engine } = c.get('deps');
    const actor = c.get('actor')!;
    const asked = c.req.query('hang');
    const queue = asked ? queueBySlug(asked) : queueInfo(defaultQueue(c, commune.code));
    if (!queue) return renderError(c, 404, 'Không có hàng hồ sơ này. Chọn một hàng trong danh sách.');
    const after = c.req.query('sau');
    const cursor = after ? decodeCursor(after) : null;
    if (cursor === undefined) return renderError(c, 400, 'Đường dẫn trang không hợp lệ: quay về đầu danh sách.');
    const mine = queue.id === 'process' && c.req.query('cua-toi') === '1';
    const { calendar, clock } = await dossierDeps(c);
    const w = deadlineWindow(todayOf(clock), calendar);
    const pageNow = () => queuePage(db, commune.code, branches(queue.id, w), { cursor, limit: PAGE_SIZE, mine: mine ? actor.id : null });
    const pageKey = [commune.code, queue.id, w.today, w.riskEnd, mine ? actor.id : '', cursor ? encodeCursor(cursor) : ''].join(' ');
    const [counts, page] = await Promise.all([
      queueCounts(db, commune.code, actor.id, w),
      engine === 'pglite' ? queuePageCacheOf(db).get(pageKey, pageNow) : pageNow(),
    ]);
    const extra = mine ? '&cua-toi=1' : '';
    return c.html(
      <QueuePage
        ctx={pageCtx(c)}
        commune={commune}
        queue={queue}
        counts={counts}
        items={page.items}
        nextUrl={page.next ? `${queueUrl(commune.code, queue.slug, extra)}&sau=${encodeCursor(page.next)}#hang` : null}
        firstUrl={cursor ? `${queueUrl(commune.code, queue.slug, extra)}#hang` : null}
        mine={mine}
        today={w.today}
        riskEnd={w.riskEnd}
        trackingBook={grantsAllow(actor.grants, 'dossier.trackingBook', commune.code, provinceOf)}
        done={c.req.query('da') === ACTION_SLUGS.transfer ? 'Đã chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết: hồ sơ không còn trong danh sách của xã.' : null}
      />,
    );
  });

  route(app, 'GET', '/can-bo/xa/:commune/ho-so/:id', WORK, async (c) => {
    const commune = communeOf(c);
    const d = commune ? await findForUnit(c.get('deps').db, commune.code, c.req.param('id') ?? '') : undefined;
    if (!commune || !d) return renderError(c, 404);
    const da = ACTION_BY_SLUG.get(c.req.query('da') ?? '') ?? null;
    return renderDossier(c, commune, d, {}, 200, da);
  });

  route(app, 'GET', '/can-bo/xa/:commune/ho-so/:id/tep/:sha256', WORK, async (c) => {
    const commune = communeOf(c);
    const { db, config } = c.get('deps');
    const d = commune ? await findForUnit(db, commune.code, c.req.param('id') ?? '') : undefined;
    const file = d ? await fileOf(db, d, c.req.param('sha256') ?? '') : undefined;
    if (!commune || !d || !file) return renderError(c, 404);
    let bytes: Buffer;
    try {
      bytes = await readStoredFile(config.dataDir, file.sha256);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return renderError(c, 404, 'Tệp này không còn trên máy chủ. Báo quản trị hệ thống.');
      throw err;
    }
    const actor = c.get('actor')!;
    await db.transaction().execute((tx) =>
      appendAudit(tx, {
        actorId: actor.id,
        actorLabel: actorLabel(actor),
        unitCode: d.commune_code,
        action: 'dossier.file_download',
        subjectType: 'dossier',
        subjectId: d.id,
        pdRead: ['dossier_file'],
        ip: clientIp(c),
        detail: { code: d.code, paper: file.paper_no, sha256: file.sha256 },
      }),
    );
    const ascii = file.file_name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': file.mime,
      'content-length': String(bytes.byteLength),
      // A download, never rendered in the portal's origin; the name as the citizen gave it.
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
      'cache-control': 'private, no-store',
    });
  });

  for (const t of TRANSITIONS) {
    const slug = ACTION_SLUGS[t.action];
    route(app, 'POST', `/can-bo/xa/:commune/ho-so/:id/${slug}`, WORK, async (c) => {
      const commune = communeOf(c);
      const { db } = c.get('deps');
      const d = commune ? await findForUnit(db, commune.code, c.req.param('id') ?? '') : undefined;
      if (!commune || !d) return renderError(c, 404);
      const values = await readForm(c);
      const version = /^\d{1,9}$/.test(values.version ?? '') ? Number(values.version) : null;
      if (version === null) return renderDossier(c, commune, d, { message: 'Thiếu phiên bản hồ sơ: tải lại trang rồi thao tác lại.' }, 400);
      const papers = t.action === 'accept' || t.action === 'request_supplement' ? ((await procedureOf(db, d))?.cases[d.case_no]?.papers ?? []) : [];
      const built = noteFrom(
        t.action,
        values,
        papers.map((p) => p.name),
      );
      const prefix = (errs: Record<string, string>) => Object.fromEntries(Object.entries(errs).map(([k, m]) => [`${slug}-${k}`, m]));
      if (Object.keys(built.errors).length) return renderDossier(c, commune, d, { slug, values, errors: prefix(built.errors) }, 400);
      const req: ActionRequest = {
        action: t.action,
        version,
        note: built.note,
        newDueDate: values.new_due_date?.trim(),
        decidingUnit: values.deciding_unit?.trim(),
        assigneeId: values.assignee_id?.trim(),
      };
      const outcome = await runAction(await dossierDeps(c), c.get('actor')!, d, req, clientIp(c));
      if (outcome.ok) {
        const still = outcome.dossier.commune_code === commune.code || outcome.dossier.deciding_unit === commune.code;
        // Transferred away from this commune: it leaves this commune's pages.
        return c.redirect(still ? `${dossierUrl(commune.code, d.id)}?da=${slug}#ket-qua` : `${queueUrl(commune.code)}?da=${slug}`, 303);
      }
      // Show the dossier as it is now (after someone else's action, with its new version).
      const fresh = (await findForUnit(db, commune.code, d.id)) ?? d;
      if (outcome.code === 'not_found') return renderError(c, 404);
      const posted: Posted = outcome.code === 'invalid' && outcome.fields ? { slug, values, errors: prefix(outcome.fields) } : { message: outcome.message };
      return renderDossier(c, commune, fresh, posted, STATUS_OF[outcome.code]);
    });
  }
}
