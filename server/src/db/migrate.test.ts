import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabase } from '../../test/databases.ts';
import { openDatabase, type Db } from './database.ts';
import { keyedLookups } from '../modules/payroll/payroll.repo.ts';
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

  it('2026112924 answers name and pinyin searches from an index, also in a database whose collation is not C', async () => {
    /** A capped count of the workers in an org range whose column starts with a prefix, as the list takes it. */
    const count = (db: Db, explain: string, column: 'name' | 'name_initials', prefix: string, org: [string, string]) =>
      sql
        .raw<Record<string, unknown>>(
          `${explain} select count(*) from (select 1 from workers
            where org_code >= '${org[0]}' and org_code < '${org[1]}' and ${column} like '${prefix}%' limit 10001) c`,
        )
        .execute(db.kysely);
    const search = (db: Db, explain: string) => count(db, explain, 'name', '王', ['33', '34']);
    const initialsSearch = (db: Db, explain: string) => count(db, explain, 'name_initials', 'zw', ['3301', '3302']);
    const planOf = (r: { rows: Record<string, unknown>[] }) => r.rows.map((row) => Object.values(row).join(' ')).join('\n');
    if (kind === 'sqlite') {
      target = await createTestDatabaseUrl(kind);
      db = openDatabase({ sqliteFile: target.sqliteFile });
      await migrateToLatest(db);
      // The product adds the byte range SQLite needs (see findWorkers); the index then covers the count.
      const plan = planOf(
        await sql
          .raw<Record<string, unknown>>(
            `explain query plan select count(*) from (select 1 from workers
          where org_code >= '33' and org_code < '34' and name >= '王' and name < '王\uffff' and name like '王%' limit 10001) c`,
          )
          .execute(db.kysely),
      );
      expect(plan).toMatch(/USING COVERING INDEX workers_name_org_idx \(name>\? AND name<\?\)/);
      return;
    }
    for (const [collation, index] of [
      ['C', 'workers_name_org_idx'],
      ['C.UTF-8', 'workers_name_pattern_idx'],
    ] as const) {
      target = await createTestDatabaseUrl(kind, { collation });
      db = openDatabase({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
      await migrateToLatest(db);
      const indexes = (
        await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'workers'`.execute(db.kysely)
      ).rows.map((r) => r.indexname);
      expect(indexes.includes('workers_name_pattern_idx'), collation).toBe(collation !== 'C');
      // 20,000 workers in two cities, 1% of them named 王… and 1% with the initials zw.
      const now = new Date().toISOString();
      await sql`insert into orgs (code, parent_code, level, name, created_at, updated_at)
        values ('33', null, 1, '浙江省', ${now}, ${now}), ('3301', '33', 2, '杭州市', ${now}, ${now}), ('3302', '33', 2, '宁波市', ${now}, ${now})`.execute(
        db.kysely,
      );
      await sql`insert into workers (name, name_initials, id_number_enc, id_number_hash, id_number_masked, gender, birth_date, org_code,
          post, status, created_at, updated_at)
        select case when i % 100 = 0 then '王' || i else '李' || i end, case when i % 100 = 2 then 'zw' else 'lx' end, 'x', 'h' || i,
          'm', 'F', '1990-01-01', case when i % 2 = 0 then '3301' else '3302' end, 'grid_worker', 'active', ${now}, ${now}
        from generate_series(1, 20000) i`.execute(db.kysely);
      await sql`vacuum analyze workers`.execute(db.kysely);
      const plan = planOf(await search(db, 'explain'));
      // The prefix is an index condition, not a filter tested on every row of the scope.
      expect(plan, collation).toMatch(new RegExp(`(Index Only Scan using|Bitmap Index Scan on) ${index}`));
      expect(plan, collation).toMatch(/Index Cond: \(\(name (~>=~|>=) '王'::text\)/);
      const initials = planOf(await initialsSearch(db, 'explain'));
      expect(initials, collation).toMatch(/(Index Only Scan using|Bitmap Index Scan on) workers_initials_org_idx/);
      expect(initials, collation).toMatch(/Index Cond: \(\(name_initials ~>=~ 'zw'::text\)/);
      expect(Number((await search(db, '')).rows[0]!.count)).toBe(200);
      await db.close();
      await target.drop();
    }
  });

  it("2026120703 lets a payroll run read the month's enrolment base and the prior final slip from an index alone", async () => {
    target = await createTestDatabaseUrl(kind);
    db = openDatabase({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
    await migrateToLatest(db);
    // The keyed insert's two lookups, for worker 1 in November 2026.
    const { baseFallback: base, priorFallback: prior } = keyedLookups({
      month: '2026-11',
      monthStart: '2026-11-01',
      monthEnd: '2026-11-30',
    });
    if (kind === 'sqlite') {
      const plan = async (lookup: typeof base) =>
        (await sql<{ detail: string }>`explain query plan select ${lookup} from workers w where w.id = 1`.execute(db.kysely)).rows
          .map((r) => r.detail)
          .join('\n');
      expect(await plan(base)).toMatch(/USING COVERING INDEX social_insurance_worker_idx \(worker_id=\? AND kind=\? AND start_date<\?\)/);
      expect(await plan(prior)).toMatch(/USING COVERING INDEX payslip_entries_final_cover_idx \(worker_id=\? AND month>\? AND month<\?\)/);
    } else {
      const defs = (
        await sql<{ indexdef: string }>`select indexdef from pg_indexes
          where indexname in ('social_insurance_worker_idx', 'payslip_entries_final_cover_idx') order by indexname`.execute(db.kysely)
      ).rows.map((r) => r.indexdef);
      expect(defs).toEqual([
        expect.stringMatching(/\(worker_id, month, class_id\) WHERE \(is_final = 1\)$/),
        expect.stringMatching(/\(worker_id, kind, start_date, id, end_date, contribution_base_fen\)$/),
      ]);
    }
    // The one-final-slip-a-month rule is still there.
    expect(
      (
        await sql<{
          n: number;
        }>`select count(*) as n from ${sql.raw(kind === 'sqlite' ? "sqlite_master where type = 'index' and name" : 'pg_indexes where indexname')} = 'payslip_entries_final_worker_month_uq'`.execute(
          db.kysely,
        )
      ).rows.map((r) => Number(r.n)),
    ).toEqual([1]);
  });

  it("2026120704 keeps each worker's latest pension enrolment and final slip, from the data already there and from every later write", async () => {
    target = await createTestDatabaseUrl(kind);
    db = openDatabase({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
    await migrateTo(db, '2026120703_payroll_lookup_cover');
    const now = new Date().toISOString();
    const k = db.kysely;
    await sql`insert into orgs (code, parent_code, level, name, created_at, updated_at) values ('33', null, 1, '浙江省', ${now}, ${now})`.execute(
      k,
    );
    const addWorker = async (i: number) =>
      Number(
        (
          await sql<{
            id: number;
          }>`insert into workers (name, id_number_enc, id_number_hash, id_number_masked, gender, birth_date, org_code, post, status, created_at, updated_at)
            values (${`职工${i}`}, 'x', ${`h${i}`}, 'm', 'F', '1990-01-01', '33', 'grid_worker', 'active', ${now}, ${now}) returning id`.execute(
            k,
          )
        ).rows[0]!.id,
      );
    for (const i of [1, 2, 3]) await addWorker(i);
    const [w1, w2, w3] = (await sql<{ id: number }>`select id from workers order by id`.execute(k)).rows.map((r) => Number(r.id));
    const enrol = async (worker: number, kind: string, base: number, start: string, end: string | null) =>
      Number(
        (
          await sql<{
            id: number;
          }>`insert into social_insurance_enrolments (worker_id, org_code, kind, contribution_base_fen, start_date, end_date, created_at, updated_at)
            values (${worker}, '33', ${kind}, ${base}, ${start}, ${end}, ${now}, ${now}) returning id`.execute(k)
        ).rows[0]!.id,
      );
    const old2025 = await enrol(w1!, 'pension', 600_000, '2025-01-01', '2025-12-31');
    const current = await enrol(w1!, 'pension', 700_000, '2026-01-01', null);
    await enrol(w1!, 'medical', 1, '2026-03-01', null);
    await enrol(w2!, 'medical', 2, '2026-01-01', null);
    const run = async (month: string) =>
      Number(
        (
          await sql<{
            id: number;
          }>`insert into payroll_runs (org_code, month, status, created_at, updated_at) values ('33', ${month}, 'computed', ${now}, ${now}) returning id`.execute(
            k,
          )
        ).rows[0]!.id,
      );
    const [september, october, november] = [await run('2026-09'), await run('2026-10'), await run('2026-11')];
    await sql`insert into payslip_line_sets (hash, lines) values ('L1', '[]')`.execute(k);
    const klass = async (hash: string) =>
      Number(
        (
          await sql<{
            id: number;
          }>`insert into payslip_classes (hash, band, level, lines_hash, gross_fen, employee_insurance_fen, employer_insurance_fen,
              tax_fen, net_fen, pay_table_ref, insurance_rule_ref, tax_rule_ref, tax_months, cum_gross_fen, cum_tax_free_fen, cum_insurance_fen,
              cum_special_fen, cum_other_fen, cum_tax_fen)
            values (${hash}, 'staff', 3, 'L1', 500000, 0, 0, 0, 500000, 'pt', 'ir', 'tr', 1, 500000, 0, 0, 0, 0, 0) returning id`.execute(k)
        ).rows[0]!.id,
      );
    const [a, b, c] = [await klass('A'), await klass('B'), await klass('C')];
    const entry = (runId: number, worker: number, month: string, final: number, classId: number) =>
      sql`insert into payslip_entries (run_id, worker_id, org_code, month, is_final, class_id)
        values (${runId}, ${worker}, '33', ${month}, ${final}, ${classId})`.execute(k);
    await entry(september, w1!, '2026-09', 1, a);
    await entry(october, w1!, '2026-10', 1, b);
    await entry(september, w2!, '2026-09', 1, a);
    await entry(november, w1!, '2026-11', 0, c);
    await entry(november, w2!, '2026-11', 0, c);

    await migrateToLatest(db);
    const state = async () =>
      (
        await sql<Record<string, unknown>>`select worker_id, pension_start, pension_end, pension_base_fen, final_month, final_class_id
          from payroll_worker_state order by worker_id`.execute(k)
      ).rows.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([key, v]) => [
            key,
            typeof v === 'bigint' || key.endsWith('_id') || key.endsWith('_fen') ? (v === null ? null : Number(v)) : v,
          ]),
        ),
      );
    const row = (worker: number, pension: [string, string | null, number] | null, final: [string, number] | null) => ({
      worker_id: worker,
      pension_start: pension?.[0] ?? null,
      pension_end: pension?.[1] ?? null,
      pension_base_fen: pension?.[2] ?? null,
      final_month: final?.[0] ?? null,
      final_class_id: final?.[1] ?? null,
    });
    // From the data already there: the latest pension enrolment (not the medical one) and final slip.
    expect(await state()).toEqual([row(w1!, ['2026-01-01', null, 700_000], ['2026-10', b]), row(w2!, null, ['2026-09', a])]);

    /** The lookups as the keyed insert reads them, and as they read without the state, for every worker. */
    const lookups = async (month: string, lastDay: string) => {
      const l = keyedLookups({ month, monthStart: `${month}-01`, monthEnd: `${month}-${lastDay}` });
      const rows = (
        await sql<{ base: number; prior: number; base_fallback: number; prior_fallback: number }>`select ${l.base} as base,
            ${l.prior} as prior, ${l.baseFallback} as base_fallback, ${l.priorFallback} as prior_fallback
          from workers w left join payroll_worker_state st on st.worker_id = w.id order by w.id`.execute(k)
      ).rows.map((r) => ({ base: Number(r.base), prior: Number(r.prior) }));
      const fallback = (
        await sql<{
          base: number;
          prior: number;
        }>`select ${l.baseFallback} as base, ${l.priorFallback} as prior from workers w order by w.id`.execute(k)
      ).rows.map((r) => ({ base: Number(r.base), prior: Number(r.prior) }));
      expect(rows).toEqual(fallback);
      return rows;
    };
    expect(await lookups('2026-11', '30')).toEqual([
      { base: 700_000, prior: b * 100 + 10 },
      { base: -1, prior: a * 100 + 9 },
      { base: -1, prior: 0 },
    ]);
    // An earlier month: the enrolment of its time, the final slip before it.
    expect((await lookups('2025-06', '30'))[0]).toEqual({ base: 600_000, prior: 0 });
    expect((await lookups('2026-10', '31'))[0]).toEqual({ base: 700_000, prior: b * 100 + 10 });
    expect((await lookups('2027-01', '31'))[0]).toEqual({ base: 700_000, prior: 0 });

    // Every later write keeps it: an enrolment added, changed, ended, deleted, or no longer a pension.
    await enrol(w3!, 'pension', 800_000, '2026-12-01', null);
    expect((await state())[2]).toEqual(row(w3!, ['2026-12-01', null, 800_000], null));
    expect((await lookups('2026-11', '30'))[2]).toEqual({ base: -1, prior: 0 });
    expect((await lookups('2026-12', '31'))[2]).toEqual({ base: 800_000, prior: 0 });
    await sql`update social_insurance_enrolments set end_date = '2026-06-30', contribution_base_fen = 710000 where id = ${current}`.execute(
      k,
    );
    expect((await state())[0]).toEqual(row(w1!, ['2026-01-01', '2026-06-30', 710_000], ['2026-10', b]));
    expect((await lookups('2026-11', '30'))[0]).toEqual({ base: -1, prior: b * 100 + 10 });
    await sql`delete from social_insurance_enrolments where id = ${current}`.execute(k);
    expect((await state())[0]).toEqual(row(w1!, ['2025-01-01', '2025-12-31', 600_000], ['2026-10', b]));
    // Moved to another worker: both change.
    await sql`update social_insurance_enrolments set worker_id = ${w2!} where id = ${old2025}`.execute(k);
    expect((await state()).slice(0, 2)).toEqual([
      row(w1!, null, ['2026-10', b]),
      row(w2!, ['2025-01-01', '2025-12-31', 600_000], ['2026-09', a]),
    ]);
    await sql`update social_insurance_enrolments set kind = 'medical' where id = ${old2025}`.execute(k);
    expect((await state())[1]).toEqual(row(w2!, null, ['2026-09', a]));
    await sql`update social_insurance_enrolments set kind = 'pension' where id = ${old2025}`.execute(k);
    expect((await state())[1]).toEqual(row(w2!, ['2025-01-01', '2025-12-31', 600_000], ['2026-09', a]));

    // Approval moves the final slip forward; an older one made final later does not move it back.
    await sql`update payslip_entries set is_final = 1 where run_id = ${november}`.execute(k);
    await entry(october, w2!, '2026-08', 1, b);
    await entry(october, w3!, '2026-10', 1, b);
    expect(await state()).toEqual([
      row(w1!, null, ['2026-11', c]),
      row(w2!, ['2025-01-01', '2025-12-31', 600_000], ['2026-11', c]),
      row(w3!, ['2026-12-01', null, 800_000], ['2026-10', b]),
    ]);
    expect(await lookups('2026-12', '31')).toEqual([
      { base: -1, prior: c * 100 + 11 },
      { base: -1, prior: c * 100 + 11 },
      { base: 800_000, prior: b * 100 + 10 },
    ]);
    expect((await lookups('2026-11', '30'))[1]).toEqual({ base: -1, prior: c * 100 + 11 });

    // A worker's row goes with the worker (a new one may get the same id on SQLite).
    const w4 = await addWorker(4);
    await sql`delete from social_insurance_enrolments where id = ${await enrol(w4, 'pension', 1, '2026-01-01', null)}`.execute(k);
    expect((await state()).map((r) => r.worker_id)).toEqual([w1, w2, w3, w4]);
    await sql`delete from workers where id = ${w4}`.execute(k);
    expect((await state()).map((r) => r.worker_id)).toEqual([w1, w2, w3]);

    if (kind === 'sqlite') {
      const l = keyedLookups({ month: '2026-12', monthStart: '2026-12-01', monthEnd: '2026-12-31' });
      const plan = (
        await sql<{ detail: string }>`explain query plan select ${l.base}, ${l.prior}
          from workers w left join payroll_worker_state st on st.worker_id = w.id where w.id = 1`.execute(k)
      ).rows.map((r) => r.detail);
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH st USING INTEGER PRIMARY KEY \(rowid=\?\)/));
    }
  });

  it('2026120701 stages creates in columns and sends jobs validated before it back to be checked again', async () => {
    target = await createTestDatabaseUrl(kind);
    db = openDatabase({ databaseUrl: target.databaseUrl, sqliteFile: target.sqliteFile });
    await migrateTo(db, '2026112924_worker_name_search_indexes');
    const now = new Date().toISOString();
    const k = db.kysely;
    await sql`insert into orgs (code, parent_code, level, name, created_at, updated_at) values ('33', null, 1, '浙江省', ${now}, ${now})`.execute(
      k,
    );
    const job = async (status: string, action: string) => {
      const r = await sql<{
        id: number;
      }>`insert into import_jobs (kind, org_code, status, file_name, file_size, file_sha256, stored_path, create_count, created_at, updated_at)
        values ('workers', '33', ${status}, 'a.xlsx', 1, 'x', '/tmp/a.xlsx', 1, ${now}, ${now}) returning id`.execute(k);
      const id = Number(r.rows[0]!.id);
      await sql`insert into worker_import_rows (job_id, row_number, action, id_number_hash, payload) values (${id}, 2, ${action}, 'h', '["张三"]')`.execute(
        k,
      );
      return id;
    };
    const withCreate = await job('validated', 'create');
    const onlySkips = await job('validated', 'skip');
    const { applied } = await migrateToLatest(db);
    expect(applied).toContain('2026120701_import_typed_staging');
    const jobs = await k.selectFrom('import_jobs').select(['id', 'status', 'error', 'stored_path']).orderBy('id').execute();
    expect(jobs.map((j) => [j.id, j.status, j.error ? (JSON.parse(j.error) as { code: string }).code : null, j.stored_path])).toEqual([
      [withCreate, 'failed', 'REVALIDATE', '/tmp/a.xlsx'],
      [onlySkips, 'validated', null, '/tmp/a.xlsx'],
    ]);
    const rows = await k.selectFrom('worker_import_rows').select(['job_id', 'action']).execute();
    expect(rows.map((r) => [Number(r.job_id), r.action])).toEqual([[onlySkips, 'skip']]);
    // Every column a staged create holds exists, under its worker name.
    const { STAGED_COLUMNS } = await import('../modules/workers/import/import-stage.ts');
    await k
      .selectFrom('worker_import_rows')
      .select([...STAGED_COLUMNS])
      .limit(1)
      .execute();
  });
});
