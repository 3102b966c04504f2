import { QUALIFICATION_LEVELS, labelOf, type QualificationLevel } from '../../meta/enums.ts';
import { assessmentLabel, type AssessmentResult } from '../../grades/rules/assessment-results.ts';
import { fail, ok, type RuleResult } from '../../grades/rules/rule-result.ts';
import { contributions, type Contributions, type InsuranceRule } from './insurance.ts';
import { RESIDENT_WAGE_TAX_RULE, withholdForMonth, type WageTaxRule, type Withholding } from './income-tax.ts';
import { fenToYuanString, mulPermille, mulRate, mulRatio, permilleToString, sumFen, BP_PER_ONE, type Fen } from './money.ts';
import type { PayTable } from './pay-table.ts';

export type SlipLineKind = 'earning' | 'preTaxDeduction' | 'insurance' | 'tax' | 'postTaxDeduction';

/** One line of a pay slip. Amounts are positive; `kind` says whether the line adds or takes away. */
export interface SlipLine {
  code: string;
  nameZh: string;
  kind: SlipLineKind;
  amountFen: Fen;
  /** The rule that produced the line: `payTable:<key>#<entry>`, `insurance:<key>#<kind>`, `tax:<key>`, `input:<code>`. */
  ruleRef: string;
}

/** A monthly allowance entered for the worker (补贴). */
export interface SlipAllowance {
  code: string;
  nameZh: string;
  amountFen: Fen;
  /** Tax-free income (免税收入), e.g. some subsidies by law; default taxable. */
  isTaxFree?: boolean | undefined;
}

/** A monthly deduction entered for the worker: `preTax` reduces the gross (absence), `postTax` the net (union dues). */
export interface SlipDeduction {
  code: string;
  nameZh: string;
  amountFen: Fen;
  stage: 'preTax' | 'postTax';
}

/** The worker's cumulative tax figures for this tax year before this month, plus this month's deductions. */
export interface TaxState {
  /** Months employed this tax year including this month (1–12). */
  monthsEmployed: number;
  priorGrossFen: Fen;
  priorTaxFreeIncomeFen: Fen;
  priorEmployeeInsuranceFen: Fen;
  priorSpecialDeductionsFen: Fen;
  priorOtherDeductionsFen: Fen;
  taxWithheldSoFarFen: Fen;
  /** 专项附加扣除 for this month. */
  specialDeductionsThisMonthFen: Fen;
  otherDeductionsThisMonthFen: Fen;
  /** See `WithholdingInput.cumulativeBasicDeductionFen`. */
  cumulativeBasicDeductionFen?: Fen | undefined;
}

/** Cumulative figures including this month: next month's `prior*` values (the caller advances `monthsEmployed`). */
export type TaxStateAfter = Omit<TaxState, 'specialDeductionsThisMonthFen' | 'otherDeductionsThisMonthFen' | 'cumulativeBasicDeductionFen'>;

export interface SlipInput {
  payTable: PayTable | null;
  gradeBand: string | null;
  gradeLevel: number | null;
  qualificationLevel: QualificationLevel | null;
  lastAssessmentResult: AssessmentResult | null;
  allowances: readonly SlipAllowance[];
  deductions: readonly SlipDeduction[];
  insuranceRule: InsuranceRule | null;
  /** The worker's contribution base for the year before clamping. */
  declaredBaseFen: Fen | null;
  taxState: TaxState;
  taxRule?: WageTaxRule | undefined;
  /** On probation (试用期) this month: the table pay is paid at the table's `probationPayPermille`. */
  isOnProbation?: boolean | undefined;
}

export interface Slip {
  lines: SlipLine[];
  /** Sum of earning lines. */
  earningsFen: Fen;
  /** 应发合计: earnings − pre-tax deductions. */
  grossFen: Fen;
  employeeInsuranceFen: Fen;
  /** Employer contributions: not on the worker's net, reported for cost. */
  employerInsuranceFen: Fen;
  taxFen: Fen;
  postTaxDeductionsFen: Fen;
  /** 实发: gross − employee insurance − tax − post-tax deductions. */
  netFen: Fen;
  insurance: Contributions;
  tax: Withholding;
  taxStateAfter: TaxStateAfter;
  /** The rule versions used, to store with the slip. */
  rules: { payTable: string; insuranceRule: string; taxRule: string; isDemo: boolean };
}

