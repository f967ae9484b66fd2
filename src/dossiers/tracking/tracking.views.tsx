/** Tracking pages: the public look-up by code, the citizen's list, one dossier with its timeline. */
import type { FC } from 'hono/jsx';
import { CsrfField, Field, Layout, type FieldErrors, type PageCtx } from '../../platform/layout.js';
import { receiptKind } from '../forms/data.js';
import { BackLink, fieldLinks, LinkedErrorSummary, Radios, TextArea, vnDate, vnDateTime, type ErrorLink } from '../submit/components.js';
import { shortPaperName } from '../submit/draft.js';
import type { DraftListItem } from '../submit/drafts.store.js';
import { formatSize } from '../submit/uploads.js';
import { PaperForm, type PaperView } from '../submit/submit.views.js';
import { STATUS, STATUS_LABELS, type Status } from '../workflow.js';
import type { TimelineEntry } from './timeline.js';
import type { AttachedFile, OwnDossier, OwnDossierItem } from './tracking.store.js';

export const Timeline: FC<{ entries: TimelineEntry[] }> = ({ entries }) => (
  <ol class="timeline">
    {entries.map((e) => (
      <li>
        <p class="timeline-when">{vnDateTime(e.at)}</p>
        <p class="timeline-what">
          <strong>{e.title}</strong>
        </p>
        {e.detail ? <p class="prewrap">{e.detail}</p> : null}
        {e.dueDate ? <p>Hẹn trả kết quả: {vnDate(e.dueDate)}</p> : null}
        <p class="meta">{e.by}</p>
      </li>
    ))}
  </ol>
);

const StatusBlock: FC<{ status: Status; due: string | null; waiting: string | null; overdue: boolean }> = ({ status, due, waiting, overdue }) => (
  <div class="status-block">
    <p>
      Trạng thái: <strong class={`status status-${status}`}>{STATUS_LABELS[status]}</strong>
    </p>
    {due ? <p>{due}</p> : null}
    {overdue ? <p class="notice">Hồ sơ đã quá ngày hẹn trả. Bộ phận một cửa phải gửi văn bản xin lỗi và hẹn lại ngày trả cho bạn.</p> : null}
    {waiting ? <p class="notice prewrap waiting">{waiting}</p> : null}
  </div>
);

// ---- Public look-up --------------------------------------------------------------

export interface TrackResult {
  code: string;
  procedureName: string;
  commune: string;
  status: Status;
  due: string | null;
  waiting: string | null;
  overdue: boolean;
  timeline: TimelineEntry[];
}

export const TrackPage: FC<{ ctx: PageCtx; values: { ma: string; so: string }; errors: FieldErrors; messages: ErrorLink[]; result: TrackResult | null }> = ({ ctx, values, errors, messages, result }) => (
  <Layout ctx={ctx} title={result ? `Hồ sơ ${result.code}` : 'Tra cứu hồ sơ'}>
    <LinkedErrorSummary t={ctx.t} items={[...messages, ...fieldLinks(errors)]} />
    <h1>Tra cứu hồ sơ</h1>
    {result ? null : <p>Nhập mã hồ sơ (in trên giấy biên nhận) và 4 số cuối của số điện thoại đã dùng khi nộp.</p>}
    {result ? (
      <section aria-labelledby="ket-qua">
        <h2 id="ket-qua">Hồ sơ {result.code}</h2>
        <p>
          {result.procedureName}
          <span class="meta">Nộp tại {result.commune}</span>
        </p>
        <StatusBlock status={result.status} due={result.due} waiting={result.waiting} overdue={result.overdue} />
        <h3>Quá trình giải quyết</h3>
        <Timeline entries={result.timeline} />
        <p>
          Muốn bổ sung giấy tờ hoặc xem chi tiết? <a href="/ho-so-cua-toi">Đăng nhập và mở “Hồ sơ của tôi”</a>.
        </p>
        <h2>Tra cứu hồ sơ khác</h2>
      </section>
    ) : null}
    <form method="get" action="/tra-cuu" novalidate>
      <Field name="ma" label="Mã hồ sơ" hint="Ví dụ: 25459-260309-0001" autocomplete="off" value={result ? '' : values.ma} errors={errors} />
      <Field name="so" label="4 số cuối của số điện thoại" hint="Ví dụ: số 0912 345 678 thì nhập 5678" inputmode="numeric" autocomplete="off" value={result ? '' : values.so} errors={errors} />
      <button type="submit">Tra cứu</button>
    </form>
  </Layout>
);

