import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiRoute } from '../platform/api.js';
import { actorLabel, clientIp, type Ctx } from '../platform/context.js';
import { apiError, renderError } from '../platform/errors.js';
import { parseForm } from '../platform/forms.js';
import { MessagePage, pageCtx } from '../platform/layout.js';
import { PUBLIC, requires, roleAllows } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { findCommune, findProvince, type Commune } from '../units/units.js';
import { getProcedure } from './catalog.store.js';
import { BrowsePage, CommuneProceduresPage, ListPage, ManageCommunesPage, ManagePage, PosterPage, PrintGuidePage, ProcedurePage, type OfferFormView } from './catalog.pages.js';
import { lifeEventLabel, pageNumber, PER_PAGE } from './catalog.view.js';
import { changeOffer, fieldGroups, fieldSlug, offerFormSchema } from './commune-offer.service.js';
import { countByLifeEvent, countOffered, countProcedures, listOffered, listOverrides, listProcedures, offerState, procedureExists, searchHeads } from './commune-offer.store.js';
import { procedureSchema } from './procedure.schema.js';
import { procedureUrl, qrSvg, qrSvgInline } from './qr.js';

/** The commune a visitor chose, remembered in a cookie so every procedure page can answer "where do I go?". */
const COMMUNE_COOKIE = 'xa';
const MANAGE = requires('catalog.manageCommune', 'commune');

function communeByCode(code: string | undefined): Commune | null {
  return code && /^\d{5}$/.test(code) ? (findCommune(code)?.commune ?? null) : null;
}

/** `?xa=` (from the picker, or a shared link) wins and is remembered; an empty choice forgets. */
function chosenCommune(c: Ctx): Commune | null {
  const asked = c.req.query('xa')?.trim();
  if (asked === '') {
    deleteCookie(c, COMMUNE_COOKIE, { path: '/' });
    return null;
  }
  const fromQuery = communeByCode(asked);
  if (fromQuery) {
    if (getCookie(c, COMMUNE_COOKIE) !== fromQuery.code) {
      const secure = c.get('deps').config.baseUrl.startsWith('https:');
      setCookie(c, COMMUNE_COOKIE, fromQuery.code, { path: '/', maxAge: 365 * 86400, sameSite: 'Lax', httpOnly: true, secure });
    }
    return fromQuery;
  }
  return communeByCode(getCookie(c, COMMUNE_COOKIE));
}

/** The picker lists the chosen commune's province, else the deployment's first (XASO_PROVINCE). */
function pickerCommunes(chosen: Commune | null, provinces: readonly string[]): readonly Commune[] {
  const province = (chosen && findCommune(chosen.code)?.province) ?? findProvince(provinces[0] ?? '');
  return province?.communes ?? [];
}

function notFound(c: Ctx, title: string, body: string) {
  return c.html(
    <MessagePage ctx={pageCtx(c)} title={title} body={body}>
      <p>
        <a href="/thu-tuc">Xem danh mục thủ tục</a>
      </p>
    </MessagePage>,
    404,
  );
}

const unknownProcedure = (c: Ctx) =>
  notFound(c, 'Không tìm thấy thủ tục', `Không có thủ tục nào mang mã “${(c.req.param('code') ?? '').slice(0, 60)}” trong danh mục hiện hành. Có thể mã bị gõ sai, hoặc thủ tục đã bị bãi bỏ.`);

function communeParam(c: Ctx): Commune | null {
  return communeByCode(c.req.param('commune'));
}

async function whereFor(c: Ctx, code: string) {
  const commune = chosenCommune(c);
  const state = commune ? await offerState(c.get('deps').db, commune.code, code) : null;
  return { commune, offered: commune ? (state?.offered ?? false) : null };
}

// ---- Officials' page ---------------------------------------------------------

const DONE: Record<string, (code: string) => string> = {
  them: (code) => `Đã thêm thủ tục ${code} vào danh sách của xã.`,
  bo: (code) => `Đã bỏ thủ tục ${code} khỏi danh sách của xã.`,
};

async function managePage(c: Ctx, posted?: { form: OfferFormView }) {
  const commune = communeParam(c);
  if (!commune) return renderError(c, 404);
  const { db } = c.get('deps');
  const actor = c.get('actor')!;
  const query = (posted ? (posted.form.values.code ?? '') : (c.req.query('ma') ?? '')).trim().slice(0, 100);
  const exact = query ? await offerState(db, commune.code, query) : null;
  const matches = query && !exact && !posted ? await searchHeads(db, query) : [];
  const total = await countOffered(db, commune.code);
  const { page, pages, offset } = pageNumber(c.req.query('trang'), total);
  const offered = await listOffered(db, commune.code, { offset, limit: PER_PAGE });
  const form: OfferFormView = posted?.form ?? { action: exact?.offered ? 'bo' : 'them', values: exact ? { code: exact.procedure.code } : {}, errors: {} };
  const da = c.req.query('da');
  const done = !posted && da && DONE[da] && exact ? DONE[da](exact.procedure.code) : null;
  return c.html(
    <ManagePage
      ctx={pageCtx(c)}
      commune={commune}
      canSwitch={actor.grants.some((g) => g.unitCode.length === 2 && roleAllows('catalog.manageCommune', g.role))}
      offered={offered}
      total={total}
      page={page}
      pages={pages}
      overrides={await listOverrides(db, commune.code)}
      query={posted ? '' : query}
      exact={exact}
      matches={matches}
      form={form}
      done={done}
    />,
    posted ? 400 : 200,
  );
}

