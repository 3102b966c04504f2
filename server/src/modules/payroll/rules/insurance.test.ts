import { describe, expect, it } from 'vitest';
import { DEMO_INSURANCE_RULE_HANGZHOU, ZInsuranceRule, baseLimits, contributions, type InsuranceRuleInput } from './insurance.ts';

const HZ = DEMO_INSURANCE_RULE_HANGZHOU;
const byKind = (c: ReturnType<typeof contributions>) => Object.fromEntries(c.lines.map((l) => [l.kind, [l.employeeFen, l.employerFen]]));

describe('ZInsuranceRule', () => {
  it('validates the 杭州 demo rule (marked demo), also after a JSON round trip', () => {
    expect(ZInsuranceRule.parse(JSON.parse(JSON.stringify(HZ)))).toEqual(HZ);
    expect(HZ.isDemo).toBe(true);
    expect([HZ.baseFloorBp, HZ.baseCapBp]).toEqual([6_000, 30_000]);
  });

  it('accepts housing fund rates of 5% and 12% and rejects 4.99% and 12.01%', () => {
    const withFund = (employeeBp: number, employerBp: number): InsuranceRuleInput => ({
      ...HZ,
      rates: { ...HZ.rates, housing_fund: { employeeBp, employerBp } },
    });
    expect(ZInsuranceRule.safeParse(withFund(500, 1_200)).success).toBe(true);
    expect(ZInsuranceRule.safeParse(withFund(499, 1_200)).success).toBe(false);
    expect(ZInsuranceRule.safeParse(withFund(1_200, 1_201)).success).toBe(false);
  });

  it('requires all six kinds and rejects a fund floor above its cap', () => {
    const { maternity: _m, ...five } = HZ.rates;
    expect(ZInsuranceRule.safeParse({ ...HZ, rates: five }).success).toBe(false);
    expect(ZInsuranceRule.safeParse({ ...HZ, housingFundBase: { floorFen: 300_000, capFen: 200_000 } }).success).toBe(false);
  });
});

describe('contributions (杭州 demo: average wage 7,400 a month → floor 4,440, cap 22,200)', () => {
  it('computes the limits as 60% and 300% of the monthly average wage', () => {
    expect(baseLimits(HZ)).toEqual({ floorFen: 444_000, capFen: 2_220_000 });
  });

  it('inside the limits: base 10,000 → employee 800 + 200 + 50 + 1,200 = 2,250; employer 1,600 + 950 + 50 + 20 + 0 + 1,200 = 3,820', () => {
    const c = contributions(HZ, 1_000_000);
    expect([c.clampedBase, c.clampedFrom]).toEqual([1_000_000, null]);
    expect(byKind(c)).toEqual({
      pension: [80_000, 160_000],
      medical: [20_000, 95_000],
      unemployment: [5_000, 5_000],
      injury: [0, 2_000],
      maternity: [0, 0],
      housing_fund: [120_000, 120_000],
    });
    expect([c.employeeTotalFen, c.employerTotalFen]).toEqual([225_000, 382_000]);
  });

  it('below the floor: 3,000 → 4,440; employee 355.20 + 88.80 + 22.20 + 532.80 = 999.00; employer 710.40 + 421.80 + 22.20 + 8.88 + 532.80 = 1,696.08', () => {
    const c = contributions(HZ, 300_000);
    expect([c.declaredBaseFen, c.clampedBase, c.clampedFrom]).toEqual([300_000, 444_000, 'floor']);
    expect([c.employeeTotalFen, c.employerTotalFen]).toEqual([99_900, 169_608]);
  });

  it('above the cap: 30,000 → 22,200; employee 1,776 + 444 + 111 + 2,664 = 4,995', () => {
    const c = contributions(HZ, 3_000_000);
    expect([c.clampedBase, c.clampedFrom, c.employeeTotalFen]).toEqual([2_220_000, 'cap', 499_500]);
  });

  it('exactly at the floor or the cap is not clamped; one fen past the cap is', () => {
    expect(contributions(HZ, 444_000).clampedFrom).toBeNull();
    expect(contributions(HZ, 2_220_000).clampedFrom).toBeNull();
    expect(contributions(HZ, 2_220_001).clampedFrom).toBe('cap');
    expect(contributions(HZ, 443_999).clampedFrom).toBe('floor');
  });

  it('rounds each line half-up to the fen: 6,525 × 0.5% = 32.625 → 32.63; 6,525 × 9.5% = 619.875 → 619.88', () => {
    const c = contributions(HZ, 652_500);
    expect(byKind(c).unemployment).toEqual([3_263, 3_263]);
    expect(byKind(c).medical).toEqual([13_050, 61_988]);
  });

  it('applies per-kind rounding: fund to the yuan, 6,543.21 × 12% = 785.1852 → 785 (to the fen it would be 785.19)', () => {
    expect(byKind(contributions(HZ, 654_321)).housing_fund).toEqual([78_519, 78_519]);
    const r = ZInsuranceRule.parse({ ...HZ, contributionRoundingByKind: { housing_fund: { unit: 'yuan', mode: 'halfUp' } } });
    expect(byKind(contributions(r, 654_321)).housing_fund).toEqual([78_500, 78_500]);
  });

  it('rounds the limits by baseRounding: average 7,412.34 → floor 4,447.404 → 4,447 to the yuan (down) and 4,447.40 to the fen', () => {
    const r = ZInsuranceRule.parse({ ...HZ, averageWageMonthlyFen: 741_234 });
    expect(baseLimits(r).floorFen).toBe(444_740);
    expect(baseLimits(ZInsuranceRule.parse({ ...r, baseRounding: { unit: 'yuan', mode: 'down' } })).floorFen).toBe(444_700);
  });

  it('clamps the housing fund to its own limits where set: declared 3,000 → social base 4,440, fund base 3,000 (fund floor 2,490)', () => {
    const r = ZInsuranceRule.parse({ ...HZ, housingFundBase: { floorFen: 249_000, capFen: 3_600_000 } });
    const c = contributions(r, 300_000);
    expect([c.clampedBase, c.housingFundBase]).toEqual([444_000, 300_000]);
    expect(byKind(c).housing_fund).toEqual([36_000, 36_000]);
  });
});
