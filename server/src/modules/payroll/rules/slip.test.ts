import { describe, expect, it } from 'vitest';
import { DEMO_INSURANCE_RULE_HANGZHOU } from './insurance.ts';
import { yuan } from './money.ts';
import { DEMO_PAY_TABLE_BENXI_COEFFICIENT, DEMO_PAY_TABLE_NINGXIA, DEMO_PAY_TABLE_THREE_POSTS } from './pay-table.ts';
import { annualFloorCheck, computeSlip, type Slip, type SlipInput, type TaxState } from './slip.ts';

const FIRST_MONTH: TaxState = {
  monthsEmployed: 1,
  priorGrossFen: 0,
  priorTaxFreeIncomeFen: 0,
  priorEmployeeInsuranceFen: 0,
  priorSpecialDeductionsFen: 0,
  priorOtherDeductionsFen: 0,
  taxWithheldSoFarFen: 0,
  specialDeductionsThisMonthFen: 0,
  otherDeductionsThisMonthFen: 0,
};

/** 三岗十八级 demo, 正职 12, 称职, 杭州 demo insurance on a 6,525 base, January. */
function input(overrides: Partial<SlipInput> = {}): SlipInput {
  return {
    payTable: DEMO_PAY_TABLE_THREE_POSTS,
    gradeBand: 'principal',
    gradeLevel: 12,
    qualificationLevel: null,
    lastAssessmentResult: 'competent',
    allowances: [],
    deductions: [],
    insuranceRule: DEMO_INSURANCE_RULE_HANGZHOU,
    declaredBaseFen: yuan(6_525),
    taxState: FIRST_MONTH,
    ...overrides,
  };
}

function slip(overrides: Partial<SlipInput> = {}): Slip {
  const r = computeSlip(input(overrides));
  if (!r.ok) throw new Error(r.reason.messageZh);
  return r.value;
}

const amounts = (s: Slip) => s.lines.map((l) => [l.code, l.amountFen / 100]);