function changeHandler(action: 'them' | 'bo') {
  return async (c: Ctx) => {
    const commune = communeParam(c);
    if (!commune) return renderError(c, 404);
    const form = await parseForm(c, offerFormSchema);
    if (!form.ok) return managePage(c, { form: { action, values: form.values, errors: form.errors } });
    const actor = c.get('actor')!;
    const result = await changeOffer(c.get('deps').db, { id: actor.id, label: actorLabel(actor) }, commune.code, form.data, action === 'them', { ip: clientIp(c) });
    if (!result.ok) return managePage(c, { form: { action, values: form.values, errors: result.errors } });
    return c.redirect(`/can-bo/xa/${commune.code}/thu-tuc?da=${action}&ma=${encodeURIComponent(form.data.code)}#xu-ly`, 303);
  };
}

// ---- API schemas ---------------------------------------------------------------

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi('CatalogError');
const OfferedSchema = z
  .object({
    items: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        field: z.string(),
        levels: z.array(z.enum(['commune', 'province', 'ministry', 'vertical', 'other'])),
        onlineLevel: z.enum(['full', 'partial', 'offline']),
      }),
    ),
  })
  .openapi('CommuneProcedures');

export function registerCatalogRoutes(app: App): void {
  // Specific paths first: /thu-tuc/:code/in would otherwise also match /thu-tuc/linh-vuc/in.
  route(app, 'GET', '/thu-tuc', PUBLIC, async (c) => {
    const { db } = c.get('deps');
    const [events, fields] = await Promise.all([countByLifeEvent(db), fieldGroups(db)]);
    return c.html(<BrowsePage ctx={pageCtx(c)} events={events} fields={fields} myCommune={communeByCode(getCookie(c, COMMUNE_COOKIE))} />);
  });

  route(app, 'GET', '/thu-tuc/su-kien/:event', PUBLIC, async (c) => {
    const event = c.req.param('event') ?? '';
    const label = lifeEventLabel(event);
    if (!label) return notFound(c, 'Không tìm thấy nhóm thủ tục', 'Không có nhóm việc này trong danh mục. Hãy chọn lại từ danh mục thủ tục.');
    const { db } = c.get('deps');
    const total = await countProcedures(db, { lifeEvent: event });
    const { page, pages, offset } = pageNumber(c.req.query('trang'), total);
    const items = await listProcedures(db, { lifeEvent: event }, { offset, limit: PER_PAGE });
    return c.html(<ListPage ctx={pageCtx(c)} title={label} intro={`Thủ tục khi bạn gặp việc “${label}”:`} items={items} total={total} page={page} pages={pages} />);
  });

  route(app, 'GET', '/thu-tuc/linh-vuc/:field', PUBLIC, async (c) => {
    const { db } = c.get('deps');
    const group = (await fieldGroups(db)).find((g) => g.slug === c.req.param('field'));
    if (!group) return notFound(c, 'Không tìm thấy lĩnh vực', 'Không có lĩnh vực này trong danh mục. Hãy chọn lại từ danh mục thủ tục.');
    const { page, pages, offset } = pageNumber(c.req.query('trang'), group.total);
    const items = await listProcedures(db, { fields: group.names }, { offset, limit: PER_PAGE });
    return c.html(<ListPage ctx={pageCtx(c)} title={`Lĩnh vực ${group.name}`} intro="Thủ tục trong lĩnh vực này:" items={items} total={group.total} page={page} pages={pages} />);
  });

  route(app, 'GET', '/thu-tuc/:code', PUBLIC, async (c) => {
    const p = await getProcedure(c.get('deps').db, c.req.param('code') ?? '');
    if (!p) return unknownProcedure(c);
    const where = await whereFor(c, p.code);
    return c.html(<ProcedurePage ctx={pageCtx(c)} p={p} commune={where.commune} offered={where.offered} communes={pickerCommunes(where.commune, c.get('deps').config.provinces)} />);
  });

  route(app, 'GET', '/thu-tuc/:code/in', PUBLIC, async (c) => {
    const p = await getProcedure(c.get('deps').db, c.req.param('code') ?? '');
    if (!p) return unknownProcedure(c);
    const url = procedureUrl(c.get('deps').config.baseUrl, p.code);
    const where = await whereFor(c, p.code);
    const qr = await qrSvgInline(url, `Mã QR dẫn đến ${url}`);
    return c.html(<PrintGuidePage ctx={pageCtx(c)} p={p} url={url} qr={qr} commune={where.commune} offered={where.offered} />);
  });

  route(app, 'GET', '/thu-tuc/:code/qr.svg', PUBLIC, async (c) => {
    const code = c.req.param('code') ?? '';
    if (!(await procedureExists(c.get('deps').db, code))) return unknownProcedure(c);
    const svg = await qrSvg(procedureUrl(c.get('deps').config.baseUrl, code));
    // The code for a URL never changes; a day's cache spares a poster's hundreds of requests.
    c.header('content-type', 'image/svg+xml; charset=utf-8');
    c.header('cache-control', 'public, max-age=86400');
    return c.body(svg);
  });

  route(app, 'GET', '/xa/:commune/thu-tuc', PUBLIC, async (c) => {
    const commune = communeParam(c);
    if (!commune) return notFound(c, 'Không tìm thấy xã, phường', 'Mã xã, phường này không có trong danh mục đơn vị hành chính.');
    const { db } = c.get('deps');
    const total = await countOffered(db, commune.code);
    const { page, pages, offset } = pageNumber(c.req.query('trang'), total);
    const items = await listOffered(db, commune.code, { offset, limit: PER_PAGE });
    return c.html(<CommuneProceduresPage ctx={pageCtx(c)} commune={commune} items={items} total={total} page={page} pages={pages} />);
  });

  route(app, 'GET', '/xa/:commune/ap-phich', PUBLIC, async (c) => {
    const commune = communeParam(c);
    if (!commune) return notFound(c, 'Không tìm thấy xã, phường', 'Mã xã, phường này không có trong danh mục đơn vị hành chính.');
    const all = await listOffered(c.get('deps').db, commune.code);
    const fields = new Map<string, { slug: string; name: string; n: number }>();
    for (const p of all) {
      const slug = fieldSlug(p.field) || 'khac';
      const f = fields.get(slug) ?? { slug, name: p.field || 'Lĩnh vực khác', n: 0 };
      f.n++;
      fields.set(slug, f);
    }
    const only = c.req.query('linh-vuc') ?? null;
    const items = only ? all.filter((p) => (fieldSlug(p.field) || 'khac') === only) : all;
    return c.html(<PosterPage ctx={pageCtx(c)} commune={commune} items={items} fields={[...fields.values()]} field={only} />);
  });

  route(app, 'GET', '/can-bo/thu-tuc-cua-xa', requires('catalog.manageCommune'), (c) => {
    const codes = new Set<string>();
    for (const g of c.get('actor')!.grants) {
      if (!roleAllows('catalog.manageCommune', g.role)) continue;
      if (g.unitCode.length === 5) codes.add(g.unitCode);
      else for (const cm of findProvince(g.unitCode)?.communes ?? []) codes.add(cm.code);
    }
    const communes = [...codes].map((code) => findCommune(code)?.commune).filter((x): x is Commune => !!x);
    if (communes.length === 1) return c.redirect(`/can-bo/xa/${communes[0]!.code}/thu-tuc`, 303);
    return c.html(<ManageCommunesPage ctx={pageCtx(c)} communes={communes} />);
  });

  route(app, 'GET', '/can-bo/xa/:commune/thu-tuc', MANAGE, (c) => managePage(c));
  route(app, 'POST', '/can-bo/xa/:commune/thu-tuc/them', MANAGE, changeHandler('them'));
  route(app, 'POST', '/can-bo/xa/:commune/thu-tuc/bo', MANAGE, changeHandler('bo'));

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/procedures/{code}',
      summary: 'Thủ tục hành chính (bản hiện hành, đầy đủ)',
      request: { params: z.object({ code: z.string().max(40).openapi({ param: { name: 'code', in: 'path' }, example: '1.001193' }) }) },
      responses: {
        200: { description: 'Bản ghi thủ tục hiện hành, kèm số phiên bản', content: { 'application/json': { schema: procedureSchema.extend({ version: z.number().int() }) as never } } },
        404: { description: 'Không có thủ tục mang mã này', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    PUBLIC,
    async (c) => {
      const { code } = c.req.valid('param');
      const p = await getProcedure(c.get('deps').db, code);
      if (!p) return c.json(apiError('not_found', `Không có thủ tục nào mang mã ${code}.`), 404);
      return c.json(p as never, 200);
    },
  );

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/communes/{commune}/procedures',
      summary: 'Các thủ tục một xã, phường giải quyết',
      description: 'Mặc định là mọi thủ tục cấp xã hiện hành, cộng các thủ tục xã đã thêm, trừ các thủ tục xã đã bỏ.',
      request: { params: z.object({ commune: z.string().openapi({ param: { name: 'commune', in: 'path' }, example: '25459' }) }) },
      responses: {
        200: { description: 'Danh sách thủ tục, theo lĩnh vực rồi tên', content: { 'application/json': { schema: OfferedSchema } } },
        404: { description: 'Không có xã, phường mang mã này', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    PUBLIC,
    async (c) => {
      const { commune } = c.req.valid('param');
      const found = communeByCode(commune);
      if (!found) return c.json(apiError('not_found', `Không có xã, phường nào mang mã ${commune}.`), 404);
      const items = await listOffered(c.get('deps').db, found.code);
      return c.json({ items: items.map(({ code, name, field, levels, onlineLevel }) => ({ code, name, field, levels, onlineLevel })) }, 200);
    },
  );
}
