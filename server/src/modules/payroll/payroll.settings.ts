/**
 * Pay settings as versioned rule data per region: pay tables (per grade scheme), 五险一金 rules
 * and the wage floor (local average annual wage of urban employees by statistical year). A run
 * uses, per worker, the latest version effective on the 1st of its month of the most specific
 * region on the path from the worker's org to the nation (`CN`).
 */
import type { ZodError } from 'zod';
import type { OpContext } from '../../context.ts';
import { AppError, isUniqueViolation, type FieldIssue } from '../../lib/errors.ts';
import { isCodeInScope, isCodeUnder, NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME } from '../grades/rules/grade-scheme.ts';
import { DEMO_INSURANCE_RULE_HANGZHOU, ZInsuranceRule } from './rules/insurance.ts';
import { yuan } from './rules/money.ts';
import { DEMO_PAY_TABLE_THREE_POSTS, payTableGaps, ZPayTable } from './rules/pay-table.ts';
import * as repo from './payroll.repo.ts';
import type { TPaySettings } from './payroll.schema.ts';
import { regionPath } from './payroll.service.ts';

/** The demo rules' first effective date, so demo runs work from January 2025. */
const DEMO_EFFECTIVE_FROM = '2025-01-01';
/** DEMO wage floor: 7,400 yuan a month × 12, the same illustrative figure as the demo insurance rule. */
const DEMO_AVERAGE_ANNUAL_WAGE_FEN = yuan(7_400 * 12);

function zodIssues(err: ZodError, prefix: string): FieldIssue[] {
  return err.issues.map((i) => {
    const field = [prefix, ...i.path.map(String)].join('.');
    return { field, message: `${field}：${i.message}` };
  });
}

function invalid(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', { message: issues[0]?.message ?? '输入有误', details: { issues } });
}

function assertRegionWritable(ctx: OpContext, regionCode: string) {
  if (regionCode === NATION_CODE ? ctx.scope.level !== 0 : !isCodeInScope(regionCode, ctx.scope)) {
    throw new AppError('FORBIDDEN', {
      message: '只能设置本管辖范围内地区的薪酬规则',
      messageEn: 'You may only set rules of your own region',
    });
  }
}

/**
 * Inserts the DEMO pay table (三岗十八级), 五险一金 rule (杭州 values) and wage floor for a region,
 * each flagged `is_demo`, unless the region already has them. Used by the demo seed and tests;
 * never by a real deployment's start-up.
 */
export async function ensureDemoPayrollRules(ctx: OpContext, regionCode: string): Promise<void> {
  const db = ctx.deps.db.kysely;
  const now = nowIso();
  const table = { ...DEMO_PAY_TABLE_THREE_POSTS, regionCode };
  const insurance = { ...DEMO_INSURANCE_RULE_HANGZHOU, regionCode, key: `demo_${regionCode}` };
  await db
    .insertInto('pay_tables')
    .values({
      region_code: regionCode,
      scheme_key: table.schemeKey,
      effective_from: DEMO_EFFECTIVE_FROM,
      rules: JSON.stringify(table),
      is_demo: 1,
      created_by: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['region_code', 'scheme_key', 'effective_from']).doNothing())
    .execute();
  await db
    .insertInto('insurance_rules')
    .values({
      region_code: regionCode,
      effective_from: DEMO_EFFECTIVE_FROM,
      rules: JSON.stringify(insurance),
      is_demo: 1,
      created_by: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['region_code', 'effective_from']).doNothing())
    .execute();
  for (const year of [2024, 2025]) {
    await db
      .insertInto('wage_floors')
      .values({
        region_code: regionCode,
        year,
        average_annual_wage_fen: DEMO_AVERAGE_ANNUAL_WAGE_FEN,
        is_demo: 1,
        source: '演示数据（示意值）',
        created_by: null,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['region_code', 'year']).doNothing())
      .execute();
  }
}

/** Every rule version that applies in a region (its own and those of its ancestors and the nation). */
export async function getPaySettings(ctx: OpContext, regionCode: string): Promise<TPaySettings> {
  // Settings of an ancestor apply to the caller's scope, so they may be read; a region outside is not found.
  const isVisible = isCodeInScope(regionCode, ctx.scope) || regionCode === NATION_CODE || isCodeUnder(ctx.scope.orgCode, regionCode);
  if (!isVisible) throw AppError.notFound();
  const { payTables, insuranceRules, wageFloors } = await repo.findRuleVersionsForRegionUnscoped(
    ctx.deps.db.kysely,
    regionPath(regionCode),
  );
  const version = (r: { id: number; region_code: string; effective_from: string; is_demo: number; rules: string; created_at: string }) => {
    const rules = JSON.parse(r.rules) as { key?: string };
    return {
      id: Number(r.id),
      regionCode: r.region_code,
      key: rules.key ?? null,
      effectiveFrom: r.effective_from,
      isDemo: Number(r.is_demo) === 1,
      rules,
      createdAt: r.created_at,
    };
  };
  // The most specific region first, then the newest version.
  const order = (a: { region_code: string; effective_from: string }, b: { region_code: string; effective_from: string }) =>
    b.region_code.length - a.region_code.length || b.effective_from.localeCompare(a.effective_from);
  payTables.sort(order);
  insuranceRules.sort(order);
  return {
    regionCode,
    payTables: payTables.map(version),
    insuranceRules: insuranceRules.map(version),
    wageFloors: wageFloors.map((f) => ({
      regionCode: f.region_code,
      year: Number(f.year),
      averageAnnualWageFen: Number(f.average_annual_wage_fen),
      isDemo: Number(f.is_demo) === 1,
      source: f.source,
    })),
  };
}

