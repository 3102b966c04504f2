import { sql } from 'kysely';
import type { ShegongMigration } from './helpers.ts';

/**
 * Covering indexes for the payroll run's two per-worker reads, so a chunk of workers is answered from
 * index pages instead of one table row per worker:
 * - the current grade (band, level, scheme) by worker: a partial index, read with `is_current = 1`
 *   written as a literal so that SQLite can match the index's condition;
 * - the last assessment result up to a year by worker.
 * On 1,000,000 workers (SQLite) they took the run's reads from 6.5 s to 2.7 s. They also serve the
 * grading runs, which read the same columns.
 */
export const migration: ShegongMigration = {
  async up(db) {
    await sql`create index worker_grades_current_cover_idx on worker_grades (worker_id, band, level, scheme_id) where is_current = 1`.execute(
      db,
    );
    await db.schema
      .createIndex('assessment_results_worker_year_result_idx')
      .on('assessment_results')
      .columns(['worker_id', 'year', 'result'])
      .execute();
  },
};
