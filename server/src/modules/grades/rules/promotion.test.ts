import { describe, expect, it } from 'vitest';
import type { AssessmentResult } from './assessment-results.ts';
import { DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME, ZGradeScheme, type GradeScheme } from './grade-scheme.ts';
import { firstCountableYear, promote, rebandOnPostChange, type Promotion, type PromotionInput } from './promotion.ts';

const E: AssessmentResult = 'excellent';
const C: AssessmentResult = 'competent';
const B: AssessmentResult = 'basically_competent';
const U: AssessmentResult = 'incompetent';

/** Results from `firstYear` on, one per year (null = no result that year). */
function results(firstYear: number, ...rs: (AssessmentResult | null)[]) {
  return rs.flatMap((result, i) => (result ? [{ year: firstYear + i, result }] : []));
}

function run(
  input: Partial<PromotionInput> & Pick<PromotionInput, 'results' | 'runYear'>,
  scheme: GradeScheme = DEFAULT_GRADE_SCHEME,
): Promotion {
  const r = promote(scheme, { currentBand: 'staff', currentLevel: 5, lastStepDate: '2021-01-01', earlyStepsUsed: 0, ...input });
  if (!r.ok) throw new Error(r.reason.messageZh);
  return r.value;
}

describe('promote — regular step every 3 counted years (三岗十八级, 其他 level 5, last step 2021-01-01)', () => {
  it('2021–2023 all 称职 → 3 counted years → level 6 from 2024-01-01', () => {
    const p = run({ results: results(2021, C, C, C), runYear: 2024 });
    expect([p.level, p.kind, p.effectiveDate, p.lastStepDate, p.earlyStepsUsed]).toEqual([6, 'regular', '2024-01-01', '2024-01-01', 0]);
    expect(p.explanation.window).toEqual({ fromYear: 2021, toYear: 2023 });
    expect(p.explanation.textZh).toBe(
      '自上次定级/晋级（2021-01-01）起：2021年称职（计入）、2022年称职（计入）、2023年称职（计入）；计入3年。满3年，2024-01-01起由5级晋升为6级',
    );
  });

  it('after only 2 years (run 2023) there is no step', () => {
    const p = run({ results: results(2021, C, C), runYear: 2023 });
    expect([p.level, p.kind, p.explanation.blockedBy, p.lastStepDate]).toEqual([5, 'none', 'not_enough_years', '2021-01-01']);
  });

  it('a 不称职 year is skipped, not reset: 称职, 不称职, 称职 → 2 counted (no step in 2024); + 2024 称职 → 3 → step in 2025', () => {
    const r = results(2021, C, U, C, C);
    const p2024 = run({ results: r, runYear: 2024 });
    expect([p2024.level, p2024.explanation.countedYears]).toEqual([5, 2]);
    expect(p2024.explanation.years.map((y) => y.isCounted)).toEqual([true, false, true]);
    const p2025 = run({ results: r, runYear: 2025 });
    expect([p2025.level, p2025.kind, p2025.explanation.countedYears]).toEqual([6, 'regular', 3]);
    expect(p2025.explanation.textZh).toContain('2022年不称职（不计）');
  });

  it('基本称职 does not count by default (称职 and above) but counts where the scheme says so', () => {
    const r = results(2021, B, C, C);
    expect(run({ results: r, runYear: 2024 }).level).toBe(5);
    const lenient = ZGradeScheme.parse({ ...DEFAULT_GRADE_SCHEME, countingResults: ['excellent', 'competent', 'basically_competent'] });
    expect(run({ results: r, runYear: 2024 }, lenient).level).toBe(6);
  });

  it('a year without a result is not counted', () => {
    const p = run({ results: results(2021, C, null, C), runYear: 2024 });
    expect([p.level, p.explanation.countedYears]).toEqual([5, 2]);
    expect(p.explanation.textZh).toContain('2022年无考核结果（不计）');
  });

  it('gives one level per run even when more years were counted (a missed run), without carrying the surplus', () => {
    const p = run({ lastStepDate: '2018-01-01', results: results(2018, C, C, C, C, C, C), runYear: 2024 });
    expect([p.level, p.explanation.countedYears, p.lastStepDate]).toEqual([6, 6, '2024-01-01']);
  });

  it('ignores results from before the last step and from the run year on', () => {
    const p = run({
      results: [...results(2017, E, E, E, E), ...results(2021, C, C), { year: 2023, result: C }, { year: 2024, result: E }],
      runYear: 2023,
    });
    expect(p.explanation.window).toEqual({ fromYear: 2021, toYear: 2022 });
    expect(p.level).toBe(5);
  });
});

