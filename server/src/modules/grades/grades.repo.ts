import { sql, type Insertable, type Kysely, type SqlBool } from 'kysely';
import type { AssessmentResultTable, Database, NewGradeRunItem, NewWorkerGrade } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

/*
 * Grades, assessment results and runs are scoped by the org code stored on their rows (the worker's
 * org when written) and, for worker rows, by the worker's current org too, so a transfer moves
 * visibility with the worker. Runs read the workers table read-only, in id-ordered chunks, because
 * a run must be one set-based pass over a subtree, not a round trip per worker.
 */

const SCHEME_COLUMNS = ['id', 'region_code', 'scheme_key', 'effective_from', 'rules', 'created_by', 'created_at'] as const;

/** Scheme versions on any of `codes` in force on or before `on` (the caller passes codes it may see). */
export function findSchemesForCodesUnscoped(db: Kysely<Database>, codes: string[], on: string) {
  return db
    .selectFrom('grade_schemes')
    .select(SCHEME_COLUMNS)
    .where('region_code', 'in', [...new Set(codes)])
    .where('effective_from', '<=', on)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Scheme versions in force on `on` set on `codes` (a node's path to the root) or anywhere inside the subtree of `org`. */
export function findSchemesForSubtreeUnscoped(db: Kysely<Database>, pathCodes: string[], org: { code: string; level: number }, on: string) {
  return db
    .selectFrom('grade_schemes')
    .select(SCHEME_COLUMNS)
    .where((eb) => eb.or([eb('region_code', 'in', [...new Set(pathCodes)]), codeInSubtree('region_code', org.code, org.level)]))
    .where('effective_from', '<=', on)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Every version set on one node, newest first (the node is checked for scope by the caller). */
export function findSchemeVersionsOfNodeUnscoped(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('grade_schemes')
    .select(SCHEME_COLUMNS)
    .where('region_code', '=', code)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function getSchemesByIdUnscoped(db: Kysely<Database>, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('grade_schemes')
    .select(SCHEME_COLUMNS)
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

export type SchemeRow = Awaited<ReturnType<typeof findSchemeVersionsOfNodeUnscoped>>[number];

export async function insertScheme(
  db: Kysely<Database>,
  row: { region_code: string; scheme_key: string; effective_from: string; rules: string; created_by: number | null; created_at: string },
): Promise<number> {
  const r = await db.insertInto('grade_schemes').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

const GRADE_COLUMNS = [
  'g.id',
  'g.worker_id',
  'g.org_code',
  'g.scheme_id',
  'g.band',
  'g.level',
  'g.effective_date',
  'g.last_step_date',
  'g.early_steps_used',
  'g.source',
  'g.run_id',
  'g.explanation',
  'g.is_current',
  'g.created_at',
] as const;

function scopedGrades(db: Kysely<Database>, scope: Scope) {
  let q = db.selectFrom('worker_grades as g').innerJoin('workers as w', 'w.id', 'g.worker_id').where(inScope('w.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('w.id', '=', scope.workerId);
  return q;
}

/** The grade history of one worker in scope, newest first. */
export function findGradesInScope(db: Kysely<Database>, scope: Scope, workerId: number) {
  return scopedGrades(db, scope)
    .select(GRADE_COLUMNS)
    .where('g.worker_id', '=', workerId)
    .orderBy('g.effective_date', 'desc')
    .orderBy('g.id', 'desc')
    .execute();
}

export type GradeRow = Awaited<ReturnType<typeof findGradesInScope>>[number];

const RESULT_COLUMNS = [
  'r.id',
  'r.worker_id',
  'r.org_code',
  'r.year',
  'r.result',
  'r.source',
  'r.cycle_id',
  'r.note',
  'r.recorded_by',
  'r.created_at',
  'r.updated_at',
] as const;

/** The assessment results of one worker in scope, latest year first. */
export function findResultsInScope(db: Kysely<Database>, scope: Scope, workerId: number) {
  let q = db
    .selectFrom('assessment_results as r')
    .innerJoin('workers as w', 'w.id', 'r.worker_id')
    .where(inScope('w.org_code', scope))
    .where('r.worker_id', '=', workerId);
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('w.id', '=', scope.workerId);
  return q.select(RESULT_COLUMNS).orderBy('r.year', 'desc').execute();
}

export type ResultRow = Awaited<ReturnType<typeof findResultsInScope>>[number];

/** Inserts or updates one year's result of a worker the caller has read in scope. */
export async function upsertResult(
  db: Kysely<Database>,
  row: {
    worker_id: number;
    org_code: string;
    year: number;
    result: string;
    source: string;
    note: string | null;
    recorded_by: number | null;
    now: string;
  },
) {
  await db
    .insertInto('assessment_results')
    .values({
      worker_id: row.worker_id,
      org_code: row.org_code,
      year: row.year,
      result: row.result,
      source: row.source,
      cycle_id: null,
      note: row.note,
      recorded_by: row.recorded_by,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) =>
      oc.columns(['worker_id', 'year']).doUpdateSet({
        org_code: row.org_code,
        result: row.result,
        source: row.source,
        note: row.note,
        recorded_by: row.recorded_by,
        updated_at: row.now,
      }),
    )
    .execute();
}

/**
 * Inserts or updates imported results in one statement; a year a finalised assessment cycle wrote
 * meanwhile is left as it is (the import checked for those before).
 */
export async function upsertImportedResults(db: Kysely<Database>, rows: Insertable<AssessmentResultTable>[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('assessment_results')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['worker_id', 'year'])
        .doUpdateSet((eb) => ({
          org_code: eb.ref('excluded.org_code'),
          result: eb.ref('excluded.result'),
          source: eb.ref('excluded.source'),
          note: eb.ref('excluded.note'),
          recorded_by: eb.ref('excluded.recorded_by'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('assessment_results.source', '!=', 'cycle'),
    )
    .execute();
}

export async function deleteResult(db: Kysely<Database>, workerId: number, year: number) {
  await db
    .deleteFrom('assessment_results')
    .where('worker_id', '=', workerId)
    .where('year', '=', year)
    .where('source', '!=', 'cycle')
    .execute();
}

/** Where a chunked pass over a subtree's workers stopped: the last (org code, id) read. */
export interface WorkerCursor {
  orgCode: string;
  id: number;
}

/**
 * The on-roll workers of a subtree after `after`, in (org code, id) order — the order of the
 * `workers (org_code, id)` index, so each chunk is one index range, not a scan and sort of the
 * whole subtree — with their current grade.
 */
export function findRunWorkersChunkUnscoped(
  db: Kysely<Database>,
  org: { code: string; level: number },
  statuses: readonly string[],
  after: WorkerCursor,
  limit: number,
) {
  return (
    db
      .selectFrom('workers as w')
      .leftJoin('worker_grades as g', (j) => j.onRef('g.worker_id', '=', 'w.id').on('g.is_current', '=', 1))
      .select([
        'w.id',
        'w.org_code',
        'w.post',
        'w.posts',
        'w.education',
        'w.qualification_level',
        'w.work_start_date',
        'g.id as grade_id',
        'g.band',
        'g.level',
        'g.last_step_date',
        'g.early_steps_used',
      ])
      .where(codeInSubtree('w.org_code', org.code, org.level))
      // The cursor's org code as the index range's lower bound (not only a filter), so a chunk does not re-scan the rows before it.
      .where('w.org_code', '>=', after.orgCode)
      .where(sql<SqlBool>`(w.org_code > ${after.orgCode} or w.id > ${after.id})`)
      .orderBy('w.org_code')
      .orderBy('w.id')
      .limit(limit)
      .execute()
  );
}

export type RunWorkerRow = Awaited<ReturnType<typeof findRunWorkersChunkUnscoped>>[number];

/** Assessment results up to `toYear` of the given workers (read for a run). */
export function findResultsOfWorkersUnscoped(db: Kysely<Database>, workerIds: number[], toYear: number) {
  if (workerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assessment_results')
    .select(['worker_id', 'year', 'result'])
    .where('worker_id', 'in', workerIds)
    .where('year', '<=', toYear)
    .execute();
}

/** Current grade ids of the given workers (to check a preview is still fresh when applied). */
export function findCurrentGradeIdsUnscoped(db: Kysely<Database>, workerIds: number[]) {
  if (workerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('worker_grades')
    .select(['id', 'worker_id', 'run_id'])
    .where('worker_id', 'in', workerIds)
    .where('is_current', '=', 1)
    .execute();
}

const RUN_COLUMNS = [
  'r.id',
  'r.org_code',
  'r.kind',
  'r.run_year',
  'r.status',
  'r.counts',
  'r.created_by',
  'r.approved_by',
  'r.created_at',
  'r.approved_at',
  'r.applied_at',
  'r.error',
  'o.name as org_name',
] as const;

function scopedRuns(db: Kysely<Database>, scope: Scope) {
  return db.selectFrom('grade_runs as r').leftJoin('orgs as o', 'o.code', 'r.org_code').where(inScope('r.org_code', scope));
}

export function getRunInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return scopedRuns(db, scope).select(RUN_COLUMNS).where('r.id', '=', id).executeTakeFirst();
}

export type RunRow = NonNullable<Awaited<ReturnType<typeof getRunInScope>>>;

export async function findRunsInScope(
  db: Kysely<Database>,
  scope: Scope,
  f: { org?: { code: string; level: number }; kind?: string; status?: string },
  limit: number,
  offset: number,
) {
  let q = scopedRuns(db, scope);
  if (f.org) q = q.where(codeInSubtree('r.org_code', f.org.code, f.org.level));
  if (f.kind) q = q.where('r.kind', '=', f.kind);
  if (f.status) q = q.where('r.status', '=', f.status);
  const [items, total] = await Promise.all([
    q.select(RUN_COLUMNS).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** An applied, approved or being-applied promotion run of the same org and year, if any. */
export function findEffectivePromotionRunUnscoped(db: Kysely<Database>, orgCode: string, runYear: number, exceptId?: number) {
  let q = db
    .selectFrom('grade_runs')
    .select(['id', 'status'])
    .where('org_code', '=', orgCode)
    .where('kind', '=', 'promotion')
    .where('run_year', '=', runYear)
    .where('status', 'in', ['approved', 'applying', 'applied']);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
}

export async function insertRun(
  db: Kysely<Database>,
  row: {
    org_code: string;
    kind: string;
    run_year: number | null;
    status: string;
    counts: string;
    created_by: number | null;
    created_at: string;
  },
): Promise<number> {
  const r = await db
    .insertInto('grade_runs')
    .values({ ...row, approved_by: null, approved_at: null, applied_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A run as stored, for the chunked computation and approval (the caller has checked scope, or is the system). */
export function getRunUnscoped(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('grade_runs')
    .select(['id', 'org_code', 'kind', 'run_year', 'status', 'counts', 'created_by', 'approved_by', 'cursor_org_code', 'cursor_worker_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function getOrgUnscoped(db: Kysely<Database>, code: string) {
  return db.selectFrom('orgs').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

/** Runs a stopped process left half done (computing a preview or applying an approval). */
export function findInterruptedRunsUnscoped(db: Kysely<Database>) {
  return db.selectFrom('grade_runs').select(['id', 'status']).where('status', 'in', ['computing', 'applying']).orderBy('id').execute();
}

/**
 * Moves a run's cursor (and optionally more) while it is still in `status`; returns whether it did,
 * so a chunk of a run cancelled or finished meanwhile is rolled back by the caller.
 */
export async function updateRunWhileStatus(
  db: Kysely<Database>,
  id: number,
  status: string,
  patch: {
    status?: string;
    counts?: string;
    cursor_org_code?: string | null;
    cursor_worker_id?: number | null;
    error?: string | null;
    applied_at?: string;
  },
) {
  const r = await db.updateTable('grade_runs').set(patch).where('id', '=', id).where('status', '=', status).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateRunCounts(db: Kysely<Database>, id: number, counts: string) {
  await db.updateTable('grade_runs').set({ counts }).where('id', '=', id).execute();
}

/** Items of a run per kind of change (the run's counts, exact after a resumed computation). */
export function countRunItemsByChange(db: Kysely<Database>, runId: number) {
  return db
    .selectFrom('grade_run_items')
    .select(['change', (eb) => eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('change')
    .execute();
}

/** Marks items that could not be applied because the worker's grade changed after the preview. */
export async function markItemsStale(db: Kysely<Database>, runId: number, workerIds: number[], message: string) {
  if (workerIds.length === 0) return;
  await db
    .updateTable('grade_run_items')
    .set({ change: 'error', error: message })
    .where('run_id', '=', runId)
    .where('worker_id', 'in', workerIds)
    .execute();
}

/** Grades written by a run. */
export async function countGradesOfRun(db: Kysely<Database>, runId: number): Promise<number> {
  const r = await db
    .selectFrom('worker_grades')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Moves a run from `expected` status; returns whether it did (guards concurrent approvals). */
export async function updateRunIfStatus(
  db: Kysely<Database>,
  id: number,
  expected: string,
  patch: { status: string; approved_by?: number | null; approved_at?: string; applied_at?: string },
) {
  const r = await db.updateTable('grade_runs').set(patch).where('id', '=', id).where('status', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Inserts a chunk of items; a chunk replayed after a crash inserts nothing twice (unique run and worker). */
export async function insertRunItems(db: Kysely<Database>, rows: NewGradeRunItem[]) {
  if (rows.length > 0) {
    await db
      .insertInto('grade_run_items')
      .values(rows)
      .onConflict((oc) => oc.columns(['run_id', 'worker_id']).doNothing())
      .execute();
  }
}

const ITEM_COLUMNS = [
  'i.id',
  'i.run_id',
  'i.worker_id',
  'i.org_code',
  'i.from_band',
  'i.from_level',
  'i.to_band',
  'i.to_level',
  'i.change',
  'i.explanation',
  'i.error',
  'w.name as worker_name',
  'o.name as org_name',
] as const;

/** Items of a run the caller has read in scope, filtered by scope again (a community lead sees their community only). */
export async function findRunItemsInScope(
  db: Kysely<Database>,
  scope: Scope,
  runId: number,
  f: { change?: string | undefined },
  limit: number,
  offset: number,
) {
  let q = db
    .selectFrom('grade_run_items as i')
    .innerJoin('workers as w', 'w.id', 'i.worker_id')
    .leftJoin('orgs as o', 'o.code', 'i.org_code')
    .where('i.run_id', '=', runId)
    .where(inScope('i.org_code', scope));
  if (f.change) q = q.where('i.change', '=', f.change);
  const [items, total] = await Promise.all([
    q.select(ITEM_COLUMNS).orderBy('i.org_code').orderBy('i.worker_id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export type RunItemRow = Awaited<ReturnType<typeof findRunItemsInScope>>['items'][number];

/**
 * A run's items in worker order after `afterWorkerId`, read along the (run_id, worker_id) unique
 * index for applying a run in chunks; the caller skips items that change nothing.
 */
export function findRunItemsChunk(db: Kysely<Database>, runId: number, afterWorkerId: number, limit: number) {
  return db
    .selectFrom('grade_run_items')
    .select(['worker_id', 'org_code', 'change', 'explanation'])
    .where('run_id', '=', runId)
    .where('worker_id', '>', afterWorkerId)
    .orderBy('worker_id')
    .limit(limit)
    .execute();
}

/** Ends the current grade of the given workers (same transaction as inserting the new ones). */
export async function retireCurrentGrades(db: Kysely<Database>, workerIds: number[]) {
  if (workerIds.length === 0) return;
  await db.updateTable('worker_grades').set({ is_current: 0 }).where('worker_id', 'in', workerIds).where('is_current', '=', 1).execute();
}

export async function insertGrades(db: Kysely<Database>, rows: NewWorkerGrade[]) {
  if (rows.length > 0) await db.insertInto('worker_grades').values(rows).execute();
}

/** The current grade of a worker (the caller has checked scope), with the columns a new row carries over. */
export function getCurrentGradeUnscoped(db: Kysely<Database>, workerId: number) {
  return db
    .selectFrom('worker_grades')
    .select(['id', 'worker_id', 'org_code', 'scheme_id', 'band', 'level', 'effective_date', 'last_step_date', 'early_steps_used', 'source'])
    .where('worker_id', '=', workerId)
    .where('is_current', '=', 1)
    .executeTakeFirst();
}

export type CurrentGradeRow = NonNullable<Awaited<ReturnType<typeof getCurrentGradeUnscoped>>>;

/** Retires a worker's current grade and inserts the new current one (call inside a transaction). */
export async function replaceCurrentGrade(db: Kysely<Database>, row: NewWorkerGrade): Promise<number> {
  await retireCurrentGrades(db, [Number(row.worker_id)]);
  const r = await db.insertInto('worker_grades').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Results of some workers for some years (an import checks what it would overwrite). */
export function findResultsOfWorkerYearsUnscoped(db: Kysely<Database>, workerIds: number[]) {
  if (workerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assessment_results')
    .select(['worker_id', 'year', 'result', 'source'])
    .where('worker_id', 'in', workerIds)
    .execute();
}

/** Workers by ID-number blind index, with their org (the caller filters by scope). */
export function findWorkersByIdHashesUnscoped(db: Kysely<Database>, hashes: string[]) {
  if (hashes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('workers')
    .select(['id', 'name', 'org_code', 'id_number_hash', 'status'])
    .where('id_number_hash', 'in', [...new Set(hashes)])
    .execute();
}

/**
 * Demo only: deterministic annual results for the on-roll workers of a subtree for `years`, from
 * the worker id and the year (about 15% 优秀, 10% 基本称职, 5% 不称职); existing years are kept.
 */
export async function insertDemoResultsUnscoped(db: Kysely<Database>, org: { code: string; level: number }, years: number[], now: string) {
  for (const year of years) {
    await db
      .insertInto('assessment_results')
      .columns(['worker_id', 'org_code', 'year', 'result', 'source', 'note', 'created_at', 'updated_at'])
      .expression((eb) =>
        eb
          .selectFrom('workers as w')
          .select([
            'w.id',
            'w.org_code',
            sql<number>`${year}`.as('year'),
            sql<string>`case (w.id * 7 + ${year}) % 20 when 0 then 'incompetent' when 1 then 'basically_competent' when 2 then 'basically_competent'
              when 3 then 'excellent' when 4 then 'excellent' when 5 then 'excellent' else 'competent' end`.as('result'),
            sql<string>`'import'`.as('source'),
            sql<string>`'演示数据'`.as('note'),
            sql<string>`${now}`.as('created_at'),
            sql<string>`${now}`.as('updated_at'),
          ])
          .where(codeInSubtree('w.org_code', org.code, org.level))
          .where('w.status', '!=', 'exited'),
      )
      .onConflict((oc) => oc.columns(['worker_id', 'year']).doNothing())
      .execute();
  }
}
