import type { Kysely } from 'kysely';
import type { CorrectionRequestUpdate, Database, NewCorrectionRequest } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

const COLUMNS = [
  'cr.id',
  'cr.worker_id',
  'cr.org_code',
  'cr.worker_name',
  'cr.status',
  'cr.changes_json',
  'cr.reason',
  'cr.requester_user_id',
  'cr.requester_name',
  'cr.reviewer_user_id',
  'cr.reviewer_name',
  'cr.review_reason',
  'cr.created_at',
  'cr.reviewed_at',
] as const;

/** Requests filed in the caller's subtree (and, for the worker role, on their own record only). */
function scoped(db: Kysely<Database>, scope: Scope) {
  let q = db.selectFrom('correction_requests as cr').where(inScope('cr.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('cr.worker_id', '=', scope.workerId);
  return q;
}

export function getCorrectionInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return scoped(db, scope).select(COLUMNS).where('cr.id', '=', id).executeTakeFirst();
}

export type CorrectionRow = NonNullable<Awaited<ReturnType<typeof getCorrectionInScope>>>;

export interface CorrectionFilters {
  status?: string | undefined;
  orgCode?: string | undefined;
  orgLevel?: number | undefined;
  workerId?: number | undefined;
}

/** A page of requests in scope, newest first. */
export async function findCorrectionsInScope(
  db: Kysely<Database>,
  scope: Scope,
  filters: CorrectionFilters,
  limit: number,
  offset: number,
) {
  let q = scoped(db, scope);
  if (filters.status) q = q.where('cr.status', '=', filters.status);
  if (filters.orgCode && filters.orgLevel !== undefined) q = q.where(codeInSubtree('cr.org_code', filters.orgCode, filters.orgLevel));
  if (filters.workerId !== undefined) q = q.where('cr.worker_id', '=', filters.workerId);
  const [items, count] = await Promise.all([
    q.select(COLUMNS).orderBy('cr.created_at', 'desc').orderBy('cr.id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** The changes of a worker's pending requests (the caller has read the worker in scope), to refuse a second pending request for one field. */
export function findPendingChangesOfWorkerUnscoped(db: Kysely<Database>, workerId: number) {
  return db
    .selectFrom('correction_requests')
    .select(['id', 'changes_json'])
    .where('worker_id', '=', workerId)
    .where('status', '=', 'pending')
    .execute();
}

export async function insertCorrection(db: Kysely<Database>, row: NewCorrectionRequest): Promise<number> {
  const r = await db.insertInto('correction_requests').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Updates a request the caller has read in scope, only while it is still `expected`; returns whether it did. */
export async function updateCorrectionIfStatus(db: Kysely<Database>, id: number, expected: string, patch: CorrectionRequestUpdate) {
  const r = await db.updateTable('correction_requests').set(patch).where('id', '=', id).where('status', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
