/** The catalog's pages: public browsing, the procedure page, print-outs, and the officials' offer list. */
import type { FC } from 'hono/jsx';
import { CsrfField, ErrorSummary, Field, Layout, type FieldErrors, type PageCtx } from '../platform/layout.js';
import type { Commune } from '../units/units.js';
import type { GroupCount, OfferState, Override, ProcedureHead } from './commune-offer.store.js';
import type { FieldGroup } from './commune-offer.service.js';
import type { Procedure } from './procedure.js';
import {
  ChannelTermsList,
  Checklist,
  CommunePicker,
  LEVEL_LABELS,
  LIFE_EVENTS,
  ONLINE_SHORT,
  OnlineLevelNote,
  Pager,
  ProcedureList,
  WhereToSubmit,
  formatDate,
} from './catalog.view.js';
import { fieldSlug } from './commune-offer.service.js';
import { acceptsOnline } from '../dossiers/submit/draft.js';

const countLabel = (g: { total: number; commune: number }) => `${g.total} thủ tục${g.commune ? `, ${g.commune} ở cấp xã` : ''}`;

// ---- Browse ----------------------------------------------------------------

export const BrowsePage: FC<{ ctx: PageCtx; events: GroupCount[]; fields: FieldGroup[]; myCommune: Commune | null }> = ({ ctx, events, fields, myCommune }) => {
  const byEvent = new Map(events.map((e) => [e.key, e]));
  const communeFields = fields.filter((f) => f.commune > 0);
  const otherFields = fields.filter((f) => f.commune === 0);
  const FieldLinks: FC<{ list: FieldGroup[] }> = ({ list }) => (
    <ul class="list-plain browse-list">
      {list.map((f) => (
        <li>
          <a href={`/thu-tuc/linh-vuc/${f.slug}`}>{f.name}</a> <span class="meta">{countLabel(f)}</span>
        </li>
      ))}
    </ul>
  );
  return (
    <Layout ctx={ctx} title="Danh mục thủ tục hành chính">
      <h1>Danh mục thủ tục hành chính</h1>
      <p class="lead">Chọn việc bạn đang gặp trong cuộc sống, hoặc lĩnh vực của thủ tục, để biết cần giấy tờ gì, nộp ở đâu, mất bao lâu.</p>
      {myCommune ? (
        <p>
          <a href={`/xa/${myCommune.code}/thu-tuc`}>Thủ tục {myCommune.name} giải quyết</a>
        </p>
      ) : null}
      <h2>Theo việc trong cuộc sống</h2>
      <ul class="list-plain browse-list">
        {LIFE_EVENTS.map((e) => {
          const n = byEvent.get(e.key) ?? { total: 0, commune: 0 };
          return (
            <li>
              <a href={`/thu-tuc/su-kien/${e.key}`}>{e.label}</a> <span class="meta">{countLabel(n)}</span>
            </li>
          );
        })}
      </ul>
      <h2>Theo lĩnh vực</h2>
      {communeFields.length ? (
        <>
          <p>Lĩnh vực có thủ tục làm ở xã, phường:</p>
          <FieldLinks list={communeFields} />
        </>
      ) : null}
      {otherFields.length ? (
        <details class="more">
          <summary>Các lĩnh vực khác (cấp tỉnh, trung ương) — {otherFields.length} lĩnh vực</summary>
          <FieldLinks list={otherFields} />
        </details>
      ) : null}
    </Layout>
  );
};

export const ListPage: FC<{ ctx: PageCtx; title: string; intro: string; items: ProcedureHead[]; total: number; page: number; pages: number }> = ({ ctx, title, intro, items, total, page, pages }) => (
  <Layout ctx={ctx} title={page > 1 ? `${title} — trang ${page}` : title}>
    <p class="breadcrumb">
      <a href="/thu-tuc">Danh mục thủ tục</a>
    </p>
    <h1>{title}</h1>
    <p>
      {intro} {total} thủ tục; thủ tục làm ở xã, phường được xếp trước.
    </p>
    <ProcedureList items={items} />
    <Pager path={ctx.path} page={page} pages={pages} />
  </Layout>
);

