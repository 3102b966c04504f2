import { z } from 'zod';
import { QUALIFICATION_LEVEL_CODES } from '../../meta/enums.ts';
import { ASSESSMENT_RESULT_CODES } from '../../grades/rules/assessment-results.ts';
import { DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME, type GradeScheme } from '../../grades/rules/grade-scheme.ts';
import { FEN_HALF_UP, ZFen, ZRounding, yuan } from './money.ts';

const ZLevelKey = z.string().regex(/^[1-9]\d?$/);
/** A coefficient as integer per-mille: 1350 = ×1.35. */
const ZPermille = z.int().min(0).max(100_000);

/** 岗位工资 per band + 薪级工资 per level, both monthly fen. */
export const ZLevelPay = z.object({
  mode: z.literal('levelPay'),
  /** 岗位工资 by band key. */
  postPayFen: z.record(z.string(), ZFen),
  /** 薪级工资 by level ("1".."24"). */
  levelPayFen: z.record(ZLevelKey, ZFen),
});

/** base × coefficient (本溪 style): monthly base fen times a per-mille coefficient by band and level. */
export const ZCoefficientPay = z.object({
  mode: z.literal('coefficient'),
  baseFen: ZFen,
  /** Coefficient in per-mille by band key, then by level ("1".."24"). */
  coefficientPermille: z.record(z.string(), z.record(ZLevelKey, ZPermille)),
});

/**
 * Performance pay (绩效工资). The standard monthly pay S is the table pay of the grade;
 * `carveOut`: the performance standard P = S × share and the fixed part is S − P (本溪: 80/20);
 * `addOn`: the fixed part is S and P = S × share / (1 − share), so that P is `share` of S + P.
 * P is paid × the coefficient of the last assessment result.
 */
export const ZPerformance = z.object({
  shareBp: z.int().min(0).max(9_999).default(2_000),
  basis: z.enum(['carveOut', 'addOn']),
  /** Per-mille by result; default 优秀 1.2, 称职 1.0, 基本称职 0.6, 不称职 0. */
  coefficientPermille: z
    .record(z.enum(ASSESSMENT_RESULT_CODES), ZPermille)
    .default({ excellent: 1_200, competent: 1_000, basically_competent: 600, incompetent: 0 }),
  /** Per-mille when a worker has no assessment result yet (a new hire); default paid as 称职. */
  withoutResultPermille: ZPermille.default(1_000),
});

/** A pay table (工资标准表) for one grade scheme and region, JSON-storable and versioned by the caller. */
export const ZPayTable = z.object({
  key: z.string().min(1),
  nameZh: z.string().min(1),
  /** The grade scheme whose band keys and levels this table prices. */
  schemeKey: z.string().min(1),
  regionCode: z.string().default(''),
  /** Demo values are made up; the UI marks them and they must be replaced before real use. */
  isDemo: z.boolean(),
  pay: z.discriminatedUnion('mode', [ZLevelPay, ZCoefficientPay]),
  performance: ZPerformance,
  /** Monthly qualification allowance (职业资格津贴) by highest certificate; empty when the scheme grants levels instead. */
  qualificationAllowanceFen: z.partialRecord(z.enum(QUALIFICATION_LEVEL_CODES), ZFen).default({}),
  /**
   * Share of the table pay (fixed + performance) paid during probation (试用期), per mille; the rest
   * is a pre-tax line on the slip. 1000 pays in full; 福州 pays 80% (800) for the 6-month probation.
   */
  probationPayPermille: ZPermille.max(1_000).default(1_000),
  /** Rounding of computed pay lines (coefficient pay, performance). */
  rounding: ZRounding.default(FEN_HALF_UP),
});
export type PayTable = z.output<typeof ZPayTable>;
export type PayTableInput = z.input<typeof ZPayTable>;

/**
 * Where a pay table does not cover its scheme: bands or levels without pay, or a qualification
 * allowance in a table whose scheme already grants levels for certificates (a double benefit).
 * Empty when the table fits the scheme. Run it when a table or scheme version is saved.
 */