// ---- The citizen's list -------------------------------------------------------------

const NOTICES: Record<string, string> = {
  'xoa-ban-nhap': 'Đã xóa bản nháp.',
};

export const MyDossiersPage: FC<{ ctx: PageCtx; drafts: DraftListItem[]; dossiers: OwnDossierItem[]; notice: string | undefined }> = ({ ctx, drafts, dossiers, notice }) => (
  <Layout ctx={ctx} title="Hồ sơ của tôi">
    {notice && NOTICES[notice] ? (
      <p class="notice success" role="status">
        {NOTICES[notice]}
      </p>
    ) : null}
    <h1>Hồ sơ của tôi</h1>
    <h2>Bản nháp chưa nộp</h2>
    {drafts.length ? (
      <ul class="list-plain dossier-list">
        {drafts.map((d) => (
          <li>
            <a href={`/nop-ho-so/ban-nhap/${d.id}/tiep-tuc`}>{d.procedure_name}</a>
            <span class="meta">Lưu lúc {vnDateTime(d.updated_at)}</span>
            <form method="post" action={`/nop-ho-so/ban-nhap/${d.id}/xoa`} class="inline">
              <CsrfField ctx={ctx} />
              <button type="submit" class="link-button" aria-label={`Xóa bản nháp ${d.procedure_name}`}>
                Xóa bản nháp
              </button>
            </form>
          </li>
        ))}
      </ul>
    ) : (
      <p>Không có bản nháp nào.</p>
    )}
    <h2>Hồ sơ đã nộp</h2>
    {dossiers.length ? (
      <ul class="list-plain dossier-list">
        {dossiers.map((d) => (
          <li>
            <a href={`/ho-so/${d.id}`}>
              {d.code}: {d.procedure_name}
            </a>
            <span class="meta">
              Nộp lúc {vnDateTime(d.submitted_at)} · <strong>{STATUS_LABELS[d.status]}</strong>
              {d.due_date && d.status !== STATUS.returned ? ` · Hẹn trả ${vnDate(d.due_date)}` : ''}
              {d.status === STATUS.submitted ? ' · Ngày hẹn trả có khi cán bộ tiếp nhận' : ''}
            </span>
          </li>
        ))}
      </ul>
    ) : (
      <p>
        Bạn chưa nộp hồ sơ nào. <a href="/thu-tuc">Tìm thủ tục để nộp</a>
      </p>
    )}
  </Layout>
);

// ---- One dossier -----------------------------------------------------------------------

export const RATING_LABELS: Record<number, string> = { 1: 'Rất không hài lòng', 2: 'Không hài lòng', 3: 'Bình thường', 4: 'Hài lòng', 5: 'Rất hài lòng' };

export interface DossierView {
  d: OwnDossier;
  commune: string;
  due: string | null;
  waiting: string | null;
  overdue: boolean;
  timeline: TimelineEntry[];
  files: (AttachedFile & { paper: string })[];
  /** Status 5: the papers to upload against, and what was added since the request. */
  supplement: { papers: { no: number; name: string }[]; added: (AttachedFile & { paper: string })[] } | null;
}

