/** Citizens' and the public's feedback pages: one question per step, plain words, no JavaScript. */
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import { CsrfField, ErrorSummary, Field, Layout, type FieldErrors, type PageCtx } from '../platform/layout.js';
import type { Commune } from '../units/units.js';
import type { Category, FeedbackRow, PublishedItem } from './feedback.store.js';
import { FileField, Hidden, Notice, Pager, Paragraphs, Radios, StatusTag, TextArea } from './feedback.view.js';
import { MAX_PHOTOS } from './photos.js';
import { redactContacts, vnDate, vnDateTime, vnDay } from './text.js';

export const LandingPage: FC<{ ctx: PageCtx; homeCommune: Commune | null; errors?: FieldErrors; lookup?: string }> = ({ ctx, homeCommune, errors = {}, lookup }) => (
  <Layout ctx={ctx} title="Phản ánh, kiến nghị">
    <ErrorSummary t={ctx.t} errors={errors} />
    <h1>Phản ánh, kiến nghị</h1>
    <p class="lead">Báo cho xã, phường biết việc cần giải quyết: đường hỏng, đèn tắt, rác thải, mất trật tự, thủ tục chậm…</p>
    <p>
      <a class="button" href="/phan-anh/gui">
        Gửi phản ánh
      </a>
    </p>
    <h2>Theo dõi phản ánh đã gửi</h2>
    <form method="get" action="/phan-anh/tra-cuu" novalidate>
      <Field name="ma_so" label="Mã phản ánh" hint="Ví dụ: PA-25459-2026-000123 (trong tin nhắn xác nhận)" value={lookup} errors={errors} />
      <button type="submit" class="secondary">
        Xem tình trạng
      </button>
    </form>
    {homeCommune ? (
      <p>
        <a href={`/xa/${homeCommune.code}/phan-anh`}>Các phản ánh đã được trả lời ở {homeCommune.name}</a>
      </p>
    ) : null}
  </Layout>
);

const StepNote: FC<{ step: number }> = ({ step }) => <p class="fb-step">Bước {step} trên 3</p>;

