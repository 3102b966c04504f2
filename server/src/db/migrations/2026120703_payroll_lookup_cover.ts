import { sql } from 'kysely';
import type { ShegongMigration } from './helpers.ts';

/**
 * Covering indexes for the payroll run's two per-worker lookups that find a row in a month after
 * the first: the pension enrolment covering the month (its base) and the latest final slip of the
 * year (its outcome). Read from the index alone, each is one b-tree search per worker instead of
 * two; at 1,000,000 workers on SQLite with an enrolment and an approved October each, 0.97 s → 0.49 s
 * (base) and 0.77 s → 0.49 s (prior month).
 * - The enrolment index gains the columns the lookup reads after its prefix (same prefix, so every
 *   other reader keeps it).
 * - Final slips get a second partial index that carries the outcome; the unique one on
 *   (worker, month) stays, as the rule that a worker has one final slip a month.
 */
export const migration: ShegongMigration = {
  async up(db) {
    await db.schema.dropIndex('social_insurance_worker_idx').execute();
    await db.schema
      .createIndex('social_insurance_worker_idx')
      .on('social_insurance_enrolments')
      .columns(['worker_id', 'kind', 'start_date', 'id', 'end_date', 'contribution_base_fen'])
      .execute();
    // SQLite picks a partial index only for a query that compares is_final with the literal 1.
    await sql`create index payslip_entries_final_cover_idx on payslip_entries (worker_id, month, class_id) where is_final = 1`.execute(db);
  },
};
