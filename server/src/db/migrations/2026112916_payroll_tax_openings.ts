import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Opening tax balances (期初累计): the cumulative withholding figures of a worker's year up to a
 * month, entered when a city starts using shegong mid-year or earlier months were paid by an old
 * system under the same withholding agent. One row per worker and year; the payroll compute uses
 * it as the prior tax state when it is later than the worker's last final slip of that year.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    const money = bigType(dialect);
    await db.schema
      .createTable('payroll_tax_openings')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      /** `YYYY-MM`: the figures cover January up to and including this month. */
      .addColumn('through_month', 'text', (c) => c.notNull())
      .addColumn('tax_months', 'integer', (c) => c.notNull())
      .addColumn('cum_gross_fen', money, (c) => c.notNull())
      .addColumn('cum_tax_free_fen', money, (c) => c.notNull())
      .addColumn('cum_insurance_fen', money, (c) => c.notNull())
      .addColumn('cum_special_fen', money, (c) => c.notNull())
      .addColumn('cum_other_fen', money, (c) => c.notNull())
      .addColumn('cum_tax_fen', money, (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('payroll_tax_openings_worker_year_uq', ['worker_id', 'year'])
      .execute();
    // Lists per org and year in scope.
    await db.schema
      .createIndex('payroll_tax_openings_year_org_idx')
      .on('payroll_tax_openings')
      .columns(['year', 'org_code', 'worker_id'])
      .execute();
  },
};
