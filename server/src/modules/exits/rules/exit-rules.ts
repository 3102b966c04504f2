import { z } from 'zod';
import { addDays, addMonths } from '../../contracts/contract-rules.ts';
import type { CodeLabel } from '../../meta/enums.ts';
import { ASSESSMENT_RESULT_CODES, resultLabel, toFieldIssues, type AssessmentResult } from '../../assessment/rules/template.ts';
import { AppError } from '../../../lib/errors.ts';

/*
 * Statutory retirement age and the 2025 reform. Source: 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》
 * (2024-09-13, in force 2025-01-01) and its annex 《职工法定退休年龄对照表》: from 2025-01-01, over 15 years,
 * men 60 → 63, women in cadre posts 55 → 58 (one month later for every 4 months of birth), women in worker
 * posts 50 → 55 (one month later for every 2 months of birth). First affected births: men 1965-01 (60y1m,
 * retiring 2025-02), women-55 1970-01, women-50 1975-01. Caps are reached by births in 1976-09 (men),
 * 1981-09 (women-55) and 1984-11 (women-50). Voluntary early/late (弹性) retirement is not modelled.
 */
export interface RetirementReformRow {
  originalAgeYears: number;
  /** First birth month the reform delays (YYYY-MM). */
  firstBirthMonth: string;
  /** Each this many birth months add one month of delay (the first month already adds one). */
  birthMonthsPerStep: number;
  maxDelayMonths: number;
}

export const RETIREMENT_REFORM_2025 = {
  source: '《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》（2024年9月13日）',
  male: { originalAgeYears: 60, firstBirthMonth: '1965-01', birthMonthsPerStep: 4, maxDelayMonths: 36 },
  female_cadre: { originalAgeYears: 55, firstBirthMonth: '1970-01', birthMonthsPerStep: 4, maxDelayMonths: 36 },
  female_worker: { originalAgeYears: 50, firstBirthMonth: '1975-01', birthMonthsPerStep: 2, maxDelayMonths: 60 },
} as const satisfies Record<string, RetirementReformRow | string>;

export type Gender = 'male' | 'female';
/** Women's original retirement age depends on the post: 'cadre' (管理、技术岗位, 55) or 'worker' (生产操作岗位, 50). Ignored for men. */
export type RetirementKind = 'cadre' | 'worker';

export interface RetirementAge {
  /** The day the statutory age is reached: the birth date plus the age, clamped to the month's end. */
  date: string;
  /** The retirement month as the reform table states it (YYYY-MM). */
  month: string;
  ageYears: number;
  ageMonths: number;
  /** Months the reform added to the original age. */
  delayMonths: number;
  originalAgeYears: number;
}

