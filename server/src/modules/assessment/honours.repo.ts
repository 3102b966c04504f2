import type { Insertable, Kysely } from 'kysely';
import type { AssessmentHonourMemberTable, AssessmentHonourTable, Database } from '../../db/schema.ts';
import { inScope, type Scope } from '../../lib/scope.ts';
import { cycleVisible } from './assessment.repo.ts';

type Db = Kysely<Database>;

const HONOUR_COLUMNS = [
  'h.id',
  'h.cycle_id',
  'c.name as cycle_name',
  'h.org_code',
  'h.title',
  'h.document_no',
  'h.decided_on',
  'h.member_count',
  'h.created_by_name',
  'h.created_at',
] as const;

/**
 * Honours visible in a scope: those issued in the subtree or by an org above it (a street sees the
 * district's decision). A worker sees only decisions that commend them.
 */
function visibleHonours(db: Db, scope: Scope) {
  let q = db
    .selectFrom('assessment_honours as h')
    .innerJoin('assessment_cycles as c', 'c.id', 'h.cycle_id')
    .where(cycleVisible('h.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) {
    const workerId = scope.workerId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('assessment_honour_members as m')
          .select('m.worker_id')
          .whereRef('m.honour_id', '=', 'h.id')
          .where('m.worker_id', '=', workerId),
      ),
    );
  }
  return q;
}

export async function findHonoursInScope(db: Db, scope: Scope, filters: { cycleId?: number | undefined }, limit: number, offset: number) {
  let q = visibleHonours(db, scope);
  if (filters.cycleId !== undefined) q = q.where('h.cycle_id', '=', filters.cycleId);
  const [items, count] = await Promise.all([
    q.select(HONOUR_COLUMNS).orderBy('h.id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
export type HonourRow = Awaited<ReturnType<typeof findHonoursInScope>>['items'][number];

export function getHonourInScope(db: Db, scope: Scope, id: number) {
  return visibleHonours(db, scope).select(HONOUR_COLUMNS).where('h.id', '=', id).executeTakeFirst();
}

/** The members of a decision that lie in the scope, by rank. */
export function findHonourMembersInScope(db: Db, scope: Scope, honourId: number) {
  let q = db
    .selectFrom('assessment_honour_members as m')
    .select(['m.worker_id', 'm.org_code', 'm.worker_name', 'm.total', 'm.rank'])
    .where('m.honour_id', '=', honourId)
    .where(inScope('m.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('m.worker_id', '=', scope.workerId);
  return q.orderBy('m.rank').orderBy('m.worker_id').execute();
}

/** The decisions commending one worker (the caller has already checked the worker is in scope). */
export function findWorkerHonoursUnscoped(db: Db, workerId: number) {
  return db
    .selectFrom('assessment_honour_members as m')
    .innerJoin('assessment_honours as h', 'h.id', 'm.honour_id')
    .innerJoin('assessment_cycles as c', 'c.id', 'h.cycle_id')
    .select(HONOUR_COLUMNS)
    .where('m.worker_id', '=', workerId)
    .orderBy('h.decided_on', 'desc')
    .orderBy('h.id', 'desc')
    .execute();
}

export async function insertHonour(db: Db, honour: Insertable<AssessmentHonourTable>, members: Insertable<AssessmentHonourMemberTable>[]) {
  const row = await db.insertInto('assessment_honours').values(honour).returning('id').executeTakeFirstOrThrow();
  const id = Number(row.id);
  for (let i = 0; i < members.length; i += 500) {
    await db
      .insertInto('assessment_honour_members')
      .values(members.slice(i, i + 500).map((m) => ({ ...m, honour_id: id })))
      .execute();
  }
  return id;
}
