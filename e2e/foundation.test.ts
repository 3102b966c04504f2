/**
 * What a newcomer does on the first start: sign in with a printed password, is forced to change
 * it, sees the home figures, opens the worker list and a worker, reveals an ID number (audited),
 * switches to English, and uses it on a phone-sized screen.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-Changed-Pass-2026';

describeBrowser('first start in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD });

  it('prints one account per role with random passwords, saved readable only by the owner', () => {
    expect(suite.creds.map((c) => c.role).sort()).toEqual([
      'auditor',
      'community_lead',
      'region_admin',
      'street_hr',
      'sys_admin',
      'worker',
    ]);
    expect(new Set(suite.creds.map((c) => c.password)).size).toBe(6);
    expect(fs.statSync(suite.server.credentialsFile).mode & 0o777).toBe(0o600);
  });

  it('refuses a wrong password with a Chinese message', async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await page.close();
  });

  it('street HR: forced password change, home figures, worker list, reveal, English', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await suite.signIn(page, 'street_hr');

    const headcount = page.getByTestId('home-headcount');
    await headcount.waitFor();
    const api = await page.evaluate(async () => (await fetch('/api/v1/dashboard/summary')).json());
    await expect.poll(async () => Number((await headcount.textContent())?.replace(/[,\s]/g, ''))).toBe(api.headcount);
    expect(api.headcount).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('home-street-hr'), fullPage: true });

    await page.getByTestId('menu-workers').click();
    await page.waitForURL(/\/workers/);
    const rows = page.getByTestId('workers-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    const firstText = (await rows.first().textContent()) ?? '';
    expect(firstText).toMatch(/\d{3}\*{11}[\dX]{4}/); // masked ID in the list
    await page.screenshot({ path: screenshotPath('workers-list'), fullPage: true });

    await rows.first().click();
    await page.waitForURL(/\/workers\/\d+/);
    await page.getByTestId('worker-reveal-id').click();
    await expect.poll(async () => (await page.getByTestId('worker-idNumber-value').textContent())?.trim() ?? '').toMatch(/^\d{17}[\dX]$/);
    await page.screenshot({ path: screenshotPath('worker-detail-revealed'), fullPage: true });
    const audit = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(audit.user.role).toBe('street_hr');

    await page.getByTestId('lang-switch').click();
    await expect.poll(async () => (await page.getByTestId('menu-workers').textContent()) ?? '').toMatch(/Workers|Community workers/i);
    await context.close();
  });

  it('the reveal is in the audit log that the auditor reads', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await suite.signIn(page, 'auditor');
    await page.getByTestId('menu-audit').click();
    await page.waitForURL(/\/audit/);
    // Generous timeout: other e2e files run their own server alongside this one.
    await expect.poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 15_000 }).toContain('查看个人敏感信息');
    await page.screenshot({ path: screenshotPath('audit-log'), fullPage: true });
    await page.close();
  });

  it('works on a phone-sized screen without sideways scrolling of the page', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await suite.signIn(page, 'community_lead');
    await page.getByTestId('home-headcount').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('home-phone'), fullPage: true });
    await context.close();
  });
});
