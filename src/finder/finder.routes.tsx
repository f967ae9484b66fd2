import { createRoute, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { offeredCodes } from '../catalog/commune-offer.store.js';
import { apiRoute } from '../platform/api.js';
import type { Ctx } from '../platform/context.js';
import { apiError } from '../platform/errors.js';
import { Layout, pageCtx } from '../platform/layout.js';
import { PUBLIC } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { findCommune } from '../units/units.js';
import type { FinderHolder } from './finder.service.js';
import { recordSearch } from './search-log.store.js';
import { search, type SearchResult } from './index.js';

const MAX_QUERY = 500;

/** The commune to search in: ?xa=, else the chosen-commune cookie; null = the whole catalog. */
function chosenCommune(c: Ctx): string | null {
  const code = c.req.query('xa') ?? getCookie(c, 'xa') ?? '';
  return findCommune(code) ? code : null;
}

async function runSearch(c: Ctx, finder: FinderHolder, q: string, commune: string | null, limit: number): Promise<SearchResult> {
  const { db } = c.get('deps');
  const index = await finder.get(db);
  const scope = commune ? await offeredCodes(db, commune) : null;
  return search(index, q.slice(0, MAX_QUERY), { limit, scope });
}

/** The "nothing fits" answer: said plainly, with the doors that remain. */
function NoMatch({ result, commune }: { result: SearchResult; commune: string | null }) {
  const communeName = commune ? findCommune(commune)?.commune.name : null;
  const office = communeName ? `Bộ phận một cửa của UBND ${communeName}` : 'Bộ phận một cửa của UBND xã, phường nơi bạn ở';
  return (
    <section class="no-match" aria-labelledby="no-match-h">
      <h2 id="no-match-h">Chưa tìm thấy thủ tục nào đúng với câu hỏi của bạn</h2>
      {result.outOfScope ? <p>{result.outOfScope.advice}</p> : <p>Có thể việc này không cần làm thủ tục hành chính, hoặc cần nói cách khác.</p>}
      <ul class="list-plain choices">
        <li>
          <a class="choice" href="/phan-anh/gui">
            Gửi phản ánh, kiến nghị
          </a>
        </li>
        <li>
          <a class="choice" href="/thu-tuc">
            Xem danh mục theo sự kiện trong đời
          </a>
        </li>
      </ul>
      <p>
        Hoặc hỏi trực tiếp {office}, hay gọi đường dây nóng của UBND xã, phường (số được niêm yết tại trụ sở). Cán bộ sẽ chỉ đúng việc cần làm.
      </p>
    </section>
  );
}

function searchUrl(q: string, extra: Record<string, string> = {}): string {
  return `/tim-kiem?${new URLSearchParams({ q, ...extra }).toString()}`;
}

export function registerFinderRoutes(app: App, finder: FinderHolder): void {
  route(app, 'GET', '/tim-kiem', PUBLIC, async (c) => {
    const ctx = pageCtx(c);
    const q = (c.req.query('q') ?? '').trim();
    const all = c.req.query('tat-ca') === '1';
    const commune = all ? null : chosenCommune(c);
    const communeName = commune ? findCommune(commune)?.commune.name : null;
    const result: SearchResult = q ? await runSearch(c, finder, q, commune, 10) : { items: [] };
    if (q) {
      // Learning from use; a failed write must not cost the citizen the answer.
      await recordSearch(c.get('deps').db, q, commune, result).catch((err: unknown) => c.get('log').warn({ err }, 'finder search not recorded'));
    }
    const tooLong = (c.req.query('q') ?? '').length > MAX_QUERY;
    return c.html(
      <Layout ctx={ctx} title={q ? `Tìm: ${q.slice(0, 60)}` : 'Tìm thủ tục'}>
        <h1>Tìm thủ tục</h1>
        <form method="get" action="/tim-kiem" role="search" class="search-page">
          <label for="q-page">Bạn cần làm gì? Gõ như khi nói, có dấu hay không dấu đều được.</label>
          <div class="search-row">
            <input id="q-page" name="q" type="search" value={q} maxlength={MAX_QUERY} list="finder-suggestions" autocomplete="off" />
            <button type="submit">Tìm</button>
          </div>
          {commune ? <input type="hidden" name="xa" value={commune} /> : null}
          <datalist id="finder-suggestions"></datalist>
        </form>
        {tooLong ? <p class="notice">Câu hỏi dài quá nên chỉ dùng {MAX_QUERY} ký tự đầu. Hãy hỏi ngắn gọn, ví dụ "làm giấy khai sinh cho con".</p> : null}
        {q ? (
          <p>
            {communeName ? (
              <>
                Đang tìm trong các thủ tục của <strong>{communeName}</strong>. <a href={searchUrl(q, { 'tat-ca': '1' })}>Tìm trong toàn bộ danh mục quốc gia</a>
              </>
            ) : (
              <>Đang tìm trong toàn bộ danh mục thủ tục quốc gia.</>
            )}
          </p>
        ) : (
          <p>Ví dụ: "làm giấy khai sinh cho con", "bố tôi mất hôm qua", "sắp lấy chồng", "mở quán tạp hóa", "làm lại căn cước".</p>
        )}
        {result.didYouMean ? (
          <p class="notice">
            Có phải bạn muốn tìm: <a href={searchUrl(result.didYouMean, commune ? { xa: commune } : {})}>{result.didYouMean}</a>?
          </p>
        ) : null}
        {result.clarify ? (
          <section class="clarify" aria-labelledby="clarify-q">
            <h2 id="clarify-q">{result.clarify.question}</h2>
            <ul class="list-plain choices">
              {result.clarify.options.map((o) => (
                <li>
                  <a class="choice" href={`/thu-tuc/${encodeURIComponent(o.code)}`}>
                    {o.label}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {result.lifeEvents?.map((e) => (
          <section class="life-event" aria-labelledby={`le-${e.id}`}>
            <h2 id={`le-${e.id}`}>{e.title}: các việc cần làm, theo thứ tự</h2>
            <ol class="steps">
              {e.steps.map((st) => (
                <li>
                  <a href={`/thu-tuc/${encodeURIComponent(st.code)}`}>{st.name}</a>
                  <p class="meta">
                    <strong>{st.where}</strong>
                  </p>
                  <p class="why">{st.note}</p>
                </li>
              ))}
            </ol>
          </section>
        ))}
        {q && result.items.length === 0 ? <NoMatch result={result} commune={commune} /> : null}
        {result.items.length ? (
          <>
            <h2>{result.clarify ? 'Các thủ tục gần đúng' : 'Kết quả'}</h2>
            <ol class="results">
              {result.items.map((item) => (
                <li>
                  <a href={`/thu-tuc/${encodeURIComponent(item.code)}`}>{item.name}</a>
                  <p class="meta">
                    <strong>{item.where}</strong>
                    {item.forWhom ? <> · Dành cho: {item.forWhom}</> : null}
                  </p>
                  <p class="meta">
                    Mã {item.code} · {item.field}
                  </p>
                  <p class="why">{item.why}</p>
                  {item.variants?.length ? (
                    <details class="variants">
                      <summary>Cùng tên này còn {item.variants.length} thủ tục ở cấp hoặc tỉnh khác — bạn làm ở đâu?</summary>
                      <ul class="list-plain choices">
                        {item.variants.map((v) => (
                          <li>
                            <a class="choice" href={`/thu-tuc/${encodeURIComponent(v.code)}`}>
                              {v.where}
                              {v.forWhom ? ` · Dành cho: ${v.forWhom}` : ''}
                            </a>
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                </li>
              ))}
            </ol>
          </>
        ) : null}
        <script src="/static/finder.js" defer></script>
      </Layout>,
    );
  });

  route(app, 'GET', '/static/finder.js', PUBLIC, (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', 'public, max-age=3600');
    return c.body(FINDER_JS);
  });

  const SearchQuery = z.object({
    q: z.string({ error: 'q: nhập câu hỏi' }).max(10_000, 'q: tối đa 10.000 ký tự').openapi({ example: 'lam giay khai sinh cho con' }),
    limit: z.coerce.number().int('limit: cần số nguyên').min(1, 'limit: từ 1 đến 50').max(50, 'limit: từ 1 đến 50').default(10),
    commune: z.string().regex(/^\d{5}$/, 'commune: cần mã xã 5 chữ số').optional(),
  });
  const Item = z.object({
    code: z.string(),
    name: z.string(),
    field: z.string(),
    levels: z.array(z.string()),
    score: z.number(),
    why: z.string(),
    where: z.string().openapi({ description: 'Cấp và cơ quan quyết định, ví dụ "Cấp xã — UBND xã"' }),
    forWhom: z.string().openapi({ description: 'Đối tượng thực hiện, ví dụ "người dân, tổ chức, doanh nghiệp"' }),
    variants: z.array(z.object({ code: z.string(), where: z.string(), forWhom: z.string() })).optional().openapi({ description: 'Các thủ tục cùng tên ở cấp hoặc tỉnh khác' }),
  });
  const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });

  apiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/v1/procedures/search',
      summary: 'Tìm thủ tục theo cách người dân hỏi',
      request: { query: SearchQuery },
      responses: {
        200: {
          description: 'Kết quả xếp hạng; có thể kèm một câu hỏi làm rõ',
          content: {
            'application/json': {
              schema: z.object({
                items: z.array(Item),
                clarify: z.object({ question: z.string(), options: z.array(z.object({ code: z.string(), label: z.string() })) }).optional(),
                didYouMean: z.string().optional(),
                lifeEvents: z
                  .array(z.object({ id: z.string(), title: z.string(), steps: z.array(z.object({ code: z.string(), name: z.string(), where: z.string(), note: z.string() })) }))
                  .optional()
                  .openapi({ description: 'Sự kiện trong đời mà câu hỏi mô tả, kèm các thủ tục theo thứ tự cần làm' }),
                noMatch: z.boolean().optional().openapi({ description: 'Không có thủ tục nào đủ khớp: hãy hỏi bộ phận một cửa hoặc gửi phản ánh' }),
                outOfScope: z.object({ door: z.enum(['feedback', 'utility', 'exam']), advice: z.string() }).optional(),
              }),
            },
          },
        },
        400: { description: 'Tham số chưa hợp lệ', content: { 'application/json': { schema: ErrorSchema } } },
        404: { description: 'Không có xã này', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    PUBLIC,
    async (c) => {
      const { q, limit, commune } = c.req.valid('query');
      if (commune && !findCommune(commune)) return c.json(apiError('not_found', `Không có xã, phường nào mã ${commune}.`, { commune: 'commune: mã xã không tồn tại' }), 404);
      const result = await runSearch(c, finder, q, commune ?? null, limit);
      return c.json(result, 200);
    },
  );
}

/** Live suggestions while typing; the page works the same without it. */
const FINDER_JS = `(() => {
  const input = document.getElementById('q-page');
  const list = document.getElementById('finder-suggestions');
  if (!input || !list || !window.fetch) return;
  let timer = 0, last = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 3 || q === last) return;
      last = q;
      try {
        const res = await fetch('/api/v1/procedures/search?limit=5&q=' + encodeURIComponent(q));
        if (!res.ok) return;
        const data = await res.json();
        list.replaceChildren(...data.items.map((i) => { const o = document.createElement('option'); o.value = i.name; return o; }));
      } catch (e) { /* offline: the form still works */ }
    }, 250);
  });
})();`;
