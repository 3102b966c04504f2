/**
 * The shared set-up of a browser test file: one product server and one Chromium for the file, the
 * first-start accounts, and sign-in through the forced password change.
 *
 *   describeBrowser('payroll in the browser', () => {
 *     const suite = useBrowserSuite({ newPassword: 'E2e-Payroll-Pass-2026' });
 *     it('…', async () => {
 *       const page = await suite.openPage('street_hr');
 *       await page.goto(`${suite.server.url}/payroll`);
 *     });
 *   });
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { readCredentials, signIn, signInAndChangePassword, type Cred } from './accounts.ts';
import { launchBrowser, screenshotPath } from './browser.ts';
import { startServer, type RunningServer, type StartServerOptions } from './server.ts';

export interface BrowserSuiteOptions {
  /** The password each first-start account is changed to on its first sign-in. */
  newPassword: string;
  server?: StartServerOptions;
  /** Context options of {@link BrowserSuite.openPage}; default a 1280×800 desktop in zh-CN. */
  context?: BrowserContextOptions;
}

export interface BrowserSuite {
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly creds: Cred[];
  /** The first-start account of a role; throws when the server printed none. */
  cred(role: string): Cred;
  /** Signs a role in on `page`: the first time through the forced password change, later with the new password. */
  signIn(page: Page, role: string): Promise<void>;
  /** A page in a fresh browser context, signed in as `role` (close it with `page.context().close()`). */
  openPage(role: string, context?: BrowserContextOptions): Promise<Page>;
}

const DEFAULT_CONTEXT: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

/**
 * Starts a server and a browser before the file's tests and stops them after; call it once at the
 * top of a `describeBrowser` block. The getters throw when read before `beforeAll` has run.
 */
export function useBrowserSuite(options: BrowserSuiteOptions): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let creds: Cred[] | undefined;
  const changed = new Set<string>();
  /** Pages opened by the running test, kept for the failure snapshot. */
  const open: Page[] = [];

  // A failed or timed-out test leaves a screenshot and the URL of each page it had open, so a CI log
  // says where it stopped (a timeout alone names no step).
  // (Vitest calls onTestFailed after the afterEach hooks, so the list is reset here, not there.)
  beforeEach((ctx) => {
    open.length = 0;
    ctx.onTestFailed(async () => {
      for (const [i, page] of open.entries()) {
        if (page.isClosed()) continue;
        const file = screenshotPath(`FAILED-${ctx.task.name.slice(0, 60)}-${i}`);
        console.error(`[e2e] failed test "${ctx.task.name}": page ${i} at ${page.url()}; screenshot ${file}`);
        await page.screenshot({ path: file, fullPage: true, timeout: 10_000 }).catch(() => undefined);
        const errors = await page
          .locator('.ant-form-item-explain-error, .ant-message-notice, .ant-alert-message')
          .allTextContents()
          .catch(() => []);
        if (errors.length) console.error(`[e2e]   messages on the page: ${errors.join(' | ')}`);
      }
    });
  });

  beforeAll(async () => {
    server = await startServer(options.server);
    browser = await launchBrowser();
    creds = readCredentials(server.credentialsFile);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useBrowserSuite: ${name} is not ready (read it inside a test)`);
    return value;
  };

  const suite: BrowserSuite = {
    get server() {
      return ready(server, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get creds() {
      return ready(creds, 'creds');
    },
    cred(role) {
      const found = suite.creds.find((c) => c.role === role);
      if (!found) throw new Error(`useBrowserSuite: no first-start account for role ${role}`);
      return found;
    },
    async signIn(page, role) {
      const cred = suite.cred(role);
      // The first sign-in of a role changes its first-start password; later ones use the new one.
      if (changed.has(role)) return signIn(page, suite.server.url, cred.username, options.newPassword);
      await signInAndChangePassword(page, suite.server.url, cred, options.newPassword);
      changed.add(role);
    },
    async openPage(role, context) {
      const ctx = await suite.browser.newContext(context ?? options.context ?? DEFAULT_CONTEXT);
      const page = await ctx.newPage();
      open.push(page);
      await suite.signIn(page, role);
      return page;
    },
  };
  return suite;
}
