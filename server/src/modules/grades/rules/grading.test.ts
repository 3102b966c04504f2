import { describe, expect, it } from 'vitest';
import type { QualificationLevel } from '../../meta/enums.ts';
import { DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME, type PostCategory } from './grade-scheme.ts';
import { educationCreditYears, initialGrade, type InitialGrade } from './grading.ts';

function grade(
  postCategory: PostCategory,
  communityWorkStart: string,
  asOf: string,
  education: string | null,
  qualificationLevel: QualificationLevel | null = null,
  scheme = DEFAULT_GRADE_SCHEME,
): InitialGrade {
  const r = initialGrade(scheme, { postCategory, communityWorkStart, asOf, education, qualificationLevel });
  if (!r.ok) throw new Error(r.reason.messageZh);
  return r.value;
}

describe('initialGrade — education credit (三岗十八级, 其他 1–12, step 3, 8 full years of work)', () => {
  // 2018-03-01 → 2026-03-01: 8 full years.
  const staff = (education: string | null) => grade('staff', '2018-03-01', '2026-03-01', education).level;

  it('none: 8 + 0 = 8 years → 1 + ⌊8/3⌋ = 1 + 2 = 3', () => {
    expect(staff(null)).toBe(3);
  });
  it('大专 (30) earns no credit: 8 → 3', () => {
    expect(staff('30')).toBe(3);
    expect(educationCreditYears(DEFAULT_GRADE_SCHEME, '30')).toBe(0);
  });
  it('本科 (20): 8 + 3 = 11 → 1 + ⌊11/3⌋ = 1 + 3 = 4; the detailed code 21 uses its top-level 20', () => {
    expect(staff('20')).toBe(4);
    expect(staff('21')).toBe(4);
  });
  it('硕士 (14): 8 + 5 = 13 → 1 + 4 = 5; 研究生 (10) without detail credits as 硕士', () => {
    expect(staff('14')).toBe(5);
    expect(staff('10')).toBe(5);
  });
  it('博士 (11): 8 + 7 = 15 → 1 + 5 = 6', () => {
    expect(staff('11')).toBe(6);
  });
  it('高中 (60) and unknown codes credit 0', () => {
    expect(staff('60')).toBe(3);
    expect(educationCreditYears(DEFAULT_GRADE_SCHEME, '99')).toBe(0);
  });
});

describe('initialGrade — qualification bonus (副职 4–15, 7 years + 本科 3 = 10 → 4 + 3 = 7)', () => {
  const deputy = (q: QualificationLevel | null) => grade('deputy', '2019-01-01', '2026-01-01', '20', q);

  it('no certificate: 7', () => {
    expect(deputy(null).level).toBe(7);
  });
  it('助理社会工作师 +1 = 8', () => {
    expect(deputy('assistant').level).toBe(8);
  });
  it('社会工作师 (中级) +2 = 9, with the explanation sentence and numbers', () => {
    const g = deputy('intermediate');
    expect(g.level).toBe(9);
    expect(g.explanation.textZh).toBe('社区工作满7年，本科折算3年，共10年；副职起点4级＋⌊10/3⌋＝7级；社会工作师＋2级＝9级');
    expect(g.explanation).toMatchObject({
      rule: 'grades.initial',
      bandKey: 'deputy',
      fullYearsOfWork: 7,
      educationCreditYears: 3,
      creditedYears: 10,
      stepsFromYears: 3,
      qualificationBonusLevels: 2,
      uncappedLevel: 9,
      isCappedAtBandTop: false,
    });
    expect(g.effectiveDate).toBe('2026-01-01');
  });
  it('高级社会工作师 +3 = 10 (the highest certificate only, not 1+2+3)', () => {
    expect(deputy('senior').level).toBe(10);
  });
});

