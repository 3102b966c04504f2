import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { codeInSubtree, inScope, isCodeInScope, type Scope } from '../../lib/scope.ts';

type Db = Kysely<Database>;

/** Ids per `in (…)` list: a region has thousands of workers, and both engines limit bound parameters. */
export const IN_CHUNK_SIZE = 500;

const COLUMNS = [
  's.id',
  's.worker_id',
  's.org_code',
  's.kind',
  's.decided_on',
  's.ends_on',
  's.authority',
  's.document_no',
  's.reason_enc',
  's.status',
  's.revoked_reason_enc',
  's.revoked_at',
  's.created_at',
  'w.name as worker_name',
] as const;

/*
 * Worker names are read by joining `workers` (read-only): a register row belongs to a worker, and the
 * list shows whose it is.
 */
function withWorker(db: Db) {
  return db.selectFrom('worker_sanctions as s').innerJoin('workers as w', 'w.id', 's.worker_id');
}

/** A worker's sanctions, newest decision first; the caller has checked the worker is in scope. */
export function findSanctionsOfWorkerInScope(db: Db, scope: Scope, workerId: number) {
  let q = withWorker(db).where('s.worker_id', '=', workerId).where(inScope('w.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('s.worker_id', '=', scope.workerId);
  return q.select(COLUMNS).orderBy('s.decided_on', 'desc').orderBy('s.id', 'desc').execute();
}
export type SanctionRow = Awaited<ReturnType<typeof findSanctionsOfWorkerInScope>>[number];

/**
 * One sanction in scope: recorded inside the caller's subtree, or of a worker who is there now (the
 * register follows the worker on a transfer). A worker's scope is narrowed to their own sanctions.
 */
export function getSanctionInScope(db: Db, scope: Scope, id: number) {
  let q = withWorker(db)
    .where('s.id', '=', id)
    .where((eb) => eb.or([inScope('s.org_code', scope), inScope('w.org_code', scope)]));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('s.worker_id', '=', scope.workerId);
  return q.select(COLUMNS).executeTakeFirst();
}

/**
 * The register in scope, newest decision first: sanctions recorded inside the caller's subtree, and
 * those of workers who are there now (after a transfer the receiving office sees them; the
 * recording office keeps its record). The org filter applies the same way.
 */
export async function findSanctionsInScope(
  db: Db,
  scope: Scope,
  filters: {
    org?: { code: string; level: number } | undefined;
    from?: string | undefined;
    to?: string | undefined;
    kind?: string | undefined;
    status?: string | undefined;
  },
  limit: number,
  offset: number,
) {
  // The area listed: the org filter (inside the scope), else the whole scope.
  const area = filters.org ?? { code: scope.orgCode, level: scope.level };
  if (!isCodeInScope(area.code, scope)) return { items: [], total: 0 };
  let q = withWorker(db);
  if (area.level > 0) {
    // Recorded in the area, or of a worker there now: two index searches (by the sanction's org, and
    // by the workers' org then their sanctions) instead of an OR across two tables, which scans.
    const ids = db
      .selectFrom('worker_sanctions as r')
      .select('r.id')
      .where(codeInSubtree('r.org_code', area.code, area.level))
      .union(
        db
          .selectFrom('workers as v')
          .innerJoin('worker_sanctions as m', 'm.worker_id', 'v.id')
          .select('m.id')
          .where(codeInSubtree('v.org_code', area.code, area.level)),
      );
    q = q.where('s.id', 'in', ids);
  }
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('s.worker_id', '=', scope.workerId);
  if (filters.from) q = q.where('s.decided_on', '>=', filters.from);
  if (filters.to) q = q.where('s.decided_on', '<=', filters.to);
  if (filters.kind) q = q.where('s.kind', '=', filters.kind);
  if (filters.status) q = q.where('s.status', '=', filters.status);
  const [items, count] = await Promise.all([
    q.select(COLUMNS).orderBy('s.decided_on', 'desc').orderBy('s.id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * An in-force sanction of the worker of the same kind and decision date whose document number is the
 * same or missing on either side: what a second submission of the same decision would duplicate.
 */
export async function findSameInForceSanction(
  db: Db,
  workerId: number,
  kind: string,
  decidedOn: string,
  documentNo: string | null,
): Promise<{ id: number; document_no: string | null } | undefined> {
  let q = db
    .selectFrom('worker_sanctions')
    .select(['id', 'document_no'])
    .where('worker_id', '=', workerId)
    .where('decided_on', '=', decidedOn)
    .where('kind', '=', kind)
    .where('status', '=', 'in_force');
  if (documentNo) q = q.where((eb) => eb.or([eb('document_no', 'is', null), eb('document_no', '=', documentNo)]));
  const r = await q.orderBy('id').executeTakeFirst();
  return r ? { id: Number(r.id), document_no: r.document_no } : undefined;
}

export async function insertSanction(db: Db, row: Insertable<Database['worker_sanctions']>): Promise<number> {
  const r = await db.insertInto('worker_sanctions').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Updates a sanction only while it still has the expected status; false when someone changed it meanwhile. */
export async function updateSanctionIfStatus(
  db: Db,
  id: number,
  expected: string,
  patch: Updateable<Database['worker_sanctions']>,
): Promise<boolean> {
  const r = await db.updateTable('worker_sanctions').set(patch).where('id', '=', id).where('status', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * In-force sanctions of the given workers decided within [from, to] (either bound optional), for exit
 * runs and assessment computations that have already scoped their workers. Ids go in chunks of 500.
 */
export async function findInForceForWorkersUnscoped(db: Db, workerIds: readonly number[], period: { from?: string; to?: string }) {
  const out: { id: number; worker_id: number; kind: string; decided_on: string; document_no: string | null }[] = [];
  for (let i = 0; i < workerIds.length; i += IN_CHUNK_SIZE) {
    let q = db
      .selectFrom('worker_sanctions')
      .select(['id', 'worker_id', 'kind', 'decided_on', 'document_no'])
      .where('worker_id', 'in', workerIds.slice(i, i + IN_CHUNK_SIZE))
      .where('status', '=', 'in_force');
    if (period.from) q = q.where('decided_on', '>=', period.from);
    if (period.to) q = q.where('decided_on', '<=', period.to);
    out.push(...(await q.orderBy('worker_id').orderBy('decided_on').orderBy('id').execute()));
  }
  return out;
}
