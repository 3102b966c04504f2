/** Test data shared by the payroll test files: a street and community of SMALL_TREE, grades, results, approved months. */
import { systemContext, type Deps } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { createTestGrade } from '../../../test/factories.ts';
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
