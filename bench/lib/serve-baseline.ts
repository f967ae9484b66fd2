/**
 * Child process for the HTTP benchmark: the baseline, a bare Hono hello-world on
 * @hono/node-server, on 127.0.0.1 only. Same protocol as serve-app.ts.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { announceReady, listenPort } from './ready.js';

const app = new Hono();
app.get('/', (c) => c.text('ok'));

const port = Number(process.env.PORT ?? 0);
const server = await new Promise<ServerType>((resolve) => {
  const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
});
announceReady({ port: listenPort(server) });

function shutdown(): void {
  if ('closeAllConnections' in server) server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
