/**
 * Self-service corrections in the browser: demo_worker opens 我的档案, asks to correct the phone
 * number; demo_street finds the request in 更正申请 and approves it; the record and its change
 * history show the new (masked) number, and the worker sees the request approved.
 */
import { expect, it } from 'vitest';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-Corrections-Pass-2026';
const NEW_PHONE = '13912345678';
const NEW_PHONE_MASKED = '139****5678';

describeBrowser('correction requests in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD });

  it('a worker requests a phone correction and the street officer approves it', async () => {
    const worker = await suite.openPage('worker');
    await worker.goto(`${suite.server.url}/`);
    await worker.getByRole('button', { name: '查看我的档案' }).click();
    await worker.waitForURL(/\/workers\/\d+/);
    const id = /\/workers\/(\d+)/.exec(worker.url())![1]!;

    await worker.getByTestId('correction-request').click();
    const form = worker.getByTestId('correction-form');
    await form.waitFor();
    // Choose 联系电话 until its input shows: on a loaded machine a click on the opening dropdown
    // has been lost (the select stayed empty).
    const phoneInput = worker.getByTestId('correction-value-phone');
    for (let attempt = 1; !(await phoneInput.isVisible()); attempt++) {
      if (attempt > 3) throw new Error('联系电话 could not be chosen in 更正项目');
      await worker.getByTestId('correction-fields').click();
      await worker.locator('.ant-select-item-option').filter({ hasText: '联系电话' }).click();
      await worker.keyboard.press('Escape');
      await phoneInput.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await phoneInput.fill(NEW_PHONE);
    await worker.getByTestId('correction-reason').fill('手机号已更换');
    await worker.screenshot({ path: screenshotPath('correction-request'), fullPage: true });
    await worker.getByTestId('correction-submit').click();
    await form.waitFor({ state: 'detached' });
    const mine = worker.getByTestId('corrections-table');
    await expect.poll(async () => (await mine.textContent()) ?? '').toContain('待审核');
    expect(await mine.textContent()).toContain(NEW_PHONE_MASKED);

    const street = await suite.openPage('street_hr');
    await street.getByTestId('menu-corrections').click();
    await street.waitForURL(/\/corrections/);
    const queue = street.getByTestId('corrections-table');
    const row = queue.locator('tbody tr.ant-table-row').filter({ hasText: NEW_PHONE_MASKED });
    await row.waitFor();
    expect(await row.textContent()).toContain('手机号已更换');
    await street.screenshot({ path: screenshotPath('corrections-queue'), fullPage: true });
    await row.getByTestId('correction-approve').click();
    await street.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    await row.waitFor({ state: 'detached' });

    const record = await street.evaluate(async (wid) => (await fetch(`/api/v1/workers/${wid}`)).json(), id);
    expect(record.phoneMasked).toBe(NEW_PHONE_MASKED);
    await street.goto(`${suite.server.url}/workers/${id}`);
    await street.getByTestId('worker-history-tab').click();
    const history = street.getByTestId('worker-history');
    await expect.poll(async () => (await history.textContent()) ?? '').toContain(NEW_PHONE_MASKED);

    await worker.reload();
    await worker.getByTestId('worker-corrections-tab').click();
    await expect.poll(async () => (await worker.getByTestId('corrections-table').textContent()) ?? '').toContain('已通过');
    await worker.context().close();
    await street.context().close();
  });
});
