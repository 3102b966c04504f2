import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME } from '../../grades/rules/grade-scheme.ts';
import { yuan } from './money.ts';
import {
  DEMO_PAY_TABLE_BENXI_COEFFICIENT,
  DEMO_PAY_TABLE_NINGXIA,
  DEMO_PAY_TABLE_THREE_POSTS,
  ZPayTable,
  payTableGaps,
  type PayTable,
  type PayTableInput,
} from './pay-table.ts';
import { standardPay } from './slip.ts';

const DEMOS = [DEMO_PAY_TABLE_THREE_POSTS, DEMO_PAY_TABLE_NINGXIA, DEMO_PAY_TABLE_BENXI_COEFFICIENT];

function std(table: PayTable, band: string, level: number) {
  const r = standardPay(table, band, level);
  if (!r.ok) throw new Error(r.reason.messageZh);
  return { S: r.value.standardMonthlyFen, P: r.value.performanceStandardFen, fixed: r.value.fixedLines.map((l) => [l.code, l.amountFen]) };
}

describe('ZPayTable', () => {
  it('validates the three demo tables (level pay and coefficient) with one schema, after a JSON round trip, all marked demo', () => {
    for (const t of DEMOS) {
      expect(ZPayTable.parse(JSON.parse(JSON.stringify(t)))).toEqual(t);
      expect(t.isDemo).toBe(true);
    }
    expect(DEMO_PAY_TABLE_BENXI_COEFFICIENT.pay.mode).toBe('coefficient');
    expect(DEMO_PAY_TABLE_THREE_POSTS.performance.coefficientPermille).toEqual({
      excellent: 1_200,
      competent: 1_000,
      basically_competent: 600,
      incompetent: 0,
    });
  });

  it('rejects a 100% performance share, negative or fractional fen, unknown result codes and level 0', () => {
    const base: PayTableInput = {
      key: 't',
      nameZh: '测试',
      schemeKey: 'x',
      isDemo: true,
      pay: { mode: 'levelPay', postPayFen: { staff: 100 }, levelPayFen: { '1': 100 } },
      performance: { basis: 'addOn' },
    };
    expect(ZPayTable.safeParse(base).success).toBe(true);
    expect(ZPayTable.parse(base).performance.shareBp).toBe(2_000);
    expect(ZPayTable.safeParse({ ...base, performance: { basis: 'addOn', shareBp: 10_000 } }).success).toBe(false);
    expect(ZPayTable.safeParse({ ...base, pay: { mode: 'levelPay', postPayFen: { staff: -1 }, levelPayFen: {} } }).success).toBe(false);
    expect(ZPayTable.safeParse({ ...base, pay: { mode: 'levelPay', postPayFen: { staff: 1.5 }, levelPayFen: {} } }).success).toBe(false);
    expect(ZPayTable.safeParse({ ...base, pay: { mode: 'levelPay', postPayFen: {}, levelPayFen: { '0': 1 } } }).success).toBe(false);
    expect(ZPayTable.safeParse({ ...base, performance: { basis: 'addOn', coefficientPermille: { outstanding: 1500 } } }).success).toBe(
      false,
    );
  });
});

describe('payTableGaps', () => {
  it('finds no gap between each demo table and its scheme', () => {
    expect(payTableGaps(DEMO_PAY_TABLE_THREE_POSTS, DEFAULT_GRADE_SCHEME)).toEqual([]);
    expect(payTableGaps(DEMO_PAY_TABLE_BENXI_COEFFICIENT, DEFAULT_GRADE_SCHEME)).toEqual([]);
    expect(payTableGaps(DEMO_PAY_TABLE_NINGXIA, NINGXIA_2025_GRADE_SCHEME)).toEqual([]);
  });

  it('lists a wrong scheme, a missing band and missing levels', () => {
    const gaps = payTableGaps(DEMO_PAY_TABLE_THREE_POSTS, NINGXIA_2025_GRADE_SCHEME);
    expect(gaps).toContain('工资表适用方案 three_posts_18_levels，而非 ningxia_2025_four_posts_24_levels');
    expect(gaps).toContain('一岗（正职）无岗位工资');
    expect(gaps).toContain('一岗（正职）19级无薪级工资');
  });

  it('flags a qualification allowance where the scheme already grants levels (double benefit)', () => {
    const t = ZPayTable.parse({ ...DEMO_PAY_TABLE_THREE_POSTS, qualificationAllowanceFen: { senior: yuan(500) } });
    expect(payTableGaps(t, DEFAULT_GRADE_SCHEME)).toEqual(['等级方案已按职业资格加级，工资表不应再发职业资格津贴']);
  });
});