describe('initialGrade — cap and edges', () => {
  it('caps at the band top: 正职, 30 years + 博士 7 = 37 → 7 + 12 = 19, 高级 +3 = 22 → 18', () => {
    const g = grade('principal', '1996-01-01', '2026-01-01', '11', 'senior');
    expect(g.level).toBe(18);
    expect(g.explanation.uncappedLevel).toBe(22);
    expect(g.explanation.isCappedAtBandTop).toBe(true);
    expect(g.explanation.textZh).toContain('超过正职最高18级，按18级');
  });

  it('caps without a bonus too: 其他, 40 years → 1 + 13 = 14 → 12', () => {
    expect(grade('staff', '1986-01-01', '2026-01-01', null).level).toBe(12);
  });

  it('counts only full years: 2020-03-01 → 2023-02-28 is 2 years (level 1), → 2023-03-01 is 3 (level 2)', () => {
    expect(grade('staff', '2020-03-01', '2023-02-28', null).level).toBe(1);
    expect(grade('staff', '2020-03-01', '2023-03-01', null).level).toBe(2);
  });

  it('a new hire with no years and no degree starts at the band start, saying 学历不折算', () => {
    const g = grade('principal', '2026-01-01', '2026-01-01', null);
    expect(g.level).toBe(7);
    expect(g.explanation.textZh).toBe('社区工作满0年，学历不折算年限，共0年；正职起点7级＋⌊0/3⌋＝7级');
  });

  it('fails with a reason when work starts after the grading date', () => {
    const r = initialGrade(DEFAULT_GRADE_SCHEME, {
      postCategory: 'staff',
      communityWorkStart: '2026-06-01',
      asOf: '2026-01-01',
      education: null,
      qualificationLevel: null,
    });
    expect(r).toMatchObject({ ok: false, reason: { code: 'work_start_after_as_of' } });
  });

  it('fails with a reason when no band fits (an unvalidated scheme without the category)', () => {
    const partial = { ...DEFAULT_GRADE_SCHEME, bands: DEFAULT_GRADE_SCHEME.bands.filter((b) => b.key !== 'staff') };
    const r = initialGrade(partial, {
      postCategory: 'staff',
      communityWorkStart: '2020-01-01',
      asOf: '2026-01-01',
      education: null,
      qualificationLevel: null,
    });
    expect(r).toMatchObject({ ok: false, reason: { code: 'no_band_for_post' } });
  });
});

describe('initialGrade — 宁夏 四岗二十四级 with the same function', () => {
  it('三岗 (专职) 4–18, step 2: 7 years + 本科 3 = 10 → 4 + ⌊10/2⌋ = 9; 社会工作师 earns 300 yuan a month, not a level', () => {
    const g = grade('staff', '2019-01-01', '2026-01-01', '20', 'intermediate', NINGXIA_2025_GRADE_SCHEME);
    expect(g.band).toBe('band_c');
    expect(g.level).toBe(9);
    expect(g.explanation.qualificationBonusLevels).toBe(0);
    expect(g.explanation.qualificationMonthlyAllowanceFen).toBe(30_000);
    expect(g.explanation.textZh).toContain('社会工作师按月发放职业资格津贴300.00元，不加级');
  });

  it('网格员 are graded in 四岗 1–15 by post: 10 credited years → 1 + 5 = 6', () => {
    const r = initialGrade(NINGXIA_2025_GRADE_SCHEME, {
      postCategory: 'staff',
      post: 'grid_worker',
      communityWorkStart: '2019-01-01',
      asOf: '2026-01-01',
      education: '20',
      qualificationLevel: null,
    });
    expect(r.ok && [r.value.band, r.value.level]).toEqual(['band_d', 6]);
  });

  it('正职 in 一岗 10–24: 20 years + 硕士 5 = 25 → 10 + 12 = 22', () => {
    expect(grade('principal', '2006-01-01', '2026-01-01', '14', null, NINGXIA_2025_GRADE_SCHEME).level).toBe(22);
  });
});