describe('promote — early step for two consecutive 优秀', () => {
  it('2022 优秀 + 2023 优秀 after a 2022-01-01 step → early step in 2024 (first of at most 2)', () => {
    const p = run({ lastStepDate: '2022-01-01', results: results(2022, E, E), runYear: 2024 });
    expect([p.level, p.kind, p.earlyStepsUsed, p.lastStepDate]).toEqual([6, 'early', 1, '2024-01-01']);
    expect(p.explanation.excellentRun).toEqual([2022, 2023]);
    expect(p.explanation.textZh).toContain('2022、2023年连续优秀，提前晋升一级（职业生涯第1次，最多2次）');
  });

  it('the second early step is allowed (used 1 → 2)', () => {
    const p = run({ lastStepDate: '2024-01-01', earlyStepsUsed: 1, results: results(2024, E, E), runYear: 2026 });
    expect([p.level, p.kind, p.earlyStepsUsed]).toEqual([6, 'early', 2]);
  });

  it('no early step once 2 were used: waits for the regular 3 years', () => {
    const p = run({ lastStepDate: '2024-01-01', earlyStepsUsed: 2, results: results(2024, E, E), runYear: 2026 });
    expect([p.level, p.kind, p.earlyStepsUsed, p.explanation.blockedBy]).toEqual([5, 'none', 2, 'not_enough_years']);
    expect(p.explanation.textZh).toContain('提前晋级已用满2次');
    const later = run({ lastStepDate: '2024-01-01', earlyStepsUsed: 2, results: results(2024, E, E, E), runYear: 2027 });
    expect([later.level, later.kind]).toEqual([6, 'regular']);
  });

  it('优秀 years must be consecutive: 优秀, 不称职, 优秀 → no step', () => {
    const p = run({ results: results(2021, E, U, E), runYear: 2024 });
    expect([p.level, p.kind]).toEqual([5, 'none']);
  });

  it('a pair that straddles the last step does not count: 2021 优秀 (before) + 2022 优秀 → no early step in 2023', () => {
    const p = run({ lastStepDate: '2022-01-01', results: results(2021, E, E), runYear: 2023 });
    expect(p.kind).toBe('none');
  });

  it('when the regular step is due anyway it is regular and no early step is used', () => {
    const p = run({ results: results(2021, E, E, E), runYear: 2024 });
    expect([p.kind, p.earlyStepsUsed]).toEqual(['regular', 0]);
  });
});

describe('promote — idempotence, band top, mid-year grading, errors', () => {
  it('re-running 2024 after the step was stored (lastStepDate 2024-01-01) gives no second step', () => {
    const first = run({ results: results(2021, C, C, C), runYear: 2024 });
    const again = run({
      currentLevel: first.level,
      lastStepDate: first.lastStepDate,
      earlyStepsUsed: first.earlyStepsUsed,
      results: results(2021, C, C, C),
      runYear: 2024,
    });
    expect([again.level, again.isStepped, again.explanation.blockedBy, again.lastStepDate]).toEqual([
      6,
      false,
      'already_applied',
      '2024-01-01',
    ]);
    expect(again.explanation.textZh).toContain('不重复晋级');
  });

  it('re-running an early step is idempotent too and does not use a second early step', () => {
    const first = run({ lastStepDate: '2022-01-01', results: results(2022, E, E), runYear: 2024 });
    const again = run({
      currentLevel: first.level,
      lastStepDate: first.lastStepDate,
      earlyStepsUsed: first.earlyStepsUsed,
      results: results(2022, E, E),
      runYear: 2024,
    });
    expect([again.level, again.earlyStepsUsed, again.kind]).toEqual([6, 1, 'none']);
  });

  it('never steps above the band top, and does not spend an early step there', () => {
    const regular = run({ currentLevel: 12, results: results(2021, C, C, C), runYear: 2024 });
    expect([regular.level, regular.explanation.blockedBy]).toEqual([12, 'band_top']);
    expect(regular.explanation.textZh).toContain('已达其他最高12级，不再晋级');
    const early = run({ currentLevel: 12, lastStepDate: '2022-01-01', results: results(2022, E, E), runYear: 2024 });
    expect([early.level, early.earlyStepsUsed]).toEqual([12, 0]);
  });

  it('steps from 11 to the top 12', () => {
    expect(run({ currentLevel: 11, results: results(2021, C, C, C), runYear: 2024 }).level).toBe(12);
  });

  it('after a mid-year initial grading (2021-06-15) counting starts with 2022', () => {
    expect(firstCountableYear('2021-06-15')).toBe(2022);
    expect(firstCountableYear('2021-01-01')).toBe(2021);
    const r = results(2021, C, C, C, C);
    expect(run({ lastStepDate: '2021-06-15', results: r, runYear: 2024 }).level).toBe(5);
    expect(run({ lastStepDate: '2021-06-15', results: r, runYear: 2025 }).level).toBe(6);
  });

  it('returns reasons for a band not in the scheme, a level outside the band, and duplicate years', () => {
    const base = { currentBand: 'staff', currentLevel: 5, lastStepDate: '2021-01-01', earlyStepsUsed: 0, results: [], runYear: 2024 };
    expect(promote(DEFAULT_GRADE_SCHEME, { ...base, currentBand: 'band_a' })).toMatchObject({
      ok: false,
      reason: { code: 'band_not_in_scheme' },
    });
    expect(promote(DEFAULT_GRADE_SCHEME, { ...base, currentLevel: 13 })).toMatchObject({
      ok: false,
      reason: { code: 'level_outside_band' },
    });
    expect(
      promote(DEFAULT_GRADE_SCHEME, {
        ...base,
        results: [
          { year: 2022, result: C },
          { year: 2022, result: E },
        ],
      }),
    ).toMatchObject({
      ok: false,
      reason: { code: 'duplicate_assessment_year' },
    });
  });
});

