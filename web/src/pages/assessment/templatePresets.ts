/**
 * The assessment templates a region starts from when it opens a cycle. They mirror the server's
 * `DEFAULT_ASSESSMENT_TEMPLATE` and `DE_NENG_QIN_JI_LIAN_DIMENSIONS` (server/src/modules/assessment/rules/
 * template.ts; templatePresets.test.ts keeps them equal); the server validates whatever is submitted.
 * Units as on the server: weights and shares in basis points (30% = 3000), scores in hundredths (90分 = 9000).
 */
import type { AssessmentResultCode } from '../../api/assessment';

export interface AssessmentTemplate {
  nameZh: string;
  period: 'annual' | 'half_year' | 'quarter';
  dimensions: { key: string; nameZh: string; weightBp: number }[];
  raterGroups: { key: string; nameZh: string; weightBp: number; source: 'sheet' | 'ballot'; minRaters: number }[];
  bands: { result: AssessmentResultCode; minScore: number }[];
  excellentCap: { shareBp: number; rounding: 'floor' | 'half_up' | 'ceil'; atLeastOne: boolean };
  tieRule: 'demote_all' | 'include_all' | 'break_by_group_scores';
  tieBreakGroups: string[];
  vetoItems: { key: string; nameZh: string; result: 'basically_competent' | 'incompetent' }[];
  quorum: { minBallots: number; minOrdinaryShareBp: number };
  openModeBallotsPerIp: number;
  ballotPoints: { satisfied: number; basically_satisfied: number; dissatisfied: number };
  missingGroupPolicy: 'flag' | 'renormalise';
}

export type TemplatePresetKey = 'default' | 'de_neng_qin_ji_lian';

export const DEFAULT_TEMPLATE: AssessmentTemplate = {
  nameZh: '社区工作者年度考核',
  period: 'annual',
  dimensions: [
    { key: 'political', nameZh: '政治素质', weightBp: 3000 },
    { key: 'performance', nameZh: '工作实绩', weightBp: 5000 },
    { key: 'satisfaction', nameZh: '居民满意度', weightBp: 2000 },
  ],
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

/** 德、能、勤、绩、廉 — the civil-service style dimensions some regions use (绩 weighs most). */
export const DE_NENG_QIN_JI_LIAN_DIMENSIONS: AssessmentTemplate['dimensions'] = [
  { key: 'de', nameZh: '德', weightBp: 2000 },
  { key: 'neng', nameZh: '能', weightBp: 2000 },
  { key: 'qin', nameZh: '勤', weightBp: 1500 },
  { key: 'ji', nameZh: '绩', weightBp: 3500 },
  { key: 'lian', nameZh: '廉', weightBp: 1000 },
];

/** A fresh copy of a preset (the form edits it in place). */
export function templatePreset(key: TemplatePresetKey): AssessmentTemplate {
  const copy = structuredClone(DEFAULT_TEMPLATE);
  if (key === 'de_neng_qin_ji_lian') copy.dimensions = structuredClone(DE_NENG_QIN_JI_LIAN_DIMENSIONS);
  return copy;
}

/** Sum of a weight list in basis points (10000 = 100%). */
export function weightSumBp(items: readonly { weightBp?: number | null }[] | undefined): number {
  return (items ?? []).reduce((s, x) => s + (x?.weightBp ?? 0), 0);
}
