import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { Logger } from '../platform/logger.js';
import { demoAccountsPresent } from './banner.js';
import { ensureDemoSigning } from '../signing/signing.store.js';
import { unitName } from '../units/units.js';
import { DEMO_COMMUNES, DEMO_PROVINCE, seedDemo } from './seed.js';

export const DEMO_WARNING = [
  '',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!!  MÁY CHỦ THỬ NGHIỆM: có tài khoản mẫu dùng chung một mật khẩu công khai.   !!',
  '!!  Ai cũng đăng nhập được (kể cả quản trị tỉnh). Không dùng cho dữ liệu thật. !!',
  '!!  DEMO SERVER: demo accounts share one published password. No real data.   !!',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
].join('\n');

/**
 * Demo accounts only when asked for (`npm run demo`, `XASO_SEED_DEMO=1`); a
 * loud warning at every start while any exist. Their password is in the README,
 * never in the log.
 */
export async function applyDemoSetting(db: Db, config: Pick<Config, 'seedDemo' | 'demoOpen311Key' | 'secret'>, log: Logger): Promise<void> {
  if (config.seedDemo) {
    const created = await seedDemo(db, { open311Key: config.demoOpen311Key, secret: config.secret });
    if (created.length) log.warn({ accounts: created.length }, `Đã tạo ${created.length} tài khoản mẫu (danh sách trong README, mục "Tài khoản mẫu").`);
    // The demo signs out of the box: a demo CA chain and a certificate per demo commune (only when missing).
    const equipped = await ensureDemoSigning(db, config.secret, { code: DEMO_PROVINCE, name: unitName(DEMO_PROVINCE) ?? DEMO_PROVINCE }, DEMO_COMMUNES, new Date());
    if (equipped.length) log.info({ communes: equipped }, 'Đã tạo chứng thư số mẫu (DEMO, không có giá trị pháp lý) để ký kết quả');
  }
  if (await demoAccountsPresent(db)) log.warn(DEMO_WARNING);
}
