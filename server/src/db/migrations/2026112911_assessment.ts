import { sql } from 'kysely';
import { bigType, codeType, idType, type ShegongMigration } from './helpers.ts';

/**
 * Assessment cycles (考核评议) with residents' satisfaction ballots (居民满意度测评), and exit cases (退出机制).
 *
 * Anonymity of ballots: `assessment_ballot_codes` holds only a code's hash and its used flag, and
 * `assessment_ballot_devices` only a device cookie's hash; neither carries a ballot id or a time, and a
 * ballot keeps only the hour it was cast, so nothing stored links a ballot to a code holder or a device.
 * Final results are written to `assessment_results` (grades migration) with source 'cycle'.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('assessment_cycles')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull().references('orgs.code'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('sheet_raters', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('publicity_days', 'integer', (c) => c.notNull())
      .addColumn('publicity_until', 'text')
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text')
      .addColumn('finalised_at', 'text')
      .execute();
    await db.schema.createIndex('assessment_cycles_org_idx').on('assessment_cycles').columns(['org_code', 'year']).execute();

    await db.schema
      .createTable('assessment_participants')
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('worker_name', 'text', (c) => c.notNull())
      .addColumn('post', 'text', (c) => c.notNull())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('street_code', codeType(dialect), (c) => c.notNull())
      .addColumn('vetoes', 'text', (c) => c.notNull())
      .addColumn('decided_total', 'integer')
      .addColumn('note', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_participants_pk', ['cycle_id', 'worker_id'])
      .execute();
    await db.schema
      .createIndex('assessment_participants_org_idx')
      .on('assessment_participants')
      .columns(['cycle_id', 'org_code'])
      .execute();

    await db.schema
      .createTable('assessment_communities')
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('community_code', codeType(dialect), (c) => c.notNull())
      .addColumn('street_code', codeType(dialect), (c) => c.notNull())
      .addColumn('ballot_mode', 'text', (c) => c.notNull())
      .addColumn('ballot_status', 'text', (c) => c.notNull())
      .addColumn('link_token', 'text', (c) => c.unique())
      .addColumn('codes_issued', 'integer', (c) => c.notNull())
      .addColumn('opened_at', 'text')
      .addColumn('closed_at', 'text')
      .addPrimaryKeyConstraint('assessment_communities_pk', ['cycle_id', 'community_code'])
      .execute();

    await db.schema
      .createTable('assessment_approvals')
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('approved_by', bigType(dialect))
      .addColumn('approved_by_name', 'text')
      .addColumn('approved_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_approvals_pk', ['cycle_id', 'org_code'])
      .execute();

    await db.schema
      .createTable('assessment_sheets')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('group_key', 'text', (c) => c.notNull())
      .addColumn('rater_key', 'text', (c) => c.notNull())
      .addColumn('rater_user_id', bigType(dialect))
      .addColumn('scores', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('assessment_sheets_uq', ['cycle_id', 'worker_id', 'group_key', 'rater_key'])
      .execute();

    await db.schema
      .createTable('assessment_ballot_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('community_code', codeType(dialect), (c) => c.notNull())
      .addColumn('used', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('assessment_ballot_codes_community_idx')
      .on('assessment_ballot_codes')
      .columns(['cycle_id', 'community_code', 'used'])
      .execute();

    await db.schema
      .createTable('assessment_ballot_devices')
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_ballot_devices_pk', ['cycle_id', 'token_hash'])
      .execute();

    await db.schema
      .createTable('assessment_ballots')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('community_code', codeType(dialect), (c) => c.notNull())
      .addColumn('voter_kind', 'text', (c) => c.notNull())
      .addColumn('cast_hour', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      .execute();
    await db.schema
      .createIndex('assessment_ballots_community_idx')
      .on('assessment_ballots')
      .columns(['cycle_id', 'community_code', 'voter_kind'])
      .execute();

    await db.schema
      .createTable('assessment_ballot_ratings')
      .addColumn('ballot_id', bigType(dialect), (c) => c.notNull().references('assessment_ballots.id'))
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull())
      .addColumn('choice', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_ballot_ratings_pk', ['ballot_id', 'worker_id'])
      .execute();
    await db.schema
      .createIndex('assessment_ballot_ratings_worker_idx')
      .on('assessment_ballot_ratings')
      .columns(['cycle_id', 'worker_id', 'choice'])
      .execute();

    await db.schema
      .createTable('assessment_cycle_results')
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('street_code', codeType(dialect), (c) => c.notNull())
      .addColumn('groups', 'text', (c) => c.notNull())
      .addColumn('flags', 'text', (c) => c.notNull())
      .addColumn('total', 'integer')
      .addColumn('band', 'text')
      .addColumn('final_result', 'text')
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('explanation', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_cycle_results_pk', ['cycle_id', 'worker_id'])
      .execute();

    await db.schema
      .createTable('assessment_appeals')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('cycle_id', bigType(dialect), (c) => c.notNull().references('assessment_cycles.id'))
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('response', 'text')
      .addColumn('adjusted_result', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', bigType(dialect))
      .execute();
    await db.schema.createIndex('assessment_appeals_cycle_idx').on('assessment_appeals').columns(['cycle_id', 'org_code']).execute();

    await db.schema
      .createTable('exit_rule_sets')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exit_rule_sets_org_idx').on('exit_rule_sets').columns(['org_code', 'effective_from']).execute();

    await db.schema
      .createTable('exit_cases')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('worker_id', bigType(dialect), (c) => c.notNull().references('workers.id'))
      .addColumn('org_code', codeType(dialect), (c) => c.notNull())
      .addColumn('worker_name', 'text', (c) => c.notNull())
      .addColumn('rule_key', 'text', (c) => c.notNull())
      .addColumn('rule_name', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('exit_reason', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('explanation', 'text', (c) => c.notNull())
      .addColumn('also_matched', 'text', (c) => c.notNull())
      .addColumn('handover', 'text', (c) => c.notNull())
      .addColumn('notice_date', 'text')
      .addColumn('handover_date', 'text')
      .addColumn('terminated_date', 'text')
      .addColumn('exited_date', 'text')
      .addColumn('contract_id', bigType(dialect))
      .addColumn('documents', 'text')
      .addColumn('withdrawn_reason', 'text')
      .addColumn('created_by', bigType(dialect))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exit_cases_org_idx').on('exit_cases').columns(['org_code', 'state']).execute();
    // At most one open case per worker (both engines support partial indexes).
    await sql`create unique index exit_cases_open_uq on exit_cases (worker_id) where state not in ('exited', 'withdrawn')`.execute(db);

    await db.schema
      .createTable('exit_case_events')
      .addColumn('id', idType(dialect), (c) => c.primaryKey())
      .addColumn('case_id', bigType(dialect), (c) => c.notNull().references('exit_cases.id'))
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('effective_date', 'text')
      .addColumn('actor_id', bigType(dialect))
      .addColumn('actor_name', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('exit_case_events_case_idx').on('exit_case_events').columns(['case_id']).execute();
  },
};
