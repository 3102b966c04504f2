import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * The disciplinary sanction register (处分登记): one row per sanction decided against a worker, with its
 * kind (SANCTION_KINDS), decision date, influence period (影响期), deciding authority (决定机关) and
 * document number (文号). `org_code` is the worker's org when the sanction was recorded, for scope.
 * A sanction overturned on review is revoked (撤销), never deleted; revoked rows count for nothing.
 *
 * Disciplinary records are personal information (PIPL): the free-text reasons are stored encrypted.
 * Exit runs and assessment computations read in-force sanctions by worker and decision date.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('worker_sanctions')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('decided_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text')
      .addColumn('authority', 'text', (c) => c.notNull())
      .addColumn('document_no', 'text')
      .addColumn('reason_enc', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('revoked_reason_enc', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_by', bigType(dialect))
      .addColumn('recorded_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('worker_sanctions_worker_idx').on('worker_sanctions').columns(['worker_id', 'decided_on']).execute();
    await db.schema.createIndex('worker_sanctions_org_idx').on('worker_sanctions').columns(['org_code', 'decided_on']).execute();
  },
};
