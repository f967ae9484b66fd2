/** The field log, made for a phone in a village: one short page, plain form post, safe to retry. */
import { randomUUID } from 'node:crypto';
import type { Child } from 'hono/jsx';
import type { Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { readForm, validate } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { requires } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { unitName } from '../units/units.js';
import { CORRECTION_DAYS, IDEMPOTENCY_RE, TASKS, correctionSchema, logEntrySchema, todayVn, vnDate, type LogValues } from './teams.schema.js';
import { canView, correctEntry, correctionRight, createEntry, getEntry, listRevisions, recentEntries, standing, type LogEntry } from './teams.log.js';
import { listVillages } from './teams.store.js';
import { communeParam, idParam, noStore, who } from './teams.http.js';
import { Select, TextArea } from '../platform/ui.js';
import { CountField, Notice, TeamsNav, base } from './teams.ui.js';

const LOG = requires('teams.log', 'commune');

function page(c: Ctx, commune: string, title: string, body: Child, status: 200 | 400 | 403 | 409 = 200) {
  const ctx = pageCtx(c);
  noStore(c);
  return c.html(
    <Layout ctx={ctx} title={`${title} — ${unitName(commune) ?? commune}`}>
      <TeamsNav ctx={ctx} commune={commune} current="nhat-ky" />
      {body}
    </Layout>,
    status,
  );
}

function entryValues(e: LogValues): Record<string, string> {
  return {
    visit_date: e.visit_date,
    village_id: String(e.village_id),
    households_visited: String(e.households_visited),
    ...Object.fromEntries(TASKS.map((t) => [t.key, String(e[t.key])])),
    note: e.note,
  };
}

/** The log form's fields, shared by a new entry and a correction. */
async function LogFields({ c, commune, values, errors }: { c: Ctx; commune: string; values: Record<string, string>; errors: FieldErrors }) {
  const villages = await listVillages(c.get('deps').db, commune);
  return (
    <>
      <Field name="visit_date" label="Ngày đi" type="date" value={values.visit_date} errors={errors} />
      <Select name="village_id" label="Thôn, ấp, tổ dân phố" value={values.village_id} errors={errors} placeholder="— Chọn —" options={villages.map((v) => ({ value: String(v.id), label: v.name }))} />
      <div class="tcns-counts">
        <CountField name="households_visited" label="Số hộ đã đến" value={values.households_visited} errors={errors} />
      </div>
      <fieldset class="tcns-fieldset">
        <legend>Số người đã được giúp (để trống nếu không có)</legend>
        <div class="tcns-counts">
          {TASKS.map((t) => (
            <CountField name={t.key} label={t.label} value={values[t.key]} errors={errors} />
          ))}
        </div>
      </fieldset>
      <TextArea name="note" label="Ghi chú (không bắt buộc)" value={values.note} errors={errors} rows={2} />
    </>
  );
}

function Summary({ e }: { e: LogEntry }) {
  const done = TASKS.filter((t) => e[t.key] > 0).map((t) => `${t.short}: ${e[t.key]}`);
  return (
    <>
      {vnDate(e.visit_date)} · {e.villageName} · {e.households_visited} hộ{done.length ? ` · ${done.join(', ')}` : ''}
    </>
  );
}

async function logPage(c: Ctx, values?: Record<string, string>, errors: FieldErrors = {}) {
  const commune = communeParam(c);
  const { db } = c.get('deps');
  const actor = who(c);
  const s = await standing(db, actor, commune);
  const villages = await listVillages(db, commune);
  const recent = await recentEntries(db, commune, actor.id, s, 10);
  const savedId = Number(c.req.query('da-luu') ?? NaN);
  const saved = Number.isInteger(savedId) ? await getEntry(db, commune, savedId) : undefined;
  const v = values ?? { visit_date: todayVn(), village_id: s.villageId === null ? '' : String(s.villageId) };
  const key = v.key && IDEMPOTENCY_RE.test(v.key) ? v.key : randomUUID();
  const ctx = pageCtx(c);
  return page(
    c,
    commune,
    'Ghi nhật ký đi cơ sở',
    <>
      <ErrorSummary t={ctx.t} errors={errors} />
      {saved && canView(saved, actor.id, s) ? (
        <Notice>
          Đã lưu: <Summary e={saved} />. <a href={`${base(commune)}/nhat-ky/${saved.id}`}>Xem, sửa</a>
        </Notice>
      ) : null}
      {saved && c.req.query('trung') ? (
        <Notice kind="info">Biểu mẫu này đã được gửi trước đó, nên không ghi thêm. Nếu đây là một lần đi khác, hãy nhập lại ở biểu mẫu dưới đây.</Notice>
      ) : null}
      <h1>Ghi nhật ký đi cơ sở</h1>
      {villages.length === 0 ? (
        <p>Xã chưa có danh sách thôn, ấp. Nhờ cán bộ xã thêm danh sách trước khi ghi nhật ký.</p>
      ) : (
        <form method="post" action={`${base(commune)}/nhat-ky`} novalidate class="tcns-log">
          <CsrfField ctx={ctx} />
          {/* One key per form: a retried post finds the entry it already made. */}
          <input type="hidden" name="key" value={key} />
          <LogFields c={c} commune={commune} values={v} errors={errors} />
          <button type="submit" class="tcns-wide">
            Lưu
          </button>
        </form>
      )}
      <h2>Các lần ghi gần đây</h2>
      {recent.length === 0 ? (
        <p>Chưa có lần ghi nào.</p>
      ) : (
        <ul class="list-plain">
          {recent.map((e) => (
            <li>
              <a href={`${base(commune)}/nhat-ky/${e.id}`}>
                <Summary e={e} />
              </a>
              {e.authorId !== actor.id ? <span class="meta">{e.authorName}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

async function entryPage(c: Ctx, entryId: number, values?: Record<string, string>, errors: FieldErrors = {}) {
  const commune = communeParam(c);
  const { db } = c.get('deps');
  const actor = who(c);
  const entry = await getEntry(db, commune, entryId);
  const s = await standing(db, actor, commune);
  if (!entry || !canView(entry, actor.id, s)) return renderError(c, 404);
  const right = correctionRight(entry, actor.id, s, new Date());
  const revisions = await listRevisions(db, commune, entry.id);
  const ctx = pageCtx(c);
  return page(
    c,
    commune,
    'Một lần đi cơ sở',
    <>
      <ErrorSummary t={ctx.t} errors={errors} />
      {c.req.query('da-sua') ? <Notice>Đã lưu phần sửa.</Notice> : null}
      <h1>Lần đi ngày {vnDate(entry.visit_date)}</h1>
      <dl class="tcns-dl">
        <dt>Thôn, ấp, tổ dân phố</dt>
        <dd>{entry.villageName}</dd>
        <dt>Người ghi</dt>
        <dd>
          {entry.authorName}
          {entry.teamName ? ` (${entry.teamName})` : ''}
        </dd>
        <dt>Số hộ đã đến</dt>
        <dd>{entry.households_visited}</dd>
        {TASKS.map((t) => (
          <>
            <dt>{t.label}</dt>
            <dd>{entry[t.key]}</dd>
          </>
        ))}
        {entry.note ? (
          <>
            <dt>Ghi chú</dt>
            <dd class="prewrap">{entry.note}</dd>
          </>
        ) : null}
      </dl>
      <h2>Sửa</h2>
      {right.allowed ? (
        <form method="post" action={`${base(commune)}/nhat-ky/${entry.id}`} novalidate class="tcns-log">
          <CsrfField ctx={ctx} />
          {right.as === 'author' ? <p class="hint">Người ghi được tự sửa trong {CORRECTION_DAYS} ngày. Mỗi lần sửa được lưu lại.</p> : <p class="hint">Bạn sửa với tư cách {right.as === 'leader' ? 'tổ trưởng' : 'cán bộ xã'}; mỗi lần sửa được lưu lại.</p>}
          <LogFields c={c} commune={commune} values={values ?? entryValues(entry)} errors={errors} />
          <Field name="reason" label="Lý do sửa" hint='Ví dụ: "ghi nhầm số hộ"' value={values?.reason} errors={errors} />
          <button type="submit">Lưu phần sửa</button>
        </form>
      ) : (
        <p>{right.reason}</p>
      )}
      {revisions.length ? (
        <>
          <h2>Lịch sử sửa</h2>
          <ul class="list-plain">
            {revisions.map((r) => (
              <li>
                {r.changedAt.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })} — {r.changedByLabel}: {r.reason}
                <span class="meta">
                  Trước khi sửa:{' '}
                  {Object.entries(r.oldValues)
                    .map(([k, val]) => `${k === 'visit_date' ? 'ngày' : k === 'village_id' ? 'thôn' : k === 'households_visited' ? 'hộ' : k === 'note' ? 'ghi chú' : (TASKS.find((t) => t.key === k)?.short ?? k)} ${k === 'visit_date' ? vnDate(String(val)) : String(val)}`)
                    .join('; ')}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href={`${base(commune)}/nhat-ky`}>Ghi lần khác</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

export function registerLogRoutes(app: App): void {
  route(app, 'GET', '/can-bo/xa/:commune/to-cns/nhat-ky', LOG, (c) => logPage(c));

  route(app, 'POST', '/can-bo/xa/:commune/to-cns/nhat-ky', LOG, async (c) => {
    const commune = communeParam(c);
    const values = await readForm(c);
    const form = validate(logEntrySchema, values);
    if (!form.ok) return logPage(c, values, form.errors);
    const { key, ...v } = form.data;
    const r = await createEntry(c.get('deps').db, who(c), commune, key, v);
    if (!r.ok) {
      if ('conflict' in r) return renderError(c, 409, 'Biểu mẫu này đã được dùng ở tài khoản khác. Tải lại trang ghi nhật ký rồi nhập lại.');
      return logPage(c, values, r.errors);
    }
    // The same answer for the first post and any retry of it.
    return c.redirect(`${base(commune)}/nhat-ky?da-luu=${r.id}${r.sameValues ? '' : '&trung=1'}`, 303);
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/nhat-ky/:entry', LOG, (c) => {
    const id = idParam(c, 'entry');
    return id === null ? renderError(c, 404) : entryPage(c, id);
  });

  route(app, 'POST', '/can-bo/xa/:commune/to-cns/nhat-ky/:entry', LOG, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'entry');
    if (id === null) return renderError(c, 404);
    const { db } = c.get('deps');
    const actor = who(c);
    const entry = await getEntry(db, commune, id);
    const s = await standing(db, actor, commune);
    if (!entry || !canView(entry, actor.id, s)) return renderError(c, 404);
    const right = correctionRight(entry, actor.id, s, new Date());
    if (!right.allowed) return renderError(c, 403, right.reason);
    const values = await readForm(c);
    const form = validate(correctionSchema, values);
    if (!form.ok) return entryPage(c, id, values, form.errors);
    const { reason, ...v } = form.data;
    const r = await correctEntry(db, actor, commune, id, v, reason);
    if (!r.ok) {
      if ('notFound' in r) return renderError(c, 404);
      if ('forbidden' in r) return renderError(c, 403, r.forbidden);
      return entryPage(c, id, values, r.errors);
    }
    return c.redirect(`${base(commune)}/nhat-ky/${id}?da-sua=1`, 303);
  });
}
