import type { OpContext, Tx } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import * as repo from './workers.repo.ts';

export type WorkerChangeAction = 'create' | 'update' | 'status' | 'transfer';

/** One change to one worker: field → value maps, personal values already masked. */
export interface WorkerChange {
  action: WorkerChangeAction;
  workerId: number;
  /** The worker's org after the change. */
  orgCode: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** Context for the audit entry only (effective date, reason), not a field of the record. */
  note?: Record<string, unknown>;
}

/** Masks an address for the history and the audit log: the first 6 characters (province, city) only. */
export function maskAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  return value.length <= 6 ? `${value.slice(0, 2)}****` : `${value.slice(0, 6)}****`;
}

/** How a field's value is written into a history row (arrays joined with commas). */
export function historyValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/**
 * Writes the audit entry and one history row per changed field, inside the caller's transaction,
 * so the change and its record commit or roll back together.
 */
export async function recordWorkerChange(trx: Tx, ctx: OpContext, change: WorkerChange): Promise<void> {
  const fields = Object.keys(change.after);
  await appendAudit(trx, ctx, {
    action: `worker.${change.action}`,
    entityType: 'worker',
    entityId: change.workerId,
    orgCode: change.orgCode,
    before: change.action === 'create' ? undefined : change.before,
    after: change.note ? { ...change.after, ...change.note } : change.after,
  });
  const ts = nowIso();
  await repo.insertHistory(
    trx,
    fields.map((field) => ({
      worker_id: change.workerId,
      org_code: change.orgCode,
      ts,
      actor_id: ctx.actor?.id ?? null,
      actor_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
      action: change.action,
      field,
      old_value: historyValue(change.before[field]),
      new_value: historyValue(change.after[field]),
    })),
  );
}
