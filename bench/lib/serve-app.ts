/**
 * Child process for the HTTP benchmark: the real Xã Số server (src/server.ts)
 * on the embedded database (fresh XASO_DATA_DIR, demo data seeded), bound to
 * 127.0.0.1 only: a server with the public demo password stays off the network.
 *
 * Protocol: prints `BENCH_READY {"port":N}` on stdout once listening; exits on SIGTERM/SIGINT.
 */
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { resolveSecret, startServer } from '../../src/server.js';
import { announceReady } from './ready.js';

const config = resolveSecret(loadConfig({ ...process.env, XASO_HOST: '127.0.0.1' }));
const running = await startServer(config, createLogger(config.logLevel));
announceReady({ port: running.port, engine: config.databaseUrl ? 'postgres' : 'pglite' });

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  // Benchmark connections are keep-alive; drop them instead of waiting for idle timeouts.
  if ('closeAllConnections' in running.server) running.server.closeAllConnections();
  await running.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
