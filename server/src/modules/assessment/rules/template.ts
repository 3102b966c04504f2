import { z } from 'zod';
import { AppError, type FieldIssue } from '../../../lib/errors.ts';
import type { CodeLabel } from '../../meta/enums.ts';

/**
 * Exact arithmetic used throughout the assessment rules:
 * - a score is an integer in hundredths of a point on the 100-point scale (0..10000; 87.5 points = 8750);
 * - a weight or a share is an integer in basis points (0..10000; 30% = 3000), and each weight list sums to 10000.
 * Every division rounds once, half up, to whole hundredths (see `roundHalfUpDiv` in scoring.ts).
 */
export const SCORE_MAX = 10_000;
export const BP_100_PERCENT = 10_000;

/** Assessment grades (考核等次), best first. */
export const ASSESSMENT_RESULTS = [
  { code: 'excellent', label: '优秀', labelEn: 'Excellent' },
  { code: 'competent', label: '称职', labelEn: 'Competent' },
  { code: 'basically_competent', label: '基本称职', labelEn: 'Basically competent' },
  { code: 'incompetent', label: '不称职', labelEn: 'Incompetent' },
] as const satisfies readonly CodeLabel[];
export type AssessmentResult = (typeof ASSESSMENT_RESULTS)[number]['code'];
export const ASSESSMENT_RESULT_CODES = ASSESSMENT_RESULTS.map((r) => r.code) as [AssessmentResult, ...AssessmentResult[]];

/** Chinese label of a grade: `resultLabel('competent')` = '称职'. */
export function resultLabel(result: AssessmentResult): string {
  return ASSESSMENT_RESULTS.find((r) => r.code === result)?.label ?? result;
}

/** 0 for 优秀 … 3 for 不称职: a larger rank is a worse grade. */
export function resultRank(result: AssessmentResult): number {
  return ASSESSMENT_RESULT_CODES.indexOf(result);
}

/** Residents' choices on a satisfaction ballot (居民满意度测评). */
export const BALLOT_CHOICES = [
  { code: 'satisfied', label: '满意', labelEn: 'Satisfied' },
  { code: 'basically_satisfied', label: '基本满意', labelEn: 'Basically satisfied' },
  { code: 'dissatisfied', label: '不满意', labelEn: 'Dissatisfied' },
] as const satisfies readonly CodeLabel[];
export type BallotChoice = (typeof BALLOT_CHOICES)[number]['code'];
export const BALLOT_CHOICE_CODES = BALLOT_CHOICES.map((c) => c.code) as [BallotChoice, ...BallotChoice[]];

export const ASSESSMENT_PERIODS = [
  { code: 'annual', label: '年度', labelEn: 'Annual' },
  { code: 'half_year', label: '半年', labelEn: 'Half-year' },
  { code: 'quarter', label: '季度', labelEn: 'Quarterly' },
] as const satisfies readonly CodeLabel[];
export type AssessmentPeriod = (typeof ASSESSMENT_PERIODS)[number]['code'];
export const ASSESSMENT_PERIOD_CODES = ASSESSMENT_PERIODS.map((p) => p.code) as [AssessmentPeriod, ...AssessmentPeriod[]];

/**
 * The parts of the year a cycle of each period covers, in order, by label: a half-year cycle is for
 * part 1 or 2, a quarterly one for 1–4; an annual cycle has none (it is the whole year). Each part
 * spans 12 / count months (see cycle-period.ts).
 */
export const ASSESSMENT_PERIOD_PARTS: Record<AssessmentPeriod, readonly string[]> = {
  annual: [],
  half_year: ['上半年', '下半年'],
  quarter: ['第一季度', '第二季度', '第三季度', '第四季度'],
};

const ZKey = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, '键名须为小写字母开头的字母、数字或下划线（至多32位）');
const ZScore = z.number().int('分数须为整数（单位：0.01分）').min(0, '分数不得小于0').max(SCORE_MAX, '分数不得超过100分（10000）');
const ZBp = z.number().int('须为整数（单位：基点，1% = 100）').min(0, '不得小于0').max(BP_100_PERCENT, '不得超过100%（10000）');

export const ZDimension = z.object({ key: ZKey, nameZh: z.string().trim().min(1).max(20), weightBp: ZBp });
export type Dimension = z.infer<typeof ZDimension>;

export const ZRaterGroup = z.object({
  key: ZKey,
  nameZh: z.string().trim().min(1).max(20),
  weightBp: ZBp,
  /** 'sheet': raters fill a scoring sheet per dimension; 'ballot': residents' satisfaction ballots. */
  source: z.enum(['sheet', 'ballot']),
  /** Fewer raters than this counts as a missing group. */
  minRaters: z.number().int().min(1).max(1000).default(1),
});
export type RaterGroup = z.infer<typeof ZRaterGroup>;

export const ZBand = z.object({ result: z.enum(ASSESSMENT_RESULT_CODES), minScore: ZScore });
export type Band = z.infer<typeof ZBand>;

