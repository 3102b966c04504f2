import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { ageOn } from '../../lib/time.ts';
import { findOrgChildren, getOrg } from '../orgs/orgs.service.ts';
import * as repo from './dashboard.repo.ts';
import { AGE_BANDS, ageBandOf, DEFAULT_STAFFING_PER_10K, ratioPer10k, standardHeadcount } from './staffing-standard.ts';

const CHILD_CODE_LENGTH: Record<number, number> = { 0: 2, 1: 4, 2: 6, 3: 9, 4: 12 };

/**
 * Headcount against the staffing standard for one node of the caller's subtree, its structure
 * (status, post, education, age) and the same figures for each child node.
 */
export async function getDashboardSummary(ctx: OpContext, orgCode?: string) {
  const code = orgCode ?? ctx.actor?.orgCode;
  if (!code) throw new AppError('UNAUTHENTICATED');
  const org = await getOrg(ctx, code);
  const db = ctx.deps.db.kysely;
  const { scope } = ctx;
  const childLen = CHILD_CODE_LENGTH[org.level];
  const per10k = DEFAULT_STAFFING_PER_10K;

  const [byStatus, byPost, byEducation, byYear, children, perChild, popPerChild, ownPop] = await Promise.all([
    repo.countWorkersBy(db, scope, org.code, org.level, 'status'),
    repo.countWorkersBy(db, scope, org.code, org.level, 'post'),
    repo.countWorkersBy(db, scope, org.code, org.level, 'education'),
    repo.countWorkersByBirthYear(db, scope, org.code, org.level),
    childLen ? findOrgChildren(ctx, org.code, 1, 1000) : Promise.resolve({ items: [], total: 0 }),
    childLen ? repo.countWorkersPerChild(db, scope, org.code, org.level, childLen) : Promise.resolve(new Map<string, number>()),
    childLen
      ? repo.sumPopulationPerChild(db, org.code, org.level, childLen)
      : Promise.resolve(new Map<string, { population: number; households: number }>()),
    org.level === 5 ? Promise.resolve({ population: org.population ?? 0, households: org.households ?? 0 }) : null,
  ]);

  const headcount = byStatus.reduce((s, r) => s + r.count, 0);
  let population = ownPop?.population ?? 0;
  let households = ownPop?.households ?? 0;
  if (!ownPop) {
    for (const v of popPerChild.values()) {
      population += v.population;
      households += v.households;
    }
  }
  const now = new Date();
  const bands = new Map<string, number>(AGE_BANDS.map((b) => [b, 0]));
  for (const { year, count } of byYear) {
    // Mid-year approximation per birth year keeps this one grouped query.
    const band = ageBandOf(ageOn(`${year}-07-01`, now));
    bands.set(band, (bands.get(band) ?? 0) + count);
  }

  return {
    org,
    headcount,
    population,
    households,
    standardPer10k: per10k,
    standardHeadcount: standardHeadcount(population, per10k),
    ratioPer10k: ratioPer10k(headcount, population),
    byStatus,
    byPost,
    byEducation,
    byAgeBand: [...bands.entries()].map(([band, count]) => ({ band, count })),
    children: children.items.map((c) => {
      const p = popPerChild.get(c.code)?.population ?? c.population ?? 0;
      const h = perChild.get(c.code) ?? 0;
      return {
        code: c.code,
        name: c.name,
        headcount: h,
        population: p,
        standardHeadcount: standardHeadcount(p, per10k),
        ratioPer10k: ratioPer10k(h, p),
      };
    }),
  };
}
