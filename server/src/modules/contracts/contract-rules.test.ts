import { describe, expect, it } from 'vitest';
import { addDays, addMonths, lastProbationDay, probationLimit, termAtLeastMonths } from './contract-rules.ts';

describe('contract dates', () => {
  it('adds months clamped to the month end, and days across years', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('counts a term with both ends inclusive', () => {
    expect(termAtLeastMonths('2026-01-01', '2026-12-31', 12)).toBe(true);
    expect(termAtLeastMonths('2026-01-01', '2026-12-30', 12)).toBe(false);
    expect(lastProbationDay('2026-01-01', 1)).toBe('2026-01-31');
    expect(lastProbationDay('2026-01-15', 6)).toBe('2026-07-14');
  });
});

describe('probationLimit (劳动合同法 §19)', () => {
  const fixed = (startDate: string, endDate: string) => probationLimit({ contractType: 'fixed_term', startDate, endDate });
  it('follows the term bands', () => {
    expect(fixed('2026-01-01', '2026-03-30').maxMonths).toBe(0);
    expect(fixed('2026-01-01', '2026-03-31').maxMonths).toBe(1);
    expect(fixed('2026-01-01', '2026-12-30').maxMonths).toBe(1);
    expect(fixed('2026-01-01', '2026-12-31').maxMonths).toBe(2);
    expect(fixed('2026-01-01', '2028-12-30').maxMonths).toBe(2);
    expect(fixed('2026-01-01', '2028-12-31').maxMonths).toBe(6);
  });

  it('allows 6 months for open-ended contracts and none for project contracts, with the source', () => {
    expect(probationLimit({ contractType: 'open_ended', startDate: '2026-01-01', endDate: null })).toEqual({
      maxMonths: 6,
      explanation: '无固定期限劳动合同试用期不得超过6个月（《劳动合同法》第十九条）',
    });
    expect(probationLimit({ contractType: 'project', startDate: '2026-01-01', endDate: '2027-01-01' }).maxMonths).toBe(0);
  });
});
