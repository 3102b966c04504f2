import { z } from 'zod';
import { POST_CATEGORIES, POST_CODES, QUALIFICATION_LEVEL_CODES, type PostCode } from '../../meta/enums.ts';
import { ASSESSMENT_RESULT_CODES } from './assessment-results.ts';

/** The categories of the 三岗 sequence as stored on workers: principal 正职, deputy 副职, staff 其他. */
export type PostCategory = (typeof POST_CATEGORIES)[number]['code'];
export const POST_CATEGORY_CODES = POST_CATEGORIES.map((c) => c.code) as [PostCategory, ...PostCategory[]];

const ZLevel = z.int().min(1).max(99);
const ZFen = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** One post band (岗): a level range and the posts that are graded in it. */
export const ZGradeBand = z.object({
  /** Stable key that pay tables refer to, e.g. `principal` or `band_a`. */
  key: z.string().regex(/^[a-z][a-z0-9_]*$/),
  nameZh: z.string().min(1),
  minLevel: ZLevel,
  maxLevel: ZLevel,
  /** Post categories graded in this band. */
  postCategories: z.array(z.enum(POST_CATEGORY_CODES)).default([]),
  /** Individual posts graded in this band whatever their category (checked before categories). */
  posts: z.array(z.enum(POST_CODES)).default([]),
});
export type GradeBand = z.output<typeof ZGradeBand>;

/** Qualification bonus: extra levels at initial grading, or a monthly allowance instead (highest certificate only). */
export const ZQualificationBonus = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('levels'), levels: z.partialRecord(z.enum(QUALIFICATION_LEVEL_CODES), z.int().min(0).max(10)) }),
  z.object({ mode: z.literal('allowance'), monthlyFen: z.partialRecord(z.enum(QUALIFICATION_LEVEL_CODES), ZFen) }),
]);
export type QualificationBonus = z.output<typeof ZQualificationBonus>;

/**
 * A grade scheme (岗位等级序列) as a JSON-storable rule set. Regions keep versions of it with an
 * effective date; every variant (三岗十八级, 四岗二十四级, ...) is data for this one schema.
 */
export const ZGradeScheme = z
  .object({
    key: z.string().min(1),
    nameZh: z.string().min(1),
    /** The policy the defaults come from, shown in explanations. */
    source: z.string().default(''),
    /** True when the values are made up for demonstration, not taken from a published rule. */
    isIllustrative: z.boolean().default(false),
    /** Counted years per regular one-level step (三岗十八级: 3, 宁夏四岗二十四级: 2). */
    stepYears: z.int().min(1).max(10),
    bands: z.array(ZGradeBand).min(1),
    /**
     * Years of service credited for education at initial grading, keyed by GB/T 4658 code. A
     * worker's code is looked up as given, then by its top-level code (`21` → `20`); unlisted
     * codes credit 0. The registry records only top-level codes, so `10` 研究生 is credited as
     * 硕士 unless the detailed code `11` 博士研究生毕业 is recorded.
     */
    educationCreditYears: z.record(z.string().regex(/^\d{2}$/), z.int().min(0).max(20)),
    qualificationBonus: ZQualificationBonus,
    /**
     * Assessment results that make a year count towards a step. Default 优秀 and 称职: 基本称职
     * is a pass for the contract but not "at least 称职" as the promotion rule asks, so by
     * default it is skipped like 不称职 (neither counted nor resetting the count); a region that
     * counts 基本称职 adds it here. 不称职 can never count.
     */
    countingResults: z
      .array(z.enum(ASSESSMENT_RESULT_CODES))
      .min(1)
      .default(['excellent', 'competent'])
      .refine((rs) => !rs.includes('incompetent'), { message: '不称职年度不得计入晋级年限' }),
    /** Early step (提前晋级): `consecutiveExcellentYears` 优秀 in a row since the last step, at most `maxEarlySteps` in a career. */
    earlyStep: z
      .object({
        consecutiveExcellentYears: z.int().min(1).max(10).default(2),
        maxEarlySteps: z.int().min(0).max(10).default(2),
      })
      .default({ consecutiveExcellentYears: 2, maxEarlySteps: 2 }),
  })
  .superRefine((scheme, ctx) => {
    const keys = new Set<string>();
    const categories = new Map<string, string>();
    const posts = new Map<string, string>();
    scheme.bands.forEach((band, i) => {
      if (band.minLevel > band.maxLevel) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'maxLevel'], message: `${band.nameZh}：最高级不得低于起点级` });
      }
      if (keys.has(band.key)) ctx.addIssue({ code: 'custom', path: ['bands', i, 'key'], message: `岗位键 ${band.key} 重复` });
      keys.add(band.key);
      for (const c of band.postCategories) {
        if (categories.has(c))
          ctx.addIssue({ code: 'custom', path: ['bands', i, 'postCategories'], message: `岗位类别 ${c} 属于多个岗位` });
        categories.set(c, band.key);
      }
      for (const p of band.posts) {
        if (posts.has(p)) ctx.addIssue({ code: 'custom', path: ['bands', i, 'posts'], message: `岗位 ${p} 属于多个岗位` });
        posts.set(p, band.key);
      }
    });
    for (const c of POST_CATEGORY_CODES) {
      if (!categories.has(c)) ctx.addIssue({ code: 'custom', path: ['bands'], message: `岗位类别 ${c} 未对应任何岗位` });
    }
  });
