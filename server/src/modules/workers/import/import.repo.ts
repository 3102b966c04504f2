import { sql, type Kysely } from 'kysely';
import type { Database, ImportJobTable, NewImportIssue, NewWorkerImportRow } from '../../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../../lib/scope.ts';
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

export async function insertIssues(db: Kysely<Database>, rows: NewImportIssue[]) {
  for (let i = 0; i < rows.length; i += INSERT_BATCH)
    await db
      .insertInto('import_issues')
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
}

export async function insertStagedRows(db: Kysely<Database>, rows: NewWorkerImportRow[]) {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto('worker_import_rows')
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
  }
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
    q.select(['row_number', 'action', 'worker_id', 'payload']).orderBy('row_number').limit(limit).offset(offset).execute(),
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

/** Opens the first placement of every worker the job created, in one statement. */
export async function insertCreatedAssignments(db: Kysely<Database>, jobId: number, today: string, now: string) {
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
 * Inserts every staged create of a job into `workers` in one set-based statement, reading the
 * columns out of the staged JSON arrays on the database side (no row makes a round trip through
 * JavaScript). `columns` are the worker columns present in the staged rows.
 */
export async function insertStagedCreates(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  jobId: number,
  columns: readonly string[],
  now: string,
) {
  for (const c of columns) if (!/^[a-z_]+$/.test(c)) throw new Error(`unexpected column ${c}`);
  // The payload is a JSON array of the values in `columns` order.
  const pick = (i: number) =>
    dialect === 'sqlite' ? sql`json_extract(r.payload, ${`$[${i}]`})` : sql`(r.payload::jsonb ->> ${sql.lit(i)})`;
  const target = sql.join(columns.map((c) => sql.ref(c)));
  const values = sql.join(columns.map((_c, i) => pick(i)));
  await sql`
    insert into workers (${target}, created_at, updated_at)
    select ${values}, ${now}, ${now}
    from worker_import_rows r
    where r.job_id = ${jobId} and r.action = 'create'
    order by r.id`.execute(db);
}