function monthIndex(yyyyMm: string): number {
  const [y, m] = yyyyMm.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

/**
 * The statutory retirement age and date under the 2025 reform. Man born 1965-04-15: 3 months after
 * 1965-01, delay ⌊3/4⌋+1 = 1 month → 60 years 1 month → 2025-05-15.
 */
export function retirementDate(gender: Gender, birthDate: string, kind: RetirementKind = 'cadre'): RetirementAge {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new RangeError(`birth date ${birthDate} is not YYYY-MM-DD`);
  const row: RetirementReformRow =
    gender === 'male'
      ? RETIREMENT_REFORM_2025.male
      : kind === 'worker'
        ? RETIREMENT_REFORM_2025.female_worker
        : RETIREMENT_REFORM_2025.female_cadre;
  const monthsAfterStart = monthIndex(birthDate.slice(0, 7)) - monthIndex(row.firstBirthMonth);
  const delayMonths = monthsAfterStart < 0 ? 0 : Math.min(row.maxDelayMonths, Math.floor(monthsAfterStart / row.birthMonthsPerStep) + 1);
  const totalMonths = row.originalAgeYears * 12 + delayMonths;
  const date = addMonths(birthDate, totalMonths);
  return {
    date,
    month: date.slice(0, 7),
    ageYears: Math.floor(totalMonths / 12),
    ageMonths: totalMonths % 12,
    delayMonths,
    originalAgeYears: row.originalAgeYears,
  };
}

/** '60岁1个月', '63岁'. */
export function formatRetirementAgeZh(age: Pick<RetirementAge, 'ageYears' | 'ageMonths'>): string {
  return age.ageMonths === 0 ? `${age.ageYears}岁` : `${age.ageYears}岁${age.ageMonths}个月`;
}

export const EXIT_ACTIONS = [
  { code: 'terminate', label: '解除劳动合同', labelEn: 'Terminate the contract' },
  { code: 'not_renew', label: '合同期满不再续订', labelEn: 'Do not renew at term end' },
  { code: 'retire', label: '达到法定退休年龄，终止劳动合同', labelEn: 'Retirement' },
  { code: 'expire', label: '合同期满终止', labelEn: 'Contract expires' },
] as const satisfies readonly CodeLabel[];
export type ExitAction = (typeof EXIT_ACTIONS)[number]['code'];
const EXIT_ACTION_CODES = EXIT_ACTIONS.map((a) => a.code) as [ExitAction, ...ExitAction[]];

export const SANCTION_KINDS = [
  { code: 'warning', label: '警告', labelEn: 'Warning' },
  { code: 'demerit', label: '记过', labelEn: 'Demerit' },
  { code: 'major_demerit', label: '记大过', labelEn: 'Major demerit' },
  { code: 'demotion', label: '降级、撤职', labelEn: 'Demotion or removal' },
  { code: 'party_probation', label: '留党察看', labelEn: 'Party probation' },
  { code: 'party_expulsion', label: '开除党籍', labelEn: 'Expulsion from the Party' },
  { code: 'dismissal', label: '开除', labelEn: 'Dismissal' },
  { code: 'criminal_liability', label: '被依法追究刑事责任', labelEn: 'Criminal liability' },
] as const satisfies readonly CodeLabel[];
export type SanctionKind = (typeof SANCTION_KINDS)[number]['code'];
const SANCTION_KIND_CODES = SANCTION_KINDS.map((k) => k.code) as [SanctionKind, ...SanctionKind[]];

const ZRuleBase = {
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, '键名须为小写字母开头的字母、数字或下划线'),
  nameZh: z.string().trim().min(1).max(50),
  /** false: kept with its parameters but proposes no case (absent = enabled). */
  enabled: z.boolean().optional(),
};

export const ZExitRule = z.discriminatedUnion('kind', [
  z.object({
    ...ZRuleBase,
    kind: z.literal('assessment_result'),
    result: z.enum(ASSESSMENT_RESULT_CODES),
    /** How many results equal to `result` trigger the rule. */
    count: z.number().int().min(1).max(10),
    /** 'latest_year': only the most recent year's result; 'contract_term': years whose 12-31 falls in the current term. */
    within: z.enum(['latest_year', 'contract_term']),
    action: z.enum(EXIT_ACTION_CODES),
    /** For 'terminate': days of written notice (《劳动合同法》第四十条: 30). */
    noticeDays: z.number().int().min(0).max(365).default(30),
  }),
  z.object({
    ...ZRuleBase,
    kind: z.literal('retirement_age'),
    action: z.enum(EXIT_ACTION_CODES).default('retire'),
    /** Propose the case this many days before the date. */
    withinDays: z.number().int().min(0).max(3650).default(90),
  }),
  z.object({
    ...ZRuleBase,
    kind: z.literal('contract_expiry'),
    action: z.enum(EXIT_ACTION_CODES).default('expire'),
    withinDays: z.number().int().min(0).max(3650).default(60),
  }),
  z.object({
    ...ZRuleBase,
    kind: z.literal('sanction'),
    sanctionKinds: z.array(z.enum(SANCTION_KIND_CODES)).min(1),
    action: z.enum(EXIT_ACTION_CODES).default('terminate'),
    noticeDays: z.number().int().min(0).max(365).default(0),
  }),
]);
export type ExitRule = z.infer<typeof ZExitRule>;

export const ZExitRules = z
  .object({
    /** In priority order: when two cases for one worker fall due on the same day, the earlier rule wins. */
    rules: z.array(ZExitRule).min(1).max(30),
    /** Which women's retirement age applies per post category (正职/副职/其他). */
    femaleRetirementKind: z.object({
      principal: z.enum(['cadre', 'worker']),
      deputy: z.enum(['cadre', 'worker']),
      staff: z.enum(['cadre', 'worker']),
    }),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.rules.forEach((rule, i) => {
      if (seen.has(rule.key)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'key'], message: '退出规则键名重复' });
      seen.add(rule.key);
      if (rule.kind === 'assessment_result' && rule.within === 'latest_year' && rule.count !== 1) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'count'], message: '仅看最近一年结果时次数须为1' });
      }
    });
  });
