import { Tag } from 'antd';
import type { AssessmentResultCode, GradeChange, GradeRunStatus } from '../../api/grades';
import { isMessageKey, useT, type TFunction } from '../../i18n';

export const RESULT_CODES: AssessmentResultCode[] = ['excellent', 'competent', 'basically_competent', 'incompetent'];
export const CHANGES: GradeChange[] = ['step', 'early_step', 'initial', 'none', 'error'];

const RESULT_COLOR: Record<string, string> = { excellent: 'green', competent: 'blue', basically_competent: 'orange', incompetent: 'red' };
const CHANGE_COLOR: Record<string, string> = { step: 'green', early_step: 'cyan', initial: 'blue', none: 'default', error: 'red' };
const STATUS_COLOR: Record<string, string> = {
  computing: 'processing',
  previewed: 'gold',
  applying: 'processing',
  approved: 'blue',
  applied: 'green',
  failed: 'red',
  cancelled: 'default',
};

/** The label of a coded value under a dictionary prefix, or the code itself. */
export function keyLabel(t: TFunction, prefix: string, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

export function ResultTag({ result }: { result: string }) {
  const t = useT();
  return <Tag color={RESULT_COLOR[result] ?? 'default'}>{keyLabel(t, 'grade.result', result)}</Tag>;
}

export function ChangeTag({ change }: { change: string }) {
  const t = useT();
  return <Tag color={CHANGE_COLOR[change] ?? 'default'}>{keyLabel(t, 'grade.change', change)}</Tag>;
}

export function RunStatusTag({ status }: { status: GradeRunStatus | string }) {
  const t = useT();
  return <Tag color={STATUS_COLOR[status] ?? 'default'}>{keyLabel(t, 'grade.run.status', status)}</Tag>;
}

/** "正职12级" from a band name (or key) and a level. */
export function gradeText(t: TFunction, band: string | null, bandName: string | null, level: number | null): string {
  if (level === null || level === undefined) return '—';
  return t('grade.level', { band: bandName ?? band ?? '', level });
}
