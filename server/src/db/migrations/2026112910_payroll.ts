import { sql } from 'kysely';
import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Payroll (薪酬): pay tables, social insurance rules and wage floors as versioned rule data per
 * region; monthly pay inputs; payroll runs as chunked, resumable jobs with their slips and
 * per-worker errors.
 *
 * A slip is unique per (run, worker); a FINAL slip (its run approved) is unique per (worker, month)
 * and immutable, enforced by a partial unique index and a trigger on both engines. Each slip keeps
 * the cumulative tax figures of the year after it, so month N reads only the latest final slip
 * before it (index `payslips_worker_month_idx`).
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    const money = bigType(dialect);
    await db.schema
      .createTable('pay_tables')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('region_code', codeType(dialect), (c) => c.notNull())
      .addColumn('scheme_key', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('is_demo', 'integer', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pay_tables_region_scheme_from_uq', ['region_code', 'scheme_key', 'effective_from'])
      .execute();

    await db.schema
      .createTable('insurance_rules')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('region_code', codeType(dialect), (c) => c.notNull())
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('is_demo', 'integer', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('insurance_rules_region_from_uq', ['region_code', 'effective_from'])
      .execute();

    await db.schema
      .createTable('wage_floors')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('region_code', codeType(dialect), (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('average_annual_wage_fen', money, (c) => c.notNull())
      .addColumn('is_demo', 'integer', (c) => c.notNull())
      .addColumn('source', 'text')
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('wage_floors_region_year_uq', ['region_code', 'year'])
      .execute();

    await db.schema
      .createTable('pay_inputs')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('amount_fen', money, (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pay_inputs_worker_month_kind_code_uq', ['worker_id', 'month', 'kind', 'code'])
      .execute();
    await db.schema.createIndex('pay_inputs_month_worker_idx').on('pay_inputs').columns(['month', 'worker_id']).execute();

    await db.schema
      .createTable('payroll_runs')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('phase', 'text')
      /** Keyset cursor: every worker with an id up to this one is committed (slip or error). */
      .addColumn('cursor_worker_id', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('progress_done', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('progress_total', bigType(dialect))
      .addColumn('slip_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('error_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('gross_fen', money, (c) => c.notNull().defaultTo(0))
      .addColumn('employee_insurance_fen', money, (c) => c.notNull().defaultTo(0))
      .addColumn('employer_insurance_fen', money, (c) => c.notNull().defaultTo(0))
      .addColumn('tax_fen', money, (c) => c.notNull().defaultTo(0))
      .addColumn('net_fen', money, (c) => c.notNull().defaultTo(0))
      .addColumn('rules_used', 'text')
      .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_by_name', 'text')
      .addColumn('computed_by', bigType(dialect))
      .addColumn('approved_by', bigType(dialect))
      .addColumn('approved_by_name', 'text')
      .addColumn('paid_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('paid_at', 'text')
      .execute();
    await db.schema.createIndex('payroll_runs_org_month_idx').on('payroll_runs').columns(['org_code', 'month']).execute();
    await db.schema.createIndex('payroll_runs_status_idx').on('payroll_runs').columns(['status']).execute();

    // Slip line lists, content-addressed: most workers of a run share a line list (same grade, result,
    // no inputs), so a million slips store a hash each instead of a million copies of the same JSON.
    await db.schema
      .createTable('payslip_line_sets')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('lines', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('payslips')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('run_id', bigType(dialect), (c) => c.notNull().references('payroll_runs.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('is_final', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('band', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('lines_hash', 'text', (c) => c.notNull().references('payslip_line_sets.hash'))
      .addColumn('gross_fen', money, (c) => c.notNull())
      .addColumn('employee_insurance_fen', money, (c) => c.notNull())
      .addColumn('employer_insurance_fen', money, (c) => c.notNull())
      .addColumn('tax_fen', money, (c) => c.notNull())
      .addColumn('net_fen', money, (c) => c.notNull())
      .addColumn('pay_table_ref', 'text', (c) => c.notNull())
      .addColumn('insurance_rule_ref', 'text', (c) => c.notNull())
      .addColumn('tax_rule_ref', 'text', (c) => c.notNull())
      .addColumn('tax_months', 'integer', (c) => c.notNull())
      .addColumn('cum_gross_fen', money, (c) => c.notNull())
      .addColumn('cum_tax_free_fen', money, (c) => c.notNull())
      .addColumn('cum_insurance_fen', money, (c) => c.notNull())
      .addColumn('cum_special_fen', money, (c) => c.notNull())
      .addColumn('cum_other_fen', money, (c) => c.notNull())
      .addColumn('cum_tax_fen', money, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      // UNIQUE(worker_id, month, run_id), ordered run first so that it also serves a run's slips in worker order.
      .addUniqueConstraint('payslips_run_worker_month_uq', ['run_id', 'worker_id', 'month'])
      .execute();
    await db.schema.createIndex('payslips_worker_month_idx').on('payslips').columns(['worker_id', 'month', 'is_final']).execute();
    // One final (approved) slip per worker and month, whichever run it came from.
    await sql`create unique index payslips_final_worker_month_uq on payslips (worker_id, month) where is_final = 1`.execute(db);

    await db.schema
      .createTable('payslip_errors')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('run_id', bigType(dialect), (c) => c.notNull().references('payroll_runs.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('details', 'text')
      .addUniqueConstraint('payslip_errors_run_worker_uq', ['run_id', 'worker_id'])
      .execute();

    // Approved slips are immutable: a correction is an adjustment input in a later month.
    if (dialect === 'postgres') {
      await sql`create function payslips_final_immutable() returns trigger language plpgsql as $$
        begin
          if old.is_final = 1 then raise exception 'approved payslip is immutable'; end if;
          if tg_op = 'DELETE' then return old; end if;
          return new;
        end $$`.execute(db);
      await sql`create trigger payslips_final_no_change before update or delete on payslips
        for each row execute function payslips_final_immutable()`.execute(db);
    } else {
      await sql`create trigger payslips_final_no_update before update on payslips when old.is_final = 1
        begin select raise(abort, 'approved payslip is immutable'); end`.execute(db);
      await sql`create trigger payslips_final_no_delete before delete on payslips when old.is_final = 1
        begin select raise(abort, 'approved payslip is immutable'); end`.execute(db);
    }
  },
};
