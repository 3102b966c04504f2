/**
 * Assessment and exit administration in the browser: a worker appeals their grade during publicity and
 * the street officer upholds it with a corrected grade, which the results table then shows; a region
 * admin edits an exit rule (a server field error lands on the control), disables another and saves
 * the region's own version.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

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

/** Street office sheets only: no residents' ballot to run, so the street's scores alone give grades. */
const STREET_ONLY_TEMPLATE = {
  dimensions: [
    { key: 'political', nameZh: '政治素质', weightBp: 3000 },
    { key: 'performance', nameZh: '工作实绩', weightBp: 5000 },
    { key: 'satisfaction', nameZh: '居民满意度', weightBp: 2000 },
  ],
  raterGroups: [{ key: 'street', nameZh: '街道评议', weightBp: 10_000, source: 'sheet', minRaters: 1 }],
  bands: [
    { result: 'excellent', minScore: 9000 },
    { result: 'competent', minScore: 7000 },
    { result: 'basically_competent', minScore: 6000 },
    { result: 'incompetent', minScore: 0 },
  ],
  excellentCap: { shareBp: 2000 },
  quorum: { minBallots: 0, minOrdinaryShareBp: 0 },
  ballotPoints: { satisfied: 10_000, basically_satisfied: 6000, dissatisfied: 0 },
};

const NEW_PASSWORD = 'E2e-Assessment-Admin-2026';
/** Opening a city-wide cycle or computing one takes seconds on a busy two-core machine. */
const SLOW = { timeout: 30_000 };

