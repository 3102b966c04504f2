import { bigType, codeType, type ShegongMigration } from './helpers.ts';

/**
 * Open-mode ballots: a persisted count of ballots per client IP and community, so that dropping the
 * device cookie (or restarting the server, which forgot the in-memory rate limit) does not let one
 * phone vote again without end. Only an HMAC of the IP is stored (keyed per cycle, never the address),
 * and the row carries no ballot id or time: it cannot link a ballot to a network.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('assessment_ballot_ip_counts')
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('community_code', codeType(dialect), (c) => c.notNull())
      .addColumn('ip_hash', 'text', (c) => c.notNull())
      .addColumn('ballots', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_ballot_ip_counts_pk', ['cycle_id', 'community_code', 'ip_hash'])
      .execute();
  },
};
