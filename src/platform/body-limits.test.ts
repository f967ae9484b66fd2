import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './context.js';
import { bodyLimits } from './body-limits.js';

describe('body limits', () => {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    bodyLimits(10, (c) => c.text('form too large', 413), [{ matches: (p) => p === '/upload', maxBytes: 100, onTooLarge: (c) => c.text('upload too large', 413) }]),
  );
  app.post('*', async (c) => c.text(`read ${(await c.req.text()).length}`));
  app.get('*', (c) => c.text('ok'));

  it('applies the form limit to ordinary posts and the upload limit to upload routes', async () => {
    expect((await app.request('/form', { method: 'POST', body: 'x'.repeat(10) })).status).toBe(200);
    const big = await app.request('/form', { method: 'POST', body: 'x'.repeat(11) });
    expect([big.status, await big.text()]).toEqual([413, 'form too large']);
    expect((await app.request('/upload', { method: 'POST', body: 'x'.repeat(100) })).status).toBe(200);
    const huge = await app.request('/upload', { method: 'POST', body: 'x'.repeat(101) });
    expect([huge.status, await huge.text()]).toEqual([413, 'upload too large']);
  });

  it('leaves requests without a body alone', async () => {
    expect(await (await app.request('/anything')).text()).toBe('ok');
  });
});