describe('computeSlip — worked examples', () => {
  it('正职 12, 称职, level pay: every line, gross, insurance, tax and net', () => {
    // Earnings: 岗位 2,400 + 薪级 2,820 + 绩效 (5,220 × 20/80 = 1,305) × 1.0 = 6,525.00
    // Employee, base 6,525 (inside 4,440–22,200): pension 8% 522.00, medical 2% 130.50,
    //   unemployment 0.5% 32.625 → 32.63, fund 12% 783.00 → 1,468.13
    // Tax, month 1: 6,525 − 5,000 − 1,468.13 = 56.87 × 3% = 1.7061 → 1.71
    // Net: 6,525.00 − 1,468.13 − 1.71 = 5,055.16
    const s = slip();
    expect(amounts(s)).toEqual([
      ['post_pay', 2_400],
      ['level_pay', 2_820],
      ['performance_pay', 1_305],
      ['pension', 522],
      ['medical', 130.5],
      ['unemployment', 32.63],
      ['housing_fund', 783],
      ['income_tax', 1.71],
    ]);
    expect([s.earningsFen, s.grossFen, s.employeeInsuranceFen, s.taxFen, s.netFen]).toEqual([652_500, 652_500, 146_813, 171, 505_516]);
    expect(s.lines[2]).toMatchObject({
      nameZh: '绩效工资（称职×1）',
      ruleRef: 'payTable:demo_three_posts_18_levels#performance.competent',
    });
    expect(s.lines[0]?.ruleRef).toBe('payTable:demo_three_posts_18_levels#postPay.principal');
    expect(s.lines[3]?.ruleRef).toBe('insurance:demo_hangzhou#pension');
    // Employer: 1,044.00 + 619.875 → 619.88 + 32.63 + 13.05 + 0 + 783.00 = 2,492.56
    expect(s.employerInsuranceFen).toBe(249_256);
    expect(s.rules).toEqual({
      payTable: 'demo_three_posts_18_levels',
      insuranceRule: 'demo_hangzhou',
      taxRule: 'cn_resident_wages_2019',
      isDemo: true,
    });
  });

  it('carries the tax state into month 2: cumulative 113.74 × 3% = 3.4122 → 3.41, less 1.71 withheld = 1.70', () => {
    const jan = slip();
    expect(jan.taxStateAfter).toEqual({
      monthsEmployed: 1,
      priorGrossFen: 652_500,
      priorTaxFreeIncomeFen: 0,
      priorEmployeeInsuranceFen: 146_813,
      priorSpecialDeductionsFen: 0,
      priorOtherDeductionsFen: 0,
      taxWithheldSoFarFen: 171,
    });
    const feb = slip({
      taxState: { ...jan.taxStateAfter, monthsEmployed: 2, specialDeductionsThisMonthFen: 0, otherDeductionsThisMonthFen: 0 },
    });
    // 13,050 − 10,000 − 2,936.26 = 113.74
    expect([feb.tax.cumulativeTaxableFen, feb.tax.cumulativeTaxFen, feb.taxFen]).toEqual([11_374, 341, 170]);
    expect(feb.taxStateAfter.taxWithheldSoFarFen).toBe(341);
  });

  it('special additional deductions entered this month reduce the tax: 1,000 → taxable 0', () => {
    const s = slip({ taxState: { ...FIRST_MONTH, specialDeductionsThisMonthFen: yuan(1_000) } });
    expect([s.taxFen, s.netFen, s.taxStateAfter.priorSpecialDeductionsFen]).toEqual([0, 505_687, yuan(1_000)]);
  });

  it('其他 5, 优秀, allowances (one tax-free) and deductions before and after tax, base clamped to the floor', () => {
    // 岗位 1,600 + 薪级 (1,500 + 480 = 1,980) = 3,580; 绩效 3,580 × 20/80 = 895 × 1.2 = 1,074
    // + 交通补贴 300 + 独生子女费 10 (tax-free) = earnings 4,964; − 事假扣款 100 = gross 4,864
    // Base 4,000 → floor 4,440: employee 999.00
    // Tax: 4,864 − 10 − 5,000 − 999 < 0 → 0
    // Net: 4,864 − 999 − 0 − 工会会费 20 = 3,845
    const s = slip({
      gradeBand: 'staff',
      gradeLevel: 5,
      lastAssessmentResult: 'excellent',
      allowances: [
        { code: 'transport', nameZh: '交通补贴', amountFen: yuan(300) },
        { code: 'one_child', nameZh: '独生子女费', amountFen: yuan(10), isTaxFree: true },
      ],
      deductions: [
        { code: 'leave', nameZh: '事假扣款', amountFen: yuan(100), stage: 'preTax' },
        { code: 'union', nameZh: '工会会费', amountFen: yuan(20), stage: 'postTax' },
      ],
      declaredBaseFen: yuan(4_000),
    });
    expect(s.lines.find((l) => l.code === 'performance_pay')).toMatchObject({ amountFen: 107_400, nameZh: '绩效工资（优秀×1.2）' });
    expect([
      s.earningsFen,
      s.grossFen,
      s.insurance.clampedFrom,
      s.employeeInsuranceFen,
      s.taxFen,
      s.postTaxDeductionsFen,
      s.netFen,
    ]).toEqual([496_400, 486_400, 'floor', 99_900, 0, 2_000, 384_500]);
    expect(s.lines.find((l) => l.code === 'leave')).toMatchObject({ kind: 'preTaxDeduction', ruleRef: 'input:deduction.leave' });
    expect(s.taxStateAfter.priorTaxFreeIncomeFen).toBe(yuan(10));
  });

  it('pays performance as 称职 (×1) when there is no assessment result yet', () => {
    const s = slip({ lastAssessmentResult: null });
    expect(s.lines.find((l) => l.code === 'performance_pay')).toMatchObject({
      amountFen: 130_500,
      ruleRef: 'payTable:demo_three_posts_18_levels#performance.withoutResult',
    });
  });

  it('基本称职 ×0.6: 1,305 × 0.6 = 783', () => {
    expect(slip({ lastAssessmentResult: 'basically_competent' }).lines.find((l) => l.code === 'performance_pay')?.amountFen).toBe(78_300);
  });
});

