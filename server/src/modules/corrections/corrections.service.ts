import type { OpContext, Tx } from '../../context.ts';
import { fieldLabel } from '../../http/field-labels.ts';
import { AppError } from '../../lib/errors.ts';
import { maskPhone } from '../../lib/mask.ts';
import { pageOffset } from '../../lib/paging.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import type { TWorker, TWorkerUpdate } from '../workers/workers.schema.ts';
import { fieldError, getWorker, getWorkerPhoneFingerprints, parsePhoneOrThrow, updateWorker } from '../workers/workers.service.ts';
import * as repo from './corrections.repo.ts';
import {
  CORRECTABLE_FIELDS,
  PERSONAL_FIELDS,
  type CorrectableField,
  type TCorrection,
  type TCorrectionCreate,
  type TCorrectionListQuery,
  type TCorrectionReject,
} from './corrections.schema.ts';

/** Blind-index purpose of the fingerprints that tell whether a phone number changed since the request. */
const CHECK_PURPOSE = 'correction_check';

/** One requested change as stored: phone numbers masked, the new one encrypted, the old one fingerprinted. */
interface StoredChange {
  field: CorrectableField;
  old: string | null;
  new: string | null;
  newEnc?: string | null;
  oldCheck?: string;
}

type Status = TCorrection['status'];
const STATUS_LABELS: Record<Status, string> = { pending: '待审核', approved: '已通过', rejected: '已驳回', withdrawn: '已撤回' };

const isPersonal = (field: CorrectableField) => PERSONAL_FIELDS.includes(field);

/** The value the record shows for a plain field (personal fields are compared by fingerprint). */
function recordValue(worker: TWorker, field: CorrectableField): string | null {
  return (worker as Record<string, unknown>)[field] as string | null;
}

function maskedRecordValue(worker: TWorker, field: CorrectableField): string | null {
  return field === 'phone' ? worker.phoneMasked : worker.emergencyContactPhoneMasked;
}

function parseChanges(json: string): StoredChange[] {
  return JSON.parse(json) as StoredChange[];
}

async function presentCorrections(ctx: OpContext, rows: repo.CorrectionRow[]): Promise<TCorrection[]> {
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  return rows.map((r) => ({
    id: Number(r.id),
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    orgCode: r.org_code,
    orgName: names.get(r.org_code) ?? null,
    status: r.status as Status,
    changes: parseChanges(r.changes_json).map((c) => ({ field: c.field, oldValue: c.old, newValue: c.new })),
    reason: r.reason,
    requesterName: r.requester_name,
    reviewerName: r.reviewer_name,
    reviewReason: r.review_reason,
    createdAt: r.created_at,
    reviewedAt: r.reviewed_at,
  }));
}

