/**
 * Step-by-step guides written by the teams and officials ("how to submit
 * 1.001193 online"), optionally tied to a national procedure code. Pictures
 * are checked by content and re-encoded (which drops EXIF: a phone photo
 * carries the place it was taken).
 */
import { fileTypeFromBuffer } from 'file-type';
import { sql } from 'kysely';
import sharp from 'sharp';
import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import { grantsAllow, type RoleGrant } from '../platform/permissions.js';
import { findCommune, provinceOf } from '../units/units.js';
import '../catalog/catalog.tables.js';
import type { Outcome, Who } from './teams.service.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_STEPS = 30;

export interface GuideHead {
  communeCode: string;
  id: number;
  title: string;
  procedureCode: string | null;
  procedureName: string | null;
  status: 'draft' | 'published';
  authorId: string;
  authorName: string;
  steps: number;
  updatedAt: Date;
}

export interface GuideStep {
  id: number;
  position: number;
  body: string;
  hasImage: boolean;
  imageAlt: string | null;
}

export interface Guide extends GuideHead {
  stepList: GuideStep[];
}

function headQuery(db: DbOrTx) {
  return db
    .selectFrom('team_guide as g')
    .innerJoin('app_user as u', 'u.id', 'g.author_id')
    .leftJoin('procedure as p', 'p.code', 'g.procedure_code')
    .select(['g.commune_code', 'g.id', 'g.title', 'g.procedure_code', 'p.name as procedure_name', 'g.status', 'g.author_id', 'u.full_name as author_name', 'g.updated_at'])
    .select((eb) => eb.selectFrom('team_guide_step as s').whereRef('s.commune_code', '=', 'g.commune_code').whereRef('s.guide_id', '=', 'g.id').select(eb.fn.countAll<number>().as('n')).as('steps'));
}

type HeadRow = Awaited<ReturnType<ReturnType<typeof headQuery>['execute']>>[number];

function toHead(r: HeadRow): GuideHead {
  return {
    communeCode: r.commune_code,
    id: r.id,
    title: r.title,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name ?? null,
    status: r.status,
    authorId: r.author_id,
    authorName: r.author_name,
    steps: Number(r.steps ?? 0),
    updatedAt: r.updated_at,
  };
}

export async function listGuides(db: DbOrTx, commune: string, opts: { publishedOnly: boolean }): Promise<GuideHead[]> {
  let q = headQuery(db).where('g.commune_code', '=', commune);
  if (opts.publishedOnly) q = q.where('g.status', '=', 'published');
  return (await q.orderBy('g.updated_at', 'desc').execute()).map(toHead);
}

export async function getGuide(db: DbOrTx, commune: string, id: number): Promise<Guide | undefined> {
  const head = await headQuery(db).where('g.commune_code', '=', commune).where('g.id', '=', id).executeTakeFirst();
  if (!head) return undefined;
  const steps = await db
    .selectFrom('team_guide_step')
    .select(['id', 'position', 'body', 'image_alt'])
    .select(sql<boolean>`image is not null`.as('has_image'))
    .where('commune_code', '=', commune)
    .where('guide_id', '=', id)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return { ...toHead(head), stepList: steps.map((s) => ({ id: s.id, position: s.position, body: s.body, hasImage: Boolean(s.has_image), imageAlt: s.image_alt })) };
}

export interface GuideLink {
  communeCode: string;
  communeName: string;
  id: number;
  title: string;
  steps: number;
  url: string;
}

/**
 * Published guides for a national procedure code, for the procedure page: the
 * given commune's first, then the rest of its province, then elsewhere; newest first within each.
 */
export async function guidesForProcedure(db: DbOrTx, code: string, opts: { commune?: string; limit?: number } = {}): Promise<GuideLink[]> {
  const rows = await db
    .selectFrom('team_guide as g')
    .select(['g.commune_code', 'g.id', 'g.title', 'g.published_at'])
    .select((eb) => eb.selectFrom('team_guide_step as s').whereRef('s.commune_code', '=', 'g.commune_code').whereRef('s.guide_id', '=', 'g.id').select(eb.fn.countAll<number>().as('n')).as('steps'))
    .where('g.procedure_code', '=', code)
    .where('g.status', '=', 'published')
    .orderBy('g.published_at', 'desc')
    .limit(200)
    .execute();
  const province = opts.commune ? provinceOf(opts.commune) : undefined;
  const rank = (c: string) => (c === opts.commune ? 0 : province && provinceOf(c) === province ? 1 : 2);
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r.commune_code) - rank(b.r.commune_code) || a.i - b.i)
    .slice(0, opts.limit ?? 5)
    .map(({ r }) => ({
      communeCode: r.commune_code,
      communeName: findCommune(r.commune_code)?.commune.name ?? r.commune_code,
      id: r.id,
      title: r.title,
      steps: Number(r.steps ?? 0),
      url: guideUrl(r.commune_code, r.id),
    }));
}