describeBrowser('assessment and exit administration in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD });
  // First-start accounts change their password on the first sign-in only; later tests sign in plainly.
  const changed = new Set<string>();
  async function openPage(role: string): Promise<Page> {
    if (!changed.has(role)) {
      changed.add(role);
      return suite.openPage(role);
    }
    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    await page.goto(`${suite.server.url}/login`);
    await page.getByTestId('login-username').fill(suite.cred(role).username);
    await page.getByTestId('login-password').fill(NEW_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  it('a street officer upholds an appeal with a corrected grade and sees it in the results', async () => {
    const street = await openPage('street_hr');
    const region = await openPage('region_admin');
    const worker = await openPage('worker');
    const streetMe = await apiCall<{ user: { orgCode: string } }>(street, 'GET', '/api/v1/auth/me');
    const opened = await apiCall<{ id: number }>(region, 'POST', '/api/v1/assessment/cycles', {
      orgCode: streetMe.json.user.orgCode.slice(0, 6),
      name: '2026年度考核（申诉测试）',
      year: 2026,
      template: STREET_ONLY_TEMPLATE,
    });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    const cycleId = opened.json.id;

    // The street office scores everyone in its street 85 (称职).
    const sheet = await apiCall<{ rows: { workerId: number }[] }>(street, 'GET', `/api/v1/assessment/cycles/${cycleId}/sheet?group=street`);
    expect(sheet.status).toBe(200);
    const scores = { political: 8500, performance: 8500, satisfaction: 8500 };
    for (let i = 0; i < sheet.json.rows.length; i += 500) {
      const saved = await apiCall(street, 'PUT', `/api/v1/assessment/cycles/${cycleId}/sheet`, {
        group: 'street',
        entries: sheet.json.rows.slice(i, i + 500).map((r) => ({ workerId: r.workerId, scores })),
      });
      expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    }
    expect((await apiCall(region, 'POST', `/api/v1/assessment/cycles/${cycleId}/compute`)).status).toBe(200);
    // The approval chain (every community, street and the region; tested on the server) is skipped:
    // the cycle is put into publicity directly.
    const db = new SQLite(path.join(suite.server.dataDir, 'shegong.db'));
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare("update assessment_cycles set status = 'publicity', publicity_until = ? where id = ?").run(
        new Date(Date.now() + 5 * 86_400_000).toISOString(),
        cycleId,
      );
    } finally {
      db.close();
    }

    // The worker appeals from their results.
    await worker.goto(`${suite.server.url}/assessment`);
    await worker.getByTestId(`my-appeal-text-${cycleId}`).fill('本人全年无投诉，且承担了疫苗接种动员工作，请复核');
    await worker.getByTestId(`my-appeal-submit-${cycleId}`).click();
    await expect
      .poll(async () => (await worker.locator('[data-testid^="my-appeal-"]').first().textContent()) ?? '', SLOW)
      .toContain('待处理');
    const mine = await apiCall<{ cycleId: number; result: { name: string } }[]>(worker, 'GET', '/api/v1/assessment/my-results');
    const workerName = mine.json.find((r) => r.cycleId === cycleId)!.result.name;

    // The street officer resolves it: upheld, corrected to 优秀.
    await street.goto(`${suite.server.url}/assessment/${cycleId}`);
    await street.getByRole('tab', { name: '申诉' }).click();
    const table = street.getByTestId('appeals-table');
    await expect.poll(async () => (await table.textContent()) ?? '', SLOW).toContain('疫苗接种动员');
    await expect.poll(async () => (await table.textContent()) ?? '', SLOW).toContain('称职');
    await table.locator('[data-testid^="appeal-resolve-"]').first().click();
    await street.getByTestId('appeal-decision').getByText('支持申诉').click();
    await street.getByTestId('appeal-response').fill('经复核，该同志全年工作突出，调整为优秀');
    await street.getByTestId('appeal-adjusted').click();
    await street.locator('.ant-select-dropdown .ant-select-item-option[title="优秀"]').click();
    await street.getByTestId('appeal-resolve-submit').click();
    await expect.poll(async () => (await table.textContent()) ?? '', SLOW).toContain('已支持 → 优秀');
    await street.screenshot({ path: screenshotPath('appeal-resolved'), fullPage: true });

    await street.getByRole('tab', { name: '考核结果' }).click();
    const row = street.getByTestId('cycle-results').locator('tr', { hasText: workerName });
    await expect.poll(async () => (await row.first().textContent()) ?? '', SLOW).toContain('优秀');

    // The worker sees the answer.
    await worker.reload();
    await expect
      .poll(async () => (await worker.locator('[data-testid^="my-appeal-"]').first().textContent()) ?? '', SLOW)
      .toContain('已支持');
    for (const p of [street, region, worker]) await p.context().close();
  }, 240_000);

  it('a region admin opens a cycle from the 德能勤绩廉 template with weights checked live and by the server', async () => {
    const page = await openPage('region_admin');
    await page.goto(`${suite.server.url}/assessment`);
    // The suggested name follows the period while it has not been edited.
    const thisYear = new Date().getFullYear();
    const name = page.getByTestId('assessment-open-name');
    await expect.poll(async () => name.inputValue(), SLOW).toBe(`${thisYear}年度社区工作者考核`);
    await page.getByTestId('assessment-open-period').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="季度"]').click();
    await expect.poll(async () => name.inputValue(), SLOW).toBe(`${thisYear}年第一季度社区工作者考核`);
    await page.getByTestId('assessment-open-period').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="年度"]').click();
    await expect.poll(async () => name.inputValue(), SLOW).toBe(`${thisYear}年度社区工作者考核`);
    await page.getByTestId('assessment-open-customise').click();
    await page.getByTestId('template-preset').click();
    await page.locator('.ant-select-dropdown .ant-select-item-option[title="德、能、勤、绩、廉"]').click();
    await expect.poll(async () => await page.getByTestId('template-dimension-4-name').inputValue(), SLOW).toBe('廉');
    const weight = page
      .locator('[data-testid="template-dimension-0-weight"] input, input[data-testid="template-dimension-0-weight"]')
      .first();
    await weight.fill('25');
    await weight.blur();
    await expect.poll(async () => (await page.getByTestId('template-dimension-sum').textContent()) ?? '', SLOW).toBe('合计 105%');

    await page.getByTestId('assessment-open-name').fill('2026年度考核（德能勤绩廉）');
    await page.getByTestId('assessment-open-submit').click();
    const editor = page.getByTestId('template-editor');
    await expect.poll(async () => (await editor.textContent()) ?? '', SLOW).toContain('考核维度权重之和须为100%，当前为105%');

    await weight.fill('20');
    await weight.blur();
    await expect.poll(async () => (await page.getByTestId('template-dimension-sum').textContent()) ?? '', SLOW).toBe('合计 100%');
    // A half-year cycle: choosing 半年 asks for the half (上半年 first); the second half is chosen.
    expect(await page.getByTestId('assessment-open-part').count()).toBe(0);
    await page.getByTestId('assessment-open-period').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="半年"]').click();
    const part = page.getByTestId('assessment-open-part');
    await expect.poll(async () => (await part.textContent()) ?? '', SLOW).toContain('上半年');
    await part.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="下半年"]').click();
    await page.getByTestId('assessment-open-submit').click();
    await expect.poll(async () => (await page.getByTestId('assessment-cycles-table').textContent()) ?? '', SLOW).toContain('德能勤绩廉');
    const year = new Date().getFullYear();
    const listed = page.getByTestId('assessment-cycles-table').locator('tbody tr').filter({ hasText: '德能勤绩廉' });
    expect(await listed.textContent()).toContain(`${year}年下半年`);
    await page.screenshot({ path: screenshotPath('assessment-open-template'), fullPage: true });
    const cycles = await apiCall<{
      items: { name: string; period: string; part: number | null; template: { dimensions: { nameZh: string; weightBp: number }[] } }[];
    }>(page, 'GET', '/api/v1/assessment/cycles?pageSize=50');
    const opened = cycles.json.items.find((c) => c.name === '2026年度考核（德能勤绩廉）')!;
    expect(opened.template.dimensions.map((d) => `${d.nameZh}${d.weightBp}`)).toEqual(['德2000', '能2000', '勤1500', '绩3500', '廉1000']);
    expect([opened.period, opened.part]).toEqual(['half_year', 2]);
    await page.context().close();
  }, 120_000);

  it('a region admin edits an exit rule, disables another and saves the region’s own version', async () => {
    const page = await openPage('region_admin');
    await page.goto(`${suite.server.url}/exits`);
    const card = page.getByTestId('exit-rules');
    await expect.poll(async () => (await page.getByTestId('exit-rules-source').textContent()) ?? '', SLOW).toBe('默认规则');

    // A duplicate key: the server's field error shows on that rule's key control.
    const second = page.getByTestId('exit-rule-1');
    const key = second.getByLabel('键名');
    await key.fill('disciplinary_dismissal');
    await page.getByTestId('exit-rules-save').click();
    await expect.poll(async () => (await second.textContent()) ?? '', SLOW).toContain('退出规则键名重复');

    await key.fill('one_incompetent');
    await second.getByLabel('提前通知天数').fill('45');
    await page.getByTestId('exit-rule-2-enabled').click();
    await page.getByTestId('exit-rules-save').click();
    await expect.poll(async () => (await page.getByTestId('exit-rules-source').textContent()) ?? '', SLOW).toBe('本级规则');
    await page.screenshot({ path: screenshotPath('exit-rules-saved'), fullPage: true });

    await page.reload();
    await card.waitFor();
    await expect.poll(async () => (await page.getByTestId('exit-rules-source').textContent()) ?? '', SLOW).toBe('本级规则');
    expect(await page.getByTestId('exit-rule-1').getByLabel('提前通知天数').inputValue()).toBe('45');
    expect(await page.getByTestId('exit-rule-2-enabled').getAttribute('aria-checked')).toBe('false');
    await page.context().close();
  }, 120_000);
});
