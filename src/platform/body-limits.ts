import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { clientIp, type AppEnv, type Ctx } from './context.js';
import { renderError } from './errors.js';
import type { Policy } from './permissions.js';
import { policyRefusal } from './routes.js';

type Answer = Response | Promise<Response>;

/** A POST route that takes files and so a larger body than a form. Features declare theirs. */
export interface UploadRoute {
  matches(path: string): boolean;
  maxBytes: number;
  /** The answer when even this limit is exceeded (a page naming what to do, or JSON). */
  onTooLarge(c: Ctx): Answer;
  /**
   * Cheap checks run before a byte of the body is read: signed in, allowed
   * here. An answer refuses; undefined admits. Without it anyone may send
   * (anonymous feedback), within the shared upload budget.
   */
  admit?(c: Ctx): Answer | undefined;
}

/** `admit` for an upload route: the route's own policy, with its unit read from the path (one rule for both). */
export function admitPolicy(policy: Policy, unitFromPath?: (path: string) => string | null): (c: Ctx) => Answer | undefined {
  return (c) => policyRefusal(c, policy, policy.kind === 'permission' && policy.unitParam ? (unitFromPath?.(c.req.path) ?? '') : null);
}

export interface UploadGateOptions {
  /**
   * Bytes all uploads in flight may hold together. Each reserves its declared
   * Content-Length, or its route's whole limit when chunked (size unknown).
   */
  budgetBytes: number;
  /** Uploads larger than a form that one client address may have in flight at once. */
  perClient: number;
  /** The client's key for `perClient`: its address by default. */
  clientKey?(c: Ctx): string;
  /** Busy: the budget or the client's share is taken. Default: 503 with Retry-After. */
  onBusy?(c: Ctx): Answer;
}

/** 160 MB: a few whole dossiers, or dozens of ordinary photo uploads, at once; the process stays far below 512 MB. */
export const DEFAULT_UPLOAD_GATE: UploadGateOptions = { budgetBytes: 160 * 1024 * 1024, perClient: 2 };

function defaultBusy(c: Ctx): Answer {
  c.header('retry-after', '30');
  return renderError(c, 503, 'Máy chủ đang nhận nhiều tệp cùng lúc. Đợi khoảng nửa phút rồi gửi lại; thông tin bạn đã nhập vẫn còn trên trang trước.');
}

/** Counts bytes as the handler reads them and stops at `max`, without reading ahead or buffering. */
function limited(body: ReadableStream<Uint8Array>, max: number, onExceeded: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      size += value.byteLength;
      if (size > max) {
        onExceeded();
        // Not cancelled: the server then discards the rest (bounded) and can still send the 413 page.
        reader.releaseLock();
        controller.error(new HTTPException(413, { message: 'body too large' }));
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 }); // pull only when the handler reads: an early answer reads nothing
}

/**
 * One body limit per request, decided before anything reads the body (the
 * CSRF step and the handlers do): the upload route's own limit, else the form
 * limit. Nothing is read ahead: the limit is counted while the handler reads,
 * chunked bodies included, so an early answer (sign in first, forbidden, busy)
 * costs no memory. Upload routes first pass their `admit` check, then take a
 * share of the shared upload budget, held until the answer is ready.
 */
export function bodyLimits(
  formMaxBytes: number,
  onFormTooLarge: (c: Ctx) => Answer,
  uploads: readonly UploadRoute[],
  gate: UploadGateOptions = DEFAULT_UPLOAD_GATE,
): MiddlewareHandler<AppEnv> {
  let reserved = 0;
  const perClient = new Map<string, number>();
  const clientKey = gate.clientKey ?? clientIp;
  const onBusy = gate.onBusy ?? defaultBusy;

  return async (c, next) => {
    const method = c.req.method;
    const raw = c.req.raw;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || !raw.body) return next();
    const upload = method === 'POST' ? uploads.find((u) => u.matches(c.req.path)) : undefined;
    const max = upload?.maxBytes ?? formMaxBytes;
    const tooLarge = () => (upload ? upload.onTooLarge(c) : onFormTooLarge(c));

    const length = raw.headers.has('transfer-encoding') ? null : raw.headers.get('content-length');
    const declared = length === null ? null : Number(length);
    if (declared !== null && (!Number.isSafeInteger(declared) || declared < 0)) return renderError(c, 400);
    if (declared !== null && declared > max) return tooLarge();

    let share = 0;
    let key = '';
    if (upload) {
      const refused = await upload.admit?.(c);
      if (refused) return refused;
      share = declared ?? max;
      // Bodies no larger than a form are not worth queuing for.
      if (share <= formMaxBytes) share = 0;
      if (share) {
        key = clientKey(c);
        const mine = perClient.get(key) ?? 0;
        if (mine >= gate.perClient || reserved + share > gate.budgetBytes) return onBusy(c);
        reserved += share;
        perClient.set(key, mine + 1);
      }
    }
    try {
      let exceeded = false;
      c.req.raw = new Request(raw, { body: limited(raw.body, max, () => (exceeded = true)), duplex: 'half' } as RequestInit);
      await next();
      if (exceeded) {
        // Replace whatever the handler made of the broken body (often a 500), headers included.
        const answer = await tooLarge();
        c.res = undefined;
        c.res = answer;
      }
    } finally {
      if (share) {
        reserved -= share;
        const left = (perClient.get(key) ?? 1) - 1;
        if (left) perClient.set(key, left);
        else perClient.delete(key);
      }
    }
  };
}
