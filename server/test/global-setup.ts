/**
 * Vitest globalSetup for the server suite: makes a PostgreSQL server available to integration tests.
 *
 * - `DATABASE_URL` set → used as the admin URL (it must be allowed to CREATE DATABASE).
 * - else PostgreSQL installed → a throwaway cluster is started for this run and stopped afterwards.
 * - else → a loud `SKIPPED:` line, and the PostgreSQL variants of the tests skip;
 *   with `SHEGONG_REQUIRE_ALL=1` the run fails instead.
 *
 * Tests read the URL with `inject('pgAdminUrl')` (see test/databases.ts).
 */
import type { TestProject } from 'vitest/node';
import { findPgBin, startThrowawayCluster } from './pg-cluster.ts';
import { reportSkipped, requireAll } from './skip-log.ts';

export const PG_SKIP_LINE = 'SKIPPED: PostgreSQL integration tests — no initdb found (install the postgresql package)';

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.DATABASE_URL;
  if (given) {
    console.log(`PostgreSQL integration tests: using DATABASE_URL ${redact(given)}`);
    project.provide('pgAdminUrl', given);
    return undefined;
  }

  if (!findPgBin()) {
    reportSkipped(PG_SKIP_LINE);
    if (requireAll()) {
      throw new Error(`${PG_SKIP_LINE}\nSHEGONG_REQUIRE_ALL=1: PostgreSQL tests must run, failing.`);
    }
    project.provide('pgAdminUrl', null);
    return undefined;
  }

  const started = Date.now();
  const cluster = await startThrowawayCluster();
  console.log(`PostgreSQL integration tests: throwaway cluster at ${cluster.url} (${Date.now() - started} ms)`);
  project.provide('pgAdminUrl', cluster.url);
  return async () => {
    await cluster.stop();
  };
}
