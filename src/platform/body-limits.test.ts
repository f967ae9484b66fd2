import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './context.js';
import { bodyLimits, type UploadGateOptions } from './body-limits.js';

const KB = 1024;

/** A body that says how much of it was read: the limit must stop reading, not read then refuse. */
function source(total: number, opts: { chunk?: number; hold?: Promise<void> } = {}) {
  const chunk = opts.chunk ?? 16 * KB;
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (opts.hold) await opts.hold;
        if (state.pulled >= total) {
          controller.close();
          return;
        }
        const n = Math.min(chunk, total - state.pulled);
        state.pulled += n;
        controller.enqueue(new Uint8Array(n));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

function post(app: Hono<AppEnv>, path: string, body: RequestInit['body'], headers: Record<string, string> = {}) {
  return app.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

function makeApp(gate: Partial<UploadGateOptions> = {}) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    // What the session step would have set: a signed-in person when the test says so.
    c.set('actor', c.req.header('x-test-user') ? ({ id: 'u' } as AppEnv['Variables']['actor']) : null);
    await next();
  });
  app.use(
    '*',
    bodyLimits(
      10 * KB,
      (c) => c.text('form too large', 413),
      [
        { matches: (p) => p === '/upload', maxBytes: 100 * KB, onTooLarge: (c) => c.text('upload too large', 413) },
        {
          matches: (p) => p === '/members-only',
          maxBytes: 100 * KB,
          onTooLarge: (c) => c.text('upload too large', 413),
          admit: (c) => (c.get('actor') ? undefined : c.text('sign in first', 401)),
        },
      ],
      { budgetBytes: 250 * KB, perClient: 2, clientKey: (c) => c.req.header('x-client') ?? 'anon', onBusy: (c) => c.text('busy', 503), ...gate },
    ),
  );
  app.post('*', async (c) => c.text(`read ${(await c.req.arrayBuffer()).byteLength}`));
  app.get('*', (c) => c.text('ok'));
  // A body that broke off at the limit surfaces in the handler as an error; the limit's answer replaces it.
  app.onError((_err, c) => c.text('error', 500));
  return app;
}

describe('body limits', () => {
  it('applies the form limit to ordinary posts and the upload limit to upload routes', async () => {
    const app = makeApp();
    expect(await (await post(app, '/form', 'x'.repeat(10 * KB))).text()).toBe(`read ${10 * KB}`);
    const big = await post(app, '/form', 'x'.repeat(10 * KB + 1));
    expect([big.status, await big.text()]).toEqual([413, 'form too large']);
    expect((await post(app, '/upload', 'x'.repeat(100 * KB))).status).toBe(200);
    const huge = await post(app, '/upload', 'x'.repeat(100 * KB + 1));
    expect([huge.status, await huge.text()]).toEqual([413, 'upload too large']);
  });

  it('leaves requests without a body alone', async () => {
    expect(await (await makeApp().request('/anything')).text()).toBe('ok');
  });

  it('stops a chunked body at the limit while it streams: 59 MB are never read for a 100 kB limit', async () => {
    const app = makeApp();
    const { stream, state } = source(59 * 1024 * KB);
    const res = await post(app, '/upload', stream, { 'x-test-user': '1' });
    expect([res.status, await res.text()]).toEqual([413, 'upload too large']);
    expect(state.pulled).toBeLessThanOrEqual(100 * KB + 16 * KB);
  });

  it('refuses a declared length over the limit without reading a byte', async () => {
    const app = makeApp();
    const { stream, state } = source(200 * KB);
    const res = await post(app, '/upload', stream, { 'content-length': String(200 * KB) });
    expect(res.status).toBe(413);
    expect(state.pulled).toBe(0);
  });

  it('checks who may send before reading the body: an anonymous 59 MB upload costs nothing', async () => {
    const app = makeApp();
    const { stream, state } = source(59 * 1024 * KB);
    const res = await post(app, '/members-only', stream);
    expect([res.status, await res.text()]).toEqual([401, 'sign in first']);
    expect(state.pulled).toBe(0);
    const ok = await post(app, '/members-only', source(50 * KB).stream, { 'x-test-user': '1' });
    expect(await ok.text()).toBe(`read ${50 * KB}`);
  });

  it('caps large uploads in flight: a shared byte budget, and a share per client address', async () => {
    const app = makeApp();
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    // Two chunked uploads reserve 100 kB each (their route's limit: the size is unknown).
    const first = post(app, '/upload', source(50 * KB, { hold }).stream, { 'x-client': 'a' });
    const second = post(app, '/upload', source(50 * KB, { hold }).stream, { 'x-client': 'b' });
    await new Promise((r) => setTimeout(r, 20));
    const third = await post(app, '/upload', source(50 * KB).stream, { 'x-client': 'c' });
    expect([third.status, await third.text()]).toEqual([503, 'busy']);
    // A declared small size fits in what is left of the budget.
    const declared = await post(app, '/upload', 'x'.repeat(40 * KB), { 'x-client': 'c', 'content-length': String(40 * KB) });
    expect(declared.status).toBe(200);
    // Bodies no larger than a form are never held back.
    expect((await post(app, '/upload', 'x'.repeat(5 * KB), { 'x-client': 'c', 'content-length': String(5 * KB) })).status).toBe(200);
    release();
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect((await post(app, '/upload', source(50 * KB).stream, { 'x-client': 'c' })).status).toBe(200);
  });

  it('gives one address only its share of the budget', async () => {
    const app = makeApp({ budgetBytes: 10_000 * KB });
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const held = [0, 1].map(() => post(app, '/upload', source(50 * KB, { hold }).stream, { 'x-client': 'flood' }));
    await new Promise((r) => setTimeout(r, 20));
    expect((await post(app, '/upload', source(50 * KB).stream, { 'x-client': 'flood' })).status).toBe(503);
    expect((await post(app, '/upload', source(50 * KB).stream, { 'x-client': 'citizen' })).status).toBe(200);
    release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  });
});