/** The standard monthly pay of a grade and how it splits into fixed lines and the performance standard. */
export interface StandardPay {
  /** S: 岗位工资 + 薪级工资, or base × coefficient. */
  standardMonthlyFen: Fen;
  fixedLines: SlipLine[];
  /** P: performance pay at coefficient 1.0. */
  performanceStandardFen: Fen;
}

/** The fixed pay lines and performance standard of a band and level in a pay table, or why there are none. */
export function standardPay(table: PayTable, band: string, level: number): RuleResult<StandardPay> {
  const ref = `payTable:${table.key}`;
  const lk = String(level);
  let standardMonthlyFen: Fen;
  let parts: SlipLine[];
  if (table.pay.mode === 'levelPay') {
    const post = table.pay.postPayFen[band];
    if (post === undefined)
      return fail('band_not_in_pay_table', `工资表“${table.nameZh}”没有岗位 ${band} 的岗位工资`, { payTable: table.key, band });
    const levelPay = table.pay.levelPayFen[lk];
    if (levelPay === undefined)
      return fail('level_not_in_pay_table', `工资表“${table.nameZh}”没有${level}级的薪级工资`, { payTable: table.key, level });
    standardMonthlyFen = post + levelPay;
    parts = [
      { code: 'post_pay', nameZh: '岗位工资', kind: 'earning', amountFen: post, ruleRef: `${ref}#postPay.${band}` },
      { code: 'level_pay', nameZh: '薪级工资', kind: 'earning', amountFen: levelPay, ruleRef: `${ref}#levelPay.${lk}` },
    ];
  } else {
    const byLevel = table.pay.coefficientPermille[band];
    if (byLevel === undefined)
      return fail('band_not_in_pay_table', `工资表“${table.nameZh}”没有岗位 ${band} 的工资系数`, { payTable: table.key, band });
    const coefficient = byLevel[lk];
    if (coefficient === undefined) {
      return fail('level_not_in_pay_table', `工资表“${table.nameZh}”没有岗位 ${band} ${level}级的工资系数`, {
        payTable: table.key,
        band,
        level,
      });
    }
    standardMonthlyFen = mulPermille(table.pay.baseFen, coefficient, table.rounding);
    parts = [
      {
        code: 'coefficient_pay',
        nameZh: '系数工资',
        kind: 'earning',
        amountFen: standardMonthlyFen,
        ruleRef: `${ref}#coefficient.${band}.${lk}`,
      },
    ];
  }
  const { shareBp, basis } = table.performance;
  if (basis === 'addOn') {
    const performanceStandardFen = mulRatio(standardMonthlyFen, shareBp, BP_PER_ONE - shareBp, table.rounding);
    return ok({ standardMonthlyFen, fixedLines: parts, performanceStandardFen });
  }
  const performanceStandardFen = mulRate(standardMonthlyFen, shareBp, table.rounding);
  const fixed: SlipLine = {
    code: 'base_pay',
    nameZh: '基础工资',
    kind: 'earning',
    amountFen: standardMonthlyFen - performanceStandardFen,
    ruleRef: `${ref}#performance.carveOut(${parts.map((p) => p.ruleRef.split('#')[1]).join('+')})`,
  };
  return ok({ standardMonthlyFen, fixedLines: [fixed], performanceStandardFen });
}

/**
 * One worker's monthly pay slip: table pay by grade, performance by the last assessment result,
 * qualification allowance, entered allowances and deductions, employee 五险一金 on the clamped
 * base, and income tax by cumulative withholding. Missing inputs are a typed failure with a
 * Chinese reason, never a zero slip.
 */
