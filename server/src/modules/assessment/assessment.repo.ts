import { sql, type Expression, type Insertable, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ancestorCodes, inScope, NATION_CODE, type Scope } from '../../lib/scope.ts';

type Db = Kysely<Database>;

/** A cycle is visible to whoever works inside its region (it covers them) or above it (it lies in their subtree). */
export function cycleVisible(column: string, scope: Scope): Expression<SqlBool> {
  if (scope.level === 0 || scope.orgCode === NATION_CODE) return sql<SqlBool>`1 = 1`;
  const covering = [NATION_CODE, ...ancestorCodes(scope.orgCode), scope.orgCode];
  return sql<SqlBool>`(${inScope(column, scope)} or ${sql.ref(column)} in (${sql.join(covering)}))`;
}

const CYCLE_COLUMNS = [
  'c.id',
  'c.org_code',
  'c.name',
  'c.period',
  'c.part',
  'c.year',
  'c.template',
  'c.sheet_raters',
  'c.status',
  'c.publicity_days',
  'c.publicity_until',
  'c.created_at',
  'c.computed_at',
  'c.finalised_at',
] as const;

export function getCycleInScope(db: Db, scope: Scope, id: number) {
  return db
    .selectFrom('assessment_cycles as c')
    .select(CYCLE_COLUMNS)
    .where('c.id', '=', id)
    .where(cycleVisible('c.org_code', scope))
    .executeTakeFirst();
}
export type CycleRow = NonNullable<Awaited<ReturnType<typeof getCycleInScope>>>;