const KNOWN_SCHEMES = [DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME];

/** Saves a new pay table version; the JSON is validated (ZPayTable) and checked against its grade scheme. */
export async function savePayTable(ctx: OpContext, input: { regionCode: string; effectiveFrom: string; rules: unknown }) {
  assertRegionWritable(ctx, input.regionCode);
  const parsed = ZPayTable.safeParse(input.rules);
  if (!parsed.success) throw invalid(zodIssues(parsed.error, 'rules'));
  const table = { ...parsed.data, regionCode: input.regionCode };
  const scheme = KNOWN_SCHEMES.find((s) => s.key === table.schemeKey);
  if (scheme) {
    const gaps = payTableGaps(table, scheme);
    if (gaps.length > 0) throw invalid(gaps.map((g) => ({ field: 'rules', message: `rules：${g}` })));
  }
  return insertVersion(ctx, 'pay_table', input.regionCode, async (trx, now) => {
    const r = await trx
      .insertInto('pay_tables')
      .values({
        region_code: input.regionCode,
        scheme_key: table.schemeKey,
        effective_from: input.effectiveFrom,
        rules: JSON.stringify(table),
        is_demo: table.isDemo ? 1 : 0,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      id: Number(r.id),
      after: { key: table.key, schemeKey: table.schemeKey, effectiveFrom: input.effectiveFrom, isDemo: table.isDemo },
    };
  });
}

/** Saves a new 五险一金 rule version (validated by ZInsuranceRule: fund rates 5–12%, base limits). */
export async function saveInsuranceRule(ctx: OpContext, input: { regionCode: string; effectiveFrom: string; rules: unknown }) {
  assertRegionWritable(ctx, input.regionCode);
  const parsed = ZInsuranceRule.safeParse(input.rules);
  if (!parsed.success) throw invalid(zodIssues(parsed.error, 'rules'));
  const rule = { ...parsed.data, regionCode: input.regionCode };
  return insertVersion(ctx, 'insurance_rule', input.regionCode, async (trx, now) => {
    const r = await trx
      .insertInto('insurance_rules')
      .values({
        region_code: input.regionCode,
        effective_from: input.effectiveFrom,
        rules: JSON.stringify(rule),
        is_demo: rule.isDemo ? 1 : 0,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(r.id), after: { key: rule.key, effectiveFrom: input.effectiveFrom, isDemo: rule.isDemo } };
  });
}

/** Records a region's average annual wage of urban employees for a statistical year (the next year's pay floor). */
export async function saveWageFloor(
  ctx: OpContext,
  input: { regionCode: string; year: number; averageAnnualWageFen: number; source?: string | undefined },
) {
  assertRegionWritable(ctx, input.regionCode);
  return insertVersion(ctx, 'wage_floor', input.regionCode, async (trx, now) => {
    const r = await trx
      .insertInto('wage_floors')
      .values({
        region_code: input.regionCode,
        year: input.year,
        average_annual_wage_fen: input.averageAnnualWageFen,
        is_demo: 0,
        source: input.source ?? null,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(r.id), after: input };
  });
}

async function insertVersion(
  ctx: OpContext,
  kind: string,
  regionCode: string,
  insert: (trx: import('../../context.ts').Tx, now: string) => Promise<{ id: number; after: unknown }>,
) {
  const now = nowIso();
  try {
    await ctx.deps.db.kysely.transaction().execute(async (trx) => {
      const { id, after } = await insert(trx, now);
      await appendAudit(trx, ctx, {
        action: `payroll.${kind}.create`,
        entityType: kind,
        entityId: id,
        orgCode: regionCode === NATION_CODE ? null : regionCode,
        after,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('CONFLICT', {
        message: '该地区同一生效日期（年度）已有版本；请使用新的生效日期',
        messageEn: 'A version with that date already exists',
      });
    }
    throw err;
  }
  return getPaySettings(ctx, regionCode);
}
