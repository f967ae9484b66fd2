import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { resolveSecret, startServer, prepareDatabase } from './server.js';
import { openDatabase, type Db } from './platform/db.js';
import { migrate } from './platform/migrate.js';
import { configureAudit, readCheckpoint, verifyAuditChain } from './platform/audit.js';
import { createAdmin } from './accounts/admin.js';
import { importCatalog } from './catalog/catalog.store.js';
import { readPortalExport } from './catalog/portal-export.js';
import { progressBar } from './platform/progress.js';
import { importTeamMembersFile } from './teams/teams.cli.js';
import { generateDossiersCommand, statsRebuildCommand } from './stats/stats.cli.js';
import { readFile } from 'node:fs/promises';
import { installCredential } from './signing/signing.store.js';
import { CredentialError } from './signing/pki.js';
import { onboardProvince } from './admin/onboard.js';
import { prepareReferenceData } from './server.js';

const HELP = `xaso — Xã Số, dịch vụ công cấp xã

Cách dùng: xaso <lệnh> [tùy chọn]

Lệnh:
  serve                     chạy cổng thông tin (áp dụng migration); không có tài khoản nào ngoài
                            tài khoản quản trị tạo bằng create-admin
      --demo                thêm dữ liệu mẫu (tài khoản mẫu dùng chung mật khẩu công khai) nếu CSDL trống;
                            như XASO_SEED_DEMO=1 — chỉ để thử, không dùng cho dữ liệu thật
  migrate                   áp dụng các migration còn thiếu
  seed                      nạp danh mục đơn vị hành chính và dữ liệu mẫu (nếu CSDL trống)
  init --province 04 --admin E [--name N]
                            đưa một tỉnh vào sử dụng từ CSDL trống: các xã, danh mục thủ tục,
                            lĩnh vực phản ánh mặc định, quản trị viên đầu tiên (mật khẩu đọc từ
                            XASO_ADMIN_PASSWORD); sau đó chạy với XASO_PROVINCE=04 XASO_SEED_DEMO=0
  create-admin              tạo tài khoản quản trị cấp tỉnh
      --email E --name N --province 80   (mật khẩu đọc từ biến XASO_ADMIN_PASSWORD)
  import-catalog FILE       nhập danh mục thủ tục từ tệp xuất của Cổng DVC quốc gia (.jsonl hoặc .jsonl.gz)
  import-team-members FILE --commune CODE
                            nhập danh sách thành viên tổ công nghệ số (.xlsx hoặc CSV UTF-8) cho một xã;
                            có dòng sai thì không nhập gì và liệt kê từng dòng cần sửa
  audit verify              kiểm tra chuỗi băm của nhật ký kiểm toán
  stats rebuild             tính lại toàn bộ số liệu tổng hợp hồ sơ, phản ánh và báo phần khác biệt
  generate-dossiers --province 80 --dossiers N [--years 2]
                            sinh lịch sử hồ sơ giả để đo hiệu năng (từ chối nếu CSDL có hồ sơ thật)
  install-certificate FILE --commune CODE
                            cài chứng thư số (.p12/.pfx) để xã ký kết quả; mật khẩu tệp đọc từ
                            biến XASO_CERT_PASSWORD; chứng thư cũ của xã thôi được dùng
  --help                    hiện hướng dẫn này

Cấu hình (biến môi trường): PORT (3000), XASO_DATA_DIR (./var), DATABASE_URL (PostgreSQL;
khi có thì không dùng CSDL nhúng), XASO_BASE_URL, XASO_SECRET, XASO_OIDC_ISSUER,
XASO_OIDC_CLIENT_ID, XASO_OIDC_CLIENT_SECRET, XASO_SMTP_URL, XASO_MAIL_FROM, LOG_LEVEL,
XASO_PROVINCE (tỉnh phục vụ, ví dụ 04 hoặc 04,80), XASO_SEED_DEMO (0: không nạp dữ liệu mẫu),
XASO_SMS_GATEWAY_URL, XASO_SMS_GATEWAY_TOKEN, XASO_SMS_BRANDNAME (cổng SMS thương hiệu).
`;

