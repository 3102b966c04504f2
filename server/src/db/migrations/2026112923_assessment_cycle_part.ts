import type { ShegongMigration } from './helpers.ts';

/**
 * Half-year and quarterly assessment cycles get their part of the year (1–2 or 1–4; null for an
 * annual cycle), so that two cycles of one year are told apart, the sanction veto counts the
 * decisions of that part only, and only an annual cycle writes the year's result.
 */
export const migration: ShegongMigration = {
  async up(db) {
    await db.schema.alterTable('assessment_cycles').addColumn('part', 'integer').execute();
  },
};
