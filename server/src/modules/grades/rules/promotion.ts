import { assessmentLabel, type AssessmentResult } from './assessment-results.ts';
import { yearOf } from './full-years.ts';
import { findBand, type GradeScheme } from './grade-scheme.ts';
import { fail, ok, type RuleResult } from './rule-result.ts';

export interface YearResult {
  year: number;
  result: AssessmentResult;
}

export interface PromotionInput {
  currentBand: string;
  currentLevel: number;
  /** Effective date of the last level change (initial grading, a step, or a re-banding that changed the level). */
  lastStepDate: string;
  /** Early steps already taken in this worker's career. */
  earlyStepsUsed: number;
  /** Annual assessment results, any years; one per year. */
  results: readonly YearResult[];
  /** The run's year: a step takes effect on `runYear`-01-01 and uses results up to `runYear − 1`. */
  runYear: number;
}

export type PromotionKind = 'regular' | 'early' | 'none';
/** Why no step was taken. */
export type PromotionBlock = 'already_applied' | 'band_top' | 'not_enough_years';

export interface PromotionYear {
  year: number;
  result: AssessmentResult | null;
  isCounted: boolean;
}

export interface PromotionExplanation {
  rule: 'grades.promotion';
  schemeKey: string;
  bandKey: string;
  fromLevel: number;
  toLevel: number;
  kind: PromotionKind;
  blockedBy: PromotionBlock | null;
  effectiveDate: string;
  /** Assessment years considered: from the first whole year after the last step to runYear − 1 (empty when from > to). */
  window: { fromYear: number; toYear: number };
  years: PromotionYear[];
  countedYears: number;
  stepYears: number;
  countingResults: AssessmentResult[];
  /** The consecutive 优秀 years that allowed an early step, when one was taken. */
  excellentRun: number[] | null;
  earlyStepsUsedBefore: number;
  maxEarlySteps: number;
  textZh: string;
}

export interface Promotion {
  band: string;
  level: number;
  isStepped: boolean;
  kind: PromotionKind;
  /** `runYear`-01-01 */
  effectiveDate: string;
  /** To store: the new last step date when stepped, else unchanged. Re-running the same year with it yields no step. */
  lastStepDate: string;
  /** To store: the early steps used after this run. */
  earlyStepsUsed: number;
  explanation: PromotionExplanation;
}

/**
 * The first assessment year that counts after a step: a step on 1 January counts that year; a
 * step on any later day (an initial grading mid-year) counts from the next year, since the year of
 * the change was not served wholly at the level.
 */
export function firstCountableYear(lastStepDate: string): number {
  const year = yearOf(lastStepDate);
  return lastStepDate.endsWith('-01-01') ? year : year + 1;
}

/** The first `needed` consecutive 优秀 years in the window, or null. */
function firstExcellentRun(years: PromotionYear[], needed: number): number[] | null {
  let run: number[] = [];
  for (const y of years) {
    if (y.result === 'excellent' && (run.length === 0 || run[run.length - 1] === y.year - 1)) run.push(y.year);
    else run = y.result === 'excellent' ? [y.year] : [];
    if (run.length >= needed) return run.slice(run.length - needed);
  }
  return null;
}

/**
 * The annual promotion run for one worker (晋级, effective 1 January of `runYear`): one level
 * when `stepYears` counted years have passed since the last step, counting only years whose
 * result is in `countingResults` (others are skipped, not reset); otherwise one early step for
 * consecutive 优秀 years since the last step while fewer than `maxEarlySteps` were used; never
 * above the band's top. At most one level per run; counted years beyond the step do not carry
 * over. Idempotent: with the returned `lastStepDate` stored, a re-run of the same year does nothing.
 */