export function computeSlip(input: SlipInput): RuleResult<Slip> {
  const { payTable: table, insuranceRule } = input;
  if (!table) return fail('no_pay_table', '未找到适用的工资表');
  if (input.gradeBand === null || input.gradeLevel === null) return fail('no_grade', '该人员尚未定级，无法计算工资');
  if (!insuranceRule) return fail('no_insurance_rule', '未找到适用的五险一金缴费规则');
  if (input.declaredBaseFen === null) return fail('no_declared_base', '未申报社会保险缴费基数');
  for (const item of [...input.allowances, ...input.deductions]) {
    if (!Number.isSafeInteger(item.amountFen) || item.amountFen < 0) {
      return fail('invalid_amount', `${item.nameZh}金额无效（须为非负整数分）`, { code: item.code, amountFen: item.amountFen });
    }
  }
  const standard = standardPay(table, input.gradeBand, input.gradeLevel);
  if (!standard.ok) return standard;
  const ref = `payTable:${table.key}`;
  const lines: SlipLine[] = [...standard.value.fixedLines];

  const result = input.lastAssessmentResult;
  const perfPermille = result ? table.performance.coefficientPermille[result] : table.performance.withoutResultPermille;
  const performanceFen = mulPermille(standard.value.performanceStandardFen, perfPermille, table.rounding);
  lines.push({
    code: 'performance_pay',
    nameZh: `绩效工资（${result ? assessmentLabel(result) : '无考核结果'}×${permilleToString(perfPermille)}）`,
    kind: 'earning',
    amountFen: performanceFen,
    ruleRef: `${ref}#performance.${result ?? 'withoutResult'}`,
  });
  if (input.isOnProbation && table.probationPayPermille < 1_000) {
    const tablePayFen = sumFen(lines.map((l) => l.amountFen));
    const reductionFen = tablePayFen - mulPermille(tablePayFen, table.probationPayPermille, table.rounding);
    lines.push({
      code: 'probation_reduction',
      nameZh: `试用期减发（按${permilleToPercent(table.probationPayPermille)}发放）`,
      kind: 'preTaxDeduction',
      amountFen: reductionFen,
      ruleRef: `${ref}#probationPayPermille`,
    });
  }
  const q = input.qualificationLevel;
  const qualificationFen = q ? (table.qualificationAllowanceFen[q] ?? 0) : 0;
  if (q && qualificationFen > 0) {
    lines.push({
      code: 'qualification_allowance',
      nameZh: `职业资格津贴（${labelOf(QUALIFICATION_LEVELS, q)}）`,
      kind: 'earning',
      amountFen: qualificationFen,
      ruleRef: `${ref}#qualificationAllowance.${q}`,
    });
  }
  for (const a of input.allowances) {
    lines.push({ code: a.code, nameZh: a.nameZh, kind: 'earning', amountFen: a.amountFen, ruleRef: `input:allowance.${a.code}` });
  }
  for (const d of input.deductions.filter((x) => x.stage === 'preTax')) {
    lines.push({ code: d.code, nameZh: d.nameZh, kind: 'preTaxDeduction', amountFen: d.amountFen, ruleRef: `input:deduction.${d.code}` });
  }
  const earningsFen = sumFen(lines.filter((l) => l.kind === 'earning').map((l) => l.amountFen));
  const grossFen = earningsFen - sumFen(lines.filter((l) => l.kind === 'preTaxDeduction').map((l) => l.amountFen));
  if (grossFen < 0) return fail('gross_negative', `税前扣款超过应发工资（应发${fenToYuanString(grossFen)}元）`, { grossFen });

  const insurance = contributions(insuranceRule, input.declaredBaseFen);
  for (const c of insurance.lines) {
    if (c.employeeFen > 0) {
      lines.push({
        code: c.kind,
        nameZh: `个人缴纳${c.nameZh}`,
        kind: 'insurance',
        amountFen: c.employeeFen,
        ruleRef: `insurance:${insuranceRule.key}#${c.kind}`,
      });
    }
  }

  const taxRule = input.taxRule ?? RESIDENT_WAGE_TAX_RULE;
  const ts = input.taxState;
  const taxFreeFen = sumFen(input.allowances.filter((a) => a.isTaxFree).map((a) => a.amountFen));
  const after: TaxStateAfter = {
    monthsEmployed: ts.monthsEmployed,
    priorGrossFen: ts.priorGrossFen + grossFen,
    priorTaxFreeIncomeFen: ts.priorTaxFreeIncomeFen + taxFreeFen,
    priorEmployeeInsuranceFen: ts.priorEmployeeInsuranceFen + insurance.employeeTotalFen,
    priorSpecialDeductionsFen: ts.priorSpecialDeductionsFen + ts.specialDeductionsThisMonthFen,
    priorOtherDeductionsFen: ts.priorOtherDeductionsFen + ts.otherDeductionsThisMonthFen,
    taxWithheldSoFarFen: ts.taxWithheldSoFarFen,
  };
  const tax = withholdForMonth(
    {
      monthsEmployed: ts.monthsEmployed,
      cumulativeGrossFen: after.priorGrossFen,
      cumulativeTaxFreeIncomeFen: after.priorTaxFreeIncomeFen,
      cumulativeEmployeeInsuranceFen: after.priorEmployeeInsuranceFen,
      cumulativeSpecialDeductionsFen: after.priorSpecialDeductionsFen,
      cumulativeOtherDeductionsFen: after.priorOtherDeductionsFen,
      taxWithheldSoFarFen: ts.taxWithheldSoFarFen,
      cumulativeBasicDeductionFen: ts.cumulativeBasicDeductionFen,
    },
    taxRule,
  );
  after.taxWithheldSoFarFen += tax.thisMonthFen;
  lines.push({ code: 'income_tax', nameZh: '个人所得税', kind: 'tax', amountFen: tax.thisMonthFen, ruleRef: `tax:${taxRule.key}` });

  for (const d of input.deductions.filter((x) => x.stage === 'postTax')) {
    lines.push({ code: d.code, nameZh: d.nameZh, kind: 'postTaxDeduction', amountFen: d.amountFen, ruleRef: `input:deduction.${d.code}` });
  }
  const postTaxDeductionsFen = sumFen(lines.filter((l) => l.kind === 'postTaxDeduction').map((l) => l.amountFen));
  const netFen = grossFen - insurance.employeeTotalFen - tax.thisMonthFen - postTaxDeductionsFen;
  if (netFen < 0) return fail('net_negative', `扣款超过应发工资，实发为${fenToYuanString(netFen)}元`, { netFen });

  return ok({
    lines,
    earningsFen,
    grossFen,
    employeeInsuranceFen: insurance.employeeTotalFen,
    employerInsuranceFen: insurance.employerTotalFen,
    taxFen: tax.thisMonthFen,
    postTaxDeductionsFen,
    netFen,
    insurance,
    tax,
    taxStateAfter: after,
    rules: { payTable: table.key, insuranceRule: insuranceRule.key, taxRule: taxRule.key, isDemo: table.isDemo || insuranceRule.isDemo },
  });
}

