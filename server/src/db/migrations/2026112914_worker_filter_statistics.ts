import { sql } from 'kysely';
import type { ShegongMigration } from './helpers.ts';

/**
 * PostgreSQL only: statistics on filter columns that are used together. Without them the planner
 * assumes political status and education are independent, expects thousands of matches for a pair
 * that matches nobody, and walks a province's (org_code, id) index to the end looking for twenty
 * rows. With the pairs' most common values it knows the combination is rare and seeks by the
 * (political_status, education, org_code, id) index. SQLite's planner needs nothing extra here.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    await sql`create statistics workers_political_education_stats (mcv, dependencies) on political_status, education from workers`.execute(
      db,
    );
    await sql`create statistics workers_post_status_stats (mcv, dependencies) on post, status from workers`.execute(db);
  },
};
