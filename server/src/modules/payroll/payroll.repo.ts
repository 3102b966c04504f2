import { CompiledQuery, sql, type Compilable, type Kysely, type RawBuilder } from 'kysely';
import type { Db as DbHandle } from '../../db/database.ts';
import type { Database, NewPayslipClass, NewPayslipError, PayrollRunTable } from '../../db/schema.ts';
import { codeInSubtree, inScope, isCodeUnder, NATION_CODE, prefixUpperBound, type Scope } from '../../lib/scope.ts';
import type { Updateable } from 'kysely';
import { ON_ROLL_STATUSES, QUALIFICATION_LEVEL_CODES } from '../meta/enums.ts';
import { ASSESSMENT_RESULT_CODES } from '../grades/rules/assessment-results.ts';

type Db = Kysely<Database>;

// ---------------------------------------------------------------- rule data

/** Every pay table version in force on `onDate` or earlier (the caller picks the latest per region and scheme). */
export function findPayTablesFromUnscoped(db: Db, onDate: string) {
  return db
    .selectFrom('pay_tables')
    .select(['id', 'region_code', 'scheme_key', 'effective_from', 'rules', 'is_demo', 'created_at'])
    .where('effective_from', '<=', onDate)
    .orderBy('effective_from')
    .execute();
}

export function findInsuranceRulesFromUnscoped(db: Db, onDate: string) {
  return db
    .selectFrom('insurance_rules')
    .select(['id', 'region_code', 'effective_from', 'rules', 'is_demo', 'created_at'])
    .where('effective_from', '<=', onDate)
    .orderBy('effective_from')
    .execute();
}

/** Rule versions of the regions on the path from the nation to `regionCode` (the ones that apply there). */
export async function findRuleVersionsForRegionUnscoped(db: Db, regionCodes: string[]) {
  const [payTables, insuranceRules, wageFloors] = await Promise.all([
    db
      .selectFrom('pay_tables')
      .selectAll()
      .where('region_code', 'in', regionCodes)
      .orderBy('region_code')
      .orderBy('effective_from', 'desc')
      .execute(),
    db
      .selectFrom('insurance_rules')
      .selectAll()
      .where('region_code', 'in', regionCodes)
      .orderBy('region_code')
      .orderBy('effective_from', 'desc')
      .execute(),
    db
      .selectFrom('wage_floors')
      .selectAll()
      .where('region_code', 'in', regionCodes)
      .orderBy('region_code')
      .orderBy('year', 'desc')
      .execute(),
  ]);
  return { payTables, insuranceRules, wageFloors };
}

export function findWageFloorsUnscoped(db: Db, year: number) {
  return db
    .selectFrom('wage_floors')
    .select(['region_code', 'year', 'average_annual_wage_fen', 'is_demo'])
    .where('year', '=', year)
    .execute();
}

// ---------------------------------------------------------------- inputs

