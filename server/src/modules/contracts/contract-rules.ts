import type { CodeLabel } from '../meta/enums.ts';

/** Contract types (劳动合同期限类型, 《劳动合同法》第十二条). */
export const CONTRACT_TYPES = [
  { code: 'fixed_term', label: '固定期限', labelEn: 'Fixed term' },
  { code: 'open_ended', label: '无固定期限', labelEn: 'Open-ended' },
  { code: 'project', label: '以完成一定工作任务为期限', labelEn: 'Project' },
] as const satisfies readonly CodeLabel[];
export type ContractType = (typeof CONTRACT_TYPES)[number]['code'];
export const CONTRACT_TYPE_CODES = CONTRACT_TYPES.map((t) => t.code) as [ContractType, ...ContractType[]];

export const CONTRACT_STATUSES = [
  { code: 'active', label: '履行中', labelEn: 'Active' },
  { code: 'renewed', label: '已续签', labelEn: 'Renewed' },
  { code: 'terminated', label: '已解除', labelEn: 'Terminated' },
  { code: 'expired', label: '已到期', labelEn: 'Expired' },
] as const satisfies readonly CodeLabel[];
export type ContractStatus = (typeof CONTRACT_STATUSES)[number]['code'];

/** 五险一金: the five social insurances and the housing provident fund. */
export const INSURANCE_KINDS = [
  { code: 'pension', label: '养老保险', labelEn: 'Pension insurance' },
  { code: 'medical', label: '医疗保险', labelEn: 'Medical insurance' },
  { code: 'unemployment', label: '失业保险', labelEn: 'Unemployment insurance' },
  { code: 'injury', label: '工伤保险', labelEn: 'Work injury insurance' },
  { code: 'maternity', label: '生育保险', labelEn: 'Maternity insurance' },
  { code: 'housing_fund', label: '住房公积金', labelEn: 'Housing provident fund' },
] as const satisfies readonly CodeLabel[];
export type InsuranceKind = (typeof INSURANCE_KINDS)[number]['code'];
export const INSURANCE_KIND_CODES = INSURANCE_KINDS.map((k) => k.code) as [InsuranceKind, ...InsuranceKind[]];

export const CONTRACT_ALERT_KINDS = [
  { code: 'contract_ending', label: '劳动合同即将到期', labelEn: 'Contract ending' },
  { code: 'probation_ending', label: '试用期即将结束', labelEn: 'Probation ending' },
  { code: 'no_contract', label: '未签订劳动合同', labelEn: 'No active contract' },
  { code: 'missing_insurance', label: '五险一金未参保', labelEn: 'Missing insurance' },
] as const satisfies readonly CodeLabel[];
export type ContractAlertKind = (typeof CONTRACT_ALERT_KINDS)[number]['code'];

/** One band of §19: a term of at least `minTermMonths` (and less than the next band) allows this much probation. */
export interface ProbationBand {
  minTermMonths: number;
  maxProbationMonths: number;
  /** How the law words the band, for the explanation in an error. */
  description: string;
}

/**
 * Default contract rules as data. Source: 《中华人民共和国劳动合同法》第十九条 — a term of 3 months
 * to under 1 year allows at most 1 month of probation, 1 to under 3 years at most 2 months, 3 years
 * or more (and open-ended contracts) at most 6 months; a project contract or a term under 3 months
 * allows none; an employer may agree on probation with the same worker only once.
 */
export const CONTRACT_RULES = {
  source: '《劳动合同法》第十九条',
  probationBands: [
    { minTermMonths: 0, maxProbationMonths: 0, description: '合同期限不满三个月的' },
    { minTermMonths: 3, maxProbationMonths: 1, description: '合同期限三个月以上不满一年的' },
    { minTermMonths: 12, maxProbationMonths: 2, description: '合同期限一年以上不满三年的' },
    { minTermMonths: 36, maxProbationMonths: 6, description: '三年以上固定期限的' },
  ] satisfies ProbationBand[],
  openEndedMaxProbationMonths: 6,
  /** Types that may not have probation at all. */
  noProbationTypes: ['project'] as readonly ContractType[],
  /** A renewal with the same street office may not agree on probation again. */
  probationOncePerEmployer: true,
  /** Alert windows (days ahead of today). */
  contractEndingWithinDays: 60,
  probationEndingWithinDays: 30,
  /** Every active worker should be enrolled in all of these. */
  requiredInsurance: INSURANCE_KIND_CODES as readonly InsuranceKind[],
} as const;

export type ContractRules = typeof CONTRACT_RULES;

function parseDate(d: string): [number, number, number] {
  return d.split('-').map(Number) as [number, number, number];
}

function formatDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus whole months, clamped to the month's last day (01-31 + 1 month = 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parseDate(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return formatDate(year, month, Math.min(d, lastDay));
}

/** Whether a term from `start` to `end` (both inclusive) lasts at least `months` months. */
export function termAtLeastMonths(start: string, end: string, months: number): boolean {
  return addMonths(start, months) <= addDays(end, 1);
}

/** The last day a probation of `months` months starting on `start` may run to (1 month from 01-01 ends 01-31). */
export function lastProbationDay(start: string, months: number): string {
  return addDays(addMonths(start, months), -1);
}

export interface ProbationLimit {
  maxMonths: number;
  /** The rule that applies, in the law's words, with its source. */
  explanation: string;
}

/** The longest probation a contract may agree on under the rules. */
export function probationLimit(
  contract: { contractType: ContractType; startDate: string; endDate: string | null },
  rules: ContractRules = CONTRACT_RULES,
): ProbationLimit {
  if (rules.noProbationTypes.includes(contract.contractType)) {
    return { maxMonths: 0, explanation: `以完成一定工作任务为期限的劳动合同不得约定试用期（${rules.source}）` };
  }
  if (contract.contractType === 'open_ended' || !contract.endDate) {
    const n = rules.openEndedMaxProbationMonths;
    return { maxMonths: n, explanation: `无固定期限劳动合同试用期不得超过${n}个月（${rules.source}）` };
  }
  let band: ProbationBand = { minTermMonths: 0, maxProbationMonths: 0, description: '合同期限不满三个月的' };
  for (const b of rules.probationBands) {
    if (termAtLeastMonths(contract.startDate, contract.endDate, b.minTermMonths)) band = b;
  }
  const explanation =
    band.maxProbationMonths === 0
      ? `${band.description}不得约定试用期（${rules.source}）`
      : `${band.description}试用期不得超过${band.maxProbationMonths}个月（${rules.source}）`;
  return { maxMonths: band.maxProbationMonths, explanation };
}
