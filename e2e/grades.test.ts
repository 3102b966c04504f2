/**
 * Grading in the browser: demo_street opens 等级评定, previews the annual promotion run for its
 * street, filters the preview to early steps, reads the explanation, approves the run; a worker
 * who stepped shows the new grade and its explanation on the 等级 tab of their record.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCredentials, signInAndChangePassword, type Cred } from './support/accounts.ts';
import { describeBrowser, launchBrowser, screenshotPath } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

const NEW_PASSWORD = 'E2e-Grades-Pass-2026';

describeBrowser('grading in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let creds: Cred[];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    creds = readCredentials(server.credentialsFile);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = async (role: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await signInAndChangePassword(
      page,
      server.url,
      creds.find((c) => c.role === role)!,
      NEW_PASSWORD,
    );
    return page;
  };

  it('the street office previews a promotion run, approves it, and the new grade shows on the record', async () => {
    const street = await signIn('street_hr');
    await street.getByTestId('menu-grades').click();
    await street.waitForURL(/\/grades/);
    await street.getByTestId('grade-scheme-card').getByText('三岗十八级').waitFor();

    await street.getByTestId('grade-run-preview').click();
    const drawer = street.getByTestId('grade-run-drawer');
    await drawer.waitFor();
    const items = street.getByTestId('grade-run-items');
    await items.locator('tbody tr.ant-table-row').first().waitFor();
    await drawer
      .getByTestId('grade-run-change-filter')
      .getByText(/^提前晋级/)
      .click();
    const early = items.locator('tbody tr.ant-table-row').first();
    await expect.poll(async () => (await early.textContent()) ?? '').toContain('2025年优秀（计入）');
    const name = (await early.locator('a').first().textContent())!;
    const href = (await early.locator('a').first().getAttribute('href'))!;
    await street.screenshot({ path: screenshotPath('grades-preview'), fullPage: true });

    await drawer.getByTestId('grade-run-approve').click();
    await street.getByTestId('grade-run-approve-ok').click();
    await expect.poll(async () => (await drawer.textContent()) ?? '').toContain('已生效');

    await street.goto(`${server.url}${href}`);
    await street.getByTestId('worker-grades-tab').click();
    const tab = street.getByTestId('worker-grades');
    await expect.poll(async () => (await tab.textContent()) ?? '').toContain('年度晋级');
    expect(await tab.textContent()).toContain('提前晋升一级');
    expect(await street.textContent('body')).toContain(name);
    await street.screenshot({ path: screenshotPath('grades-worker-tab'), fullPage: true });
    await street.context().close();
  });
});
