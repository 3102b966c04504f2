/**
 * Grading in the browser: demo_street opens 等级评定, previews the annual promotion run for its
 * street, filters the preview to early steps, reads the explanation, approves the run; a worker
 * who stepped shows the new grade and its explanation on the 等级 tab of their record.
 */
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-Grades-Pass-2026';

describeBrowser('grading in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD, context: { viewport: { width: 1400, height: 900 }, locale: 'zh-CN' } });

  it('the street office previews a promotion run, approves it, and the new grade shows on the record', async () => {
    const street = await suite.openPage('street_hr');
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
    // Generous timeout: applying the run writes every grade, and other e2e files run their own server alongside.
    await expect.poll(async () => (await drawer.textContent()) ?? '', { timeout: 30_000 }).toContain('已生效');

    await street.goto(`${suite.server.url}${href}`);
    await street.getByTestId('worker-grades-tab').click();
    const tab = street.getByTestId('worker-grades');
    await expect.poll(async () => (await tab.textContent()) ?? '').toContain('年度晋级');
    expect(await tab.textContent()).toContain('提前晋升一级');
    expect(await street.textContent('body')).toContain(name);
    await street.screenshot({ path: screenshotPath('grades-worker-tab'), fullPage: true });
    await street.context().close();
  });
});
