import { describe, expect, it } from 'vitest';
import { fullYearsBetween, yearOf } from './full-years.ts';

describe('fullYearsBetween (counted like an age)', () => {
  it('is full only on the anniversary', () => {
    expect(fullYearsBetween('2020-03-01', '2023-02-28')).toBe(2);
    expect(fullYearsBetween('2020-03-01', '2023-03-01')).toBe(3);
    expect(fullYearsBetween('2020-03-01', '2020-03-01')).toBe(0);
    expect(fullYearsBetween('2020-12-31', '2021-12-30')).toBe(0);
    expect(fullYearsBetween('2020-12-31', '2021-12-31')).toBe(1);
  });

  it('puts the anniversary of 02-29 on 03-01 in common years', () => {
    expect(fullYearsBetween('2020-02-29', '2021-02-28')).toBe(0);
    expect(fullYearsBetween('2020-02-29', '2021-03-01')).toBe(1);
    expect(fullYearsBetween('2020-02-29', '2024-02-29')).toBe(4);
  });

  it('is negative when asOf precedes start, and rejects malformed dates', () => {
    expect(fullYearsBetween('2026-06-01', '2025-06-01')).toBe(-1);
    expect(() => fullYearsBetween('2026-6-1', '2027-01-01')).toThrow(RangeError);
    expect(yearOf('2026-11-29')).toBe(2026);
  });
});
