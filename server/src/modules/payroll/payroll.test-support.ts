/** Test data shared by the payroll test files: a street and community of SMALL_TREE, grades, results, approved months. */
import { afterEach, beforeEach } from 'vitest';
import { systemContext, type Deps } from '../../context.ts';
import { waitForJobs } from '../../lib/jobs.ts';
import { nowIso } from '../../lib/time.ts';
import type { TestDbKind } from '../../../test/databases.ts';
import {
  createTestEnv,
  createTestGrade,
  createTestUser,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  type TestEnv,
} from '../../../test/factories.ts';
import { ensureDemoPayrollRules } from './payroll.settings.ts';
import { approvePayrollRun, computePayrollRun, createPayrollRun } from './payroll.service.ts';

export const STREET = '330106001';
export const COMMUNITY = '330106001001';

/** A current 三岗十八级 grade in the test community (see `createTestGrade`). */
export function gradeWorker(deps: Deps, workerId: number, band: string, level: number) {
  return createTestGrade(deps, workerId, { band, level, orgCode: COMMUNITY });
}

export async function recordResult(deps: Deps, workerId: number, year: number, result: string) {
  const now = nowIso();
  await deps.db.kysely
    .insertInto('assessment_results')
    .values({
      worker_id: workerId,
      org_code: COMMUNITY,
      year,
      result,
      source: 'manual',
      cycle_id: null,
      note: null,
      recorded_by: null,
      created_at: now,
      updated_at: now,
    } as never)
    .execute();
}

/** An approved run of the street for `month` (the system computes, so anyone may approve). */
export async function approveMonth(deps: Deps, month: string) {
  const sys = systemContext(deps, 'test');
  const run = await createPayrollRun(sys, { orgCode: STREET, month });
  await computePayrollRun(sys, run.id, { wait: true });
  await approvePayrollRun(sys, run.id);
}

/**
 * The payroll test files' set-up: per test a fresh database with SMALL_TREE and 杭州's demo pay rules
 * (and, with `streetHr`, a signed-in street HR of STREET), closed after the test once its jobs ended.
 * Read the fields inside tests and hooks registered after this call.
 */
export function usePayrollTestEnv(kind: TestDbKind, options: { streetHr?: boolean } = {}): { env: TestEnv; hr: string } {
  const current = { env: undefined as unknown as TestEnv, hr: '' };
  beforeEach(async () => {
    current.env = await createTestEnv(kind);
    await seedOrgs(current.env.deps, SMALL_TREE);
    await ensureDemoPayrollRules(systemContext(current.env.deps, 'test'), '3301');
    if (options.streetHr)
      current.hr = await loginCookie(current.env.app, (await createTestUser(current.env.deps, 'street_hr', STREET)).username);
  });
  afterEach(async () => {
    await waitForJobs();
    await current.env?.close();
  });
  return current;
}

/** A CSV upload body in UTF-8. */
export function csvBody(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
