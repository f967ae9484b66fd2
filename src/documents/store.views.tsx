import type { FC } from 'hono/jsx';
import { instantShort } from '../dossiers/forms/format.js';
import { CsrfField, ErrorSummary, Field, Layout, type FieldErrors, type PageCtx } from '../platform/layout.js';
import { FileInput } from '../platform/ui.js';
import type { AccessAction } from './documents.tables.js';
import type { AccessEntry } from './documents.store.js';
import type { ReusableDocument } from './reuse.js';

export const ACTION_LABELS: Record<AccessAction, string> = {
  view: 'Xem',
  download: 'Tải về',
  reuse: 'Dùng lại cho hồ sơ',
  delete: 'Xóa',
  verify: 'Xác thực',
};

export const StorePage: FC<{ ctx: PageCtx; docs: ReusableDocument[]; notice: string | null; errors: FieldErrors; title: string }> = ({ ctx, docs, notice, errors, title }) => (
  <Layout ctx={ctx} title="Kho giấy tờ của tôi">
    <h1>Kho giấy tờ của tôi</h1>
    <ErrorSummary t={ctx.t} errors={errors} />
    {notice ? (
      <p class="notice success" role="status">
        {notice}
      </p>
    ) : null}
    <p>
      Kết quả đã ký số, bản sao chứng thực điện tử và giấy tờ cán bộ đã đối chiếu được giữ ở đây. Khi nộp hồ sơ mới, bạn chọn dùng lại giấy tờ trong kho thay vì tải lên lại.
      Giấy tờ chỉ được chia sẻ khi bạn đưa vào một hồ sơ bạn nộp; mỗi lần có người xem hay dùng đều được ghi lại.
    </p>
    {docs.length === 0 ? (
      <p>Kho chưa có giấy tờ nào.</p>
    ) : (
      <ul class="doc-list">
        {docs.map((d) => (
          <li>
            <a href={`/kho-giay-to/${d.id}`}>{d.title}</a>
            <br />
            <span class="hint">{d.provenance}</span>
          </li>
        ))}
      </ul>
    )}
    <h2>Thêm giấy tờ của bạn</h2>
    <form method="post" action="/kho-giay-to/tai-len" enctype="multipart/form-data">
      <CsrfField ctx={ctx} />
      <Field name="ten" label="Tên giấy tờ" hint="Ví dụ: Căn cước công dân (mặt trước)" value={title} errors={errors} />
      <FileInput name="tep" label="Tệp giấy tờ" hint="Ảnh JPG, PNG hoặc tệp PDF, tối đa 10 MB." errors={errors} />
      <button type="submit" class="button">
        Lưu vào kho
      </button>
    </form>
  </Layout>
);

export const DocumentPage: FC<{ ctx: PageCtx; doc: ReusableDocument; log: AccessEntry[] }> = ({ ctx, doc, log }) => (
  <Layout ctx={ctx} title={doc.title}>
    <p>
      <a href="/kho-giay-to">← Kho giấy tờ của tôi</a>
    </p>
    <h1>{doc.title}</h1>
    <dl class="facts">
      <dt>Nguồn gốc</dt>
      <dd>{doc.provenance}</dd>
      {doc.issuedCode ? (
        <>
          <dt>Mã xác thực</dt>
          <dd>
            <a href={`/xac-thuc/${doc.issuedCode}`}>{doc.issuedCode}</a>
          </dd>
        </>
      ) : null}
      <dt>Ngày vào kho</dt>
      <dd>{instantShort(doc.createdAt)}</dd>
    </dl>
    <p>
      <a class="button" href={`/kho-giay-to/${doc.id}/tep`}>
        Tải về
      </a>
    </p>
    <h2>Ai đã xem hoặc dùng giấy tờ này</h2>
    {log.length === 0 ? (
      <p>Chưa có ai xem hay dùng giấy tờ này.</p>
    ) : (
      <table>
        <thead>
          <tr>
            <th scope="col">Thời điểm</th>
            <th scope="col">Người</th>
            <th scope="col">Việc</th>
          </tr>
        </thead>
        <tbody>
          {log.map((e) => (
            <tr>
              <td>{instantShort(e.at)}</td>
              <td>{e.self ? 'Bạn' : e.actorLabel}</td>
              <td>
                {ACTION_LABELS[e.action]}
                {e.dossierCode ? ` (hồ sơ ${e.dossierCode})` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {doc.source === 'own_upload' ? (
      <form method="post" action={`/kho-giay-to/${doc.id}/xoa`}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button warning">
          Xóa giấy tờ này khỏi kho
        </button>
      </form>
    ) : (
      <p class="hint">Giấy tờ do cơ quan nhà nước cấp hoặc đối chiếu không xóa được khỏi kho.</p>
    )}
  </Layout>
);
