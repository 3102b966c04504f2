import type { CodeLabel } from '../../meta/enums.ts';

/**
 * Annual assessment results (年度考核等次), best first. Held here until the assessment module
 * lands; the codes are what grade schemes and pay tables key on.
 */
export const ASSESSMENT_RESULTS = [
  { code: 'excellent', label: '优秀', labelEn: 'Excellent' },
  { code: 'competent', label: '称职', labelEn: 'Competent' },
  { code: 'basically_competent', label: '基本称职', labelEn: 'Basically competent' },
  { code: 'incompetent', label: '不称职', labelEn: 'Incompetent' },
] as const satisfies readonly CodeLabel[];
export type AssessmentResult = (typeof ASSESSMENT_RESULTS)[number]['code'];
export const ASSESSMENT_RESULT_CODES = ASSESSMENT_RESULTS.map((r) => r.code) as [AssessmentResult, ...AssessmentResult[]];

export function assessmentLabel(result: AssessmentResult): string {
  return ASSESSMENT_RESULTS.find((r) => r.code === result)?.label ?? result;
}
