import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // Reports a missing /usr/bin/chromium loudly (and fails under SHEGONG_REQUIRE_ALL=1).
    globalSetup: ['support/global-setup.ts'],
    // Each file starts its own server (first start migrates and seeds) and browser.
    // Two files run at once, each with a server and a Chromium; on a loaded CI machine a long test has
    // taken three times its quiet duration, so the limit is generous (a hang still ends the test).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
