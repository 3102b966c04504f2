/** Edits of monthly pay inputs beyond the save in payroll.repo.ts: one input by id, its deletion, bulk upsert for imports. */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, PayInputTable } from '../../db/schema.ts';
import { inScope, type Scope } from '../../lib/scope.ts';

type Db = Kysely<Database>;

const IN_LIST = 1000;

export function getPayInputInScope(db: Db, scope: Scope, id: number) {
  return db
    .selectFrom('pay_inputs')
    .select(['id', 'worker_id', 'org_code', 'month', 'kind', 'code', 'name', 'amount_fen', 'note'])
    .where('id', '=', id)
    .where(inScope('org_code', scope))
    .executeTakeFirst();
}

export async function deletePayInput(db: Db, id: number) {
  await db.deleteFrom('pay_inputs').where('id', '=', id).execute();
}

/** Whether a worker's slip of `month` is final (its run approved or paid). */
export async function isMonthFinalUnscoped(db: Db, workerId: number, month: string): Promise<boolean> {
  const r = await db
    .selectFrom('payslips')
    .select('id')
    .where('worker_id', '=', workerId)
    .where('month', '=', month)
    .where('is_final', '=', sql.lit(1))
    .executeTakeFirst();
  return r !== undefined;
}

/** Which of these workers have a final slip of `month`. */
export async function findWorkersFinalInMonthUnscoped(db: Db, workerIds: number[], month: string): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < workerIds.length; i += IN_LIST) {
    const rows = await db
      .selectFrom('payslips')
      .select('worker_id')
      .where('worker_id', 'in', workerIds.slice(i, i + IN_LIST))
      .where('month', '=', month)
      .where('is_final', '=', sql.lit(1))
      .execute();
    for (const r of rows) out.add(Number(r.worker_id));
  }
  return out;
}

/** Inserts or replaces inputs by (worker, month, kind, code), as the single save does. */
export async function upsertPayInputs(db: Db, rows: Insertable<PayInputTable>[]) {
  for (const row of rows) {
    await db
      .insertInto('pay_inputs')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['worker_id', 'month', 'kind', 'code'])
          .doUpdateSet({ name: row.name, amount_fen: row.amount_fen, note: row.note ?? null }),
      )
      .execute();
  }
}