export function payTableGaps(table: PayTable, scheme: GradeScheme): string[] {
  const gaps: string[] = [];
  if (table.schemeKey !== scheme.key) gaps.push(`工资表适用方案 ${table.schemeKey}，而非 ${scheme.key}`);
  for (const band of scheme.bands) {
    for (let level = band.minLevel; level <= band.maxLevel; level++) {
      const k = String(level);
      if (table.pay.mode === 'levelPay') {
        if (level === band.minLevel && table.pay.postPayFen[band.key] === undefined) gaps.push(`${band.nameZh}无岗位工资`);
        if (table.pay.levelPayFen[k] === undefined) gaps.push(`${band.nameZh}${level}级无薪级工资`);
      } else if (table.pay.coefficientPermille[band.key]?.[k] === undefined) gaps.push(`${band.nameZh}${level}级无工资系数`);
    }
  }
  if (scheme.qualificationBonus.mode === 'levels' && Object.keys(table.qualificationAllowanceFen).length > 0) {
    gaps.push('等级方案已按职业资格加级，工资表不应再发职业资格津贴');
  }
  return [...new Set(gaps)];
}

function levelsRecord(from: number, to: number, value: (level: number) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let level = from; level <= to; level++) out[String(level)] = value(level);
  return out;
}

/**
 * DEMO pay table for 三岗十八级 (values made up): 岗位工资 正职 2,400 / 副职 2,000 / 其他 1,600
 * yuan; 薪级工资 1,500 yuan at level 1 plus 120 yuan a level; performance 20% of total, added on.
 */
export const DEMO_PAY_TABLE_THREE_POSTS: PayTable = ZPayTable.parse({
  key: 'demo_three_posts_18_levels',
  nameZh: '三岗十八级工资标准（演示数据）',
  schemeKey: DEFAULT_GRADE_SCHEME.key,
  isDemo: true,
  pay: {
    mode: 'levelPay',
    postPayFen: { principal: yuan(2_400), deputy: yuan(2_000), staff: yuan(1_600) },
    levelPayFen: levelsRecord(1, 18, (level) => yuan(1_500 + 120 * (level - 1))),
  },
  performance: { shareBp: 2_000, basis: 'addOn' },
} satisfies PayTableInput);

/**
 * DEMO pay table for the 宁夏 四岗二十四级 variant (values made up): 岗位工资 2,600 / 2,200 /
 * 1,900 / 1,600 yuan; 薪级工资 1,400 yuan at level 1 plus 100 a level; certificates paid
 * 200/300/500 yuan a month as that scheme says.
 */
export const DEMO_PAY_TABLE_NINGXIA: PayTable = ZPayTable.parse({
  key: 'demo_ningxia_2025_four_posts_24_levels',
  nameZh: '四岗二十四级工资标准（宁夏，演示数据）',
  schemeKey: NINGXIA_2025_GRADE_SCHEME.key,
  regionCode: '64',
  isDemo: true,
  pay: {
    mode: 'levelPay',
    postPayFen: { band_a: yuan(2_600), band_b: yuan(2_200), band_c: yuan(1_900), band_d: yuan(1_600) },
    levelPayFen: levelsRecord(1, 24, (level) => yuan(1_400 + 100 * (level - 1))),
  },
  performance: { shareBp: 2_000, basis: 'addOn' },
  qualificationAllowanceFen: { assistant: yuan(200), intermediate: yuan(300), senior: yuan(500) },
} satisfies PayTableInput);

/** Demo coefficient: 1.000 at level 1, +0.050 a level, plus 0.200 for 正职 and 0.100 for 副职 (made up). */
const BENXI_BAND_BONUS_PERMILLE: Record<string, number> = { principal: 200, deputy: 100, staff: 0 };

/**
 * DEMO 本溪-style coefficient table on 三岗十八级: 3,400 yuan × coefficient, 80% fixed and 20%
 * performance (carved out), 不称职 forfeits the performance part. Coefficients are made up.
 */
export const DEMO_PAY_TABLE_BENXI_COEFFICIENT: PayTable = ZPayTable.parse({
  key: 'demo_benxi_coefficient',
  nameZh: '基数×系数工资标准（本溪式，演示数据）',
  schemeKey: DEFAULT_GRADE_SCHEME.key,
  regionCode: '2105',
  isDemo: true,
  pay: {
    mode: 'coefficient',
    baseFen: yuan(3_400),
    coefficientPermille: Object.fromEntries(
      DEFAULT_GRADE_SCHEME.bands.map((b) => [
        b.key,
        levelsRecord(b.minLevel, b.maxLevel, (level) => 1_000 + 50 * (level - 1) + (BENXI_BAND_BONUS_PERMILLE[b.key] ?? 0)),
      ]),
    ),
  },
  performance: {
    shareBp: 2_000,
    basis: 'carveOut',
    coefficientPermille: { excellent: 1_200, competent: 1_000, basically_competent: 600, incompetent: 0 },
  },
} satisfies PayTableInput);
