/**
 * One monthly payroll run at city scale: 1,000,000 graded workers with assessment results in the
 * communities of 杭州 (SQLite; PostgreSQL too when a cluster can be started). Times the product's
 * run (compute + store every slip, in chunks, through `computePayrollRun`) against one set-based
 * SQL statement that computes the same gross pay, in the same process. Issue 4 asks: SQLite
 * < 15 s and within 3× of the statement. Then the month after, with a pension enrolment and an
 * approved prior month for every worker (both looked up per worker): the approval and that run are
 * timed too. `BENCH_PAYROLL_WORKERS` allows smaller runs; `BENCH_SKIP_PG=1` / `BENCH_SKIP_SQLITE=1`
 * skip a database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { prepareDatabase } from '../server/src/bootstrap.ts';
import { loadConfig } from '../server/src/config.ts';
import { systemContext, type Deps } from '../server/src/context.ts';
import { openDatabase, optimizeDatabase, type Db } from '../server/src/db/database.ts';
import { createDataCipher } from '../server/src/lib/crypto.ts';
import { importChinaDivision } from '../server/src/modules/orgs/org-import.service.ts';
import { approvePayrollRun, computePayrollRun, createPayrollRun } from '../server/src/modules/payroll/payroll.service.ts';
import { ensureDemoPayrollRules } from '../server/src/modules/payroll/payroll.settings.ts';
import { findPgBin, startThrowawayCluster } from '../server/test/pg-cluster.ts';

const WORKERS = Number(process.env.BENCH_PAYROLL_WORKERS ?? 1_000_000);
const CITY = '3301';
const MONTH = '2026-11';
const NEXT_MONTH = '2026-12';
const RESULTS = ['excellent', 'competent', 'competent', 'competent', 'basically_competent', 'incompetent'];

function emit(line: Record<string, unknown>) {
  console.log(JSON.stringify(line));
}

/** Workers, their current grades (三岗十八级, other band levels 1–12) and last year's results, bulk-loaded. */
async function load(db: Db, communities: string[]) {
  const started = Date.now();
  const now = new Date().toISOString();
  const row = (i: number) => ({
    name: `职工${i}`,
    name_initials: 'zg',
    id_number_enc: 'v1:bench',
    id_number_hash: `bench-${i}`,
    id_number_masked: '330***********0000',
    gender: i % 2 ? 'F' : 'M',
    birth_date: '1990-01-01',
    org_code: communities[i % communities.length]!,
    post: 'full_time_staff',
    status: 'active',
    created_at: now,
    updated_at: now,
  });
  const cols = Object.keys(row(0));
  if (db.sqlite) {
    const stmt = db.sqlite.prepare(`insert into workers (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`);
    const chunk = db.sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) stmt.run(...Object.values(row(i)));
    });
    for (let i = 0; i < WORKERS; i += 50_000) chunk(i, Math.min(WORKERS, i + 50_000));
  } else {
    for (let i = 0; i < WORKERS; i += 10_000) {
      const rows = Array.from({ length: Math.min(10_000, WORKERS - i) }, (_, k) => row(i + k));
      const arrays = cols.map((c) => rows.map((r) => (r as Record<string, unknown>)[c]));
      await db.pool!.query(
        `insert into workers (${cols.join(',')}) select * from unnest(${cols.map((_, k) => `$${k + 1}::text[]`).join(',')})`,
        arrays,
      );
    }
  }
  const k = db.kysely;
  const scheme = await k.selectFrom('grade_schemes').select('id').where('region_code', '=', 'CN').executeTakeFirstOrThrow();
  await sql`insert into worker_grades (worker_id, org_code, scheme_id, band, level, effective_date, last_step_date, early_steps_used, source, explanation, is_current, created_at)
    select id, org_code, ${Number(scheme.id)}, 'staff', 1 + (id % 12), '2026-01-01', '2026-01-01', 0, 'bench', '{}', 1, ${now} from workers`.execute(
    k,
  );
  // The result follows id / 12 while the level follows id % 12, so every level meets every result
  // (48 distinct slips: 12 levels × 4 results) instead of 12 fixed pairs.
  const resultCase = sql.raw(`case (id / 12) % 6 ${RESULTS.map((r, i) => `when ${i} then '${r}'`).join(' ')} end`);
  await sql`insert into assessment_results (worker_id, org_code, year, result, source, created_at, updated_at)
    select id, org_code, 2025, ${resultCase}, 'bench', ${now}, ${now} from workers`.execute(k);
  if (!db.sqlite) await sql`analyze`.execute(k);
  return Date.now() - started;
}

