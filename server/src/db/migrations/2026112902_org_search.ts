import { sql } from 'kysely';
import type { ShegongMigration } from './helpers.ts';

/**
 * Org name search at national scale (665k nodes), on both databases and with no extension.
 *
 * Every name is indexed by its terms: its bigrams (two adjacent characters) plus its anchored
 * first character `^<c>`, so "contains 北山街道" looks up 北山, 山街 and 街道 and "starts with
 * 西湖" looks up ^西 and 西湖 (the repository then checks the name itself):
 *
 * - PostgreSQL: a GIN index on the stored generated column `orgs.name_grams` (= `org_name_grams(name)`),
 *   kept current by the database itself, and a `(level, code)` index to walk one level of a subtree
 *   in code order, stopping at the page size (the planner's choice for common terms).
 * - SQLite: a contentless FTS5 table `org_name_grams` whose rowid is the numeric code, so rowid
 *   order is (level, code) order and one level of a subtree is one rowid range; the org
 *   repository keeps it in step with `orgs.name` (import, rename, upsert).
 *
 * Both replace the plain name index, which could neither find substrings nor return the first
 * page of a common prefix without sorting every match.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema.dropIndex('orgs_name_idx').execute();
    if (dialect === 'postgres') {
      // plpgsql caches its plan: far cheaper per row than a set-returning SQL function.
      await sql`create function org_name_grams(name text) returns text[] language plpgsql immutable strict parallel safe as $$
        declare
          grams text[] := array['^' || left(name, 1)];
        begin
          for i in 1 .. char_length(name) - 1 loop
            grams := grams || substr(name, i, 2);
          end loop;
          return grams;
        end $$`.execute(db);
      // Stored, so a filter on it costs an array lookup rather than a function call per row.
      await sql`alter table orgs add column name_grams text[] generated always as (org_name_grams(name)) stored`.execute(db);
      await sql`create index orgs_name_grams_idx on orgs using gin (name_grams)`.execute(db);
      await db.schema.createIndex('orgs_level_code_idx').on('orgs').columns(['level', 'code']).execute();
    } else {
      // One document per org, its terms separated by spaces; '^' is made a token character.
      await sql`create virtual table org_name_grams using fts5(
        grams, content = '', contentless_delete = 1, detail = none, tokenize = "unicode61 tokenchars '^'")`.execute(db);
      await sql`with recursive pos(n) as (select 1 union all select n + 1 from pos where n < 200)
        insert into org_name_grams (rowid, grams)
        select cast(o.code as integer),
          '^' || substr(o.name, 1, 1) || ' ' ||
          coalesce((select group_concat(substr(o.name, pos.n, 2), ' ') from pos where pos.n < length(o.name)), '')
        from orgs o
        where o.level > 0`.execute(db);
    }
  },
};
