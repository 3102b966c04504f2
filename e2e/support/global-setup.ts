/** Vitest globalSetup for the browser suite: say loudly when Chromium is missing (fail in CI). */
import { CHROMIUM_PATH, CHROMIUM_SKIP_LINE, HAS_CHROMIUM } from './browser.ts';
import { reportSkipped, requireAll } from '../../server/test/skip-log.ts';

export default function setup(): void {
  if (HAS_CHROMIUM) {
    console.log(`Browser tests: Chromium at ${CHROMIUM_PATH}`);
    return;
  }
  reportSkipped(CHROMIUM_SKIP_LINE);
  if (requireAll()) {
    throw new Error(`${CHROMIUM_SKIP_LINE}\nSHEGONG_REQUIRE_ALL=1: browser tests must run, failing.`);
  }
}
