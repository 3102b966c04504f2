import { nameInitials } from '../../lib/pinyin.ts';
import type { ShegongMigration } from './helpers.ts';

/** Pinyin initials of worker names (`zs` finds 张三), filled for existing rows. */
export const migration: ShegongMigration = {
  async up(db) {
    await db.schema.alterTable('workers').addColumn('name_initials', 'text').execute();
    let lastId = 0;
    for (;;) {
      const rows = (await db.selectFrom('workers').select(['id', 'name']).where('id', '>', lastId).orderBy('id').limit(5000).execute()) as {
        id: number;
        name: string;
      }[];
      if (rows.length === 0) break;
      for (const r of rows) {
        await db
          .updateTable('workers')
          .set({ name_initials: nameInitials(r.name) })
          .where('id', '=', r.id)
          .execute();
      }
      lastId = Number(rows[rows.length - 1]!.id);
    }
    await db.schema.createIndex('workers_initials_idx').on('workers').column('name_initials').execute();
  },
};
