import { sql } from 'kysely';
import { nameInitials } from '../../lib/pinyin.ts';
import type { ShegongMigration } from './helpers.ts';

/** Pinyin initials of worker names (`zs` finds 张三), filled for existing rows. */
export const migration: ShegongMigration = {
  async up(db) {
    await db.schema.alterTable('workers').addColumn('name_initials', 'text').execute();
    let lastId = 0;
    for (;;) {
      const rows = (await db.selectFrom('workers').select(['id', 'name']).where('id', '>', lastId).orderBy('id').limit(1000).execute()) as {
        id: number;
        name: string;
      }[];
      if (rows.length === 0) break;
      // One statement per batch (not per row): VALUES columns are column1, column2 on both engines.
      const values = rows.map((r) => sql`(cast(${r.id} as bigint), ${nameInitials(r.name)})`);
      await sql`update workers set name_initials = v.column2
        from (values ${sql.join(values)}) as v
        where workers.id = v.column1`.execute(db);
      lastId = Number(rows[rows.length - 1]!.id);
    }
    await db.schema.createIndex('workers_initials_idx').on('workers').column('name_initials').execute();
  },
};