// ---- The procedure page ------------------------------------------------------

function Bullets({ items, empty }: { items: string[]; empty: string }) {
  const list = items.map((s) => s.trim()).filter(Boolean);
  return list.length ? (
    <ul>
      {list.map((s) => (
        <li>{s}</li>
      ))}
    </ul>
  ) : (
    <p>{empty}</p>
  );
}

export interface ProcedureView {
  p: Procedure;
  commune: Commune | null;
  /** Whether the chosen commune offers it (null when none is chosen). */
  offered: boolean | null;
  communes: readonly Commune[];
}

export const ProcedurePage: FC<{ ctx: PageCtx } & ProcedureView> = ({ ctx, p, commune, offered, communes }) => (
  <Layout ctx={ctx} title={p.name}>
    <p class="breadcrumb">
      <a href="/thu-tuc">Danh mục thủ tục</a> › <a href={`/thu-tuc/linh-vuc/${fieldSlug(p.field) || 'khac'}`}>{p.field || 'Lĩnh vực khác'}</a>
    </p>
    <h1>{p.name}</h1>
    <p class="meta">
      Mã thủ tục: <strong>{p.code}</strong> · {p.levels.map((l) => LEVEL_LABELS[l]).join(', ')}
    </p>
    <p class="no-print">
      <a class="button secondary" href={`/thu-tuc/${p.code}/in`}>
        Bản hướng dẫn để in (1 trang)
      </a>
    </p>

    <h2>Bạn nhận được</h2>
    <Bullets items={p.results} empty="Cổng Dịch vụ công quốc gia chưa ghi kết quả của thủ tục này." />

    <h2>Ai có thể làm</h2>
    <Bullets items={p.applicants} empty="Cổng Dịch vụ công quốc gia chưa ghi đối tượng thực hiện." />
    {p.requirements.trim() ? (
      <>
        <h3>Điều kiện</h3>
        <p class="prewrap">{p.requirements.trim()}</p>
      </>
    ) : null}

    <h2 id="noi-nop">Nộp ở đâu, nộp thế nào</h2>
    <WhereToSubmit p={p} commune={commune} offered={offered} />
    <CommunePicker action={`/thu-tuc/${p.code}#noi-nop`} communes={communes} selected={commune?.code ?? null} />
    <h3>Nộp trên mạng được không?</h3>
    <OnlineLevelNote p={p} />
    {acceptsOnline(p) ? (
      <p class="no-print">
        <a class="button" href={`/nop-ho-so/${encodeURIComponent(p.code)}`}>
          Nộp hồ sơ trực tuyến
        </a>
      </p>
    ) : null}

    <h2>Giấy tờ cần chuẩn bị</h2>
    <p class="hint">Đánh dấu từng giấy tờ khi bạn đã có. Bản chính là giấy gốc; bản sao là bản sao có chứng thực hoặc bản chụp kèm bản chính để đối chiếu.</p>
    <Checklist cases={p.cases} idPrefix="giay-to" />

    <h2>Thời hạn giải quyết và phí, lệ phí</h2>
    <ChannelTermsList channels={p.channels} />

    <h2>Các bước thực hiện</h2>
    {p.steps.length ? (
      <ol class="steps">
        {p.steps.map((s) => (
          <li>{s}</li>
        ))}
      </ol>
    ) : (
      <p>Cổng Dịch vụ công quốc gia chưa ghi các bước thực hiện.</p>
    )}

    <h2>Căn cứ pháp lý</h2>
    {p.legalBasis.length ? (
      <details class="more">
        <summary>Xem {p.legalBasis.length} văn bản</summary>
        <ul>
          {p.legalBasis.map((l) => (
            <li>
              <strong>{l.code}</strong> {l.name}
            </li>
          ))}
        </ul>
      </details>
    ) : (
      <p>Chưa ghi căn cứ pháp lý.</p>
    )}

    <h2>Nguồn thông tin</h2>
    <p>
      Cập nhật lần cuối trên Cổng Dịch vụ công quốc gia: {formatDate(p.updatedAt)}.
      {p.decision ? ` Công bố theo Quyết định ${p.decision.number}${p.decision.date ? ` ngày ${formatDate(p.decision.date)}` : ''}${p.decision.agency ? ` của ${p.decision.agency}` : ''}.` : ''}
    </p>
    <p>
      <a href={p.sourceUrl} rel="noopener noreferrer">
        Xem thủ tục này trên Cổng Dịch vụ công quốc gia
      </a>
    </p>
    <figure class="qr-figure">
      <img src={`/thu-tuc/${p.code}/qr.svg`} width="160" height="160" alt={`Mã QR dẫn đến trang thủ tục ${p.code}`} />
      <figcaption>Quét mã QR để mở lại trang này trên điện thoại.</figcaption>
    </figure>
  </Layout>
);

