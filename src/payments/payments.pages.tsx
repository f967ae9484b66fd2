/** Payment pages: the citizen's payment page and notice, the accountant's work, the administrator's fee table. */
import type { Child, FC } from 'hono/jsx';
import { CsrfField, ErrorSummary, Field, Layout, type FieldErrors, type PageCtx } from '../platform/layout.js';
import { FileInput, Select, TextArea } from '../platform/ui.js';
import type { FeeRow } from './fees.service.js';
import type { BankTxn, Payment, Receipt } from './payments.store.js';
import { ISSUE_LABELS, type AccountInput, type ImportResult } from './payments.service.js';
import type { DailyReport } from './report.js';
import { formatReceiptNo } from './receipt-series.js';
import { amountInWords, formatVnd } from './words.js';

const STATE_LABELS: Record<Payment['state'], string> = {
  pending: 'Chờ nộp tiền',
  paid: 'Đã nhận tiền',
  cancelled: 'Đã huỷ, không cần nộp',
  refunded: 'Đã hoàn tiền',
};

const money = (n: number) => `${formatVnd(n)} đ`;
const dmy = (iso: string) => iso.split('-').reverse().join('/');

export const PaymentPage: FC<{ ctx: PageCtx; p: Payment; account: AccountInput | null; receiptHref: string | null }> = ({ ctx, p, account, receiptHref }) => (
  <Layout ctx={ctx} title={`Nộp phí hồ sơ ${p.dossierCode}`}>
    <h1>Nộp phí, lệ phí</h1>
    <p>
      Hồ sơ <strong>{p.dossierCode}</strong> — {p.procedureName}
    </p>
    <p class="pay-amount">
      Số tiền: <strong>{money(p.amountVnd)}</strong>
      <br />
      <span class="hint">({amountInWords(p.amountVnd)})</span>
    </p>
    <p>
      Trạng thái: <strong>{STATE_LABELS[p.state]}</strong>
    </p>
    {p.state === 'pending' && account ? (
      <>
        <h2>Cách 1: quét mã VietQR</h2>
        <p>Mở ứng dụng ngân hàng, chọn quét mã QR. Số tiền và nội dung chuyển khoản đã có sẵn trong mã; đừng sửa.</p>
        <img class="pay-qr" src={`/thanh-toan/${p.reference}/qr.png`} width="280" height="280" alt={`Mã VietQR: chuyển ${money(p.amountVnd)} tới tài khoản ${account.accountNo}, nội dung ${p.reference}`} />
        <h2>Cách 2: chuyển khoản bằng tay</h2>
        <dl class="pay-details">
          <dt>Ngân hàng (mã BIN)</dt>
          <dd>{account.bankBin}</dd>
          <dt>Số tài khoản</dt>
          <dd>{account.accountNo}</dd>
          <dt>Chủ tài khoản</dt>
          <dd>{account.accountName}</dd>
          <dt>Số tiền</dt>
          <dd>{money(p.amountVnd)}</dd>
          <dt>Nội dung chuyển khoản (ghi đúng)</dt>
          <dd>
            <strong>{p.reference}</strong>
          </dd>
        </dl>
        <p class="notice">Sau khi ngân hàng báo đã nhận tiền, trang này đổi sang “Đã nhận tiền” và hồ sơ được giải quyết tiếp. Việc này có thể mất từ vài phút đến một ngày làm việc.</p>
        <p>
          <a class="button secondary" href={`/thanh-toan/${p.reference}/giay-bao`}>
            Xem giấy báo nộp tiền để in
          </a>
        </p>
      </>
    ) : null}
    {p.state === 'pending' && !account ? <p class="notice">Xã chưa khai báo tài khoản thu. Vui lòng nộp tại bộ phận một cửa.</p> : null}
    {receiptHref ? (
      <p>
        <a class="button" href={receiptHref}>
          Tải biên lai (PDF)
        </a>
      </p>
    ) : null}
  </Layout>
);

