/**
 * The back office end to end, JavaScript off, against the real server: a
 * citizen submits birth registration (1.001193) through the JSON API; the
 * receiving officer asks for a supplement, the citizen resubmits (API), the
 * officer accepts and assigns, the specialist appraises, the leader approves,
 * the officer returns the result. Each official works in their own browser;
 * the dossier page shows every step, and axe checks every page visited.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { browserSkipReason, clickAndWait, newPage, startServerAndBrowser, type TestServer, type TrackedPage } from './harness.js';

const CITIZEN = '0912000001';
const OFFICER = 'tiepnhan.tanninh@demo.xaso.vn';
const SPECIALIST = 'chuyenvien.tanninh@demo.xaso.vn';
const LEADER = 'lanhdao.tanninh@demo.xaso.vn';
const COMMUNE = '25459';

/** A minimal PDF file-type recognises (header) and the upload check accepts (trailer). */
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** The citizen's side, over HTTP with the session cookie from signing in (as a mobile app would). */
class ApiCitizen {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  async signIn(login: string, password: string): Promise<void> {
    const form = await fetch(`${this.base}/dang-nhap`);
    this.keep(form);
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await fetch(`${this.base}/dang-nhap`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
      body: new URLSearchParams({ login, password, _csrf: token }),
    });
    expect(res.status).toBe(303);
    this.keep(res);
    expect(this.cookies.has('xaso_sid')).toBe(true);
  }

  async submit(): Promise<{ id: string; code: string; version: number }> {
    const body = new FormData();
    body.append('commune', COMMUNE);
    body.append('procedure', '1.001193');
    body.append('case_no', '0');
    body.append('applicant_address', 'Khu phố 1, Phường Tân Ninh');
    body.append('idempotency_key', `e2e-${Date.now()}`);
    body.append('paper_3', new File([PDF], 'giay-chung-sinh.pdf', { type: 'application/pdf' }));
    const res = await fetch(`${this.base}/api/v1/dossiers`, { method: 'POST', body, headers: { cookie: this.cookieHeader(), 'x-requested-with': 'e2e' } });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string; code: string; version: number };
  }

  async dossier(id: string): Promise<{ version: number; status: number }> {
    const res = await fetch(`${this.base}/api/v1/dossiers/${id}`, { headers: { cookie: this.cookieHeader() } });
    expect(res.status).toBe(200);
    return (await res.json()) as { version: number; status: number };
  }

  async resubmit(id: string): Promise<void> {
    const { version } = await this.dossier(id);
    const res = await fetch(`${this.base}/api/v1/dossiers/${id}/actions`, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'resubmit', version }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }
}

