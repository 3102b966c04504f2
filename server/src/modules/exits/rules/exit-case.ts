import { AppError } from '../../../lib/errors.ts';
import type { CodeLabel } from '../../meta/enums.ts';

/** States of an exit case (退出案件), in order; 'exited' and 'withdrawn' are final. */
export const EXIT_CASE_STATES = [
  { code: 'proposed', label: '拟退出', labelEn: 'Proposed' },
  { code: 'notified', label: '已书面通知', labelEn: 'Notified' },
  { code: 'handover', label: '工作交接中', labelEn: 'Handover' },
  { code: 'contract_terminated', label: '劳动合同已解除或终止', labelEn: 'Contract terminated' },
  { code: 'exited', label: '已退出', labelEn: 'Exited' },
  { code: 'withdrawn', label: '已撤回', labelEn: 'Withdrawn' },
] as const satisfies readonly CodeLabel[];
export type ExitCaseState = (typeof EXIT_CASE_STATES)[number]['code'];

const FORWARD: Record<ExitCaseState, ExitCaseState | null> = {
  proposed: 'notified',
  notified: 'handover',
  handover: 'contract_terminated',
  contract_terminated: 'exited',
  exited: null,
  withdrawn: null,
};

/** Items the handover checklist (工作交接清单) holds by default; a region may add its own. */
export const DEFAULT_HANDOVER_CHECKLIST = [
  { key: 'work_records', nameZh: '工作台账、档案资料' },
  { key: 'seals', nameZh: '印章、证照' },
  { key: 'funds', nameZh: '经手资金、财务事项结清' },
  { key: 'equipment', nameZh: '办公设备、钥匙' },
  { key: 'accounts', nameZh: '信息系统账号注销' },
  { key: 'pending_matters', nameZh: '未办结事项移交' },
] as const;

export function exitCaseStateLabel(state: ExitCaseState): string {
  return EXIT_CASE_STATES.find((s) => s.code === state)?.label ?? state;
}

export function isFinalExitCaseState(state: ExitCaseState): boolean {
  return FORWARD[state] === null;
}

/** States a case may move to next: the next step, or 'withdrawn' from any non-final state. */
export function nextStates(state: ExitCaseState): ExitCaseState[] {
  const next = FORWARD[state];
  return next === null ? [] : [next, 'withdrawn'];
}

export interface TransitionOptions {
  /** Required, non-blank, when withdrawing. */
  reason?: string;
  /** Names (nameZh) of handover checklist items not yet done; must be empty to leave 'handover'. */
  pendingHandoverItems?: readonly string[];
}

/**
 * Throws unless `from → to` is allowed: `CONFLICT` for a transition the state machine does not have
 * (or from a final state), `VALIDATION_FAILED` on `reason` for a withdrawal without one, and on
 * `pendingHandoverItems` when handover is not complete.
 */
export function assertTransition(from: ExitCaseState, to: ExitCaseState, options: TransitionOptions = {}): void {
  if (!nextStates(from).includes(to)) {
    const message = isFinalExitCaseState(from)
      ? `退出案件已处于“${exitCaseStateLabel(from)}”状态，不能再变更`
      : `退出案件不能从“${exitCaseStateLabel(from)}”变更为“${exitCaseStateLabel(to)}”`;
    throw new AppError('CONFLICT', { message, messageEn: `An exit case cannot move from ${from} to ${to}`, details: { from, to } });
  }
  if (to === 'withdrawn' && !options.reason?.trim()) {
    throw AppError.field('reason', '撤回退出案件须说明理由', 'A reason is required to withdraw an exit case');
  }
  if (from === 'handover' && to === 'contract_terminated' && (options.pendingHandoverItems?.length ?? 0) > 0) {
    throw AppError.field(
      'pendingHandoverItems',
      `工作交接尚未完成：${options.pendingHandoverItems!.join('、')}`,
      'The handover is not complete',
    );
  }
}

export interface ExitCaseHistoryEntry {
  from: ExitCaseState;
  to: ExitCaseState;
  at: string;
  reason?: string;
}

/** Applies a checked transition and records it; returns a new case, leaving the input untouched. */
export function transitionExitCase<T extends { state: ExitCaseState; history: readonly ExitCaseHistoryEntry[] }>(
  exitCase: T,
  to: ExitCaseState,
  at: string,
  options: TransitionOptions = {},
): T {
  assertTransition(exitCase.state, to, options);
  const reason = options.reason?.trim();
  const entry: ExitCaseHistoryEntry = { from: exitCase.state, to, at, ...(reason ? { reason } : {}) };
  return { ...exitCase, state: to, history: [...exitCase.history, entry] };
}
