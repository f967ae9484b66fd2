import { finderFor } from './finder/finder.service.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { applyDemoSetting } from './demo/startup.js';
import type { Config } from './platform/config.js';
import { openDatabase, type DbHandle } from './platform/db.js';
import type { Logger } from './platform/logger.js';
import { migrate } from './platform/migrate.js';
import { removeOrphanTemps } from './platform/files.js';
import { configureAudit, ensureKeyedChain, startAuditAnchor } from './platform/audit.js';
import { startOutboxWorker } from './platform/outbox.js';
import { sendersFromConfig } from './notifications/senders.js';
import { startStatsWorker } from './stats/worker.js';
import { ensureUnits } from './units/units.store.js';
import { catalogSize, importCatalog } from './catalog/catalog.store.js';
import { loadCatalogSnapshot } from './catalog/snapshot.js';

/** Without XASO_SECRET, keep one generated secret in the data folder so sessions and codes survive restarts. */
export function resolveSecret(config: Config): Config {
  if (process.env.XASO_SECRET) return config;
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, config.secret, { mode: 0o600 });
  return { ...config, secret: readFileSync(file, 'utf8').trim() };
}

/** Opens the database, applies migrations and loads the reference data (units, national catalog). */
export async function prepareReferenceData(config: Config, log: Logger): Promise<DbHandle> {
  const fresh = !config.databaseUrl && !existsSync(join(config.dataDir, 'pgdata', 'PG_VERSION'));
  if (fresh) log.info({ dir: config.dataDir }, 'Đang tạo cơ sở dữ liệu nhúng lần đầu (khoảng 5 giây)…');
  configureAudit(config.secret);
  const handle = await openDatabase(config, log);
  // The embedded database means one process owns the folder; with PostgreSQL several may share it.
  const orphans = await removeOrphanTemps(config.dataDir, config.databaseUrl ? 3_600_000 : 0);
  if (orphans) log.info({ files: orphans }, 'Đã xoá tệp tạm còn sót sau lần dừng đột ngột');
  const ran = await migrate(handle.db);
  if (ran.length) log.info({ migrations: ran }, 'Đã áp dụng migration');
  if (await ensureKeyedChain(handle.db)) log.info('Nhật ký kiểm toán: từ đây chuỗi băm dùng khoá bí mật (điểm chuyển đã được ghi)');
  const units = await ensureUnits(handle.db);
  if (units) log.info({ communes: units }, 'Đã nạp danh mục đơn vị hành chính');
  if ((await catalogSize(handle.db)) === 0) {
    log.info('Đang nạp danh mục thủ tục hành chính quốc gia (khoảng 20 giây, chỉ lần đầu)…');
    const report = await importCatalog(handle.db, await loadCatalogSnapshot(), { source: 'data/catalog/procedures.jsonl.gz' });
    log.info({ procedures: report.added.length }, 'Đã nạp danh mục thủ tục');
  }
  return handle;
}

/** Reference data, then the demo data when asked for (`npm run demo`). */
export async function prepareDatabase(config: Config, log: Logger): Promise<DbHandle> {
  const handle = await prepareReferenceData(config, log);
  await applyDemoSetting(handle.db, config, log);
  return handle;
}

export interface RunningServer {
  server: ServerType;
  port: number;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const handle = await prepareDatabase(config, log);
  const app = createApp({ db: handle.db, engine: handle.engine, config, log });
  const worker = startOutboxWorker(handle.db, sendersFromConfig(config, log), log);
  const anchor = startAuditAnchor(handle.db, config.dataDir, log);
  const stats = startStatsWorker(handle.db, log);
  // Build the finder's index before taking requests (a few seconds), not on the first search.
  await finderFor(handle.db).get(handle.db);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ url: config.baseUrl, port, engine: handle.engine }, `Xã Số đang chạy tại http://localhost:${port}`);
  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    close() {
      closing ??= (async () => {
        // Stop taking requests, let those in flight finish, then close the database.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        await closed;
        await worker.stop();
        await anchor.stop();
        await stats.stop();
        await handle.close();
      })();
      return closing;
    },
  };
}