describe.skipIf(browserSkipReason !== null)(`dossier back office in the browser${browserSkipReason ? ` — SKIPPED: ${browserSkipReason}` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    // The first start loads the national catalog: allow for it.
    ({ server, browser } = await startServerAndBrowser({ readyTimeoutMs: 180_000 }));
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
  }, 30_000);

  async function visit(t: TrackedPage, path: string): Promise<void> {
    await t.page.goto(path, { waitUntil: 'load' });
    await t.audit();
  }

  async function follow(t: TrackedPage, target: ReturnType<Page['locator']>): Promise<void> {
    await clickAndWait(t.page, target);
    await t.audit();
  }

  async function official(login: string): Promise<TrackedPage> {
    const t = await newPage(browser, { javaScriptEnabled: false, baseURL: server.baseUrl });
    await visit(t, '/dang-nhap');
    await t.page.getByLabel('Số điện thoại hoặc thư điện tử').fill(login);
    await t.page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
    await follow(t, t.page.getByRole('button', { name: 'Đăng nhập', exact: true }));
    return t;
  }

  /** The form of one action: a region named by its heading. */
  const action = (t: TrackedPage, name: string) => t.page.getByRole('region', { name, exact: true });

  async function notice(t: TrackedPage): Promise<string> {
    return (await t.page.locator('.notice.success').textContent()) ?? '';
  }

  it(
    'supplement → resubmit → accept → assign → appraise → approve → return, every step on the dossier page',
    async () => {
      const citizen = new ApiCitizen(server.baseUrl);
      await citizen.signIn(CITIZEN, DEMO_PASSWORD);
      const created = await citizen.submit();
      const dossierPath = `/can-bo/xa/${COMMUNE}/ho-so/${created.id}`;

      // The receiving officer finds it in the queue to receive and asks for a supplement, listing everything at once.
      const officer = await official(OFFICER);
      await visit(officer, `/can-bo/xa/${COMMUNE}/ho-so`);
      expect(await officer.page.getByRole('heading', { level: 2 }).first().textContent()).toContain('Chờ tiếp nhận');
      await follow(officer, officer.page.getByRole('link', { name: created.code }));
      expect(new URL(officer.page.url()).pathname).toBe(dossierPath);
      expect(await officer.page.locator('main').textContent()).toContain('Nguyễn Thị Lan');
      expect(await officer.page.getByRole('link', { name: /Tải giay-chung-sinh\.pdf/ }).count()).toBe(1);
      const supplement = action(officer, 'Yêu cầu bổ sung, hoàn thiện hồ sơ');
      await supplement.getByRole('checkbox').first().check();
      await supplement.getByLabel('Nội dung cần bổ sung, hoàn thiện').fill('Tờ khai đăng ký khai sinh có chữ ký của người đi khai sinh.');
      await follow(officer, supplement.getByRole('button', { name: 'Yêu cầu bổ sung, hoàn thiện hồ sơ' }));
      expect(await notice(officer)).toContain('Đã gửi yêu cầu bổ sung');
      expect(await officer.page.locator('.notice.success a').getAttribute('href')).toBe(`${dossierPath}/mau/02`);
      expect(await officer.page.locator('.office-status').textContent()).toContain('Chờ bổ sung giấy tờ');

      // The citizen resubmits through the API; the officer accepts, ticking each paper checked, and assigns.
      await citizen.resubmit(created.id);
      await visit(officer, dossierPath);
      const accept = action(officer, 'Tiếp nhận hồ sơ');
      for (const box of await accept.getByRole('checkbox').all()) await box.check();
      await follow(officer, accept.getByRole('button', { name: 'Tiếp nhận hồ sơ' }));
      expect(await notice(officer)).toContain('Đã tiếp nhận hồ sơ');
      expect(await officer.page.locator('.notice.success a').getAttribute('href')).toBe(`${dossierPath}/mau/01`);
      const assign = action(officer, 'Chuyển chuyên viên xử lý');
      await assign.getByLabel('Chuyên viên xử lý').selectOption({ label: 'Chuyên viên Phường Tân Ninh' });
      await follow(officer, assign.getByRole('button', { name: 'Chuyển chuyên viên xử lý' }));
      expect(await notice(officer)).toContain('Đã chuyển hồ sơ cho chuyên viên');

      // The specialist finds it among their own and appraises.
      const specialist = await official(SPECIALIST);
      await visit(specialist, `/can-bo/xa/${COMMUNE}/ho-so?hang=xu-ly&cua-toi=1`);
      await follow(specialist, specialist.page.getByRole('link', { name: created.code }));
      const appraise = action(specialist, 'Thẩm định xong, trình lãnh đạo');
      await appraise.getByLabel('Ý kiến thẩm định (không bắt buộc)').fill('Đủ điều kiện đăng ký khai sinh.');
      await follow(specialist, appraise.getByRole('button', { name: 'Thẩm định xong, trình lãnh đạo' }));
      expect(await notice(specialist)).toContain('Đã thẩm định xong');

      // The leader approves from the queue to approve.
      const leader = await official(LEADER);
      await visit(leader, `/can-bo/xa/${COMMUNE}/ho-so?hang=phe-duyet`);
      await follow(leader, leader.page.getByRole('link', { name: created.code }));
      await follow(leader, action(leader, 'Phê duyệt, ký kết quả').getByRole('button', { name: 'Phê duyệt, ký kết quả' }));
      expect(await notice(leader)).toContain('Đã phê duyệt kết quả');

      // The officer returns the result.
      await visit(officer, `/can-bo/xa/${COMMUNE}/ho-so?hang=tra-ket-qua`);
      await follow(officer, officer.page.getByRole('link', { name: created.code }));
      await follow(officer, action(officer, 'Trả kết quả').getByRole('button', { name: 'Trả kết quả' }));
      expect(await notice(officer)).toContain('Đã trả kết quả');
      expect(await officer.page.locator('.office-status').textContent()).toContain('Đã trả kết quả');
      const history = await officer.page.locator('.office-timeline > li > strong').allTextContents();
      expect(history).toEqual([
        'Nộp hồ sơ',
        'Yêu cầu bổ sung, hoàn thiện hồ sơ',
        'Nộp bổ sung giấy tờ',
        'Tiếp nhận hồ sơ',
        'Chuyển chuyên viên xử lý',
        'Thẩm định xong, trình lãnh đạo',
        'Phê duyệt, ký kết quả',
        'Trả kết quả',
      ]);
      expect(await officer.page.locator('.office-timeline').textContent()).toContain('Tờ khai đăng ký khai sinh có chữ ký');
      expect(await officer.page.getByRole('heading', { name: 'Thao tác' }).count()).toBe(1);
      expect((await citizen.dossier(created.id)).status).toBe(10);

      await officer.finish();
      await specialist.finish();
      await leader.finish();
    },
    240_000,
  );
});
