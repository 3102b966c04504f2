import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { nowIso } from '../../lib/time.ts';
import { findOrgChildren, getOrg } from '../orgs/orgs.service.ts';
import * as repo from './dashboard.repo.ts';
import { ratioPer10k, standardHeadcount } from '../staffing/staffing-rules.ts';
import { resolveStandards } from '../staffing/staffing.service.ts';
import { AGE_BAND_STARTS, AGE_BANDS, yearsBefore } from './age-bands.ts';
import { POST_CATEGORIES, postCategoryOf } from '../meta/enums.ts';

const CHILD_CODE_LENGTH: Record<number, number> = { 0: 2, 1: 4, 2: 6, 3: 9, 4: 12 };

/**
 * Headcount against the staffing standard for one node of the caller's subtree, its structure
 * (status, post, post category, education, political status, qualification, age) and the same figures for each child node.
 */
export async function getDashboardSummary(ctx: OpContext, orgCode?: string) {
  const code = orgCode ?? ctx.actor?.orgCode;
  if (!code) throw new AppError('UNAUTHENTICATED');
  const org = await getOrg(ctx, code);
  const db = ctx.deps.db.kysely;
  const { scope } = ctx;
  const childLen = CHILD_CODE_LENGTH[org.level];

  const today = nowIso().slice(0, 10);
  const [byStatus, byPost, byEducation, byPoliticalStatus, byQualification, byAgeBand, children, perChild, popPerChild, ownPop] =
    await Promise.all([
      repo.countWorkersBy(db, scope, org.code, org.level, 'status'),
      repo.countWorkersBy(db, scope, org.code, org.level, 'post'),
      repo.countWorkersBy(db, scope, org.code, org.level, 'education'),
      repo.countWorkersBy(db, scope, org.code, org.level, 'political_status'),
      repo.countWorkersBy(db, scope, org.code, org.level, 'qualification_level', 'none'),
      repo.countWorkersByAgeBand(
        db,
        scope,
        org.code,
        org.level,
        AGE_BANDS.map((label) => {
          const start = AGE_BAND_STARTS[label];
          return { label, bornOnOrBefore: start === null ? null : yearsBefore(today, start) };
        }),
      ),
      childLen ? findOrgChildren(ctx, org.code, 1, 1000) : Promise.resolve({ items: [], total: 0 }),
      childLen ? repo.countWorkersPerChild(db, scope, org.code, org.level, childLen) : Promise.resolve(new Map<string, number>()),
      childLen
        ? repo.sumPopulationPerChild(db, org.code, org.level, childLen)
        : Promise.resolve(new Map<string, { population: number; households: number }>()),
      org.level === 5 ? Promise.resolve({ population: org.population ?? 0, households: org.households ?? 0 }) : null,
    ]);

  const standards = await resolveStandards(
    ctx,
    org.code,
    children.items.map((c) => c.code),
  );
  const per10k = standards.own.per10k;
  const headcount = byStatus.reduce((s, r) => s + r.count, 0);
  let population = ownPop?.population ?? 0;
  let households = ownPop?.households ?? 0;
  if (!ownPop) {
    for (const v of popPerChild.values()) {
      population += v.population;
      households += v.households;
    }
  }
  // Post category follows from the post: folded here instead of another grouped query.
  const categories = new Map<string, number>();
  for (const { code: post, count } of byPost) {
    const category = postCategoryOf(post);
    categories.set(category, (categories.get(category) ?? 0) + count);
  }
  const byPostCategory = POST_CATEGORIES.filter((c) => categories.has(c.code)).map((c) => ({
    code: c.code,
    count: categories.get(c.code) ?? 0,
  }));
  const bands = new Map<string, number>(AGE_BANDS.map((b) => [b, byAgeBand.get(b) ?? 0]));

  return {
    org,
    headcount,
    population,
    households,
    standardPer10k: per10k,
    standard: standards.own,
    standardHeadcount: standardHeadcount(population, per10k),
    ratioPer10k: ratioPer10k(headcount, population),
    byStatus,
    byPost,
    byPostCategory,
    byEducation,
    byPoliticalStatus,
    byQualification,
    byAgeBand: [...bands.entries()].map(([band, count]) => ({ band, count })),
    children: children.items.map((c) => {
      const p = popPerChild.get(c.code)?.population ?? c.population ?? 0;
      const h = perChild.get(c.code) ?? 0;
      const childPer10k = standards.children.get(c.code)?.per10k ?? per10k;
      return {
        code: c.code,
        name: c.name,
        headcount: h,
        population: p,
        standardPer10k: childPer10k,
        standardHeadcount: standardHeadcount(p, childPer10k),
        ratioPer10k: ratioPer10k(h, p),
      };
    }),
  };
}
