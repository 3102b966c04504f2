/**
 * The real Chromium (/usr/bin/chromium, Debian package `chromium`) driven by playwright-core.
 *
 *   describeBrowser('login', () => {
 *     let browser: Browser;
 *     beforeAll(async () => { browser = await launchBrowser(); });
 *     afterAll(async () => { await browser?.close(); });
 *     ...
 *   });
 *
 * When Chromium is absent, `describeBrowser` blocks are skipped (the global setup prints the loud
 * `SKIPPED:` line, and fails the run when SHEGONG_REQUIRE_ALL=1).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const CHROMIUM_SKIP_LINE = `SKIPPED: browser tests — ${CHROMIUM_PATH} not found (install the chromium package)`;

/** `describe` when Chromium is installed, `describe.skip` otherwise. */
export const describeBrowser = describe.skipIf(!HAS_CHROMIUM);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!HAS_CHROMIUM) throw new Error(CHROMIUM_SKIP_LINE);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** The repository root (screenshots go to <root>/test-output/, which is gitignored). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const TEST_OUTPUT_DIR = path.join(REPO_ROOT, 'test-output');

/** `<repo>/test-output/<name>.png` (the folder is created); pass to `page.screenshot({ path })`. */
export function screenshotPath(name: string): string {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  const file = name.replace(/[^\w.\-\u4e00-\u9fff]+/g, '_');
  return path.join(TEST_OUTPUT_DIR, file.endsWith('.png') ? file : `${file}.png`);
}
