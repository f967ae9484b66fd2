/**
 * End-to-end harness: the real server as a child process on a fresh embedded
 * database, and Debian's Chromium driven by playwright-core (never downloaded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

// ---------------------------------------------------------------- browser

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';

/**
 * Why the browser suites cannot run here, or null when they can. In CI a
 * missing browser is a failure, never a skip: `requireBrowser()` throws.
 */
export const browserSkipReason: string | null =
  !IN_CI && !existsSync(CHROMIUM_PATH)
    ? `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH); browser tests skipped outside CI`
    : null;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The e2e suite needs a system Chromium ` +
        `(Debian: apt-get install chromium) or CHROMIUM_PATH pointing to one. ` +
        `${IN_CI ? 'CI=true: failing instead of skipping.' : ''}`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// ---------------------------------------------------------------- server

export interface TestServer {
  baseUrl: string;
  port: number;
  dataDir: string;
  /** Everything the server wrote to stdout/stderr (LOG_LEVEL=warn), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

export interface StartOptions {
  readyTimeoutMs?: number;
  env?: Record<string, string>;
  before?: string[][];
  prepare?: (env: NodeJS.ProcessEnv) => Promise<void>;
}

/**
 * Starts `node --import tsx src/main.ts serve` on a fresh data dir and a free port; resolves once /readyz says ready.
 * `env` adds or overrides variables (e.g. XASO_SEED_DEMO=0); `before` runs other commands (e.g. `init`) on that data dir
 * first; `prepare` may fill the data dir before the server opens it.
 */
export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'xaso-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XASO_DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    XASO_SECRET: 'e2e-fixed-secret-0123456789abcdef0123456789abcdef',
    XASO_BASE_URL: baseUrl,
    XASO_SEED_DEMO: '1',
  };
  // Always the embedded database, no OIDC, no mail: the suite must not depend on the developer's shell.
  for (const key of ['DATABASE_URL', 'XASO_OIDC_ISSUER', 'XASO_SMTP_URL', 'NODE_OPTIONS']) delete env[key];
  Object.assign(env, opts.env);
  for (const args of opts.before ?? []) {
    const run = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    run.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
    run.stderr?.on('data', (b: Buffer) => (out += b.toString('utf8')));
    await exited(run);
    if (run.exitCode !== 0) throw new Error(`xaso ${args.join(' ')} failed (code ${run.exitCode}):\n${out}`);
  }
  // A suite may fill the data dir before the server opens it (the embedded database has one process at a time).
  if (opts.prepare) await opts.prepare(env);

  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const append = (b: Buffer) => {
    log += b.toString('utf8');
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exited(child).then(() => false), sleep(10_000).then(() => true)]);
      if (killed) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`The server exited early (code ${child.exitCode}, signal ${child.signalCode}). Output:\n${log}`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return { baseUrl, port, dataDir, output: () => log, stop };
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`The server was not ready within ${opts.readyTimeoutMs ?? 60_000} ms (last /readyz: ${last}). Output:\n${log}`);
}

// ---------------------------------------------------------------- pages

export interface NewPageOptions {
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
  baseURL?: string;
}

/** A small, cheap phone: the portal's main audience. */
export const PHONE_VIEWPORT = { width: 360, height: 740 };

export interface TrackedPage {
  context: BrowserContext;
  page: Page;
  /** Every document the main frame committed, in order (GET and POST results alike). */
  visited: string[];
  /** Runs axe on the page as it is now; violations are collected, not thrown (see `finish`). */
  audit(): Promise<void>;
  /** Asserts every visited document was audited and that axe found nothing; then closes the context. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/** A new browser context (own cookies) with one page, recording each visited document. */
export async function newPage(browser: Browser, opts: NewPageOptions = {}): Promise<TrackedPage> {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    viewport: opts.viewport ?? PHONE_VIEWPORT,
    baseURL: opts.baseURL,
    locale: 'vi-VN',
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  const visited: string[] = [];
  let audited = 0;
  const problems: string[] = [];
  // A new document (GET or POST result); same-document (#fragment) navigations do not count.
  page.on('domcontentloaded', () => visited.push(page.url()));
  // axe-core cannot run where scripts are disabled (its timers never fire), so a
  // page seen without JavaScript is audited as a snapshot of its DOM, served at
  // the same URL to a scripted twin (same viewport) whose own scripts a CSP blocks.
  let twin: Promise<Page> | null = null;
  let snapshot = '';
  const openTwin = async () => {
    const twinContext = await browser.newContext({ javaScriptEnabled: true, viewport: opts.viewport ?? PHONE_VIEWPORT, locale: 'vi-VN' });
    const twinPage = await twinContext.newPage();
    await twinPage.route('**/*', (r) =>
      r.request().isNavigationRequest() && r.request().frame() === twinPage.mainFrame()
        ? r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': "script-src 'none'" }, body: snapshot })
        : r.continue(),
    );
    return twinPage;
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close();
    if (twin) await (await twin).context().close();
  };
  return {
    context,
    page,
    visited,
    async audit() {
      await page.waitForLoadState('load');
      let target = page;
      if (opts.javaScriptEnabled === false) {
        snapshot = await page.content();
        twin ??= openTwin();
        target = await twin;
        await target.goto(page.url(), { waitUntil: 'load' });
      }
      const report = await axeReport(target, opts.javaScriptEnabled === false ? `${page.url()} (no-JS snapshot)` : page.url());
      if (report) problems.push(report);
      audited = visited.length;
    },
    async finish() {
      try {
        const missed = visited.slice(audited);
        const report = [...problems];
        if (missed.length) report.push(`pages visited but never checked with axe (call audit() after each navigation):\n  ${missed.join('\n  ')}`);
        // expect.fail keeps the whole report (a toBe('') message would be truncated).
        if (report.length) expect.fail(`axe-core (WCAG 2.x A/AA) on the pages this test visited:\n\n${report.join('\n\n')}`);
      } finally {
        await close();
      }
    },
    close,
  };
}

/** Clicks something that loads a new document (link or form submit) and waits until it has loaded. */
export async function clickAndWait(page: Page, target: Locator): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await target.click();
  await navigated;
  await page.waitForLoadState('load');
}

/** Goes to a path (relative to the page's baseURL), waits for it to load, and audits it with axe. */
export async function visit(t: TrackedPage, path: string): Promise<void> {
  await t.page.goto(path, { waitUntil: 'load' });
  await t.audit();
}

/** Clicks a link or submit button, waits for the new document, and audits it with axe. */
export async function follow(t: TrackedPage, target: Locator): Promise<void> {
  await clickAndWait(t.page, target);
  await t.audit();
}

// ---------------------------------------------------------------- axe

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_TIMEOUT_MS = 30_000;

/** Runs axe (WCAG 2.x A/AA) and returns a readable report, or '' when there are no violations. */
export async function axeReport(page: Page, label = page.url()): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`axe-core did not finish within ${AXE_TIMEOUT_MS} ms on ${label} (scripts disabled?)`)), AXE_TIMEOUT_MS);
  });
  const results = await Promise.race([new AxeBuilder({ page }).withTags(AXE_TAGS).analyze(), timeout]).finally(() => clearTimeout(timer));
  if (results.violations.length === 0) return '';
  const lines = [`axe: ${results.violations.length} violation(s) on ${label} (html lang=${await page.getAttribute('html', 'lang')})`];
  for (const v of results.violations) {
    lines.push(`  [${v.impact ?? '?'}] ${v.id}: ${v.help} (${v.tags.filter((t) => t.startsWith('wcag')).join(', ')})`);
    lines.push(`      ${v.helpUrl}`);
    for (const node of v.nodes) {
      lines.push(`      - ${node.target.join(' ')}`);
      lines.push(`        ${node.html.replace(/\s+/g, ' ').slice(0, 300)}`);
      const why = node.failureSummary?.replace(/\s+/g, ' ').trim();
      if (why) lines.push(`        ${why}`);
    }
  }
  return lines.join('\n');
}

/** Asserts axe finds no WCAG 2.x A/AA violation on the page as it is now. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const report = await axeReport(page);
  if (report) expect.fail(report);
}

// ---------------------------------------------------------------- data

/** A mobile number unique to this run: 097 and seven random digits. */
const usedPhones = new Set<string>();
export function uniquePhone(): string {
  for (;;) {
    const phone = `097${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
    if (!usedPhones.has(phone)) {
      usedPhones.add(phone);
      return phone;
    }
  }
}

