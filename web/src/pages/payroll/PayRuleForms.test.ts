import { describe, expect, it } from 'vitest';
import {
  fieldsToInsurance,
  fieldsToPayTable,
  formatHundredths,
  formatPermille,
  insuranceToFields,
  parseHundredths,
  parsePermille,
  payTableToFields,
} from './PayRuleForms';

const TABLE = {
  key: 'hz-2026',
  nameZh: '杭州市社区工作者工资表',
  schemeKey: 'three_posts_18',
  regionCode: '3301',
  isDemo: true,
  pay: { mode: 'levelPay', postPayFen: { principal: 260000, deputy: 220000, staff: 160000 }, levelPayFen: { '1': 150000, '2': 162000 } },
  performance: {
    shareBp: 2000,
    basis: 'addOn',
    coefficientPermille: { excellent: 1200, competent: 1000, basically_competent: 600, incompetent: 0 },
    withoutResultPermille: 1000,
  },
  qualificationAllowanceFen: { intermediate: 30000 },
  rounding: { unit: 'fen', mode: 'halfUp' },
};

describe('pay rule forms', () => {
  it('parses percentages and factors from their digits, never through floating point', () => {
    expect(parseHundredths('8.5')).toBe(850);
    expect(parseHundredths('12')).toBe(1200);
    expect(parseHundredths('0.29')).toBe(29);
    expect(parseHundredths('1.234')).toBeNull();
    expect(parseHundredths('abc')).toBeNull();
    expect(formatHundredths(850)).toBe('8.5');
    expect(formatHundredths(805)).toBe('8.05');
    expect(parsePermille('1.2')).toBe(1200);
    expect(parsePermille('0.6')).toBe(600);
    expect(parsePermille('1.2345')).toBeNull();
    expect(formatPermille(1200)).toBe('1.2');
    expect(formatPermille(0)).toBe('0');
  });

  it('round-trips a pay table through the form and keeps fields the form does not show', () => {
    const fields = payTableToFields(TABLE);
    expect(fields.postPay.principal).toBe('2600.00');
    expect(fields.resultFactors.excellent).toBe('1.2');
    expect(fields.probationPercent).toBe('100');
    expect(fieldsToPayTable(TABLE, fields)).toEqual({ ...TABLE, probationPayPermille: 1000 });

    const edited = fieldsToPayTable(TABLE, {
      ...fields,
      levelPay: { ...fields.levelPay, '2': '1,650.5' },
      probationPercent: '80',
      qualification: { ...fields.qualification, senior: '500' },
    });
    expect((edited.pay as { levelPayFen: Record<string, number> }).levelPayFen['2']).toBe(165050);
    expect(edited.probationPayPermille).toBe(800);
    expect(edited.qualificationAllowanceFen).toEqual({ intermediate: 30000, senior: 50000 });
    expect(edited.rounding).toEqual(TABLE.rounding);
  });

  it('turns a bad amount into NaN so the server refuses it rather than saving a zero', () => {
    const fields = payTableToFields(TABLE);
    const bad = fieldsToPayTable(TABLE, { ...fields, postPay: { ...fields.postPay, staff: '12.345' } });
    expect((bad.pay as { postPayFen: Record<string, number> }).postPayFen.staff).toBeNaN();
  });

  it('round-trips a 五险一金 rule with rates in percent', () => {
    const rule = {
      key: 'hz-2026',
      nameZh: '杭州 2026',
      year: 2026,
      isDemo: false,
      source: '杭人社发〔2026〕1号',
      averageWageMonthlyFen: 652500,
      baseFloorBp: 6000,
      baseCapBp: 30000,
      rates: {
        pension: { employeeBp: 800, employerBp: 1400 },
        medical: { employeeBp: 200, employerBp: 990 },
        unemployment: { employeeBp: 50, employerBp: 50 },
        injury: { employeeBp: 0, employerBp: 20 },
        maternity: { employeeBp: 0, employerBp: 0 },
        housing_fund: { employeeBp: 1200, employerBp: 1200 },
      },
    };
    const fields = insuranceToFields(rule);
    expect(fields.rates.medical).toEqual({ employee: '2', employer: '9.9' });
    expect(fields.averageWageYuan).toBe('6525.00');
    expect(fieldsToInsurance(rule, fields)).toEqual(rule);
    expect(
      fieldsToInsurance(rule, { ...fields, rates: { ...fields.rates, pension: { employee: '8.5', employer: '16' } } }).rates,
    ).toMatchObject({
      pension: { employeeBp: 850, employerBp: 1600 },
    });
  });
});
