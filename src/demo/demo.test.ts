import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import type { DbHandle } from '../platform/db.js';
import { openTestDb } from '../testing/db.js';
import { testApp } from '../testing/app.js';
import { DEMO_PASSWORD } from './seed.js';
import { applyDemoSetting } from './startup.js';

function capturingLogger(): { log: pino.Logger; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  return { log: pino({ level: 'trace' }, stream), text: () => out };
}

async function count(h: DbHandle, table: 'app_user' | 'open311_api_key'): Promise<number> {
  const r = await h.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('demo data only when asked for', () => {
  let h: DbHandle | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('a plain start (no configuration) creates no account and no Open311 key, and pages show no banner', async () => {
    const config = loadConfig({});
    expect(config.seedDemo).toBe(false);
    h = await openTestDb('pglite');
    const { log, text } = capturingLogger();
    await applyDemoSetting(h.db, config, log);
    expect(await count(h, 'app_user')).toBe(0);
    expect(await count(h, 'open311_api_key')).toBe(0);
    expect(text()).toBe('');
    expect(await (await testApp(h).request('/')).text()).not.toContain('demo-banner');
  });

  it('`npm run demo` seeds, warns loudly, never logs the password or publishes an Open311 key; pages carry a banner', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.demo).toContain('--demo');
    expect(pkg.scripts.start).not.toContain('demo');
    expect(loadConfig({ XASO_SEED_DEMO: '1' }).seedDemo).toBe(true);
    h = await openTestDb('pglite');
    const { log, text } = capturingLogger();
    await applyDemoSetting(h.db, { seedDemo: true, demoOpen311Key: null, secret: 's' }, log);
    expect(await count(h, 'app_user')).toBeGreaterThan(10);
    expect(await count(h, 'open311_api_key')).toBe(0);
    expect(text()).toContain('MÁY CHỦ THỬ NGHIỆM');
    expect(text()).not.toContain(DEMO_PASSWORD);
    const app = testApp(h);
    for (const path of ['/', '/dang-nhap']) {
      const html = await (await app.request(path)).text();
      expect(html).toContain('class="demo-banner"');
      expect(html).toContain('mật khẩu công khai');
    }
    // A restart without --demo still warns while the accounts exist.
    const again = capturingLogger();
    await applyDemoSetting(h.db, { seedDemo: false, demoOpen311Key: null, secret: 's' }, again.log);
    expect(again.text()).toContain('MÁY CHỦ THỬ NGHIỆM');
  });

  it('the README starts with `npm ci && npm run demo`', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const firstCommand = /```sh\n([^\n]*)/.exec(readme)![1]!;
    expect(firstCommand.split('#')[0]!.trim()).toBe('npm ci && npm run demo');
  });
});
