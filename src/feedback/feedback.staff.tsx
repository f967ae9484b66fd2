/** Officials' feedback pages: the queue, one item with its handling forms, the figures. */
import type { FC } from 'hono/jsx';
import { CsrfField, ErrorSummary, Field, Layout, type FieldErrors, type PageCtx } from '../platform/layout.js';
import type { Commune } from '../units/units.js';
import type { Category, FeedbackRow, QueueCounts, QueueFilter, QueueItem } from './feedback.store.js';
import type { FeedbackStats, StatsRow } from './feedback.stats.js';
import { Hidden, Notice, Pager, Paragraphs, Radios, Select, StatusTag, TextArea } from './feedback.view.js';
import { vnDateTime, vnDay } from './text.js';

export const FILTER_SLUGS: Record<QueueFilter, string> = {
  open: 'dang-mo',
  new: 'moi',
  in_progress: 'dang-xu-ly',
  overdue: 'qua-han',
  at_risk: 'sap-den-han',
  closed: 'da-dong',
};

export function filterFromSlug(slug: string | undefined): QueueFilter {
  const hit = (Object.entries(FILTER_SLUGS) as [QueueFilter, string][]).find(([, s]) => s === slug);
  return hit ? hit[0] : 'open';
}

const FILTER_TITLES: Record<QueueFilter, string> = {
  open: 'Đang mở (mới và đang xử lý)',
  new: 'Mới, chưa phân loại',
  in_progress: 'Đang xử lý',
  overdue: 'Quá hạn',
  at_risk: 'Sắp đến hạn (trong 1 ngày làm việc)',
  closed: 'Đã đóng',
};

function dueLabel(due: string, today: string, atRiskUntil: string, open: boolean): string | null {
  if (!open) return null;
  if (due < today) return 'Quá hạn';
  if (due <= atRiskUntil) return 'Sắp đến hạn';
  return null;
}

export const QueuePage: FC<{
  ctx: PageCtx;
  commune: Commune;
  counts: QueueCounts;
  filter: QueueFilter;
  items: QueueItem[];
  page: number;
  more: boolean;
  today: string;
  atRiskUntil: string;
}> = ({ ctx, commune, counts, filter, items, page, more, today, atRiskUntil }) => {
  const base = `/can-bo/xa/${commune.code}/phan-anh`;
  const link = (f: QueueFilter) => (f === 'open' ? base : `${base}?loc=${FILTER_SLUGS[f]}`);
  const tiles: { f: QueueFilter; n: number | null; label: string }[] = [
    { f: 'new', n: counts.new, label: 'Mới' },
    { f: 'in_progress', n: counts.inProgress, label: 'Đang xử lý' },
    { f: 'overdue', n: counts.overdue, label: 'Quá hạn' },
    { f: 'at_risk', n: counts.atRisk, label: 'Sắp đến hạn' },
  ];
  return (
    <Layout ctx={ctx} title={`Phản ánh — ${commune.name}`}>
      <h1>Phản ánh, kiến nghị — {commune.name}</h1>
      <ul class="fb-counts">
        {tiles.map((t) => (
          <li class={t.f === 'overdue' && (t.n ?? 0) > 0 ? 'fb-count fb-warn' : 'fb-count'}>
            <a href={link(t.f)} aria-current={filter === t.f ? 'page' : undefined}>
              <span class="fb-n">{t.n}</span> {t.label}
            </a>
          </li>
        ))}
      </ul>
      <p class="fb-filters">
        <a href={link('open')} aria-current={filter === 'open' ? 'page' : undefined}>
          Tất cả đang mở
        </a>
        <a href={link('closed')} aria-current={filter === 'closed' ? 'page' : undefined}>
          Đã đóng
        </a>
        <a href={`${base}/so-lieu`}>Số liệu</a>
      </p>
      <h2>{FILTER_TITLES[filter]}</h2>
      {items.length === 0 ? (
        <p>Không có phản ánh nào.</p>
      ) : (
        <ul class="list-plain fb-queue">
          {items.map((i) => {
            const warn = dueLabel(i.due_date, today, atRiskUntil, i.status !== 'closed');
            return (
              <li>
                <a href={`${base}/${i.code}`}>
                  <strong>{i.code}</strong>
                </a>{' '}
                <StatusTag status={i.status} />
                {warn ? <span class={warn === 'Quá hạn' ? 'tag fb-tag fb-warn-tag' : 'tag fb-tag fb-risk-tag'}>{warn}</span> : null}
                {i.reopen_count ? <span class="tag fb-tag">Mở lại</span> : null}
                <br />
                {i.category_name} · nhận {vnDateTime(i.submitted_at)} · hạn {vnDay(i.due_date)}
                {i.location_text ? ` · ${i.location_text}` : ''}
                <br />
                <span class="fb-muted">{i.description}</span>
              </li>
            );
          })}
        </ul>
      )}
      <Pager base={base} params={{ loc: filter === 'open' ? undefined : FILTER_SLUGS[filter] }} page={page} more={more} />
    </Layout>
  );
};