export async function findCyclesInScope(db: Db, scope: Scope, filters: { year?: number | undefined }, limit: number, offset: number) {
  let q = db.selectFrom('assessment_cycles as c').where(cycleVisible('c.org_code', scope));
  if (filters.year !== undefined) q = q.where('c.year', '=', filters.year);
  const [items, count] = await Promise.all([
    q.select(CYCLE_COLUMNS).orderBy('c.id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Participant counts of cycles, limited to the caller's scope. */
export async function countParticipantsInScope(db: Db, scope: Scope, cycleIds: number[]): Promise<Map<number, number>> {
  if (cycleIds.length === 0) return new Map();
  const rows = await participantsScoped(db, scope)
    .select((eb) => ['p.cycle_id', eb.fn.countAll<string | number>().as('n')])
    .where('p.cycle_id', 'in', cycleIds)
    .groupBy('p.cycle_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.cycle_id), Number(r.n)]));
}

export async function insertCycle(db: Db, row: Insertable<Database['assessment_cycles']>) {
  const r = await db.insertInto('assessment_cycles').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateCycleIfStatus(db: Db, id: number, expected: string, patch: Record<string, unknown>): Promise<boolean> {
  const r = await db
    .updateTable('assessment_cycles')
    .set(patch as never)
    .where('id', '=', id)
    .where('status', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Workers the cycle assesses: those in probation, active or on leave, placed in a community of the region. */
export function listAssessableWorkers(db: Db, orgCode: string, level: number) {
  return db
    .selectFrom('workers as w')
    .select(['w.id', 'w.name', 'w.post', 'w.org_code'])
    .where(inScope('w.org_code', { orgCode, level }))
    .where('w.status', 'in', ['probation', 'active', 'on_leave'])
    .where(sql<SqlBool>`length(w.org_code) = 12`)
    .orderBy('w.org_code')
    .orderBy('w.id')
    .execute();
}

export function participantsScoped(db: Db, scope: Scope) {
  let q = db.selectFrom('assessment_participants as p').where(inScope('p.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('p.worker_id', '=', scope.workerId);
  return q;
}

const PARTICIPANT_COLUMNS = [
  'p.cycle_id',
  'p.worker_id',
  'p.worker_name',
  'p.post',
  'p.org_code',
  'p.street_code',
  'p.vetoes',
  'p.decided_total',
  'p.note',
] as const;

export function findParticipantsInScope(db: Db, scope: Scope, cycleId: number, orgCode?: string) {
  let q = participantsScoped(db, scope).select(PARTICIPANT_COLUMNS).where('p.cycle_id', '=', cycleId);
  if (orgCode) q = q.where(inScope('p.org_code', { orgCode, level: orgCode.length === 12 ? 5 : 4 }));
  return q.orderBy('p.org_code').orderBy('p.worker_id').execute();
}
export type ParticipantRow = Awaited<ReturnType<typeof findParticipantsInScope>>[number];

export function getParticipantInScope(db: Db, scope: Scope, cycleId: number, workerId: number) {
  return participantsScoped(db, scope)
    .select(PARTICIPANT_COLUMNS)
    .where('p.cycle_id', '=', cycleId)
    .where('p.worker_id', '=', workerId)
    .executeTakeFirst();
}

/**
 * A community's participants whatever the caller's scope: for peer rating, where a worker (whose scope
 * is their own record) rates the colleagues of their community. Callers check the rater belongs there.
 */
export function findCommunityParticipantsUnscoped(db: Db, cycleId: number, communityCode: string) {
  return db
    .selectFrom('assessment_participants as p')
    .select(PARTICIPANT_COLUMNS)
    .where('p.cycle_id', '=', cycleId)
    .where('p.org_code', '=', communityCode)
    .orderBy('p.worker_id')
    .execute();
}

export function findSheetsOfRater(db: Db, cycleId: number, groupKey: string, raterKey: string) {
  return db
    .selectFrom('assessment_sheets')
    .select(['worker_id', 'scores'])
    .where('cycle_id', '=', cycleId)
    .where('group_key', '=', groupKey)
    .where('rater_key', '=', raterKey)
    .execute();
}

/** Every sheet of a cycle (for the computation, which covers the whole cycle). */
export function findSheetsOfCycle(db: Db, cycleId: number) {
  return db
    .selectFrom('assessment_sheets')
    .select(['worker_id', 'group_key', 'rater_key', 'scores'])
    .where('cycle_id', '=', cycleId)
    .execute();
}

export async function upsertSheet(
  db: Db,
  row: {
    cycle_id: number;
    worker_id: number;
    org_code: string;
    group_key: string;
    rater_key: string;
    rater_user_id: number | null;
    scores: string;
    updated_at: string;
  },
) {
  await db
    .insertInto('assessment_sheets')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['cycle_id', 'worker_id', 'group_key', 'rater_key']).doUpdateSet({ scores: row.scores, updated_at: row.updated_at }),
    )
    .execute();
}

/**
 * A cycle's communities in scope. A worker's scope is their own record, and a community's ballot (its
 * counts, the votes on each colleague, the comments) is not part of it, so a worker matches none.
 */
function communitiesScoped(db: Db, scope: Scope) {
  let q = db.selectFrom('assessment_communities as ac').where(inScope('ac.community_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where(sql<SqlBool>`1 = 0`);
  return q;
}

export function findCommunitiesOfCycle(db: Db, scope: Scope, cycleId: number) {
  return communitiesScoped(db, scope).selectAll('ac').where('ac.cycle_id', '=', cycleId).orderBy('ac.community_code').execute();
}

export function getCommunityOfCycle(db: Db, scope: Scope, cycleId: number, code: string) {
  return communitiesScoped(db, scope)
    .selectAll('ac')
    .where('ac.cycle_id', '=', cycleId)
    .where('ac.community_code', '=', code)
    .executeTakeFirst();
}
export type CommunityRow = NonNullable<Awaited<ReturnType<typeof getCommunityOfCycle>>>;

export async function updateCommunity(db: Db, cycleId: number, code: string, expectedStatus: string, patch: Record<string, unknown>) {
  const r = await db
    .updateTable('assessment_communities')
    .set(patch as never)
    .where('cycle_id', '=', cycleId)
    .where('community_code', '=', code)
    .where('ballot_status', '=', expectedStatus)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ballots cast per community (all kinds and ordinary residents), for live counts and the quorum. */
export async function countBallotsByCommunity(db: Db, cycleId: number, codes: string[]) {
  if (codes.length === 0) return new Map<string, { total: number; ordinary: number }>();
  const rows = await db
    .selectFrom('assessment_ballots')
    .select((eb) => ['community_code', 'voter_kind', eb.fn.countAll<string | number>().as('n')])
    .where('cycle_id', '=', cycleId)
    .where('community_code', 'in', codes)
    .groupBy(['community_code', 'voter_kind'])
    .execute();
  const out = new Map<string, { total: number; ordinary: number }>();
  for (const r of rows) {
    const e = out.get(r.community_code) ?? { total: 0, ordinary: 0 };
    e.total += Number(r.n);
    if (r.voter_kind === 'ordinary_resident') e.ordinary += Number(r.n);
    out.set(r.community_code, e);
  }
  return out;
}

export async function countUsedCodesByCommunity(db: Db, cycleId: number, codes: string[]) {
  if (codes.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('assessment_ballot_codes')
    .select((eb) => ['community_code', eb.fn.countAll<string | number>().as('n')])
    .where('cycle_id', '=', cycleId)
    .where('community_code', 'in', codes)
    .where('used', '=', 1)
    .groupBy('community_code')
    .execute();
  return new Map(rows.map((r) => [r.community_code, Number(r.n)]));
}

/** Choices per worker of a cycle (optionally one community's workers). */
export function countRatingsByWorker(db: Db, cycleId: number, workerIds?: number[]) {
  let q = db
    .selectFrom('assessment_ballot_ratings')
    .select((eb) => ['worker_id', 'choice', eb.fn.countAll<string | number>().as('n')])
    .where('cycle_id', '=', cycleId);
  if (workerIds) q = q.where('worker_id', 'in', workerIds.length > 0 ? workerIds : [-1]);
  return q.groupBy(['worker_id', 'choice']).execute();
}

/** A community's ballot comments, in no particular order (callers must not expose the order of casting). */
export function findBallotComments(db: Db, cycleId: number, communityCode: string) {
  return db
    .selectFrom('assessment_ballots')
    .select(['comment'])
    .where('cycle_id', '=', cycleId)
    .where('community_code', '=', communityCode)
    .where('comment', 'is not', null)
    .execute();
}

export function findResultsInScope(db: Db, scope: Scope, cycleId: number, orgCode?: string, finalResult?: string) {
  let q = db
    .selectFrom('assessment_cycle_results as r')
    .innerJoin('assessment_participants as p', (j) => j.onRef('p.cycle_id', '=', 'r.cycle_id').onRef('p.worker_id', '=', 'r.worker_id'))
    .selectAll('r')
    .select(['p.worker_name'])
    .where('r.cycle_id', '=', cycleId)
    .where(inScope('r.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('r.worker_id', '=', scope.workerId);
  if (orgCode) q = q.where(inScope('r.org_code', { orgCode, level: [0, 0, 2, 4, 6, 9, 12].indexOf(orgCode.length) }));
  if (finalResult) q = q.where('r.final_result', '=', finalResult);
  return q.orderBy('r.org_code').orderBy('r.worker_id').execute();
}
export type ResultRow = Awaited<ReturnType<typeof findResultsInScope>>[number];

export function findApprovals(db: Db, cycleId: number) {
  return db.selectFrom('assessment_approvals').selectAll().where('cycle_id', '=', cycleId).orderBy('approved_at').execute();
}

export function findAppealsInScope(db: Db, scope: Scope, filters: { cycleId?: number; id?: number; status?: string }) {
  let q = db
    .selectFrom('assessment_appeals as a')
    .leftJoin('assessment_participants as p', (j) => j.onRef('p.cycle_id', '=', 'a.cycle_id').onRef('p.worker_id', '=', 'a.worker_id'))
    .selectAll('a')
    .select(['p.worker_name'])
    .where(inScope('a.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('a.worker_id', '=', scope.workerId);
  if (filters.cycleId !== undefined) q = q.where('a.cycle_id', '=', filters.cycleId);
  if (filters.id !== undefined) q = q.where('a.id', '=', filters.id);
  if (filters.status !== undefined) q = q.where('a.status', '=', filters.status);
  return q.orderBy('a.id', 'desc').execute();
}
export type AppealRow = Awaited<ReturnType<typeof findAppealsInScope>>[number];
