import type { OpContext } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { approvePayrollRun, computePayrollRun, createPayrollRun, findPayrollRuns, markPayrollRunPaid } from './payroll.service.ts';

/** `YYYY-MM` of the calendar month before `month`. */
export function previousMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * A month of demo pay for the demo street: last month's run, created, computed, approved and
 * marked paid as the street office and the region would, so that the payroll pages, the slips,
 * the exports and the demo worker's self-service have something to show, and this month's run
 * starts from a year-to-date tax state. Pay comes from the demo pay table (marked 演示数据); a
 * worker the demo could not grade gets the run's per-worker reason instead of a slip.
 * Idempotent: skipped when the street already has a run for that month.
 */
export async function seedDemoPayroll(
  ctx: OpContext,
  options: { orgCode: string; month?: string },
): Promise<{ month: string; runId: number | null; slips: number }> {
  const streetCode = options.orgCode;
  const month = options.month ?? previousMonth(nowIso().slice(0, 7));
  const existing = await findPayrollRuns(ctx, { orgCode: streetCode, month, page: 1, pageSize: 1 });
  if (existing.total > 0) return { month, runId: null, slips: 0 };
  const created = await createPayrollRun(ctx, { orgCode: streetCode, month });
  const computed = await computePayrollRun(ctx, created.id, { wait: true });
  if (computed.status !== 'computed' || computed.slipCount === 0) return { month, runId: created.id, slips: 0 };
  await approvePayrollRun(ctx, created.id);
  await markPayrollRunPaid(ctx, created.id);
  return { month, runId: created.id, slips: computed.slipCount };
}
