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

  it('2026112921 keeps existing slips, their ids, amounts and final rules, behind the payslips view', async () => {
    target = await createTestDatabaseUrl(kind);
    db = openDatabase({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
    await migrateTo(db, '2026112920_assessment_honours');
    const now = new Date().toISOString();
    const k = db.kysely;
    await sql`insert into orgs (code, parent_code, level, name, created_at, updated_at) values ('33', null, 1, '浙江省', ${now}, ${now})`.execute(
      k,
    );
    for (const i of [1, 2]) {
      await sql`insert into workers (name, id_number_enc, id_number_hash, id_number_masked, gender, birth_date, org_code, post, status, created_at, updated_at)
        values (${`职工${i}`}, 'x', ${`h${i}`}, 'm', 'F', '1990-01-01', '33', 'grid_worker', 'active', ${now}, ${now})`.execute(k);
    }
    const workers = (await sql<{ id: number }>`select id from workers order by id`.execute(k)).rows.map((r) => Number(r.id));
    await sql`insert into payroll_runs (org_code, month, status, created_at, updated_at, computed_at) values ('33', '2026-10', 'approved', ${now}, ${now}, ${now})`.execute(
      k,
    );
    await sql`insert into payroll_runs (org_code, month, status, created_at, updated_at) values ('33', '2026-11', 'computed', ${now}, ${now})`.execute(
      k,
    );
    const runs = (await sql<{ id: number }>`select id from payroll_runs order by id`.execute(k)).rows.map((r) => Number(r.id));
    await sql`insert into payslip_line_sets (hash, lines) values ('L1', '[]')`.execute(k);
    const slip = (id: number, run: number, worker: number, month: string, final: number, net: number) =>
      sql`insert into payslips (id, run_id, worker_id, org_code, month, is_final, band, level, lines_hash, gross_fen, employee_insurance_fen,
          employer_insurance_fen, tax_fen, net_fen, pay_table_ref, insurance_rule_ref, tax_rule_ref, tax_months, cum_gross_fen,
          cum_tax_free_fen, cum_insurance_fen, cum_special_fen, cum_other_fen, cum_tax_fen, created_at)
        values (${id}, ${run}, ${worker}, '33', ${month}, ${final}, 'staff', 3, 'L1', 500000, 50000, 150000, 1500, ${net}, 'pt', 'ir', 'tr',
          10, 5000000, 0, 500000, 0, 0, 15000, ${now})`.execute(k);
    await slip(41, runs[0]!, workers[0]!, '2026-10', 1, 448500);
    await slip(42, runs[1]!, workers[1]!, '2026-11', 0, 448000);
    const { applied } = await migrateToLatest(db);
    expect(applied).toContain('2026112921_payslip_classes');

    const rows = await k
      .selectFrom('payslips')
      .select(['id', 'worker_id', 'is_final', 'net_fen', 'cum_tax_fen', 'lines_hash', 'created_at'])
      .orderBy('id')
      .execute();
    expect(
      rows.map((r) => [Number(r.id), Number(r.worker_id), Number(r.is_final), Number(r.net_fen), Number(r.cum_tax_fen), r.lines_hash]),
    ).toEqual([
      [41, workers[0], 1, 448500, 15000, 'L1'],
      [42, workers[1], 0, 448000, 15000, 'L1'],
    ]);
    expect(rows[0]!.created_at).toBe(now);
    // The final slip stays immutable and unique per worker and month; the draft one can go.
    await expect(k.deleteFrom('payslip_entries').where('id', '=', 41).execute()).rejects.toThrow(/immutable/);
    await expect(
      sql`insert into payslip_entries (run_id, worker_id, org_code, month, is_final, class_id) values (${runs[1]!}, ${workers[0]!}, '33', '2026-10', 1, 1)`.execute(
        k,
      ),
    ).rejects.toThrow();
    // New entries continue after the kept ids; the draft slip can still be deleted.
    await sql`insert into payslip_entries (run_id, worker_id, org_code, month, class_id) values (${runs[1]!}, ${workers[0]!}, '33', '2026-11', 1)`.execute(
      k,
    );
    const fresh = await k
      .selectFrom('payslip_entries')
      .select('id')
      .where('run_id', '=', runs[1]!)
      .where('worker_id', '=', workers[0]!)
      .executeTakeFirstOrThrow();
    await k.deleteFrom('payslip_entries').where('id', '=', 42).execute();
    expect(Number(fresh.id)).toBeGreaterThan(42);
  });
});