/**
 * Per worker of the city on roll: id, org, band, level, S = 岗位工资 1,600 (其他) + 薪级工资 1,500 +
 * 120 × (level − 1) yuan, and the result's coefficient (‰).
 */
const perWorker = sql`
  select w.id, w.org_code, g.band, g.level, 160000 + 150000 + 12000 * (g.level - 1) as s,
    case a.result when 'excellent' then 1200 when 'competent' then 1000 when 'basically_competent' then 600 when 'incompetent' then 0 else 1000 end as coef
  from workers w
  join worker_grades g on g.worker_id = w.id and g.is_current = 1
  left join assessment_results a on a.worker_id = w.id and a.year = 2025
  where w.org_code >= ${CITY} and w.org_code < ${'3302'} and w.status in ('probation', 'active', 'on_leave')`;

/** Gross = S + P with P = S × 20% / 80% (half-up to the fen) × the coefficient (half-up). */
const grossExpr = sql`s + (2 * ((2 * s * 2000 + 8000) / 16000) * coef + 1000) / 2000`;

/** The same gross pay as the product's run, as one statement. */
async function setBasedGross(db: Db): Promise<{ ms: number; rows: number; grossFen: number }> {
  const started = performance.now();
  const r = await sql<{ n: number; gross: number }>`select count(*) as n, sum(${grossExpr}) as gross from (${perWorker}) t`.execute(
    db.kysely,
  );
  return { ms: Math.round(performance.now() - started), rows: Number(r.rows[0]!.n), grossFen: Number(r.rows[0]!.gross) };
}

/**
 * The floor for storing, set-based: the gross computed like `setBasedGross`, one outcome (class) per
 * distinct (level, result) stored by one statement, and a slip entry per worker, pointing at its
 * outcome, stored by a second (other amounts constant). Both statements are timed.
 */
async function setBasedInsert(db: Db, runId: number): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  await sql`insert into payslip_line_sets (hash, lines) values ('bench-floor', '[]') on conflict (hash) do nothing`.execute(db.kysely);
  await sql`
    insert into payslip_classes (hash, band, level, lines_hash, gross_fen, employee_insurance_fen, employer_insurance_fen, tax_fen,
      net_fen, pay_table_ref, insurance_rule_ref, tax_rule_ref, tax_months, cum_gross_fen, cum_tax_free_fen, cum_insurance_fen,
      cum_special_fen, cum_other_fen, cum_tax_fen)
    select distinct 'bench-floor-' || band || '-' || level || '-' || coef, band, level, 'bench-floor', ${grossExpr}, 0, 0, 0, ${grossExpr},
      'bench', 'bench', 'bench', 11, ${grossExpr}, 0, 0, 0, 0, 0
    from (${perWorker}) t`.execute(db.kysely);
  const r = await sql`
    insert into payslip_entries (run_id, worker_id, org_code, month, class_id)
    select ${runId}, t.id, t.org_code, ${MONTH}, c.id
    from (${perWorker}) t join payslip_classes c on c.hash = 'bench-floor-' || t.band || '-' || t.level || '-' || t.coef`.execute(
    db.kysely,
  );
  return { ms: Math.round(performance.now() - started), rows: Number(r.numAffectedRows ?? 0) };
}

