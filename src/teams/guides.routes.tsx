/** Guides: written by teams and officials, published as a public page that prints on paper. */
import type { Child } from 'hono/jsx';
import type { Ctx } from '../platform/context.js';
import { renderError } from '../platform/errors.js';
import { parseForm, readForm } from '../platform/forms.js';
import { CsrfField, ErrorSummary, Field, Layout, pageCtx, type FieldErrors } from '../platform/layout.js';
import { PUBLIC, grantsAllow, requires } from '../platform/permissions.js';
import { route, type App } from '../platform/routes.js';
import { provinceOf, unitName } from '../units/units.js';
import { guideSchema, stepSchema } from './teams.schema.js';
import { MAX_STEPS, addStep, canEditGuide, createGuide, editGuide, getGuide, guideUrl, listGuides, prepareImage, removeStep, setPublished, stepImage, type Guide } from './teams.guides.js';
import { communeParam, idParam, uploadedFile, who } from './teams.http.js';
import { TextArea, FileInput } from '../platform/ui.js';
import { Notice, TeamsNav, base } from './teams.ui.js';

const LOG = requires('teams.log', 'commune');

function staffPage(c: Ctx, commune: string, title: string, body: Child, status: 200 | 400 = 200) {
  const ctx = pageCtx(c);
  return c.html(
    <Layout ctx={ctx} title={`${title} — ${unitName(commune) ?? commune}`}>
      <TeamsNav ctx={ctx} commune={commune} current="huong-dan" />
      {body}
    </Layout>,
    status,
  );
}

const STATUS = { draft: 'Bản nháp', published: 'Đã đăng' } as const;

