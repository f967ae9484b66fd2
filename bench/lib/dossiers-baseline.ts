/**
 * Child process for the dossier benchmark: the intake baseline, a bare Hono app on
 * @hono/node-server that accepts the same multipart upload as POST /api/v1/dossiers,
 * parses it the same way (`c.req.parseBody({ all: true })`), reads the file's bytes
 * and discards them, then answers 201 with a small JSON body. 127.0.0.1 only;
 * same protocol as serve-baseline.ts (`BENCH_READY {...}` on stdout, exits on SIGTERM).
 */
import { Hono } from 'hono';
import { serveBaseline } from './ready.js';

const app = new Hono();
app.post('/upload', async (c) => {
  const body = await c.req.parseBody({ all: true });
  let bytes = 0;
  for (const v of Object.values(body)) {
    for (const x of Array.isArray(v) ? v : [v]) if (x instanceof File) bytes += (await x.arrayBuffer()).byteLength;
  }
  return c.json({ ok: true, bytes }, 201);
});

await serveBaseline(app);