/**
 * The real server and a browser, started side by side for one test file. If
 * either fails, whatever did start is stopped before the error is thrown.
 */
export async function startServerAndBrowser(opts: StartOptions = {}): Promise<{ server: TestServer; browser: Browser }> {
  const [s, b] = await Promise.allSettled([startTestServer(opts), launchBrowser()]);
  if (s.status === 'fulfilled' && b.status === 'fulfilled') return { server: s.value, browser: b.value };
  await Promise.allSettled([s.status === 'fulfilled' ? s.value.stop() : null, b.status === 'fulfilled' ? b.value.close() : null]);
  throw s.status === 'rejected' ? s.reason : (b as PromiseRejectedResult).reason;
}

// ---------------------------------------------------------------- suites

export interface BrowserSuiteOptions {
  /** How long the server may take to answer /readyz (default: startTestServer's 60 s). */
  readyTimeoutMs?: number;
  /** The beforeAll hook's timeout: starting the server and the browser. */
  setupTimeoutMs: number;
  /** Extra server environment and commands run before `serve` (see startTestServer). */
  env?: Record<string, string>;
  before?: string[][];
  /** Runs before the server starts, with its environment (XASO_DATA_DIR): e.g. commands that fill the database. */
  prepare?: (env: NodeJS.ProcessEnv) => Promise<void>;
}