export interface ItemView {
  f: FeedbackRow;
  commune: Commune;
  categories: Category[];
  author: { full_name: string; phone: string | null } | null;
  events: { seq: number; at: Date; kind: string; body: string; is_public: boolean; detail: Record<string, unknown> }[];
  photos: { seq: number; width: number; height: number }[];
  today: string;
  atRiskUntil: string;
  notice?: string | undefined;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

const EVENT_TITLES: Record<string, string> = {
  submitted: 'Tiếp nhận',
  triaged: 'Phân loại, giao xử lý',
  reply: 'Trả lời',
  closed: 'Đóng',
  reopened: 'Người gửi yêu cầu xử lý lại',
  rated: 'Người gửi đánh giá',
};

export const ItemPage: FC<{ ctx: PageCtx; v: ItemView }> = ({ ctx, v }) => {
  const { f } = v;
  const base = `/can-bo/xa/${f.commune_code}/phan-anh/${f.code}`;
  const errors = v.errors ?? {};
  const values = v.values ?? {};
  const open = f.status !== 'closed';
  const warn = dueLabel(f.due_date, v.today, v.atRiskUntil, open);
  const formErrors = errors._form ? [errors._form] : [];
  const fieldErrors = Object.fromEntries(Object.entries(errors).filter(([k]) => k !== '_form'));
  const category = v.categories.find((c) => c.code === f.category_code);
  return (
    <Layout ctx={ctx} title={`Xử lý phản ánh ${f.code}`}>
      <ErrorSummary t={ctx.t} errors={fieldErrors} messages={formErrors} />
      {v.notice ? <Notice>{v.notice}</Notice> : null}
      <p>
        <a href={`/can-bo/xa/${f.commune_code}/phan-anh`}>← Danh sách phản ánh</a>
      </p>
      <h1>Phản ánh {f.code}</h1>
      <table class="fb-facts">
        <tbody>
          <tr>
            <th scope="row">Tình trạng</th>
            <td>
              <StatusTag status={f.status} />
              {warn ? <span class={warn === 'Quá hạn' ? 'tag fb-tag fb-warn-tag' : 'tag fb-tag fb-risk-tag'}>{warn}</span> : null}
            </td>
          </tr>
          <tr>
            <th scope="row">Loại</th>
            <td>{category?.name ?? f.category_code}</td>
          </tr>
          <tr>
            <th scope="row">Nhận lúc</th>
            <td>
              {vnDateTime(f.submitted_at)} ({f.channel === 'open311' ? 'qua Open311' : 'trên cổng'})
            </td>
          </tr>
          <tr>
            <th scope="row">Hạn xử lý</th>
            <td>{vnDay(f.due_date)}</td>
          </tr>
          <tr>
            <th scope="row">Đơn vị xử lý</th>
            <td>{f.responsible_unit ?? 'Chưa giao'}</td>
          </tr>
          <tr>
            <th scope="row">Công khai</th>
            <td>{f.is_public ? 'Có' : 'Không (chỉ người gửi và cán bộ xem)'}</td>
          </tr>
          <tr>
            <th scope="row">Người gửi</th>
            <td>
              {v.author ? v.author.full_name : (f.contact_name ?? 'Không đăng nhập')}
              {f.contact_phone ? `, ${f.contact_phone}` : ''}
            </td>
          </tr>
          {f.rating ? (
            <tr>
              <th scope="row">Đánh giá</th>
              <td>
                {f.rating}/5{f.rating_comment ? ` — ${f.rating_comment}` : ''}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <h2>Nội dung</h2>
      <Paragraphs text={f.description} />
      {f.location_text ? (
        <p>
          <strong>Địa điểm:</strong> {f.location_text}
        </p>
      ) : null}
      {f.lat !== null && f.long !== null ? (
        <p>
          <strong>Toạ độ:</strong> {f.lat}, {f.long}
        </p>
      ) : null}
      {v.photos.length ? (
        <ul class="fb-photos">
          {v.photos.map((p) => (
            <li>
              <img src={`/phan-anh/${f.code}/anh/${p.seq}`} alt={`Ảnh ${p.seq} người dân gửi kèm`} width={p.width} height={p.height} loading="lazy" />
            </li>
          ))}
        </ul>
      ) : null}
      <h2>Tiến trình</h2>
      <ol class="fb-timeline">
        {v.events.map((e) => (
          <li>
            <span class="fb-when">{vnDateTime(new Date(e.at))}</span> <strong>{EVENT_TITLES[e.kind] ?? e.kind}</strong>
            {e.kind === 'reply' ? <span class="tag fb-tag">{e.is_public ? 'công khai' : 'riêng'}</span> : null}
            {e.kind === 'triaged' && typeof e.detail.responsibleUnit === 'string' ? ` — ${e.detail.responsibleUnit}` : ''}
            {e.kind === 'rated' ? ` ${String(e.detail.rating ?? '')}/5` : ''}
            {e.body ? <Paragraphs text={e.body} /> : null}
          </li>
        ))}
      </ol>
      {open ? (
        <>
          <h2 id="phan-loai">Phân loại và giao xử lý</h2>
          <form method="post" action={`${base}/phan-loai`} novalidate>
            <CsrfField ctx={ctx} />
            <Hidden fields={{ phien_ban: f.version }} />
            <Select
              name="loai"
              label="Loại phản ánh"
              hint="Hạn xử lý tính theo số ngày làm việc của loại, kể từ ngày nhận."
              options={v.categories.map((c) => ({ value: c.code, label: `${c.name} (${c.deadline_days} ngày làm việc)` }))}
              value={values.loai ?? f.category_code}
              errors={errors}
            />
            <Field name="don_vi" label="Đơn vị hoặc người xử lý" hint="Ví dụ: Tổ dân phố 3; công chức địa chính" value={values.don_vi ?? f.responsible_unit ?? ''} errors={errors} />
            <button type="submit">Lưu phân loại</button>
          </form>
          <h2 id="tra-loi">Trả lời người dân</h2>
          <form method="post" action={`${base}/tra-loi`} novalidate>
            <CsrfField ctx={ctx} />
            <Hidden fields={{ phien_ban: f.version, ...(f.is_public ? {} : { hien_thi: 'rieng' }) }} />
            <TextArea name="noi_dung" label="Nội dung trả lời" rows={5} value={values.noi_dung} errors={errors} maxLength={4000} />
            {f.is_public ? (
              <Radios
                name="hien_thi"
                legend="Ai xem được câu trả lời này?"
                options={[
                  { value: 'cong_khai', label: 'Công khai: mọi người xem được cùng phản ánh' },
                  { value: 'rieng', label: 'Riêng: chỉ người gửi xem được' },
                ]}
                value={values.hien_thi}
                errors={errors}
              />
            ) : (
              <p class="hint">Phản ánh này không công khai: câu trả lời chỉ người gửi xem được.</p>
            )}
            <button type="submit">Gửi trả lời</button>
          </form>
          <h2 id="dong">Đóng phản ánh</h2>
          <form method="post" action={`${base}/dong`} novalidate>
            <CsrfField ctx={ctx} />
            <Hidden fields={{ phien_ban: f.version }} />
            {errors.tra_loi ? (
              <p class="error-message" id="f-tra_loi">
                {errors.tra_loi}
              </p>
            ) : null}
            <p>Đóng khi việc đã được giải quyết và người dân đã nhận được câu trả lời. Người dân được đánh giá và có thể yêu cầu xử lý lại một lần.</p>
            <button type="submit" class="secondary">
              Đóng phản ánh
            </button>
          </form>
        </>
      ) : (
        <p>Phản ánh đã đóng{f.closed_at ? ` lúc ${vnDateTime(f.closed_at)}` : ''}.</p>
      )}
      <p>
        <a href={`/phan-anh/${f.code}`}>Xem trang người dân thấy</a>
      </p>
    </Layout>
  );
};

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %`);
const avg = (r: number | null) => (r === null ? '—' : r.toLocaleString('vi-VN', { maximumFractionDigits: 2 }));

const StatsCells: FC<{ r: StatsRow }> = ({ r }) => (
  <>
    <td class="fb-num">{r.received}</td>
    <td class="fb-num">{r.handled}</td>
    <td class="fb-num">
      {r.handledOnTime} ({pct(r.onTimeRate)})
    </td>
    <td class="fb-num">{avg(r.averageSatisfaction)}</td>
  </>
);

const StatsHead: FC<{ first: string }> = ({ first }) => (
  <thead>
    <tr>
      <th scope="col">{first}</th>
      <th scope="col">Tiếp nhận</th>
      <th scope="col">Đã xử lý</th>
      <th scope="col">Đúng hạn</th>
      <th scope="col">Hài lòng (1–5)</th>
    </tr>
  </thead>
);

export const StatsPage: FC<{ ctx: PageCtx; commune: Commune; stats: FeedbackStats; years: number[] }> = ({ ctx, commune, stats, years }) => (
  <Layout ctx={ctx} title={`Số liệu phản ánh — ${commune.name}`}>
    <p>
      <a href={`/can-bo/xa/${commune.code}/phan-anh`}>← Danh sách phản ánh</a>
    </p>
    <h1>
      Số liệu phản ánh năm {stats.year} — {commune.name}
    </h1>
    <form method="get" action={`/can-bo/xa/${commune.code}/phan-anh/so-lieu`} class="fb-inline-form">
      <Select name="nam" label="Năm" options={years.map((y) => ({ value: String(y), label: String(y) }))} value={String(stats.year)} />
      <button type="submit" class="secondary">
        Xem
      </button>
    </form>
    <p>
      Cả năm: tiếp nhận {stats.total.received}, đã xử lý {stats.total.handled}, đúng hạn {stats.total.handledOnTime} ({pct(stats.total.onTimeRate)}), mức hài lòng trung bình {avg(stats.total.averageSatisfaction)} ({stats.total.ratings} lượt đánh giá).
    </p>
    <p class="hint">“Tiếp nhận” tính theo tháng nhận; “đã xử lý”, “đúng hạn” và “hài lòng” tính theo tháng đóng phản ánh.</p>
    <h2 id="theo-loai">Theo loại</h2>
    <div class="fb-table-scroll" role="region" aria-labelledby="theo-loai" tabindex={0}>
      <table>
        <StatsHead first="Loại" />
        <tbody>
          {stats.byCategory.map((r) => (
            <tr>
              <th scope="row">{r.name}</th>
              <StatsCells r={r} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <h2 id="theo-thang">Theo tháng</h2>
    <div class="fb-table-scroll" role="region" aria-labelledby="theo-thang" tabindex={0}>
      <table>
        <StatsHead first="Tháng" />
        <tbody>
          {stats.byMonth.map((r) => (
            <tr>
              <th scope="row">{`${r.month.slice(5)}/${r.month.slice(0, 4)}`}</th>
              <StatsCells r={r} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <p>
      Dữ liệu dạng JSON: <a href={`/api/v1/communes/${commune.code}/feedback/stats?year=${stats.year}`}>/api/v1/communes/{commune.code}/feedback/stats</a>
    </p>
  </Layout>
);
