import { codeType, idType, bigType, type ShegongMigration } from './helpers.ts';

/** Staffing standards (配备标准) per region, versioned by effective date. */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('staffing_standards')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('per_10k', 'integer', (c) => c.notNull())
      .addColumn('community_cap', 'integer')
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .execute();
    await db.schema.createIndex('staffing_standards_org_idx').on('staffing_standards').columns(['org_code', 'effective_from']).execute();
  },
};
