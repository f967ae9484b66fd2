/** Pages of the submission flow: one question per page, each usable without JavaScript on a small phone. */
import type { Child, FC } from 'hono/jsx';
import type { Paper, Procedure } from '../../catalog/procedure.js';
import { CsrfField, Field, Layout, type FieldErrors, type PageCtx } from '../../platform/layout.js';
import type { Commune } from '../../units/units.js';
import type { DossierRow } from '../dossiers.store.js';
import { STATUS, STATUS_LABELS } from '../workflow.js';
import { BackLink, Checkbox, FileInput, LinkedErrorSummary, paperCounts, Progress, Radios, Select, SummaryRow, vnDateTime, type ErrorLink, type Option } from './components.js';
import { caseLabel, shortPaperName, stepPath, type ApplicantInfo, type DraftFile, type DraftMode, type Step } from './draft.js';
import type { DraftListItem } from './drafts.store.js';
import { formatSize } from './uploads.js';

/** What every draft page shows around its question. */
export interface Frame {
  ctx: PageCtx;
  /** URL of the draft: `/nop-ho-so/ban-nhap/<id>` or `/can-bo/nop-thay/ban-nhap/<id>`. */
  base: string;
  procedure: Pick<Procedure, 'code' | 'name'>;
  back: string | null;
  at: number;
  of: number;
  errors: ErrorLink[];
  /** Came from the review page: saving goes back there. */
  fromReview: boolean;
}

export const DraftPage: FC<{ frame: Frame; title: string; children?: Child }> = ({ frame, title, children }) => (
  <Layout ctx={frame.ctx} title={title}>
    <LinkedErrorSummary t={frame.ctx.t} items={frame.errors} />
    <BackLink href={frame.back} />
    <p class="caption">
      {frame.procedure.name} <span class="meta">Mã thủ tục {frame.procedure.code}</span>
    </p>
    <Progress at={frame.at} of={frame.of} />
    {children}
  </Layout>
);

const ReviewField: FC<{ frame: Frame }> = ({ frame }) => (frame.fromReview ? <input type="hidden" name="tu" value="xem-lai" /> : null);

// ---- Start ------------------------------------------------------------------

