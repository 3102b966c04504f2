/**
 * Tables behind opening tax balances (期初累计) and the edits of monthly pay inputs: the only code
 * that touches `payroll_tax_openings`, and the few reads of `payslips` / `pay_inputs` that these
 * operations need (which months of a worker are already final).
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, PayrollTaxOpeningTable } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

type Db = Kysely<Database>;

/** At most this many values in one `in (…)` list (SQLite's and PostgreSQL's parameter limits). */
const IN_LIST = 1000;

const OPENING_COLUMNS = [
  'payroll_tax_openings.id',
  'payroll_tax_openings.worker_id',
  'workers.name as worker_name',
  'payroll_tax_openings.org_code',
  'orgs.name as org_name',
  'payroll_tax_openings.year',
  'payroll_tax_openings.through_month',
  'payroll_tax_openings.tax_months',
  'payroll_tax_openings.cum_gross_fen',
  'payroll_tax_openings.cum_tax_free_fen',
  'payroll_tax_openings.cum_insurance_fen',
  'payroll_tax_openings.cum_special_fen',
  'payroll_tax_openings.cum_other_fen',
  'payroll_tax_openings.cum_tax_fen',
  'payroll_tax_openings.note',
  'payroll_tax_openings.updated_at',
] as const;

function openings(db: Db, scope: Scope) {
  return db
    .selectFrom('payroll_tax_openings')
    .innerJoin('workers', 'workers.id', 'payroll_tax_openings.worker_id')
    .innerJoin('orgs', 'orgs.code', 'payroll_tax_openings.org_code')
    .where(inScope('payroll_tax_openings.org_code', scope));
}

export type TaxOpeningRecord = Awaited<ReturnType<typeof findTaxOpeningsInScope>>['items'][number];

/** A page of opening balances of a year in scope (optionally under an org node), in org and worker order. */
export async function findTaxOpeningsInScope(
  db: Db,
  scope: Scope,
  filters: { year: number; orgCode?: string | undefined },
  page: { limit: number; offset: number },
) {
  let base = openings(db, scope).where('payroll_tax_openings.year', '=', filters.year);
  if (filters.orgCode) base = base.where(codeInSubtree('payroll_tax_openings.org_code', filters.orgCode, 1));
  const [items, total] = await Promise.all([
    base
      .select(OPENING_COLUMNS)
      .orderBy('payroll_tax_openings.org_code')
      .orderBy('payroll_tax_openings.worker_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function getTaxOpeningInScope(db: Db, scope: Scope, workerId: number, year: number) {
  return openings(db, scope)
    .select(OPENING_COLUMNS)
    .where('payroll_tax_openings.worker_id', '=', workerId)
    .where('payroll_tax_openings.year', '=', year)
    .executeTakeFirst();
}

export type NewTaxOpening = Omit<Insertable<PayrollTaxOpeningTable>, 'id'>;

/** Inserts or replaces a worker's opening of a year (unique per worker and year); `created_*` are kept on replace. */
export async function upsertTaxOpening(db: Db, row: NewTaxOpening) {
  await db
    .insertInto('payroll_tax_openings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['worker_id', 'year']).doUpdateSet({
        org_code: row.org_code,
        through_month: row.through_month,
        tax_months: row.tax_months,
        cum_gross_fen: row.cum_gross_fen,
        cum_tax_free_fen: row.cum_tax_free_fen,
        cum_insurance_fen: row.cum_insurance_fen,
        cum_special_fen: row.cum_special_fen,
        cum_other_fen: row.cum_other_fen,
        cum_tax_fen: row.cum_tax_fen,
        note: row.note,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/**
 * Opening balances of a year for the workers with ids in `[fromWorkerId, toWorkerId]`, keyed by
 * worker id: the payroll compute's read for one chunk. The compute uses an opening as the prior
 * cumulative state when its `through_month` is later than the worker's last final slip of the year.
 */
export async function readTaxOpeningsUnscoped(db: Db, fromWorkerId: number, toWorkerId: number, year: number) {
  const rows = await db
    .selectFrom('payroll_tax_openings')
    .select([
      'worker_id',
      'through_month',
      'tax_months',
      'cum_gross_fen',
      'cum_tax_free_fen',
      'cum_insurance_fen',
      'cum_special_fen',
      'cum_other_fen',
      'cum_tax_fen',
    ])
    .where('year', '=', year)
    .where('worker_id', '>=', fromWorkerId)
    .where('worker_id', '<=', toWorkerId)
    .execute();
  const byWorker = new Map<number, (typeof rows)[number]>();
  for (const r of rows) byWorker.set(Number(r.worker_id), r);
  return byWorker;
}

/** One worker's opening as the compute reads it (`through_month`, `tax_months` and the `cum_*` fen figures). */
export type TaxOpeningState = NonNullable<ReturnType<Awaited<ReturnType<typeof readTaxOpeningsUnscoped>>['get']>>;

/**
 * The earliest final (approved) slip month per worker in `[fromMonth, toMonth]`: a month paid by
 * shegong in that span means opening balances through `toMonth` would count it twice.
 */
export async function findFirstFinalMonthsUnscoped(db: Db, workerIds: number[], fromMonth: string, toMonth: string) {
  const out = new Map<number, string>();
  for (let i = 0; i < workerIds.length; i += IN_LIST) {
    const rows = await db
      .selectFrom('payslips')
      .select((eb) => ['worker_id', eb.fn.min<string>('month').as('month')])
      .where('worker_id', 'in', workerIds.slice(i, i + IN_LIST))
      .where('is_final', '=', sql.lit(1))
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .groupBy('worker_id')
      .execute();
    for (const r of rows) out.set(Number(r.worker_id), r.month);
  }
  return out;
}

/** Workers in scope holding any of these ID-number blind indexes (the import's match), with their org. */
export async function findWorkersByIdHashesInScope(db: Db, scope: Scope, hashes: string[]) {
  const out = [];
  for (let i = 0; i < hashes.length; i += IN_LIST) {
    let q = db
      .selectFrom('workers')
      .select(['id', 'name', 'org_code', 'id_number_hash'])
      .where('id_number_hash', 'in', hashes.slice(i, i + IN_LIST))
      .where(inScope('org_code', scope));
    if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('id', '=', scope.workerId);
    out.push(...(await q.execute()));
  }
  return out;
}
