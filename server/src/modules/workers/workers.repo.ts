import type { Kysely } from 'kysely';
import type { Database, NewWorker, WorkerUpdate } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

export interface WorkerFilters {
  orgCode?: string | undefined;
  orgLevel?: number | undefined;
  name?: string | undefined;
  idNumberHash?: string | undefined;
  status?: string | undefined;
  post?: string | undefined;
}

/** Columns safe to read for presentation (no ciphertext). */
const SUMMARY_COLUMNS = [
  'workers.id',
  'workers.name',
  'workers.id_number_masked',
  'workers.gender',
  'workers.birth_date',
  'workers.org_code',
  'workers.post',
  'workers.status',
  'workers.education',
  'workers.phone_masked',
  'workers.political_status',
  'workers.work_start_date',
  'workers.created_at',
  'workers.updated_at',
  'orgs.name as org_name',
] as const;

function scoped(db: Kysely<Database>, scope: Scope) {
  let q = db.selectFrom('workers').where(inScope('workers.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('workers.id', '=', scope.workerId);
  return q;
}

export async function findWorkers(db: Kysely<Database>, scope: Scope, f: WorkerFilters, limit: number, offset: number) {
  let q = scoped(db, scope);
  if (f.orgCode && f.orgLevel !== undefined) q = q.where(codeInSubtree('workers.org_code', f.orgCode, f.orgLevel));
  if (f.status) q = q.where('workers.status', '=', f.status);
  if (f.post) q = q.where('workers.post', '=', f.post);
  if (f.idNumberHash) q = q.where('workers.id_number_hash', '=', f.idNumberHash);
  if (f.name) q = q.where('workers.name', 'like', `${f.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [items, count] = await Promise.all([
    q
      .innerJoin('orgs', 'orgs.code', 'workers.org_code')
      .select(SUMMARY_COLUMNS)
      .orderBy('workers.org_code')
      .orderBy('workers.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export function getWorkerInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return scoped(db, scope)
    .innerJoin('orgs', 'orgs.code', 'workers.org_code')
    .select(SUMMARY_COLUMNS)
    .where('workers.id', '=', id)
    .executeTakeFirst();
}

/** The ciphertexts of one worker in scope, for a reveal. */
export function getWorkerSecretsInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return scoped(db, scope)
    .select(['workers.id', 'workers.org_code', 'workers.id_number_enc', 'workers.phone_enc'])
    .where('workers.id', '=', id)
    .executeTakeFirst();
}

/** Whether an ID number is on anyone's roll, anywhere (uniqueness is national). */
export async function isIdNumberTakenUnscoped(db: Kysely<Database>, hash: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('workers').select('id').where('id_number_hash', '=', hash);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertWorker(db: Kysely<Database>, row: NewWorker): Promise<number> {
  const r = await db.insertInto('workers').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateWorker(db: Kysely<Database>, id: number, patch: WorkerUpdate) {
  await db.updateTable('workers').set(patch).where('id', '=', id).execute();
}
