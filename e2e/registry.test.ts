/**
 * The worker registry in the browser: street HR opens a worker who is 在岗, puts them on sick leave
 * (离岗 / 病假) through 变更状态, and finds the change in the 变更记录 tab; the page stays usable on a phone.
 */
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-Registry-Pass-2026';

describeBrowser('worker registry in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD });

  it('street HR puts a worker on sick leave and sees it in the change history', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await suite.signIn(page, 'street_hr');

    await page.goto(`${suite.server.url}/workers?status=active`);
    const rows = page.getByTestId('workers-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await rows.first().click();
    await page.waitForURL(/\/workers\/\d+/);
    const id = /\/workers\/(\d+)/.exec(page.url())![1]!;
    await page.getByTestId('worker-group-contact').waitFor();
    await page.screenshot({ path: screenshotPath('worker-record'), fullPage: true });

    await page.getByTestId('worker-status-change').click();
    const form = page.getByTestId('worker-status-form');
    await form.getByText('离岗', { exact: true }).click();
    await form.getByText('病假', { exact: true }).click();
    await form.getByTestId('worker-status-reason').fill('住院治疗');
    await page.getByTestId('worker-status-submit').click();
    await form.waitFor({ state: 'detached' });

    const worker = await page.evaluate(async (wid) => (await fetch(`/api/v1/workers/${wid}`)).json(), id);
    expect(worker.status).toBe('on_leave');
    expect(worker.leaveType).toBe('sick');
    await expect.poll(async () => (await page.getByTestId('worker-group-post').textContent()) ?? '').toContain('病假');

    await page.getByTestId('worker-history-tab').click();
    const history = page.getByTestId('worker-history');
    await expect.poll(async () => (await history.textContent()) ?? '').toContain('在岗 → 离岗');
    expect(await history.textContent()).toContain('状态变更');
    await page.screenshot({ path: screenshotPath('worker-history'), fullPage: true });

    await page.getByTestId('worker-contracts-tab').click();
    await page.getByTestId('worker-contracts').waitFor();
    await page.getByTestId('worker-insurance').waitFor();
    await page.screenshot({ path: screenshotPath('worker-contracts'), fullPage: true });

    // The detail page on a phone: no sideways scrolling of the page.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.getByTestId('worker-history-tab').waitFor();
    // The layout follows the new width once Ant Design's breakpoint listeners have re-rendered it.
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
      .toBeLessThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('worker-detail-phone'), fullPage: true });
    await context.close();
  });

  it('contract alerts, signing a contract, and the staffing standard on the org page', async () => {
    const cred = suite.cred('street_hr');
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${suite.server.url}/login`);
    await page.getByTestId('login-username').fill(cred.username);
    await page.getByTestId('login-password').fill(NEW_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${suite.server.url}/workers`);
    await page.getByTestId('contract-alerts').waitFor();
    // Sign a contract for a worker who has none, through the 劳动合同 tab.
    const list = await page.evaluate(async () => (await fetch('/api/v1/workers?status=active&pageSize=50')).json());
    let target: number | undefined;
    for (const w of list.items as { id: number }[]) {
      const cs = await page.evaluate(async (wid) => (await fetch(`/api/v1/workers/${wid}/contracts`)).json(), w.id);
      if (!cs.items.some((c: { status: string }) => c.status === 'active')) {
        target = w.id;
        break;
      }
    }
    expect(target).toBeDefined();
    await page.goto(`${suite.server.url}/workers/${target}`);
    await page.getByTestId('worker-contracts-tab').click();
    await page.getByTestId('contract-sign').click();
    const form = page.getByTestId('contract-form');
    await form.locator('#startDate').fill('2026-01-01');
    await form.locator('#startDate').press('Enter');
    await form.locator('#endDate').fill('2028-12-31');
    await form.locator('#endDate').press('Enter');
    // Enter in the last date field confirms the date and submits the form.
    await form.waitFor({ state: 'detached' });
    await expect.poll(async () => (await page.getByTestId('worker-contracts').textContent()) ?? '').toContain('2028-12-31');
    await expect.poll(async () => (await page.getByTestId('worker-contracts').textContent()) ?? '').toContain('履行中');
    await page.screenshot({ path: screenshotPath('worker-contract-signed'), fullPage: true });

    await page.goto(`${suite.server.url}/orgs`);
    await expect.poll(async () => (await page.getByTestId('staffing-per10k').textContent()) ?? '').toMatch(/\d+/);
    await page.screenshot({ path: screenshotPath('orgs-staffing'), fullPage: true });
    await page.close();
  });
});