// ---- Printable one-page guide ----------------------------------------------

export const PrintGuidePage: FC<{ ctx: PageCtx; p: Procedure; url: string; qr: string; commune: Commune | null; offered: boolean | null }> = ({ ctx, p, url, qr, commune, offered }) => (
  <Layout ctx={ctx} title={`In hướng dẫn: ${p.name}`}>
    <div class="notice no-print">
      <p>Trang này để in trên một tờ A4: dùng lệnh In của trình duyệt (Ctrl+P, hoặc “Chia sẻ → In” trên điện thoại).</p>
      <p>
        <a href={`/thu-tuc/${p.code}`}>← Về trang thủ tục</a>
      </p>
    </div>
    <article class="print-guide">
      <header class="guide-head">
        <div>
          <h1>{p.name}</h1>
          <p>
            Mã thủ tục: <strong>{p.code}</strong> · {ONLINE_SHORT[p.onlineLevel]}
          </p>
          <WhereToSubmit p={p} commune={commune} offered={offered} />
        </div>
        <figure class="qr-figure">
          <div dangerouslySetInnerHTML={{ __html: qr }} />
          <figcaption>
            Quét để xem đầy đủ:
            <br />
            {url}
          </figcaption>
        </figure>
      </header>
      <h2>Giấy tờ cần mang (đánh dấu ☑ khi đã có)</h2>
      <Checklist cases={p.cases} idPrefix="in" notes={false} />
      <h2>Thời hạn và phí, lệ phí</h2>
      <ChannelTermsList channels={p.channels} />
      <p class="meta">
        Thông tin theo Cổng Dịch vụ công quốc gia, cập nhật {formatDate(p.updatedAt)}. Các lưu ý chi tiết có trên trang thủ tục (quét mã QR).
      </p>
    </article>
  </Layout>
);

// ---- A commune's procedures and its poster --------------------------------

/** Field headings inside a page of a list already sorted by field. */
function byField(items: ProcedureHead[]): { field: string; items: ProcedureHead[] }[] {
  const out: { field: string; items: ProcedureHead[] }[] = [];
  for (const p of items) {
    const last = out[out.length - 1];
    if (last && last.field === p.field) last.items.push(p);
    else out.push({ field: p.field, items: [p] });
  }
  return out;
}

export const CommuneProceduresPage: FC<{ ctx: PageCtx; commune: Commune; items: ProcedureHead[]; total: number; page: number; pages: number }> = ({ ctx, commune, items, total, page, pages }) => (
  <Layout ctx={ctx} title={`Thủ tục hành chính tại ${commune.name}`}>
    <p class="breadcrumb">
      <a href="/thu-tuc">Danh mục thủ tục</a>
    </p>
    <h1>Thủ tục hành chính tại {commune.name}</h1>
    <p>
      Bộ phận một cửa UBND {commune.name} giải quyết {total} thủ tục. Theo Nghị định 118/2025/NĐ-CP, thủ tục cấp xã cũng được nhận ở bộ phận một cửa của xã, phường khác trong tỉnh.
    </p>
    <p class="no-print">
      <a class="button secondary" href={`/xa/${commune.code}/ap-phich`}>
        Áp phích mã QR để in (khổ A4)
      </a>
    </p>
    {byField(items).map((g) => (
      <section>
        <h2>{g.field || 'Lĩnh vực khác'}</h2>
        <ProcedureList items={g.items} query={`?xa=${commune.code}`} />
      </section>
    ))}
    <Pager path={ctx.path} page={page} pages={pages} />
  </Layout>
);

