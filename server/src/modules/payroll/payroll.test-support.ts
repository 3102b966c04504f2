/** Test data shared by the payroll test files: a street and community of SMALL_TREE, grades, results, approved months. */
import { systemContext, type Deps } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { approvePayrollRun, computePayrollRun, createPayrollRun } from './payroll.service.ts';

export const STREET = '330106001';
export const COMMUNITY = '330106001001';

/** Gives a worker a current grade in the national 三岗十八级 scheme (the grades module's table, written directly). */
export async function gradeWorker(deps: Deps, workerId: number, band: string, level: number) {
  const scheme = await deps.db.kysely.selectFrom('grade_schemes').select('id').where('region_code', '=', 'CN').executeTakeFirstOrThrow();
  await deps.db.kysely
    .insertInto('worker_grades')
    .values({
      worker_id: workerId,
      org_code: COMMUNITY,
      scheme_id: Number(scheme.id),
      band,
      level,
      effective_date: '2026-01-01',
      last_step_date: '2026-01-01',
      early_steps_used: 0,
      source: 'manual',
      run_id: null,
      explanation: '{}',
      is_current: 1,
      created_by: null,
      created_at: nowIso(),
    } as never)
    .execute();
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
