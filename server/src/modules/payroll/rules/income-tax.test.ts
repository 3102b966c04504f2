import { describe, expect, it } from 'vitest';
import { yuan } from './money.ts';
import {
  RESIDENT_WAGE_TAX_RULE,
  ZWageTaxRule,
  bracketFor,
  taxOnCumulativeTaxable,
  withholdForMonth,
  type WithholdingInput,
} from './income-tax.ts';

const tax = (taxableFen: number) => taxOnCumulativeTaxable(RESIDENT_WAGE_TAX_RULE, taxableFen);

describe('the annual table (预扣率表一)', () => {
  it('holds the seven brackets and quick deductions', () => {
    expect(
      RESIDENT_WAGE_TAX_RULE.brackets.map((b) => [b.upToFen === null ? null : b.upToFen / 100, b.rateBp, b.quickDeductionFen / 100]),
    ).toEqual([
      [36_000, 300, 0],
      [144_000, 1_000, 2_520],
      [300_000, 2_000, 16_920],
      [420_000, 2_500, 31_920],
      [660_000, 3_000, 52_920],
      [960_000, 3_500, 85_920],
      [null, 4_500, 181_920],
    ]);
  });

  it('rejects brackets that do not increase or an open bracket before the last', () => {
    const b = RESIDENT_WAGE_TAX_RULE.brackets;
    expect(ZWageTaxRule.safeParse({ ...RESIDENT_WAGE_TAX_RULE, brackets: [b[1], b[0], b[6]] }).success).toBe(false);
    expect(ZWageTaxRule.safeParse({ ...RESIDENT_WAGE_TAX_RULE, brackets: [b[6], b[0]] }).success).toBe(false);
  });

  it('puts a bound in the lower bracket ("不超过") and one fen more in the next; the tax is continuous there', () => {
    // 36,000 × 3% − 0 = 1,080.00
    expect(tax(yuan(36_000))).toEqual({ rateBp: 300, quickDeductionFen: 0, taxFen: 108_000 });
    // 36,000.01 × 10% = 3,600.001 → 3,600.00 − 2,520 = 1,080.00
    expect(tax(yuan(36_000) + 1)).toEqual({ rateBp: 1_000, quickDeductionFen: 252_000, taxFen: 108_000 });
    // 144,000 × 10% − 2,520 = 11,880; 144,000.01 × 20% = 28,800.002 → 28,800.00 − 16,920 = 11,880.00
    expect(tax(yuan(144_000)).taxFen).toBe(1_188_000);
    expect(tax(yuan(144_000) + 1)).toMatchObject({ rateBp: 2_000, taxFen: 1_188_000 });
    // 300,000 × 20% − 16,920 = 43,080; 420,000 × 25% − 31,920 = 73,080; 660,000 × 30% − 52,920 = 145,080
    expect(tax(yuan(300_000)).taxFen).toBe(yuan(43_080));
    expect(tax(yuan(420_000)).taxFen).toBe(yuan(73_080));
    expect(tax(yuan(660_000)).taxFen).toBe(yuan(145_080));
    // 960,000 × 35% − 85,920 = 250,080; 1,000,000 × 45% − 181,920 = 268,080
    expect(tax(yuan(960_000))).toMatchObject({ rateBp: 3_500, taxFen: yuan(250_080) });
    expect(tax(yuan(1_000_000))).toMatchObject({ rateBp: 4_500, taxFen: yuan(268_080) });
    expect(bracketFor(RESIDENT_WAGE_TAX_RULE, yuan(960_000) + 1).rateBp).toBe(4_500);
  });

  it('rounds the tax half-up to the fen: 56.87 × 3% = 1.7061 → 1.71; 0.16 × 3% = 0.0048 → 0.00; 0.50 × 3% = 0.015 → 0.02', () => {
    expect(tax(5_687).taxFen).toBe(171);
    expect(tax(16).taxFen).toBe(0);
    expect(tax(50).taxFen).toBe(2);
    expect(tax(0).taxFen).toBe(0);
  });
});

