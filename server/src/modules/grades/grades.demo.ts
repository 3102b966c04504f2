import type { OpContext } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { findOrgInScope } from '../orgs/orgs.service.ts';
import * as repo from './grades.repo.ts';
import { approveGradeRun, createGradeRun, findGradeRuns } from './grades.service.ts';

/** The date demo workers are first graded: the national default scheme's first day. */
export const DEMO_GRADING_DATE = '2024-01-01';

/**
 * Demo grades for a seeded region: annual results for 2023–2025 (marked 演示数据), an initial
 * grading run as of {@link DEMO_GRADING_DATE}, previewed and approved like a street would, and a
 * second initial run as of 1 January of the current year for the workers who joined in between
 * (the first leaves them ungraded; the second leaves graded workers as they are). Workers who
 * joined this year stay ungraded (their run item says why). Idempotent: skipped when the region
 * already has an applied initial run.
 */
export async function seedDemoGrades(ctx: OpContext, orgCode: string): Promise<{ graded: number }> {
  const org = await findOrgInScope(ctx, orgCode);
  if (!org) return { graded: 0 };
  const done = await findGradeRuns(ctx, { orgCode, kind: 'initial', status: 'applied', page: 1, pageSize: 1 });
  if (done.total > 0) return { graded: 0 };
  await repo.insertDemoResultsUnscoped(ctx.deps.db.kysely, { code: org.code, level: org.level }, [2023, 2024, 2025], nowIso());
  let graded = 0;
  const newYear = `${nowIso().slice(0, 4)}-01-01`;
  for (const effectiveDate of newYear > DEMO_GRADING_DATE ? [DEMO_GRADING_DATE, newYear] : [DEMO_GRADING_DATE]) {
    const run = await createGradeRun(ctx, { orgCode, kind: 'initial', effectiveDate });
    await approveGradeRun(ctx, run.id);
    graded += run.counts.initial;
  }
  return { graded };
}