export const StartPage: FC<{ ctx: PageCtx; p: Procedure; online: boolean; drafts: DraftListItem[]; errors: string[] }> = ({ ctx, p, online, drafts, errors }) => (
  <Layout ctx={ctx} title={`Nộp hồ sơ trực tuyến: ${p.name}`}>
    {errors.length ? <LinkedErrorSummary t={ctx.t} items={errors.map((text) => ({ href: '#bat-dau', text }))} /> : null}
    <p class="back-link">
      <a href={`/thu-tuc/${p.code}`}>← Về trang thủ tục</a>
    </p>
    <h1>Nộp hồ sơ trực tuyến</h1>
    <p class="lead">{p.name}</p>
    {online ? (
      <>
        <p>Bạn sẽ trả lời từng câu hỏi ngắn, mỗi trang một câu:</p>
        <ol>
          <li>Thông tin người nộp hồ sơ</li>
          <li>Nơi nộp hồ sơ (xã, phường nào trong tỉnh)</li>
          <li>Trường hợp của bạn, nếu thủ tục có nhiều trường hợp</li>
          <li>Ảnh chụp hoặc bản quét từng giấy tờ (ảnh JPG, PNG hoặc tệp PDF, mỗi tệp tối đa 10 MB)</li>
          <li>Xem lại, cam đoan và nộp</li>
        </ol>
        <p>Mọi câu trả lời được lưu ngay. Nếu mất mạng, bạn mở lại mục “Hồ sơ của tôi” để làm tiếp.</p>
        {drafts.length ? (
          <div class="notice">
            <p>Bạn đang có {drafts.length === 1 ? 'một bản nháp' : `${drafts.length} bản nháp`} cho thủ tục này:</p>
            <ul>
              {drafts.map((d) => (
                <li>
                  <a href={`/nop-ho-so/ban-nhap/${d.id}/tiep-tuc`}>Làm tiếp bản nháp lưu lúc {vnDateTime(d.updated_at)}</a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <form method="post" action={`/nop-ho-so/${p.code}`} id="bat-dau">
          <CsrfField ctx={ctx} />
          <button type="submit">{drafts.length ? 'Bắt đầu hồ sơ mới' : 'Bắt đầu'}</button>
        </form>
      </>
    ) : (
      <div class="notice">
        <p>Thủ tục này chưa nhận hồ sơ trực tuyến. Hãy mang giấy tờ đến Bộ phận một cửa của xã, phường; cán bộ sẽ nộp giúp bạn.</p>
        <p>
          <a href={`/thu-tuc/${p.code}`}>Xem giấy tờ cần mang</a>
        </p>
      </div>
    )}
  </Layout>
);

// ---- Applicant --------------------------------------------------------------

export const ApplicantPage: FC<{ frame: Frame; mode: DraftMode; values: Record<string, string>; errors: FieldErrors }> = ({ frame, mode, values, errors }) => {
  const title = mode === 'online' ? 'Thông tin người nộp hồ sơ' : 'Người dân nộp hồ sơ là ai?';
  return (
    <DraftPage frame={frame} title={title}>
      <h1>{title}</h1>
      {mode === 'online' ? (
        <p>Chúng tôi đã điền sẵn theo tài khoản của bạn. Kiểm tra lại và sửa nếu cần.</p>
      ) : (
        <p>Nếu người dân đã có tài khoản Xã Số với số điện thoại này, hồ sơ sẽ hiện trong mục “Hồ sơ của tôi” của họ. Không có số điện thoại vẫn nộp được.</p>
      )}
      <form method="post" action={`${frame.base}/nguoi-nop`} novalidate>
        <CsrfField ctx={frame.ctx} />
        <ReviewField frame={frame} />
        <Field name="full_name" label="Họ và tên" autocomplete={mode === 'online' ? 'name' : 'off'} value={values.full_name} errors={errors} />
        <Field
          name="phone"
          label={mode === 'online' ? 'Số điện thoại di động' : 'Số điện thoại di động (nếu có)'}
          hint="Để nhận tin nhắn về hồ sơ và tra cứu bằng 4 số cuối. Ví dụ: 0912345678"
          type="tel"
          inputmode="tel"
          autocomplete={mode === 'online' ? 'tel' : 'off'}
          value={values.phone}
          errors={errors}
        />
        <Field name="email" label="Thư điện tử (không bắt buộc)" type="email" autocomplete={mode === 'online' ? 'email' : 'off'} value={values.email} errors={errors} />
        <Field
          name="address"
          label={mode === 'online' ? 'Địa chỉ nơi bạn đang ở' : 'Địa chỉ (nếu có)'}
          hint="Ví dụ: Số 12, khu phố 3, phường Tân Ninh"
          autocomplete={mode === 'online' ? 'street-address' : 'off'}
          value={values.address}
          errors={errors}
        />
        <button type="submit">Lưu và tiếp tục</button>
      </form>
    </DraftPage>
  );
};

// ---- Receiving commune --------------------------------------------------------

export const CommunePage: FC<{ frame: Frame; communes: readonly Commune[]; value: string; errors: FieldErrors }> = ({ frame, communes, value, errors }) => (
  <DraftPage frame={frame} title="Nộp hồ sơ tại xã, phường nào?">
    <form method="post" action={`${frame.base}/noi-nop`} novalidate>
      <CsrfField ctx={frame.ctx} />
      <ReviewField frame={frame} />
      <div class={errors.commune ? 'field field-error' : 'field'}>
        <h1>
          <label for="f-commune">Nộp hồ sơ tại xã, phường nào?</label>
        </h1>
        <p class="hint" id="f-commune-hint">
          Bạn được nộp tại bất kỳ xã, phường nào trong tỉnh, không phụ thuộc nơi cư trú (Nghị định 118/2025/NĐ-CP). Đã chọn sẵn xã, phường nơi bạn ở.
        </p>
        {errors.commune ? (
          <p class="error-message" id="f-commune-error">
            {errors.commune}
          </p>
        ) : null}
        <select id="f-commune" name="commune" aria-describedby={errors.commune ? 'f-commune-hint f-commune-error' : 'f-commune-hint'} aria-invalid={errors.commune ? 'true' : undefined}>
          {communes.map((c) => (
            <option value={c.code} selected={c.code === value}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Lưu và tiếp tục</button>
    </form>
  </DraftPage>
);

// ---- Case -----------------------------------------------------------------------

export function caseOptions(p: Procedure, indices: number[]): Option[] {
  return indices.map((i) => {
    const c = p.cases[i]!;
    const names = c.papers.map((x) => shortPaperName(x.name, 60));
    return { value: String(i), label: caseLabel(c, i), hint: `Giấy tờ: ${names.join('; ')}` };
  });
}

export const CasePage: FC<{ frame: Frame; options: Option[]; value: string | undefined; errors: FieldErrors }> = ({ frame, options, value, errors }) => (
  <DraftPage frame={frame} title="Trường hợp nào đúng với bạn?">
    <form method="post" action={`${frame.base}/truong-hop`} novalidate>
      <CsrfField ctx={frame.ctx} />
      <ReviewField frame={frame} />
      <Radios name="case_no" legend="Trường hợp nào đúng với bạn?" hint="Mỗi trường hợp cần giấy tờ khác nhau. Chọn một." options={options} value={value} errors={errors} asHeading />
      <button type="submit">Lưu và tiếp tục</button>
    </form>
  </DraftPage>
);

// ---- One paper --------------------------------------------------------------------

export interface PaperView {
  paper: Paper;
  /** 1-based position among the papers of the case. */
  position: number;
  total: number;
  attached: DraftFile | null;
  notes: string[];
  action: string;
  removeAction: string | null;
  /** Where "skip" and "continue" go. */
  next: string;
  /** Supplements add files instead of replacing one: what was added so far. */
  added?: string[];
  skipLabel?: string;
  submitLabel?: string;
}

export const PaperForm: FC<{ ctx: PageCtx; v: PaperView; errors: FieldErrors; fromReview?: boolean }> = ({ ctx, v, errors, fromReview }) => {
  const long = v.paper.name.length > 120;
  const counts = paperCounts(v.paper);
  return (
    <>
      <h1 class={long ? 'paper-title long' : 'paper-title'}>{v.paper.name}</h1>
      <p class="meta">
        Giấy tờ {v.position} trên {v.total}
        {counts ? ` · Cần ${counts}` : ''}
      </p>
      {v.paper.forms.length ? (
        <p>
          Mẫu đơn, tờ khai:{' '}
          {v.paper.forms.map((f, i) => (
            <>
              {i ? ', ' : ''}
              <a href={f.url} rel="noopener noreferrer">
                {f.name || 'tải mẫu'}
              </a>
            </>
          ))}
        </p>
      ) : null}
      {v.attached ? (
        <div class="notice success attached" role="status">
          <p>
            Đã tải lên: <strong>{v.attached.fileName}</strong> ({formatSize(v.attached.size)})
          </p>
          <p class="hint">Muốn thay tệp khác thì chọn tệp mới bên dưới.</p>
        </div>
      ) : null}
      {v.added?.length ? (
        <div class="notice success attached" role="status">
          <p>Đã tải lên lần này:</p>
          <ul>
            {v.added.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={v.action} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        {fromReview ? <input type="hidden" name="tu" value="xem-lai" /> : null}
        <FileInput
          name="tep"
          label={v.attached ? 'Chọn tệp mới để thay' : 'Chọn ảnh chụp hoặc tệp PDF'}
          hint="Ảnh JPG, PNG hoặc tệp PDF, tối đa 10 MB. Giấy nhiều trang: quét thành một tệp PDF. Chụp thẳng, đủ sáng, đọc rõ chữ."
          errors={errors}
        />
        <button type="submit">{v.submitLabel ?? (v.attached ? 'Lưu và tiếp tục' : 'Tải lên và tiếp tục')}</button>
      </form>
      <p>
        <a class="button secondary" href={v.next}>
          {v.skipLabel ?? (v.attached ? 'Tiếp tục, giữ tệp đã tải' : 'Bỏ qua: tôi không có hoặc không cần giấy tờ này')}
        </a>
      </p>
      {v.attached && v.removeAction ? (
        <form method="post" action={v.removeAction}>
          <CsrfField ctx={ctx} />
          <button type="submit" class="link-button">
            Xóa tệp đã tải lên
          </button>
        </form>
      ) : null}
      {v.notes.length ? (
        <details class="more">
          <summary>Lưu ý của thủ tục ({v.notes.length})</summary>
          <ul class="notes-list">
            {v.notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
};

export const PaperPage: FC<{ frame: Frame; v: PaperView; errors: FieldErrors }> = ({ frame, v, errors }) => (
  <DraftPage frame={frame} title={`Tải lên: ${shortPaperName(v.paper.name, 60)}`}>
    <PaperForm ctx={frame.ctx} v={v} errors={errors} fromReview={frame.fromReview} />
  </DraftPage>
);

// ---- Review -----------------------------------------------------------------------

export interface ReviewView {
  mode: DraftMode;
  applicant: ApplicantInfo | undefined;
  accountName: string | null;
  commune: string;
  caseName: string | null;
  papers: { step: Step; name: string; file: DraftFile | null }[];
  next: string;
}

export const ReviewPage: FC<{ frame: Frame; v: ReviewView }> = ({ frame, v }) => {
  const change = (step: Step, what: string) => ({ href: `${frame.base}/${stepPath(step)}?tu=xem-lai`, what });
  const missing = v.papers.filter((p) => !p.file).length;
  return (
    <DraftPage frame={frame} title="Xem lại hồ sơ trước khi nộp">
      <h1>Xem lại hồ sơ trước khi nộp</h1>
      <h2>Người nộp hồ sơ</h2>
      <dl class="summary-list">
        <SummaryRow label="Họ và tên" change={change({ id: 'nguoi-nop' }, 'họ và tên')}>
          {v.applicant?.name || 'Chưa nhập'}
        </SummaryRow>
        <SummaryRow label="Số điện thoại" change={change({ id: 'nguoi-nop' }, 'số điện thoại')}>
          {v.applicant?.phone || 'Không có'}
        </SummaryRow>
        <SummaryRow label="Thư điện tử" change={change({ id: 'nguoi-nop' }, 'thư điện tử')}>
          {v.applicant?.email || 'Không có'}
        </SummaryRow>
        <SummaryRow label="Địa chỉ" change={change({ id: 'nguoi-nop' }, 'địa chỉ')}>
          {v.applicant?.address || 'Không có'}
        </SummaryRow>
        {v.mode === 'assisted' ? (
          <SummaryRow label="Tài khoản Xã Số">{v.accountName ? `Có: ${v.accountName}. Hồ sơ sẽ hiện trong tài khoản này.` : 'Không có (người dân tra cứu bằng mã hồ sơ và giấy biên nhận)'}</SummaryRow>
        ) : null}
      </dl>
      <h2>Nơi nộp và trường hợp</h2>
      <dl class="summary-list">
        <SummaryRow label="Nộp tại" change={v.mode === 'online' ? change({ id: 'noi-nop' }, 'nơi nộp') : undefined}>
          {v.commune}
        </SummaryRow>
        {v.caseName !== null ? (
          <SummaryRow label="Trường hợp" change={change({ id: 'truong-hop' }, 'trường hợp')}>
            {v.caseName}
          </SummaryRow>
        ) : null}
      </dl>
      <h2>Giấy tờ</h2>
      {v.papers.length ? (
        <>
          {missing ? <p class="notice">Còn {missing} giấy tờ chưa tải lên. Nếu giấy tờ đó cần cho trường hợp của bạn, cán bộ sẽ yêu cầu bổ sung và hồ sơ giải quyết chậm hơn.</p> : null}
          <dl class="summary-list">
            {v.papers.map((p, i) => (
              <SummaryRow label={`${i + 1}. ${shortPaperName(p.name)}`} change={change(p.step, `giấy tờ ${i + 1}`)}>
                {p.file ? `${p.file.fileName} (${formatSize(p.file.size)})` : 'Chưa tải lên'}
              </SummaryRow>
            ))}
          </dl>
        </>
      ) : (
        <p>Thủ tục này không yêu cầu tải giấy tờ lên.</p>
      )}
      <p>
        <a class="button" href={v.next}>
          Tiếp tục
        </a>
      </p>
    </DraftPage>
  );
};

// ---- Declaration (online) and consent (assisted) -------------------------------------

export const DeclarationPage: FC<{ frame: Frame; draftId: string; errors: FieldErrors }> = ({ frame, draftId, errors }) => (
  <DraftPage frame={frame} title="Cam đoan và nộp hồ sơ">
    <h1>Cam đoan và nộp hồ sơ</h1>
    <p>Sau khi nộp, bạn không sửa được hồ sơ. Cán bộ một cửa sẽ kiểm tra và báo cho bạn qua tin nhắn.</p>
    <form method="post" action={`${frame.base}/cam-doan`} novalidate>
      <CsrfField ctx={frame.ctx} />
      {/* The draft id is the idempotency key: a double tap or a resend makes one dossier. */}
      <input type="hidden" name="idempotency_key" value={draftId} />
      <Checkbox name="cam_doan" label="Tôi cam đoan những thông tin đã khai và giấy tờ đã tải lên là đúng sự thật, và chịu trách nhiệm trước pháp luật về lời cam đoan này." errors={errors} />
      <button type="submit">Nộp hồ sơ</button>
    </form>
  </DraftPage>
);

export const ConsentPage: FC<{ frame: Frame; draftId: string; official: string; now: Date; channel: 'counter' | 'field'; errors: FieldErrors }> = ({ frame, draftId, official, now, channel, errors }) => (
  <DraftPage frame={frame} title="Người dân đồng ý cho nộp thay">
    <h1>Người dân đồng ý cho nộp thay</h1>
    <p>Đọc cho người dân nghe: “Tôi sẽ nộp hồ sơ này thay cho ông/bà, với thông tin và giấy tờ ông/bà vừa đưa. Ông/bà có đồng ý không?”</p>
    <dl class="summary-list">
      <SummaryRow label="Người ghi nhận">{official}</SummaryRow>
      <SummaryRow label="Thời điểm">{vnDateTime(now)}</SummaryRow>
      <SummaryRow label="Hình thức">{channel === 'counter' ? 'Tại bộ phận một cửa' : 'Tổ công nghệ số cộng đồng hỗ trợ tại nhà'}</SummaryRow>
    </dl>
    <form method="post" action={`${frame.base}/dong-y`} novalidate>
      <CsrfField ctx={frame.ctx} />
      <input type="hidden" name="idempotency_key" value={draftId} />
      <Checkbox name="dong_y" label="Người dân đã đồng ý để tôi nộp hồ sơ này thay cho họ." errors={errors} />
      <button type="submit">Nộp hồ sơ thay người dân</button>
    </form>
  </DraftPage>
);

// ---- Done ---------------------------------------------------------------------------

/** `receipt`: the citizen's own receipt, or form 01 in the back office; null for a team member, who has neither. */
/** The receipt the done page offers: form 01 once received, before that the receipt of submission. */
export interface DoneReceipt {
  href: string;
  kind: 'appointment' | 'submission';
}

export const DonePage: FC<{ ctx: PageCtx; d: DossierRow; procedureName: string; mode: DraftMode; trackUrl: string; receipt: DoneReceipt | null; office: string | null }> = ({
  ctx,
  d,
  procedureName,
  mode,
  trackUrl,
  receipt,
  office,
}) => (
  <Layout ctx={ctx} title={`Đã nộp hồ sơ ${d.code}`}>
    <div class="panel-success">
      <h1>Đã nộp hồ sơ</h1>
      <p>Mã hồ sơ</p>
      <p class="code-box dossier-code" id="ma-ho-so">
        {d.code}
      </p>
    </div>
    <p>
      {procedureName}. Trạng thái: <strong>{STATUS_LABELS[d.status]}</strong>.
    </p>
    <p>
      <strong>Ngày hẹn trả sẽ có khi cán bộ tiếp nhận hồ sơ.</strong>{' '}
      {d.applicant_phone ? `Chúng tôi sẽ nhắn tin đến số ${d.applicant_phone} khi hồ sơ có thay đổi.` : 'Người dân không có số điện thoại: hãy đưa họ giấy biên nhận.'}
    </p>
    <ul class="link-list">
      {receipt ? (
        <li>
          <a href={receipt.href}>{mode === 'online' ? 'Tải giấy biên nhận (PDF)' : 'In giấy biên nhận cho người dân (PDF)'}</a>
          <span class="meta">
            {receipt.kind === 'appointment'
              ? 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01).'
              : 'Giấy biên nhận hồ sơ đã nộp, có mã hồ sơ và mã QR để tra cứu. Giấy hẹn trả kết quả có khi cán bộ tiếp nhận hồ sơ.'}
          </span>
        </li>
      ) : null}
      {office ? (
        <li>
          <a href={office}>Mở hồ sơ trong khu làm việc của cán bộ</a>
          {d.status === STATUS.submitted ? <span class="meta">Kiểm tra giấy tờ rồi bấm “Tiếp nhận hồ sơ” để in Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01).</span> : null}
        </li>
      ) : null}
      {mode === 'online' ? (
        <li>
          <a href={`/ho-so/${d.id}`}>Theo dõi hồ sơ này</a>
        </li>
      ) : null}
      <li>
        <a href={trackUrl}>Trang tra cứu hồ sơ bằng mã</a> (cần mã hồ sơ và 4 số cuối điện thoại)
      </li>
    </ul>
    {mode === 'online' ? (
      <p>
        <a href="/ho-so-cua-toi">Xem tất cả hồ sơ của tôi</a>
      </p>
    ) : (
      <p>
        <a class="button" href="/can-bo/nop-thay">
          Nộp hồ sơ cho người khác
        </a>
      </p>
    )}
  </Layout>
);

// ---- Assisted start -------------------------------------------------------------------

export const AssistedStartPage: FC<{ ctx: PageCtx; communes: Commune[]; values: Record<string, string>; errors: FieldErrors; drafts: DraftListItem[]; names: Map<string, string> }> = ({
  ctx,
  communes,
  values,
  errors,
  drafts,
  names,
}) => (
  <Layout ctx={ctx} title="Nộp hồ sơ thay người dân">
    <LinkedErrorSummary t={ctx.t} items={Object.entries(errors).map(([f, text]) => ({ href: `#f-${f}`, text }))} />
    <h1>Nộp hồ sơ thay người dân</h1>
    <p>Dùng khi người dân đến quầy, hoặc khi tổ công nghệ số cộng đồng hỗ trợ tại nhà. Cần người dân đồng ý trước khi nộp.</p>
    <form method="post" action="/can-bo/nop-thay" novalidate>
      <CsrfField ctx={ctx} />
      <Field name="procedure_code" label="Mã thủ tục" hint="Ví dụ: 1.001193 (đăng ký khai sinh). Mã có trên trang thủ tục." inputmode="decimal" value={values.procedure_code} errors={errors} />
      {communes.length > 1 ? (
        <Select name="commune" label="Xã, phường nhận hồ sơ" options={communes.map((c) => ({ value: c.code, label: c.name }))} value={values.commune} errors={errors} />
      ) : (
        <p>
          Xã, phường nhận hồ sơ: <strong>{communes[0]?.name ?? '—'}</strong>
        </p>
      )}
      <button type="submit">Bắt đầu</button>
    </form>
    {drafts.length ? (
      <>
        <h2>Hồ sơ đang làm dở</h2>
        <ul class="list-plain">
          {drafts.map((d) => (
            <li>
              <a href={`/can-bo/nop-thay/ban-nhap/${d.id}/tiep-tuc`}>{names.get(d.id) ?? d.procedure_name}</a>
              <span class="meta">
                {d.procedure_name} · lưu lúc {vnDateTime(d.updated_at)}
              </span>
            </li>
          ))}
        </ul>
      </>
    ) : null}
  </Layout>
);

/** Answers → form values for the applicant page. */
export function applicantValues(a: ApplicantInfo | undefined): Record<string, string> {
  return { full_name: a?.name ?? '', phone: a?.phone ?? '', email: a?.email ?? '', address: a?.address ?? '' };
}