export function promote(scheme: GradeScheme, input: PromotionInput): RuleResult<Promotion> {
  const band = findBand(scheme, input.currentBand);
  if (!band)
    return fail('band_not_in_scheme', `等级方案“${scheme.nameZh}”中没有岗位序列 ${input.currentBand}`, { band: input.currentBand });
  if (input.currentLevel < band.minLevel || input.currentLevel > band.maxLevel) {
    return fail('level_outside_band', `现等级${input.currentLevel}级不在${band.nameZh}（${band.minLevel}–${band.maxLevel}级）范围内`, {
      band: band.key,
      level: input.currentLevel,
    });
  }
  const byYear = new Map<number, AssessmentResult>();
  for (const r of input.results) {
    if (byYear.has(r.year)) return fail('duplicate_assessment_year', `${r.year}年有多条考核结果`, { year: r.year });
    byYear.set(r.year, r.result);
  }

  const effectiveDate = `${input.runYear}-01-01`;
  const fromYear = firstCountableYear(input.lastStepDate);
  const toYear = input.runYear - 1;
  const years: PromotionYear[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    const result = byYear.get(y) ?? null;
    years.push({ year: y, result, isCounted: result !== null && scheme.countingResults.includes(result) });
  }
  const countedYears = years.filter((y) => y.isCounted).length;
  const { consecutiveExcellentYears, maxEarlySteps } = scheme.earlyStep;
  const excellentRun = firstExcellentRun(years, consecutiveExcellentYears);

  let kind: PromotionKind = 'none';
  let blockedBy: PromotionBlock | null = null;
  if (input.lastStepDate >= effectiveDate) blockedBy = 'already_applied';
  else if (countedYears >= scheme.stepYears) kind = 'regular';
  else if (excellentRun && input.earlyStepsUsed < maxEarlySteps) kind = 'early';
  else blockedBy = 'not_enough_years';
  if (kind !== 'none' && input.currentLevel >= band.maxLevel) {
    kind = 'none';
    blockedBy = 'band_top';
  }

  const isStepped = kind !== 'none';
  const level = isStepped ? input.currentLevel + 1 : input.currentLevel;
  const earlyStepsUsed = input.earlyStepsUsed + (kind === 'early' ? 1 : 0);

  const yearText = years.length
    ? years.map((y) => `${y.year}年${y.result ? assessmentLabel(y.result) : '无考核结果'}（${y.isCounted ? '计入' : '不计'}）`).join('、')
    : '无可计年度';
  let outcome: string;
  if (kind === 'regular') outcome = `满${scheme.stepYears}年，${effectiveDate}起由${input.currentLevel}级晋升为${level}级`;
  else if (kind === 'early') {
    outcome =
      `未满${scheme.stepYears}年，但${excellentRun?.join('、')}年连续优秀，提前晋升一级（职业生涯第${earlyStepsUsed}次，最多${maxEarlySteps}次），` +
      `${effectiveDate}起由${input.currentLevel}级晋升为${level}级`;
  } else if (blockedBy === 'already_applied') outcome = `本年度晋级已于${input.lastStepDate}生效，不重复晋级`;
  else if (blockedBy === 'band_top') outcome = `已达${band.nameZh}最高${band.maxLevel}级，不再晋级`;
  else {
    outcome = `不满${scheme.stepYears}年，不晋级`;
    if (excellentRun) outcome += `（连续优秀，但提前晋级已用满${maxEarlySteps}次）`;
  }
  const textZh = `自上次定级/晋级（${input.lastStepDate}）起：${yearText}；计入${countedYears}年。${outcome}`;

  return ok({
    band: band.key,
    level,
    isStepped,
    kind,
    effectiveDate,
    lastStepDate: isStepped ? effectiveDate : input.lastStepDate,
    earlyStepsUsed,
    explanation: {
      rule: 'grades.promotion',
      schemeKey: scheme.key,
      bandKey: band.key,
      fromLevel: input.currentLevel,
      toLevel: level,
      kind,
      blockedBy,
      effectiveDate,
      window: { fromYear, toYear },
      years,
      countedYears,
      stepYears: scheme.stepYears,
      countingResults: [...scheme.countingResults],
      excellentRun: kind === 'early' ? excellentRun : null,
      earlyStepsUsedBefore: input.earlyStepsUsed,
      maxEarlySteps,
      textZh,
    },
  });
}

export interface Reband {
  band: string;
  level: number;
  change: 'kept' | 'raised_to_band_min' | 'lowered_to_band_max';
  explanation: { rule: 'grades.reband'; fromLevel: number; bandKey: string; bandMinLevel: number; bandMaxLevel: number; textZh: string };
}

/**
 * Re-banding on a change of post (岗位变动): the level is kept when it lies in the new band,
 * else it moves to the nearest end. The last step date is the caller's to keep: years keep
 * counting across a change of post.
 */
export function rebandOnPostChange(scheme: GradeScheme, input: { level: number; newBand: string }): RuleResult<Reband> {
  const band = findBand(scheme, input.newBand);
  if (!band) return fail('band_not_in_scheme', `等级方案“${scheme.nameZh}”中没有岗位序列 ${input.newBand}`, { band: input.newBand });
  const level = Math.min(Math.max(input.level, band.minLevel), band.maxLevel);
  const change = level === input.level ? 'kept' : level > input.level ? 'raised_to_band_min' : 'lowered_to_band_max';
  const range = `${band.nameZh}（${band.minLevel}–${band.maxLevel}级）`;
  const textZh =
    change === 'kept'
      ? `${input.level}级在${range}范围内，保留${level}级`
      : change === 'raised_to_band_min'
        ? `${input.level}级低于${range}起点，就近调整为${level}级`
        : `${input.level}级高于${range}最高级，就近调整为${level}级`;
  return ok({
    band: band.key,
    level,
    change,
    explanation: {
      rule: 'grades.reband',
      fromLevel: input.level,
      bandKey: band.key,
      bandMinLevel: band.minLevel,
      bandMaxLevel: band.maxLevel,
      textZh,
    },
  });
}
