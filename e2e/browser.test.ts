// Infrastructure check: the real Chromium starts with our flags and renders Chinese text (fonts-noto-cjk).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, screenshotPath } from './support/browser.ts';

describeBrowser('chromium', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders a page with Chinese text and takes a screenshot', async () => {
    const page = await browser!.newPage({ viewport: { width: 640, height: 200 } });
    await page.setContent('<meta charset="utf-8"><h1 id="t" style="font-size:40px">社区工作者队伍</h1>');
    expect(await page.textContent('#t')).toBe('社区工作者队伍');
    // Without a CJK font (Debian: fonts-noto-cjk) screenshots show boxes instead of characters.
    const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
    expect(fonts.stdout.trim(), 'no Chinese font installed (install fonts-noto-cjk)').not.toBe('');
    const file = screenshotPath('infra-chromium-cjk');
    await page.screenshot({ path: file });
    expect(existsSync(file) && statSync(file).size).toBeGreaterThan(1000);
    await page.close();
  });
});