async function listPage(c: Ctx, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const commune = communeParam(c);
  const guides = await listGuides(c.get('deps').db, commune, { publishedOnly: false });
  const ctx = pageCtx(c);
  return staffPage(
    c,
    commune,
    'Hướng dẫn từng bước',
    <>
      <ErrorSummary t={ctx.t} errors={errors} />
      <h1>Hướng dẫn từng bước</h1>
      <p>Hướng dẫn ngắn, mỗi bước một việc, có ảnh chụp màn hình nếu cần. Hướng dẫn đã đăng hiện công khai và in được ra giấy.</p>
      {guides.length === 0 ? (
        <p>Chưa có hướng dẫn nào.</p>
      ) : (
        <ul class="list-plain">
          {guides.map((g) => (
            <li>
              <a href={`${base(commune)}/huong-dan/${g.id}`}>{g.title}</a>
              <span class="meta">
                {STATUS[g.status]} · {g.steps} bước{g.procedureCode ? ` · thủ tục ${g.procedureCode}` : ''} · {g.authorName}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2>Viết hướng dẫn mới</h2>
      <form method="post" action={`${base(commune)}/huong-dan`} novalidate>
        <CsrfField ctx={ctx} />
        <Field name="title" label="Tên hướng dẫn" hint='Ví dụ: "Cách nộp hồ sơ đăng ký khai sinh trực tuyến"' value={values.title} errors={errors} />
        <Field name="procedure_code" label="Mã thủ tục (không bắt buộc)" hint="Mã trên Cổng Dịch vụ công, ví dụ 1.001193" inputmode="decimal" value={values.procedure_code} errors={errors} />
        <button type="submit">Tạo và thêm các bước</button>
      </form>
      <p>
        <a href={`/xa/${commune}/huong-dan`}>Xem trang hướng dẫn công khai của xã</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

async function editPage(c: Ctx, guideId: number, opts: { values?: Record<string, string>; errors?: FieldErrors; stepValues?: Record<string, string>; stepErrors?: FieldErrors } = {}) {
  const commune = communeParam(c);
  const g = await getGuide(c.get('deps').db, commune, guideId);
  if (!g) return renderError(c, 404);
  const actor = c.get('actor')!;
  const editable = canEditGuide(g, actor, commune);
  const ctx = pageCtx(c);
  const errors = { ...(opts.errors ?? {}), ...(opts.stepErrors ?? {}) };
  const v = opts.values ?? { title: g.title, procedure_code: g.procedureCode ?? '' };
  const sv = opts.stepValues ?? {};
  const url = `${base(commune)}/huong-dan/${g.id}`;
  return staffPage(
    c,
    commune,
    g.title,
    <>
      <ErrorSummary t={ctx.t} errors={errors} />
      {c.req.query('da-luu') ? <Notice>Đã lưu.</Notice> : null}
      <h1>{g.title}</h1>
      <p>
        {STATUS[g.status]} · {g.steps} bước · người viết: {g.authorName}
        {g.procedureCode ? ` · thủ tục ${g.procedureCode}${g.procedureName ? ` (${g.procedureName})` : ''}` : ''}
      </p>
      <p>
        <a href={guideUrl(commune, g.id)}>{g.status === 'published' ? 'Xem trang công khai' : 'Xem trước'}</a>
      </p>
      <h2>Các bước</h2>
      {g.stepList.length === 0 ? <p>Chưa có bước nào.</p> : null}
      <ol class="tcns-steps">
        {g.stepList.map((s) => (
          <li>
            <p class="prewrap">{s.body}</p>
            {s.hasImage ? <img src={`${guideUrl(commune, g.id)}/anh/${s.id}`} alt={s.imageAlt ?? ''} loading="lazy" /> : null}
            {editable ? (
              <form method="post" action={`${url}/buoc/${s.id}/xoa`}>
                <CsrfField ctx={ctx} />
                <button type="submit" class="secondary">
                  Xoá bước {s.position}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ol>
      {editable ? (
        <>
          {g.stepList.length < MAX_STEPS ? (
            <>
              <h2>Thêm bước {g.stepList.length + 1}</h2>
              <form method="post" action={`${url}/buoc`} enctype="multipart/form-data" novalidate>
                <CsrfField ctx={ctx} />
                <TextArea name="body" label="Việc cần làm ở bước này" hint="Một câu ngắn, ví dụ: Mở ứng dụng VNeID, chọn mục Thủ tục hành chính." value={sv.body} errors={errors} rows={3} />
                <FileInput name="image" label="Ảnh minh hoạ (không bắt buộc)" hint="Ảnh chụp màn hình hoặc ảnh chụp, JPG hoặc PNG, tối đa 5 MB." accept="image/jpeg,image/png,image/webp" errors={errors} />
                <Field name="image_alt" label="Mô tả ngắn của ảnh (không bắt buộc)" hint="Cho người dùng trình đọc màn hình, ví dụ: Màn hình chính của VNeID." value={sv.image_alt} errors={errors} />
                <button type="submit">Thêm bước</button>
              </form>
            </>
          ) : null}
          <h2>{g.status === 'published' ? 'Đang đăng công khai' : 'Đăng hướng dẫn'}</h2>
          <form method="post" action={`${url}/dang`}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="dang" value={g.status === 'published' ? '0' : '1'} />
            <button type="submit" class={g.status === 'published' ? 'secondary' : undefined}>
              {g.status === 'published' ? 'Gỡ khỏi trang công khai' : 'Đăng công khai'}
            </button>
          </form>
          <h2>Sửa tên, mã thủ tục</h2>
          <form method="post" action={url} novalidate>
            <CsrfField ctx={ctx} />
            <Field name="title" label="Tên hướng dẫn" value={v.title} errors={errors} />
            <Field name="procedure_code" label="Mã thủ tục (không bắt buộc)" inputmode="decimal" value={v.procedure_code} errors={errors} />
            <button type="submit" class="secondary">
              Lưu
            </button>
          </form>
        </>
      ) : (
        <p>Chỉ người viết hoặc cán bộ xã được sửa hướng dẫn này.</p>
      )}
      <p>
        <a href={`${base(commune)}/huong-dan`}>Tất cả hướng dẫn</a>
      </p>
    </>,
    Object.keys(errors).length ? 400 : 200,
  );
}

/** Loads the guide and checks the actor may change it: null means "answer already sent". */
async function editable(c: Ctx): Promise<{ commune: string; guide: Guide } | Response> {
  const commune = communeParam(c);
  const id = idParam(c, 'guide');
  const guide = id === null ? undefined : await getGuide(c.get('deps').db, commune, id);
  if (!guide) return renderError(c, 404);
  if (!canEditGuide(guide, c.get('actor')!, commune)) return renderError(c, 403, 'Chỉ người viết hoặc cán bộ xã được sửa hướng dẫn này.');
  return { commune, guide };
}

function PublicGuide({ g, baseUrl }: { g: Guide; baseUrl: string }) {
  return (
    <article class="tcns-guide">
      <p class="breadcrumb no-print">
        <a href={`/xa/${g.communeCode}/huong-dan`}>Hướng dẫn của {unitName(g.communeCode) ?? g.communeCode}</a>
      </p>
      <h1>{g.title}</h1>
      {g.procedureCode ? (
        <p>
          Thủ tục: <a href={`/thu-tuc/${g.procedureCode}`}>{g.procedureName ?? g.procedureCode}</a> (mã {g.procedureCode})
        </p>
      ) : null}
      <ol class="tcns-steps">
        {g.stepList.map((s) => (
          <li>
            <p class="prewrap">{s.body}</p>
            {s.hasImage ? <img src={`${guideUrl(g.communeCode, g.id)}/anh/${s.id}`} alt={s.imageAlt ?? ''} loading="lazy" /> : null}
          </li>
        ))}
      </ol>
      <p class="tcns-print-note">
        Tổ công nghệ số cộng đồng {unitName(g.communeCode) ?? ''} biên soạn. Cần giúp? Hỏi tổ công nghệ số ở thôn, ấp của bạn hoặc bộ phận một cửa của xã.
      </p>
      {/* On paper, the address to find the guide again. */}
      <p class="tcns-print-note">
        Xem trên mạng: {baseUrl}
        {guideUrl(g.communeCode, g.id)}
      </p>
    </article>
  );
}

export function registerGuideRoutes(app: App): void {
  route(app, 'GET', '/can-bo/xa/:commune/to-cns/huong-dan', LOG, (c) => listPage(c));
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/huong-dan', LOG, async (c) => {
    const commune = communeParam(c);
    const form = await parseForm(c, guideSchema);
    if (!form.ok) return listPage(c, form.values, form.errors);
    const r = await createGuide(c.get('deps').db, who(c), commune, form.data);
    if (!r.ok) return 'errors' in r ? listPage(c, form.values, r.errors) : renderError(c, 404);
    return c.redirect(`${base(commune)}/huong-dan/${r.id}`, 303);
  });

  route(app, 'GET', '/can-bo/xa/:commune/to-cns/huong-dan/:guide', LOG, (c) => {
    const id = idParam(c, 'guide');
    return id === null ? renderError(c, 404) : editPage(c, id);
  });
  route(app, 'POST', '/can-bo/xa/:commune/to-cns/huong-dan/:guide', LOG, async (c) => {
    const e = await editable(c);
    if (e instanceof Response) return e;
    const form = await parseForm(c, guideSchema);
    if (!form.ok) return editPage(c, e.guide.id, { values: form.values, errors: form.errors });
    const r = await editGuide(c.get('deps').db, who(c), e.commune, e.guide.id, form.data);
    if (!r.ok) return 'errors' in r ? editPage(c, e.guide.id, { values: form.values, errors: r.errors }) : renderError(c, 404);
    return c.redirect(`${base(e.commune)}/huong-dan/${e.guide.id}?da-luu=1`, 303);
  });

  route(app, 'POST', '/can-bo/xa/:commune/to-cns/huong-dan/:guide/buoc', LOG, async (c) => {
    const e = await editable(c);
    if (e instanceof Response) return e;
    const form = await parseForm(c, stepSchema);
    const file = await uploadedFile(c, 'image');
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    let image: { bytes: Buffer; mime: 'image/jpeg' | 'image/png' } | null = null;
    if (file) {
      const prepared = await prepareImage(file.bytes);
      if (prepared.ok) image = { bytes: prepared.bytes, mime: prepared.mime };
      else errors.image = prepared.error;
    }
    if (!form.ok || Object.keys(errors).length) return editPage(c, e.guide.id, { stepValues: form.values, stepErrors: errors });
    const r = await addStep(c.get('deps').db, who(c), e.commune, e.guide.id, form.data, image);
    if (!r.ok) return 'errors' in r ? editPage(c, e.guide.id, { stepValues: form.values, stepErrors: r.errors }) : renderError(c, 404);
    return c.redirect(`${base(e.commune)}/huong-dan/${e.guide.id}?da-luu=1`, 303);
  });

  route(app, 'POST', '/can-bo/xa/:commune/to-cns/huong-dan/:guide/buoc/:step/xoa', LOG, async (c) => {
    const e = await editable(c);
    if (e instanceof Response) return e;
    const step = idParam(c, 'step');
    if (step === null) return renderError(c, 404);
    await readForm(c);
    const r = await removeStep(c.get('deps').db, who(c), e.commune, e.guide.id, step);
    if (!r.ok) return renderError(c, 404);
    return c.redirect(`${base(e.commune)}/huong-dan/${e.guide.id}?da-luu=1`, 303);
  });

  route(app, 'POST', '/can-bo/xa/:commune/to-cns/huong-dan/:guide/dang', LOG, async (c) => {
    const e = await editable(c);
    if (e instanceof Response) return e;
    const form = await readForm(c);
    const r = await setPublished(c.get('deps').db, who(c), e.commune, e.guide.id, form.dang !== '0');
    if (!r.ok) return 'errors' in r ? editPage(c, e.guide.id, { stepErrors: r.errors }) : renderError(c, 404);
    return c.redirect(`${base(e.commune)}/huong-dan/${e.guide.id}?da-luu=1`, 303);
  });

  // Public pages: published guides only; the commune's own team may preview a draft.
  const mayPreview = (c: Ctx, commune: string) => {
    const actor = c.get('actor');
    return actor ? grantsAllow(actor.grants, 'teams.log', commune, provinceOf) : false;
  };

  route(app, 'GET', '/xa/:commune/huong-dan', PUBLIC, async (c) => {
    const commune = communeParam(c);
    const name = unitName(commune);
    if (!name || commune.length !== 5) return renderError(c, 404);
    const guides = await listGuides(c.get('deps').db, commune, { publishedOnly: true });
    return c.html(
      <Layout ctx={pageCtx(c)} title={`Hướng dẫn của ${name}`}>
        <h1>Hướng dẫn từng bước — {name}</h1>
        <p>Do tổ công nghệ số cộng đồng và cán bộ xã biên soạn.</p>
        {guides.length === 0 ? (
          <p>Chưa có hướng dẫn nào.</p>
        ) : (
          <ul class="list-plain">
            {guides.map((g) => (
              <li>
                <a href={guideUrl(commune, g.id)}>{g.title}</a>
                <span class="meta">
                  {g.steps} bước{g.procedureCode ? ` · thủ tục ${g.procedureCode}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  route(app, 'GET', '/xa/:commune/huong-dan/:guide', PUBLIC, async (c) => {
    const commune = communeParam(c);
    const id = idParam(c, 'guide');
    const g = id === null ? undefined : await getGuide(c.get('deps').db, commune, id);
    if (!g || (g.status !== 'published' && !mayPreview(c, commune))) return renderError(c, 404);
    return c.html(
      <Layout ctx={pageCtx(c)} title={g.title}>
        {g.status !== 'published' ? <Notice kind="info">Bản nháp: chỉ tổ công nghệ số và cán bộ của xã xem được.</Notice> : null}
        <PublicGuide g={g} baseUrl={c.get('deps').config.baseUrl} />
      </Layout>,
    );
  });

  route(app, 'GET', '/xa/:commune/huong-dan/:guide/anh/:step', PUBLIC, async (c) => {
    const commune = communeParam(c);
    const guide = idParam(c, 'guide');
    const step = idParam(c, 'step');
    const img = guide === null || step === null ? undefined : await stepImage(c.get('deps').db, commune, guide, step);
    if (!img || (img.status !== 'published' && !mayPreview(c, commune))) return renderError(c, 404);
    return c.body(new Uint8Array(img.bytes), 200, {
      'content-type': img.mime,
      'cache-control': img.status === 'published' ? 'public, max-age=3600' : 'private, no-store',
      'content-security-policy': "default-src 'none'",
    });
  });
}
