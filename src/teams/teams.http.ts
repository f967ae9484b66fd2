/** Small request helpers shared by the teams routes. */
import { actorLabel, clientIp, type Ctx } from '../platform/context.js';
import type { LogActor } from './teams.log.js';

export function who(c: Ctx): LogActor {
  const actor = c.get('actor')!;
  return { id: actor.id, label: actorLabel(actor), ip: clientIp(c), grants: actor.grants };
}

/** A numeric id from the path, or null (then the page is "not found", never a 500). */
export function idParam(c: Ctx, name: string): number | null {
  const v = c.req.param(name) ?? '';
  return /^[0-9]{1,9}$/.test(v) ? Number(v) : null;
}

export function communeParam(c: Ctx): string {
  return c.req.param('commune') ?? '';
}

/** The uploaded file of a multipart form (the CSRF check has already parsed and cached the body). */
export async function uploadedFile(c: Ctx, field: string): Promise<{ name: string; bytes: Uint8Array } | null> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('multipart/form-data')) return null;
  const body = await c.req.parseBody();
  const f = body[field];
  if (typeof f !== 'object' || f === null || typeof (f as File).arrayBuffer !== 'function' || (f as File).size === 0) return null;
  return { name: (f as File).name || 'tệp', bytes: new Uint8Array(await (f as File).arrayBuffer()) };
}

/** Pages that carry a one-time key or personal data are not kept by the browser: Back reloads them. */
export function noStore(c: Ctx): void {
  c.header('cache-control', 'no-store');
}
