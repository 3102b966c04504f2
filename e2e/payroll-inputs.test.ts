/**
 * Monthly pay inputs and the pay-floor check in the browser: the street office enters a monthly
 * allowance in yuan on 月度录入 (stored as exact fen), edits and deletes one; the region admin
 * opens 最低工资保障核查 and sees the floor in force and its download.
 */
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-PayInputs-Pass-2026';

describeBrowser('monthly pay inputs and the floor report in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD, context: { viewport: { width: 1400, height: 900 }, locale: 'zh-CN' } });

  it('street HR enters a monthly allowance in yuan, edits it, deletes another, and enters an opening tax balance', async () => {
    const page = await suite.openPage('street_hr');
    await page.getByTestId('menu-pay-inputs').click();
    await page.waitForURL(/\/pay-inputs/);
    await page.getByTestId('pay-inputs-table').waitFor();

    const add = async (code: string, name: string, amount: string) => {
      await page.getByTestId('pay-inputs-add').click();
      const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('pay-input-worker') });
      await modal.waitFor();
      await modal.getByTestId('pay-input-worker').click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
      await option.waitFor();
      await option.click();
      await modal.getByTestId('pay-input-code').fill(code);
      await modal.getByTestId('pay-input-name').fill(name);
      await modal.getByTestId('pay-input-amount').fill(amount);
      await page.getByTestId('pay-input-submit').click();
      await modal.waitFor({ state: 'hidden' });
    };

    // A third decimal is refused in the form, before anything is sent.
    await page.getByTestId('pay-inputs-add').click();
    await page.getByTestId('pay-input-amount').fill('1.234');
    await page.getByTestId('pay-input-submit').click();
    await page.getByText('最多两位小数').waitFor();
    await page.locator('.ant-modal .ant-modal-close').click();

    await add('e2e_traffic', '交通补贴', '1,234.5');
    const table = page.getByTestId('pay-inputs-table');
    const row = table.locator('tbody tr.ant-table-row').filter({ hasText: '交通补贴' });
    await row.waitFor();
    expect(await row.textContent()).toContain('1,234.50');
    const month = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
    });
    const stored = await page.evaluate(async (m) => {
      const res = await (await fetch(`/api/v1/pay-inputs?month=${m}`)).json();
      return res.items.find((i: { code: string }) => i.code === 'e2e_traffic');
    }, month);
    expect(stored).toMatchObject({ kind: 'allowance', name: '交通补贴', amountFen: 123_450 });

    // Edit the amount: 0.1 yuan is exactly 10 fen.
    await row.getByTestId(`pay-input-edit-${stored.id}`).click();
    await page.getByTestId('pay-input-amount').fill('0.1');
    await page.getByTestId('pay-input-submit').click();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('0.10');
    await page.screenshot({ path: screenshotPath('pay-inputs'), fullPage: true });

    await add('e2e_union', '工会会费', '20');
    const union = table.locator('tbody tr.ant-table-row').filter({ hasText: '工会会费' });
    await union.waitFor();
    await union.locator('[data-testid^="pay-input-delete-"]').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await union.waitFor({ state: 'detached' });
    expect(await table.locator('tbody tr.ant-table-row').filter({ hasText: '交通补贴' }).count()).toBe(1);

    // The list is paged on the server and searched by name there.
    const search = page.getByTestId('pay-inputs-search').locator('input');
    await search.fill('没有这个人');
    await search.press('Enter');
    await row.waitFor({ state: 'detached' });
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(0);
    await search.fill(stored.workerName);
    await search.press('Enter');
    await row.waitFor();
    expect(await page.locator('.ant-pagination-total-text').textContent()).toMatch(/共 \d+ 条/);

    // 期初累计 on the second tab.
    await page.getByRole('tab', { name: '期初累计' }).click();
    await page.getByTestId('openings-add').click();
    const openingModal = page.locator('.ant-modal').filter({ has: page.getByTestId('opening-worker') });
    await openingModal.waitFor();
    await openingModal.getByTestId('opening-worker').click();
    const workerOption = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await workerOption.waitFor();
    const workerLabel = (await workerOption.textContent()) ?? '';
    await workerOption.click();
    const year = new Date().getFullYear();
    await openingModal.getByTestId('opening-through').click();
    await openingModal.getByTestId('opening-through').fill(`${year}-01`);
    await openingModal.getByTestId('opening-through').press('Enter');
    await openingModal.getByTestId('opening-months').fill('1');
    await openingModal.getByTestId('opening-cumGross').fill('8,000.5');
    await openingModal.getByTestId('opening-cumInsurance').fill('999');
    await openingModal.getByTestId('opening-cumTax').fill('0.1');
    await page.getByTestId('opening-submit').click();
    await openingModal.waitFor({ state: 'hidden' });
    const openingRow = page.getByTestId('openings-table').locator('tbody tr.ant-table-row').first();
    await openingRow.waitFor();
    const text = (await openingRow.textContent()) ?? '';
    expect(text).toContain(workerLabel.replace(/（.*$/, ''));
    expect(text).toContain(`${year}-01`);
    expect(text).toContain('8,000.50');
    const opening = await page.evaluate(async (y) => (await (await fetch(`/api/v1/payroll/tax-openings?year=${y}`)).json()).items[0], year);
    expect(opening).toMatchObject({ taxMonths: 1, cumGrossFen: 800_050, cumInsuranceFen: 99_900, cumTaxFen: 10, cumSpecialFen: 0 });
    await page.screenshot({ path: screenshotPath('tax-openings'), fullPage: true });
    await page.context().close();
  });

  it('the region admin opens the floor report with the floor in force and its download', async () => {
    const page = await suite.openPage('region_admin');
    await page.getByTestId('menu-floor-report').click();
    await page.waitForURL(/\/floor-report/);
    const summary = page.getByTestId('floor-summary');
    await summary.waitFor();
    await expect.poll(async () => (await page.getByTestId('floor-floor').textContent()) ?? '', { timeout: 20_000 }).toContain('88,800.00');
    await page.getByTestId('floor-table').waitFor();
    await page.screenshot({ path: screenshotPath('floor-report'), fullPage: true });
    const href = await page.getByTestId('floor-export').getAttribute('href');
    expect(href).toContain('/api/v1/payroll/floor-report/export?orgCode=');
    const download = await page.evaluate(async (url) => {
      const res = await fetch(url!);
      return { status: res.status, type: res.headers.get('content-type') };
    }, href);
    expect(download).toEqual({ status: 200, type: expect.stringContaining('spreadsheetml') });
    await page.context().close();
  });
});
