/**
 * Child process for the HTTP benchmark: the baseline, a bare Hono hello-world on
 * @hono/node-server, on 127.0.0.1 only. Same protocol as serve-app.ts.
 */
import { Hono } from 'hono';
import { serveBaseline } from './ready.js';

const app = new Hono();
app.get('/', (c) => c.text('ok'));

await serveBaseline(app);
