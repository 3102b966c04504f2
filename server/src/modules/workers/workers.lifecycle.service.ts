import type { OpContext } from '../../context.ts';
import type { WorkerUpdate } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { nowIso } from '../../lib/time.ts';
import type { WorkerStatus } from '../meta/enums.ts';
import { recordWorkerChange } from './workers.history.ts';
import { statusTransitionProblem } from './workers.lifecycle.ts';
import * as repo from './workers.repo.ts';
import type { TWorker, TWorkerStatusChange, TWorkerTransfer } from './workers.schema.ts';
import { assertPlacementOrg, fieldError, getWorker, getWorkerRowOrThrow } from './workers.service.ts';

/** Roles that may reinstate an exited worker (besides the system itself). */
const REINSTATING_ROLES = ['sys_admin', 'street_hr'];

/** Status-related columns and their API names, for the history and the audit log. */
const STATUS_FIELDS = [
  ['status', 'status'],
  ['statusDate', 'status_date'],
  ['statusReason', 'status_reason'],
  ['leaveType', 'leave_type'],
  ['leaveEndDate', 'leave_end_date'],
  ['exitReason', 'exit_reason'],
  ['exitDate', 'exit_date'],
] as const;

/**
 * Moves a worker through the lifecycle (试用期 → 在岗 → 离岗 → 已退出): checks the transition,
 * requires a leave type for leave and an exit reason for exit, and records the change.
 */
export async function changeWorkerStatus(ctx: OpContext, workerId: number, input: TWorkerStatusChange): Promise<TWorker> {
  const current = await getWorkerRowOrThrow(ctx, workerId);
  const from = current.status as WorkerStatus;
  const to = input.status;
  const reinstate = input.reinstate ?? false;
  const problem = statusTransitionProblem(from, to, reinstate);
  if (problem) throw fieldError('status', problem.message, problem.messageEn);
  if (reinstate && ctx.actor && !REINSTATING_ROLES.includes(ctx.actor.role)) {
    throw new AppError('FORBIDDEN', {
      message: '状态：恢复已退出人员须由街道人事专员办理',
      messageEn: 'status: only a street office may reinstate',
    });
  }
  if (current.status_date && input.effectiveDate < current.status_date) {
    throw fieldError(
      'effectiveDate',
      `生效日期：不能早于当前状态的开始日期（${current.status_date}）`,
      `effectiveDate: before the start of the current status (${current.status_date})`,
    );
  }
  if (to !== 'on_leave' && (input.leaveType !== undefined || input.leaveEndDate)) {
    throw fieldError('leaveType', '离岗类型：仅在改为“离岗”时填写', 'leaveType: only for on_leave');
  }
  if (to !== 'exited' && input.exitReason !== undefined) {
    throw fieldError('exitReason', '退出原因：仅在改为“已退出”时填写', 'exitReason: only for exited');
  }
  const reason = input.reason || null;
  const next: Record<(typeof STATUS_FIELDS)[number][1], string | null> = {
    status: to,
    status_date: input.effectiveDate,
    status_reason: reason,
    leave_type: null,
    leave_end_date: null,
    exit_reason: null,
    exit_date: null,
  };
  if (to === 'on_leave') {
    if (!input.leaveType) throw fieldError('leaveType', '离岗类型：必填（病假、产假、借调、脱产学习）', 'leaveType: required');
    if (input.leaveEndDate && input.leaveEndDate < input.effectiveDate) {
      throw fieldError('leaveEndDate', '预计返岗日期：不能早于生效日期', 'leaveEndDate: before the effective date');
    }
    next.leave_type = input.leaveType;
    next.leave_end_date = input.leaveEndDate ?? null;
  }
  if (to === 'exited') {
    if (!input.exitReason) throw fieldError('exitReason', '退出原因：必填', 'exitReason: required');
    if (input.exitReason === 'other' && !reason) {
      throw fieldError('reason', '原因：退出原因为“其他”时须说明', 'reason: required when the exit reason is other');
    }
    next.exit_reason = input.exitReason;
    next.exit_date = input.effectiveDate;
  }
  const set: WorkerUpdate = { updated_at: nowIso() };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, col] of STATUS_FIELDS) {
    const oldV = current[col];
    if (oldV !== next[col]) {
      (set as Record<string, unknown>)[col] = next[col];
      before[key] = oldV;
      after[key] = next[col];
    }
  }
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateWorkerIfStatus(trx, workerId, from, set))) {
      throw new AppError('CONFLICT', {
        message: '状态：已被他人修改，请刷新后重试',
        messageEn: 'status: changed meanwhile; reload and retry',
      });
    }
    await recordWorkerChange(trx, ctx, {
      action: 'status',
      workerId,
      orgCode: current.org_code,
      before,
      after,
      ...(reinstate ? { note: { reinstate: true } } : {}),
    });
  });
  return getWorker(ctx, workerId);
}

/**
 * Transfers a worker to another street or community in the caller's scope: closes the current
 * placement on the effective date, opens the new one, and records the change.
 */
export async function transferWorker(ctx: OpContext, workerId: number, input: TWorkerTransfer): Promise<TWorker> {
  const current = await getWorkerRowOrThrow(ctx, workerId);
  if (input.toOrgCode === current.org_code) {
    throw fieldError('toOrgCode', '调入组织：与当前所属组织相同', 'toOrgCode: the worker is already there');
  }
  if (current.status === 'exited') {
    throw fieldError('status', '状态：已退出人员不能调动', 'status: an exited worker cannot be transferred');
  }
  await assertPlacementOrg(ctx, input.toOrgCode, 'toOrgCode', '调入组织');
  const db = ctx.deps.db.kysely;
  const since = (await repo.getOpenAssignmentStart(db, workerId)) ?? current.join_community_date;
  if (since && input.effectiveDate < since) {
    throw fieldError(
      'effectiveDate',
      `生效日期：不能早于在现单位的起始日期（${since}）`,
      `effectiveDate: before the current placement began (${since})`,
    );
  }
  const now = nowIso();
  const reason = input.reason || null;
  await db.transaction().execute(async (trx) => {
    await repo.updateWorker(trx, workerId, { org_code: input.toOrgCode, join_community_date: input.effectiveDate, updated_at: now });
    await repo.closeOpenAssignment(trx, workerId, input.effectiveDate);
    await repo.insertAssignment(trx, {
      worker_id: workerId,
      org_code: input.toOrgCode,
      from_date: input.effectiveDate,
      to_date: null,
      reason,
      created_at: now,
    });
    await recordWorkerChange(trx, ctx, {
      action: 'transfer',
      workerId,
      orgCode: input.toOrgCode,
      before: { orgCode: current.org_code, joinCommunityDate: current.join_community_date },
      after: { orgCode: input.toOrgCode, joinCommunityDate: input.effectiveDate },
      note: { effectiveDate: input.effectiveDate, reason },
    });
  });
  return getWorker(ctx, workerId);
}