async function getCorrectionRowOrThrow(ctx: OpContext, id: number): Promise<repo.CorrectionRow> {
  const row = await repo.getCorrectionInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

/** One request in scope, or NOT_FOUND. */
export async function getCorrection(ctx: OpContext, id: number): Promise<TCorrection> {
  const [c] = await presentCorrections(ctx, [await getCorrectionRowOrThrow(ctx, id)]);
  return c!;
}

function assertPending(row: repo.CorrectionRow): void {
  if (row.status !== 'pending') {
    const label = STATUS_LABELS[row.status as Status] ?? row.status;
    throw new AppError('CONFLICT', {
      message: `该更正申请已处理（${label}），不能再次操作`,
      messageEn: `This correction request is already ${row.status}`,
    });
  }
}

const changedMeanwhile = () =>
  new AppError('CONFLICT', { message: '该更正申请已被他人处理，请刷新后重试', messageEn: 'The request was handled meanwhile; reload' });

/**
 * Files a correction request on the caller's own record. Every proposed value is checked as the
 * worker edit checks it; a field that already has a pending request, or a value equal to the
 * record, is refused. Phone numbers are stored masked, the new one encrypted.
 */
export async function requestCorrection(ctx: OpContext, workerId: number, input: TCorrectionCreate): Promise<TCorrection> {
  const worker = await getWorker(ctx, workerId);
  const { cipher } = ctx.deps;
  const requested = CORRECTABLE_FIELDS.filter((f) => input.changes[f] !== undefined);
  const fingerprints = requested.some(isPersonal) ? await getWorkerPhoneFingerprints(ctx, workerId, CHECK_PURPOSE) : null;
  const changes: StoredChange[] = [];
  for (const field of requested) {
    const raw = input.changes[field];
    const value = raw === '' || raw === undefined ? null : raw;
    const label = fieldLabel(field);
    const unchanged = () => fieldError(field, `${label}：与当前档案相同，无需更正`, `${field}: same as the record`);
    if (isPersonal(field)) {
      const phone = value === null ? null : parsePhoneOrThrow(field, label, value);
      const oldCheck = fingerprints![field as 'phone' | 'emergencyContactPhone'];
      if (cipher.blindIndex(CHECK_PURPOSE, phone ?? '') === oldCheck) throw unchanged();
      changes.push({
        field,
        old: maskedRecordValue(worker, field),
        new: phone === null ? null : maskPhone(phone),
        newEnc: phone === null ? null : cipher.encrypt(phone),
        oldCheck,
      });
    } else {
      const old = recordValue(worker, field);
      if (value === old) throw unchanged();
      changes.push({ field, old, new: value });
    }
  }
  const db = ctx.deps.db.kysely;
  const pendingFields = new Set(
    (await repo.findPendingChangesOfWorkerUnscoped(db, workerId)).flatMap((p) => parseChanges(p.changes_json).map((c) => c.field)),
  );
  const clash = changes.find((c) => pendingFields.has(c.field));
  if (clash) {
    const label = fieldLabel(clash.field);
    throw new AppError('CONFLICT', {
      message: `${label}：已有待审核的更正申请，请等待处理或撤回后再申请`,
      messageEn: `${clash.field}: a request for this field is already pending`,
      details: { issues: [{ field: clash.field, message: `${label}：已有待审核的更正申请` }] },
    });
  }
  const now = nowIso();
  const id = await db.transaction().execute(async (trx) => {
    const newId = await repo.insertCorrection(trx, {
      worker_id: workerId,
      org_code: worker.orgCode,
      worker_name: worker.name,
      status: 'pending',
      changes_json: JSON.stringify(changes),
      reason: input.reason,
      requester_user_id: ctx.actor?.id ?? null,
      requester_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
      reviewer_user_id: null,
      reviewer_name: null,
      review_reason: null,
      created_at: now,
      reviewed_at: null,
    });
    await appendAudit(trx, ctx, {
      action: 'correction.request',
      entityType: 'correction_request',
      entityId: newId,
      orgCode: worker.orgCode,
      after: { workerId, fields: changes.map((c) => c.field), status: 'pending' },
    });
    return newId;
  });
  return getCorrection(ctx, id);
}

/** Correction requests in scope (the street's review queue), newest first. */
export async function findCorrections(ctx: OpContext, query: TCorrectionListQuery) {
  let orgLevel: number | undefined;
  if (query.orgCode) {
    const org = await findOrgInScope(ctx, query.orgCode);
    if (!org) return { items: [], total: 0 };
    orgLevel = org.level;
  }
  const { items, total } = await repo.findCorrectionsInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { status: query.status, orgCode: query.orgCode, orgLevel },
    query.pageSize,
    pageOffset(query),
  );
  return { items: await presentCorrections(ctx, items), total };
}

/** The correction requests of one worker in scope, newest first. */
export async function findWorkerCorrections(ctx: OpContext, workerId: number, query: TCorrectionListQuery) {
  await getWorker(ctx, workerId);
  const { items, total } = await repo.findCorrectionsInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { status: query.status, workerId },
    query.pageSize,
    pageOffset(query),
  );
  return { items: await presentCorrections(ctx, items), total };
}

/** Fields whose value on the record is no longer the one the request was filed against. */
async function findConflicts(ctx: OpContext, worker: TWorker, changes: StoredChange[]) {
  const fingerprints = changes.some((c) => isPersonal(c.field)) ? await getWorkerPhoneFingerprints(ctx, worker.id, CHECK_PURPOSE) : null;
  return changes.filter((c) =>
    isPersonal(c.field)
      ? fingerprints![c.field as 'phone' | 'emergencyContactPhone'] !== c.oldCheck
      : recordValue(worker, c.field) !== c.old,
  );
}

