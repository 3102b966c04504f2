import { sql } from 'kysely';
import type { ShegongMigration } from './helpers.ts';

/**
 * Indexes for the worker list's name and pinyin searches (`q=王`, `q=zw`) that answer them from the
 * index alone. The old one-column indexes found the names but then read a table row per match to
 * test the org scope: a province's count for a common surname read 10,000 rows (150 ms on
 * PostgreSQL with a million workers, 5 ms now). With org_code and id in the index, the count and
 * the page's ids (see `findWorkers`) come from index entries.
 *
 * PostgreSQL uses a plain btree for `LIKE '王%'` only when the column's collation is C. Our own
 * clusters are created with locale C, but a database created by a DBA usually has zh_CN.UTF-8 or
 * en_US.UTF-8. Such a database also gets the name index with `text_pattern_ops`, which serves
 * prefix LIKE in any collation; the plain one stays for sorting by name. Initials (latin letters,
 * never sorted) get only the pattern index on PostgreSQL.
 */
export const migration: ShegongMigration = {
  async up(db, dialect) {
    await db.schema.dropIndex('workers_name_idx').execute();
    await db.schema.dropIndex('workers_initials_idx').execute();
    if (dialect === 'sqlite') {
      // The rowid (id) is in every SQLite index already.
      await db.schema.createIndex('workers_name_org_idx').on('workers').columns(['name', 'org_code']).execute();
      await db.schema.createIndex('workers_initials_org_idx').on('workers').columns(['name_initials', 'org_code']).execute();
      return;
    }
    await db.schema.createIndex('workers_name_org_idx').on('workers').columns(['name', 'org_code', 'id']).execute();
    await sql`create index workers_initials_org_idx on workers (name_initials text_pattern_ops, org_code, id)`.execute(db);
    if (!(await hasCCollation(db))) {
      await sql`create index workers_name_pattern_idx on workers (name text_pattern_ops, org_code, id)`.execute(db);
    }
  },
};

/** Whether the database's default collation is C/POSIX from libc (where LIKE can use a plain btree). */
async function hasCCollation(db: Parameters<ShegongMigration['up']>[0]): Promise<boolean> {
  // to_jsonb: datlocprovider exists from PostgreSQL 15 on (ICU databases are never C).
  const r = await sql<{ collate: string; provider: string | null }>`
    select d.datcollate as collate, to_jsonb(d) ->> 'datlocprovider' as provider
    from pg_database d where d.datname = current_database()`.execute(db);
  const row = r.rows[0];
  return !!row && (row.provider === null || row.provider === 'c') && (row.collate === 'C' || row.collate === 'POSIX');
}
