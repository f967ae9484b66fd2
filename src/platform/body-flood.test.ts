import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from './db.js';
import type { App } from './routes.js';
import { openTestDb } from '../testing/db.js';
import { Client, testApp } from '../testing/app.js';

/** 59 MB, sent chunked (no Content-Length), that records how much of it the server read. */
function flood() {
  const state = { pulled: 0 };
  const total = 59 * 1024 * 1024;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= total) return controller.close();
        state.pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe('anonymous large bodies are refused before they are read', () => {
  let h: DbHandle;
  let app: App;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    app = testApp(h);
  });
  afterAll(() => h.close());

  const send = (path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'multipart/form-data; boundary=x', 'x-forwarded-for': '198.51.100.20', ...headers }, redirect: 'manual' } as RequestInit);

  it('a spreadsheet upload without a session: sent to sign in, nothing read', async () => {
    const { stream, state } = flood();
    const res = await send('/can-bo/xa/25459/to-cns/nhap', stream);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/dang-nhap/);
    expect(state.pulled).toBe(0);
  });

  it('a feedback post without the form’s cookie: refused, nothing read', async () => {
    const { stream, state } = flood();
    const res = await send('/phan-anh/gui', stream);
    expect(res.status).toBe(403);
    expect(state.pulled).toBe(0);
  });

  it('a form post from a page visitor: read only up to the form limit, chunked too', async () => {
    const c = new Client(app, '198.51.100.21');
    await c.csrf();
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const { stream, state } = flood();
    const res = await send('/dang-nhap', stream, { cookie });
    expect(res.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
  });

  it('a chunked feedback upload larger than its limit is stopped at 55 MB', async () => {
    const c = new Client(app, '198.51.100.22');
    await c.csrf();
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const { stream, state } = flood();
    const res = await send('/phan-anh/gui', stream, { cookie });
    expect(res.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(55 * 1024 * 1024 + 64 * 1024);
  });
});