export const NoticePage: FC<{ ctx: PageCtx; p: Payment; account: AccountInput; communeName: string }> = ({ ctx, p, account, communeName }) => (
  <Layout ctx={ctx} title={`Giấy báo nộp phí ${p.dossierCode}`}>
    <div class="print-guide">
      <h1>Giấy báo nộp phí, lệ phí</h1>
      <p>Ủy ban nhân dân {communeName}</p>
      <p>
        Mã hồ sơ: <strong>{p.dossierCode}</strong>
        <br />
        Thủ tục: {p.procedureName}
        <br />
        Người nộp: {p.payerName}
        <br />
        Số tiền: <strong>{money(p.amountVnd)}</strong> ({amountInWords(p.amountVnd)})
      </p>
      <img class="pay-qr" src={`/thanh-toan/${p.reference}/qr.png`} width="240" height="240" alt={`Mã VietQR: chuyển ${money(p.amountVnd)}, nội dung ${p.reference}`} />
      <p>
        Chuyển khoản tới tài khoản <strong>{account.accountNo}</strong> ({account.accountName}, ngân hàng mã {account.bankBin}), nội dung: <strong>{p.reference}</strong>.
      </p>
      <p>Quét mã bằng ứng dụng ngân hàng: số tiền và nội dung đã có sẵn.</p>
    </div>
  </Layout>
);

const staffBase = (commune: string) => `/can-bo/xa/${commune}/thu-phi`;

const Nav: FC<{ commune: string; reconcile: boolean }> = ({ commune, reconcile }) => (
  <p class="fb-filters">
    <a href={staffBase(commune)}>Giao dịch chờ xử lý</a>
    {reconcile ? <a href={`${staffBase(commune)}/sao-ke`}>Nhập sao kê</a> : null}
    <a href={`${staffBase(commune)}/bien-lai`}>Biên lai</a>
    <a href={`${staffBase(commune)}/bao-cao`}>Báo cáo đối chiếu</a>
    {reconcile ? <a href={`${staffBase(commune)}/tai-khoan`}>Tài khoản thu</a> : null}
  </p>
);

