import type { OpContext } from '../../context.ts';
import { computePayrollRun, createPayrollRun, findPayrollRuns } from './payroll.service.ts';
import type { TRun } from './payroll.schema.ts';

/**
 * `shegong payroll run`: reuses the org's unfinished run of the month (draft, failed or
 * interrupted, so a killed CLI resumes where it stopped) or creates one, then computes it and waits.
 */
export async function runPayrollFromCli(
  ctx: OpContext,
  options: { orgCode: string; month: string; onProgress?: ((done: number, total: number) => void) | undefined },
): Promise<TRun> {
  const existing = await findPayrollRuns(ctx, { orgCode: options.orgCode, month: options.month, page: 1, pageSize: 50 });
  const open = existing.items.find((r) => r.orgCode === options.orgCode && ['draft', 'failed', 'computing'].includes(r.status));
  const run = open ?? (await createPayrollRun(ctx, { orgCode: options.orgCode, month: options.month }));
  return computePayrollRun(ctx, run.id, { wait: true, onProgress: options.onProgress });
}