export const CommuneStep: FC<{ ctx: PageCtx; communes: Commune[]; value?: string | undefined; errors?: FieldErrors }> = ({ ctx, communes, value, errors = {} }) => (
  <Layout ctx={ctx} title="Gửi phản ánh: chọn xã, phường">
    <ErrorSummary t={ctx.t} errors={errors} />
    <StepNote step={1} />
    <form method="get" action="/phan-anh/gui" novalidate>
      <h1>
        <label for="f-xa">Việc bạn phản ánh xảy ra ở xã, phường nào?</label>
      </h1>
      {errors.xa ? (
        <p class="error-message" id="f-xa-error">
          {errors.xa}
        </p>
      ) : null}
      <div class={errors.xa ? 'field field-error' : 'field'}>
        <select id="f-xa" name="xa" aria-describedby={errors.xa ? 'f-xa-error' : undefined} aria-invalid={errors.xa ? 'true' : undefined}>
          <option value="">— Chọn xã, phường —</option>
          {communes.map((c) => (
            <option value={c.code} selected={c.code === value}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Tiếp tục</button>
    </form>
  </Layout>
);

export const CategoryStep: FC<{ ctx: PageCtx; commune: Commune; categories: Category[]; value?: string | undefined; errors?: FieldErrors }> = ({ ctx, commune, categories, value, errors = {} }) => (
  <Layout ctx={ctx} title="Gửi phản ánh: chọn loại">
    <ErrorSummary t={ctx.t} errors={errors} />
    <StepNote step={2} />
    <h1>Bạn muốn phản ánh về việc gì?</h1>
    <p>
      Nơi nhận: <strong>{commune.name}</strong> (<a href="/phan-anh/gui?doi=1">đổi xã, phường</a>)
    </p>
    <form method="get" action="/phan-anh/gui" novalidate>
      <Hidden fields={{ xa: commune.code }} />
      <Radios
        name="loai"
        legend="Loại phản ánh"
        options={categories.map((c) => ({ value: c.code, label: c.name, hint: `Xử lý trong ${c.deadline_days} ngày làm việc` }))}
        value={value}
        errors={errors}
      />
      <button type="submit">Tiếp tục</button>
    </form>
  </Layout>
);

export interface DetailsView {
  commune: Commune;
  category: Category;
  idem: string;
  /** The signed-in sender's phone, if any: then the phone question is optional. */
  accountPhone: string | null;
  signedIn: boolean;
  values?: Record<string, string>;
  errors?: FieldErrors;
  messages?: string[];
}

export const DetailsStep: FC<{ ctx: PageCtx; v: DetailsView }> = ({ ctx, v }) => {
  const values = v.values ?? {};
  const errors = v.errors ?? {};
  return (
    <Layout ctx={ctx} title="Gửi phản ánh: nội dung">
      <ErrorSummary t={ctx.t} errors={errors} messages={v.messages} />
      <StepNote step={3} />
      <h1>Nội dung phản ánh</h1>
      <p>
        {v.category.name} — {v.commune.name} (<a href={`/phan-anh/gui?xa=${v.commune.code}`}>đổi loại</a>)
      </p>
      <form method="post" action="/phan-anh/gui" enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <Hidden fields={{ xa: v.commune.code, loai: v.category.code, idem: v.idem }} />
        <TextArea name="mo_ta" label="Việc gì đang xảy ra?" hint="Kể ngắn gọn: việc gì, từ bao giờ, ảnh hưởng thế nào. Tối đa 4.000 ký tự." value={values.mo_ta} errors={errors} maxLength={4000} />
        <Field name="dia_diem" label="Ở đâu? (không bắt buộc)" hint="Thôn, ấp, tổ dân phố, số nhà hoặc tên đường. Không cần bản đồ." value={values.dia_diem} errors={errors} />
        <FileField name="anh" label={`Ảnh chụp (không bắt buộc, tối đa ${MAX_PHOTOS} ảnh)`} hint="Ảnh JPEG, PNG hoặc WebP, mỗi ảnh tối đa 10 MB. Thông tin vị trí trong ảnh được xoá trước khi lưu." errors={errors} />
        <Radios
          name="cong_khai"
          legend="Cho mọi người xem phản ánh này?"
          hint="Tên và số điện thoại của bạn không bao giờ được công khai."
          options={[
            { value: 'co', label: 'Có, công khai nội dung và câu trả lời' },
            { value: 'khong', label: 'Không, chỉ tôi và cán bộ xã xem được' },
          ]}
          value={values.cong_khai}
          errors={errors}
        />
        {v.accountPhone ? (
          <p>
            Tin nhắn báo tiến độ sẽ gửi đến số <strong>{v.accountPhone}</strong> của tài khoản bạn.
          </p>
        ) : (
          <Field
            name="dien_thoai"
            label={v.signedIn ? 'Số điện thoại nhận tin nhắn (không bắt buộc)' : 'Số điện thoại của bạn'}
            hint="Để nhận tin nhắn báo tiến độ. Ví dụ: 0912345678"
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            value={values.dien_thoai}
            errors={errors}
          />
        )}
        <button type="submit">Gửi phản ánh</button>
      </form>
    </Layout>
  );
};

export type Viewer = 'public' | 'author' | 'official';

export interface TrackingView {
  f: FeedbackRow;
  commune: Commune;
  categoryName: string;
  viewer: Viewer;
  authorKey?: string | undefined;
  events: { seq: number; at: Date; kind: string; body: string; is_public: boolean; detail: Record<string, unknown> }[];
  photos: { seq: number; width: number; height: number }[];
  notice?: string | undefined;
  errors?: FieldErrors;
  messages?: string[];
  values?: Record<string, string>;
}

function eventText(e: TrackingView['events'][number], viewer: Viewer): { title: string; body?: string } | null {
  const full = viewer !== 'public';
  switch (e.kind) {
    case 'submitted':
      return { title: 'Đã tiếp nhận phản ánh' };
    case 'triaged': {
      const unit = typeof e.detail.responsibleUnit === 'string' ? e.detail.responsibleUnit : '';
      const due = typeof e.detail.dueDate === 'string' ? e.detail.dueDate : '';
      return { title: `Đang xử lý${unit ? `, giao: ${unit}` : ''}${due ? `. Hạn: ${vnDay(due)}` : ''}` };
    }
    case 'reply':
      if (!e.is_public && !full) return null;
      return { title: e.is_public ? 'Trả lời của xã, phường' : 'Trả lời riêng cho người gửi', body: full ? e.body : redactContacts(e.body) };
    case 'closed':
      return { title: 'Đã đóng phản ánh' };
    case 'reopened':
      return full ? { title: 'Người gửi yêu cầu xử lý lại', body: e.body } : { title: 'Được mở lại để xử lý tiếp' };
    case 'rated':
      return full ? { title: `Người gửi đánh giá ${String(e.detail.rating ?? '')}/5`, ...(e.body ? { body: e.body } : {}) } : null;
    default:
      return null;
  }
}

export const TrackingPage: FC<{ ctx: PageCtx; v: TrackingView }> = ({ ctx, v }) => {
  const { f } = v;
  const showContent = f.is_public || v.viewer !== 'public';
  const text = (s: string) => (v.viewer === 'public' ? redactContacts(s) : s);
  const errors = v.errors ?? {};
  const values = v.values ?? {};
  const photoUrl = (n: number) => `/phan-anh/${f.code}/anh/${n}${v.authorKey ? `?ma=${encodeURIComponent(v.authorKey)}` : ''}`;
  return (
    <Layout ctx={ctx} title={`Phản ánh ${f.code}`}>
      <ErrorSummary t={ctx.t} errors={errors} messages={v.messages} />
      {v.notice ? <Notice>{v.notice}</Notice> : null}
      <h1>Phản ánh {f.code}</h1>
      <table class="fb-facts">
        <tbody>
          <tr>
            <th scope="row">Tình trạng</th>
            <td>
              <StatusTag status={f.status} />
            </td>
          </tr>
          <tr>
            <th scope="row">Loại</th>
            <td>{v.categoryName}</td>
          </tr>
          <tr>
            <th scope="row">Nơi nhận</th>
            <td>{v.commune.name}</td>
          </tr>
          <tr>
            <th scope="row">Ngày gửi</th>
            <td>{vnDateTime(f.submitted_at)}</td>
          </tr>
          <tr>
            <th scope="row">Hạn xử lý</th>
            <td>{vnDay(f.due_date)}</td>
          </tr>
        </tbody>
      </table>
      {v.viewer === 'author' && !f.author_id && v.authorKey ? (
        <p class="notice">Hãy lưu lại đường dẫn của trang này (hoặc tin nhắn xác nhận): chỉ người có đường dẫn này mới đánh giá hoặc yêu cầu xử lý lại được.</p>
      ) : null}
      {showContent ? (
        <>
          <h2>Nội dung</h2>
          <Paragraphs text={text(f.description)} />
          {f.location_text ? (
            <p>
              <strong>Địa điểm:</strong> {text(f.location_text)}
            </p>
          ) : null}
          {v.photos.length ? (
            <ul class="fb-photos">
              {v.photos.map((p) => (
                <li>
                  <img src={photoUrl(p.seq)} alt={`Ảnh ${p.seq} kèm phản ánh`} width={p.width} height={p.height} loading="lazy" />
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : (
        <p>Người gửi chọn không công khai nội dung phản ánh này.</p>
      )}
      <h2>Tiến trình xử lý</h2>
      <ol class="fb-timeline">
        {v.events.map((e) => {
          const shown = eventText(e, v.viewer);
          if (!shown) return null;
          if (!showContent && e.kind === 'reply') return null;
          return (
            <li>
              <span class="fb-when">{vnDateTime(new Date(e.at))}</span> <strong>{shown.title}</strong>
              {shown.body ? <Paragraphs text={shown.body} /> : null}
            </li>
          );
        })}
      </ol>
      {v.viewer === 'author' && f.status === 'closed' ? (
        <>
          <h2>Đánh giá câu trả lời</h2>
          {f.rating ? <p>Bạn đã đánh giá {f.rating}/5. Bạn có thể đánh giá lại.</p> : null}
          <form method="post" action={`/phan-anh/${f.code}/danh-gia`} novalidate>
            <CsrfField ctx={ctx} />
            <Hidden fields={{ phien_ban: f.version, ma: v.authorKey }} />
            <Radios
              name="diem"
              legend="Bạn hài lòng với câu trả lời ở mức nào?"
              options={[
                { value: '5', label: '5 — Rất hài lòng' },
                { value: '4', label: '4 — Hài lòng' },
                { value: '3', label: '3 — Bình thường' },
                { value: '2', label: '2 — Chưa hài lòng' },
                { value: '1', label: '1 — Rất không hài lòng' },
              ]}
              value={values.diem ?? (f.rating ? String(f.rating) : undefined)}
              errors={errors}
            />
            <TextArea name="nhan_xet" label="Nhận xét (không bắt buộc)" rows={3} value={values.nhan_xet} errors={errors} maxLength={1000} />
            <button type="submit">Gửi đánh giá</button>
          </form>
          {f.reopen_count === 0 ? (
            <>
              <h2>Chưa hài lòng?</h2>
              <p>Bạn có thể yêu cầu xử lý lại một lần.</p>
              <form method="post" action={`/phan-anh/${f.code}/mo-lai`} novalidate>
                <CsrfField ctx={ctx} />
                <Hidden fields={{ phien_ban: f.version, ma: v.authorKey }} />
                <TextArea name="ly_do" label="Vì sao bạn chưa hài lòng?" rows={3} value={values.ly_do} errors={errors} maxLength={1000} />
                <button type="submit" class="secondary">
                  Yêu cầu xử lý lại
                </button>
              </form>
            </>
          ) : null}
        </>
      ) : null}
      {v.viewer === 'official' ? (
        <p>
          <a class="button secondary" href={`/can-bo/xa/${f.commune_code}/phan-anh/${f.code}`}>
            Mở trang xử lý
          </a>
        </p>
      ) : null}
      {f.is_public ? (
        <p>
          <a href={`/xa/${f.commune_code}/phan-anh`}>Các phản ánh đã được trả lời ở {v.commune.name}</a>
        </p>
      ) : null}
    </Layout>
  );
};

/** One page of answered items, as HTML: the same for everyone, so it is cached rendered (src/feedback/cache.ts). */
export interface PublishedList {
  html: string;
  count: number;
  more: boolean;
}

export async function renderPublishedItems(items: PublishedItem[], more: boolean): Promise<PublishedList> {
  const list = (
    <ul class="list-plain feedback-list">
      {items.map((i) => (
        <li>
          <h2 class="fb-item-title">
            <a href={`/phan-anh/${i.code}`}>{i.category_name}</a>
          </h2>
          <p class="fb-meta">
            {i.code} · gửi {vnDay(vnDate(i.submitted_at))} · trả lời {vnDateTime(i.closed_at)}
            {i.location_text ? ` · ${redactContacts(i.location_text)}` : ''}
          </p>
          <p>{shorten(redactContacts(i.description), 300)}</p>
          <p class="fb-answer">
            <strong>Trả lời:</strong> {shorten(redactContacts(i.public_reply), 400)}
          </p>
        </li>
      ))}
    </ul>
  );
  return { html: String(await list.toString()), count: items.length, more };
}

export const PublishedPage: FC<{ ctx: PageCtx; commune: Commune; q: string; list: PublishedList; page: number }> = ({ ctx, commune, q, list, page }) => (
  <Layout ctx={ctx} title={`Phản ánh đã trả lời — ${commune.name}`}>
    <h1>Phản ánh đã được trả lời ở {commune.name}</h1>
    <p>Các phản ánh người gửi cho phép công khai, cùng câu trả lời của chính quyền. Tên và số điện thoại của người gửi không được hiển thị.</p>
    <form method="get" action={`/xa/${commune.code}/phan-anh`} role="search" aria-label="Tìm phản ánh" class="fb-search">
      <label for="f-q">Tìm trong các phản ánh</label>
      <div class="fb-search-row">
        <input id="f-q" name="q" type="search" value={q} placeholder="Ví dụ: đèn đường" />
        <button type="submit">Tìm</button>
      </div>
    </form>
    {list.count === 0 ? <p>{q ? `Không có phản ánh nào khớp với “${q}”.` : 'Chưa có phản ánh nào được công khai.'}</p> : raw(list.html)}
    <Pager base={`/xa/${commune.code}/phan-anh`} params={{ q }} page={page} more={list.more} />
    <p>
      <a href="/phan-anh/gui">Gửi phản ánh mới</a>
    </p>
  </Layout>
);

export function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}
