import { sql } from 'kysely';
import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/** Text columns added to `workers` for the full record (all nullable: filled as data arrives). */
const WORKER_COLUMNS = [
  'former_name',
  'ethnicity',
  'party_join_date',
  'education_mode',
  'school',
  'major',
  'address',
  'hukou',
  'emergency_contact_name',
  'emergency_contact_phone_enc',
  'emergency_contact_phone_masked',
  /** JSON array of post codes (一肩挑 holds several); null means just `post`. */
  'posts',
  'join_community_date',
  'qualification_level',
  'certificate_no',
  'certificate_date',
  'probation_end_date',
  /** The date the current status took effect, and why. */
  'status_date',
  'status_reason',
  'leave_type',
  'leave_end_date',
  'exit_reason',
  'exit_date',
] as const;

/**
 * The worker registry: the full record, lifecycle fields, placement history (worker_assignments)
 * and the per-worker change history (worker_history, masked values only). Every existing worker
 * gets one open assignment in its current org.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    for (const column of WORKER_COLUMNS) {
      await db.schema.alterTable('workers').addColumn(column, 'text').execute();
    }

    await db.schema
      .createTable('worker_assignments')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id').onDelete('cascade'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('to_date', 'text')
      .addColumn('reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('worker_assignments_worker_idx').on('worker_assignments').columns(['worker_id', 'from_date']).execute();
    await sql`insert into worker_assignments (worker_id, org_code, from_date, created_at)
      select id, org_code, coalesce(work_start_date, substr(created_at, 1, 10)), created_at from workers`.execute(db);

    await db.schema
      .createTable('worker_history')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id').onDelete('cascade'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('ts', 'text', (c) => c.notNull())
      .addColumn('actor_id', bigType(dialect))
      .addColumn('actor_name', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('old_value', 'text')
      .addColumn('new_value', 'text')
      .execute();
    await db.schema.createIndex('worker_history_worker_idx').on('worker_history').columns(['worker_id', 'id']).execute();
  },
};
