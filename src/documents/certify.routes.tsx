/**
 * The counter's certified-copy page: the officer finds the citizen by phone,
 * names the original, scans it, and issues the signed copy into the citizen's
 * store. One form (the officer's workplace, not a citizen wizard); PRG.
 */
import type { FC } from 'hono/jsx';
import { findUserByPhone } from '../accounts/accounts.store.js';
import { clientIp, type Ctx } from '../platform/context.js';
import { money } from '../dossiers/forms/format.js';
import { readForm } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors, type PageCtx } from '../platform/layout.js';
import { requires } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import type { UploadRoute } from '../platform/body-limits.js';
import { FileInput } from '../platform/ui.js';
import { readUploadPart, UPLOAD_REQUEST_BYTES } from '../dossiers/submit/uploads.js';
import { CopyInputError, issueCertifiedCopy } from './certified-copies.js';
import { ResultError } from './results.js';

const CERTIFY = requires('documents.certify', 'commune');
const PATH_RE = /^\/can-bo\/xa\/\d{5}\/chung-thuc$/;

export const certifyUpload: UploadRoute = {
  matches: (path) => PATH_RE.test(path),
  maxBytes: UPLOAD_REQUEST_BYTES,
  onTooLarge: (c) => c.redirect(`${c.req.path}?loi=qua-lon`, 303),
};

type Values = Record<'so' | 'ten' | 'trang' | 'ban', string>;

const CertifyPage: FC<{ ctx: PageCtx; commune: string; values: Values; errors: FieldErrors; done: string | null }> = ({ ctx, commune, values, errors, done }) => (
  <Layout ctx={ctx} title="Chứng thực bản sao điện tử từ bản chính">
    <h1>Chứng thực bản sao điện tử từ bản chính</h1>
    <ErrorSummary t={ctx.t} errors={errors} />
    {done ? (
      <p class="notice success" role="status">
        {done}
      </p>
    ) : null}
    <p>Đối chiếu bản quét với bản chính người dân xuất trình trước khi cấp. Bản sao được ký số bằng chứng thư số của xã và lưu vào kho giấy tờ của người dân.</p>
    <form method="post" action={`/can-bo/xa/${commune}/chung-thuc`} enctype="multipart/form-data">
      <CsrfField ctx={ctx} />
      <Field name="so" label="Số điện thoại tài khoản của người yêu cầu" type="tel" inputmode="tel" value={values.so} errors={errors} />
      <Field name="ten" label="Tên giấy tờ gốc" hint="Ví dụ: Bằng tốt nghiệp trung học phổ thông" value={values.ten} errors={errors} />
      <Field name="trang" label="Số trang bản chính" inputmode="numeric" value={values.trang} errors={errors} />
      <Field name="ban" label="Số bản sao" inputmode="numeric" value={values.ban} errors={errors} />
      <FileInput name="tep" label="Bản quét bản chính" hint="Ảnh JPG hoặc PNG, tối đa 10 MB." errors={errors} accept=".jpg,.jpeg,.png,image/jpeg,image/png" />
      <button type="submit" class="button">
        Ký và cấp bản sao
      </button>
    </form>
  </Layout>
);

function page(c: Ctx, values: Values, errors: FieldErrors, status: 200 | 400 | 404 | 413 | 503 = 200) {
  const done = c.req.query('ma') ? `Đã cấp bản sao chứng thực, mã xác thực ${c.req.query('ma')}, số chứng thực ${c.req.query('so') ?? ''}, lệ phí ${c.req.query('le-phi') ?? ''}.` : null;
  return c.html(<CertifyPage ctx={pageCtx(c)} commune={c.req.param('commune') ?? ''} values={values} errors={errors} done={done} />, status);
}

const EMPTY: Values = { so: '', ten: '', trang: '1', ban: '1' };

export function registerCertifyRoutes(app: App): void {
  route(app, 'GET', '/can-bo/xa/:commune/chung-thuc', CERTIFY, (c) =>
    c.req.query('loi') === 'qua-lon' ? page(c, EMPTY, { tep: 'Bản quét bản chính: tệp lớn hơn 10 MB. Quét với độ phân giải thấp hơn.' }, 413) : page(c, EMPTY, {}),
  );
  route(app, 'POST', '/can-bo/xa/:commune/chung-thuc', CERTIFY, async (c) => {
    const form = await readForm(c);
    const values: Values = { so: (form.so ?? '').trim(), ten: (form.ten ?? '').trim(), trang: (form.trang ?? '').trim(), ban: (form.ban ?? '').trim() };
    const { db, config } = c.get('deps');
    const owner = /^0\d{9}$/.test(values.so.replace(/\s/g, '')) ? await findUserByPhone(db, values.so.replace(/\s/g, '')) : undefined;
    if (!owner || owner.kind !== 'citizen') return page(c, values, { so: 'Số điện thoại: không có tài khoản người dân với số này. Kiểm tra lại, hoặc hướng dẫn người dân đăng ký tài khoản trước.' }, 400);
    const part = await readUploadPart(c, 'tep');
    if (!part) return page(c, values, { tep: 'Bản quét bản chính: chọn ảnh quét của bản chính.' }, 400);
    const actor = c.get('actor')!;
    try {
      const copy = await issueCertifiedCopy(db, { config }, {
        communeCode: c.req.param('commune')!,
        officer: { id: actor.id, fullName: actor.fullName },
        ownerId: owner.id,
        originalTitle: values.ten,
        scan: part.bytes,
        pages: Number(values.trang),
        copies: Number(values.ban),
        now: new Date(),
        ip: clientIp(c),
      });
      const q = new URLSearchParams({ ma: copy.document.code, so: copy.registerNo, 'le-phi': money(copy.feeVnd) });
      return c.redirect(`/can-bo/xa/${c.req.param('commune')}/chung-thuc?${q}`, 303);
    } catch (err) {
      if (err instanceof CopyInputError) return page(c, values, { [err.field]: err.message }, 400);
      if (err instanceof ResultError) return page(c, values, { tep: err.message }, 503);
      throw err;
    }
  });
}
