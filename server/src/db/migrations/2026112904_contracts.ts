import { sql } from 'kysely';
import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Labour contracts (劳动合同) and social insurance / housing fund enrolments (五险一金).
 *
 * `org_code` on both tables is the worker's org when the row was written: with the end date it
 * serves "contracts ending between two dates in a subtree" from one index range. The partial
 * unique index keeps one active contract per worker even under concurrent signing.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('labour_contracts')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('contract_type', 'text', (c) => c.notNull())
      .addColumn('party_name', 'text', (c) => c.notNull())
      .addColumn('contract_no', 'text')
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text')
      .addColumn('probation_end_date', 'text')
      .addColumn('signed_date', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('renewal_of', bigType(dialect), (c) => c.references('labour_contracts.id'))
      .addColumn('terminated_date', 'text')
      .addColumn('termination_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('labour_contracts_org_end_idx').on('labour_contracts').columns(['org_code', 'end_date']).execute();
    await db.schema
      .createIndex('labour_contracts_org_probation_idx')
      .on('labour_contracts')
      .columns(['org_code', 'probation_end_date'])
      .execute();
    await db.schema.createIndex('labour_contracts_worker_idx').on('labour_contracts').columns(['worker_id', 'start_date']).execute();
    await sql`create unique index labour_contracts_one_active_idx on labour_contracts (worker_id) where status = 'active'`.execute(db);

    await db.schema
      .createTable('social_insurance_enrolments')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('contribution_base_fen', bigType(dialect), (c) => c.notNull())
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('social_insurance_worker_idx')
      .on('social_insurance_enrolments')
      .columns(['worker_id', 'kind', 'start_date'])
      .execute();
    await db.schema.createIndex('social_insurance_org_idx').on('social_insurance_enrolments').columns(['org_code', 'worker_id']).execute();
  },
};
