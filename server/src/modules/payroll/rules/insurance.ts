import { z } from 'zod';
import { INSURANCE_KINDS, INSURANCE_KIND_CODES, type InsuranceKind } from '../../contracts/contract-rules.ts';
import { FEN_HALF_UP, ZFen, ZRounding, mulRate, sumFen, yuan, type Fen, type Rounding } from './money.ts';

/** Contribution rates in basis points (800 bp = 8%). */
export const ZContributionRate = z.object({
  employeeBp: z.int().min(0).max(3_000),
  employerBp: z.int().min(0).max(3_000),
});

/** Housing provident fund rates must each lie in 5%–12% (《住房公积金管理条例》 and 建金〔2005〕5号). */
export const HOUSING_FUND_RATE_RANGE_BP = { min: 500, max: 1_200 } as const;

/**
 * Social insurance and housing fund (五险一金) of one region and year, JSON-storable.
 * `averageWageMonthlyFen` is the local average wage of urban employees as a MONTHLY figure in
 * fen (the published annual figure ÷ 12, as regions publish the base limits); the contribution
 * base is clamped to `baseFloorBp`–`baseCapBp` of it (default 60%–300%).
 */
export const ZInsuranceRule = z
  .object({
    key: z.string().min(1),
    nameZh: z.string().min(1),
    regionCode: z.string().default(''),
    year: z.int().min(2000).max(2100),
    isDemo: z.boolean(),
    source: z.string().default(''),
    averageWageMonthlyFen: ZFen.min(1),
    baseFloorBp: z.int().min(0).max(10_000).default(6_000),
    baseCapBp: z.int().min(10_000).max(100_000).default(30_000),
    /** The housing fund's own base limits where they differ (a floor at the minimum wage, say); else the social insurance limits. */
    housingFundBase: z.object({ floorFen: ZFen, capFen: ZFen }).optional(),
    rates: z.record(z.enum(INSURANCE_KIND_CODES), ZContributionRate),
    /** Rounding of the base limits (floor and cap). */
    baseRounding: ZRounding.default(FEN_HALF_UP),
    /** Rounding of each contribution line. */
    contributionRounding: ZRounding.default(FEN_HALF_UP),
    /** Per-kind overrides of `contributionRounding` (many funds round to the yuan). */
    contributionRoundingByKind: z.partialRecord(z.enum(INSURANCE_KIND_CODES), ZRounding).default({}),
  })
  .superRefine((rule, ctx) => {
    const fund = rule.rates.housing_fund;
    for (const side of ['employeeBp', 'employerBp'] as const) {
      if (fund[side] < HOUSING_FUND_RATE_RANGE_BP.min || fund[side] > HOUSING_FUND_RATE_RANGE_BP.max) {
        ctx.addIssue({ code: 'custom', path: ['rates', 'housing_fund', side], message: '住房公积金缴存比例须在5%–12%之间' });
      }
    }
    if (rule.housingFundBase && rule.housingFundBase.floorFen > rule.housingFundBase.capFen) {
      ctx.addIssue({ code: 'custom', path: ['housingFundBase'], message: '公积金缴存基数下限不得高于上限' });
    }
  });
export type InsuranceRule = z.output<typeof ZInsuranceRule>;
export type InsuranceRuleInput = z.input<typeof ZInsuranceRule>;

export type ClampedFrom = 'floor' | 'cap' | null;

export interface ContributionLine {
  kind: InsuranceKind;
  nameZh: string;
  baseFen: Fen;
  employeeBp: number;
  employerBp: number;
  employeeFen: Fen;
  employerFen: Fen;
}

export interface Contributions {
  declaredBaseFen: Fen;
  floorFen: Fen;
  capFen: Fen;
  /** The social insurance base after clamping. */
  clampedBase: Fen;
  clampedFrom: ClampedFrom;
  /** The housing fund base after clamping (equal to `clampedBase` without own limits). */
  housingFundBase: Fen;
  lines: ContributionLine[];
  employeeTotalFen: Fen;
  employerTotalFen: Fen;
}

/** The base limits of a rule: `averageWageMonthlyFen` × floor / cap bp, rounded by `baseRounding`. */
export function baseLimits(rule: InsuranceRule): { floorFen: Fen; capFen: Fen } {
  return {
    floorFen: mulRate(rule.averageWageMonthlyFen, rule.baseFloorBp, rule.baseRounding),
    capFen: mulRate(rule.averageWageMonthlyFen, rule.baseCapBp, rule.baseRounding),
  };
}

function clamp(value: Fen, floor: Fen, cap: Fen): { base: Fen; from: ClampedFrom } {
  if (value < floor) return { base: floor, from: 'floor' };
  if (value > cap) return { base: cap, from: 'cap' };
  return { base: value, from: null };
}

/**
 * Monthly contributions for a declared base (usually last year's average monthly pay): the base
 * is clamped to the limits, then each kind's employee and employer rate is applied and rounded.
 */
export function contributions(rule: InsuranceRule, declaredBaseFen: Fen): Contributions {
  const { floorFen, capFen } = baseLimits(rule);
  const social = clamp(declaredBaseFen, floorFen, capFen);
  const fundBase = rule.housingFundBase
    ? clamp(declaredBaseFen, rule.housingFundBase.floorFen, rule.housingFundBase.capFen).base
    : social.base;
  const lines = INSURANCE_KINDS.map((k): ContributionLine => {
    const rate = rule.rates[k.code];
    const rounding: Rounding = rule.contributionRoundingByKind[k.code] ?? rule.contributionRounding;
    const baseFen = k.code === 'housing_fund' ? fundBase : social.base;
    return {
      kind: k.code,
      nameZh: k.label,
      baseFen,
      employeeBp: rate.employeeBp,
      employerBp: rate.employerBp,
      employeeFen: mulRate(baseFen, rate.employeeBp, rounding),
      employerFen: mulRate(baseFen, rate.employerBp, rounding),
    };
  });
  return {
    declaredBaseFen,
    floorFen,
    capFen,
    clampedBase: social.base,
    clampedFrom: social.from,
    housingFundBase: fundBase,
    lines,
    employeeTotalFen: sumFen(lines.map((l) => l.employeeFen)),
    employerTotalFen: sumFen(lines.map((l) => l.employerFen)),
  };
}

/**
 * DEMO rule for 杭州 (values ILLUSTRATIVE, typical of published Zhejiang rates, not an official
 * table): average wage 7,400 yuan a month (floor 4,440, cap 22,200); employee pension 8%, medical
 * 2%, unemployment 0.5%, fund 12%; employer pension 16%, medical 9.5% (maternity merged into
 * medical, so maternity 0), unemployment 0.5%, injury 0.2% (it varies by industry), fund 12%.
 */
export const DEMO_INSURANCE_RULE_HANGZHOU: InsuranceRule = ZInsuranceRule.parse({
  key: 'demo_hangzhou',
  nameZh: '杭州五险一金（演示数据）',
  regionCode: '3301',
  year: 2026,
  isDemo: true,
  source: '示意值，参照浙江省通行缴费比例',
  averageWageMonthlyFen: yuan(7_400),
  rates: {
    pension: { employeeBp: 800, employerBp: 1_600 },
    medical: { employeeBp: 200, employerBp: 950 },
    unemployment: { employeeBp: 50, employerBp: 50 },
    injury: { employeeBp: 0, employerBp: 20 },
    maternity: { employeeBp: 0, employerBp: 0 },
    housing_fund: { employeeBp: 1_200, employerBp: 1_200 },
  },
} satisfies InsuranceRuleInput);
