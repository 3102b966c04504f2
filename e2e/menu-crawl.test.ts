/**
 * Every role's menu, page by page, on the demo city: each page a role is offered, each of its tabs,
 * and the record behind the first row of its table (a record page, or the drawer its 查看 button
 * opens, with their tabs) must load without a script error, a failed API call (5xx, or a 403/404
 * the menu should never lead to) or an error alert. A menu entry that leads to a refusal is a bug
 * of the menu or of the API's permissions.
 */
import type { Page, Request } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const ROLES = ['sys_admin', 'region_admin', 'street_hr', 'community_lead', 'auditor', 'worker'];
/** Lists whose rows open their record on a click (others link from a cell). */
const ROW_OPENS_RECORD = new Set(['menu-workers']);

describeBrowser('every menu page of every role', () => {
  const suite = useBrowserSuite({ newPassword: 'E2e-Menu-Crawl-2026' });

  /** Problems seen on `page` from now on (script errors, console errors, failed API calls), and a wait for quiet. */
  function watch(page: Page) {
    const problems: string[] = [];
    // Requests started since watching began (a lazily loaded page's script, then its API calls).
    // Ones already open when it began are not counted: their end must not count down.
    const open = new Set<Request>();
    let lastChange = Date.now();
    page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('request', (req) => {
      open.add(req);
      lastChange = Date.now();
    });
    const done = (req: Request) => {
      if (open.delete(req)) lastChange = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', (req) => {
      done(req);
      // A request the page itself dropped (navigation, a superseded query) is not a failure.
      const error = req.failure()?.errorText ?? '';
      if (error !== 'net::ERR_ABORTED') problems.push(`${req.method()} ${new URL(req.url()).pathname} failed: ${error}`);
    });
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (!url.pathname.startsWith('/api/')) return;
      if (res.status() >= 500 || res.status() === 403 || res.status() === 404)
        problems.push(`${res.request().method()} ${url.pathname}${url.search} → ${res.status()}`);
    });
    /** Resolves once no request has been open for 500 ms (a page's queries start on its first render). */
    const quiet = () => expect.poll(() => open.size === 0 && Date.now() - lastChange >= 500, { timeout: 30_000, interval: 100 }).toBe(true);
    return { problems, quiet };
  }

  for (const role of ROLES) {
    it(`${role}: each menu page loads cleanly`, async () => {
      const page = await suite.openPage(role);
      const { problems, quiet } = watch(page);
      await page.locator('[data-testid^="menu-"]').first().waitFor();
      const entries = await page.locator('[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
      expect(entries.length).toBeGreaterThan(1);
      const visited: string[] = [];
      const settle = async (what: string, before: number) => {
        await quiet();
        const alerts = await page.locator('.ant-alert-error .ant-alert-message, .ant-result-error .ant-result-title').allTextContents();
        for (const a of alerts) problems.push(`error alert: ${a}`);
        visited.push(`${what} ${new URL(page.url()).pathname}${problems.length > before ? ' ✗' : ''}`);
        for (const p of problems.slice(before)) console.error(`[crawl] ${role} ${what}: ${p}`);
      };
      /** Clicks each tab but the first (open already) inside `within` (the page, or an open drawer). */
      const eachTab = async (what: string, within = page.locator('body')) => {
        const tabs = within.getByRole('tab');
        const names = await tabs.allTextContents();
        for (const [i, tab] of names.entries()) {
          if (i === 0) continue;
          const before = problems.length;
          await tabs.nth(i).click();
          await settle(`${what} › ${tab}`, before);
        }
      };
      for (const entry of entries) {
        let before = problems.length;
        await page.getByTestId(entry).click();
        await page.waitForURL((url) => url.pathname === (entry === 'menu-home' ? '/' : `/${entry.slice('menu-'.length)}`));
        await settle(entry, before);
        await eachTab(entry);
        // The record behind the first row: a link in it, or the row itself where a click opens it.
        const row = page.locator('.ant-table-row').first();
        const link = row.locator('a[href^="/"]').first();
        const opener = (await link.count()) > 0 ? link : ROW_OPENS_RECORD.has(entry) && (await row.count()) > 0 ? row : null;
        if (opener) {
          before = problems.length;
          const from = page.url();
          await opener.click();
          await page.waitForURL((url) => url.href !== from);
          await settle(`${entry} › first row`, before);
          await eachTab(`${entry} › first row`);
        } else {
          // Or the drawer its 查看 button opens (a payroll run, a grading run), with the drawer's tabs.
          const view = row.getByRole('button', { name: '查看' });
          if ((await row.count()) > 0 && (await view.count()) > 0) {
            before = problems.length;
            await view.first().click();
            const drawer = page.getByRole('dialog').last();
            await drawer.waitFor();
            await settle(`${entry} › first row`, before);
            await eachTab(`${entry} › first row`, drawer);
            await page.keyboard.press('Escape');
            await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
          }
        }
      }
      expect(problems, `${role} visited ${visited.join(', ')}`).toEqual([]);
      await page.context().close();
    });
  }
});