export const QueuePage: FC<{ ctx: PageCtx; commune: string; communeName: string; txns: BankTxn[]; reconcile: boolean; errors: FieldErrors; errorTxn: string | null; values: Record<string, string>; done: string | null }> = ({
  ctx,
  commune,
  communeName,
  txns,
  reconcile,
  errors,
  errorTxn,
  values,
  done,
}) => (
  <Layout ctx={ctx} title={`Thu phí — ${communeName}`}>
    <ErrorSummary t={ctx.t} errors={errors} />
    <h1>Thu phí, lệ phí — {communeName}</h1>
    <Nav commune={commune} reconcile={reconcile} />
    {done ? <p class="notice success">{done}</p> : null}
    <h2>Giao dịch chờ xử lý ({txns.length})</h2>
    {txns.length === 0 ? <p>Không có giao dịch nào chờ xử lý.</p> : null}
    <ul class="list-plain">
      {txns.map((t) => {
        const mine = errorTxn === t.id;
        const errs = mine ? errors : {};
        return (
          <li class="card" id={`gd-${t.id}`}>
            <p>
              <strong>{money(t.amountVnd)}</strong> — ngày {dmy(t.txnDate)} — mã ngân hàng {t.bankRef}
              <br />
              Nội dung: {t.description || '(trống)'}
              <br />
              Vấn đề: <strong>{ISSUE_LABELS[t.issue ?? 'unmatched']}</strong>
            </p>
            {reconcile ? (
              <>
                <form method="post" action={`${staffBase(commune)}/giao-dich/${t.id}/khop`} novalidate>
                  <CsrfField ctx={ctx} />
                  <Field name="reference" label="Mã thanh toán của khoản thu cần ghi nhận" hint="Ví dụ HS254592612030001 (trên giấy báo nộp tiền)" value={mine ? values.reference : undefined} errors={errs} />
                  <TextArea name="note" label="Ghi chú (bắt buộc khi số tiền khác số phải nộp)" value={mine ? values.note : undefined} errors={errs} rows={2} maxLength={500} />
                  <button type="submit">Ghi nhận cho khoản thu này</button>
                </form>
                <form method="post" action={`${staffBase(commune)}/giao-dich/${t.id}/hoan`} novalidate>
                  <CsrfField ctx={ctx} />
                  <TextArea name="reason" label="Lý do hoàn tiền" value={mine ? values.reason : undefined} errors={errs} rows={2} maxLength={500} />
                  <button type="submit" class="secondary">
                    Đã hoàn tiền cho người nộp
                  </button>
                </form>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  </Layout>
);

export const StatementPage: FC<{ ctx: PageCtx; commune: string; communeName: string; errors: FieldErrors; result: (ImportResult & { fileName: string }) | null }> = ({ ctx, commune, communeName, errors, result }) => (
  <Layout ctx={ctx} title={`Nhập sao kê — ${communeName}`}>
    <ErrorSummary t={ctx.t} errors={errors} />
    <h1>Nhập sao kê ngân hàng</h1>
    <Nav commune={commune} reconcile />
    {result ? (
      <div class="notice success">
        <p>
          Đã đọc tệp {result.fileName}: {result.lines} dòng tiền vào, {result.newLines} dòng mới, {result.alreadyRecorded} dòng đã có từ trước (không tính lại).
        </p>
        <p>
          Khớp tự động: {result.matched}. Chờ kế toán xử lý: {result.queued}.
        </p>
        {result.problems.length ? (
          <>
            <p>Các dòng không đọc được (chưa nhập, hãy sửa trong tệp rồi nhập lại):</p>
            <ul>
              {result.problems.map((p) => (
                <li>{p.message}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    ) : null}
    <form method="post" action={`${staffBase(commune)}/sao-ke`} enctype="multipart/form-data" novalidate>
      <CsrfField ctx={ctx} />
      <FileInput name="tep" label="Tệp sao kê tài khoản thu (Excel .xlsx hoặc .csv)" hint="Xuất từ ngân hàng, có cột Ngày giao dịch, Số tiền ghi có, Nội dung và Số tham chiếu. Nhập lại cùng tệp không tính tiền hai lần." accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" errors={errors} />
      <button type="submit">Nhập sao kê</button>
    </form>
  </Layout>
);

export const ReceiptsPage: FC<{ ctx: PageCtx; commune: string; communeName: string; year: number; receipts: Receipt[]; reconcile: boolean; errors: FieldErrors; errorKey: string | null; values: Record<string, string>; done: string | null }> = ({
  ctx,
  commune,
  communeName,
  year,
  receipts,
  reconcile,
  errors,
  errorKey,
  values,
  done,
}) => (
  <Layout ctx={ctx} title={`Biên lai ${year} — ${communeName}`}>
    <ErrorSummary t={ctx.t} errors={errors} />
    <h1>
      Biên lai năm {year} — {communeName}
    </h1>
    <Nav commune={commune} reconcile={reconcile} />
    {done ? <p class="notice success">{done}</p> : null}
    {receipts.length === 0 ? <p>Chưa có biên lai nào.</p> : null}
    <ul class="list-plain">
      {receipts.map((r) => {
        const key = `${r.year}-${r.no}`;
        const errs = errorKey === key ? errors : {};
        return (
          <li class="card">
            <p>
              <a href={`${staffBase(commune)}/bien-lai/${r.year}/${r.no}`}>
                {r.symbol} số {formatReceiptNo(r.no)}
              </a>{' '}
              — {money(r.amountVnd)} — {r.payerName} — hồ sơ {r.dossierCode}
              {r.cancelledAt ? (
                <>
                  <br />
                  <strong>Đã huỷ:</strong> {r.cancelReason}
                </>
              ) : null}
            </p>
            {reconcile && !r.cancelledAt ? (
              <details>
                <summary>Huỷ biên lai hoặc hoàn tiền</summary>
                <form method="post" action={`${staffBase(commune)}/bien-lai/${r.year}/${r.no}/huy`} novalidate>
                  <CsrfField ctx={ctx} />
                  <TextArea name="reason" label="Lý do huỷ biên lai (số biên lai vẫn giữ, không dùng lại)" value={errorKey === key ? values.reason : undefined} errors={errs} rows={2} maxLength={500} />
                  <button type="submit" class="secondary">
                    Huỷ biên lai
                  </button>
                </form>
                <form method="post" action={`${staffBase(commune)}/khoan-thu/${r.paymentId}/hoan`} novalidate>
                  <CsrfField ctx={ctx} />
                  <TextArea name="reason" label="Lý do hoàn tiền (hồ sơ bị từ chối hoặc đã rút)" rows={2} maxLength={500} />
                  <button type="submit" class="secondary">
                    Đã hoàn tiền khoản này
                  </button>
                </form>
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  </Layout>
);

const Row: FC<{ label: string; v: { count: number; amountVnd: number } }> = ({ label, v }) => (
  <tr>
    <th scope="row">{label}</th>
    <td>{v.count}</td>
    <td>{money(v.amountVnd)}</td>
  </tr>
);

export const ReportPage: FC<{ ctx: PageCtx; commune: string; communeName: string; r: DailyReport; reconcile: boolean }> = ({ ctx, commune, communeName, r, reconcile }) => (
  <Layout ctx={ctx} title={`Báo cáo đối chiếu ${dmy(r.day)} — ${communeName}`}>
    <h1>Báo cáo đối chiếu ngày {dmy(r.day)}</h1>
    <Nav commune={commune} reconcile={reconcile} />
    <form method="get" action={`${staffBase(commune)}/bao-cao`}>
      <Field name="ngay" label="Ngày (năm-tháng-ngày)" type="date" value={r.day} />
      <button type="submit" class="secondary">
        Xem ngày khác
      </button>
    </form>
    <table>
      <thead>
        <tr>
          <th scope="col">Mục</th>
          <th scope="col">Số giao dịch</th>
          <th scope="col">Số tiền</th>
        </tr>
      </thead>
      <tbody>
        <Row label="Phải thu (lập trong ngày)" v={r.expected} />
        <Row label="Tiền nhận vào tài khoản" v={r.received} />
        <Row label="Đã khớp với khoản thu" v={r.matched} />
        <Row label="Chờ kế toán xử lý" v={r.queued} />
        <Row label="Đã hoàn tiền" v={r.refunded} />
      </tbody>
    </table>
    {r.balanced ? (
      <p class="notice success">Khớp đúng: chênh lệch bằng 0, không còn giao dịch chờ xử lý.</p>
    ) : (
      <div class="notice">
        <p>Chưa khớp, vì:</p>
        <ul>
          {r.reasons.map((why) => (
            <li>{why}</li>
          ))}
        </ul>
      </div>
    )}
    <p>
      <a class="button secondary" href={`${staffBase(commune)}/bao-cao.xlsx?ngay=${r.day}`}>
        Tải báo cáo (Excel)
      </a>
    </p>
  </Layout>
);

export const AccountPage: FC<{ ctx: PageCtx; commune: string; communeName: string; values: Record<string, string>; errors: FieldErrors; done: boolean }> = ({ ctx, commune, communeName, values, errors, done }) => (
  <Layout ctx={ctx} title={`Tài khoản thu — ${communeName}`}>
    <ErrorSummary t={ctx.t} errors={errors} />
    <h1>Tài khoản thu của {communeName}</h1>
    <Nav commune={commune} reconcile />
    {done ? <p class="notice success">Đã lưu tài khoản thu.</p> : null}
    <form method="post" action={`${staffBase(commune)}/tai-khoan`} novalidate>
      <CsrfField ctx={ctx} />
      <Field name="bank_bin" label="Mã BIN ngân hàng (6 chữ số)" hint="Ví dụ 970436 là Vietcombank, 970415 là VietinBank, 970405 là Agribank" inputmode="numeric" value={values.bank_bin} errors={errors} />
      <Field name="account_no" label="Số tài khoản" inputmode="numeric" value={values.account_no} errors={errors} />
      <Field name="account_name" label="Tên chủ tài khoản" value={values.account_name} errors={errors} />
      <button type="submit">Lưu tài khoản thu</button>
    </form>
  </Layout>
);

export const RequestPage: FC<{ ctx: PageCtx; commune: string; dossierId: string; dossierCode: string; procedureName: string; version: number; suggested: number | null; values: Record<string, string>; errors: FieldErrors }> = ({
  ctx,
  commune,
  dossierId,
  dossierCode,
  procedureName,
  version,
  suggested,
  values,
  errors,
}) => (
  <Layout ctx={ctx} title={`Yêu cầu nộp phí — ${dossierCode}`}>
    <ErrorSummary t={ctx.t} errors={errors} />
    <h1>Yêu cầu nộp phí, lệ phí</h1>
    <p>
      Hồ sơ <strong>{dossierCode}</strong> — {procedureName}
    </p>
    <form method="post" action={`${staffBase(commune)}/yeu-cau/${dossierId}`} novalidate>
      <CsrfField ctx={ctx} />
      <input type="hidden" name="version" value={String(version)} />
      <Field name="amount" label="Số tiền phải nộp (đồng)" hint={suggested ? `Theo bảng phí đã xác nhận: ${formatVnd(suggested)} đồng` : 'Chưa có mức phí được tỉnh xác nhận cho thủ tục này: nhập theo văn bản quy định'} inputmode="numeric" value={values.amount ?? (suggested ? String(suggested) : '')} errors={errors} />
      <Field name="fee_case" label="Trường hợp thu (không bắt buộc)" value={values.fee_case} errors={errors} />
      <button type="submit">Gửi yêu cầu nộp phí</button>
    </form>
  </Layout>
);

const FEE_STATUS: Record<string, string> = {
  amount: 'Thu số tiền',
  free: 'Miễn, không thu',
  set_by_province: 'Do HĐND tỉnh quyết định (chưa có số)',
  unpublished: 'Cổng quốc gia chưa công bố',
  unclear: 'Nhiều mức, cần chọn',
};

export const FeesSearchPage: FC<{ ctx: PageCtx; province: string; provinceName: string; q: string; error: string | null }> = ({ ctx, province, provinceName, q, error }) => (
  <Layout ctx={ctx} title={`Bảng phí, lệ phí — ${provinceName}`}>
    <ErrorSummary t={ctx.t} errors={error ? { ma: error } : {}} />
    <h1>Bảng phí, lệ phí — {provinceName}</h1>
    <p>Mức thu đề xuất đọc từ danh mục thủ tục quốc gia; quản trị tỉnh xác nhận hoặc sửa theo nghị quyết của HĐND tỉnh. Mỗi lần sửa là một phiên bản mới, có ghi nhật ký.</p>
    <form method="get" action={`/can-bo/tinh/${province}/le-phi`}>
      <Field name="ma" label="Mã thủ tục" hint="Ví dụ 1.001612" value={q} errors={error ? { ma: error } : {}} />
      <button type="submit">Xem bảng phí</button>
    </form>
  </Layout>
);

export const FeesPage: FC<{ ctx: PageCtx; province: string; procedureCode: string; procedureName: string; rows: FeeRow[]; values: Record<string, string>; errors: FieldErrors; done: string | null }> = ({
  ctx,
  province,
  procedureCode,
  procedureName,
  rows,
  values,
  errors,
  done,
}) => {
  const action = `/can-bo/tinh/${province}/le-phi/${procedureCode}`;
  const form = (caseKey: string, row: FeeRow | null): Child => {
    const mine = values.case_key === caseKey || (!row && !rows.some((r) => r.caseKey === values.case_key) && Object.keys(values).length > 0);
    const v = mine ? values : {};
    const e = mine ? errors : {};
    const base = row?.confirmed ?? (row?.proposal ? { status: row.proposal.status, amountVnd: row.proposal.amountVnd, per: row.proposal.per, exemptions: row.proposal.exemptions } : null);
    return (
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        {row ? <input type="hidden" name="case_key" value={caseKey} /> : <Field name="case_key" label="Tên trường hợp" hint="Ví dụ: Khai sinh đúng hạn" value={v.case_key} errors={e} />}
        <Select
          name="status"
          label="Mức thu"
          options={[
            { value: 'amount', label: 'Thu số tiền' },
            { value: 'free', label: 'Miễn, không thu' },
          ]}
          value={v.status ?? (base?.status === 'free' ? 'free' : 'amount')}
          errors={e}
        />
        <Field name="amount" label="Số tiền (đồng)" inputmode="numeric" value={v.amount ?? (base?.amountVnd ? String(base.amountVnd) : '')} errors={e} />
        <Field name="per" label="Đơn vị tính (không bắt buộc)" hint="Ví dụ /lần, /bản" value={v.per ?? base?.per ?? ''} errors={e} />
        <TextArea name="exemptions" label="Đối tượng được miễn (mỗi dòng một đối tượng)" value={v.exemptions ?? (base?.exemptions ?? []).join('\n')} errors={e} rows={3} maxLength={3000} />
        <Field name="note" label="Căn cứ (văn bản quy định mức thu)" value={v.note} errors={e} />
        <button type="submit">{row?.confirmed ? 'Sửa mức thu (phiên bản mới)' : 'Xác nhận mức thu'}</button>
      </form>
    );
  };
  return (
    <Layout ctx={ctx} title={`Phí, lệ phí — ${procedureCode}`}>
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Phí, lệ phí: {procedureName}</h1>
      <p>Mã thủ tục {procedureCode}</p>
      {done ? <p class="notice success">{done}</p> : null}
      {rows.map((r) => (
        <section class="card">
          <h2>{r.caseLabel}</h2>
          {r.proposal ? (
            <p>
              Danh mục quốc gia ghi: “{r.proposal.sourceText || '(trống)'}” — đề xuất: <strong>{FEE_STATUS[r.proposal.status]}</strong>
              {r.proposal.amountVnd ? ` ${money(r.proposal.amountVnd)}` : ''}
            </p>
          ) : null}
          {r.confirmed ? (
            <p>
              Đã xác nhận (phiên bản {r.confirmed.version}): <strong>{r.confirmed.status === 'free' ? 'Miễn, không thu' : money(r.confirmed.amountVnd ?? 0)}</strong>
              {r.confirmed.exemptions.length ? ` — miễn cho: ${r.confirmed.exemptions.join('; ')}` : ''} — căn cứ: {r.confirmed.note}
            </p>
          ) : (
            <p>Chưa xác nhận.</p>
          )}
          {form(r.caseKey, r)}
        </section>
      ))}
      <section class="card">
        <h2>Thêm trường hợp khác</h2>
        {form('', null)}
      </section>
    </Layout>
  );
};
