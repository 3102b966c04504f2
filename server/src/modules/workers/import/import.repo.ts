import type SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../../db/database.ts';
import type { Database, ImportJobTable, NewImportIssue, NewWorkerImportRow } from '../../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../../lib/scope.ts';
import { STAGED_COLUMNS, type StagedCreate } from './import-stage.ts';
import type { Updateable, Insertable } from 'kysely';

/** Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters for the widest table. */
export const INSERT_BATCH = 400;

export async function insertJob(db: Kysely<Database>, row: Insertable<ImportJobTable>): Promise<number> {
  const r = await db.insertInto('import_jobs').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export function getJobInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return db.selectFrom('import_jobs').selectAll().where('id', '=', id).where(inScope('org_code', scope)).executeTakeFirst();
}

export function getJobUnscoped(db: Kysely<Database>, id: number) {
  return db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findJobsInScope(db: Kysely<Database>, scope: Scope, kind: string, limit: number, offset: number) {
  const q = db.selectFrom('import_jobs').where('kind', '=', kind).where(inScope('org_code', scope));
  const [items, count] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function updateJob(db: Kysely<Database>, id: number, patch: Updateable<ImportJobTable>) {
  await db.updateTable('import_jobs').set(patch).where('id', '=', id).execute();
}

/** Moves a job from one status to another only if it is still in `from`; returns whether it did. */
export async function transitionJob(db: Kysely<Database>, id: number, from: string[], patch: Updateable<ImportJobTable>): Promise<boolean> {
  const r = await db.updateTable('import_jobs').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Jobs a stopped process left running: they are marked failed at start-up. */
export function findInterruptedJobsUnscoped(db: Kysely<Database>) {
  return db.selectFrom('import_jobs').select(['id', 'status', 'stored_path']).where('status', 'in', ['validating', 'committing']).execute();
}

export async function clearJobRows(db: Kysely<Database>, jobId: number) {
  await db.deleteFrom('import_issues').where('job_id', '=', jobId).execute();
  await db.deleteFrom('worker_import_rows').where('job_id', '=', jobId).execute();
}

/** A staged create of a dry-run chunk: its row and its values in STAGED_COLUMNS order. */
export interface NewStagedCreate {
  job_id: number;
  row_number: number;
  values: StagedCreate;
}

interface StagingStatements {
  issue: SQLite.Statement;
  row: SQLite.Statement;
  create: SQLite.Statement;
}
const stagingStatements = new WeakMap<SQLite.Database, StagingStatements>();

/**
 * Stores a dry-run chunk's issues, staged rows (updates, skips, unchanged) and staged creates in
 * one transaction; a create's worker columns go into the row's columns of the same names (its
 * payload is ''). Bulk paths: cached prepared statements on SQLite (holding Kysely's connection, so
 * nothing interleaves), one `unnest` insert per kind on PostgreSQL; no query builder per row.
 */
export async function insertChunk(
  database: Db,
  chunk: { issues: NewImportIssue[]; rows: NewWorkerImportRow[]; creates: NewStagedCreate[] },
): Promise<void> {
  const { issues, rows, creates } = chunk;
  const createColumns = ['job_id', 'row_number', 'action', 'payload', ...STAGED_COLUMNS].join(', ');
  const raw = database.sqlite;
  if (raw) {
    let st = stagingStatements.get(raw);
    if (!st) {
      st = {
        issue: raw.prepare('insert into import_issues (job_id, row_number, field, severity, message) values (?, ?, ?, ?, ?)'),
        row: raw.prepare(
          'insert into worker_import_rows (job_id, row_number, action, worker_id, id_number_hash, expected_updated_at, payload) values (?, ?, ?, ?, ?, ?, ?)',
        ),
        create: raw.prepare(
          `insert into worker_import_rows (${createColumns}) values (?, ?, 'create', '', ${STAGED_COLUMNS.map(() => '?').join(', ')})`,
        ),
      };
      stagingStatements.set(raw, st);
    }
    const s = st;
    await database.kysely.connection().execute(async () => {
      raw
        .transaction(() => {
          for (const i of issues) s.issue.run(i.job_id, i.row_number, i.field ?? null, i.severity, i.message);
          for (const r of rows)
            s.row.run(r.job_id, r.row_number, r.action, r.worker_id ?? null, r.id_number_hash, r.expected_updated_at ?? null, r.payload);
          for (const c of creates) s.create.run(c.job_id, c.row_number, c.values);
        })
        .immediate();
    });
    return;
  }
  await database.kysely.transaction().execute(async (trx) => {
    if (issues.length > 0) {
      await sql`insert into import_issues (job_id, row_number, field, severity, message)
        select * from unnest(${issues.map((i) => i.job_id)}::bigint[], ${issues.map((i) => i.row_number)}::integer[],
          ${issues.map((i) => i.field ?? null)}::text[], ${issues.map((i) => i.severity)}::text[], ${issues.map((i) => i.message)}::text[])`.execute(
        trx,
      );
    }
    if (rows.length > 0) {
      await sql`insert into worker_import_rows (job_id, row_number, action, worker_id, id_number_hash, expected_updated_at, payload)
        select * from unnest(${rows.map((r) => r.job_id)}::bigint[], ${rows.map((r) => r.row_number)}::integer[],
          ${rows.map((r) => r.action)}::text[], ${rows.map((r) => r.worker_id ?? null)}::bigint[],
          ${rows.map((r) => r.id_number_hash)}::text[], ${rows.map((r) => r.expected_updated_at ?? null)}::text[],
          ${rows.map((r) => r.payload)}::text[])`.execute(trx);
    }
    if (creates.length > 0) {
      const columns = STAGED_COLUMNS.map((_c, k) => sql`${creates.map((c) => c.values[k] ?? null)}::text[]`);
      await sql`insert into worker_import_rows (${sql.raw(createColumns)})
        select j, n, 'create', '', ${sql.join(STAGED_COLUMNS.map((_c, k) => sql.ref(`t.c${k}`)))}
        from unnest(${creates.map((c) => c.job_id)}::bigint[], ${creates.map((c) => c.row_number)}::integer[], ${sql.join(columns)})
          as t(j, n, ${sql.raw(STAGED_COLUMNS.map((_c, k) => `c${k}`).join(', '))})`.execute(trx);
    }
  });
}

export async function findIssues(db: Kysely<Database>, jobId: number, severity: string | undefined, limit: number, offset: number) {
  let q = db.selectFrom('import_issues').where('job_id', '=', jobId);
  if (severity) q = q.where('severity', '=', severity);
  const [items, count] = await Promise.all([
    q.select(['row_number', 'field', 'severity', 'message']).orderBy('row_number').orderBy('id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Every error of a job, in row order, for the marked copy (streamed in pages by the caller). */
export function findErrorPage(db: Kysely<Database>, jobId: number, afterId: number, limit: number) {
  return db
    .selectFrom('import_issues')
    .select(['id', 'row_number', 'field', 'message'])
    .where('job_id', '=', jobId)
    .where('severity', '=', 'error')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Staged rows of one action in row order, a page at a time (keyset on id). */
export function findStagedPage(db: Kysely<Database>, jobId: number, action: string, afterId: number, limit: number) {
  return db
    .selectFrom('worker_import_rows')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('action', '=', action)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** A preview page of staged rows (what the commit will do), in row order. */
export async function findStagedPreview(db: Kysely<Database>, jobId: number, action: string | undefined, limit: number, offset: number) {
  let q = db.selectFrom('worker_import_rows').where('job_id', '=', jobId);
  if (action) q = q.where('action', '=', action);
  const [items, count] = await Promise.all([
    q
      .select([
        'row_number',
        'action',
        'worker_id',
        'payload',
        'name',
        'id_number_masked',
        'org_code',
        'gender',
        'birth_date',
        'post',
        'posts',
        'phone_masked',
        'education',
        'political_status',
        'work_start_date',
      ])
      .orderBy('row_number')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Workers (anywhere: the ID number is unique nation-wide) holding any of these ID hashes. */
export function findWorkersByIdHashesUnscoped(db: Kysely<Database>, hashes: string[]) {
  if (hashes.length === 0) return Promise.resolve([]);
  return db.selectFrom('workers').selectAll().where('id_number_hash', 'in', hashes).execute();
}

/** Street and community nodes under `code` (the places an import may put people). */
export function findPlacementOrgsUnder(db: Kysely<Database>, code: string, level: number) {
  return db
    .selectFrom('orgs')
    .select(['code', 'name', 'level', 'parent_code'])
    .where(codeInSubtree('code', code, level))
    .where('level', '>=', 4)
    .execute();
}

/** Staged creates whose ID number got registered since the dry run (first few, in row order). */
export function findCreatesNowTaken(db: Kysely<Database>, jobId: number, limit: number) {
  return db
    .selectFrom('worker_import_rows as r')
    .innerJoin('workers as w', 'w.id_number_hash', 'r.id_number_hash')
    .select(['r.row_number'])
    .where('r.job_id', '=', jobId)
    .where('r.action', '=', 'create')
    .orderBy('r.row_number')
    .limit(limit)
    .execute();
}

/** Staged updates whose worker changed (or left) since the dry run (first few, in row order). */
export function findUpdatesNowStale(db: Kysely<Database>, jobId: number, limit: number) {
  return db
    .selectFrom('worker_import_rows as r')
    .leftJoin('workers as w', 'w.id', 'r.worker_id')
    .select(['r.row_number'])
    .where('r.job_id', '=', jobId)
    .where('r.action', '=', 'update')
    .where((eb) => eb.or([eb('w.id', 'is', null), eb('w.updated_at', '!=', eb.ref('r.expected_updated_at'))]))
    .orderBy('r.row_number')
    .limit(limit)
    .execute();
}

/** The highest worker id so far (0 for none). */
export async function findLastWorkerIdUnscoped(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('workers')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(r?.id ?? 0);
}

/**
 * Opens the first placement of every worker the job created, in one statement. `createdAfterId`
 * (SQLite only, where the commit holds the write lock and new rows get ids above the highest):
 * the highest worker id before the job's inserts, so the new workers are found by id range rather
 * than by looking each staged ID number up again.
 */
export async function insertCreatedAssignments(db: Kysely<Database>, jobId: number, today: string, now: string, createdAfterId?: number) {
  if (createdAfterId !== undefined) {
    await sql`
      insert into worker_assignments (worker_id, org_code, from_date, to_date, reason, created_at)
      select w.id, w.org_code, coalesce(w.join_community_date, w.work_start_date, ${today}), null, ${'批量导入'}, ${now}
      from workers w where w.id > ${createdAfterId}`.execute(db);
    return;
  }
  await sql`
    insert into worker_assignments (worker_id, org_code, from_date, to_date, reason, created_at)
    select w.id, w.org_code, coalesce(w.join_community_date, w.work_start_date, ${today}), null, ${'批量导入'}, ${now}
    from worker_import_rows r join workers w on w.id_number_hash = r.id_number_hash
    where r.job_id = ${jobId} and r.action = 'create'`.execute(db);
}

/** One history row per created worker naming the import and the row, in one statement. */
export async function insertCreatedHistory(
  db: Kysely<Database>,
  jobId: number,
  now: string,
  actor: { id: number | null; name: string | null },
) {
  await sql`
    insert into worker_history (worker_id, org_code, ts, actor_id, actor_name, action, field, old_value, new_value)
    select w.id, w.org_code, ${now}, ${actor.id}, ${actor.name}, 'create', 'import', null,
      ${`批量导入（批次 #${jobId}，第`} || cast(r.row_number as text) || ${'行）'}
    from worker_import_rows r join workers w on w.id_number_hash = r.id_number_hash
    where r.job_id = ${jobId} and r.action = 'create'`.execute(db);
}

export async function deleteStagedRows(db: Kysely<Database>, jobId: number) {
  await db.deleteFrom('worker_import_rows').where('job_id', '=', jobId).execute();
}

/**
 * Inserts every staged create of a job into `workers` in one set-based statement, straight from
 * the staged columns of the same names (no row makes a round trip through JavaScript). `columns`
 * are the worker columns staged; they must include `org_code`. Rows go in by (org_code, row):
 * most of the workers indexes lead with the org code (or a few values, then it), so sorted
 * inserts land next to each other in those B-trees.
 */
export async function insertStagedCreates(db: Kysely<Database>, jobId: number, columns: readonly string[], now: string) {
  for (const c of columns) if (!/^[a-z_]+$/.test(c)) throw new Error(`unexpected column ${c}`);
  if (!columns.includes('org_code')) throw new Error('the staged columns lack org_code');
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`
    insert into workers (${list}, created_at, updated_at)
    select ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))}, ${now}, ${now}
    from worker_import_rows r
    where r.job_id = ${jobId} and r.action = 'create'
    order by r.org_code, r.id`.execute(db);
}
