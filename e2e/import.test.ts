/**
 * The worker import in the browser, the way a street office uses it: upload a roster with a bad ID
 * number, read the row-level error, download the copy with the bad cell marked, fix the file,
 * upload it again and commit; the new people are then on the roll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { excel } from '../server/src/lib/excel/exceljs.ts';
import { buildIdNumber } from '../server/src/lib/id-card.ts';
import { readCredentials, signInAndChangePassword, type Cred } from './support/accounts.ts';
import { describeBrowser, launchBrowser, screenshotPath } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

const NEW_PASSWORD = 'E2e-Import-Pass-2026';

async function writeRoster(file: string, rows: (string | null)[][]) {
  const wb = new excel.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['北山街道社区工作者花名册']);
  ws.mergeCells(1, 1, 1, 5);
  ws.addRow(['序号', '姓名', '公民身份号码', '职务', '参加工作时间']);
  rows.forEach((r, i) => ws.addRow([String(i + 1), ...r]));
  ws.getColumn(3).numFmt = '@';
  await wb.xlsx.writeFile(file);
}

describeBrowser('worker import in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let creds: Cred[];
  let dir: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    creds = readCredentials(server.credentialsFile);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-e2e-import-'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('street HR imports a roster with an error, downloads the marked copy, fixes it and commits', async () => {
    const cred = creds.find((c) => c.role === 'street_hr')!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    await signInAndChangePassword(page, server.url, cred, NEW_PASSWORD);

    const good = buildIdNumber('110101', '1993-02-14', 517, 'F');
    const fixedId = buildIdNumber('110101', '1994-08-21', 519, 'M');
    const badId = `${fixedId.slice(0, 17)}${fixedId.at(-1) === '1' ? '2' : '1'}`;
    const file = path.join(dir, '花名册.xlsx');
    await writeRoster(file, [
      ['导入甲', good, '网格员', '2021/3/1'],
      ['导入乙', badId, '专职社区工作者', '2022年9月1日'],
    ]);

    await page.goto(`${server.url}/workers`);
    await page.getByTestId('workers-import').click();
    await page.waitForURL(/\/workers\/import/);
    const template = await page.evaluate(async () => (await fetch('/api/v1/workers/import/template')).status);
    expect(template).toBe(200);

    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-job').waitFor();
    await expect.poll(async () => (await page.getByTestId('import-error-rows').textContent()) ?? '', { timeout: 20_000 }).toContain('1');
    const errors = page.getByTestId('import-errors');
    await expect.poll(async () => (await errors.textContent()) ?? '').toContain('校验位错误');
    expect(await errors.textContent()).toContain('第4行');
    await page.screenshot({ path: screenshotPath('import-errors'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-marked').click()]);
    const marked = path.join(dir, 'marked.xlsx');
    await download.saveAs(marked);
    const wb = new excel.Workbook();
    await wb.xlsx.readFile(marked);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(2).getCell(6).value).toBe('错误说明');
    expect(String(sheet.getRow(4).getCell(6).value)).toContain('身份证号：校验位错误');
    expect(sheet.getRow(4).getCell(3).note).toBeTruthy();

    // The clerk corrects the ID number in the file and uploads it again.
    await writeRoster(file, [
      ['导入甲', good, '网格员', '2021/3/1'],
      ['导入乙', fixedId, '专职社区工作者', '2022年9月1日'],
    ]);
    await page.getByTestId('import-restart').click();
    await page.locator('input[type=file]').setInputFiles(file);
    const commit = page.getByTestId('import-commit');
    await commit.waitFor({ timeout: 20_000 });
    await expect.poll(async () => commit.isEnabled()).toBe(true);
    expect(await commit.textContent()).toContain('2');
    await commit.click();
    await page.getByTestId('import-done').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('import-done'), fullPage: true });

    const found = await page.evaluate(async (q) => (await fetch(`/api/v1/workers?q=${encodeURIComponent(q)}`)).json(), '导入乙');
    expect(found.total).toBe(1);
    expect(found.items[0].idNumberMasked).toBe(`${fixedId.slice(0, 3)}***********${fixedId.slice(-4)}`);
    await context.close();
  });
});
