import { bigType, codeType, type ShegongMigration } from './helpers.ts';

/**
 * Resumable grade runs: a preview is computed and an approval applied in committed chunks, each
 * chunk storing where it stopped. A run left `computing` or `applying` by a stopped process is
 * resumed from that point at start-up (`recoverGradeRuns`); `error` keeps why a run stopped.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema.alterTable('grade_runs').addColumn('cursor_org_code', codeType(dialect)).execute();
    await db.schema.alterTable('grade_runs').addColumn('cursor_worker_id', bigType(dialect)).execute();
    await db.schema.alterTable('grade_runs').addColumn('error', 'text').execute();
  },
};
