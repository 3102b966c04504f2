import { sql } from 'kysely';
import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Narrow slips. A computed slip is a pure function of its inputs (grade, result, rules, base, the
 * month's inputs and the prior cumulative tax state), so the workers of a run fall into few distinct
 * outcomes: a million slips of a city are typically a few hundred. The outcome — every amount, the
 * line list, the rule versions and the cumulative tax figures after the month — is now stored once
 * in `payslip_classes`, content-addressed by a hash of its fields; each worker's slip is a narrow
 * `payslip_entries` row (run, worker, org, month, final flag, class). Storing a run got about four
 * times cheaper on SQLite (a wide row cost more to insert than the whole set-based gross statement).
 *
 * `payslips` becomes a view with the old columns, so every reader (slip pages, exports, the tax
 * state of the next month, the floor report) reads what it read before. Writes go to the tables.
 * The final-slip rules move with the rows: one final slip per (worker, month) by the partial unique
 * index, and a final entry can be neither changed nor deleted (trigger). Classes are never changed.
 *
 * Existing slips keep their ids; each becomes an entry with a class of its own (hash `migrated:<id>`).
 * The old `(worker_id, month, is_final)` index is not recreated: every per-worker read is of final
 * slips and uses the partial unique index.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    const money = bigType(dialect);
    await db.schema
      .createTable('payslip_classes')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
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
      .execute();

    await db.schema
      .createTable('payslip_entries')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('run_id', bigType(dialect), (c) => c.notNull().references('payroll_runs.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull())
      .addColumn('is_final', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('class_id', bigType(dialect), (c) => c.notNull().references('payslip_classes.id'))
      // A run has one month, so (run, worker) is the slip's identity; ordered run first, it also
      // serves a run's slips in worker order.
      .addUniqueConstraint('payslip_entries_run_worker_uq', ['run_id', 'worker_id'])
      .execute();

    // Existing slips: one class each, same ids.
    await sql`insert into payslip_classes (hash, band, level, lines_hash, gross_fen, employee_insurance_fen, employer_insurance_fen,
        tax_fen, net_fen, pay_table_ref, insurance_rule_ref, tax_rule_ref, tax_months, cum_gross_fen, cum_tax_free_fen,
        cum_insurance_fen, cum_special_fen, cum_other_fen, cum_tax_fen)
      select 'migrated:' || cast(id as text), band, level, lines_hash, gross_fen, employee_insurance_fen, employer_insurance_fen,
        tax_fen, net_fen, pay_table_ref, insurance_rule_ref, tax_rule_ref, tax_months, cum_gross_fen, cum_tax_free_fen,
        cum_insurance_fen, cum_special_fen, cum_other_fen, cum_tax_fen
      from payslips order by id`.execute(db);
    await sql`insert into payslip_entries (id, run_id, worker_id, org_code, month, is_final, class_id)
      select p.id, p.run_id, p.worker_id, p.org_code, p.month, p.is_final, c.id
      from payslips p join payslip_classes c on c.hash = 'migrated:' || cast(p.id as text)
      order by p.id`.execute(db);

    // Final entries cannot be changed or deleted; an outcome, shared by many slips (final ones among
    // them), cannot be changed at all.
    if (dialect === 'postgres') {
      await sql`drop trigger payslips_final_no_change on payslips`.execute(db);
      await sql`drop table payslips`.execute(db);
      await sql`select setval(pg_get_serial_sequence('payslip_entries', 'id'), coalesce((select max(id) from payslip_entries), 0) + 1, false)`.execute(
        db,
      );
      await sql`create trigger payslip_entries_final_no_change before update or delete on payslip_entries
        for each row execute function payslips_final_immutable()`.execute(db);
      await sql`create function payslip_classes_immutable() returns trigger language plpgsql as $$
        begin raise exception 'payslip class is immutable'; end $$`.execute(db);
      await sql`create trigger payslip_classes_no_update before update on payslip_classes
        for each row execute function payslip_classes_immutable()`.execute(db);
    } else {
      await sql`drop trigger payslips_final_no_update`.execute(db);
      await sql`drop trigger payslips_final_no_delete`.execute(db);
      await sql`drop table payslips`.execute(db);
      await sql`create trigger payslip_entries_final_no_update before update on payslip_entries when old.is_final = 1
        begin select raise(abort, 'approved payslip is immutable'); end`.execute(db);
      await sql`create trigger payslip_entries_final_no_delete before delete on payslip_entries when old.is_final = 1
        begin select raise(abort, 'approved payslip is immutable'); end`.execute(db);
      await sql`create trigger payslip_classes_no_update before update on payslip_classes
        begin select raise(abort, 'payslip class is immutable'); end`.execute(db);
    }
    // One final (approved) slip per worker and month, whichever run it came from. Per-worker reads
    // (the next month's tax state, the floor report, self-service) are all of final slips and use it;
    // they must compare is_final with the literal 1 for SQLite to pick a partial index.
    await sql`create unique index payslip_entries_final_worker_month_uq on payslip_entries (worker_id, month) where is_final = 1`.execute(
      db,
    );

    // The old columns, for readers. Left joins on unique keys: PostgreSQL drops them from a query that
    // reads none of their columns; SQLite still joins (one primary-key lookup per slip into two small
    // tables). The final-slip checks use the partial index on the entries either way.
    await sql`create view payslips as
      select e.id, e.run_id, e.worker_id, e.org_code, e.month, e.is_final, e.class_id,
        c.band, c.level, c.lines_hash, c.gross_fen, c.employee_insurance_fen, c.employer_insurance_fen, c.tax_fen, c.net_fen,
        c.pay_table_ref, c.insurance_rule_ref, c.tax_rule_ref, c.tax_months, c.cum_gross_fen, c.cum_tax_free_fen,
        c.cum_insurance_fen, c.cum_special_fen, c.cum_other_fen, c.cum_tax_fen,
        coalesce(r.computed_at, r.updated_at) as created_at
      from payslip_entries e
      left join payslip_classes c on c.id = e.class_id
      left join payroll_runs r on r.id = e.run_id`.execute(db);
  },
};
