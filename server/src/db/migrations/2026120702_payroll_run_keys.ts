import { sql } from 'kysely';
import { bigType, type ShegongMigration } from './helpers.ts';

/**
 * The payroll run's keyed insert. A slip is a pure function of its inputs, so once a run has
 * computed a slip for one worker, every other worker with the same inputs gets the same outcome
 * (class). `payroll_run_keys` maps those inputs, as the run's SQL reads them, to the outcome:
 * - `rules_id`: the run's number for the pay table and insurance rule versions in force for the
 *   worker's org and grade scheme;
 * - `band` and `grade_key`: the band, and the level, qualification, last result and probation
 *   packed into one integer;
 * - `base_fen`: the pension contribution base of the enrolment covering the month (-1: none);
 * - `prior`: the latest final slip of the year, as class id × 100 + month (0: none).
 * Each later chunk then stores the slips of its matching workers with one INSERT … SELECT; only the
 * workers it did not match are read and computed in JavaScript. The rows are scratch: a run clears
 * its own when a computation starts and when it ends.
 *
 * The chunk's read of each worker's org, status and qualification comes from a narrow covering
 * index in id order instead of the wide worker row (0.6 s of 1,000,000 workers on SQLite).
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    let table = db.schema
      .createTable('payroll_run_keys')
      .addColumn('run_id', bigType(dialect), (c) => c.notNull().references('payroll_runs.id'))
      .addColumn('rules_id', 'integer', (c) => c.notNull())
      .addColumn('band', 'text', (c) => c.notNull())
      .addColumn('grade_key', 'integer', (c) => c.notNull())
      .addColumn('base_fen', bigType(dialect), (c) => c.notNull())
      .addColumn('prior', bigType(dialect), (c) => c.notNull())
      .addColumn('class_id', bigType(dialect), (c) => c.notNull().references('payslip_classes.id'))
      .addPrimaryKeyConstraint('payroll_run_keys_pk', ['run_id', 'rules_id', 'band', 'grade_key', 'base_fen', 'prior']);
    // SQLite: the primary key is the table (one b-tree, looked up once per worker).
    if (dialect === 'sqlite') table = table.modifyEnd(sql`without rowid`);
    await table.execute();
    await db.schema
      .createIndex('workers_payroll_cover_idx')
      .on('workers')
      .columns(['id', 'org_code', 'status', 'qualification_level'])
      .execute();
  },
};