describe('withholdForMonth (累计预扣法)', () => {
  it('worked example: 15,000 gross, 2,000 insurance, 1,000 special deduction a month, months 1–12 across the 36,000 boundary', () => {
    // Each month adds 15,000 − 5,000 − 2,000 − 1,000 = 7,000 of taxable income.
    // m1  7,000 × 3% = 210                       → withhold 210
    // m2 14,000 × 3% = 420        − 210          → 210
    // m3 21,000 × 3% = 630        − 420          → 210
    // m4 28,000 × 3% = 840        − 630          → 210
    // m5 35,000 × 3% = 1,050      − 840          → 210
    // m6 42,000 × 10% − 2,520 = 1,680 − 1,050    → 630   (crosses 36,000)
    // m7 49,000 → 4,900 − 2,520 = 2,380 − 1,680  → 700
    // m8 56,000 → 3,080; m9 63,000 → 3,780; m10 70,000 → 4,480; m11 77,000 → 5,180; m12 84,000 → 5,880: 700 each
    // Year: 84,000 × 10% − 2,520 = 5,880 = 210×5 + 630 + 700×6 = 1,050 + 630 + 4,200.
    let withheld = 0;
    const monthly: number[] = [];
    const cumulativeTax: number[] = [];
    for (let m = 1; m <= 12; m++) {
      const w = withholdForMonth({
        monthsEmployed: m,
        cumulativeGrossFen: yuan(15_000) * m,
        cumulativeEmployeeInsuranceFen: yuan(2_000) * m,
        cumulativeSpecialDeductionsFen: yuan(1_000) * m,
        cumulativeOtherDeductionsFen: 0,
        taxWithheldSoFarFen: withheld,
      });
      expect(w.cumulativeTaxableFen).toBe(yuan(7_000) * m);
      expect(w.rateBp).toBe(m <= 5 ? 300 : 1_000);
      withheld += w.thisMonthFen;
      monthly.push(w.thisMonthFen / 100);
      cumulativeTax.push(w.cumulativeTaxFen / 100);
    }
    expect(monthly).toEqual([210, 210, 210, 210, 210, 630, 700, 700, 700, 700, 700, 700]);
    expect(cumulativeTax).toEqual([210, 420, 630, 840, 1_050, 1_680, 2_380, 3_080, 3_780, 4_480, 5_180, 5_880]);
    expect(withheld).toBe(yuan(5_880));
  });

  it('counts the threshold from the first month employed: joined in October, December is month 3 → 45,000 − 15,000 − 6,000 − 3,000 = 21,000 → 630', () => {
    const w = withholdForMonth({
      monthsEmployed: 3,
      cumulativeGrossFen: yuan(45_000),
      cumulativeEmployeeInsuranceFen: yuan(6_000),
      cumulativeSpecialDeductionsFen: yuan(3_000),
      cumulativeOtherDeductionsFen: 0,
      taxWithheldSoFarFen: yuan(420),
    });
    expect([w.cumulativeBasicDeductionFen, w.cumulativeTaxableFen, w.cumulativeTaxFen, w.thisMonthFen]).toEqual([
      yuan(15_000),
      yuan(21_000),
      yuan(630),
      yuan(210),
    ]);
  });

  it('subtracts other deductions and tax-free income; never taxes below zero', () => {
    const w = withholdForMonth({
      monthsEmployed: 1,
      cumulativeGrossFen: yuan(8_000),
      cumulativeTaxFreeIncomeFen: yuan(500),
      cumulativeEmployeeInsuranceFen: yuan(1_000),
      cumulativeSpecialDeductionsFen: 0,
      cumulativeOtherDeductionsFen: yuan(200),
      taxWithheldSoFarFen: 0,
    });
    // 8,000 − 500 − 5,000 − 1,000 − 200 = 1,300 × 3% = 39
    expect([w.cumulativeTaxableFen, w.thisMonthFen]).toEqual([yuan(1_300), yuan(39)]);
    const low = withholdForMonth({ ...baseInput(), cumulativeGrossFen: yuan(4_000) });
    expect([low.cumulativeTaxableFen, low.cumulativeTaxFen, low.thisMonthFen]).toEqual([0, 0, 0]);
  });

  it('withholds 0 (not a refund) when more was withheld than is due, and reports the excess', () => {
    // Special deductions entered late: cumulative tax 800 but 1,000 already withheld.
    const w = withholdForMonth({
      ...baseInput(),
      monthsEmployed: 4,
      cumulativeGrossFen: yuan(4 * 5_000) + yuan(26_666) + 67,
      taxWithheldSoFarFen: yuan(1_000),
    });
    // taxable 26,666.67 × 3% = 800.0001 → 800.00
    expect([w.cumulativeTaxFen, w.thisMonthFen, w.overWithheldFen]).toEqual([yuan(800), 0, yuan(200)]);
  });

  it('accepts the 60,000-yuan basic deduction from January (公告2020年第19号) as an override', () => {
    const w = withholdForMonth({ ...baseInput(), cumulativeGrossFen: yuan(8_000), cumulativeBasicDeductionFen: yuan(60_000) });
    expect([w.cumulativeBasicDeductionFen, w.thisMonthFen]).toEqual([yuan(60_000), 0]);
  });

  it('rejects months outside 1–12', () => {
    expect(() => withholdForMonth({ ...baseInput(), monthsEmployed: 0 })).toThrow(RangeError);
    expect(() => withholdForMonth({ ...baseInput(), monthsEmployed: 13 })).toThrow(RangeError);
  });
});

function baseInput(): WithholdingInput {
  return {
    monthsEmployed: 1,
    cumulativeGrossFen: 0,
    cumulativeEmployeeInsuranceFen: 0,
    cumulativeSpecialDeductionsFen: 0,
    cumulativeOtherDeductionsFen: 0,
    taxWithheldSoFarFen: 0,
  };
}