export type ExitRules = z.infer<typeof ZExitRules>;

/**
 * Default exit rules (退出机制) from published local rules: one 不称职 → contract terminated with 30 days'
 * notice (《劳动合同法》第四十条); two 基本称职 within one contract term → not renewed at term end; statutory
 * retirement age reached (《劳动合同法》第四十四条); contract expiry without renewal; expulsion, dismissal or
 * criminal liability → terminated at once (《劳动合同法》第三十九条). Women in principal and deputy posts take
 * the cadre age (55 before the reform), other staff the worker age (50) — a regional setting.
 */
export const DEFAULT_EXIT_RULES: ExitRules = {
  rules: [
    {
      key: 'disciplinary_dismissal',
      nameZh: '受到开除等严重处分或被追究刑事责任',
      kind: 'sanction',
      sanctionKinds: ['party_expulsion', 'dismissal', 'criminal_liability'],
      action: 'terminate',
      noticeDays: 0,
    },
    {
      key: 'one_incompetent',
      nameZh: '年度考核不称职',
      kind: 'assessment_result',
      result: 'incompetent',
      count: 1,
      within: 'latest_year',
      action: 'terminate',
      noticeDays: 30,
    },
    {
      key: 'two_basically_competent',
      nameZh: '一个合同期内两次基本称职',
      kind: 'assessment_result',
      result: 'basically_competent',
      count: 2,
      within: 'contract_term',
      action: 'not_renew',
      noticeDays: 30,
    },
    { key: 'retirement_age', nameZh: '达到法定退休年龄', kind: 'retirement_age', action: 'retire', withinDays: 90 },
    { key: 'contract_expiry', nameZh: '合同期满未续签', kind: 'contract_expiry', action: 'expire', withinDays: 60 },
  ],
  femaleRetirementKind: { principal: 'cadre', deputy: 'cadre', staff: 'worker' },
};

/** Validates exit rules; throws `VALIDATION_FAILED` with Chinese messages naming the field path. */
export function parseExitRules(input: unknown): ExitRules {
  const parsed = ZExitRules.safeParse(input, { error: z.locales.zhCN().localeError });
  if (parsed.success) return parsed.data;
  const issues = toFieldIssues(parsed.error.issues);
  throw new AppError('VALIDATION_FAILED', { message: `退出规则有误：${issues[0]?.field}：${issues[0]?.message}`, details: { issues } });
}

export interface ExitWorkerInput {
  id: number;
  gender: Gender;
  birthDate: string;
  postCategory: 'principal' | 'deputy' | 'staff';
  /** Final assessment results, one per year. */
  results: { year: number; result: AssessmentResult }[];
  /** The current contract; `end` null for an open-ended one; null when there is none. */
  contractTerm: { start: string; end: string | null } | null;
  /** Whether the next contract is already signed. */
  contractRenewed?: boolean;
  sanctions: { kind: SanctionKind; date: string }[];
}

export interface ExitMatch {
  ruleKey: string;
  action: ExitAction;
  dueDate: string;
  explanationZh: string;
}

export interface ExitCaseProposal extends ExitMatch {
  workerId: number;
  /** Other rules the worker also meets, for the record; they do not open cases of their own. */
  alsoMatched: ExitMatch[];
}

/**
 * Proposes exit cases as of a date: at most one case per worker — the matched rule whose due date comes
 * first (it ends the employment first), ties going to the earlier rule in `rules.rules`; the other matches
 * are kept in `alsoMatched` and named in the explanation. Output is sorted by worker id; the same input
 * always gives the same output. Callers skip workers who already have an open case.
 * Due dates: 'terminate' = asOf + noticeDays; 'not_renew'/'expire' = the contract's end; retirement = the
 * statutory date. 'not_renew' and 'expire' need a fixed-term contract not yet renewed.
 */
