/**
 * Grading in the browser: demo_street opens 等级评定, previews the annual promotion run for its
 * street, filters the preview to early steps, reads the explanation, approves the run; a worker
 * who stepped shows the new grade and its explanation on the 等级 tab of their record. The street
 * then adjusts that worker's grade by hand (手动调整) with a reason, and checks an assessment
 * results file whose rows have errors (导入考核结果): every row error is listed, nothing written.
 */
import { expect, it } from 'vitest';
import { buildIdNumber } from '../server/src/lib/id-card.ts';
import { describeBrowser, screenshotPath } from './support/browser.ts';
import { useBrowserSuite } from './support/suite.ts';

const NEW_PASSWORD = 'E2e-Grades-Pass-2026';

describeBrowser('grading in the browser', () => {
  const suite = useBrowserSuite({ newPassword: NEW_PASSWORD, context: { viewport: { width: 1400, height: 900 }, locale: 'zh-CN' } });

  it('the street office previews a promotion run, approves it, adjusts a grade by hand and checks a results file', async () => {
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

    // 手动调整: another level in the same band, with a reason; the history shows it with the reason.
    await tab.getByTestId('grade-manual-open').click();
    const form = street.getByTestId('grade-manual-form');
    await form.waitFor();
    const level = form.locator('input#level');
    const was = Number(await level.inputValue());
    await level.fill(String(was > 1 ? was - 1 : was + 1));
    await form.locator('textarea#reason').fill('街道党工委研究决定（浏览器测试）');
    await street.getByTestId('grade-manual-save').click();
    await expect.poll(async () => (await tab.textContent()) ?? '').toContain('街道党工委研究决定（浏览器测试）');
    expect(await tab.textContent()).toContain('手工设定');

    // 导入考核结果: a file with bad rows is checked; every row error is listed and nothing can be imported.
    await street.getByTestId('menu-grades').click();
    await street.waitForURL(/\/grades/);
    await street.getByTestId('assessment-import-open').click();
    const modal = street.getByTestId('assessment-import-modal');
    await modal.waitFor();
    const unknown = buildIdNumber('330106', '1991-02-03', 987, 'M');
    const csv = ['姓名,身份证号,年度,考核结果', `无此人,${unknown},2025,优秀`, '格式错,12345,20x5,很好', ''].join('\r\n');
    await modal.locator('input[type=file]').setInputFiles({ name: '考核结果.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await street.getByTestId('assessment-import-check').click();
    const errors = street.getByTestId('assessment-import-errors');
    await expect.poll(async () => (await errors.textContent().catch(() => '')) ?? '', { timeout: 15_000 }).toContain('未找到该身份证号');
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('很好');
    expect(text).toContain('年度');
    expect(await street.getByTestId('assessment-import-commit').isDisabled()).toBe(true);
    await street.screenshot({ path: screenshotPath('grades-import-errors'), fullPage: true });
    await street.context().close();
  });
});
