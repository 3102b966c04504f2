import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Self-service correction requests (档案更正申请): a worker proposes new values for some fields of
 * their own record; the street office approves (the change is applied to the record) or rejects
 * them with a reason.
 *
 * `org_code` is the worker's org when the request was filed: with the status and the creation time
 * it serves a street's pending queue from one index range. `changes_json` holds the proposed values;
 * phone numbers appear there masked, with the new value encrypted (never plaintext).
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('correction_requests')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('worker_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('changes_json', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('requester_user_id', bigType(dialect), (c) => c.references('users.id'))
      .addColumn('requester_name', 'text')
      .addColumn('reviewer_user_id', bigType(dialect), (c) => c.references('users.id'))
      .addColumn('reviewer_name', 'text')
      .addColumn('review_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('reviewed_at', 'text')
      .execute();
    await db.schema
      .createIndex('correction_requests_org_status_idx')
      .on('correction_requests')
      .columns(['org_code', 'status', 'created_at'])
      .execute();
    await db.schema.createIndex('correction_requests_worker_idx').on('correction_requests').columns(['worker_id', 'created_at']).execute();
  },
};
