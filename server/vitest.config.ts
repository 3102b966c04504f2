import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Starts a throwaway PostgreSQL cluster (or uses DATABASE_URL) and provides 'pgAdminUrl'.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 60_000,
    // Native modules (better-sqlite3, argon2) are happiest in child processes; 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
  },
});
