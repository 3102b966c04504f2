/**
 * The sanction register (处分登记) in the browser: street HR opens a worker, records 开除党籍 on the
 * 处分记录 tab, finds it in the register (also on a phone), runs the exit proposals from 退出管理 and sees a
 * proposed case for that worker under the rule 受到开除等严重处分或被追究刑事责任. A second test records a
 * sanction from the register itself (worker picked by name) and revokes it there with a reason.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-Sanctions-Pass-2026';
const RULE_NAME = '受到开除等严重处分或被追究刑事责任';

interface WorkerRow {
  id: string | number;
  name: string;
}
interface CaseRow {
  id: number;
  workerId: number;
  ruleName: string;
  state: string;
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  return page.evaluate(async (u) => (await (await fetch(u)).json()) as T, url);
}

async function postJson<T>(page: Page, url: string, body: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ u, b }) => {
      const res = await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
      return { status: res.status, json: (await res.json()) as T };
    },
    { u: url, b: body },
  );
}

/** Yesterday as YYYY-MM-DD in the browser's time zone (decisions cannot be dated in the future). */
async function yesterday(page: Page): Promise<string> {
  return page.evaluate(() => {
    const d = new Date(Date.now() - 24 * 3600 * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
}

/** Fills the shared 登记处分 form (the worker tab's and the register's). */
async function fillSanctionForm(
  page: Page,
  input: { kind: string; decidedOn: string; authority: string; documentNo: string; reason: string },
) {
  const form = page.getByTestId('sanction-form');
  await form.waitFor();
  await page.getByTestId('sanction-kind').click();
  await page.locator('.ant-select-item-option').filter({ hasText: input.kind }).first().click();
  const field = (label: string) => form.locator('.ant-form-item').filter({ hasText: label });
  const date = field('决定日期').locator('input');
  await date.click();
  await date.fill(input.decidedOn);
  await date.press('Enter');
  // Under load the picker may take the typed date late: go on only once it holds it.
  await expect.poll(async () => date.inputValue(), { timeout: 15_000 }).toBe(input.decidedOn);
  await field('决定机关').locator('input').fill(input.authority);
  await field('文号').locator('input').fill(input.documentNo);
  await field('处分事由').locator('textarea').fill(input.reason);
  return form;
}

describeBrowser('sanction register in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD });

  it('street HR records an expulsion, sees it in the register and the exit run proposes a case', async () => {
    const page = await suite.openPage('street_hr');
    const { user: me } = await getJson<{ user: { orgCode: string } }>(page, '/api/v1/auth/me');

    // A first run settles every worker the other rules (retirement age, contract expiry…) already
    // propose; the sanction is then recorded for a worker with no case, so the next run's case is its.
    const first = await postJson<{ created: unknown[] }>(page, '/api/v1/exits/runs', { orgCode: me.orgCode });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const open = await getJson<{ items: CaseRow[] }>(page, '/api/v1/exits/cases?pageSize=200');
    const withCase = new Set(open.items.map((c) => c.workerId));
    const workers = await getJson<{ items: WorkerRow[] }>(page, '/api/v1/workers?status=active&pageSize=100');
    const free = workers.items.filter((w) => !withCase.has(Number(w.id)));
    expect(free.length).toBeGreaterThanOrEqual(1);
    const target = free[0]!;
    const decidedOn = await yesterday(page);

    // 处分记录 tab of the worker.
    await page.goto(`${suite.server.url}/workers/${target.id}`);
    await page.getByTestId('worker-sanctions-tab').click();
    await page.getByTestId('sanction-record').click();
    const form = await fillSanctionForm(page, {
      kind: '开除党籍',
      decidedOn,
      authority: '区纪委',
      documentNo: '纪发〔2026〕12号',
      reason: '严重违反党的纪律',
    });
    await page.screenshot({ path: screenshotPath('sanction-record'), fullPage: true });
    await page.getByTestId('sanction-submit').click();
    // The form closes once saved; if it stays, its text (a field error) says why.
    await expect.poll(async () => ((await form.count()) === 0 ? 'closed' : await form.innerText()), { timeout: 30_000 }).toBe('closed');
    const tab = page.getByTestId('worker-sanctions');
    await expect.poll(async () => (await tab.textContent()) ?? '').toContain('开除党籍');
    expect(await tab.textContent()).toContain('区纪委');

    // The register lists it in the street's scope.
    await page.getByTestId('menu-sanctions').click();
    await page.waitForURL(/\/sanctions/);
    const table = page.getByTestId('sanctions-table');
    const row = table.locator('tbody tr.ant-table-row').filter({ hasText: target.name });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    for (const s of ['开除党籍', decidedOn, '区纪委', '纪发〔2026〕12号', '有效']) expect(text).toContain(s);
    expect(await row.getByRole('link', { name: target.name }).getAttribute('href')).toBe(`/workers/${target.id}`);
    await page.screenshot({ path: screenshotPath('sanctions-register'), fullPage: true });

    // Filters go to the server: a kind filter keeps it, the 已撤销 filter drops it.
    await page.getByTestId('sanctions-status').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '已撤销' }).click();
    await page.waitForURL(/status=revoked/);
    await expect.poll(async () => row.count()).toBe(0);
    await page.goto(`${suite.server.url}/sanctions?kind=party_expulsion`);
    await row.waitFor();

    // On a phone the page does not scroll sideways (the table scrolls inside itself).
    await page.setViewportSize({ width: 375, height: 740 });
    await row.waitFor();
    // The layout follows the new width once Ant Design's breakpoint listeners have re-rendered it.
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
      .toBeLessThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('sanctions-register-phone'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // 退出管理: run the proposals; the worker's case comes from the sanction rule.
    await page.getByTestId('menu-exits').click();
    await page.waitForURL(/\/exits/);
    await page.getByTestId('exits-run').click();
    const cases = page.getByTestId('exit-cases');
    const caseRow = cases.locator('tbody tr.ant-table-row').filter({ hasText: target.name });
    await expect
      .poll(
        async () =>
          (await caseRow
            .first()
            .textContent()
            .catch(() => '')) ?? '',
        { timeout: 15_000 },
      )
      .toContain(RULE_NAME);
    expect(await caseRow.first().textContent()).toContain('解除劳动合同');
    await page.screenshot({ path: screenshotPath('sanctions-exit-case'), fullPage: true });
    const after = await getJson<{ items: CaseRow[] }>(page, '/api/v1/exits/cases?pageSize=200');
    const kase = after.items.find((c) => c.workerId === Number(target.id));
    expect(kase?.ruleName).toBe(RULE_NAME);
    expect(kase?.state).toBe('proposed');

    await page.context().close();
  });

  it('street HR records a warning from the register, picking the worker by name, and revokes it with a reason', async () => {
    const page = await suite.openPage('street_hr');
    const workers = await getJson<{ items: WorkerRow[] }>(page, '/api/v1/workers?status=active&pageSize=100');
    // Any active worker will do; the last one of the page is not the first test's expelled worker.
    const other = workers.items[workers.items.length - 1]!;
    const decidedOn = await yesterday(page);

    // 登记处分 from the register: pick the worker by name, record a warning, then revoke it with a reason.
    await page.goto(`${suite.server.url}/sanctions`);
    const table = page.getByTestId('sanctions-table');
    await page.getByTestId('sanctions-record').click();
    const picker = page.getByTestId('sanctions-worker');
    await picker.click();
    await page.keyboard.type(other.name);
    await page.locator('.ant-select-item-option').filter({ hasText: other.name }).first().click();
    const form2 = await fillSanctionForm(page, {
      kind: '警告',
      decidedOn,
      authority: '街道党工委',
      documentNo: '街纪〔2026〕3号',
      reason: '工作失职',
    });
    await page.getByTestId('sanction-submit').click();
    await form2.waitFor({ state: 'detached' });
    const row2 = table.locator('tbody tr.ant-table-row').filter({ hasText: '街纪〔2026〕3号' });
    await row2.waitFor();
    expect(await row2.textContent()).toContain(other.name);

    await row2.getByTestId('sanction-revoke').click();
    await page.getByTestId('sanction-revoke-submit').click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '必填' }).waitFor();
    await page.getByTestId('sanction-revoke-reason').fill('经复核撤销');
    await page.getByTestId('sanction-revoke-submit').click();
    await expect.poll(async () => (await row2.textContent()) ?? '').toContain('已撤销');
    expect(await row2.getByTestId('sanction-revoke').count()).toBe(0);
    const mine = await getJson<{ items: { documentNo: string | null; status: string; revokedReason: string | null }[] }>(
      page,
      `/api/v1/workers/${other.id}/sanctions`,
    );
    const revoked = mine.items.find((s) => s.documentNo === '街纪〔2026〕3号');
    expect(revoked?.status).toBe('revoked');
    expect(revoked?.revokedReason).toBe('经复核撤销');
    await page.context().close();
  });
});
