import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Spreadsheet imports as background jobs. A job holds the upload's facts, its progress and its
 * counts; `import_issues` holds row-level errors and warnings (a file may have 100k of them, so
 * not a JSON column); `worker_import_rows` is the staging area a dry run fills with validated,
 * already encrypted rows, so a commit does not read or validate the file a second time.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('import_jobs')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('created_by', bigType(dialect), (c) => c.references('users.id'))
      .addColumn('created_by_name', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('phase', 'text')
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_size', bigType(dialect), (c) => c.notNull())
      .addColumn('file_sha256', 'text', (c) => c.notNull())
      .addColumn('file_kind', 'text')
      .addColumn('stored_path', 'text')
      .addColumn('sheets', 'text')
      .addColumn('sheet_name', 'text')
      .addColumn('update_existing', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('header', 'text')
      .addColumn('progress_done', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('progress_total', bigType(dialect))
      .addColumn('total_rows', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('error_rows', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('error_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('warning_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('create_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('update_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('unchanged_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('skip_count', bigType(dialect), (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('validated_at', 'text')
      .addColumn('committed_at', 'text')
      .execute();
    await db.schema.createIndex('import_jobs_org_idx').on('import_jobs').columns(['org_code', 'created_at']).execute();
    await db.schema.createIndex('import_jobs_status_idx').on('import_jobs').columns(['status']).execute();

    await db.schema
      .createTable('import_issues')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('job_id', bigType(dialect), (c) => c.notNull().references('import_jobs.id'))
      .addColumn('row_number', 'integer', (c) => c.notNull())
      .addColumn('field', 'text')
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('import_issues_job_idx').on('import_issues').columns(['job_id', 'severity', 'row_number']).execute();

    await db.schema
      .createTable('worker_import_rows')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('job_id', bigType(dialect), (c) => c.notNull().references('import_jobs.id'))
      .addColumn('row_number', 'integer', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('worker_id', bigType(dialect))
      .addColumn('id_number_hash', 'text', (c) => c.notNull())
      .addColumn('expected_updated_at', 'text')
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('worker_import_rows_job_idx')
      .on('worker_import_rows')
      .columns(['job_id', 'action', 'row_number'])
      .execute();
  },
};
