import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabase } from '../../test/databases.ts';
import { openDatabase, type Db } from './database.ts';
import { migrateTo, migrateToLatest } from './migrate.ts';

describeEachDatabase('migrations on existing data', (kind) => {
  let target: TestDatabase;
  let db: Db;
  afterEach(async () => {
    await db?.close();
    await target?.drop();
  });

  it('2026112906 fills the pinyin initials of workers already on the roll', async () => {
    target = await createTestDatabaseUrl(kind);
    db = openDatabase({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
    await migrateTo(db, '2026112905_staffing_standards');
    const now = new Date().toISOString();
    await db.kysely
      .insertInto('orgs')
      .values({
        code: '33',
        parent_code: null,
        level: 1,
        name: '浙江省',
        population: null,
        households: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const names = ['张三', '欧阳娜娜', '单雄信'];
    for (const [i, name] of names.entries()) {
      await sql`insert into workers (name, id_number_enc, id_number_hash, id_number_masked, gender, birth_date, org_code, post, status, created_at, updated_at)
        values (${name}, 'x', ${`h${i}`}, 'm', 'F', '1990-01-01', '33', 'grid_worker', 'active', ${now}, ${now})`.execute(db.kysely);
    }
    const { applied } = await migrateToLatest(db);
    expect(applied).toContain('2026112906_worker_search');
    const rows = await db.kysely.selectFrom('workers').select(['name', 'name_initials']).orderBy('id').execute();
    expect(rows.map((r) => r.name_initials)).toEqual(['zs', 'oynn', 'sxx']);
    expect((await migrateToLatest(db)).applied).toEqual([]);
  });
});
