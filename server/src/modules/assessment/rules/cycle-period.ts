import { assessmentYearPeriod } from '../../sanctions/rules/sanction-rules.ts';
import { ASSESSMENT_PERIOD_PARTS, type AssessmentPeriod } from './template.ts';

/** The labels of the parts a cycle of `period` is for (none for an annual cycle). */
export function cyclePartsOf(period: string): readonly string[] {
  return ASSESSMENT_PERIOD_PARTS[period as AssessmentPeriod] ?? [];
}

/** '2026年度', '2026年上半年', '2026年第三季度'. */
export function cyclePeriodLabel(year: number, period: string, part: number | null): string {
  const label = part === null ? undefined : cyclePartsOf(period)[part - 1];
  return label ? `${year}年${label}` : `${year}年度`;
}

/**
 * The calendar period a cycle assesses, as decision dates: the year, or its half (part 1–2) or
 * quarter (part 1–4). The sanction veto counts the sanctions decided in it.
 */
export function assessmentCyclePeriod(year: number, period: string, part: number | null): { from: string; to: string } {
  const parts = cyclePartsOf(period).length;
  if (parts === 0 || part === null) return assessmentYearPeriod(year);
  const months = 12 / parts;
  const first = (part - 1) * months + 1;
  const last = first + months - 1;
  const lastDay = new Date(Date.UTC(year, last, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, '0');
  return { from: `${year}-${mm(first)}-01`, to: `${year}-${mm(last)}-${lastDay}` };
}
