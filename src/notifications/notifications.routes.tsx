import { vnDateTime } from '../dossiers/submit/components.js';
import { actorLabel, clientIp, type Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { readForm } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { requires, SIGNED_IN } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { Radios } from '../platform/ui.js';
import { maskRecipient } from '../platform/logger.js';
import { getPreference, listDeadLetters, listInbox, markAllRead, resendDeadLetter, setPreference } from './notifications.store.js';

const CHANNEL_OPTIONS = [
  { value: 'sms', label: 'Tin nhắn SMS', hint: 'Gửi đến số điện thoại của tài khoản' },
  { value: 'email', label: 'Thư điện tử', hint: 'Gửi đến địa chỉ thư của tài khoản' },
  { value: 'inapp', label: 'Chỉ trong mục Thông báo', hint: 'Không gửi tin nhắn hay thư; bạn xem khi đăng nhập' },
];

async function InboxPage(c: Ctx) {
  const ctx = pageCtx(c);
  const actor = c.get('actor')!;
  const items = await listInbox(c.get('deps').db, actor.id);
  const unread = items.filter((i) => !i.read_at).length;
  return c.html(
    <Layout ctx={ctx} title="Thông báo">
      {c.req.query('da-luu') !== undefined ? <p class="notice success">Đã lưu cách nhận thông báo.</p> : null}
      <h1>Thông báo</h1>
      <p>
        <a href="/thong-bao/cach-nhan">Chọn cách nhận thông báo</a>
      </p>
      {items.length === 0 ? (
        <p>Chưa có thông báo nào.</p>
      ) : (
        <>
          <ul class="list inbox">
            {items.map((i) => (
              <li class={i.read_at ? 'read' : 'unread'}>
                <p>
                  <strong>{i.read_at ? i.title : `${i.title} (mới)`}</strong>
                </p>
                <p style="white-space: pre-line">{i.body}</p>
                <p class="hint">{vnDateTime(i.created_at)}</p>
              </li>
            ))}
          </ul>
          {unread > 0 ? (
            <form method="post" action="/thong-bao/da-doc">
              <CsrfField ctx={ctx} />
              <button type="submit">Đánh dấu tất cả là đã đọc</button>
            </form>
          ) : null}
        </>
      )}
    </Layout>,
  );
}

async function PreferencePage(c: Ctx, value?: string, errors: FieldErrors = {}) {
  const ctx = pageCtx(c);
  const actor = c.get('actor')!;
  const current = value ?? (await getPreference(c.get('deps').db, actor.id)) ?? undefined;
  return c.html(
    <Layout ctx={ctx} title="Cách nhận thông báo">
      <ErrorSummary t={ctx.t} errors={errors} />
      <form method="post" action="/thong-bao/cach-nhan" novalidate>
        <CsrfField ctx={ctx} />
        <Radios
          name="channel"
          legend="Bạn muốn nhận thông báo về hồ sơ, phản ánh bằng cách nào?"
          hint="Mọi thông báo luôn có trong mục Thông báo. Mã xác nhận (đặt lại mật khẩu) vẫn gửi qua tin nhắn."
          options={CHANNEL_OPTIONS}
          value={current}
          errors={errors}
          asHeading
        />
        <button type="submit">Lưu</button>
      </form>
    </Layout>,
    Object.keys(errors).length ? 400 : 200,
  );
}

async function DeadLetterPage(c: Ctx) {
  const ctx = pageCtx(c);
  const rows = await listDeadLetters(c.get('deps').db);
  return c.html(
    <Layout ctx={ctx} title="Thông báo gửi không được" wide>
      {c.req.query('da-gui-lai') !== undefined ? <p class="notice success">Đã đưa thông báo vào hàng đợi gửi lại.</p> : null}
      <h1>Thông báo gửi không được</h1>
      <p>Những thông báo đã thử gửi nhiều lần mà không được, hoặc bị nhà mạng, máy chủ thư từ chối. Sửa nguyên nhân rồi bấm “Gửi lại”.</p>
      {rows.length === 0 ? (
        <p>Không có thông báo nào gửi lỗi.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Số</th>
              <th scope="col">Kênh</th>
              <th scope="col">Người nhận</th>
              <th scope="col">Số lần thử</th>
              <th scope="col">Lỗi cuối</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{String(r.id)}</td>
                <td>{r.channel === 'sms' ? 'SMS' : 'Thư điện tử'}</td>
                <td>{maskRecipient(r.recipient)}</td>
                <td>{r.attempts}</td>
                <td>{r.last_error ?? ''}</td>
                <td>
                  <form method="post" action={`/quan-tri/thong-bao-loi/${String(r.id)}/gui-lai`}>
                    <CsrfField ctx={ctx} />
                    <button type="submit">Gửi lại</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>,
  );
}

export function registerNotificationRoutes(app: App): void {
  route(app, 'GET', '/thong-bao', SIGNED_IN, (c) => InboxPage(c));
  route(app, 'POST', '/thong-bao/da-doc', SIGNED_IN, async (c) => {
    await markAllRead(c.get('deps').db, c.get('actor')!.id);
    return c.redirect('/thong-bao', 303);
  });
  route(app, 'GET', '/thong-bao/cach-nhan', SIGNED_IN, (c) => PreferencePage(c));
  route(app, 'POST', '/thong-bao/cach-nhan', SIGNED_IN, async (c) => {
    const actor = c.get('actor')!;
    const form = await readForm(c);
    const outcome = await setPreference(c.get('deps').db, { id: actor.id, phone: actor.phone, email: actor.email, label: actorLabel(actor) }, form.channel ?? '', clientIp(c));
    if (!outcome.ok) return PreferencePage(c, form.channel, outcome.errors);
    return c.redirect('/thong-bao?da-luu', 303);
  });
  route(app, 'GET', '/quan-tri/thong-bao-loi', requires('outbox.deadLetters'), (c) => DeadLetterPage(c));
  route(app, 'POST', '/quan-tri/thong-bao-loi/:id/gui-lai', requires('outbox.deadLetters'), async (c) => {
    const id = Number(c.req.param('id'));
    const actor = c.get('actor')!;
    if (!Number.isSafeInteger(id) || id <= 0) return renderError(c, 404);
    const ok = await resendDeadLetter(c.get('deps').db, id, { id: actor.id, label: actorLabel(actor), ip: clientIp(c) });
    if (!ok) return renderError(c, 404);
    return c.redirect('/quan-tri/thong-bao-loi?da-gui-lai', 303);
  });
}