export type GradeScheme = z.output<typeof ZGradeScheme>;
export type GradeSchemeInput = z.input<typeof ZGradeScheme>;

/** The band a post is graded in: a band naming the post itself, else the band of its category. */
export function bandForPost(scheme: GradeScheme, who: { postCategory: PostCategory; post?: PostCode | undefined }): GradeBand | undefined {
  return (
    (who.post ? scheme.bands.find((b) => b.posts.includes(who.post as PostCode)) : undefined) ??
    scheme.bands.find((b) => b.postCategories.includes(who.postCategory))
  );
}

export function findBand(scheme: GradeScheme, bandKey: string): GradeBand | undefined {
  return scheme.bands.find((b) => b.key === bandKey);
}

/** Default education credit: 本科 3, 硕士 5, 博士 7 years (DOMAIN defaults); 研究生 without detail as 硕士. */
export const DEFAULT_EDUCATION_CREDIT_YEARS = { '11': 7, '14': 5, '10': 5, '20': 3 } as const;

/**
 * Default 三岗十八级: 正职 levels 7–18, 副职 4–15, 其他 1–12; one level every 3 counted years,
 * effective 1 January; two consecutive 优秀 allow one early step, at most twice; 助理/中级/高级
 * social work certificates +1/+2/+3 levels at initial grading.
 */
export const DEFAULT_GRADE_SCHEME: GradeScheme = ZGradeScheme.parse({
  key: 'three_posts_18_levels',
  nameZh: '三岗十八级',
  source: '社区工作者岗位等级序列（三岗十八级）通行做法',
  stepYears: 3,
  bands: [
    { key: 'principal', nameZh: '正职', minLevel: 7, maxLevel: 18, postCategories: ['principal'] },
    { key: 'deputy', nameZh: '副职', minLevel: 4, maxLevel: 15, postCategories: ['deputy'] },
    { key: 'staff', nameZh: '其他', minLevel: 1, maxLevel: 12, postCategories: ['staff'] },
  ],
  educationCreditYears: DEFAULT_EDUCATION_CREDIT_YEARS,
  qualificationBonus: { mode: 'levels', levels: { assistant: 1, intermediate: 2, senior: 3 } },
} satisfies GradeSchemeInput);

/**
 * 宁夏 2025 四岗二十四级 variant: a 2-year step over 24 levels. The four bands and their ranges
 * are ILLUSTRATIVE (not the published table): 网格员 get a band of their own, and certificates
 * earn a monthly allowance (200/300/500 yuan) instead of levels, to show that mode.
 */
export const NINGXIA_2025_GRADE_SCHEME: GradeScheme = ZGradeScheme.parse({
  key: 'ningxia_2025_four_posts_24_levels',
  nameZh: '四岗二十四级（宁夏2025，示意）',
  source: '宁夏回族自治区2025年社区工作者岗位等级序列（岗位与级别范围为示意值）',
  isIllustrative: true,
  stepYears: 2,
  bands: [
    { key: 'band_a', nameZh: '一岗（正职）', minLevel: 10, maxLevel: 24, postCategories: ['principal'] },
    { key: 'band_b', nameZh: '二岗（副职）', minLevel: 7, maxLevel: 21, postCategories: ['deputy'] },
    { key: 'band_c', nameZh: '三岗（专职工作者）', minLevel: 4, maxLevel: 18, postCategories: ['staff'] },
    { key: 'band_d', nameZh: '四岗（网格员）', minLevel: 1, maxLevel: 15, posts: ['grid_worker'] },
  ],
  educationCreditYears: DEFAULT_EDUCATION_CREDIT_YEARS,
  qualificationBonus: { mode: 'allowance', monthlyFen: { assistant: 20_000, intermediate: 30_000, senior: 50_000 } },
} satisfies GradeSchemeInput);
