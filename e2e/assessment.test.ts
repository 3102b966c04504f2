/**
 * The residents' ballot in the browser: the region opens a cycle, the street office issues a ballot
 * code and opens its community's ballot; a resident votes on a phone-sized page (375 px) with no
 * sign-in; the street officer closes the ballot and sees the tally.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCredentials, signInAndChangePassword, type Cred } from './support/accounts.ts';
import { describeBrowser, launchBrowser, screenshotPath } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

const NEW_PASSWORD = 'E2e-Assessment-Pass-2026';

async function apiCall<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as T };
    },
    { method, url, body },
  );
}

describeBrowser('residents ballot in the browser', () => {
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

  it('a resident votes on a phone and the street officer closes the ballot and sees the result', async () => {
    const region = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInAndChangePassword(
      region,
      server.url,
      creds.find((c) => c.role === 'region_admin')!,
      NEW_PASSWORD,
    );
    const me = await apiCall<{ user: { orgCode: string } }>(region, 'GET', '/api/v1/auth/me');
    const opened = await apiCall<{ id: number }>(region, 'POST', '/api/v1/assessment/cycles', {
      orgCode: me.json.user.orgCode,
      name: '2026年度社区工作者考核（测试）',
      year: 2026,
    });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    const cycleId = opened.json.id;

    const street = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInAndChangePassword(
      street,
      server.url,
      creds.find((c) => c.role === 'street_hr')!,
      NEW_PASSWORD,
    );
    const communities = await apiCall<{ communityCode: string }[]>(street, 'GET', `/api/v1/assessment/cycles/${cycleId}/communities`);
    const community = communities.json[0]!.communityCode;
    const issued = await apiCall<{ codes: string[] }>(
      street,
      'POST',
      `/api/v1/assessment/cycles/${cycleId}/communities/${community}/ballot-codes`,
      {
        count: 3,
      },
    );
    expect(issued.status).toBe(200);
    await street.goto(`${server.url}/assessment/${cycleId}`);
    await street.getByTestId(`ballot-open-${community}`).click();
    await expect.poll(async () => (await street.getByTestId(`ballot-close-${community}`).count()) > 0).toBe(true);

    // The resident, on a phone, no sign-in.
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN', isMobile: true });
    const resident = await phone.newPage();
    await resident.goto(`${server.url}/ballot/${issued.json.codes[0]}`);
    await resident.getByTestId('ballot-page').waitFor();
    const workers = resident.locator('[data-testid^="ballot-choice-"]');
    const n = await workers.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await workers.nth(i).getByText('满意', { exact: true }).click();
    await resident.getByTestId('ballot-comment').fill('服务热情，电话13812345678');
    const overflow = await resident.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await resident.screenshot({ path: screenshotPath('ballot-phone'), fullPage: true });
    await resident.getByTestId('ballot-submit').click();
    await resident.getByTestId('ballot-done').waitFor();
    // The same code again is refused.
    await resident.goto(`${server.url}/ballot/${issued.json.codes[0]}`);
    await resident.getByTestId('ballot-unavailable').waitFor();
    expect(await resident.getByTestId('ballot-unavailable').textContent()).toContain('该测评码已经投过票');
    await phone.close();

    // The street officer sees the live count, closes the ballot and reads the tally.
    await street.reload();
    await expect.poll(async () => (await street.getByTestId(`ballot-count-${community}`).textContent()) ?? '').toBe('1');
    await street.getByTestId(`ballot-close-${community}`).click();
    await street
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await street.getByTestId(`ballot-tally-${community}`).click();
    const tally = street.getByTestId('tally');
    await tally.waitFor();
    await expect.poll(async () => (await tally.textContent()) ?? '').toContain('有效票1张');
    expect(await tally.textContent()).toContain('138****5678');
    await street.screenshot({ path: screenshotPath('ballot-tally'), fullPage: true });
  });
});