export const ZVetoItem = z.object({
  key: ZKey,
  nameZh: z.string().trim().min(1).max(50),
  result: z.enum(['basically_competent', 'incompetent']).default('incompetent'),
});
export type VetoItem = z.infer<typeof ZVetoItem>;

export const ZQuorumRule = z.object({
  minBallots: z.number().int().min(0).max(100_000),
  /** Share of ballots declared by ordinary residents (普通居民), in basis points. */
  minOrdinaryShareBp: ZBp,
});
export type QuorumRule = z.infer<typeof ZQuorumRule>;

export const TIE_RULES = [
  { code: 'demote_all', label: '并列者均不占优秀名额', labelEn: 'Ties at the cut-off are all demoted' },
  { code: 'include_all', label: '并列者均评为优秀（可超出名额）', labelEn: 'Ties at the cut-off are all included' },
  {
    code: 'break_by_group_scores',
    label: '按指定评议组得分依次比较，仍并列者均不占名额',
    labelEn: 'Break ties by group scores, remaining ties demoted',
  },
] as const satisfies readonly CodeLabel[];
export type TieRule = (typeof TIE_RULES)[number]['code'];

export const ZAssessmentTemplate = z
  .object({
    nameZh: z.string().trim().min(1).max(50).default('社区工作者年度考核'),
    period: z.enum(ASSESSMENT_PERIOD_CODES).default('annual'),
    dimensions: z.array(ZDimension).min(1).max(12),
    raterGroups: z.array(ZRaterGroup).min(1).max(8),
    /** Best grade first; `minScore` strictly descending; the last band starts at 0. */
    bands: z.array(ZBand).length(4),
    excellentCap: z.object({
      /** Share of those assessed in a cap group (a street) who may be 优秀. */
      shareBp: ZBp,
      rounding: z.enum(['floor', 'half_up', 'ceil']).default('floor'),
      /** Whether a cap group with at least one person assessed always gets at least one 优秀 place. */
      atLeastOne: z.boolean().default(true),
    }),
    tieRule: z.enum(['demote_all', 'include_all', 'break_by_group_scores']).default('demote_all'),
    /** For 'break_by_group_scores': rater group keys compared in order, higher score first. */
    tieBreakGroups: z.array(ZKey).max(8).default([]),
    vetoItems: z.array(ZVetoItem).max(30).default([]),
    quorum: ZQuorumRule,
    /**
     * Open-mode ballots: at most this many from one client IP per community (families and a shared
     * Wi-Fi share an address, so more than one; the device cookie still allows one per phone).
     */
    openModeBallotsPerIp: z.number().int().min(1).max(10_000).default(10),
    /** Points (hundredths) each ballot choice is worth. */
    ballotPoints: z.object({ satisfied: ZScore, basically_satisfied: ZScore, dissatisfied: ZScore }),
    /** 'flag': a missing group leaves the total empty and needs a manual decision; 'renormalise': weigh present groups only. */
    missingGroupPolicy: z.enum(['flag', 'renormalise']).default('flag'),
  })
  .superRefine((t, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const sum = (xs: { weightBp: number }[]) => xs.reduce((s, x) => s + x.weightBp, 0);
    if (sum(t.dimensions) !== BP_100_PERCENT) issue(['dimensions'], `考核维度权重之和须为100%，当前为${sum(t.dimensions) / 100}%`);
    if (sum(t.raterGroups) !== BP_100_PERCENT) issue(['raterGroups'], `评议组权重之和须为100%，当前为${sum(t.raterGroups) / 100}%`);
    duplicateKeys(t.dimensions).forEach((i) => issue(['dimensions', i, 'key'], '考核维度键名重复'));
    duplicateKeys(t.raterGroups).forEach((i) => issue(['raterGroups', i, 'key'], '评议组键名重复'));
    duplicateKeys(t.vetoItems).forEach((i) => issue(['vetoItems', i, 'key'], '否决事项键名重复'));
    if (t.raterGroups.filter((g) => g.source === 'ballot').length > 1) issue(['raterGroups'], '至多一个评议组来自居民测评票');
    t.bands.forEach((b, i) => {
      if (b.result !== ASSESSMENT_RESULT_CODES[i]) issue(['bands', i, 'result'], `第${i + 1}档须为“${ASSESSMENT_RESULTS[i]?.label}”`);
      const prev = t.bands[i - 1];
      if (prev && b.minScore >= prev.minScore) issue(['bands', i, 'minScore'], '等次分数线须从高到低严格递减');
    });
    if (t.bands[t.bands.length - 1]?.minScore !== 0) issue(['bands', t.bands.length - 1, 'minScore'], '最低等次的分数线须为0');
    const groupKeys = new Set(t.raterGroups.map((g) => g.key));
    t.tieBreakGroups.forEach((k, i) => {
      if (!groupKeys.has(k)) issue(['tieBreakGroups', i], `评议组“${k}”不存在`);
    });
    if (t.tieRule === 'break_by_group_scores' && t.tieBreakGroups.length === 0) {
      issue(['tieBreakGroups'], '按评议组得分区分并列时须指定至少一个评议组');
    }
  });
