/**
 * The operations centre in the browser, with JavaScript off on a phone: the
 * analyst reads the province index for a quarter and drills to the worst
 * commune, its slowest procedure and its late dossiers; a commune leader sees
 * only their commune; a receiving officer sees none of it. The data dir is
 * seeded and filled with generated history before the server starts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { signIn } from './flows.js';
import { describeInBrowser, follow, visit } from './harness.js';
import { previousPeriod, quarterOf } from '../src/stats/period.js';
import { isoDateInVn } from '../src/calendar/index.js';

const run = promisify(execFile);
// Generous: every page is checked with axe, and the province page sums every commune on the embedded database.
const FLOW_TIMEOUT = 420_000;

async function prepare(env: NodeJS.ProcessEnv): Promise<void> {
  const opts = { env, cwd: process.cwd(), maxBuffer: 10 * 1024 * 1024 };
  await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'seed'], opts);
  await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'generate-dossiers', '--province', '80', '--dossiers', '1500', '--years', '1'], opts);
}

describeInBrowser('operations centre in the browser', { setupTimeoutMs: 600_000, prepare }, (suite) => {
  const quarter = previousPeriod(quarterOf(isoDateInVn(new Date())));

  it(
    'the analyst: province index for a quarter → worst commune → slowest procedure → late dossiers (JavaScript off)',
    async () => {
      const t = await suite.open(false);
      const { page } = t;
      await signIn(t, 'phantich.tayninh@demo.xaso.vn');
      await visit(t, '/can-bo');
      await follow(t, page.getByRole('link', { name: 'Chỉ số phục vụ và số liệu hồ sơ' }));
      await follow(t, page.getByRole('link', { name: /Tây Ninh/ }));
      await page.getByLabel('Kỳ báo cáo').selectOption(quarter.key);
      await follow(t, page.getByRole('button', { name: 'Xem', exact: true }));
      expect(new URL(page.url()).searchParams.get('ky')).toBe(quarter.key);
      expect(await page.locator('main').textContent()).toContain(quarter.label);
      expect(await page.locator('main').textContent()).toContain('chưa có dữ liệu');

      // The ranking lists the worst commune first.
      const ranking = page.locator('table', { has: page.locator('caption', { hasText: 'điểm thấp nhất trước' }) });
      const worst = ranking.locator('tbody tr').first().locator('th a');
      const worstName = (await worst.textContent())!.trim();
      await follow(t, worst);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(worstName);

      // Its slowest procedure: the highest average in the procedures table.
      const rows = page.locator('table', { has: page.locator('caption', { hasText: 'Thủ tục có hồ sơ trong kỳ' }) }).locator('tbody tr');
      const count = await rows.count();
      expect(count).toBeGreaterThan(0);
      let slowest = 0;
      let slowestDays = -1;
      for (let i = 0; i < count; i++) {
        const text = (await rows.nth(i).locator('td').last().textContent())!.replace(',', '.');
        const days = Number.parseFloat(text);
        if (Number.isFinite(days) && days > slowestDays) [slowest, slowestDays] = [i, days];
      }
      await follow(t, rows.nth(slowest).locator('th a'));
      await follow(t, page.getByRole('link', { name: /Hồ sơ trễ hạn/ }));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('trễ hạn');
      const main = (await page.locator('main').textContent())!;
      expect(main).toContain('không xem tên người nộp');
      expect(main).not.toContain('Người dân ');
    },
    FLOW_TIMEOUT,
  );

  it(
    'a commune leader sees only their commune; a receiving officer sees none of it',
    async () => {
      const t = await suite.open(false);
      await signIn(t, 'lanhdao.tanninh@demo.xaso.vn');
      await visit(t, '/can-bo/chi-so');
      const links = await t.page.locator('main a.button').allTextContents();
      expect(links.map((l) => l.trim())).toEqual(['Phường Tân Ninh']);
      const res = await t.page.goto(`${suite.server.baseUrl}/can-bo/tinh/80/chi-so`);
      expect(res?.status()).toBe(404);
      const other = await t.page.goto(`${suite.server.baseUrl}/can-bo/xa/25480/chi-so`);
      expect(other?.status()).toBe(404);

      const o = await suite.open(false);
      await signIn(o, 'tiepnhan.tanninh@demo.xaso.vn');
      await visit(o, '/can-bo');
      expect(await o.page.getByRole('link', { name: 'Chỉ số phục vụ và số liệu hồ sơ' }).count()).toBe(0);
      const denied = await o.page.goto(`${suite.server.baseUrl}/can-bo/xa/25459/chi-so`);
      expect(denied?.status()).toBe(403);
    },
    FLOW_TIMEOUT,
  );
});