async function run(dialect: 'sqlite' | 'postgres', databaseUrl?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-payroll-'));
  const db = openDatabase({ databaseUrl, sqliteFile: path.join(dir, 'bench.db') });
  const deps: Deps = { db, cipher: createDataCipher(randomBytes(32)), config: { ...loadConfig({}), dataDir: dir } };
  try {
    await prepareDatabase(deps);
    const ctx = systemContext(deps, 'bench');
    await importChinaDivision(ctx, { under: CITY });
    await ensureDemoPayrollRules(ctx, CITY);
    const communities = (await db.kysely.selectFrom('orgs').select('code').where('level', '=', 5).orderBy('code').execute()).map(
      (r) => r.code,
    );
    const loadMs = await load(db, communities);
    await optimizeDatabase(db);
    // The load's write-ahead log (about a gigabyte) is checkpointed before anything is timed, as in a
    // database at rest; otherwise the background checkpoint of the load competes with the run.
    db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    emit({ bench: 'payroll.load', db: dialect, rows: WORKERS, communities: communities.length, ms: loadMs });

    const statement = await setBasedGross(db);
    emit({ bench: 'payroll.set_based_gross', db: dialect, rows: statement.rows, ms: statement.ms });

    const runRow = await createPayrollRun(ctx, { orgCode: CITY, month: MONTH });
    const started = performance.now();
    const done = await computePayrollRun(ctx, runRow.id, { wait: true });
    const ms = Math.round(performance.now() - started);
    if (done.status !== 'computed' || done.slipCount !== WORKERS)
      throw new Error(`run ended ${done.status} with ${done.slipCount} slips: ${done.error}`);
    if (done.totals.grossFen !== statement.grossFen)
      throw new Error(`gross differs: run ${done.totals.grossFen}, statement ${statement.grossFen}`);
    emit({ bench: 'payroll.run', db: dialect, rows: done.slipCount, ms, ratio: Math.round((ms / Math.max(1, statement.ms)) * 10) / 10 });
    // The statement again, now that the run has warmed the caches the same way.
    const again = await setBasedGross(db);
    emit({ bench: 'payroll.set_based_gross.warm', db: dialect, rows: again.rows, ms: again.ms });

    // The month after, as most months are: every worker has a pension enrolment (base by level) and
    // an approved slip for the month before, so December's run looks both up for each worker.
    const now = new Date().toISOString();
    await sql`insert into social_insurance_enrolments (worker_id, org_code, kind, contribution_base_fen, start_date, end_date, created_at, updated_at)
      select id, org_code, 'pension', 700000 + 10000 * (id % 12), '2026-01-01', null, ${now}, ${now} from workers`.execute(db.kysely);
    if (db.sqlite) await optimizeDatabase(db);
    else await sql`analyze social_insurance_enrolments`.execute(db.kysely);
    const approveStarted = performance.now();
    await approvePayrollRun(ctx, runRow.id);
    emit({ bench: 'payroll.approve', db: dialect, rows: done.slipCount, ms: Math.round(performance.now() - approveStarted) });
    db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    const december = await createPayrollRun(ctx, { orgCode: CITY, month: NEXT_MONTH });
    const nextStarted = performance.now();
    const next = await computePayrollRun(ctx, december.id, { wait: true });
    const nextMs = Math.round(performance.now() - nextStarted);
    if (next.status !== 'computed' || next.slipCount !== WORKERS)
      throw new Error(`next month's run ended ${next.status} with ${next.slipCount} slips: ${next.error}`);
    if (next.totals.grossFen !== statement.grossFen)
      throw new Error(`next month's gross differs: run ${next.totals.grossFen}, statement ${statement.grossFen}`);
    emit({
      bench: 'payroll.run.next_month',
      db: dialect,
      rows: next.slipCount,
      ms: nextMs,
      ratio: Math.round((nextMs / Math.max(1, statement.ms)) * 10) / 10,
    });

    // The floor for storing: the same gross computed and inserted as slips by one statement
    // (other amounts constant), into a second run of the same month.
    const floorRun = await createPayrollRun(ctx, { orgCode: '330106', month: MONTH });
    const stored = await setBasedInsert(db, floorRun.id);
    emit({ bench: 'payroll.set_based_insert', db: dialect, rows: stored.rows, ms: stored.ms });
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!process.env.BENCH_SKIP_SQLITE) await run('sqlite');
if (process.env.BENCH_SKIP_PG) {
  console.error('payroll.bench: BENCH_SKIP_PG set; SQLite only');
} else if (process.env.DATABASE_URL) {
  console.error('payroll.bench: skipping PostgreSQL with an external DATABASE_URL (it would fill that database)');
} else if (findPgBin()) {
  const cluster = await startThrowawayCluster();
  try {
    await run('postgres', cluster.url);
  } finally {
    await cluster.stop();
  }
} else {
  console.error('payroll.bench: no PostgreSQL binaries; SQLite only');
}
