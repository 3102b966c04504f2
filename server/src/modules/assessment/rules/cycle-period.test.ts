import { describe, expect, it } from 'vitest';
import { assessmentCyclePeriod, cyclePeriodLabel } from './cycle-period.ts';

describe('cycle periods', () => {
  it('gives a half-year or quarter cycle its own months, month ends and leap February included', () => {
    expect(assessmentCyclePeriod(2026, 'annual', null)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(assessmentCyclePeriod(2026, 'half_year', 1)).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(assessmentCyclePeriod(2026, 'half_year', 2)).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    expect(assessmentCyclePeriod(2028, 'quarter', 1)).toEqual({ from: '2028-01-01', to: '2028-03-31' });
    expect(assessmentCyclePeriod(2026, 'quarter', 2)).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(assessmentCyclePeriod(2026, 'quarter', 3)).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(assessmentCyclePeriod(2026, 'quarter', 4)).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });

  it('labels the year, the half or the quarter', () => {
    expect(cyclePeriodLabel(2026, 'annual', null)).toBe('2026年度');
    expect(cyclePeriodLabel(2026, 'half_year', 2)).toBe('2026年下半年');
    expect(cyclePeriodLabel(2026, 'quarter', 3)).toBe('2026年第三季度');
  });
});