export function proposeExitCases(rules: ExitRules, workers: readonly ExitWorkerInput[], asOf: string): ExitCaseProposal[] {
  const proposals: ExitCaseProposal[] = [];
  for (const worker of [...workers].sort((a, b) => a.id - b.id)) {
    const matches = rules.rules
      .filter((rule) => rule.enabled !== false)
      .map((rule) => matchRule(rules, rule, worker, asOf))
      .filter((m): m is ExitMatch => m !== null);
    if (matches.length === 0) continue;
    const ordered = matches.map((m, i) => ({ m, i })).sort((a, b) => a.m.dueDate.localeCompare(b.m.dueDate) || a.i - b.i);
    const [first, ...rest] = ordered.map((o) => o.m);
    const alsoText = rest.length > 0 ? `（另符合：${rest.map((m) => m.explanationZh.split('，')[0]).join('；')}）` : '';
    proposals.push({ workerId: worker.id, ...first!, explanationZh: `${first!.explanationZh}${alsoText}`, alsoMatched: rest });
  }
  return proposals;
}

function actionDue(rule: { action: ExitAction; noticeDays?: number }, worker: ExitWorkerInput, asOf: string): string | null {
  if (rule.action === 'terminate' || rule.action === 'retire') return addDays(asOf, rule.noticeDays ?? 0);
  const end = worker.contractTerm?.end;
  if (!end || worker.contractRenewed) return null;
  return end;
}

function actionTextZh(action: ExitAction, due: string): string {
  const label = EXIT_ACTIONS.find((a) => a.code === action)!.label;
  return `拟${label}，日期${due}`;
}

function matchRule(rules: ExitRules, rule: ExitRule, worker: ExitWorkerInput, asOf: string): ExitMatch | null {
  const make = (dueDate: string, why: string): ExitMatch => ({
    ruleKey: rule.key,
    action: rule.action,
    dueDate,
    explanationZh: `${why}，依据“${rule.nameZh}”规则，${actionTextZh(rule.action, dueDate)}`,
  });
  switch (rule.kind) {
    case 'assessment_result': {
      let years: number[];
      if (rule.within === 'latest_year') {
        const latest = [...worker.results].sort((a, b) => b.year - a.year)[0];
        years = latest && latest.result === rule.result ? [latest.year] : [];
      } else {
        const term = worker.contractTerm;
        if (!term) return null;
        years = worker.results
          .filter(
            (r) => r.result === rule.result && `${r.year}-12-31` >= term.start && (term.end === null || `${r.year}-12-31` <= term.end),
          )
          .map((r) => r.year)
          .sort((a, b) => a - b);
      }
      if (years.length < rule.count) return null;
      const due = actionDue(rule, worker, asOf);
      if (!due) return null;
      const scope = rule.within === 'contract_term' ? '本合同期内' : '';
      return make(due, `${scope}${years.join('、')}年度考核${resultLabel(rule.result)}${years.length > 1 ? `共${years.length}次` : ''}`);
    }
    case 'retirement_age': {
      const kind = worker.gender === 'female' ? rules.femaleRetirementKind[worker.postCategory] : 'cadre';
      const age = retirementDate(worker.gender, worker.birthDate, kind);
      if (age.date > addDays(asOf, rule.withinDays)) return null;
      const due = rule.action === 'retire' ? age.date : actionDue(rule, worker, asOf);
      if (!due) return null;
      return make(due, `法定退休年龄${formatRetirementAgeZh(age)}，${age.date}达到`);
    }
    case 'contract_expiry': {
      const end = worker.contractTerm?.end;
      if (!end || worker.contractRenewed || end > addDays(asOf, rule.withinDays)) return null;
      return make(rule.action === 'terminate' ? addDays(asOf, 0) : end, `劳动合同${end}期满，尚未续签`);
    }
    case 'sanction': {
      const start = worker.contractTerm?.start ?? '0000-01-01';
      const hit = worker.sanctions
        .filter((s) => rule.sanctionKinds.includes(s.kind) && s.date <= asOf && s.date >= start)
        .sort((a, b) => a.date.localeCompare(b.date))[0];
      if (!hit) return null;
      const due = actionDue(rule, worker, asOf);
      if (!due) return null;
      const label = SANCTION_KINDS.find((k) => k.code === hit.kind)!.label;
      return make(due, `${hit.date}受到“${label}”处理`);
    }
  }
}
