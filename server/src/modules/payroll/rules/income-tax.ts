import { z } from 'zod';
import { FEN_HALF_UP, ZFen, mulRate, yuan, type Fen } from './money.ts';

/** One annual bracket: taxable income up to `upToFen` (inclusive; null = no limit) at `rateBp`, less `quickDeductionFen`. */
export const ZTaxBracket = z.object({
  upToFen: ZFen.nullable(),
  rateBp: z.int().min(0).max(10_000),
  quickDeductionFen: ZFen,
});
export type TaxBracket = z.output<typeof ZTaxBracket>;

export const ZWageTaxRule = z
  .object({
    key: z.string().min(1),
    source: z.string().default(''),
    /** Basic deduction (基本减除费用) per month employed. */
    monthlyThresholdFen: ZFen,
    brackets: z.array(ZTaxBracket).min(1),
  })
  .superRefine((rule, ctx) => {
    rule.brackets.forEach((b, i) => {
      const isLast = i === rule.brackets.length - 1;
      if ((b.upToFen === null) !== isLast) ctx.addIssue({ code: 'custom', path: ['brackets', i], message: '仅最后一档不设上限' });
      const prev = rule.brackets[i - 1];
      if (prev && (prev.upToFen === null || (b.upToFen !== null && b.upToFen <= prev.upToFen) || b.rateBp <= prev.rateBp)) {
        ctx.addIssue({ code: 'custom', path: ['brackets', i], message: '税率档次须递增' });
      }
    });
  });
export type WageTaxRule = z.output<typeof ZWageTaxRule>;

/**
 * Resident individual income tax on wages and salaries, cumulative withholding (累计预扣法):
 * 5,000 yuan a month; the annual table 个人所得税预扣率表一 (国家税务总局公告2018年第61号).
 */
export const RESIDENT_WAGE_TAX_RULE: WageTaxRule = ZWageTaxRule.parse({
  key: 'cn_resident_wages_2019',
  source: '《个人所得税法》；国家税务总局公告2018年第61号 个人所得税预扣率表一',
  monthlyThresholdFen: yuan(5_000),
  brackets: [
    { upToFen: yuan(36_000), rateBp: 300, quickDeductionFen: 0 },
    { upToFen: yuan(144_000), rateBp: 1_000, quickDeductionFen: yuan(2_520) },
    { upToFen: yuan(300_000), rateBp: 2_000, quickDeductionFen: yuan(16_920) },
    { upToFen: yuan(420_000), rateBp: 2_500, quickDeductionFen: yuan(31_920) },
    { upToFen: yuan(660_000), rateBp: 3_000, quickDeductionFen: yuan(52_920) },
    { upToFen: yuan(960_000), rateBp: 3_500, quickDeductionFen: yuan(85_920) },
    { upToFen: null, rateBp: 4_500, quickDeductionFen: yuan(181_920) },
  ],
});

export interface WithholdingInput {
  /** Months from the first month employed with this employer this tax year to this month, inclusive (1–12). */
  monthsEmployed: number;
  /** Wages paid this year up to and including this month. */
  cumulativeGrossFen: Fen;
  /** Tax-free income within the gross (免税收入), default 0. */
  cumulativeTaxFreeIncomeFen?: Fen | undefined;
  /** Employee social insurance and housing fund (专项扣除). */
  cumulativeEmployeeInsuranceFen: Fen;
  /** Special additional deductions (专项附加扣除). */
  cumulativeSpecialDeductionsFen: Fen;
  /** Other deductions allowed by law (依法确定的其他扣除: enterprise annuity, commercial health insurance...). */
  cumulativeOtherDeductionsFen: Fen;
  /** Tax withheld in earlier months of this year. */
  taxWithheldSoFarFen: Fen;
  /**
   * Overrides 5,000 × monthsEmployed, e.g. 60,000 yuan from January for a worker whose previous
   * year's wages from this employer were at most 60,000 (国家税务总局公告2020年第19号).
   */
  cumulativeBasicDeductionFen?: Fen | undefined;
}

export interface Withholding {
  cumulativeBasicDeductionFen: Fen;
  cumulativeTaxableFen: Fen;
  rateBp: number;
  quickDeductionFen: Fen;
  cumulativeTaxFen: Fen;
  /** Tax to withhold this month; never negative. */
  thisMonthFen: Fen;
  /**
   * When the cumulative tax is below what was already withheld, the employer does not refund it
   * in the month (standard practice under the cumulative method): this month withholds 0 and the
   * excess stays in `taxWithheldSoFar`, absorbed by later months or refunded at the annual
   * reconciliation (汇算清缴). 0 otherwise.
   */
  overWithheldFen: Fen;
}

/** The bracket of an annual (cumulative) taxable amount; the bounds are inclusive ("不超过"). */
export function bracketFor(rule: WageTaxRule, taxableFen: Fen): TaxBracket {
  const hit = rule.brackets.find((b) => b.upToFen === null || taxableFen <= b.upToFen);
  return hit ?? (rule.brackets[rule.brackets.length - 1] as TaxBracket);
}

/** Tax on a cumulative taxable amount: taxable × rate (rounded half-up to the fen) − quick deduction, never below 0. */
export function taxOnCumulativeTaxable(rule: WageTaxRule, taxableFen: Fen): { rateBp: number; quickDeductionFen: Fen; taxFen: Fen } {
  const b = bracketFor(rule, taxableFen);
  return {
    rateBp: b.rateBp,
    quickDeductionFen: b.quickDeductionFen,
    taxFen: Math.max(0, mulRate(taxableFen, b.rateBp, FEN_HALF_UP) - b.quickDeductionFen),
  };
}

/**
 * This month's withholding under 累计预扣法: cumulative taxable = gross − tax-free income −
 * 5,000 × months employed − insurance − special additional − other deductions (not below 0);
 * cumulative tax by the annual table; this month = cumulative tax − tax withheld so far (0 when negative).
 */
export function withholdForMonth(input: WithholdingInput, rule: WageTaxRule = RESIDENT_WAGE_TAX_RULE): Withholding {
  if (!Number.isInteger(input.monthsEmployed) || input.monthsEmployed < 1 || input.monthsEmployed > 12) {
    throw new RangeError(`monthsEmployed must be 1–12, got ${input.monthsEmployed}`);
  }
  const basic = input.cumulativeBasicDeductionFen ?? rule.monthlyThresholdFen * input.monthsEmployed;
  const taxable = Math.max(
    0,
    input.cumulativeGrossFen -
      (input.cumulativeTaxFreeIncomeFen ?? 0) -
      basic -
      input.cumulativeEmployeeInsuranceFen -
      input.cumulativeSpecialDeductionsFen -
      input.cumulativeOtherDeductionsFen,
  );
  const { rateBp, quickDeductionFen, taxFen } = taxOnCumulativeTaxable(rule, taxable);
  const due = taxFen - input.taxWithheldSoFarFen;
  return {
    cumulativeBasicDeductionFen: basic,
    cumulativeTaxableFen: taxable,
    rateBp,
    quickDeductionFen,
    cumulativeTaxFen: taxFen,
    thisMonthFen: Math.max(0, due),
    overWithheldFen: Math.max(0, -due),
  };
}
