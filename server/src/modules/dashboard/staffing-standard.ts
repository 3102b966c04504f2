/**
 * Staffing standard (配备标准): community workers per 10,000 urban residents. The national
 * guidance and most provincial rules set 18 as the floor (range 18–25 by region). Per-region
 * values become a versioned rule set with the registry issue; this is the published default.
 */
export const DEFAULT_STAFFING_PER_10K = 18;

/** Headcount the standard asks for, rounded up to whole people. */
export function standardHeadcount(population: number, per10k = DEFAULT_STAFFING_PER_10K): number {
  return Math.ceil((population * per10k) / 10_000);
}

/** Actual workers per 10,000 residents, one decimal; null without population. */
export function ratioPer10k(headcount: number, population: number): number | null {
  if (population <= 0) return null;
  return Math.round((headcount * 100_000) / population) / 10;
}

export const AGE_BANDS = ['<30', '30-39', '40-49', '50-59', '≥60'] as const;

export function ageBandOf(age: number): (typeof AGE_BANDS)[number] {
  if (age < 30) return '<30';
  if (age < 40) return '30-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '≥60';
}