/**
 * Approves a pending request: the new values go through the worker edit, so the record, its
 * history, the worker audit entry and the request's own status and audit entry commit together.
 * Refused (409) when a field changed on the record since the request was filed.
 */
export async function approveCorrection(ctx: OpContext, id: number): Promise<TCorrection> {
  const row = await getCorrectionRowOrThrow(ctx, id);
  assertPending(row);
  const workerId = Number(row.worker_id);
  const worker = await getWorker(ctx, workerId);
  const changes = parseChanges(row.changes_json);
  const conflicts = await findConflicts(ctx, worker, changes);
  if (conflicts.length > 0) {
    const labels = conflicts.map((c) => fieldLabel(c.field)).join('、');
    throw new AppError('CONFLICT', {
      message: `档案中的${labels}在申请提交后已被修改，不能按原申请更正；请驳回本申请，由本人核对后重新申请`,
      messageEn: `The record changed since the request was filed (${conflicts.map((c) => c.field).join(', ')}); reject it and ask for a new one`,
      details: { issues: conflicts.map((c) => ({ field: c.field, message: `${fieldLabel(c.field)}：档案已被修改` })) },
    });
  }
  const patch: Record<string, string | null> = {};
  for (const c of changes) patch[c.field] = isPersonal(c.field) ? (c.newEnc ? ctx.deps.cipher.decrypt(c.newEnc) : null) : c.new;
  const now = nowIso();
  await updateWorker(ctx, workerId, patch as TWorkerUpdate, {
    alsoInTransaction: async (trx: Tx) => {
      const done = await repo.updateCorrectionIfStatus(trx, id, 'pending', {
        status: 'approved',
        reviewer_user_id: ctx.actor?.id ?? null,
        reviewer_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
        reviewed_at: now,
      });
      if (!done) throw changedMeanwhile();
      await appendAudit(trx, ctx, {
        action: 'correction.approve',
        entityType: 'correction_request',
        entityId: id,
        orgCode: worker.orgCode,
        before: { status: 'pending' },
        after: { workerId, fields: changes.map((c) => c.field), status: 'approved' },
      });
    },
  });
  return getCorrection(ctx, id);
}

async function closeCorrection(ctx: OpContext, row: repo.CorrectionRow, status: 'rejected' | 'withdrawn', reviewReason: string | null) {
  assertPending(row);
  const id = Number(row.id);
  const db = ctx.deps.db.kysely;
  await db.transaction().execute(async (trx) => {
    const done = await repo.updateCorrectionIfStatus(trx, id, 'pending', {
      status,
      ...(status === 'rejected'
        ? { reviewer_user_id: ctx.actor?.id ?? null, reviewer_name: ctx.actor?.displayName ?? ctx.systemName ?? null }
        : {}),
      review_reason: reviewReason,
      reviewed_at: nowIso(),
    });
    if (!done) throw changedMeanwhile();
    await appendAudit(trx, ctx, {
      action: status === 'rejected' ? 'correction.reject' : 'correction.withdraw',
      entityType: 'correction_request',
      entityId: id,
      orgCode: row.org_code,
      before: { status: 'pending' },
      after: { workerId: Number(row.worker_id), status, ...(reviewReason ? { reviewReason } : {}) },
    });
  });
  return getCorrection(ctx, id);
}

/** Rejects a pending request with a reason the worker sees. */
export async function rejectCorrection(ctx: OpContext, id: number, input: TCorrectionReject): Promise<TCorrection> {
  const row = await getCorrectionRowOrThrow(ctx, id);
  await getWorker(ctx, Number(row.worker_id));
  return closeCorrection(ctx, row, 'rejected', input.reason);
}

/** Withdraws a pending request on the caller's own record. */
export async function withdrawCorrection(ctx: OpContext, id: number): Promise<TCorrection> {
  return closeCorrection(ctx, await getCorrectionRowOrThrow(ctx, id), 'withdrawn', null);
}