describe('computeSlip — the same function on the 本溪 coefficient table and the 宁夏 scheme', () => {
  it('本溪 正职 12 优秀: 3,400 × 1.75 = 5,950 → fixed 80% 4,760 + performance 1,190 × 1.2 = 1,428 → gross 6,188', () => {
    const s = slip({ payTable: DEMO_PAY_TABLE_BENXI_COEFFICIENT, lastAssessmentResult: 'excellent', declaredBaseFen: yuan(6_188) });
    expect(amounts(s).slice(0, 2)).toEqual([
      ['base_pay', 4_760],
      ['performance_pay', 1_428],
    ]);
    expect(s.grossFen).toBe(618_800);
    expect(s.lines[0]?.ruleRef).toBe('payTable:demo_benxi_coefficient#performance.carveOut(coefficient.principal.12)');
  });

  it('本溪 其他 1 不称职 forfeits performance: 2,720 + 680 × 0 = 2,720; base → floor 4,440, insurance 999; net 1,721', () => {
    const s = slip({
      payTable: DEMO_PAY_TABLE_BENXI_COEFFICIENT,
      gradeBand: 'staff',
      gradeLevel: 1,
      lastAssessmentResult: 'incompetent',
      declaredBaseFen: yuan(2_720),
    });
    expect(s.lines.find((l) => l.code === 'performance_pay')).toMatchObject({ amountFen: 0, nameZh: '绩效工资（不称职×0）' });
    expect([s.grossFen, s.employeeInsuranceFen, s.taxFen, s.netFen]).toEqual([272_000, 99_900, 0, 172_100]);
  });

  it('宁夏 三岗 9, 社会工作师, 基本称职: 4,100 + 1,025 × 0.6 = 615 + 职业资格津贴 300 = 5,015', () => {
    const s = slip({
      payTable: DEMO_PAY_TABLE_NINGXIA,
      gradeBand: 'band_c',
      gradeLevel: 9,
      qualificationLevel: 'intermediate',
      lastAssessmentResult: 'basically_competent',
    });
    expect(amounts(s).slice(0, 4)).toEqual([
      ['post_pay', 1_900],
      ['level_pay', 2_200],
      ['performance_pay', 615],
      ['qualification_allowance', 300],
    ]);
    expect(s.grossFen).toBe(501_500);
    expect(s.lines[3]).toMatchObject({
      nameZh: '职业资格津贴（社会工作师）',
      ruleRef: 'payTable:demo_ningxia_2025_four_posts_24_levels#qualificationAllowance.intermediate',
    });
  });

  it('pays no qualification allowance from a table that has none (三岗十八级 grants levels instead)', () => {
    expect(slip({ qualificationLevel: 'senior' }).lines.some((l) => l.code === 'qualification_allowance')).toBe(false);
  });
});