describe('promote — 宁夏 四岗二十四级 with the same function (2-year step)', () => {
  it('三岗 level 9 with 2024 and 2025 称职 → level 10 from 2026-01-01', () => {
    const p = run(
      { currentBand: 'band_c', currentLevel: 9, lastStepDate: '2024-01-01', results: results(2024, C, C), runYear: 2026 },
      NINGXIA_2025_GRADE_SCHEME,
    );
    expect([p.band, p.level, p.kind]).toEqual(['band_c', 10, 'regular']);
  });

  it('with a 2-year step, 2 consecutive 优秀 are a regular step, not an early one', () => {
    const p = run(
      { currentBand: 'band_c', currentLevel: 9, lastStepDate: '2024-01-01', results: results(2024, E, E), runYear: 2026 },
      NINGXIA_2025_GRADE_SCHEME,
    );
    expect([p.kind, p.earlyStepsUsed]).toEqual(['regular', 0]);
  });
});

describe('rebandOnPostChange', () => {
  const reband = (level: number, newBand: string) => {
    const r = rebandOnPostChange(DEFAULT_GRADE_SCHEME, { level, newBand });
    if (!r.ok) throw new Error(r.reason.messageZh);
    return r.value;
  };

  it('keeps a level that lies in the new band: 9 → 副职 4–15 stays 9', () => {
    expect(reband(9, 'deputy')).toMatchObject({ band: 'deputy', level: 9, change: 'kept' });
  });
  it('raises to the start of a higher band: 3 → 正职 7–18 becomes 7', () => {
    const r = reband(3, 'principal');
    expect([r.level, r.change]).toEqual([7, 'raised_to_band_min']);
    expect(r.explanation.textZh).toBe('3级低于正职（7–18级）起点，就近调整为7级');
  });
  it('lowers to the top of a lower band: 16 → 其他 1–12 becomes 12', () => {
    expect(reband(16, 'staff')).toMatchObject({ level: 12, change: 'lowered_to_band_max' });
  });
  it('keeps the band ends themselves: 12 → 其他 stays 12, 7 → 正职 stays 7', () => {
    expect(reband(12, 'staff').change).toBe('kept');
    expect(reband(7, 'principal').change).toBe('kept');
  });
  it('fails for a band not in the scheme', () => {
    expect(rebandOnPostChange(DEFAULT_GRADE_SCHEME, { level: 5, newBand: 'band_d' })).toMatchObject({
      ok: false,
      reason: { code: 'band_not_in_scheme' },
    });
    expect(rebandOnPostChange(NINGXIA_2025_GRADE_SCHEME, { level: 20, newBand: 'band_d' })).toMatchObject({
      ok: true,
      value: { level: 15 },
    });
  });
});
