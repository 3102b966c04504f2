import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { AuditRow, Database } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

export interface AuditFilters {
  action?: string | undefined;
  actor?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  orgCode?: string | undefined;
  orgLevel?: number | undefined;
}

/** Locks and reads the chain head (PostgreSQL row lock; SQLite serialises writers itself). */
export async function lockAuditHead(trx: Kysely<Database>, dialect: Dialect) {
  let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirstOrThrow();
}

export async function insertAuditRow(trx: Kysely<Database>, row: AuditRow): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
  await trx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
}

/** Entries visible in `scope`: those tied to an org in the subtree (global entries only at nation scope). */
export async function findAuditRows(db: Kysely<Database>, scope: Scope, f: AuditFilters, limit: number, offset: number) {
  let q = db.selectFrom('audit_log').where(inScope('audit_log.org_code', scope));
  if (f.orgCode && f.orgLevel !== undefined) q = q.where(codeInSubtree('audit_log.org_code', f.orgCode, f.orgLevel));
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.actor) q = q.where('actor_name', '=', f.actor);
  if (f.from) q = q.where('ts', '>=', f.from);
  if (f.to) q = q.where('ts', '<', f.to);
  const [items, count] = await Promise.all([
    q.selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Reads the chain in order, a page at a time (for verification). */
export async function readAuditChunkUnscoped(db: Kysely<Database>, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export async function readAuditHead(db: Kysely<Database>) {
  return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}
