/**
 * Payroll in the browser: the street office creates this month's run for its street, computes it
 * (the progress bar polls until 已计算), opens a slip with every line item; the region admin
 * approves the run (the one who computed may not) and marks it paid.
 */
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-Payroll-Pass-2026';

describeBrowser('payroll in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD, context: { viewport: { width: 1400, height: 900 }, locale: 'zh-CN' } });

  it('street HR computes a monthly run and opens a slip; the region admin approves and pays it', async () => {
    const street = await suite.openPage('street_hr');
    await street.getByTestId('menu-payroll').click();
    await street.waitForURL(/\/payroll/);
    await street.getByTestId('payroll-create').click();
    const drawer = street.getByTestId('payroll-run-drawer');
    await drawer.waitFor();
    await drawer.getByTestId('payroll-compute').click();
    await expect
      .poll(async () => (await drawer.getByTestId('payroll-run-status').textContent()) ?? '', { timeout: 60_000 })
      .toContain('已计算');
    expect(Number(await drawer.getByTestId('payroll-run-slip-count').textContent())).toBeGreaterThan(0);
    await street.screenshot({ path: screenshotPath('payroll-run'), fullPage: true });

    const firstSlip = street.getByTestId('payroll-slips-table').locator('tbody tr.ant-table-row button').first();
    await firstSlip.click();
    const slip = street.getByTestId('payslip-drawer');
    await slip.waitFor();
    const text = (await slip.textContent()) ?? '';
    for (const item of ['岗位工资', '薪级工资', '绩效工资', '个人缴纳养老保险', '个人所得税', '实发合计']) expect(text).toContain(item);
    await street.screenshot({ path: screenshotPath('payroll-slip'), fullPage: true });
    const runId = await street.evaluate(async () => {
      const runs = await (await fetch('/api/v1/payroll-runs')).json();
      return runs.items[0].id as number;
    });
    await street.context().close();

    const admin = await suite.openPage('region_admin');
    await admin.goto(`${suite.server.url}/payroll`);
    await admin.getByTestId(`payroll-run-view-${runId}`).click();
    const adminDrawer = admin.getByTestId('payroll-run-drawer');
    await adminDrawer.getByTestId('payroll-approve').click();
    await admin.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(async () => (await adminDrawer.getByTestId('payroll-run-status').textContent()) ?? '').toContain('已审批');
    await adminDrawer.getByTestId('payroll-paid').click();
    await admin.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(async () => (await adminDrawer.getByTestId('payroll-run-status').textContent()) ?? '').toContain('已发放');
    await admin.context().close();
  });

  it('the region admin saves a new pay table version in the form, with a field error first', async () => {
    const admin = await suite.openPage('region_admin');
    await admin.goto(`${suite.server.url}/payroll`);
    const card = admin.getByTestId('pay-settings-card');
    const rows = card.locator('tbody tr.ant-table-row');
    // The versions load after the card renders: count them once they are there.
    await expect.poll(async () => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const versionsBefore = await rows.count();
    await card.getByTestId('pay-settings-edit').click();
    const form = card.getByTestId('pay-table-form');
    await form.waitFor();
    await form.getByTestId('pay-table-probation').fill('80.123');
    await card.getByTestId('pay-settings-save').click();
    await expect.poll(async () => (await form.textContent()) ?? '').toContain('请输入百分比');
    await form.getByTestId('pay-table-probation').fill('80');
    await card.getByTestId('pay-settings-save').click();
    await expect.poll(async () => rows.count(), { timeout: 30_000 }).toBe(versionsBefore + 1);
    const saved = await admin.evaluate(async () => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      const code = me.user.orgCode;
      const settings = await (await fetch(`/api/v1/payroll/settings?regionCode=${code}`)).json();
      return settings.payTables.map((v: { rules: { probationPayPermille?: number } }) => v.rules.probationPayPermille);
    });
    expect(saved).toContain(800);
    await admin.context().close();
  });
});
