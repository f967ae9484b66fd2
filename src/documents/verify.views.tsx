import type { FC } from 'hono/jsx';
import { instantShort } from '../dossiers/forms/format.js';
import { CsrfField, ErrorSummary, Field, Layout, type FieldErrors, type PageCtx } from '../platform/layout.js';
import { FileInput } from '../platform/ui.js';
import type { Verification, VerificationStatus } from './verification.js';

const HEADLINE: Record<VerificationStatus, string> = {
  valid: 'Văn bản hợp lệ',
  altered: 'Văn bản đã bị sửa đổi',
  unknown: 'Không xác thực được văn bản',
  revoked: 'Chữ ký không còn giá trị',
};

const CLASS: Record<VerificationStatus, string> = { valid: 'notice success', altered: 'notice altered', unknown: 'notice', revoked: 'notice altered' };

export const VerificationPanel: FC<{ v: Verification; byCode: boolean }> = ({ v, byCode }) => (
  <section class={CLASS[v.status]} aria-labelledby="verdict" role="status">
    <h2 id="verdict">{HEADLINE[v.status]}</h2>
    {v.reason ? <p>{v.reason}</p> : null}
    {v.status === 'valid' && !byCode ? <p>Chữ ký số còn nguyên vẹn: nội dung tệp đúng như lúc ký.</p> : null}
    {byCode && v.status === 'valid' ? (
      <p>Mã xác thực này có trong sổ văn bản đã ký của Xã Số. Để chắc tệp hoặc bản in bạn đang có chưa bị sửa, hãy so nội dung, hoặc tải tệp PDF lên bên dưới.</p>
    ) : null}
    {v.signedBy || v.document ? (
      <dl class="facts">
        {v.signedBy ? (
          <>
            <dt>Cơ quan ký</dt>
            <dd>{v.signedBy}</dd>
          </>
        ) : null}
        {v.signerName ? (
          <>
            <dt>Người ký</dt>
            <dd>{v.signerName}</dd>
          </>
        ) : null}
        {v.signedAt ? (
          <>
            <dt>Thời điểm ký</dt>
            <dd>{instantShort(v.signedAt)}</dd>
          </>
        ) : null}
        {v.document ? (
          <>
            <dt>Văn bản</dt>
            <dd>{v.document.title}</dd>
            <dt>Mã xác thực</dt>
            <dd>{v.document.code}</dd>
            {v.document.dossierCode ? (
              <>
                <dt>Mã hồ sơ</dt>
                <dd>{v.document.dossierCode}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
    ) : null}
    {v.demo ? <p class="hint">Văn bản được ký bằng chứng thư số mẫu của bản trình diễn Xã Số: không có giá trị pháp lý.</p> : null}
  </section>
);

export const VerifyPage: FC<{ ctx: PageCtx; code: string; errors: FieldErrors; result: Verification | null; byCode: boolean }> = ({ ctx, code, errors, result, byCode }) => (
  <Layout ctx={ctx} title="Xác thực văn bản điện tử">
    <h1>Xác thực văn bản điện tử</h1>
    <ErrorSummary t={ctx.t} errors={errors} />
    {result ? <VerificationPanel v={result} byCode={byCode} /> : null}
    <p>Kiểm tra một kết quả giải quyết thủ tục hoặc bản sao chứng thực do Xã Số cấp: quét mã QR trên văn bản, nhập mã xác thực, hoặc tải tệp PDF lên.</p>
    <form method="get" action="/xac-thuc">
      <Field name="ma" label="Mã xác thực in trên văn bản" hint="Ví dụ: XS-25459-7K3M9Q2ZPD" value={code} errors={errors} autocomplete="off" />
      <button type="submit" class="button">
        Tra mã
      </button>
    </form>
    <form method="post" action="/xac-thuc" enctype="multipart/form-data">
      <CsrfField ctx={ctx} />
      <FileInput name="tep" label="Hoặc tải lên tệp PDF cần kiểm tra" hint="Tệp PDF tải về từ Xã Số, tối đa 10 MB. Tệp không được lưu lại." errors={errors} accept=".pdf,application/pdf" />
      <button type="submit" class="button">
        Kiểm tra tệp
      </button>
    </form>
  </Layout>
);
