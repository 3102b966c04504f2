import type { Kysely } from 'kysely';
import type { OpContext } from '../../context.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { pageOffset, type Page } from '../../lib/paging.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import { getWorker, todayDate } from '../workers/workers.service.ts';
import {
  assessmentYearPeriod,
  checkSanctionDates,
  isInInfluencePeriod,
  sanctionKindLabel,
  sanctionStatusLabel,
  vetoesFromSanctions,
  type RegisterVeto,
  type SanctionKind,
} from './rules/sanction-rules.ts';
import * as repo from './sanctions.repo.ts';
import type { TSanction, TSanctionCreate, TSanctionListItem, TSanctionListQuery, TSanctionRevoke } from './sanctions.schema.ts';

async function presentSanctions(ctx: OpContext, rows: repo.SanctionRow[]): Promise<TSanction[]> {
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  const today = todayDate();
  const { cipher } = ctx.deps;
  return rows.map((r) => ({
    id: Number(r.id),
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    orgCode: r.org_code,
    orgName: names.get(r.org_code) ?? null,
    kind: r.kind,
    kindLabel: sanctionKindLabel(r.kind),
    decidedOn: r.decided_on,
    endsOn: r.ends_on,
    isInInfluencePeriod: isInInfluencePeriod({ status: r.status, endsOn: r.ends_on }, today),
    authority: r.authority,
    documentNo: r.document_no,
    reason: cipher.decrypt(r.reason_enc),
    status: r.status,
    statusLabel: sanctionStatusLabel(r.status),
    revokedReason: r.revoked_reason_enc === null ? null : cipher.decrypt(r.revoked_reason_enc),
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
  }));
}

/** Register rows without the free-text reasons, which are not decrypted for lists. */
async function presentListItems(ctx: OpContext, rows: repo.SanctionRow[]): Promise<TSanctionListItem[]> {
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  const today = todayDate();
  return rows.map((r) => ({
    id: Number(r.id),
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    orgCode: r.org_code,
    orgName: names.get(r.org_code) ?? null,
    kind: r.kind,
    kindLabel: sanctionKindLabel(r.kind),
    decidedOn: r.decided_on,
    endsOn: r.ends_on,
    isInInfluencePeriod: isInInfluencePeriod({ status: r.status, endsOn: r.ends_on }, today),
    authority: r.authority,
    documentNo: r.document_no,
    status: r.status,
    statusLabel: sanctionStatusLabel(r.status),
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
  }));
}

async function getSanctionRowOrThrow(ctx: OpContext, id: number): Promise<repo.SanctionRow> {
  const row = await repo.getSanctionInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

/** One sanction in scope (with its reasons), or NOT_FOUND. */
export async function getSanction(ctx: OpContext, id: number): Promise<TSanction> {
  return (await presentSanctions(ctx, [await getSanctionRowOrThrow(ctx, id)]))[0]!;
}

/**
 * A worker's sanctions, newest decision first (revoked ones included, marked), with their reasons
 * decrypted: disciplinary records are personal information, so every read that returns any is audited
 * (`sanction.view`, ids only). NOT_FOUND when the worker is out of scope.
 */
export async function findWorkerSanctions(ctx: OpContext, workerId: number): Promise<TSanction[]> {
  const worker = await getWorker(ctx, workerId);
  const rows = await repo.findSanctionsOfWorkerInScope(ctx.deps.db.kysely, ctx.scope, workerId);
  if (rows.length > 0) {
    await recordAudit(ctx, {
      action: 'sanction.view',
      entityType: 'worker',
      entityId: workerId,
      orgCode: worker.orgCode,
      after: { sanctionIds: rows.map((r) => Number(r.id)) },
    });
  }
  return presentSanctions(ctx, rows);
}

/**
 * Records a sanction of a worker in scope (登记处分): the decision may not lie in the future and the
 * influence period may not end before it. The row keeps the worker's org of today for scope; the
 * reason is stored encrypted and kept out of the audit log.
 */
export async function recordSanction(ctx: OpContext, workerId: number, input: TSanctionCreate): Promise<TSanction> {
  const worker = await getWorker(ctx, workerId);
  const issue = checkSanctionDates(input, todayDate());
  if (issue) throw AppError.field(issue.field, issue.message, issue.messageEn);
  const { cipher } = ctx.deps;
  const now = nowIso();
  const id = await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    // The same decision submitted twice (a double click, a re-entered paper) is refused, not stored twice.
    const same = await repo.findSameInForceSanction(trx, workerId, input.kind, input.decidedOn, input.documentNo || null);
    if (same) {
      throw new AppError('CONFLICT', {
        message: `该人员已登记 ${input.decidedOn} 的同类处分${same.document_no ? `（${same.document_no}）` : ''}，请勿重复登记；如需更正请先撤销原记录`,
        messageEn: `This worker already has an in-force sanction of this kind decided on ${input.decidedOn}; revoke it first to correct it`,
        details: { sanctionId: same.id },
      });
    }
    const sanctionId = await repo.insertSanction(trx, {
      worker_id: workerId,
      org_code: worker.orgCode,
      kind: input.kind,
      decided_on: input.decidedOn,
      ends_on: input.endsOn ?? null,
      authority: input.authority,
      document_no: input.documentNo || null,
      reason_enc: cipher.encrypt(input.reason),
      status: 'in_force',
      revoked_reason_enc: null,
      revoked_at: null,
      revoked_by: null,
      recorded_by: ctx.actor?.id ?? null,
      created_at: now,
      updated_at: now,
    });
    await appendAudit(trx, ctx, {
      action: 'sanction.create',
      entityType: 'worker_sanction',
      entityId: sanctionId,
      orgCode: worker.orgCode,
      after: {
        workerId,
        kind: input.kind,
        decidedOn: input.decidedOn,
        endsOn: input.endsOn ?? null,
        authority: input.authority,
        documentNo: input.documentNo || null,
      },
    });
    return sanctionId;
  });
  return getSanction(ctx, id);
}

