import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** The line a benchmark child prints once it listens; the parent waits for it. */
export const READY_PREFIX = 'BENCH_READY ';

export interface ReadyInfo {
  port: number;
  engine?: string;
}

export function listenPort(server: ServerType): number {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no TCP address');
  return address.port;
}

export function announceReady(info: ReadyInfo): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(info)}\n`);
}

/** Serves a baseline app on 127.0.0.1 (PORT, default any), announces it, and exits on SIGTERM/SIGINT. */
export async function serveBaseline(app: Hono): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  announceReady({ port: listenPort(server) });
  const shutdown = (): void => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
