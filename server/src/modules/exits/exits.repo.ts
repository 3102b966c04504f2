import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

type Db = Kysely<Database>;

/** Runs a query per slice of ids, so an `in (…)` list stays under both engines' parameter limits. */
async function inChunks<T>(ids: number[], run: (slice: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 5000) out.push(...(await run(ids.slice(i, i + 5000))));
  return out;
}

function scopedCases(db: Db, scope: Scope) {
  let q = db.selectFrom('exit_cases as e').where(inScope('e.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('e.worker_id', '=', scope.workerId);
  return q;
}

export function getCaseInScope(db: Db, scope: Scope, id: number) {
  return scopedCases(db, scope).selectAll('e').where('e.id', '=', id).executeTakeFirst();
}
export type ExitCaseRow = NonNullable<Awaited<ReturnType<typeof getCaseInScope>>>;

export async function findCasesInScope(
  db: Db,
  scope: Scope,
  filters: { orgCode?: string | undefined; orgLevel?: number | undefined; state?: string | undefined },
  limit: number,
  offset: number,
) {
  let q = scopedCases(db, scope);
  if (filters.orgCode && filters.orgLevel !== undefined) q = q.where(codeInSubtree('e.org_code', filters.orgCode, filters.orgLevel));
  if (filters.state) q = q.where('e.state', '=', filters.state);
  const [items, count] = await Promise.all([
    q.selectAll('e').orderBy('e.id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export function findCaseEvents(db: Db, caseId: number) {
  return db.selectFrom('exit_case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function insertCase(db: Db, row: Insertable<Database['exit_cases']>) {
  const r = await db.insertInto('exit_cases').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertCaseEvent(db: Db, row: Insertable<Database['exit_case_events']>) {
  await db.insertInto('exit_case_events').values(row).execute();
}

export async function updateCaseIfState(db: Db, id: number, expected: string, patch: Record<string, unknown>) {
  const r = await db.updateTable('exit_cases').set(patch).where('id', '=', id).where('state', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Workers with an open case, to skip them in a run. */
export async function findWorkersWithOpenCase(db: Db, workerIds: number[]): Promise<Set<number>> {
  const rows = await inChunks(workerIds, (slice) =>
    db
      .selectFrom('exit_cases')
      .select('worker_id')
      .where('worker_id', 'in', slice)
      .where('state', 'not in', ['exited', 'withdrawn'])
      .execute(),
  );
  return new Set(rows.map((r) => Number(r.worker_id)));
}

/** Rule versions at the org and its ancestors, in force on `on`, nearest org and newest version first. */
export function findRuleSets(db: Db, codes: string[], on: string) {
  return db
    .selectFrom('exit_rule_sets')
    .selectAll()
    .where('org_code', 'in', codes)
    .where('effective_from', '<=', on)
    .orderBy(sql`length(org_code)`, 'desc')
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertRuleSet(db: Db, row: Insertable<Database['exit_rule_sets']>) {
  const r = await db.insertInto('exit_rule_sets').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/*
 * The inputs of an exit run, read across domains in three set queries (a street has hundreds of workers,
 * so per-worker service calls would be slow): workers still on the roll, their active contract, and their
 * final assessment results. Read-only; every query is limited to the run's org subtree.
 */
export function findRunWorkers(db: Db, scope: Scope) {
  return db
    .selectFrom('workers as w')
    .select(['w.id', 'w.name', 'w.org_code', 'w.gender', 'w.birth_date', 'w.post'])
    .where(inScope('w.org_code', scope))
    .where('w.status', '!=', 'exited')
    .orderBy('w.id')
    .execute();
}

export function findRunActiveContracts(db: Db, workerIds: number[]) {
  return inChunks(workerIds, (slice) =>
    db
      .selectFrom('labour_contracts as c')
      .select(['c.id', 'c.worker_id', 'c.start_date', 'c.end_date'])
      .where('c.worker_id', 'in', slice)
      .where('c.status', '=', 'active')
      .execute(),
  );
}

export function findRunResults(db: Db, workerIds: number[]) {
  // In chunks like the contracts above: one IN list for a whole region exceeds the bound-parameter limit.
  return inChunks(workerIds, (slice) =>
    db.selectFrom('assessment_results').select(['worker_id', 'year', 'result']).where('worker_id', 'in', slice).execute(),
  );
}
