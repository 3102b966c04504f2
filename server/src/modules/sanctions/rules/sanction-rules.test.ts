import { describe, expect, it } from 'vitest';
import {
  assessmentYearPeriod,
  checkSanctionDates,
  isInInfluencePeriod,
  vetoesFromSanctions,
  type SanctionForVeto,
} from './sanction-rules.ts';

describe('checkSanctionDates', () => {
  it('accepts a decision up to today and an influence period ending on or after it', () => {
    expect(checkSanctionDates({ decidedOn: '2026-11-29' }, '2026-11-29')).toBeNull();
    expect(checkSanctionDates({ decidedOn: '2026-03-01', endsOn: '2026-03-01' }, '2026-11-29')).toBeNull();
    expect(checkSanctionDates({ decidedOn: '2026-03-01', endsOn: null }, '2026-11-29')).toBeNull();
  });
  it('refuses a decision in the future, naming decidedOn in Chinese', () => {
    const issue = checkSanctionDates({ decidedOn: '2026-11-30' }, '2026-11-29');
    expect(issue?.field).toBe('decidedOn');
    expect(issue?.message).toContain('处分决定日期');
  });
  it('refuses an influence period that ends before the decision, naming endsOn', () => {
    const issue = checkSanctionDates({ decidedOn: '2026-03-01', endsOn: '2026-02-28' }, '2026-11-29');
    expect(issue?.field).toBe('endsOn');
    expect(issue?.message).toContain('影响期截止日期');
  });
});

describe('isInInfluencePeriod', () => {
  it('holds for an in-force sanction until its end date, always without one, never once revoked', () => {
    expect(isInInfluencePeriod({ status: 'in_force', endsOn: '2026-12-31' }, '2026-12-31')).toBe(true);
    expect(isInInfluencePeriod({ status: 'in_force', endsOn: '2026-12-31' }, '2027-01-01')).toBe(false);
    expect(isInInfluencePeriod({ status: 'in_force', endsOn: null }, '2030-01-01')).toBe(true);
    expect(isInInfluencePeriod({ status: 'revoked', endsOn: null }, '2026-01-01')).toBe(false);
  });
});

describe('vetoesFromSanctions', () => {
  const s = (id: number, workerId: number, kind: SanctionForVeto['kind'], decidedOn: string, documentNo: string | null = null) => ({
    id,
    workerId,
    kind,
    decidedOn,
    documentNo,
  });

  it('maps every kind to disciplinary_sanction and criminal liability to its own item when the template has it', () => {
    const map = vetoesFromSanctions(
      [
        s(2, 7, 'criminal_liability', '2026-05-01'),
        s(1, 7, 'warning', '2026-03-01', '西湖纪〔2026〕3号'),
        s(3, 8, 'demerit', '2026-04-01'),
      ],
      ['disciplinary_sanction', 'criminal_liability'],
    );
    expect(map.get(7)).toEqual({
      keys: ['disciplinary_sanction', 'criminal_liability'],
      sanctionIds: [1, 2],
      noteZh: '处分登记：2026-03-01 警告（西湖纪〔2026〕3号）、2026-05-01 被依法追究刑事责任',
    });
    expect(map.get(8)?.keys).toEqual(['disciplinary_sanction']);
  });

  it('falls back to disciplinary_sanction for criminal liability, and triggers nothing the template lacks', () => {
    expect(vetoesFromSanctions([s(1, 7, 'criminal_liability', '2026-05-01')], ['disciplinary_sanction']).get(7)?.keys).toEqual([
      'disciplinary_sanction',
    ]);
    expect(vetoesFromSanctions([s(1, 7, 'warning', '2026-05-01')], ['criminal_liability']).size).toBe(0);
    expect(vetoesFromSanctions([s(1, 7, 'warning', '2026-05-01')], []).size).toBe(0);
  });

  it('gives the calendar year as the assessment period', () => {
    expect(assessmentYearPeriod(2026)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });
});