/** 800 → "80%", 875 → "87.5%". */
function permilleToPercent(permille: number): string {
  return `${permille / 10}%`;
}

export interface AnnualFloorCheck {
  isBelowFloor: boolean;
  annualGrossFen: Fen;
  /** The floor: the previous year's local average wage of urban employees, an ANNUAL figure in fen. */
  floorFen: Fen;
  shortfallFen: Fen;
  messageZh: string;
}

/** Pay floor (保底): a worker's annual pay must not fall below the previous year's local annual average wage of urban employees. */
export function annualFloorCheck(annualGrossFen: Fen, averageWageAnnualFen: Fen): AnnualFloorCheck {
  const shortfallFen = Math.max(0, averageWageAnnualFen - annualGrossFen);
  const isBelowFloor = shortfallFen > 0;
  return {
    isBelowFloor,
    annualGrossFen,
    floorFen: averageWageAnnualFen,
    shortfallFen,
    messageZh: isBelowFloor
      ? `年度应发${fenToYuanString(annualGrossFen)}元，低于上年度当地城镇单位就业人员平均工资${fenToYuanString(averageWageAnnualFen)}元，差额${fenToYuanString(shortfallFen)}元`
      : `年度应发${fenToYuanString(annualGrossFen)}元，不低于上年度当地城镇单位就业人员平均工资${fenToYuanString(averageWageAnnualFen)}元`,
  };
}