/** A page of a month's inputs in scope (by worker, then entry), with the total; `q` matches the worker's name. */
export async function findPayInputsInScope(
  db: Db,
  scope: Scope,
  filters: { month: string; orgCode?: string | undefined; workerId?: number | undefined; q?: string | undefined },
  page: { limit: number; offset: number },
) {
  let q = db
    .selectFrom('pay_inputs')
    .innerJoin('workers', 'workers.id', 'pay_inputs.worker_id')
    .where('pay_inputs.month', '=', filters.month)
    .where(inScope('pay_inputs.org_code', scope));
  if (filters.orgCode) q = q.where(codeInSubtree('pay_inputs.org_code', filters.orgCode, 1));
  if (filters.workerId !== undefined) q = q.where('pay_inputs.worker_id', '=', filters.workerId);
  const name = filters.q?.replaceAll(/[%_]/g, '').trim();
  if (name) q = q.where('workers.name', 'like', `%${name}%`);
  const [items, total] = await Promise.all([
    q
      .select([
        'pay_inputs.id',
        'pay_inputs.worker_id',
        'workers.name as worker_name',
        'pay_inputs.org_code',
        'pay_inputs.month',
        'pay_inputs.kind',
        'pay_inputs.code',
        'pay_inputs.name',
        'pay_inputs.amount_fen',
        'pay_inputs.note',
      ])
      .orderBy('pay_inputs.worker_id')
      .orderBy('pay_inputs.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

// ---------------------------------------------------------------- runs

const RUN_COLUMNS = [
  'payroll_runs.id',
  'payroll_runs.org_code',
  'orgs.name as org_name',
  'payroll_runs.month',
  'payroll_runs.status',
  'payroll_runs.phase',
  'payroll_runs.cursor_worker_id',
  'payroll_runs.progress_done',
  'payroll_runs.progress_total',
  'payroll_runs.slip_count',
  'payroll_runs.error_count',
  'payroll_runs.gross_fen',
  'payroll_runs.employee_insurance_fen',
  'payroll_runs.employer_insurance_fen',
  'payroll_runs.tax_fen',
  'payroll_runs.net_fen',
  'payroll_runs.rules_used',
  'payroll_runs.inputs_fingerprint',
  'payroll_runs.is_demo',
  'payroll_runs.error',
  'payroll_runs.created_by',
  'payroll_runs.created_by_name',
  'payroll_runs.computed_by',
  'payroll_runs.approved_by',
  'payroll_runs.approved_by_name',
  'payroll_runs.paid_by',
  'payroll_runs.created_at',
  'payroll_runs.updated_at',
  'payroll_runs.computed_at',
  'payroll_runs.approved_at',
  'payroll_runs.paid_at',
] as const;

function runs(db: Db) {
  return db.selectFrom('payroll_runs').innerJoin('orgs', 'orgs.code', 'payroll_runs.org_code').select(RUN_COLUMNS);
}

export type RunRecord = Awaited<ReturnType<typeof getRunInScope>> & object;

export function getRunInScope(db: Db, scope: Scope, id: number) {
  return runs(db).where('payroll_runs.id', '=', id).where(inScope('payroll_runs.org_code', scope)).executeTakeFirst();
}

export function getRunUnscoped(db: Db, id: number) {
  return runs(db).where('payroll_runs.id', '=', id).executeTakeFirst();
}

export async function findRunsInScope(
  db: Db,
  scope: Scope,
  filters: { orgCode?: string | undefined; month?: string | undefined; status?: string | undefined },
  page: { limit: number; offset: number },
) {
  let q = db.selectFrom('payroll_runs').where(inScope('payroll_runs.org_code', scope));
  if (filters.orgCode) q = q.where(codeInSubtree('payroll_runs.org_code', filters.orgCode, 1));
  if (filters.month) q = q.where('payroll_runs.month', '=', filters.month);
  if (filters.status) q = q.where('payroll_runs.status', '=', filters.status);
  const [items, total] = await Promise.all([
    q
      .innerJoin('orgs', 'orgs.code', 'payroll_runs.org_code')
      .select(RUN_COLUMNS)
      .orderBy('payroll_runs.month', 'desc')
      .orderBy('payroll_runs.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function insertRun(
  db: Db,
  values: { org_code: string; month: string; created_by: number | null; created_by_name: string | null; now: string },
) {
  const r = await db
    .insertInto('payroll_runs')
    .values({
      org_code: values.org_code,
      month: values.month,
      status: 'draft',
      created_by: values.created_by,
      created_by_name: values.created_by_name,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export function updateRun(db: Db, id: number, values: Updateable<PayrollRunTable>) {
  return db.updateTable('payroll_runs').set(values).where('id', '=', id).execute();
}

/** Moves a run from one status to another only if it is still in `from`; false when someone else moved it first. */
export async function transitionRun(db: Db, id: number, from: string[], values: Updateable<PayrollRunTable>): Promise<boolean> {
  const r = await db.updateTable('payroll_runs').set(values).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function findComputingRunsUnscoped(db: Db) {
  return db.selectFrom('payroll_runs').select(['id', 'org_code']).where('status', '=', 'computing').execute();
}

/** Removes the slips and errors of a run that is not approved (to compute it afresh). */
export async function clearRunResults(db: Db, runId: number) {
  await db.deleteFrom('payslip_entries').where('run_id', '=', runId).where('is_final', '=', 0).execute();
  await db.deleteFrom('payslip_errors').where('run_id', '=', runId).execute();
}

// ---------------------------------------------------------------- compute reads (one set-based read per table per chunk)

/** Ids of the on-roll workers of an org subtree after `afterId`, ascending: the run's keyset. */
export async function findRunWorkerIdsUnscoped(database: DbHandle, orgCode: string, afterId: number): Promise<Float64Array> {
  const query = database.kysely
    .selectFrom('workers')
    .select('id')
    .where(codeInSubtree('workers.org_code', orgCode, 1))
    .where('status', 'in', ON_ROLL_STATUSES)
    .where('id', '>', afterId);
  const raw = database.sqlite;
  if (raw) {
    // A million ids: plucked unordered from the (status, org) index and sorted as numbers here, at a
    // third of the cost of SQLite sorting them and handing them over as row objects.
    const compiled = query.compile();
    const ids = await database.kysely.connection().execute(
      async () =>
        raw
          .prepare(compiled.sql)
          .pluck(true)
          .all(...(compiled.parameters as unknown[])) as number[],
    );
    return Float64Array.from(ids).sort();
  }
  const rows = await query.orderBy('id').execute();
  return Float64Array.from(rows, (r) => Number(r.id));
}

/**
 * A fingerprint of a month's pay inputs in a subtree: count, amounts and ids. A new, changed or
 * deleted input changes it (an upsert that changes an amount changes the sum).
 */
export async function payInputsFingerprintUnscoped(db: Db, orgCode: string, month: string): Promise<string> {
  const r = await db
    .selectFrom('pay_inputs')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), sql<number>`0`).as('amount'),
      eb.fn.coalesce(eb.fn.sum<number>('id'), sql<number>`0`).as('ids'),
    ])
    .where('month', '=', month)
    .where(codeInSubtree('pay_inputs.org_code', orgCode, 1))
    .executeTakeFirstOrThrow();
  return `${Number(r.n)}:${Number(r.amount)}:${Number(r.ids)}`;
}

export interface ChunkWorker {
  id: number;
  org_code: string;
  qualification_level: string | null;
  band: string | null;
  level: number | null;
  scheme_id: number | null;
  is_on_probation: boolean;
  /** The latest assessment result up to the run's year, or null. */
  last_result: string | null;
}

const rawSelects = new WeakMap<object, Map<string, import('better-sqlite3').Statement>>();

/**
 * Runs a select on SQLite through a cached prepared statement that returns rows as arrays, in
 * column order (a run reads a million rows per table; objects cost more than the query). Holds
 * Kysely's connection so nothing interleaves. Null on PostgreSQL: the caller executes the query.
 */
async function selectArraysOnSqlite(database: DbHandle, query: Compilable): Promise<unknown[][] | null> {
  const raw = database.sqlite;
  if (!raw) return null;
  const compiled = query.compile();
  let cache = rawSelects.get(raw);
  if (!cache) rawSelects.set(raw, (cache = new Map()));
  let stmt = cache.get(compiled.sql);
  if (!stmt) {
    stmt = raw.prepare(compiled.sql).raw(true);
    cache.set(compiled.sql, stmt);
  }
  const s = stmt;
  return database.kysely.connection().execute(async () => s.all(...(compiled.parameters as unknown[])) as unknown[][]);
}

const ON_ROLL = new Set<string>(ON_ROLL_STATUSES);

/** Every grade scheme's key by id (a handful of rows): a run maps its workers' scheme ids with it. */
export async function findGradeSchemeKeysUnscoped(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('grade_schemes').select(['id', 'scheme_key']).execute();
  return new Map(rows.map((r) => [Number(r.id), r.scheme_key]));
}

/**
 * The chunk's workers (ids `fromId`..`toId`, on roll, in the org's subtree) with their current grade
 * and their latest assessment result up to `maxYear`, in one read: the grade from its covering
 * index, the result from the (worker, year, result) index. The scheme comes as an id (see
 * `findGradeSchemeKeysUnscoped`); joining the schemes table cost a scan of it per worker on SQLite.
 */
export async function readChunkWorkersUnscoped(
  database: DbHandle,
  orgCode: string,
  fromId: number,
  toId: number,
  maxYear: number,
  /** Only workers without a slip in this run yet (the ones the keyed insert did not store). */
  missingInRunId?: number,
): Promise<ChunkWorker[]> {
  let query = database.kysely
    .selectFrom('workers')
    .leftJoin('worker_grades', (j) => j.onRef('worker_grades.worker_id', '=', 'workers.id').on('worker_grades.is_current', '=', sql.lit(1)))
    .select((eb) => [
      'workers.id',
      'workers.org_code',
      'workers.qualification_level',
      'worker_grades.band',
      'worker_grades.level',
      'worker_grades.scheme_id',
      'workers.status',
      eb
        .selectFrom('assessment_results as a')
        .select('a.result')
        .whereRef('a.worker_id', '=', 'workers.id')
        .where('a.year', '<=', maxYear)
        .orderBy('a.year', 'desc')
        .limit(1)
        .as('last_result'),
    ])
    .where('workers.id', '>=', fromId)
    .where('workers.id', '<=', toId)
    .orderBy('workers.id');
  if (missingInRunId !== undefined) {
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('payslip_entries as e')
            .select(sql.lit(1).as('x'))
            .where('e.run_id', '=', missingInRunId)
            .whereRef('e.worker_id', '=', 'workers.id'),
        ),
      ),
    );
  }
  const rows =
    (await selectArraysOnSqlite(database, query)) ??
    (await query.execute()).map((r) => [r.id, r.org_code, r.qualification_level, r.band, r.level, r.scheme_id, r.status, r.last_result]);
  // The id range is walked by primary key; the subtree and status are checked here, so the planner
  // cannot pick the org index and scan the whole subtree once per chunk.
  const out: ChunkWorker[] = [];
  for (const r of rows) {
    const status = r[6] as string;
    const org = r[1] as string;
    if (!ON_ROLL.has(status) || !isCodeUnder(org, orgCode)) continue;
    out.push({
      id: Number(r[0]),
      org_code: org,
      qualification_level: r[2] as string | null,
      band: r[3] as string | null,
      level: r[4] === null ? null : Number(r[4]),
      scheme_id: r[5] === null ? null : Number(r[5]),
      is_on_probation: status === 'probation',
      last_result: r[7] as string | null,
    });
  }
  return out;
}

export async function readMonthInputsUnscoped(db: Db, fromId: number, toId: number, month: string) {
  return db
    .selectFrom('pay_inputs')
    .select(['worker_id', 'kind', 'code', 'name', 'amount_fen'])
    .where('month', '=', month)
    .where('worker_id', '>=', fromId)
    .where('worker_id', '<=', toId)
    .orderBy('id')
    .execute();
}

/** The pension contribution base of each worker's enrolment covering the month. */
export async function readDeclaredBasesUnscoped(db: Db, fromId: number, toId: number, monthStart: string, monthEnd: string) {
  const rows = await db
    .selectFrom('social_insurance_enrolments')
    .select(['worker_id', 'contribution_base_fen'])
    .where('worker_id', '>=', fromId)
    .where('worker_id', '<=', toId)
    .where('kind', '=', 'pension')
    .where('start_date', '<=', monthEnd)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', monthStart)]))
    .orderBy('start_date')
    .orderBy('id')
    .execute();
  const out = new Map<number, number>();
  for (const r of rows) out.set(Number(r.worker_id), Number(r.contribution_base_fen));
  return out;
}

/**
 * Final slips of `month`'s tax year that a run needs: per worker the latest before `month` (the
 * cumulative tax state), and any of `month` itself (already approved) or after it (a later month
 * approved first). Earlier months are skipped in the database, not read and dropped.
 */
export async function readFinalSlipsOfYearUnscoped(db: Db, fromId: number, toId: number, month: string) {
  const yearStart = `${month.slice(0, 4)}-01`;
  const yearEnd = `${month.slice(0, 4)}-12`;
  return db
    .selectFrom('payslips as p')
    .select([
      'p.worker_id',
      'p.month',
      'p.run_id',
      'p.class_id',
      'p.tax_months',
      'p.cum_gross_fen',
      'p.cum_tax_free_fen',
      'p.cum_insurance_fen',
      'p.cum_special_fen',
      'p.cum_other_fen',
      'p.cum_tax_fen',
    ])
    .where('p.worker_id', '>=', fromId)
    .where('p.worker_id', '<=', toId)
    .where('p.is_final', '=', sql.lit(1))
    .where('p.month', '>=', yearStart)
    .where('p.month', '<=', yearEnd)
    .where((eb) =>
      eb.or([
        eb('p.month', '>=', month),
        eb(
          'p.month',
          '=',
          eb
            .selectFrom('payslips as q')
            .select((q) => q.fn.max('q.month').as('m'))
            .whereRef('q.worker_id', '=', 'p.worker_id')
            .where('q.is_final', '=', sql.lit(1))
            .where('q.month', '>=', yearStart)
            .where('q.month', '<', month),
        ),
      ]),
    )
    .orderBy('p.worker_id')
    .orderBy('p.month')
    .execute();
}

// ---------------------------------------------------------------- the keyed insert

/**
 * A slip's inputs as SQL reads them, packed: level, qualification, last result and probation in one
 * integer (`grade_key`). Codes outside the known lists get none, so such workers are never matched
 * in SQL and are computed one by one (where their data is reported).
 */
const QUALIFICATION_CODE = new Map<string | null, number>([[null, 0], ...QUALIFICATION_LEVEL_CODES.map((c, i) => [c, i + 1] as const)]);
const RESULT_CODE = new Map<string | null, number>([[null, 0], ...ASSESSMENT_RESULT_CODES.map((c, i) => [c, i + 1] as const)]);
/** Codes packed per field: 3 bits each (qualification, result), 1 bit for probation. */
const PACK = 8;

export function gradeKeyOf(level: number, qualification: string | null, result: string | null, isOnProbation: boolean): number | null {
  const q = QUALIFICATION_CODE.get(qualification);
  const r = RESULT_CODE.get(result);
  if (q === undefined || r === undefined || !Number.isSafeInteger(level) || level < 0) return null;
  return ((level * PACK + q) * PACK + r) * 2 + (isOnProbation ? 1 : 0);
}

/** A worker's prior tax state as the keyed insert reads it: its latest final slip of the year. */
export function priorKeyOf(classId: number, month: string): number {
  return classId * 100 + Number(month.slice(5, 7));
}

/** A computed outcome for a set of inputs, as `payroll_run_keys` keeps it (class by hash until stored). */
export interface NewRunKey {
  rules_id: number;
  band: string;
  grade_key: number;
  base_fen: number;
  prior: number;
  class_hash: string;
}

/** How the keyed insert tells the run's rule versions per worker: by grade scheme, then by the deepest region with its own rules. */
export interface KeyedRules {
  schemeId: number;
  defaultRulesId: number;
  /** Regions inside the run's org with rules of their own, deepest first. */
  overrides: { code: string; rulesId: number }[];
}

export interface KeyedInsert {
  runId: number;
  orgCode: string;
  month: string;
  monthStart: string;
  monthEnd: string;
  rules: KeyedRules[];
}

/** `case coalesce(value, '') when … end`: the value is evaluated once (it may be a subquery); null is ''. */
function codeCase(codes: Map<string | null, number>, value: RawBuilder<unknown>) {
  const whens = [...codes].map(([v, code]) => sql`when ${v ?? ''} then ${sql.lit(code)}`);
  return sql`case coalesce(${value}, '') ${sql.join(whens, sql` `)} else ${sql.lit(PACK - 1)} end`;
}

/** The keyed insert's prepared statements, per SQLite connection (by SQL text). */
const keyedStatements = new WeakMap<
  object,
  { bySql: Map<string, import('better-sqlite3').Statement>; cursor: import('better-sqlite3').Statement }
>();

/** Stand-ins for a chunk's first and last worker id in the compiled keyed insert. */
const FROM_ID = -101;
const TO_ID = -102;

/**
 * The keyed insert's per-worker lookups into tables that are often empty for a whole chunk: pay
 * inputs of the month, opening balances of the year, pension enrolments, final slips of the year.
 * SQLite first asks which of them have a row in the chunk's id range (one probe each, in the same
 * transaction) and leaves the others out of the statement: a worker without a row gets the same
 * value the lookup would give (no input, no opening, base -1, prior 0).
 */
const LOOKUP_INPUTS = 1;
const LOOKUP_OPENINGS = 2;
const LOOKUP_BASES = 4;
const LOOKUP_PRIORS = 8;
const LOOKUP_ALL = LOOKUP_INPUTS | LOOKUP_OPENINGS | LOOKUP_BASES | LOOKUP_PRIORS;

interface CompiledKeyed {
  sql: string;
  parameters: readonly unknown[];
  /** Where the chunk's first and last worker id go in `parameters`. */
  fromAt: number[];
  toAt: number[];
}

function compiledWithRange(database: DbHandle, query: RawBuilder<unknown>): CompiledKeyed {
  const compiled = query.compile(database.kysely);
  const at = (v: number) => compiled.parameters.flatMap((p, i) => (p === v ? [i] : []));
  return { sql: compiled.sql, parameters: compiled.parameters, fromAt: at(FROM_ID), toAt: at(TO_ID) };
}

function parametersFor(q: CompiledKeyed, fromId: number, toId: number) {
  const parameters = [...q.parameters];
  for (const i of q.fromAt) parameters[i] = fromId;
  for (const i of q.toAt) parameters[i] = toId;
  return parameters;
}

/**
 * The keyed insert's two per-worker lookups that find a row in most months, correlated on `w.id`
 * and on the worker's payroll state `st` (migration 2026120704, left-joined by worker id):
 * - `base`: the pension base of the enrolment covering the month (-1: none);
 * - `prior`: the latest final slip of the year as class id × 100 + month (0: none).
 * Each is read from the state row when that answers it: the latest enrolment covers the month, or
 * the latest final slip is before the month. Otherwise (an earlier month, an enrolment that has
 * ended) from the enrolments or slips themselves, `baseFallback` and `priorFallback`, answered from
 * covering indexes (migration 2026120703). `migrate.test.ts` checks the plans.
 */
export function keyedLookups(plan: Pick<KeyedInsert, 'month' | 'monthStart' | 'monthEnd'>) {
  const year = Number(plan.month.slice(0, 4));
  // As `priorKeyOf` packs it.
  const priorOf = (classId: string, month: string) => sql`${sql.ref(classId)} * 100 + cast(substr(${sql.ref(month)}, 6, 2) as integer)`;
  const baseFallback = sql`coalesce((select s.contribution_base_fen from social_insurance_enrolments s
        where s.worker_id = w.id and s.kind = 'pension' and s.start_date <= ${plan.monthEnd}
          and (s.end_date is null or s.end_date >= ${plan.monthStart})
        order by s.start_date desc, s.id desc limit 1), -1)`;
  const priorFallback = sql`coalesce((select ${priorOf('f.class_id', 'f.month')} from payslip_entries f
        where f.worker_id = w.id and f.is_final = 1 and f.month >= ${`${year}-01`} and f.month <= ${`${year}-12`}
        order by f.month desc limit 1), 0)`;
  return {
    base: sql`case when st.pension_start is null then -1
        when st.pension_start <= ${plan.monthEnd} and (st.pension_end is null or st.pension_end >= ${plan.monthStart}) then st.pension_base_fen
        else ${baseFallback} end`,
    prior: sql`case when st.final_month is null or st.final_month < ${`${year}-01`} then 0
        when st.final_month < ${plan.month} then ${priorOf('st.final_class_id', 'st.final_month')}
        else ${priorFallback} end`,
    baseFallback,
    priorFallback,
  };
}

/** The keyed insert compiled once per computation and set of lookups, with the chunk's id range as parameters at known places. */
const compiledKeyed = new WeakMap<KeyedInsert, Map<number, CompiledKeyed>>();

function compileKeyedInsert(database: DbHandle, plan: KeyedInsert, lookups: number): CompiledKeyed {
  let byLookups = compiledKeyed.get(plan);
  if (!byLookups) compiledKeyed.set(plan, (byLookups = new Map()));
  const hit = byLookups.get(lookups);
  if (hit) return hit;
  const isSqlite = database.dialect === 'sqlite';
  // SQLite: a unary plus keeps the planner on the id range (the org or status index would walk the
  // whole subtree once per chunk). PostgreSQL plans with statistics and has no unary plus on text.
  const col = (name: string) => (isSqlite ? sql`+${sql.ref(name)}` : sql.ref(name));
  const year = Number(plan.month.slice(0, 4));
  const org = sql.ref('w.org_code');
  const rulesCase = sql`case ${sql.join(
    plan.rules.map(
      (r) =>
        sql`when g.scheme_id = ${sql.lit(r.schemeId)} then ${
          r.overrides.length === 0
            ? sql.lit(r.defaultRulesId)
            : sql`case ${sql.join(
                r.overrides.map((o) => sql`when ${org} >= ${o.code} and ${org} < ${prefixUpperBound(o.code)} then ${sql.lit(o.rulesId)}`),
                sql` `,
              )} else ${sql.lit(r.defaultRulesId)} end`
        }`,
    ),
    sql` `,
  )} else -1 end`;
  const lastResult = sql`(select a.result from assessment_results a where a.worker_id = w.id and a.year <= ${year} order by a.year desc limit 1)`;
  const gradeKey = sql`((g.level * ${sql.lit(PACK)} + ${codeCase(QUALIFICATION_CODE, sql`w.qualification_level`)}) * ${sql.lit(PACK)} + ${codeCase(
    RESULT_CODE,
    lastResult,
  )}) * 2 + case when w.status = 'probation' then 1 else 0 end`;
  const subtree =
    plan.orgCode === NATION_CODE
      ? sql``
      : sql`and ${col('w.org_code')} >= ${plan.orgCode} and ${col('w.org_code')} < ${prefixUpperBound(plan.orgCode)}`;
  const lookup = keyedLookups(plan);
  const base = lookups & LOOKUP_BASES ? lookup.base : sql`-1`;
  const prior = lookups & LOOKUP_PRIORS ? lookup.prior : sql`0`;
  const noInput =
    lookups & LOOKUP_INPUTS ? sql`and not exists (select 1 from pay_inputs i where i.month = ${plan.month} and i.worker_id = w.id)` : sql``;
  const noOpening =
    lookups & LOOKUP_OPENINGS
      ? sql`and not exists (select 1 from payroll_tax_openings o where o.worker_id = w.id and o.year = ${year})`
      : sql``;
  const state = lookups & (LOOKUP_BASES | LOOKUP_PRIORS) ? sql`left join payroll_worker_state st on st.worker_id = w.id` : sql``;
  const where = sql`w.id >= ${FROM_ID} and w.id <= ${TO_ID}
      and ${col('w.status')} in (${sql.join([...ON_ROLL_STATUSES])}) ${subtree}
      ${noInput} ${noOpening}`;
  // SQLite looks each worker's key up in the primary key of the keys as it goes, and returns the
  // outcome of each stored slip. PostgreSQL would evaluate the key's subqueries once per pair of
  // worker and key in a nested loop (minutes per chunk at a million workers), so there the keys are
  // computed first (a materialised CTE) and then joined; the same statement counts the stored slips
  // per outcome.
  const query = isSqlite
    ? sql`
    insert into payslip_entries (run_id, worker_id, org_code, month, class_id)
    select ${plan.runId}, w.id, w.org_code, ${plan.month}, k.class_id
    from workers w
    join worker_grades g on g.worker_id = w.id and g.is_current = 1
    ${state}
    join payroll_run_keys k on k.run_id = ${plan.runId}
      and k.rules_id = ${rulesCase}
      and k.band = g.band
      and k.grade_key = ${gradeKey}
      and k.base_fen = ${base}
      and k.prior = ${prior}
    where ${where}
    on conflict (run_id, worker_id) do nothing
    returning class_id`
    : sql`
    with t as materialized (
      select w.id, w.org_code, ${rulesCase} as rules_id, g.band, ${gradeKey} as grade_key, ${base} as base_fen, ${prior} as prior
      from workers w
      join worker_grades g on g.worker_id = w.id and g.is_current = 1
      ${state}
      where ${where}
    ), ins as (
      insert into payslip_entries (run_id, worker_id, org_code, month, class_id)
      select ${plan.runId}, t.id, t.org_code, ${plan.month}, k.class_id
      from t join payroll_run_keys k on k.run_id = ${plan.runId} and k.rules_id = t.rules_id and k.band = t.band
        and k.grade_key = t.grade_key and k.base_fen = t.base_fen and k.prior = t.prior
      on conflict (run_id, worker_id) do nothing
      returning class_id
    )
    select class_id, count(*) as n from ins group by class_id`;
  const out = compiledWithRange(database, query);
  byLookups.set(lookups, out);
  return out;
}

/** Which lookups a chunk needs (see `LOOKUP_INPUTS`): one indexed probe per table for a row in the id range. */
const compiledProbe = new WeakMap<KeyedInsert, CompiledKeyed>();

function compileLookupProbe(database: DbHandle, plan: KeyedInsert): CompiledKeyed {
  const hit = compiledProbe.get(plan);
  if (hit) return hit;
  const year = Number(plan.month.slice(0, 4));
  const range = (column: string) => sql`${sql.ref(column)} >= ${FROM_ID} and ${sql.ref(column)} <= ${TO_ID}`;
  // The final slips are read through the partial index on final slips, which needs the literal 1.
  // One column per lookup, in the order of their bits (LOOKUP_INPUTS first).
  const out = compiledWithRange(
    database,
    sql`select
      exists (select 1 from pay_inputs i where i.month = ${plan.month} and ${range('i.worker_id')}),
      exists (select 1 from payroll_tax_openings o where ${range('o.worker_id')} and o.year = ${year}),
      exists (select 1 from social_insurance_enrolments s where ${range('s.worker_id')} and s.kind = 'pension'),
      exists (select 1 from payslip_entries f where ${range('f.worker_id')} and f.is_final = 1
        and f.month >= ${`${year}-01`} and f.month <= ${`${year}-12`})`,
  );
  compiledProbe.set(plan, out);
  return out;
}

/** The run's cursor after a chunk, written with the chunk's keyed insert when that stored all of it. */
export interface ChunkCursor {
  /** The chunk's worker count: the keyed insert must store this many slips to finish the chunk. */
  workers: number;
  cursor: number;
  processed: number;
  slipTotal: number;
  errorTotal: number;
  now: string;
}

/**
 * The keyed insert of one chunk (workers `fromId`..`toId`): every on-roll worker of the run's
 * subtree whose inputs match a key the run has already computed gets that outcome's slip, in one
 * INSERT … SELECT. Workers with pay inputs this month or an opening balance this year are left to
 * the per-worker computation, as are those whose latest final slip of the year is this month or
 * later (no key has such a prior). A replayed chunk inserts nothing twice. Returns the slips stored
 * per outcome (class id → count) and whether that finished the chunk, in which case the run's
 * cursor moved past it in the same transaction (`after.slipTotal` not yet counting them).
 */
export async function insertKeyedSlipsUnscoped(
  database: DbHandle,
  plan: KeyedInsert,
  fromId: number,
  toId: number,
  after: ChunkCursor,
): Promise<{ counts: Map<number, number>; stored: number; isChunkDone: boolean }> {
  const counts = new Map<number, number>();
  let stored = 0;
  const raw = database.sqlite;
  if (raw) {
    let st = keyedStatements.get(raw);
    if (!st) {
      st = {
        bySql: new Map(),
        cursor: raw.prepare(
          'update payroll_runs set cursor_worker_id = ?, progress_done = ?, slip_count = ?, error_count = ?, updated_at = ? where id = ?',
        ),
      };
      keyedStatements.set(raw, st);
    }
    const { bySql, cursor } = st;
    const prepared = (q: CompiledKeyed, setup: (s: import('better-sqlite3').Statement) => void) => {
      let s = bySql.get(q.sql);
      if (!s) {
        // The texts vary with the set of lookups and the shape of the run's rules: a few per server,
        // but never an unbounded number of prepared statements.
        if (bySql.size >= 256) bySql.clear();
        s = raw.prepare(q.sql);
        setup(s);
        bySql.set(q.sql, s);
      }
      return s;
    };
    const probe = compileLookupProbe(database, plan);
    const probeStmt = prepared(probe, (s) => s.raw(true));
    await database.kysely.connection().execute(async () => {
      // Every reference of the rows is made good by the statement itself: the worker is read from
      // `workers` in the same transaction, the outcome from this run's keys (whose own reference to
      // the outcome was checked when the key was stored; outcomes are never deleted) and the run is
      // the one being computed. So SQLite's per-row foreign-key lookups are skipped for this one
      // statement (a worker row lookup each); they are on again before the connection serves
      // anything else. PostgreSQL checks them as ever.
      raw.pragma('foreign_keys = OFF');
      try {
        raw
          .transaction(() => {
            const found = probeStmt.get(...parametersFor(probe, fromId, toId)) as number[];
            const lookups = found.reduce((mask, has, i) => (has ? mask | (1 << i) : mask), 0);
            const q = compileKeyedInsert(database, plan, lookups);
            const insert = prepared(q, (s) => s.pluck(true));
            const classIds = insert.all(...parametersFor(q, fromId, toId)) as number[];
            stored = classIds.length;
            for (const c of classIds) {
              const id = Number(c);
              counts.set(id, (counts.get(id) ?? 0) + 1);
            }
            if (stored >= after.workers) {
              cursor.run(after.cursor, after.processed, after.slipTotal + stored, after.errorTotal, after.now, plan.runId);
            }
          })
          .immediate();
      } finally {
        raw.pragma('foreign_keys = ON');
      }
    });
    return { counts, stored, isChunkDone: stored >= after.workers };
  }
  // PostgreSQL reads each statement from a fresh snapshot, so a probe could miss a row written
  // between it and the insert: there every lookup stays in.
  const q = compileKeyedInsert(database, plan, LOOKUP_ALL);
  const parameters = parametersFor(q, fromId, toId);
  return database.kysely.transaction().execute(async (trx) => {
    const r = await trx.executeQuery<{ class_id: number; n: number }>(CompiledQuery.raw(q.sql, parameters));
    for (const row of r.rows) {
      counts.set(Number(row.class_id), Number(row.n));
      stored += Number(row.n);
    }
    if (stored >= after.workers) {
      await trx
        .updateTable('payroll_runs')
        .set({
          cursor_worker_id: after.cursor,
          progress_done: after.processed,
          slip_count: after.slipTotal + stored,
          error_count: after.errorTotal,
          updated_at: after.now,
        })
        .where('id', '=', plan.runId)
        .execute();
    }
    return { counts, stored, isChunkDone: stored >= after.workers };
  });
}

/** Clears a run's keys (scratch of one computation). */
export async function clearRunKeys(db: Db, runId: number) {
  await db.deleteFrom('payroll_run_keys').where('run_id', '=', runId).execute();
}

// ---------------------------------------------------------------- compute writes

const INSERT_BATCH = 400;

/** A slip outcome's columns after `hash`, in insert order (the bulk paths bind them positionally). */
export const CLASS_COLUMNS = [
  'band',
  'level',
  'lines_hash',
  'gross_fen',
  'employee_insurance_fen',
  'employer_insurance_fen',
  'tax_fen',
  'net_fen',
  'pay_table_ref',
  'insurance_rule_ref',
  'tax_rule_ref',
  'tax_months',
  'cum_gross_fen',
  'cum_tax_free_fen',
  'cum_insurance_fen',
  'cum_special_fen',
  'cum_other_fen',
  'cum_tax_fen',
] as const satisfies readonly (keyof NewPayslipClass)[];

/** PostgreSQL array types of the class columns, for `unnest`. */
const PG_CLASS_TYPES: Record<(typeof CLASS_COLUMNS)[number], string> = {
  band: 'text',
  level: 'integer',
  lines_hash: 'text',
  gross_fen: 'bigint',
  employee_insurance_fen: 'bigint',
  employer_insurance_fen: 'bigint',
  tax_fen: 'bigint',
  net_fen: 'bigint',
  pay_table_ref: 'text',
  insurance_rule_ref: 'text',
  tax_rule_ref: 'text',
  tax_months: 'integer',
  cum_gross_fen: 'bigint',
  cum_tax_free_fen: 'bigint',
  cum_insurance_fen: 'bigint',
  cum_special_fen: 'bigint',
  cum_other_fen: 'bigint',
  cum_tax_fen: 'bigint',
};

/** One worker's slip in a chunk: the worker and the hash of its outcome (class). */
export interface NewSlipEntry {
  worker_id: number;
  org_code: string;
  class_hash: string;
}

export interface ChunkWrite {
  /** Line lists first seen in this chunk. */
  lineSets: { hash: string; lines: string }[];
  /** Outcomes first seen in this chunk (content-addressed: one already stored is kept). */
  classes: NewPayslipClass[];
  entries: NewSlipEntry[];
  errors: NewPayslipError[];
  /** Inputs first computed in this chunk, for the keyed insert of later chunks. */
  keys: NewRunKey[];
  cursor: number;
  processed: number;
  slipTotal: number;
  errorTotal: number;
}

/** Entries per multi-row insert on SQLite (5 parameters each). */
const SQLITE_ENTRY_BATCH = 200;

function entryInsertSql(rows: number): string {
  return `insert into payslip_entries (run_id, worker_id, org_code, month, class_id) values ${Array.from({ length: rows }, () => '(?,?,?,?,?)').join(',')} on conflict (run_id, worker_id) do nothing`;
}

const sqliteStatements = new WeakMap<
  object,
  {
    lineSet: import('better-sqlite3').Statement;
    classInsert: import('better-sqlite3').Statement;
    classId: import('better-sqlite3').Statement;
    entry: import('better-sqlite3').Statement;
    entryBatch: import('better-sqlite3').Statement;
    error: import('better-sqlite3').Statement;
    key: import('better-sqlite3').Statement;
    run: import('better-sqlite3').Statement;
  }
>();

/**
 * Writes one chunk's outcomes, slips and errors and advances the run's cursor in one transaction; a
 * replayed chunk inserts nothing twice (`on conflict do nothing`). `classIds` caches outcome ids by
 * hash across the chunks of one computation; ids are added only once their transaction committed.
 * Bulk paths: prepared statements on SQLite (holding Kysely's connection, so nothing interleaves),
 * `unnest` inserts on PostgreSQL.
 */
export async function commitChunk(
  database: DbHandle,
  run: { id: number; month: string },
  chunk: ChunkWrite,
  classIds: Map<string, number>,
  now: string,
) {
  const runId = run.id;
  const raw = database.sqlite;
  const resolved = new Map<string, number>();
  const idOf = (hash: string) => {
    const id = classIds.get(hash) ?? resolved.get(hash);
    if (id === undefined) throw new Error(`payslip class ${hash} was not stored`);
    return id;
  };
  if (raw) {
    await database.kysely.connection().execute(async () => {
      let st = sqliteStatements.get(raw);
      if (!st) {
        st = {
          lineSet: raw.prepare('insert into payslip_line_sets (hash, lines) values (?, ?) on conflict (hash) do nothing'),
          classInsert: raw.prepare(
            `insert into payslip_classes (hash, ${CLASS_COLUMNS.join(', ')}) values (?, ${CLASS_COLUMNS.map(() => '?').join(', ')}) on conflict (hash) do nothing`,
          ),
          classId: raw.prepare('select id from payslip_classes where hash = ?').pluck(true),
          entry: raw.prepare(entryInsertSql(1)),
          entryBatch: raw.prepare(entryInsertSql(SQLITE_ENTRY_BATCH)),
          error: raw.prepare(
            'insert into payslip_errors (run_id, worker_id, org_code, code, message, details) values (?, ?, ?, ?, ?, ?) on conflict (run_id, worker_id) do nothing',
          ),
          key: raw.prepare(
            'insert into payroll_run_keys (run_id, rules_id, band, grade_key, base_fen, prior, class_id) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing',
          ),
          run: raw.prepare(
            'update payroll_runs set cursor_worker_id = ?, progress_done = ?, slip_count = ?, error_count = ?, updated_at = ? where id = ?',
          ),
        };
        sqliteStatements.set(raw, st);
      }
      const s = st;
      raw
        .transaction(() => {
          for (const set of chunk.lineSets) s.lineSet.run(set.hash, set.lines);
          for (const c of chunk.classes) {
            if (classIds.has(c.hash)) continue;
            s.classInsert.run(c.hash, ...CLASS_COLUMNS.map((k) => c[k]));
            resolved.set(c.hash, Number(s.classId.get(c.hash)));
          }
          const entries = chunk.entries;
          const month = run.month;
          let i = 0;
          for (; i + SQLITE_ENTRY_BATCH <= entries.length; i += SQLITE_ENTRY_BATCH) {
            const params: unknown[] = [];
            for (let k = i; k < i + SQLITE_ENTRY_BATCH; k++) {
              const e = entries[k]!;
              params.push(runId, e.worker_id, e.org_code, month, idOf(e.class_hash));
            }
            s.entryBatch.run(params);
          }
          for (; i < entries.length; i++) {
            const e = entries[i]!;
            s.entry.run(runId, e.worker_id, e.org_code, month, idOf(e.class_hash));
          }
          for (const e of chunk.errors) s.error.run(e.run_id, e.worker_id, e.org_code, e.code, e.message, e.details ?? null);
          for (const k of chunk.keys) s.key.run(runId, k.rules_id, k.band, k.grade_key, k.base_fen, k.prior, idOf(k.class_hash));
          s.run.run(chunk.cursor, chunk.processed, chunk.slipTotal, chunk.errorTotal, now, runId);
        })
        .immediate();
    });
  } else {
    await database.kysely.transaction().execute(async (trx) => {
      if (chunk.lineSets.length > 0) {
        await trx
          .insertInto('payslip_line_sets')
          .values(chunk.lineSets)
          .onConflict((oc) => oc.column('hash').doNothing())
          .execute();
      }
      const fresh = chunk.classes.filter((c) => !classIds.has(c.hash));
      if (fresh.length > 0) {
        const arrays = CLASS_COLUMNS.map((c) => sql`${fresh.map((x) => x[c] as unknown)}::${sql.raw(PG_CLASS_TYPES[c])}[]`);
        const hashes = fresh.map((x) => x.hash);
        await sql`insert into payslip_classes (hash, ${sql.join(CLASS_COLUMNS.map((c) => sql.ref(c)))})
          select * from unnest(${hashes}::text[], ${sql.join(arrays)})
          on conflict (hash) do nothing`.execute(trx);
        const rows = await trx
          .selectFrom('payslip_classes')
          .select(['id', 'hash'])
          .where('hash', '=', sql<string>`any(${hashes}::text[])`)
          .execute();
        for (const r of rows) resolved.set(r.hash, Number(r.id));
      }
      if (chunk.entries.length > 0) {
        const e = chunk.entries;
        await sql`insert into payslip_entries (run_id, worker_id, org_code, month, class_id)
          select ${runId}::bigint, w, o, ${run.month}::text, c
          from unnest(${e.map((x) => x.worker_id)}::bigint[], ${e.map((x) => x.org_code)}::text[], ${e.map((x) => idOf(x.class_hash))}::bigint[]) as t(w, o, c)
          on conflict (run_id, worker_id) do nothing`.execute(trx);
      }
      for (let i = 0; i < chunk.keys.length; i += INSERT_BATCH) {
        await trx
          .insertInto('payroll_run_keys')
          .values(
            chunk.keys.slice(i, i + INSERT_BATCH).map(({ class_hash, ...k }) => ({ run_id: runId, ...k, class_id: idOf(class_hash) })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (let i = 0; i < chunk.errors.length; i += INSERT_BATCH) {
        await trx
          .insertInto('payslip_errors')
          .values(chunk.errors.slice(i, i + INSERT_BATCH))
          .onConflict((oc) => oc.columns(['run_id', 'worker_id']).doNothing())
          .execute();
      }
      await trx
        .updateTable('payroll_runs')
        .set({
          cursor_worker_id: chunk.cursor,
          progress_done: chunk.processed,
          slip_count: chunk.slipTotal,
          error_count: chunk.errorTotal,
          updated_at: now,
        })
        .where('id', '=', runId)
        .execute();
    });
  }
  for (const [hash, id] of resolved) classIds.set(hash, id);
}

/** A run's slip count and totals: entries counted per outcome, then weighted by the outcome's amounts. */
export async function sumRunUnscoped(db: Db, runId: number) {
  const r = await sql<{ slips: number; gross: number; employee_insurance: number; employer_insurance: number; tax: number; net: number }>`
    select coalesce(sum(t.n), 0) as slips,
      coalesce(sum(c.gross_fen * t.n), 0) as gross,
      coalesce(sum(c.employee_insurance_fen * t.n), 0) as employee_insurance,
      coalesce(sum(c.employer_insurance_fen * t.n), 0) as employer_insurance,
      coalesce(sum(c.tax_fen * t.n), 0) as tax,
      coalesce(sum(c.net_fen * t.n), 0) as net
    from (select class_id, count(*) as n from payslip_entries where run_id = ${runId} group by class_id) t
    join payslip_classes c on c.id = t.class_id`.execute(db);
  const row = r.rows[0]!;
  const errors = await db
    .selectFrom('payslip_errors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return {
    slips: Number(row.slips),
    errors: Number(errors.n),
    gross: Number(row.gross),
    employeeInsurance: Number(row.employee_insurance),
    employerInsurance: Number(row.employer_insurance),
    tax: Number(row.tax),
    net: Number(row.net),
  };
}

/** Marks a run's slips final (immutable); fails on the partial unique index when a worker's month is already approved elsewhere. */
export function finaliseRunSlips(db: Db, runId: number) {
  return db.updateTable('payslip_entries').set({ is_final: 1 }).where('run_id', '=', runId).where('is_final', '=', 0).execute();
}

/** Workers of the run whose month is already final in another run. */
export async function findAlreadyApprovedInRun(db: Db, runId: number, month: string) {
  return db
    .selectFrom('payslips as p')
    .innerJoin('payslips as f', (j) =>
      j.onRef('f.worker_id', '=', 'p.worker_id').on('f.month', '=', month).on('f.is_final', '=', sql.lit(1)),
    )
    .select(['p.worker_id', 'f.run_id'])
    .where('p.run_id', '=', runId)
    .whereRef('f.run_id', '!=', 'p.run_id')
    .limit(20)
    .execute();
}

// ---------------------------------------------------------------- slips

const SLIP_COLUMNS = [
  'payslips.id',
  'payslips.run_id',
  'payslips.worker_id',
  'workers.name as worker_name',
  'workers.id_number_masked',
  'payslips.org_code',
  'orgs.name as org_name',
  'payslips.month',
  'payslips.is_final',
  'payslips.band',
  'payslips.level',
  'payslips.gross_fen',
  'payslips.employee_insurance_fen',
  'payslips.employer_insurance_fen',
  'payslips.tax_fen',
  'payslips.net_fen',
  'payslips.pay_table_ref',
  'payslips.insurance_rule_ref',
  'payslips.tax_rule_ref',
  'payslips.tax_months',
  'payslips.cum_gross_fen',
  'payslips.cum_tax_fen',
  'payslips.created_at',
] as const;

function slips(db: Db, scope: Scope) {
  let q = db
    .selectFrom('payslips')
    .innerJoin('workers', 'workers.id', 'payslips.worker_id')
    .innerJoin('orgs', 'orgs.code', 'payslips.org_code')
    .where(inScope('payslips.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('payslips.worker_id', '=', scope.workerId);
  return q;
}

export async function findRunSlipsInScope(db: Db, scope: Scope, runId: number, page: { limit: number; offset: number }, q?: string) {
  let base = slips(db, scope).where('payslips.run_id', '=', runId);
  if (q) base = base.where('workers.name', 'like', `%${q.replaceAll(/[%_]/g, '')}%`);
  const [items, total] = await Promise.all([
    base.select(SLIP_COLUMNS).orderBy('payslips.org_code').orderBy('payslips.worker_id').limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Slips of a run in worker order after `afterWorkerId`, with their lines, for exports. */
export function readRunSlipPageInScope(db: Db, scope: Scope, runId: number, afterWorkerId: number, limit: number) {
  return slips(db, scope)
    .innerJoin('payslip_line_sets', 'payslip_line_sets.hash', 'payslips.lines_hash')
    .select([...SLIP_COLUMNS, 'payslip_line_sets.lines'])
    .where('payslips.run_id', '=', runId)
    .where('payslips.worker_id', '>', afterWorkerId)
    .orderBy('payslips.worker_id')
    .limit(limit)
    .execute();
}

export function summariseRunByOrgInScope(db: Db, scope: Scope, runId: number) {
  return slips(db, scope)
    .select((eb) => [
      'payslips.org_code',
      'orgs.name as org_name',
      eb.fn.countAll<number>().as('slips'),
      eb.fn.sum<number>('payslips.gross_fen').as('gross'),
      eb.fn.sum<number>('payslips.employee_insurance_fen').as('employee_insurance'),
      eb.fn.sum<number>('payslips.employer_insurance_fen').as('employer_insurance'),
      eb.fn.sum<number>('payslips.tax_fen').as('tax'),
      eb.fn.sum<number>('payslips.net_fen').as('net'),
    ])
    .where('payslips.run_id', '=', runId)
    .groupBy(['payslips.org_code', 'orgs.name'])
    .orderBy('payslips.org_code')
    .execute();
}

export function getSlipInScope(db: Db, scope: Scope, id: number) {
  return slips(db, scope)
    .innerJoin('payslip_line_sets', 'payslip_line_sets.hash', 'payslips.lines_hash')
    .select([...SLIP_COLUMNS, 'payslip_line_sets.lines'])
    .where('payslips.id', '=', id)
    .executeTakeFirst();
}

/** A worker's final slips (approved or paid runs), newest first. */
export async function findWorkerFinalSlipsInScope(db: Db, scope: Scope, workerId: number, page: { limit: number; offset: number }) {
  const base = slips(db, scope).where('payslips.worker_id', '=', workerId).where('payslips.is_final', '=', sql.lit(1));
  const [items, total] = await Promise.all([
    base.select(SLIP_COLUMNS).orderBy('payslips.month', 'desc').limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function findRunErrorsInScope(db: Db, scope: Scope, runId: number, page: { limit: number; offset: number }) {
  const base = db
    .selectFrom('payslip_errors')
    .innerJoin('workers', 'workers.id', 'payslip_errors.worker_id')
    .innerJoin('orgs', 'orgs.code', 'payslip_errors.org_code')
    .where('payslip_errors.run_id', '=', runId)
    .where(inScope('payslip_errors.org_code', scope));
  const [items, total] = await Promise.all([
    base
      .select([
        'payslip_errors.worker_id',
        'workers.name as worker_name',
        'payslip_errors.org_code',
        'orgs.name as org_name',
        'payslip_errors.code',
        'payslip_errors.message',
      ])
      .orderBy('payslip_errors.worker_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Annual gross of final slips per worker of the scope and year (for the pay-floor report). */
export function sumAnnualGrossInScope(db: Db, scope: Scope, orgCode: string, year: number) {
  return db
    .selectFrom('payslips')
    .innerJoin('workers', 'workers.id', 'payslips.worker_id')
    .innerJoin('orgs', 'orgs.code', 'workers.org_code')
    .select((eb) => [
      'payslips.worker_id',
      'workers.name as worker_name',
      'workers.org_code',
      'orgs.name as org_name',
      eb.fn.sum<number>('payslips.gross_fen').as('gross'),
      eb.fn.countAll<number>().as('months'),
    ])
    .where(inScope('payslips.org_code', scope))
    .where(codeInSubtree('payslips.org_code', orgCode, 1))
    .where('payslips.is_final', '=', sql.lit(1))
    .where('payslips.month', '>=', `${year}-01`)
    .where('payslips.month', '<=', `${year}-12`)
    .groupBy(['payslips.worker_id', 'workers.name', 'workers.org_code', 'orgs.name'])
    .orderBy('payslips.worker_id')
    .execute();
}