describe('standardPay', () => {
  it('level pay, performance added on: 正职 12 = 岗位 2,400 + 薪级 (1,500 + 120×11 = 2,820) = 5,220; P = 5,220 × 20/80 = 1,305', () => {
    expect(std(DEMO_PAY_TABLE_THREE_POSTS, 'principal', 12)).toEqual({
      S: 522_000,
      P: 130_500,
      fixed: [
        ['post_pay', 240_000],
        ['level_pay', 282_000],
      ],
    });
  });

  it('本溪 coefficient, performance carved out: 正职 12 coefficient 1.000 + 0.05×11 + 0.2 = 1.75 → 3,400 × 1.75 = 5,950; P = 20% = 1,190; fixed 4,760', () => {
    expect(std(DEMO_PAY_TABLE_BENXI_COEFFICIENT, 'principal', 12)).toEqual({ S: 595_000, P: 119_000, fixed: [['base_pay', 476_000]] });
  });

  it('本溪 其他 1: 3,400 × 1.000 = 3,400; P = 680; fixed 2,720', () => {
    expect(std(DEMO_PAY_TABLE_BENXI_COEFFICIENT, 'staff', 1)).toEqual({ S: 340_000, P: 68_000, fixed: [['base_pay', 272_000]] });
  });

  it('宁夏 三岗 9: 岗位 1,900 + 薪级 (1,400 + 100×8 = 2,200) = 4,100; P = 4,100 / 4 = 1,025', () => {
    expect(std(DEMO_PAY_TABLE_NINGXIA, 'band_c', 9)).toMatchObject({ S: 410_000, P: 102_500 });
  });

  it('rounds a coefficient product by the table rounding: 3,400.01 × 1.005 = 3,417.01005 → 3,417.01', () => {
    const t = ZPayTable.parse({
      ...DEMO_PAY_TABLE_BENXI_COEFFICIENT,
      pay: { mode: 'coefficient', baseFen: 340_001, coefficientPermille: { staff: { '1': 1_005 } } },
    });
    expect(std(t, 'staff', 1).S).toBe(341_701);
    const toYuan = ZPayTable.parse({ ...t, rounding: { unit: 'yuan', mode: 'halfUp' } });
    expect(std(toYuan, 'staff', 1).S).toBe(341_700);
  });

  it('reports a band or level missing from the table', () => {
    expect(standardPay(DEMO_PAY_TABLE_THREE_POSTS, 'band_a', 12)).toMatchObject({ ok: false, reason: { code: 'band_not_in_pay_table' } });
    expect(standardPay(DEMO_PAY_TABLE_THREE_POSTS, 'staff', 19)).toMatchObject({ ok: false, reason: { code: 'level_not_in_pay_table' } });
    expect(standardPay(DEMO_PAY_TABLE_BENXI_COEFFICIENT, 'band_a', 1)).toMatchObject({
      ok: false,
      reason: { code: 'band_not_in_pay_table' },
    });
    expect(standardPay(DEMO_PAY_TABLE_BENXI_COEFFICIENT, 'staff', 13)).toMatchObject({
      ok: false,
      reason: { code: 'level_not_in_pay_table' },
    });
  });
});
