/**
 * Staffing standard (配备标准): community workers per 10,000 urban residents. The national
 * guidance and most provincial rules set 18 as the floor (range 18–25 by region). Regions set
 * their own as versioned rules (staffing_standards); this default applies where none is set.
 */
export const DEFAULT_STAFFING_PER_10K = 18;

/** Values a region may set: the published range is 18–25; we allow some room either side. */
export const STAFFING_PER_10K_RANGE = { min: 10, max: 50 } as const;
/** 社区工作者 per community cap (published local rules: 15–17). */
export const COMMUNITY_CAP_RANGE = { min: 3, max: 60 } as const;

/** Headcount the standard asks for, rounded up to whole people. */
export function standardHeadcount(population: number, per10k = DEFAULT_STAFFING_PER_10K): number {
  return Math.ceil((population * per10k) / 10_000);
}

/** Actual workers per 10,000 residents, one decimal; null without population. */
export function ratioPer10k(headcount: number, population: number): number | null {
  if (population <= 0) return null;
  return Math.round((headcount * 100_000) / population) / 10;
}
