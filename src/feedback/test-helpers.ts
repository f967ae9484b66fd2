/** Test helpers for the feedback suites (not used by the app). */
import sharp from 'sharp';
import type { Db } from '../platform/db.js';
import type { Client } from '../testing/app.js';
import * as store from './feedback.store.js';
import { feedbackCode, searchTextOf } from './feedback.service.js';

let counter = 0;

/** The Open311 key the suites register for province 80 (the demo publishes none). */
export const TEST_OPEN311_KEY = 'test-open311-key';


/** Inserts an item directly (store level), with sensible defaults. */
export async function makeFeedback(
  db: Db,
  o: Partial<store.NewFeedback> & { status?: 'new' | 'in_progress' | 'closed'; closedAt?: Date | null; publicReply?: string | null; rating?: number | null } = {},
): Promise<{ id: string; code: string }> {
  const communeCode = o.communeCode ?? '25459';
  const submittedAt = o.submittedAt ?? new Date();
  const year = Number(new Date(submittedAt.getTime() + 7 * 3_600_000).toISOString().slice(0, 4));
  const code = o.code ?? feedbackCode(communeCode, year, await store.nextSequence(db, communeCode, year));
  const description = o.description ?? `Phản ánh thử số ${++counter}`;
  const id = await store.insertFeedback(db, {
    communeCode,
    code,
    categoryCode: o.categoryCode ?? 'khac',
    description,
    locationText: o.locationText ?? '',
    lat: o.lat ?? null,
    long: o.long ?? null,
    addressId: o.addressId ?? null,
    mediaUrl: o.mediaUrl ?? null,
    isPublic: o.isPublic ?? true,
    authorId: o.authorId ?? null,
    contactName: o.contactName ?? null,
    contactPhone: o.contactPhone ?? null,
    channel: o.channel ?? 'web',
    apiKeyId: null,
    token: o.token ?? null,
    idempotencyKey: o.idempotencyKey ?? null,
    dueDate: o.dueDate ?? '2030-01-01',
    searchText: searchTextOf({ description, location_text: o.locationText ?? '', public_reply: o.publicReply ?? null }),
    submittedAt,
  });
  if (o.status && o.status !== 'new') {
    await db
      .updateTable('feedback')
      .set({
        status: o.status,
        closed_at: o.closedAt ?? (o.status === 'closed' ? new Date() : null),
        public_reply: o.publicReply ?? null,
        reply_count: o.publicReply ? 1 : 0,
        rating: o.rating ?? null,
      })
      .where('id', '=', id)
      .execute();
  }
  return { id, code };
}

export async function pngBytes(width = 64, height = 48): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } }).png().toBuffer());
}

/** Fetches the submit form (steps 1–3 by query) and returns its hidden CSRF token and idempotency key. */
export async function openSubmitForm(c: Client, commune = '25459', category = 'khac'): Promise<{ csrf: string; idem: string; html: string }> {
  const res = await c.get(`/phan-anh/gui?xa=${commune}&loai=${category}`);
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const idem = /name="idem" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf || !idem) throw new Error(`submit form not found (status ${res.status})`);
  return { csrf, idem, html };
}

/** Posts the submit form as multipart, like a browser, with optional photos. */
export async function postSubmit(c: Client, fields: Record<string, string>, photos: { name: string; bytes: Uint8Array; type?: string }[] = []): Promise<Response> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const p of photos) fd.append('anh', new Blob([new Uint8Array(p.bytes)], { type: p.type ?? 'application/octet-stream' }), p.name);
  if (!photos.length) fd.append('anh', new Blob([], { type: 'application/octet-stream' }), '');
  return c.request('/phan-anh/gui', { method: 'POST', body: fd });
}

/** The CSRF token and row version a page's form carries. */
export function formTokens(html: string): { csrf: string; version: string } {
  return { csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '', version: /name="phien_ban" value="(\d+)"/.exec(html)?.[1] ?? '' };
}