/**
 * Revokes an in-force sanction (撤销, e.g. overturned on review) with a reason. A revoked sanction no
 * longer counts for exit rules or assessment vetoes; it stays in the register, marked. 409 when already revoked.
 */
export async function revokeSanction(ctx: OpContext, id: number, input: TSanctionRevoke): Promise<TSanction> {
  const row = await getSanctionRowOrThrow(ctx, id);
  const conflict = new AppError('CONFLICT', { message: '该处分已撤销', messageEn: 'The sanction is already revoked' });
  if (row.status !== 'in_force') throw conflict;
  const now = nowIso();
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    const updated = await repo.updateSanctionIfStatus(trx, id, 'in_force', {
      status: 'revoked',
      revoked_reason_enc: ctx.deps.cipher.encrypt(input.reason),
      revoked_at: now,
      revoked_by: ctx.actor?.id ?? null,
      updated_at: now,
    });
    if (!updated) throw conflict;
    await appendAudit(trx, ctx, {
      action: 'sanction.revoke',
      entityType: 'worker_sanction',
      entityId: id,
      orgCode: row.org_code,
      before: { workerId: Number(row.worker_id), kind: row.kind, decidedOn: row.decided_on, status: 'in_force' },
      after: { status: 'revoked' },
    });
  });
  return getSanction(ctx, id);
}

/** The register in scope, paged: filter by org subtree, year of decision, kind and status. */
export async function findSanctions(ctx: OpContext, query: TSanctionListQuery): Promise<Page<TSanctionListItem>> {
  let org: { code: string; level: number } | undefined;
  if (query.orgCode) {
    const row = await findOrgInScope(ctx, query.orgCode);
    if (!row) return { items: [], total: 0 };
    org = { code: row.code, level: row.level };
  }
  const period = query.year === undefined ? undefined : assessmentYearPeriod(query.year);
  const { items, total } = await repo.findSanctionsInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { org, from: period?.from, to: period?.to, kind: query.kind, status: query.status },
    query.pageSize,
    pageOffset(query),
  );
  return { items: await presentListItems(ctx, items), total };
}

/** An in-force sanction as other modules read it. */
export interface SanctionInForce {
  id: number;
  workerId: number;
  kind: SanctionKind;
  decidedOn: string;
  documentNo: string | null;
}

/**
 * In-force (not revoked) sanctions of the given workers decided within [from, to] (either bound optional),
 * oldest first per worker. Unscoped: for exit runs and assessment computations that have already limited
 * their workers to the caller's scope. Reasons are not read.
 */
export async function findSanctionsInForceForWorkersUnscoped(
  db: Kysely<Database>,
  workerIds: readonly number[],
  period: { from?: string; to?: string } = {},
): Promise<SanctionInForce[]> {
  const rows = await repo.findInForceForWorkersUnscoped(db, workerIds, period);
  return rows.map((r) => ({
    id: Number(r.id),
    workerId: Number(r.worker_id),
    kind: r.kind as SanctionKind,
    decidedOn: r.decided_on,
    documentNo: r.document_no,
  }));
}

/**
 * The veto items (一票否决) the register triggers for an assessment period (a cycle's year, half or
 * quarter, see assessmentCyclePeriod): in-force sanctions decided in it, mapped to the template's veto
 * keys (vetoesFromSanctions). Unscoped like the above.
 */
export async function findRegisterVetoesUnscoped(
  db: Kysely<Database>,
  workerIds: readonly number[],
  period: { from: string; to: string },
  templateVetoKeys: readonly string[],
): Promise<Map<number, RegisterVeto>> {
  if (templateVetoKeys.length === 0 || workerIds.length === 0) return new Map();
  return vetoesFromSanctions(await findSanctionsInForceForWorkersUnscoped(db, workerIds, period), templateVetoKeys);
}
