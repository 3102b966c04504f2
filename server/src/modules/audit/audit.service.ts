import type { Kysely } from 'kysely';
import type { OpContext } from '../../context.ts';
import type { AuditRow, Database } from '../../db/schema.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { nowIso } from '../../lib/time.ts';
import { findAuditRows, insertAuditRow, lockAuditHead, readAuditChunkUnscoped, readAuditHead, type AuditFilters } from './audit.repo.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** What happened, to what, in which org; before/after hold masked values only, never raw personal data. */
export interface AuditEvent {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  orgCode?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The fields the hash covers, in a fixed order. */
export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256Hex(
    JSON.stringify([
      row.seq,
      row.ts,
      row.actor_id,
      row.actor_name,
      row.actor_role,
      row.ip,
      row.action,
      row.entity_type,
      row.entity_id,
      row.org_code,
      row.before_json,
      row.after_json,
      row.prev_hash,
    ]),
  );
}

/**
 * Appends one entry to the hash chain inside the caller's transaction, so the audit entry and the
 * change it records commit or roll back together.
 */
export async function appendAudit(trx: Kysely<Database>, ctx: OpContext, event: AuditEvent): Promise<number> {
  const head = await lockAuditHead(trx, ctx.deps.db.dialect);
  const base: Omit<AuditRow, 'hash'> = {
    seq: Number(head.seq) + 1,
    ts: nowIso(),
    actor_id: ctx.actor?.id ?? null,
    actor_name: ctx.actor?.username ?? ctx.systemName ?? null,
    actor_role: ctx.actor?.role ?? null,
    ip: ctx.ip,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
    org_code: event.orgCode ?? null,
    before_json: event.before === undefined || event.before === null ? null : JSON.stringify(event.before),
    after_json: event.after === undefined || event.after === null ? null : JSON.stringify(event.after),
    prev_hash: head.hash,
  };
  const row: AuditRow = { ...base, hash: auditRowHash(base) };
  await insertAuditRow(trx, row);
  return row.seq;
}

/** Records an event in its own transaction (for events with no other write, like a login or a reveal). */
export async function recordAudit(ctx: OpContext, event: AuditEvent): Promise<number> {
  return ctx.deps.db.kysely.transaction().execute((trx) => appendAudit(trx, ctx, event));
}

export interface AuditEntryView {
  seq: number;
  ts: string;
  actorId: number | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  orgCode: string | null;
  before: unknown;
  after: unknown;
}

export function presentAudit(row: AuditRow): AuditEntryView {
  return {
    seq: Number(row.seq),
    ts: row.ts,
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    actorName: row.actor_name,
    actorRole: row.actor_role,
    ip: row.ip,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    orgCode: row.org_code,
    before: row.before_json ? (JSON.parse(row.before_json) as unknown) : null,
    after: row.after_json ? (JSON.parse(row.after_json) as unknown) : null,
  };
}

export async function findAuditEntries(ctx: OpContext, filters: AuditFilters, page: number, pageSize: number) {
  const { items, total } = await findAuditRows(ctx.deps.db.kysely, ctx.scope, filters, pageSize, (page - 1) * pageSize);
  return { items: items.map(presentAudit), total };
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
  reason?: string;
}

/**
 * Walks the whole chain: every row's hash must match its content, link to the previous row's
 * hash, and sequence numbers must be contiguous; the head must point at the last row. Any edit,
 * insertion or deletion (including of the newest rows) is found.
 */
export async function verifyAuditChain(db: Kysely<Database>, chunk = 5000): Promise<ChainVerification> {
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await readAuditChunkUnscoped(db, prevSeq, chunk);
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== prevSeq + 1) {
        return { ok: false, checked, firstBrokenSeq: prevSeq + 1, reason: `第${prevSeq + 1}条记录缺失（已被删除）` };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, checked, firstBrokenSeq: seq, reason: `第${seq}条记录与前一条的哈希链接不符` };
      }
      const { hash, ...rest } = row;
      if (auditRowHash({ ...rest, seq }) !== hash) {
        return { ok: false, checked, firstBrokenSeq: seq, reason: `第${seq}条记录内容已被篡改` };
      }
      prevSeq = seq;
      prevHash = hash;
      checked++;
    }
    if (rows.length < chunk) break;
  }
  const head = await readAuditHead(db);
  if (Number(head.seq) !== prevSeq || head.hash !== prevHash) {
    return { ok: false, checked, firstBrokenSeq: prevSeq + 1, reason: `第${prevSeq + 1}条及之后的记录缺失（链尾与记录不符）` };
  }
  return { ok: true, checked };
}
