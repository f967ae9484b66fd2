/** The back-office pages: work queues and the dossier page with one form per action. Plain HTML forms, no JavaScript. */
import type { FC } from 'hono/jsx';
import { CsrfField, ErrorSummary, Layout, type FieldErrors, type PageCtx } from '../../platform/layout.js';
import type { Commune } from '../../units/units.js';
import { unitName } from '../../units/units.js';
import type { DossierRow } from '../dossiers.store.js';
import { deadlineState } from '../deadline.js';
import { STATUS_LABELS, type ActionName, type Transition } from '../workflow.js';
import type { DossierView } from './office.service.js';
import { actionLabel, FORM_NAMES } from './office.service.js';
import type { QueueItem } from './office.store.js';
import {
  ACTION_SLUGS,
  CHANNEL_LABELS,
  Checkboxes,
  DateInput,
  DEADLINE_LABELS,
  dossierUrl,
  fileUrl,
  formUrl,
  queueUrl,
  Select,
  TextArea,
  trackingBookUrl,
  vnDate,
  vnDateTime,
} from './office.view.js';
import { QUEUES, type QueueCounts, type QueueInfo } from './queues.js';

// ---- Queues ---------------------------------------------------------------------

const QueueNav: FC<{ commune: string; counts: QueueCounts; current: QueueInfo | null }> = ({ commune, counts, current }) => (
  <nav aria-label="Hàng hồ sơ" class="office-queues">
    <ul>
      {QUEUES.map((q) => (
        <li class={q.id === 'overdue' && counts.overdue > 0 ? 'office-queue-alert' : undefined}>
          <a href={queueUrl(commune, q.slug)} aria-current={current?.id === q.id ? 'page' : undefined}>
            {q.label} <span class="office-count">{counts[q.id]}</span>
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

export const QueuePage: FC<{
  ctx: PageCtx;
  commune: Commune;
  queue: QueueInfo;
  counts: QueueCounts;
  items: QueueItem[];
  nextUrl: string | null;
  firstUrl: string | null;
  mine: boolean;
  today: string;
  riskEnd: string;
  trackingBook: boolean;
  /** Set after a dossier left this commune's pages (transferred to another deciding unit). */
  done?: string | null;
}> = ({ ctx, commune, queue, counts, items, nextUrl, firstUrl, mine, today, riskEnd, trackingBook, done }) => (
  <Layout ctx={ctx} title={`${queue.label} — Hồ sơ ${commune.name}`} wide>
    <p class="breadcrumb">
      <a href="/can-bo">Khu làm việc của cán bộ</a>
    </p>
    <h1>Hồ sơ của {commune.name}</h1>
    {done ? (
      <p class="notice success" role="status">
        {done}
      </p>
    ) : null}
    <QueueNav commune={commune.code} counts={counts} current={queue} />
    <h2 id="hang">
      {queue.label}
      {mine ? ' — giao cho tôi' : ''} ({mine ? counts.mine : counts[queue.id]})
    </h2>
    <p>{queue.hint}</p>
    {queue.id === 'process' ? (
      <p>
        {mine ? (
          <a href={queueUrl(commune.code, queue.slug)}>Xem tất cả hồ sơ đang xử lý ({counts.process})</a>
        ) : (
          <a href={queueUrl(commune.code, queue.slug, '&cua-toi=1')}>Chỉ xem hồ sơ giao cho tôi ({counts.mine})</a>
        )}
      </p>
    ) : null}
    {items.length === 0 ? (
      <p class="notice">Không có hồ sơ nào trong hàng này.</p>
    ) : (
      <ul class="list-plain office-list">
        {items.map((it) => {
          const state = deadlineState(it, { today, riskEnd });
          return (
            <li>
              <a href={dossierUrl(commune.code, it.id)} class="office-code">
                {it.code}
              </a>
              <span class="meta">{it.procedure_name ?? it.procedure_code}</span>
              <span class="meta">
                {STATUS_LABELS[it.status]}
                {it.due_date ? ` · Hẹn trả ${vnDate(it.due_date)}` : ''}
                {state === 'overdue' || state === 'at_risk' ? (
                  <>
                    {' '}
                    <strong class={`office-deadline office-deadline-${state}`}>{DEADLINE_LABELS[state]}</strong>
                  </>
                ) : null}
              </span>
              {it.commune_code !== commune.code ? <span class="meta">Tiếp nhận tại {unitName(it.commune_code) ?? it.commune_code}</span> : null}
              {it.deciding_unit !== commune.code ? <span class="meta">Thẩm quyền giải quyết: {unitName(it.deciding_unit) ?? it.deciding_unit}</span> : null}
            </li>
          );
        })}
      </ul>
    )}
    {nextUrl || firstUrl ? (
      <nav class="pager" aria-label="Trang">
        {firstUrl ? <a href={firstUrl}>Về đầu danh sách</a> : <span />}
        {nextUrl ? <a href={nextUrl}>Xem tiếp</a> : null}
      </nav>
    ) : null}
    {trackingBook ? (
      <p>
        <a href={trackingBookUrl(commune.code)}>Tải Sổ theo dõi hồ sơ (mẫu 07, tệp Excel)</a>
      </p>
    ) : null}
  </Layout>
);

// ---- The dossier page -------------------------------------------------------------

/** What the last post left to show: a problem (conflict, refusal) or one form's errors and values. */
export interface Posted {
  message?: string;
  slug?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

const DONE_TEXT: Partial<Record<ActionName, string>> = {
  accept: 'Đã tiếp nhận hồ sơ.',
  refuse: 'Đã từ chối tiếp nhận hồ sơ.',
  request_supplement: 'Đã gửi yêu cầu bổ sung, hoàn thiện hồ sơ cho người dân.',
  resubmit: 'Đã ghi nhận giấy tờ nộp bổ sung.',
  assign: 'Đã chuyển hồ sơ cho chuyên viên xử lý.',
  transfer: 'Đã chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết.',
  appraise: 'Đã thẩm định xong, hồ sơ đã trình lãnh đạo.',
  approve: 'Đã phê duyệt kết quả.',
  request_payment: 'Đã gửi yêu cầu nộp phí, lệ phí cho người dân.',
  confirm_payment: 'Đã xác nhận người dân nộp phí, lệ phí.',
  return_result: 'Đã trả kết quả cho người dân.',
  withdraw: 'Đã rút hồ sơ theo yêu cầu của người dân.',
  stop: 'Đã dừng giải quyết hồ sơ.',
  apologise: 'Đã lập văn bản xin lỗi và hẹn lại ngày trả.',
};

function paperLabel(p: { no: number; name: string; originals: number; copies: number }): string {
  const counts = [p.originals ? `${p.originals} bản chính` : '', p.copies ? `${p.copies} bản sao` : ''].filter(Boolean).join(', ');
  return `${p.no + 1}. ${p.name}${counts ? ` (${counts})` : ''}`;
}

const FormLink: FC<{ commune: string; id: string; form: string }> = ({ commune, id, form }) => (
  <a href={formUrl(commune, id, form)}>
    Mở {FORM_NAMES[form as keyof typeof FORM_NAMES] ?? `mẫu ${form}`} (mẫu {form})
  </a>
);

const ActionForm: FC<{ ctx: PageCtx; commune: string; v: DossierView; t: Transition; posted: Posted; transferUnits: { value: string; label: string }[] }> = ({
  ctx,
  commune,
  v,
  t,
  posted,
  transferUnits,
}) => {
  const slug = ACTION_SLUGS[t.action];
  const mine = posted.slug === slug;
  const values = mine ? (posted.values ?? {}) : {};
  const errors = mine ? (posted.errors ?? {}) : {};
  const checked = (prefix: string) => new Set(Object.keys(values).flatMap((k) => (k.startsWith(`${prefix}_`) ? [Number(k.slice(prefix.length + 1))] : [])));
  const papers = v.papers.map((p) => ({ no: p.no, label: paperLabel(p) }));
  const note = (label: string, hint?: string, rows = 3) => <TextArea form={slug} name="note" label={label} {...(hint ? { hint } : {})} value={values.note} errors={errors} rows={rows} />;
  const danger = t.action === 'refuse' || t.action === 'stop' || t.action === 'withdraw';
  return (
    <section class="office-action" aria-labelledby={`a-${slug}`}>
      <h3 id={`a-${slug}`}>{t.label}</h3>
      <form method="post" action={`${dossierUrl(commune, v.d.id)}/${slug}`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={String(v.d.version)} />
        {t.action === 'accept' ? (
          papers.length ? (
            <Checkboxes form={slug} name="checked" legend="Giấy tờ đã kiểm tra, đủ và hợp lệ" hint="Đánh dấu từng giấy tờ đã nhận và kiểm tra." items={papers} checked={checked('checked')} errors={errors} />
          ) : (
            <p>Thủ tục không công bố danh mục giấy tờ cho trường hợp này: kiểm tra theo quy định trước khi tiếp nhận.</p>
          )
        ) : null}
        {t.action === 'request_supplement' ? (
          <>
            {papers.length ? <Checkboxes form={slug} name="missing" legend="Giấy tờ còn thiếu hoặc chưa hợp lệ" items={papers} checked={checked('missing')} errors={{}} /> : null}
            {note('Nội dung cần bổ sung, hoàn thiện', 'Liệt kê đầy đủ một lần mọi giấy tờ còn thiếu hoặc cần sửa, và cách sửa: người dân chỉ phải bổ sung một lần.', 5)}
          </>
        ) : null}
        {t.action === 'refuse' ? note('Lý do từ chối tiếp nhận', 'Ghi rõ lý do và căn cứ; người dân nhận được phiếu từ chối (mẫu 03).') : null}
        {t.action === 'stop' ? note('Lý do dừng giải quyết', 'Người dân nhận được thông báo dừng giải quyết (mẫu 05).') : null}
        {t.action === 'request_payment' ? note('Khoản phí, lệ phí phải nộp', 'Số tiền, nội dung và cách nộp.') : null}
        {t.action === 'assign' ? (
          v.specialists.length ? (
            <Select
              form={slug}
              name="assignee_id"
              label="Chuyên viên xử lý"
              value={values.assignee_id ?? v.d.assignee_id ?? undefined}
              errors={errors}
              placeholder="— Chọn chuyên viên —"
              options={v.specialists.map((s) => ({ value: s.id, label: s.full_name }))}
            />
          ) : (
            <p class="notice">{`${unitName(v.d.deciding_unit) ?? v.d.deciding_unit} chưa có chuyên viên nào trên hệ thống: nhờ quản trị cấp tỉnh cấp quyền trước.`}</p>
          )
        ) : null}
        {t.action === 'transfer' ? (
          <>
            <Select form={slug} name="deciding_unit" label="Cơ quan có thẩm quyền giải quyết" value={values.deciding_unit} errors={errors} placeholder="— Chọn cơ quan —" options={transferUnits} />
            {note('Lý do chuyển')}
          </>
        ) : null}
        {t.action === 'apologise' ? (
          <>
            {note('Lý do chậm trả kết quả', 'Nêu lý do; văn bản xin lỗi (mẫu 04) được gửi cho người dân.')}
            <DateInput form={slug} name="new_due_date" label="Ngày hẹn trả mới" hint={`Một ngày làm việc sau ngày hẹn cũ${v.d.due_date ? ` (${vnDate(v.d.due_date)})` : ''}, dạng năm-tháng-ngày nếu máy không hiện lịch.`} value={values.new_due_date} errors={errors} />
          </>
        ) : null}
        {['resubmit', 'appraise', 'approve', 'confirm_payment', 'return_result', 'withdraw'].includes(t.action)
          ? note(
              {
                resubmit: 'Giấy tờ người dân nộp bổ sung (không bắt buộc)',
                appraise: 'Ý kiến thẩm định (không bắt buộc)',
                approve: 'Ý kiến của lãnh đạo (không bắt buộc)',
                confirm_payment: 'Số biên lai, ghi chú (không bắt buộc)',
                return_result: 'Cách trả kết quả: tại quầy, bưu điện, trực tuyến (không bắt buộc)',
                withdraw: 'Lý do người dân rút hồ sơ (không bắt buộc)',
              }[t.action as string] ?? 'Ghi chú',
            )
          : null}
        {t.action === 'accept' ? note('Ghi chú (không bắt buộc)', undefined, 2) : null}
        <button type="submit" class={danger ? 'warning' : undefined} disabled={t.action === 'assign' && v.specialists.length === 0}>
          {t.label}
        </button>
      </form>
    </section>
  );
};

export const DossierPage: FC<{ ctx: PageCtx; commune: Commune; v: DossierView; posted: Posted; done: ActionName | null; transferUnits: { value: string; label: string }[] }> = ({
  ctx,
  commune,
  v,
  posted,
  done,
  transferUnits,
}) => {
  const d: DossierRow & { consent_at: Date | null } = v.d;
  const apologise = v.actions.find((t) => t.action === 'apologise');
  const prominent = apologise && (v.overdue || v.deadline === 'at_risk');
  const others = v.actions.filter((t) => !(prominent && t.action === 'apologise'));
  const doneForm = done ? v.events.findLast((e) => e.action === done)?.detail.form : undefined;
  return (
    <Layout ctx={ctx} title={`Hồ sơ ${d.code}`} wide>
      {posted.errors && Object.keys(posted.errors).length ? <ErrorSummary t={ctx.t} errors={posted.errors} /> : null}
      {posted.message && !(posted.errors && Object.keys(posted.errors).length) ? (
        <div class="error-summary" role="alert" aria-labelledby="problem-title" tabindex={-1}>
          <h2 id="problem-title">Chưa thực hiện được</h2>
          <p>{posted.message}</p>
        </div>
      ) : null}
      <p class="breadcrumb">
        <a href={queueUrl(commune.code)}>Hồ sơ của {commune.name}</a>
      </p>
      <h1>Hồ sơ {d.code}</h1>
      {done ? (
        <div class="notice success" id="ket-qua" role="status">
          <p>
            <strong>{DONE_TEXT[done] ?? 'Đã thực hiện.'}</strong>
            {done === 'accept' && d.due_date ? ` Hẹn trả kết quả: ${vnDate(d.due_date)}.` : ''}
          </p>
          {typeof doneForm === 'string' ? (
            <p>
              <FormLink commune={commune.code} id={d.id} form={doneForm} />
            </p>
          ) : null}
        </div>
      ) : null}
      <p class="office-status">
        <span class="tag">{STATUS_LABELS[d.status]}</span>
        {d.due_date ? (
          <>
            {' '}
            Hẹn trả: <strong>{vnDate(d.due_date)}</strong>
            {v.deadline !== 'none' ? (
              <>
                {' '}
                <strong class={`office-deadline office-deadline-${v.deadline}`}>{DEADLINE_LABELS[v.deadline]}</strong>
              </>
            ) : null}
          </>
        ) : null}
      </p>
      {v.overdue ? (
        <div class="office-overdue" role="region" aria-labelledby="qua-han">
          <h2 id="qua-han">Hồ sơ đã quá hạn trả kết quả</h2>
          <p>
            Hạn trả là {vnDate(d.due_date)}. Trước khi xử lý tiếp, phải lập <strong>Văn bản xin lỗi và hẹn lại ngày trả (mẫu 04)</strong> với ngày hẹn mới.
            {v.blocked.length ? ` Các thao tác đang tạm khóa: ${v.blocked.map((t) => t.label.toLowerCase()).join('; ')}.` : ''}
          </p>
          {prominent && apologise ? <ActionForm ctx={ctx} commune={commune.code} v={v} t={apologise} posted={posted} transferUnits={transferUnits} /> : null}
        </div>
      ) : prominent && apologise ? (
        <div class="notice" role="region" aria-labelledby="sap-han">
          <h2 id="sap-han">Hồ sơ sắp đến hạn trả</h2>
          <p>Nếu không kịp trả đúng hẹn, lập văn bản xin lỗi và hẹn lại ngày trả (mẫu 04) trước ngày hẹn.</p>
          <ActionForm ctx={ctx} commune={commune.code} v={v} t={apologise} posted={posted} transferUnits={transferUnits} />
        </div>
      ) : null}

      <h2>Thông tin hồ sơ</h2>
      <table class="office-facts">
        <tbody>
          <tr>
            <th scope="row">Thủ tục</th>
            <td>
              {v.procedure?.name ?? d.procedure_code} <span class="meta">Mã {d.procedure_code}, phiên bản {d.procedure_version} (áp dụng khi nộp)</span>
            </td>
          </tr>
          <tr>
            <th scope="row">Nộp lúc</th>
            <td>
              {vnDateTime(d.submitted_at)} — {CHANNEL_LABELS[d.channel]}
            </td>
          </tr>
          <tr>
            <th scope="row">Tiếp nhận</th>
            <td>{d.received_at ? vnDateTime(d.received_at) : 'Chưa tiếp nhận'}</td>
          </tr>
          <tr>
            <th scope="row">Thời hạn giải quyết</th>
            <td>{d.working_days} ngày làm việc (không tính thời gian chờ bổ sung)</td>
          </tr>
          <tr>
            <th scope="row">Nơi tiếp nhận</th>
            <td>{unitName(d.commune_code) ?? d.commune_code}</td>
          </tr>
          <tr>
            <th scope="row">Thẩm quyền giải quyết</th>
            <td>{unitName(d.deciding_unit) ?? d.deciding_unit}</td>
          </tr>
          <tr>
            <th scope="row">Chuyên viên xử lý</th>
            <td>{v.assigneeName ?? 'Chưa phân công'}</td>
          </tr>
        </tbody>
      </table>

      <h2>Người nộp hồ sơ</h2>
      <table class="office-facts">
        <tbody>
          <tr>
            <th scope="row">Họ và tên</th>
            <td>{d.applicant_name}</td>
          </tr>
          <tr>
            <th scope="row">Điện thoại</th>
            <td>{d.applicant_phone ?? '—'}</td>
          </tr>
          <tr>
            <th scope="row">Thư điện tử</th>
            <td>{d.applicant_email ?? '—'}</td>
          </tr>
          <tr>
            <th scope="row">Địa chỉ</th>
            <td>{d.applicant_address || '—'}</td>
          </tr>
          {d.assisted_by ? (
            <tr>
              <th scope="row">Nộp thay</th>
              <td>Cán bộ hoặc tổ công nghệ số nộp thay, người dân đồng ý lúc {vnDateTime(d.consent_at)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <p class="hint">Mỗi lần xem thông tin cá nhân đều được ghi nhật ký.</p>

      <h2>Giấy tờ{v.caseName ? `: ${v.caseName}` : ''}</h2>
      {v.papers.length === 0 && v.otherFiles.length === 0 ? <p>Không có danh mục giấy tờ cho trường hợp này.</p> : null}
      <ol class="office-papers">
        {v.papers.map((p) => (
          <li>
            <span>{paperLabel(p).replace(/^\d+\. /, '')}</span>
            {p.files.length ? (
              <ul>
                {p.files.map((f) => (
                  <li>
                    <a href={fileUrl(commune.code, d.id, f.sha256)}>Tải {f.fileName}</a> <span class="meta">{Math.max(1, Math.round(f.size / 1024))} KB</span>
                  </li>
                ))}
              </ul>
            ) : (
              <span class="meta">Chưa có tệp đính kèm</span>
            )}
          </li>
        ))}
      </ol>
      {v.otherFiles.length ? (
        <>
          <h3>Tệp khác</h3>
          <ul>
            {v.otherFiles.map((f) => (
              <li>
                <a href={fileUrl(commune.code, d.id, f.sha256)}>Tải {f.fileName}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 id="thao-tac">Thao tác</h2>
      {others.length === 0 && !(prominent && apologise) ? <p>Bạn không có thao tác nào trên hồ sơ này ở trạng thái hiện tại.</p> : null}
      {v.overdue && v.blocked.length ? <p class="notice">Các thao tác khác sẽ mở lại sau khi lập văn bản xin lỗi và hẹn lại ngày trả (mẫu 04).</p> : null}
      {others.map((t) => (
        <ActionForm ctx={ctx} commune={commune.code} v={v} t={t} posted={posted} transferUnits={transferUnits} />
      ))}

      <h2>Quá trình xử lý</h2>
      <ol class="office-timeline">
        {v.events.map((e) => (
          <li>
            <strong>{actionLabel(e.action)}</strong> <span class="meta">{vnDateTime(e.at)}</span>
            <span class="meta">
              {e.actor_label} · {STATUS_LABELS[e.to_status]}
              {e.due_date ? ` · hẹn trả ${vnDate(e.due_date)}` : ''}
            </span>
            {e.note ? <p class="prewrap">{e.note}</p> : null}
            {typeof e.detail.form === 'string' ? (
              <p>
                <FormLink commune={commune.code} id={d.id} form={e.detail.form} />
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <p>
        <FormLink commune={commune.code} id={d.id} form="06" />
      </p>

      {v.pauses.length ? (
        <>
          <h2>Thời gian tạm dừng (chờ bổ sung)</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Từ</th>
                <th scope="col">Đến</th>
                <th scope="col">Lý do</th>
              </tr>
            </thead>
            <tbody>
              {v.pauses.map((p) => (
                <tr>
                  <td>{vnDateTime(p.paused_at)}</td>
                  <td>{p.resumed_at ? vnDateTime(p.resumed_at) : 'Đang chờ'}</td>
                  <td class="prewrap">{p.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Layout>
  );
};