export const PosterPage: FC<{ ctx: PageCtx; commune: Commune; items: ProcedureHead[]; fields: { slug: string; name: string; n: number }[]; field: string | null }> = ({
  ctx,
  commune,
  items,
  fields,
  field,
}) => (
  <Layout ctx={ctx} title={`Áp phích thủ tục — ${commune.name}`} wide>
    <div class="notice no-print">
      <p>
        In bằng lệnh In của trình duyệt (Ctrl+P), khổ A4, 12 thủ tục mỗi trang. {items.length} thủ tục{field ? ' trong lĩnh vực đã chọn' : ''}.
      </p>
      <details class="more">
        <summary>Chỉ in một lĩnh vực</summary>
        <ul>
          <li>
            <a href={`/xa/${commune.code}/ap-phich`}>Tất cả lĩnh vực</a>
          </li>
          {fields.map((f) => (
            <li>
              <a href={`/xa/${commune.code}/ap-phich?linh-vuc=${f.slug}`}>{f.name}</a> ({f.n})
            </li>
          ))}
        </ul>
      </details>
    </div>
    <article class="poster">
      <h1>Thủ tục hành chính tại {commune.name}</h1>
      <p class="poster-lead">Quét mã QR bằng điện thoại để biết giấy tờ cần chuẩn bị, phí và thời hạn. Nộp tại Bộ phận một cửa UBND {commune.name}.</p>
      {byField(items).map((g) => (
        <section class="poster-field">
          <h2>{g.field || 'Lĩnh vực khác'}</h2>
          <ul class="poster-grid">
            {g.items.map((p) => (
              <li class="poster-card">
                <img src={`/thu-tuc/${p.code}/qr.svg`} width="120" height="120" alt={`Mã QR thủ tục ${p.code}`} />
                <span class="poster-code">Mã {p.code}</span>
                <span class="poster-name">{p.name}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </article>
  </Layout>
);

// ---- Officials: what the commune offers ------------------------------------

export interface OfferFormView {
  action: 'them' | 'bo';
  values: Record<string, string>;
  errors: FieldErrors;
}

export interface ManageView {
  commune: Commune;
  canSwitch: boolean;
  offered: ProcedureHead[];
  total: number;
  page: number;
  pages: number;
  overrides: Override[];
  query: string;
  exact: OfferState | null;
  matches: ProcedureHead[];
  form: OfferFormView;
  done: string | null;
}

const OfferForm: FC<{ ctx: PageCtx; base: string; form: OfferFormView }> = ({ ctx, base, form }) => (
  <form method="post" action={`${base}/${form.action}`} novalidate>
    <CsrfField ctx={ctx} />
    <h3>{form.action === 'them' ? 'Thêm thủ tục vào danh sách của xã' : 'Bỏ thủ tục khỏi danh sách của xã'}</h3>
    <Field name="code" label="Mã thủ tục" hint="Ví dụ: 1.001193" value={form.values.code} errors={form.errors} />
    <Field name="reason" label="Lý do" hint="Ví dụ: theo Quyết định số … của Chủ tịch UBND xã" value={form.values.reason} errors={form.errors} />
    <button type="submit" class={form.action === 'bo' ? 'warning' : undefined}>
      {form.action === 'them' ? 'Thêm thủ tục' : 'Bỏ thủ tục'}
    </button>
  </form>
);

function stateText(s: OfferState): string {
  if (s.override) return `${s.offered ? 'Xã đang giải quyết (đã thêm' : 'Xã không giải quyết (đã bỏ'} ngày ${formatDate(s.override.changedAt)}: ${s.override.reason}).`;
  return s.offered ? 'Xã đang giải quyết (mặc định: thủ tục cấp xã).' : 'Xã không giải quyết (mặc định: không phải thủ tục cấp xã).';
}

export const ManagePage: FC<{ ctx: PageCtx } & ManageView> = ({ ctx, commune, canSwitch, offered, total, page, pages, overrides, query, exact, matches, form, done }) => {
  const base = `/can-bo/xa/${commune.code}/thu-tuc`;
  const pick = (code: string) => `${base}?ma=${encodeURIComponent(code)}#xu-ly`;
  return (
    <Layout ctx={ctx} title={`Thủ tục ${commune.name} giải quyết`}>
      <ErrorSummary t={ctx.t} errors={form.errors} />
      {done ? <p class="notice success">{done}</p> : null}
      <p class="breadcrumb">
        <a href="/can-bo">Khu làm việc</a>
        {canSwitch ? (
          <>
            {' '}
            › <a href="/can-bo/thu-tuc-cua-xa">Chọn xã khác</a>
          </>
        ) : null}
      </p>
      <h1>Thủ tục {commune.name} giải quyết</h1>
      <p>
        Mặc định, xã giải quyết mọi thủ tục cấp xã trong danh mục. Thêm hoặc bỏ thủ tục khi có quyết định của xã; lý do được ghi vào nhật ký. Người dân xem danh sách tại{' '}
        <a href={`/xa/${commune.code}/thu-tuc`}>trang thủ tục của xã</a>.
      </p>

      <section id="xu-ly">
        <h2>Thêm hoặc bỏ một thủ tục</h2>
        <form method="get" action={`${base}#xu-ly`} class="commune-picker">
          <label for="f-ma">Tìm theo mã hoặc tên thủ tục</label>
          <div class="picker-row">
            <input id="f-ma" name="ma" type="search" value={query} autocomplete="off" />
            <button type="submit" class="secondary">
              Tìm
            </button>
          </div>
        </form>
        {exact ? (
          <p class="notice">
            <strong>
              {exact.procedure.code} — {exact.procedure.name}
            </strong>
            <br />
            {stateText(exact)}
          </p>
        ) : null}
        {query && !exact && matches.length === 0 ? <p class="notice">Không tìm thấy thủ tục nào khớp “{query}”. Kiểm tra lại mã thủ tục.</p> : null}
        {!exact && matches.length ? (
          <ul class="list-plain">
            {matches.map((m) => (
              <li>
                <a href={pick(m.code)}>
                  {m.code} — {m.name}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        <OfferForm ctx={ctx} base={base} form={form} />
      </section>

      <h2>Thay đổi so với mặc định ({overrides.length})</h2>
      {overrides.length ? (
        <ul class="list-plain">
          {overrides.map((o) => (
            <li>
              <strong>{o.offered ? 'Đã thêm' : 'Đã bỏ'}</strong> {o.code} — {o.name}
              <span class="meta">
                Ngày {formatDate(o.changedAt)}. Lý do: {o.reason}
              </span>
              <a class="button secondary small" href={pick(o.code)}>
                {o.offered ? 'Bỏ' : 'Thêm lại'}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có thay đổi: xã giải quyết đúng các thủ tục cấp xã trong danh mục.</p>
      )}

      <h2>Xã đang giải quyết {total} thủ tục</h2>
      <ul class="list-plain">
        {offered.map((p) => (
          <li>
            <a href={`/thu-tuc/${p.code}`}>{p.name}</a>
            <span class="meta">
              Mã {p.code} · {p.field}
            </span>
            <a class="button secondary small" href={pick(p.code)} aria-label={`Bỏ thủ tục ${p.code}`}>
              Bỏ
            </a>
          </li>
        ))}
      </ul>
      <Pager path={base} page={page} pages={pages} />
    </Layout>
  );
};

export const ManageCommunesPage: FC<{ ctx: PageCtx; communes: Commune[] }> = ({ ctx, communes }) => (
  <Layout ctx={ctx} title="Thủ tục các xã giải quyết">
    <p class="breadcrumb">
      <a href="/can-bo">Khu làm việc</a>
    </p>
    <h1>Thủ tục các xã giải quyết</h1>
    <p>Chọn xã, phường để xem và thay đổi danh sách thủ tục.</p>
    <ul class="list-plain">
      {communes.map((c) => (
        <li>
          <a href={`/can-bo/xa/${c.code}/thu-tuc`}>{c.name}</a>
        </li>
      ))}
    </ul>
  </Layout>
);