export function guideUrl(commune: string, id: number): string {
  return `/xa/${commune}/huong-dan/${id}`;
}

export function canEditGuide(guide: Pick<GuideHead, 'authorId'>, actor: { id: string; grants: readonly RoleGrant[] }, commune: string): boolean {
  return guide.authorId === actor.id || grantsAllow(actor.grants, 'teams.manage', commune, provinceOf);
}

// ---------------------------------------------------------------- writes

async function procedureError(db: DbOrTx, code: string | null): Promise<string | null> {
  if (!code) return null;
  const p = await db.selectFrom('procedure').select('code').where('code', '=', code).where('removed_at', 'is', null).executeTakeFirst();
  return p ? null : `Không tìm thấy thủ tục mã ${code} trong danh mục: kiểm tra lại mã (dạng 1.001193), hoặc để trống`;
}

function audit(db: DbOrTx, who: Who, commune: string, action: string, id: number, detail: Record<string, unknown>) {
  return appendAudit(db, { actorId: who.id, actorLabel: who.label, unitCode: commune, action, subjectType: 'team_guide', subjectId: `${commune}/${id}`, ip: who.ip ?? null, detail });
}

export async function createGuide(db: Db, who: Who & { id: string }, commune: string, g: { title: string; procedure_code: string | null }): Promise<Outcome<{ id: number }>> {
  return db.transaction().execute(async (tx): Promise<Outcome<{ id: number }>> => {
    const err = await procedureError(tx, g.procedure_code);
    if (err) return { ok: false, errors: { procedure_code: err } };
    const row = await tx.insertInto('team_guide').values({ commune_code: commune, title: g.title, procedure_code: g.procedure_code, author_id: who.id, published_at: null }).returning('id').executeTakeFirstOrThrow();
    await audit(tx, who, commune, 'teams.guide_add', row.id, { title: g.title, procedureCode: g.procedure_code });
    return { ok: true, id: row.id };
  });
}

export async function editGuide(db: Db, who: Who, commune: string, id: number, g: { title: string; procedure_code: string | null }): Promise<Outcome> {
  return db.transaction().execute(async (tx): Promise<Outcome> => {
    const err = await procedureError(tx, g.procedure_code);
    if (err) return { ok: false, errors: { procedure_code: err } };
    const r = await tx.updateTable('team_guide').set({ title: g.title, procedure_code: g.procedure_code, updated_at: new Date() }).where('commune_code', '=', commune).where('id', '=', id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return { ok: false, notFound: true };
    await audit(tx, who, commune, 'teams.guide_edit', id, { title: g.title, procedureCode: g.procedure_code });
    return { ok: true };
  });
}

export type PreparedImage = { ok: true; bytes: Buffer; mime: 'image/jpeg' | 'image/png' } | { ok: false; error: string };

/** Checks a picture by its content and re-encodes it small enough for a village's 3G. */
export async function prepareImage(bytes: Uint8Array): Promise<PreparedImage> {
  if (bytes.byteLength > MAX_IMAGE_BYTES) return { ok: false, error: 'Ảnh lớn hơn 5 MB: chụp lại với độ phân giải thấp hơn, hoặc chụp màn hình' };
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !['image/jpeg', 'image/png', 'image/webp'].includes(type.mime)) {
    return { ok: false, error: 'Chỉ nhận ảnh JPG, PNG hoặc WebP (ảnh chụp hoặc ảnh chụp màn hình). Tệp đã chọn không phải ảnh loại này' };
  }
  try {
    const img = sharp(bytes, { limitInputPixels: 40_000_000 }).rotate().resize({ width: 900, height: 1800, fit: 'inside', withoutEnlargement: true });
    // Screenshots stay PNG (sharp text); photos become JPEG.
    if (type.mime === 'image/png') return { ok: true, bytes: await img.png({ compressionLevel: 9, palette: true }).toBuffer(), mime: 'image/png' };
    return { ok: true, bytes: await img.jpeg({ quality: 78, mozjpeg: true }).toBuffer(), mime: 'image/jpeg' };
  } catch {
    return { ok: false, error: 'Ảnh bị hỏng hoặc không mở được: chụp lại rồi tải lên' };
  }
}

