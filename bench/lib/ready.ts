import type { ServerType } from '@hono/node-server';

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
