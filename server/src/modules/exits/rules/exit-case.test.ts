import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors.ts';
import {
  assertTransition,
  isFinalExitCaseState,
  nextStates,
  transitionExitCase,
  type ExitCaseHistoryEntry,
  type ExitCaseState,
} from './exit-case.ts';

const catchAppError = (fn: () => void): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
};

describe('exit case state machine', () => {
  it('lists the next states: the next step or withdrawal; none from final states', () => {
    expect(nextStates('proposed')).toEqual(['notified', 'withdrawn']);
    expect(nextStates('notified')).toEqual(['handover', 'withdrawn']);
    expect(nextStates('handover')).toEqual(['contract_terminated', 'withdrawn']);
    expect(nextStates('contract_terminated')).toEqual(['exited', 'withdrawn']);
    expect(nextStates('exited')).toEqual([]);
    expect(nextStates('withdrawn')).toEqual([]);
    expect(isFinalExitCaseState('exited')).toBe(true);
    expect(isFinalExitCaseState('handover')).toBe(false);
  });

  it('walks the whole path, recording each step, without changing the input', () => {
    const start = { id: 1, state: 'proposed' as ExitCaseState, history: [] as ExitCaseHistoryEntry[] };
    const notified = transitionExitCase(start, 'notified', '2026-03-01');
    const handover = transitionExitCase(notified, 'handover', '2026-03-02');
    const terminated = transitionExitCase(handover, 'contract_terminated', '2026-03-31', { pendingHandoverItems: [] });
    const exited = transitionExitCase(terminated, 'exited', '2026-04-01');
    expect(exited.state).toBe('exited');
    expect(exited.id).toBe(1);
    expect(exited.history.map((h) => `${h.from}→${h.to}@${h.at}`)).toEqual([
      'proposed→notified@2026-03-01',
      'notified→handover@2026-03-02',
      'handover→contract_terminated@2026-03-31',
      'contract_terminated→exited@2026-04-01',
    ]);
    expect(start).toEqual({ id: 1, state: 'proposed', history: [] });
  });

  it.each(['proposed', 'notified', 'handover', 'contract_terminated'] as const)('can be withdrawn with a reason from %s', (from) => {
    const c = transitionExitCase({ state: from, history: [] }, 'withdrawn', '2026-03-05', { reason: ' 复核后考核结果更正 ' });
    expect(c).toEqual({ state: 'withdrawn', history: [{ from, to: 'withdrawn', at: '2026-03-05', reason: '复核后考核结果更正' }] });
  });

  it('refuses a withdrawal without a reason', () => {
    for (const reason of [undefined, '', '   ']) {
      const e = catchAppError(() => assertTransition('notified', 'withdrawn', { reason }));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.message).toBe('撤回退出案件须说明理由');
      expect(e.details).toMatchObject({ issues: [{ field: 'reason' }] });
    }
  });

  it('refuses skipping or going back, with a Chinese message', () => {
    const e = catchAppError(() => assertTransition('proposed', 'handover'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('退出案件不能从“拟退出”变更为“工作交接中”');
    expect(catchAppError(() => assertTransition('handover', 'notified')).code).toBe('CONFLICT');
    expect(catchAppError(() => assertTransition('proposed', 'proposed')).code).toBe('CONFLICT');
  });

  it('refuses any change to a final case', () => {
    expect(catchAppError(() => assertTransition('exited', 'withdrawn', { reason: '误操作' })).message).toBe(
      '退出案件已处于“已退出”状态，不能再变更',
    );
    expect(catchAppError(() => assertTransition('withdrawn', 'proposed')).message).toBe('退出案件已处于“已撤回”状态，不能再变更');
  });

  it('refuses ending the contract while handover items are pending', () => {
    const e = catchAppError(() =>
      assertTransition('handover', 'contract_terminated', { pendingHandoverItems: ['印章、证照', '经手资金、财务事项结清'] }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe('工作交接尚未完成：印章、证照、经手资金、财务事项结清');
  });
});