/** Opens and migrates the database for one command, and always closes it. */
async function withMigratedDatabase<T>(config: Config, run: (db: Db) => Promise<T>): Promise<T> {
  const handle = await openDatabase(config);
  await migrate(handle.db);
  try {
    return await run(handle.db);
  } finally {
    await handle.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      email: { type: 'string' },
      name: { type: 'string' },
      province: { type: 'string' },
      commune: { type: 'string' },
      demo: { type: 'boolean' },
      dossiers: { type: 'string' },
      years: { type: 'string' },
      admin: { type: 'string' },
    },
  });
  const [command, sub] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 1;
  }
  const loaded = resolveSecret(loadConfig());
  const config = values.demo ? { ...loaded, seedDemo: true } : loaded;
  configureAudit(config.secret);
  const log = createLogger(config.logLevel);
  switch (command) {
    case 'serve': {
      const running = await startServer(config, log);
      const shutdown = (signal: string) => {
        log.info({ signal }, 'Đang dừng…');
        running.close().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      return -1;
    }
    case 'migrate': {
      const handle = await openDatabase(config);
      const ran = await migrate(handle.db);
      process.stdout.write(ran.length ? `Đã áp dụng: ${ran.join(', ')}\n` : 'Không có migration nào cần áp dụng.\n');
      await handle.close();
      return 0;
    }
    case 'seed': {
      const handle = await prepareDatabase({ ...config, seedDemo: true }, log);
      await handle.close();
      return 0;
    }
    case 'init': {
      const handle = await prepareReferenceData(config, log);
      try {
        const report = await onboardProvince(handle.db, {
          province: values.province ?? '',
          adminEmail: values.admin ?? '',
          adminName: values.name,
          adminPassword: process.env.XASO_ADMIN_PASSWORD ?? '',
        });
        process.stdout.write(
          `${report.adminMessage}\n${report.provinceName}: ${report.communes} xã, phường; thêm ${report.categoriesAdded} lĩnh vực phản ánh mặc định.\nChạy máy chủ với XASO_PROVINCE=${report.province} XASO_SEED_DEMO=0.\n`,
        );
        return 0;
      } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
      } finally {
        await handle.close();
      }
    }
    case 'create-admin': {
      const handle = await openDatabase(config);
      await migrate(handle.db);
      try {
        const msg = await createAdmin(handle.db, {
          email: values.email ?? '',
          name: values.name ?? '',
          province: values.province ?? '',
          password: process.env.XASO_ADMIN_PASSWORD ?? '',
        });
        process.stdout.write(`${msg}\n`);
        return 0;
      } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
      } finally {
        await handle.close();
      }
    }
    case 'import-catalog': {
      if (!sub) {
        process.stderr.write('Dùng: xaso import-catalog <tệp .jsonl.gz của Cổng DVC quốc gia>\n');
        return 2;
      }
      const handle = await openDatabase(config);
      await migrate(handle.db);
      try {
        const started = Date.now();
        const exported = await readPortalExport(sub);
        for (const s of exported.skipped) process.stderr.write(`Bỏ qua ${s}\n`);
        for (const c of exported.conflicts) process.stderr.write(`Trùng mã ${c.code}: giữ "${c.kept}", bỏ ${c.dropped.map((d) => `"${d}"`).join(', ')}\n`);
        const report = await importCatalog(handle.db, exported.procedures, { source: sub, actorLabel: 'dòng lệnh', onProgress: progressBar('Nhập thủ tục') });
        process.stdout.write(
          `Đọc ${exported.read} bản ghi → ${exported.procedures.length} thủ tục. Thêm ${report.added.length}, thay đổi ${report.changed.length}, gỡ bỏ ${report.removed.length}, giữ nguyên ${report.unchanged} (${((Date.now() - started) / 1000).toFixed(1)} giây).\n`,
        );
        return 0;
      } finally {
        await handle.close();
      }
    }
    case 'import-team-members': {
      if (!sub || !/^[0-9]{5}$/.test(values.commune ?? '')) {
        process.stderr.write('Dùng: xaso import-team-members <tệp .xlsx hoặc .csv> --commune <mã xã 5 chữ số>\n');
        return 2;
      }
      const handle = await openDatabase(config);
      await migrate(handle.db);
      try {
        const result = await importTeamMembersFile(handle.db, sub, values.commune!, progressBar('Nhập thành viên'));
        process.stdout.write(result.out);
        process.stderr.write(result.err);
        return result.code;
      } finally {
        await handle.close();
      }
    }
    case 'generate-dossiers': {
      return withMigratedDatabase(config, (db) => generateDossiersCommand(db, values));
    }
    case 'stats': {
      if (sub !== 'rebuild') {
        process.stderr.write('Dùng: xaso stats rebuild\n');
        return 2;
      }
      return withMigratedDatabase(config, (db) => statsRebuildCommand(db));
    }
    case 'install-certificate': {
      if (!sub || !/^[0-9]{5}$/.test(values.commune ?? '')) {
        process.stderr.write('Dùng: XASO_CERT_PASSWORD=… xaso install-certificate <tệp .p12/.pfx> --commune <mã xã 5 chữ số>\n');
        return 2;
      }
      const handle = await openDatabase(config);
      await migrate(handle.db);
      try {
        const p12 = await readFile(sub);
        await installCredential(handle.db, config.secret, {
          communeCode: values.commune!,
          p12,
          passphrase: process.env.XASO_CERT_PASSWORD ?? '',
          by: { actorId: null, actorLabel: 'dòng lệnh' },
          now: new Date(),
        });
        process.stdout.write(`Đã cài chứng thư số cho xã ${values.commune}. Từ nay kết quả của xã được ký bằng chứng thư này.\n`);
        return 0;
      } catch (err) {
        process.stderr.write(`${err instanceof CredentialError || err instanceof Error ? err.message : String(err)}\n`);
        return 2;
      } finally {
        await handle.close();
      }
    }
    case 'audit': {
      if (sub !== 'verify') {
        process.stderr.write('Dùng: xaso audit verify\n');
        return 2;
      }
      const anchor = await readCheckpoint(config.dataDir);
      if (anchor.status === 'forged') {
        process.stdout.write(`Tệp điểm neo ${config.dataDir}/audit-checkpoint.json bị sửa hoặc ký bằng khoá khác (XASO_SECRET): không tin được.\n`);
        return 3;
      }
      const handle = await openDatabase(config);
      const checkpoint = anchor.status === 'ok' ? anchor.checkpoint : null;
      const verdict = await verifyAuditChain(handle.db, { checkpoint });
      await handle.close();
      if (verdict.ok) {
        process.stdout.write(`Nhật ký kiểm toán nguyên vẹn: ${verdict.entries} bản ghi.\n`);
        if (checkpoint) process.stdout.write(`Khớp điểm neo ngày ${checkpoint.at} (tới bản ghi số ${checkpoint.seq}).\n`);
        else process.stdout.write('Chưa có điểm neo trong thư mục dữ liệu: không phát hiện được việc xoá các bản ghi mới nhất.\n');
        if (verdict.legacyEntries) process.stdout.write(`${verdict.legacyEntries} bản ghi đầu có từ trước khi chuỗi dùng khoá bí mật: chỉ kiểm được liên kết, không chống được người ghi lại cả chuỗi.\n`);
        return 0;
      }
      process.stdout.write(`Nhật ký kiểm toán bị can thiệp: bản ghi số ${verdict.firstBadSeq} — ${verdict.reason}.\n`);
      return 3;
    }
    default:
      process.stderr.write(`Lệnh không rõ: ${command}\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`Lỗi: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
