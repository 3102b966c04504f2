import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME, ZGradeScheme, bandForPost, type GradeSchemeInput } from './grade-scheme.ts';

/** A minimal valid scheme to break one rule at a time. */
function scheme(overrides: Partial<GradeSchemeInput> = {}): GradeSchemeInput {
  return {
    key: 't',
    nameZh: '测试',
    stepYears: 3,
    bands: [
      { key: 'principal', nameZh: '正职', minLevel: 7, maxLevel: 18, postCategories: ['principal'] },
      { key: 'deputy', nameZh: '副职', minLevel: 4, maxLevel: 15, postCategories: ['deputy'] },
      { key: 'staff', nameZh: '其他', minLevel: 1, maxLevel: 12, postCategories: ['staff'] },
    ],
    educationCreditYears: { '20': 3 },
    qualificationBonus: { mode: 'levels', levels: { assistant: 1 } },
    ...overrides,
  };
}

describe('ZGradeScheme', () => {
  it('validates both shipped schemes with the same schema, also after a JSON round trip', () => {
    for (const s of [DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME]) {
      expect(ZGradeScheme.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
    }
    expect(DEFAULT_GRADE_SCHEME.bands.map((b) => [b.key, b.minLevel, b.maxLevel])).toEqual([
      ['principal', 7, 18],
      ['deputy', 4, 15],
      ['staff', 1, 12],
    ]);
    expect(NINGXIA_2025_GRADE_SCHEME.stepYears).toBe(2);
    expect(NINGXIA_2025_GRADE_SCHEME.bands).toHaveLength(4);
    expect(NINGXIA_2025_GRADE_SCHEME.isIllustrative).toBe(true);
  });

  it('fills the documented defaults: counting 优秀 and 称职, early step after 2 优秀 at most twice', () => {
    const s = ZGradeScheme.parse(scheme());
    expect(s.countingResults).toEqual(['excellent', 'competent']);
    expect(s.earlyStep).toEqual({ consecutiveExcellentYears: 2, maxEarlySteps: 2 });
    expect(DEFAULT_GRADE_SCHEME.educationCreditYears).toEqual({ '11': 7, '14': 5, '10': 5, '20': 3 });
  });

  it('rejects a band whose top is below its start, duplicate keys, and a category in two bands', () => {
    const bad = scheme();
    bad.bands[0] = { key: 'principal', nameZh: '正职', minLevel: 18, maxLevel: 7, postCategories: ['principal'] };
    expect(ZGradeScheme.safeParse(bad).success).toBe(false);
    const dupKey = scheme();
    dupKey.bands[1] = { key: 'principal', nameZh: '副职', minLevel: 4, maxLevel: 15, postCategories: ['deputy'] };
    expect(ZGradeScheme.safeParse(dupKey).success).toBe(false);
    const twice = scheme();
    twice.bands[1] = { key: 'deputy', nameZh: '副职', minLevel: 4, maxLevel: 15, postCategories: ['deputy', 'principal'] };
    expect(ZGradeScheme.safeParse(twice).success).toBe(false);
  });

  it('requires every post category to be graded somewhere', () => {
    const missing = scheme({ bands: [{ key: 'principal', nameZh: '正职', minLevel: 7, maxLevel: 18, postCategories: ['principal'] }] });
    const r = ZGradeScheme.safeParse(missing);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('未对应任何岗位');
  });

  it('never lets 不称职 count towards a step, and rejects a zero step or unknown codes', () => {
    expect(ZGradeScheme.safeParse(scheme({ countingResults: ['competent', 'incompetent'] })).success).toBe(false);
    expect(ZGradeScheme.safeParse(scheme({ countingResults: ['excellent', 'competent', 'basically_competent'] })).success).toBe(true);
    expect(ZGradeScheme.safeParse(scheme({ stepYears: 0 })).success).toBe(false);
    expect(ZGradeScheme.safeParse(scheme({ educationCreditYears: { bachelor: 3 } })).success).toBe(false);
    expect(ZGradeScheme.safeParse({ ...scheme(), qualificationBonus: { mode: 'levels', levels: { expert: 4 } } }).success).toBe(false);
  });
});

describe('bandForPost', () => {
  it('maps categories to bands, and a named post before its category', () => {
    expect(bandForPost(DEFAULT_GRADE_SCHEME, { postCategory: 'deputy' })?.key).toBe('deputy');
    expect(bandForPost(DEFAULT_GRADE_SCHEME, { postCategory: 'staff', post: 'grid_worker' })?.key).toBe('staff');
    expect(bandForPost(NINGXIA_2025_GRADE_SCHEME, { postCategory: 'staff', post: 'grid_worker' })?.key).toBe('band_d');
    expect(bandForPost(NINGXIA_2025_GRADE_SCHEME, { postCategory: 'staff', post: 'full_time_staff' })?.key).toBe('band_c');
  });
});