/** What a browser suite's tests use: the suite's server and browser, valid once its beforeAll has run. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A new tracked page with its own cookies on the suite's server; PHONE_VIEWPORT unless `viewport` says otherwise. */
  open(javaScriptEnabled: boolean, opts?: { viewport?: NewPageOptions['viewport'] }): Promise<TrackedPage>;
}

/**
 * A describe block for one browser suite: the real server and Chromium are
 * started before its tests (beforeAll) and stopped after them (afterAll).
 *
 * Outside CI, a machine without Chromium skips the block, the reason in its
 * title (`browserSkipReason`); with CI=true it is never skipped, so a missing
 * browser fails in beforeAll (`launchBrowser` throws).
 */
export function describeInBrowser(title: string, opts: BrowserSuiteOptions, body: (suite: BrowserSuite) => void): void {
  describe.skipIf(browserSkipReason !== null)(`${title}${browserSkipReason ? ` — SKIPPED: ${browserSkipReason}` : ''}`, () => {
    let started: { server: TestServer; browser: Browser } | undefined;
    const running = () => {
      if (!started) throw new Error('the server and browser are not running (beforeAll failed or has not run)');
      return started;
    };

    beforeAll(async () => {
      started = await startServerAndBrowser({ readyTimeoutMs: opts.readyTimeoutMs, env: opts.env, before: opts.before, prepare: opts.prepare });
    }, opts.setupTimeoutMs);

    afterAll(async () => {
      await Promise.allSettled([started?.browser.close(), started?.server.stop()]);
    }, 30_000);

    body({
      get server() {
        return running().server;
      },
      get browser() {
        return running().browser;
      },
      open(javaScriptEnabled, { viewport } = {}) {
        const { server, browser } = running();
        return newPage(browser, { javaScriptEnabled, baseURL: server.baseUrl, viewport });
      },
    });
  });
}
