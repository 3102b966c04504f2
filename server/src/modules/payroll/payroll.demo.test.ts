import { expect, it } from 'vitest';
import { previousMonth } from './payroll.demo.ts';

it('takes the month before, across a year end', () => {
  expect(previousMonth('2026-11')).toBe('2026-10');
  expect(previousMonth('2026-10')).toBe('2026-09');
  expect(previousMonth('2026-01')).toBe('2025-12');
});