export async function addStep(
  db: Db,
  who: Who,
  commune: string,
  guideId: number,
  s: { body: string; image_alt: string },
  image: { bytes: Buffer; mime: 'image/jpeg' | 'image/png' } | null,
): Promise<Outcome<{ id: number }>> {
  return db.transaction().execute(async (tx): Promise<Outcome<{ id: number }>> => {
    const guide = await tx.selectFrom('team_guide').select('id').where('commune_code', '=', commune).where('id', '=', guideId).forUpdate().executeTakeFirst();
    if (!guide) return { ok: false, notFound: true };
    const last = await tx
      .selectFrom('team_guide_step')
      .select((eb) => [eb.fn.max('position').as('max'), eb.fn.countAll<number>().as('n')])
      .where('commune_code', '=', commune)
      .where('guide_id', '=', guideId)
      .executeTakeFirstOrThrow();
    if (Number(last.n) >= MAX_STEPS) return { ok: false, errors: { body: `Một hướng dẫn có tối đa ${MAX_STEPS} bước: tách thành hai hướng dẫn` } };
    const position = Number(last.max ?? 0) + 1;
    const row = await tx
      .insertInto('team_guide_step')
      .values({
        commune_code: commune,
        guide_id: guideId,
        position,
        body: s.body,
        image: image?.bytes ?? null,
        image_mime: image?.mime ?? null,
        image_alt: image ? s.image_alt || `Ảnh minh hoạ bước ${position}` : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('team_guide').set({ updated_at: new Date() }).where('commune_code', '=', commune).where('id', '=', guideId).execute();
    await audit(tx, who, commune, 'teams.guide_step_add', guideId, { step: row.id, position, image: image ? { mime: image.mime, bytes: image.bytes.length } : null });
    return { ok: true, id: row.id };
  });
}

export async function removeStep(db: Db, who: Who, commune: string, guideId: number, stepId: number): Promise<Outcome> {
  return db.transaction().execute(async (tx): Promise<Outcome> => {
    const r = await tx.deleteFrom('team_guide_step').where('commune_code', '=', commune).where('guide_id', '=', guideId).where('id', '=', stepId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return { ok: false, notFound: true };
    // Keep positions 1..n, so the printed numbers have no gaps.
    const rest = await tx.selectFrom('team_guide_step').select('id').where('commune_code', '=', commune).where('guide_id', '=', guideId).orderBy('position').orderBy('id').execute();
    for (const [i, s] of rest.entries()) await tx.updateTable('team_guide_step').set({ position: i + 1 }).where('commune_code', '=', commune).where('id', '=', s.id).execute();
    const left = rest.length;
    await tx
      .updateTable('team_guide')
      .set({ updated_at: new Date(), ...(left === 0 ? { status: 'draft' as const, published_at: null } : {}) })
      .where('commune_code', '=', commune)
      .where('id', '=', guideId)
      .execute();
    await audit(tx, who, commune, 'teams.guide_step_remove', guideId, { step: stepId });
    return { ok: true };
  });
}

export async function setPublished(db: Db, who: Who, commune: string, id: number, publish: boolean): Promise<Outcome> {
  return db.transaction().execute(async (tx): Promise<Outcome> => {
    const g = await getGuide(tx, commune, id);
    if (!g) return { ok: false, notFound: true };
    if (publish && g.stepList.length === 0) return { ok: false, errors: { body: 'Thêm ít nhất một bước trước khi đăng hướng dẫn' } };
    await tx
      .updateTable('team_guide')
      .set({ status: publish ? 'published' : 'draft', published_at: publish ? new Date() : null, updated_at: new Date() })
      .where('commune_code', '=', commune)
      .where('id', '=', id)
      .execute();
    await audit(tx, who, commune, publish ? 'teams.guide_publish' : 'teams.guide_unpublish', id, {});
    return { ok: true };
  });
}

export async function stepImage(db: DbOrTx, commune: string, guideId: number, stepId: number): Promise<{ bytes: Uint8Array; mime: string; status: 'draft' | 'published' } | undefined> {
  const r = await db
    .selectFrom('team_guide_step as s')
    .innerJoin('team_guide as g', (j) => j.onRef('g.commune_code', '=', 's.commune_code').onRef('g.id', '=', 's.guide_id'))
    .select(['s.image', 's.image_mime', 'g.status'])
    .where('s.commune_code', '=', commune)
    .where('s.guide_id', '=', guideId)
    .where('s.id', '=', stepId)
    .executeTakeFirst();
  if (!r?.image || !r.image_mime) return undefined;
  return { bytes: r.image, mime: r.image_mime, status: r.status };
}
