import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, LabourContractUpdate, NewLabourContract, NewSocialInsuranceEnrolment } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

/*
 * Contracts are scoped through the worker they belong to: the worker's current org must lie in the
 * caller's scope (and, for the worker role, be the caller's own record). The alert query reads
 * the workers table read-only, because it must be one set-based query over a whole subtree.
 */

const CONTRACT_COLUMNS = [
  'c.id',
  'c.worker_id',
  'c.org_code',
  'c.contract_type',
  'c.party_name',
  'c.contract_no',
  'c.start_date',
  'c.end_date',
  'c.probation_end_date',
  'c.signed_date',
  'c.status',
  'c.renewal_of',
  'c.terminated_date',
  'c.termination_reason',
  'c.created_at',
  'c.updated_at',
] as const;

function scopedContracts(db: Kysely<Database>, scope: Scope) {
  let q = db.selectFrom('labour_contracts as c').innerJoin('workers as w', 'w.id', 'c.worker_id').where(inScope('w.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('w.id', '=', scope.workerId);
  return q;
}

/** Contracts of one worker in scope, newest first. */
export function findContractsInScope(db: Kysely<Database>, scope: Scope, workerId: number) {
  return scopedContracts(db, scope)
    .select(CONTRACT_COLUMNS)
    .where('c.worker_id', '=', workerId)
    .orderBy('c.start_date', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
}

export function getContractInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return scopedContracts(db, scope).select(CONTRACT_COLUMNS).where('c.id', '=', id).executeTakeFirst();
}

export type ContractRow = NonNullable<Awaited<ReturnType<typeof getContractInScope>>>;

/** The worker's active contract, if any (at most one: a partial unique index guards it). */
export function getActiveContractInScope(db: Kysely<Database>, scope: Scope, workerId: number) {
  return scopedContracts(db, scope)
    .select(CONTRACT_COLUMNS)
    .where('c.worker_id', '=', workerId)
    .where('c.status', '=', 'active')
    .executeTakeFirst();
}

export async function insertContract(db: Kysely<Database>, row: NewLabourContract): Promise<number> {
  const r = await db.insertInto('labour_contracts').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Updates a contract the caller has read in scope, only while its status is still `expected`; returns whether it did. */
export async function updateContractIfStatus(db: Kysely<Database>, id: number, expected: string, patch: LabourContractUpdate) {
  const r = await db.updateTable('labour_contracts').set(patch).where('id', '=', id).where('status', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const ENROLMENT_COLUMNS = ['e.id', 'e.worker_id', 'e.kind', 'e.contribution_base_fen', 'e.start_date', 'e.end_date'] as const;

/** Social insurance and housing fund enrolments of one worker in scope, by kind and start. */
export function findEnrolmentsInScope(db: Kysely<Database>, scope: Scope, workerId: number) {
  let q = db
    .selectFrom('social_insurance_enrolments as e')
    .innerJoin('workers as w', 'w.id', 'e.worker_id')
    .where(inScope('w.org_code', scope))
    .where('e.worker_id', '=', workerId);
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('w.id', '=', scope.workerId);
  return q.select(ENROLMENT_COLUMNS).orderBy('e.kind').orderBy('e.start_date').orderBy('e.id').execute();
}

export type EnrolmentRow = Awaited<ReturnType<typeof findEnrolmentsInScope>>[number];

/** Replaces every enrolment of a worker the caller has already read in scope. */
export async function replaceEnrolments(db: Kysely<Database>, workerId: number, rows: NewSocialInsuranceEnrolment[]) {
  await db.deleteFrom('social_insurance_enrolments').where('worker_id', '=', workerId).execute();
  if (rows.length > 0) await db.insertInto('social_insurance_enrolments').values(rows).execute();
}

export interface AlertWindow {
  /** Today, `YYYY-MM-DD`. */
  today: string;
  /** Active contracts ending on or before this day. */
  contractEndBy: string;
  /** Probations ending on or before this day (worker still on probation). */
  probationEndBy: string;
  /** Insurance kinds every worker on the roll should hold, in bit order of `missing_mask`. */
  requiredKinds: readonly string[];
  /** Worker statuses that count as on the roll. */
  onRollStatuses: readonly string[];
}

export interface AlertOrgFilter {
  orgCode: string;
  orgLevel: number;
}

/**
 * Contract alerts in scope as one set-based query: contracts ending, probations ending, workers on
 * the roll without an active contract, and workers on the roll missing a required insurance
 * (`missing_mask` bit i = `requiredKinds[i]` missing). Undated items come after dated ones.
 */
export async function findContractAlerts(
  db: Kysely<Database>,
  scope: Scope,
  org: AlertOrgFilter | null,
  w: AlertWindow,
  limit: number,
  offset: number,
) {
  const workerWhere = (col: string): Expression<SqlBool>[] => {
    const conds = [inScope(col, scope)];
    if (org) conds.push(codeInSubtree(col, org.orgCode, org.orgLevel));
    return conds;
  };
  const onlyOwn = scope.workerId !== undefined && scope.workerId !== null ? scope.workerId : null;

  const contracts = () => {
    let q = db
      .selectFrom('labour_contracts as c')
      .innerJoin('workers as w', 'w.id', 'c.worker_id')
      .innerJoin('orgs as o', 'o.code', 'w.org_code')
      .where((eb) => eb.and([...workerWhere('c.org_code'), ...workerWhere('w.org_code')]))
      .where('c.status', '=', 'active');
    if (onlyOwn !== null) q = q.where('w.id', '=', onlyOwn);
    return q;
  };
  const onRoll = () => {
    let q = db
      .selectFrom('workers as w')
      .innerJoin('orgs as o', 'o.code', 'w.org_code')
      .where((eb) => eb.and(workerWhere('w.org_code')))
      .where('w.status', 'in', [...w.onRollStatuses]);
    if (onlyOwn !== null) q = q.where('w.id', '=', onlyOwn);
    return q;
  };

  const ending = contracts()
    .where('c.end_date', 'is not', null)
    .where('c.end_date', '<=', w.contractEndBy)
    .select([
      sql<string>`'contract_ending'`.as('kind'),
      'w.id as worker_id',
      'w.name as worker_name',
      'w.org_code as org_code',
      'o.name as org_name',
      'c.end_date as due_date',
      sql<number>`0`.as('missing_mask'),
    ]);
  const probation = contracts()
    .where('w.status', '=', 'probation')
    .where('c.probation_end_date', 'is not', null)
    .where('c.probation_end_date', '<=', w.probationEndBy)
    .select([
      sql<string>`'probation_ending'`.as('kind'),
      'w.id as worker_id',
      'w.name as worker_name',
      'w.org_code as org_code',
      'o.name as org_name',
      'c.probation_end_date as due_date',
      sql<number>`0`.as('missing_mask'),
    ]);
  const noContract = onRoll()
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('labour_contracts as x')
            .select(sql`1`.as('one'))
            .whereRef('x.worker_id', '=', 'w.id')
            .where('x.status', '=', 'active'),
        ),
      ),
    )
    .select([
      sql<string>`'no_contract'`.as('kind'),
      'w.id as worker_id',
      'w.name as worker_name',
      'w.org_code as org_code',
      'o.name as org_name',
      sql<string | null>`cast(null as text)`.as('due_date'),
      sql<number>`0`.as('missing_mask'),
    ]);
  const missingMask = sql.join(
    w.requiredKinds.map(
      (kind, i) => sql`case when exists (select 1 from social_insurance_enrolments e
        where e.worker_id = w.id and e.kind = ${kind} and e.start_date <= ${w.today}
          and (e.end_date is null or e.end_date >= ${w.today})) then 0 else ${sql.lit(1 << i)} end`,
    ),
    sql` + `,
  );
  const missing = onRoll()
    .where(sql<SqlBool>`(${missingMask}) > 0`)
    .select([
      sql<string>`'missing_insurance'`.as('kind'),
      'w.id as worker_id',
      'w.name as worker_name',
      'w.org_code as org_code',
      'o.name as org_name',
      sql<string | null>`cast(null as text)`.as('due_date'),
      sql<number>`${missingMask}`.as('missing_mask'),
    ]);

  const all = ending.unionAll(probation).unionAll(noContract).unionAll(missing).as('a');
  const [items, count] = await Promise.all([
    db
      .selectFrom(all)
      .selectAll()
      .orderBy(sql`case when a.due_date is null then 1 else 0 end`)
      .orderBy('a.due_date')
      .orderBy('a.kind')
      .orderBy('a.worker_id')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom(all)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export type AlertRow = Awaited<ReturnType<typeof findContractAlerts>>['items'][number];
