import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Honours lists (表彰名单): a region or street, once a cycle's results are final, issues a decision
 * (title, document number, date) commending the workers rated 优秀 in its subtree. The members are
 * a snapshot: a later appeal does not rewrite an issued decision.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('assessment_honours')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('document_no', 'text')
      .addColumn('decided_on', 'text', (c) => c.notNull())
      .addColumn('member_count', 'integer', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_by_name', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('assessment_honours_cycle_org_uq', ['cycle_id', 'org_code'])
      .execute();
    await db.schema.createIndex('assessment_honours_org_idx').on('assessment_honours').columns(['org_code', 'id']).execute();
    await db.schema
      .createTable('assessment_honour_members')
      .addColumn('honour_id', bigType(dialect), (c) => c.notNull().references('assessment_honours.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('worker_name', 'text', (c) => c.notNull())
      .addColumn('total', 'integer')
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_honour_members_pk', ['honour_id', 'worker_id'])
      .execute();
    await db.schema.createIndex('assessment_honour_members_worker_idx').on('assessment_honour_members').columns(['worker_id']).execute();
  },
};
