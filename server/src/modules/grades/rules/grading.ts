import { EDUCATIONS, QUALIFICATION_LEVELS, labelOf, type PostCode, type QualificationLevel } from '../../meta/enums.ts';
import { fenToYuanString } from '../../payroll/rules/money.ts';
import { fullYearsBetween } from './full-years.ts';
import { bandForPost, type GradeScheme, type PostCategory } from './grade-scheme.ts';
import { fail, ok, type RuleResult } from './rule-result.ts';

/** Short Chinese names for education codes in explanations (GB/T 4658 detailed codes included). */
const EDUCATION_SHORT_ZH: Record<string, string> = {
  '10': '研究生',
  '11': '博士研究生',
  '14': '硕士研究生',
  '20': '本科',
  '30': '大专',
};

export interface InitialGradeInput {
  postCategory: PostCategory;
  /** The post itself, when the scheme bands some posts apart from their category (e.g. 网格员). */
  post?: PostCode | undefined;
  /** First day of community work (社区工作起始日), `YYYY-MM-DD`. */
  communityWorkStart: string;
  /** The day the grade is set; it becomes the grade's effective date and the last step date. */
  asOf: string;
  /** GB/T 4658 education code; null when not recorded (credits 0). */
  education: string | null;
  /** The highest social work qualification held; null when none. */
  qualificationLevel: QualificationLevel | null;
}

/** Which rules and numbers produced an initial grade; stored with the grade history. */
export interface InitialGradeExplanation {
  rule: 'grades.initial';
  schemeKey: string;
  bandKey: string;
  bandMinLevel: number;
  bandMaxLevel: number;
  fullYearsOfWork: number;
  educationCode: string | null;
  educationCreditYears: number;
  creditedYears: number;
  stepYears: number;
  /** ⌊creditedYears / stepYears⌋ */
  stepsFromYears: number;
  qualificationLevel: QualificationLevel | null;
  qualificationBonusMode: 'levels' | 'allowance';
  qualificationBonusLevels: number;
  qualificationMonthlyAllowanceFen: number;
  uncappedLevel: number;
  isCappedAtBandTop: boolean;
  textZh: string;
}

export interface InitialGrade {
  band: string;
  level: number;
  /** The grade's effective date (= asOf); promotion counts whole years after it. */
  effectiveDate: string;
  explanation: InitialGradeExplanation;
}

/** Education credit years for a GB/T 4658 code: the code as given, else its top-level code, else 0. */
export function educationCreditYears(scheme: GradeScheme, education: string | null): number {
  if (!education) return 0;
  return scheme.educationCreditYears[education] ?? scheme.educationCreditYears[`${education.slice(0, 1)}0`] ?? 0;
}

function educationLabel(code: string): string {
  return EDUCATION_SHORT_ZH[code] ?? EDUCATION_SHORT_ZH[`${code.slice(0, 1)}0`] ?? labelOf(EDUCATIONS, code);
}

/**
 * Initial grading (初次定级): credited years = full years of community work + education credit;
 * level = band start + ⌊credited years / step years⌋, plus the qualification bonus when the
 * scheme grants levels (highest certificate only), capped at the band's top.
 */
export function initialGrade(scheme: GradeScheme, input: InitialGradeInput): RuleResult<InitialGrade> {
  const band = bandForPost(scheme, input);
  if (!band) {
    return fail('no_band_for_post', `等级方案“${scheme.nameZh}”中没有与该岗位对应的岗位序列`, {
      postCategory: input.postCategory,
      post: input.post,
    });
  }
  const fullYearsOfWork = fullYearsBetween(input.communityWorkStart, input.asOf);
  if (fullYearsOfWork < 0) {
    return fail('work_start_after_as_of', `社区工作起始日（${input.communityWorkStart}）晚于定级日（${input.asOf}）`, {
      communityWorkStart: input.communityWorkStart,
      asOf: input.asOf,
    });
  }
  const eduYears = educationCreditYears(scheme, input.education);
  const creditedYears = fullYearsOfWork + eduYears;
  const stepsFromYears = Math.floor(creditedYears / scheme.stepYears);
  const levelBeforeBonus = band.minLevel + stepsFromYears;

  const bonus = scheme.qualificationBonus;
  const q = input.qualificationLevel;
  const bonusLevels = bonus.mode === 'levels' && q ? (bonus.levels[q] ?? 0) : 0;
  const allowanceFen = bonus.mode === 'allowance' && q ? (bonus.monthlyFen[q] ?? 0) : 0;
  const uncappedLevel = levelBeforeBonus + bonusLevels;
  const level = Math.min(uncappedLevel, band.maxLevel);

  const parts = [
    `社区工作满${fullYearsOfWork}年，` +
      (eduYears > 0 && input.education ? `${educationLabel(input.education)}折算${eduYears}年，` : '学历不折算年限，') +
      `共${creditedYears}年`,
    `${band.nameZh}起点${band.minLevel}级＋⌊${creditedYears}/${scheme.stepYears}⌋＝${levelBeforeBonus}级`,
  ];
  const qLabel = q ? labelOf(QUALIFICATION_LEVELS, q) : '';
  if (bonusLevels > 0) parts.push(`${qLabel}＋${bonusLevels}级＝${uncappedLevel}级`);
  if (allowanceFen > 0) parts.push(`${qLabel}按月发放职业资格津贴${fenToYuanString(allowanceFen)}元，不加级`);
  if (level < uncappedLevel) parts.push(`超过${band.nameZh}最高${band.maxLevel}级，按${band.maxLevel}级`);

  return ok({
    band: band.key,
    level,
    effectiveDate: input.asOf,
    explanation: {
      rule: 'grades.initial',
      schemeKey: scheme.key,
      bandKey: band.key,
      bandMinLevel: band.minLevel,
      bandMaxLevel: band.maxLevel,
      fullYearsOfWork,
      educationCode: input.education,
      educationCreditYears: eduYears,
      creditedYears,
      stepYears: scheme.stepYears,
      stepsFromYears,
      qualificationLevel: q,
      qualificationBonusMode: bonus.mode,
      qualificationBonusLevels: bonusLevels,
      qualificationMonthlyAllowanceFen: allowanceFen,
      uncappedLevel,
      isCappedAtBandTop: level < uncappedLevel,
      textZh: parts.join('；'),
    },
  });
}
