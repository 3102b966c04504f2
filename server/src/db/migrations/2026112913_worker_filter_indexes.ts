import type { ShegongMigration } from './helpers.ts';

/**
 * Indexes led by the list's common equality filters and then (org_code, id), the list's order.
 * With them a filtered page at province scale seeks straight to its first twenty rows in order,
 * instead of walking the province's (org_code, id) index and testing each row, which reads every
 * row of a province when the filter matches few people or none.
 */
export const migration: ShegongMigration = {
  async up(db) {
    const indexes: [string, string[]][] = [
      ['workers_status_org_idx', ['status', 'org_code', 'id']],
      ['workers_post_status_org_idx', ['post', 'status', 'org_code', 'id']],
      ['workers_education_org_idx', ['education', 'org_code', 'id']],
      ['workers_political_education_org_idx', ['political_status', 'education', 'org_code', 'id']],
    ];
    for (const [name, columns] of indexes) await db.schema.createIndex(name).on('workers').columns(columns).execute();
  },
};