export type AssessmentTemplate = z.infer<typeof ZAssessmentTemplate>;
/** The template as stored (JSON), before defaults are filled in. */
export type AssessmentTemplateInput = z.input<typeof ZAssessmentTemplate>;

function duplicateKeys(items: { key: string }[]): number[] {
  const seen = new Set<string>();
  const dups: number[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.key)) dups.push(i);
    seen.add(item.key);
  });
  return dups;
}

/** 政治素质 / 工作实绩 / 居民满意度 — the three emphases named by the 意见; weights are one street's published scheme. */
export const DEFAULT_DIMENSIONS: Dimension[] = [
  { key: 'political', nameZh: '政治素质', weightBp: 3000 },
  { key: 'performance', nameZh: '工作实绩', weightBp: 5000 },
  { key: 'satisfaction', nameZh: '居民满意度', weightBp: 2000 },
];

/** 德、能、勤、绩、廉 — the civil-service style variant some regions use (绩 weighs most). */
export const DE_NENG_QIN_JI_LIAN_DIMENSIONS: Dimension[] = [
  { key: 'de', nameZh: '德', weightBp: 2000 },
  { key: 'neng', nameZh: '能', weightBp: 2000 },
  { key: 'qin', nameZh: '勤', weightBp: 1500 },
  { key: 'ji', nameZh: '绩', weightBp: 3500 },
  { key: 'lian', nameZh: '廉', weightBp: 1000 },
];

/**
 * Defaults from one street's published scheme (see DOMAIN.md "管"): street office 30%, peers 10%,
 * residents 60%; resident panel at least 50 ballots, 70% of them from ordinary residents; 优秀 at most
 * 20% of those assessed in a street, rounded down but at least one place; bands 优秀 ≥90, 称职 70–89.99,
 * 基本称职 60–69.99, 不称职 <60; ballot points 满意 100 / 基本满意 60 / 不满意 0.
 */
export const DEFAULT_ASSESSMENT_TEMPLATE: AssessmentTemplate = {
  nameZh: '社区工作者年度考核',
  period: 'annual',
  dimensions: DEFAULT_DIMENSIONS,
  raterGroups: [
    { key: 'street', nameZh: '街道评议', weightBp: 3000, source: 'sheet', minRaters: 1 },
    { key: 'peers', nameZh: '同事互评', weightBp: 1000, source: 'sheet', minRaters: 1 },
    { key: 'residents', nameZh: '居民测评', weightBp: 6000, source: 'ballot', minRaters: 1 },
  ],
  bands: [
    { result: 'excellent', minScore: 9000 },
    { result: 'competent', minScore: 7000 },
    { result: 'basically_competent', minScore: 6000 },
    { result: 'incompetent', minScore: 0 },
  ],
  excellentCap: { shareBp: 2000, rounding: 'floor', atLeastOne: true },
  tieRule: 'demote_all',
  tieBreakGroups: ['residents', 'street'],
  vetoItems: [
    { key: 'disciplinary_sanction', nameZh: '年度内受到党纪政务处分', result: 'incompetent' },
    { key: 'criminal_liability', nameZh: '被依法追究刑事责任', result: 'incompetent' },
  ],
  quorum: { minBallots: 50, minOrdinaryShareBp: 7000 },
  openModeBallotsPerIp: 10,
  ballotPoints: { satisfied: 10_000, basically_satisfied: 6000, dissatisfied: 0 },
  missingGroupPolicy: 'flag',
};

/** Turns zod issues into field issues with dotted paths (`raterGroups.1.weightBp`). */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}

export type TemplateParseResult = { ok: true; template: AssessmentTemplate } | { ok: false; issues: FieldIssue[] };

/** Validates a stored or submitted template; messages are Chinese and name the field path. */
export function safeParseAssessmentTemplate(input: unknown): TemplateParseResult {
  const parsed = ZAssessmentTemplate.safeParse(input, { error: z.locales.zhCN().localeError });
  if (parsed.success) return { ok: true, template: parsed.data };
  return { ok: false, issues: toFieldIssues(parsed.error.issues) };
}

/** Like `safeParseAssessmentTemplate`, throwing `VALIDATION_FAILED` with the issues in `details`. */
export function parseAssessmentTemplate(input: unknown): AssessmentTemplate {
  const result = safeParseAssessmentTemplate(input);
  if (result.ok) return result.template;
  const first = result.issues[0];
  throw new AppError('VALIDATION_FAILED', {
    message: first ? `考核模板有误：${first.field ? `${first.field}：` : ''}${first.message}` : '考核模板有误',
    details: { issues: result.issues },
  });
}