export const DossierPage: FC<{ ctx: PageCtx; v: DossierView; errors: FieldErrors; messages: ErrorLink[]; notice: string | null; values: Record<string, string> }> = ({ ctx, v, errors, messages, notice, values }) => {
  const { d } = v;
  // Refused or withdrawn before reception: there is no receipt to offer, so no link that would answer 404.
  const receipt = receiptKind(d);
  return (
    <Layout ctx={ctx} title={`Hồ sơ ${d.code}`}>
      <LinkedErrorSummary t={ctx.t} items={[...messages, ...fieldLinks(errors)]} />
      {notice ? (
        <p class="notice success" role="status">
          {notice}
        </p>
      ) : null}
      <BackLink href="/ho-so-cua-toi" />
      <h1>Hồ sơ {d.code}</h1>
      <p>
        {d.procedure_name}
        <span class="meta">
          Nộp tại {v.commune} lúc {vnDateTime(d.submitted_at)}
        </span>
      </p>
      <StatusBlock status={d.status} due={v.due} waiting={v.waiting} overdue={v.overdue} />

      {v.supplement ? (
        <section aria-labelledby="bo-sung" class="panel">
          <h2 id="bo-sung">Bổ sung giấy tờ</h2>
          <p>Tải lên từng giấy tờ được yêu cầu, rồi bấm “Nộp bổ sung”.</p>
          <ul class="list-plain">
            {v.supplement.papers.map((p) => (
              <li>
                <a href={`/ho-so/${d.id}/bo-sung/${p.no}`}>{shortPaperName(p.name)}</a>
              </li>
            ))}
          </ul>
          {v.supplement.added.length ? (
            <>
              <p>Đã tải lên để bổ sung:</p>
              <ul>
                {v.supplement.added.map((f) => (
                  <li>
                    {f.file_name} ({formatSize(f.size_bytes)}): {shortPaperName(f.paper, 60)}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="hint">Chưa tải lên giấy tờ bổ sung nào.</p>
          )}
          <form method="post" action={`/ho-so/${d.id}/nop-bo-sung`} novalidate id="f-nop-bo-sung">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="version" value={String(d.version)} />
            <button type="submit">Nộp bổ sung</button>
          </form>
        </section>
      ) : null}

      {receipt ? (
        <p>
          <a href={`/ho-so/${d.id}/bien-nhan.pdf`}>Tải giấy biên nhận (PDF)</a>
          <span class="meta">
            {receipt === 'appointment'
              ? 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01).'
              : 'Giấy biên nhận hồ sơ đã nộp. Giấy hẹn trả kết quả có khi cán bộ tiếp nhận hồ sơ; khi đó tải lại tại đây.'}
          </span>
        </p>
      ) : null}

      <h2>Quá trình giải quyết</h2>
      <Timeline entries={v.timeline} />

      <h2>Giấy tờ đã nộp</h2>
      {v.files.length ? (
        <ul>
          {v.files.map((f) => (
            <li>
              {f.file_name} ({formatSize(f.size_bytes)})<span class="meta">{shortPaperName(f.paper, 80)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Không có tệp nào.</p>
      )}

      {d.status === STATUS.returned ? (
        <section aria-labelledby="danh-gia">
          <h2 id="danh-gia">Đánh giá sự hài lòng</h2>
          {d.rating ? (
            <p>
              Bạn đã đánh giá: <strong>{RATING_LABELS[d.rating]}</strong> ({d.rating}/5). Cảm ơn bạn.
            </p>
          ) : (
            <form method="post" action={`/ho-so/${d.id}/danh-gia`} novalidate>
              <CsrfField ctx={ctx} />
              <Radios
                name="diem"
                legend="Bạn có hài lòng với cách giải quyết hồ sơ này không?"
                options={[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: `${RATING_LABELS[n]} (${n}/5)` }))}
                value={values.diem}
                errors={errors}
              />
              <TextArea name="y_kien" label="Góp ý thêm (không bắt buộc)" hint="Tối đa 1.000 ký tự." value={values.y_kien} errors={errors} />
              <button type="submit">Gửi đánh giá</button>
            </form>
          )}
        </section>
      ) : null}
    </Layout>
  );
};

export const SupplementPaperPage: FC<{ ctx: PageCtx; code: string; dossierId: string; v: PaperView; errors: FieldErrors }> = ({ ctx, code, dossierId, v, errors }) => (
  <Layout ctx={ctx} title={`Bổ sung giấy tờ cho hồ sơ ${code}`}>
    <LinkedErrorSummary t={ctx.t} items={fieldLinks(errors)} />
    <BackLink href={`/ho-so/${dossierId}`} />
    <p class="caption">Bổ sung giấy tờ cho hồ sơ {code}</p>
    <PaperForm ctx={ctx} v={v} errors={errors} />
  </Layout>
);
