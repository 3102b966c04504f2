import type { ShegongMigration } from './helpers.ts';

/**
 * A payroll run remembers a fingerprint of the month's pay inputs (count, amounts, ids) in its
 * subtree when its computation starts; approval refuses a run whose inputs changed since, so an
 * allowance entered after the compute is never silently left out of an approved month.
 */
export const migration: ShegongMigration = {
  async up(db) {
    await db.schema.alterTable('payroll_runs').addColumn('inputs_fingerprint', 'text').execute();
  },
};