describe('computeSlip — a reason per worker, never a silent zero', () => {
  const reason = (overrides: Partial<SlipInput>) => {
    const r = computeSlip(input(overrides));
    return r.ok ? null : r.reason.code;
  };

  it('no pay table, no grade, no insurance rule, no declared base', () => {
    expect(reason({ payTable: null })).toBe('no_pay_table');
    expect(reason({ gradeBand: null })).toBe('no_grade');
    expect(reason({ gradeLevel: null })).toBe('no_grade');
    expect(reason({ insuranceRule: null })).toBe('no_insurance_rule');
    expect(reason({ declaredBaseFen: null })).toBe('no_declared_base');
  });

  it('band missing from the table, level out of the table, with a Chinese message', () => {
    expect(reason({ gradeBand: 'band_a' })).toBe('band_not_in_pay_table');
    expect(reason({ gradeLevel: 19 })).toBe('level_not_in_pay_table');
    const r = computeSlip(input({ payTable: DEMO_PAY_TABLE_BENXI_COEFFICIENT, gradeBand: 'staff', gradeLevel: 13 }));
    expect(r).toEqual({
      ok: false,
      reason: {
        code: 'level_not_in_pay_table',
        messageZh: '工资表“基数×系数工资标准（本溪式，演示数据）”没有岗位 staff 13级的工资系数',
        details: { payTable: 'demo_benxi_coefficient', band: 'staff', level: 13 },
      },
    });
  });

  it('negative or fractional entered amounts, and deductions larger than the pay', () => {
    expect(reason({ allowances: [{ code: 'x', nameZh: '补贴', amountFen: -1 }] })).toBe('invalid_amount');
    expect(reason({ deductions: [{ code: 'x', nameZh: '扣款', amountFen: 0.5, stage: 'postTax' }] })).toBe('invalid_amount');
    expect(reason({ deductions: [{ code: 'x', nameZh: '扣款', amountFen: yuan(7_000), stage: 'preTax' }] })).toBe('gross_negative');
    expect(reason({ deductions: [{ code: 'x', nameZh: '扣款', amountFen: yuan(6_000), stage: 'postTax' }] })).toBe('net_negative');
  });
});

describe('annualFloorCheck', () => {
  it('flags annual pay below the previous year’s annual average wage: 12 × 6,525 = 78,300 < 88,800 → short 10,500', () => {
    expect(annualFloorCheck(yuan(78_300), yuan(88_800))).toEqual({
      isBelowFloor: true,
      annualGrossFen: 7_830_000,
      floorFen: 8_880_000,
      shortfallFen: 1_050_000,
      messageZh: '年度应发78300.00元，低于上年度当地城镇单位就业人员平均工资88800.00元，差额10500.00元',
    });
  });

  it('passes at or above the floor', () => {
    expect(annualFloorCheck(yuan(88_800), yuan(88_800))).toMatchObject({ isBelowFloor: false, shortfallFen: 0 });
    expect(annualFloorCheck(yuan(88_800) - 1, yuan(88_800))).toMatchObject({ isBelowFloor: true, shortfallFen: 1 });
  });
});

describe('probation pay', () => {
  const fuzhouStyle = { ...DEMO_PAY_TABLE_THREE_POSTS, probationPayPermille: 800 };

  it('pays the table pay at 80% during probation as a pre-tax line, allowances in full', () => {
    const full = slip({
      payTable: fuzhouStyle,
      allowances: [{ code: 'traffic', nameZh: '交通补贴', amountFen: yuan(300), isTaxFree: false }],
    });
    const probation = slip({
      payTable: fuzhouStyle,
      isOnProbation: true,
      allowances: [{ code: 'traffic', nameZh: '交通补贴', amountFen: yuan(300), isTaxFree: false }],
    });
    const tablePay = full.lines.filter((l) => l.code !== 'traffic' && l.kind === 'earning').reduce((a, l) => a + l.amountFen, 0);
    const reduction = probation.lines.find((l) => l.code === 'probation_reduction')!;
    expect(reduction).toMatchObject({ kind: 'preTaxDeduction', nameZh: '试用期减发（按80%发放）' });
    // 20% of the table pay, half-up to the fen.
    expect(reduction.amountFen).toBe(tablePay - Math.round((tablePay * 800) / 1000));
    expect(probation.grossFen).toBe(full.grossFen - reduction.amountFen);
    expect(probation.lines.find((l) => l.code === 'traffic')!.amountFen).toBe(yuan(300));
  });

  it('pays in full after probation and under a table without a probation rate', () => {
    expect(slip({ payTable: fuzhouStyle }).lines.some((l) => l.code === 'probation_reduction')).toBe(false);
    const noRate = slip({ isOnProbation: true });
    expect(noRate.lines.some((l) => l.code === 'probation_reduction')).toBe(false);
    expect(noRate.grossFen).toBe(slip().grossFen);
  });
});
