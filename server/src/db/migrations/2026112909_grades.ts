import { sql } from 'kysely';
import { DEFAULT_GRADE_SCHEME } from '../../modules/grades/rules/grade-scheme.ts';
import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Job grades (岗位等级序列): grade schemes as versioned rule sets per region, each worker's grade
 * history (one current row per worker, guarded by a partial unique index), annual assessment
 * results per worker and year, and grading / promotion runs with their per-worker preview items.
 *
 * `org_code` on worker rows is the worker's org when the row was written, for scope. Payroll reads
 * `worker_grades where is_current = 1` and the latest `assessment_results` row of a worker.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('grade_schemes')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('region_code', codeType(dialect), (c) => c.notNull())
      .addColumn('scheme_key', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('grade_schemes_region_key_from_uq', ['region_code', 'scheme_key', 'effective_from'])
      .execute();
    await db.schema.createIndex('grade_schemes_region_from_idx').on('grade_schemes').columns(['region_code', 'effective_from']).execute();
    // The national default (三岗十八级), so every worker has a scheme in force from the start.
    await db
      .insertInto('grade_schemes')
      .values({
        region_code: 'CN',
        scheme_key: DEFAULT_GRADE_SCHEME.key,
        effective_from: '2024-01-01',
        rules: JSON.stringify(DEFAULT_GRADE_SCHEME),
        created_by: null,
        created_at: new Date().toISOString(),
      })
      .execute();

    await db.schema
      .createTable('grade_runs')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('run_year', 'integer')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('counts', 'text', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .addColumn('approved_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('approved_at', 'text')
      .addColumn('applied_at', 'text')
      .execute();
    await db.schema.createIndex('grade_runs_org_idx').on('grade_runs').columns(['org_code', 'created_at']).execute();

    await db.schema
      .createTable('grade_run_items')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('run_id', bigType(dialect), (c) => c.notNull().references('grade_runs.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('from_band', 'text')
      .addColumn('from_level', 'integer')
      .addColumn('to_band', 'text')
      .addColumn('to_level', 'integer')
      .addColumn('change', 'text', (c) => c.notNull())
      .addColumn('explanation', 'text')
      .addColumn('error', 'text')
      .addUniqueConstraint('grade_run_items_run_worker_uq', ['run_id', 'worker_id'])
      .execute();
    await db.schema.createIndex('grade_run_items_run_change_idx').on('grade_run_items').columns(['run_id', 'change']).execute();

    await db.schema
      .createTable('worker_grades')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('scheme_id', bigType(dialect), (c) => c.notNull())
      .addColumn('band', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('effective_date', 'text', (c) => c.notNull())
      .addColumn('last_step_date', 'text', (c) => c.notNull())
      .addColumn('early_steps_used', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('run_id', bigType(dialect))
      .addColumn('explanation', 'text', (c) => c.notNull())
      .addColumn('is_current', 'integer', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create unique index worker_grades_one_current_idx on worker_grades (worker_id) where is_current = 1`.execute(db);
    await db.schema.createIndex('worker_grades_org_current_idx').on('worker_grades').columns(['org_code', 'is_current']).execute();
    await db.schema.createIndex('worker_grades_worker_idx').on('worker_grades').columns(['worker_id', 'effective_date']).execute();

    await db.schema
      .createTable('assessment_results')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('cycle_id', bigType(dialect))
      .addColumn('note', 'text')
      .addColumn('recorded_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('assessment_results_worker_year_uq', ['worker_id', 'year'])
      .execute();
    await db.schema.createIndex('assessment_results_org_year_idx').on('assessment_results').columns(['org_code', 'year']).execute();
  },
};
