import type { OpContext } from '../../context.ts';
import { AppError, isUniqueViolation, type FieldIssue } from '../../lib/errors.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { labelOf, ON_ROLL_STATUSES } from '../meta/enums.ts';
import { findOrgInScope } from '../orgs/orgs.service.ts';
import { getWorker } from '../workers/workers.service.ts';
import {
  addDays,
  CONTRACT_RULES,
  INSURANCE_KINDS,
  lastProbationDay,
  probationLimit,
  type ContractRules,
  type ContractType,
} from './contract-rules.ts';
import * as repo from './contracts.repo.ts';
import type {
  TContract,
  TContractAlert,
  TContractAlertQuery,
  TContractRenew,
  TContractSign,
  TContractTerminate,
  TEnrolment,
  TInsuranceReplace,
} from './contracts.schema.ts';

/** Today as `YYYY-MM-DD` (UTC, like every timestamp). */
function todayDate(): string {
  return nowIso().slice(0, 10);
}

function fieldError(field: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', { message: zh, messageEn: en, details: { issues: [{ field, message: zh, messageEn: en }] } });
}

function activeContractConflict(existing: { contract_no: string | null; start_date: string }): AppError {
  const which = existing.contract_no ? `编号 ${existing.contract_no}` : `自 ${existing.start_date} 起`;
  const message = `劳动合同：该人员已有履行中的劳动合同（${which}），请续签或先解除`;
  return new AppError('CONFLICT', {
    message,
    messageEn: 'contract: the worker already has an active contract; renew or terminate it first',
    details: { issues: [{ field: 'contract', message }] },
  });
}

export function presentContract(r: repo.ContractRow): TContract {
  return {
    id: Number(r.id),
    workerId: Number(r.worker_id),
    orgCode: r.org_code,
    contractType: r.contract_type,
    partyName: r.party_name,
    contractNo: r.contract_no,
    startDate: r.start_date,
    endDate: r.end_date,
    probationEndDate: r.probation_end_date,
    signedDate: r.signed_date,
    status: r.status,
    renewalOf: r.renewal_of === null ? null : Number(r.renewal_of),
    terminatedDate: r.terminated_date,
    terminationReason: r.termination_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function presentEnrolment(r: repo.EnrolmentRow): TEnrolment {
  return {
    id: Number(r.id),
    workerId: Number(r.worker_id),
    kind: r.kind,
    contributionBaseFen: Number(r.contribution_base_fen),
    startDate: r.start_date,
    endDate: r.end_date,
  };
}

interface ContractTerms {
  contractType: ContractType;
  startDate: string;
  endDate: string | null;
  probationEndDate: string | null;
}

/**
 * Checks a contract's dates: an end for fixed-term and project contracts only, after the start;
 * a probation within the term and within the §19 limit (none at all on a renewal).
 */
export function assertContractTerms(t: ContractTerms, opts: { isRenewal: boolean }, rules: ContractRules = CONTRACT_RULES): void {
  if (t.contractType === 'open_ended' && t.endDate) {
    throw fieldError('endDate', '结束日期：无固定期限劳动合同不填结束日期', 'endDate: an open-ended contract has no end date');
  }
  if (t.contractType !== 'open_ended' && !t.endDate) {
    throw fieldError('endDate', '结束日期：固定期限和以完成一定工作任务为期限的劳动合同须填写', 'endDate: required for this contract type');
  }
  if (t.endDate && t.endDate <= t.startDate) {
    throw fieldError('endDate', '结束日期：须晚于开始日期', 'endDate: must be after the start date');
  }
  if (!t.probationEndDate) return;
  if (opts.isRenewal && rules.probationOncePerEmployer) {
    throw fieldError(
      'probationEndDate',
      `试用期结束日期：同一用人单位与同一劳动者只能约定一次试用期，续签合同不得再约定（${rules.source}）`,
      'probationEndDate: probation may be agreed only once with the same employer',
    );
  }
  if (t.probationEndDate < t.startDate) {
    throw fieldError('probationEndDate', '试用期结束日期：不能早于合同开始日期', 'probationEndDate: before the start date');
  }
  if (t.endDate && t.probationEndDate > t.endDate) {
    throw fieldError('probationEndDate', '试用期结束日期：须在合同期限之内', 'probationEndDate: after the end of the term');
  }
  const limit = probationLimit(t, rules);
  if (limit.maxMonths === 0) {
    throw fieldError(
      'probationEndDate',
      `试用期结束日期：${limit.explanation}`,
      'probationEndDate: no probation allowed for this contract',
    );
  }
  const last = lastProbationDay(t.startDate, limit.maxMonths);
  if (t.probationEndDate > last) {
    throw fieldError(
      'probationEndDate',
      `试用期结束日期：${limit.explanation}，最迟 ${last}`,
      `probationEndDate: at most ${limit.maxMonths} months of probation (latest ${last})`,
    );
  }
}

function contractAudit(c: Omit<TContract, 'createdAt' | 'updatedAt'>) {
  return {
    id: c.id,
    contractType: c.contractType,
    partyName: c.partyName,
    contractNo: c.contractNo,
    startDate: c.startDate,
    endDate: c.endDate,
    probationEndDate: c.probationEndDate,
    signedDate: c.signedDate,
    status: c.status,
    renewalOf: c.renewalOf,
  };
}

async function getContractRowOrThrow(ctx: OpContext, id: number): Promise<repo.ContractRow> {
  const row = await repo.getContractInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

async function getContract(ctx: OpContext, id: number): Promise<TContract> {
  return presentContract(await getContractRowOrThrow(ctx, id));
}

/** The labour contracts of one worker in scope, newest first. */
export async function findWorkerContracts(ctx: OpContext, workerId: number): Promise<TContract[]> {
  await getWorker(ctx, workerId);
  const rows = await repo.findContractsInScope(ctx.deps.db.kysely, ctx.scope, workerId);
  return rows.map(presentContract);
}

/**
 * Signs a labour contract with the street office. A worker holds one active contract at a time;
 * one that ended before the new start lapses (`expired`) in the same transaction.
 */
export async function signContract(ctx: OpContext, workerId: number, input: TContractSign): Promise<TContract> {
  const worker = await getWorker(ctx, workerId);
  if (worker.status === 'exited') {
    throw fieldError('workerId', '人员：已退出人员不能签订劳动合同', 'workerId: the worker has exited');
  }
  const terms: ContractTerms = {
    contractType: input.contractType,
    startDate: input.startDate,
    endDate: input.endDate ?? null,
    probationEndDate: input.probationEndDate ?? null,
  };
  assertContractTerms(terms, { isRenewal: false });
  const db = ctx.deps.db.kysely;
  const existing = await repo.getActiveContractInScope(db, ctx.scope, workerId);
  const lapses = existing && existing.end_date !== null && existing.end_date < terms.startDate;
  if (existing && !lapses) throw activeContractConflict(existing);
  const now = nowIso();
  const row = {
    worker_id: workerId,
    org_code: worker.orgCode,
    contract_type: terms.contractType,
    party_name: input.partyName ?? worker.streetName ?? worker.orgName,
    contract_no: input.contractNo || null,
    start_date: terms.startDate,
    end_date: terms.endDate,
    probation_end_date: terms.probationEndDate,
    signed_date: input.signedDate ?? todayDate(),
    status: 'active',
    renewal_of: null,
    terminated_date: null,
    termination_reason: null,
    created_at: now,
    updated_at: now,
  };
  let id: number;
  try {
    id = await db.transaction().execute(async (trx) => {
      if (existing && !(await repo.updateContractIfStatus(trx, Number(existing.id), 'active', { status: 'expired', updated_at: now }))) {
        throw new AppError('CONFLICT', { message: '劳动合同：已被他人修改，请刷新后重试', messageEn: 'contract: changed meanwhile' });
      }
      const newId = await repo.insertContract(trx, row);
      await appendAudit(trx, ctx, {
        action: 'contract.sign',
        entityType: 'labour_contract',
        entityId: newId,
        orgCode: worker.orgCode,
        before: existing ? { expiredContract: { id: Number(existing.id), status: 'active' } } : undefined,
        after: {
          workerId,
          ...contractAudit(presentContract({ ...row, id: newId })),
          ...(existing ? { expiredContract: { id: Number(existing.id), status: 'expired' } } : {}),
        },
      });
      return newId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw activeContractConflict({ contract_no: null, start_date: terms.startDate });
    throw err;
  }
  return getContract(ctx, id);
}

/** Renews an active contract: a new contract linked by `renewalOf`, the old one marked `renewed`. */
export async function renewContract(ctx: OpContext, contractId: number, input: TContractRenew): Promise<TContract> {
  const old = await getContractRowOrThrow(ctx, contractId);
  if (old.status !== 'active') {
    throw fieldError('contract', '劳动合同：只有履行中的劳动合同可以续签', 'contract: only an active contract can be renewed');
  }
  const worker = await getWorker(ctx, Number(old.worker_id));
  if (worker.status === 'exited') {
    throw fieldError('workerId', '人员：已退出人员不能续签劳动合同', 'workerId: the worker has exited');
  }
  const startDate = input.startDate ?? (old.end_date ? addDays(old.end_date, 1) : undefined);
  if (!startDate) throw fieldError('startDate', '开始日期：原合同无结束日期，须填写续签合同的开始日期', 'startDate: required');
  const after = old.end_date ?? old.start_date;
  if (startDate <= after) {
    throw fieldError(
      'startDate',
      `开始日期：须晚于原合同的${old.end_date ? '结束' : '开始'}日期（${after}）`,
      `startDate: must be after ${after}`,
    );
  }
  const terms: ContractTerms = {
    contractType: input.contractType ?? (old.contract_type as ContractType),
    startDate,
    endDate: input.endDate ?? null,
    probationEndDate: input.probationEndDate ?? null,
  };
  assertContractTerms(terms, { isRenewal: true });
  const now = nowIso();
  const row = {
    worker_id: Number(old.worker_id),
    org_code: worker.orgCode,
    contract_type: terms.contractType,
    party_name: input.partyName ?? old.party_name,
    contract_no: input.contractNo || null,
    start_date: terms.startDate,
    end_date: terms.endDate,
    probation_end_date: null,
    signed_date: input.signedDate ?? todayDate(),
    status: 'active',
    renewal_of: contractId,
    terminated_date: null,
    termination_reason: null,
    created_at: now,
    updated_at: now,
  };
  const id = await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateContractIfStatus(trx, contractId, 'active', { status: 'renewed', updated_at: now }))) {
      throw new AppError('CONFLICT', { message: '劳动合同：已被他人修改，请刷新后重试', messageEn: 'contract: changed meanwhile' });
    }
    const newId = await repo.insertContract(trx, row);
    await appendAudit(trx, ctx, {
      action: 'contract.renew',
      entityType: 'labour_contract',
      entityId: newId,
      orgCode: worker.orgCode,
      before: { renewedContract: { id: contractId, status: 'active', endDate: old.end_date } },
      after: {
        workerId: Number(old.worker_id),
        renewedContract: { id: contractId, status: 'renewed' },
        ...contractAudit(presentContract({ ...row, id: newId })),
      },
    });
    return newId;
  });
  return getContract(ctx, id);
}

/** Terminates (解除) an active contract on a date within its term, with a reason. */
export async function terminateContract(ctx: OpContext, contractId: number, input: TContractTerminate): Promise<TContract> {
  const c = await getContractRowOrThrow(ctx, contractId);
  if (c.status !== 'active') {
    throw fieldError('contract', '劳动合同：只有履行中的劳动合同可以解除', 'contract: only an active contract can be terminated');
  }
  if (input.date < c.start_date) {
    throw fieldError('date', `解除日期：不能早于合同开始日期（${c.start_date}）`, 'date: before the start of the contract');
  }
  if (c.end_date && input.date > c.end_date) {
    throw fieldError('date', `解除日期：不能晚于合同结束日期（${c.end_date}）`, 'date: after the end of the contract');
  }
  const now = nowIso();
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    const done = await repo.updateContractIfStatus(trx, contractId, 'active', {
      status: 'terminated',
      terminated_date: input.date,
      termination_reason: input.reason,
      updated_at: now,
    });
    if (!done)
      throw new AppError('CONFLICT', { message: '劳动合同：已被他人修改，请刷新后重试', messageEn: 'contract: changed meanwhile' });
    await appendAudit(trx, ctx, {
      action: 'contract.terminate',
      entityType: 'labour_contract',
      entityId: contractId,
      orgCode: c.org_code,
      before: { status: c.status, terminatedDate: null, terminationReason: null },
      after: { workerId: Number(c.worker_id), status: 'terminated', terminatedDate: input.date, terminationReason: input.reason },
    });
  });
  return getContract(ctx, contractId);
}

/** The social insurance and housing fund enrolments of one worker in scope. */
export async function findWorkerInsurance(ctx: OpContext, workerId: number): Promise<TEnrolment[]> {
  await getWorker(ctx, workerId);
  const rows = await repo.findEnrolmentsInScope(ctx.deps.db.kysely, ctx.scope, workerId);
  return rows.map(presentEnrolment);
}

function kindLabel(kind: string): string {
  return labelOf(INSURANCE_KINDS, kind);
}

/** Periods must end on or after they start, and periods of the same kind must not overlap. */
function insuranceIssues(items: TInsuranceReplace['items']): FieldIssue[] {
  const issues: FieldIssue[] = [];
  items.forEach((it, i) => {
    if (it.endDate && it.endDate < it.startDate) {
      issues.push({ field: `items.${i}.endDate`, message: '结束日期：不能早于开始日期', messageEn: 'endDate: before the start date' });
    }
  });
  const byKind = new Map<string, { i: number; start: string; end: string }[]>();
  items.forEach((it, i) => {
    const list = byKind.get(it.kind) ?? [];
    list.push({ i, start: it.startDate, end: it.endDate ?? '9999-12-31' });
    byKind.set(it.kind, list);
  });
  for (const [kind, list] of byKind) {
    list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (let k = 1; k < list.length; k++) {
      if (list[k]!.start <= list[k - 1]!.end) {
        issues.push({
          field: `items.${list[k]!.i}.startDate`,
          message: `开始日期：${kindLabel(kind)}的参保期间与另一条重叠`,
          messageEn: `startDate: overlaps another ${kind} period`,
        });
      }
    }
  }
  return issues;
}

/** Replaces the set of enrolments of a worker in scope; audited with the whole set before and after. */
export async function replaceWorkerInsurance(ctx: OpContext, workerId: number, input: TInsuranceReplace): Promise<TEnrolment[]> {
  const worker = await getWorker(ctx, workerId);
  const issues = insuranceIssues(input.items);
  if (issues.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `输入有误：${issues[0]!.message}${issues.length > 1 ? ` 等${issues.length}处` : ''}`,
      messageEn: 'Invalid insurance periods',
      details: { issues },
    });
  }
  const db = ctx.deps.db.kysely;
  const before = (await repo.findEnrolmentsInScope(db, ctx.scope, workerId)).map(presentEnrolment);
  const now = nowIso();
  const rows = input.items.map((it) => ({
    worker_id: workerId,
    org_code: worker.orgCode,
    kind: it.kind,
    contribution_base_fen: it.contributionBaseFen,
    start_date: it.startDate,
    end_date: it.endDate ?? null,
    created_at: now,
    updated_at: now,
  }));
  const auditView = (list: { kind: string; contributionBaseFen: number; startDate: string; endDate: string | null }[]) =>
    list.map(({ kind, contributionBaseFen, startDate, endDate }) => ({ kind, contributionBaseFen, startDate, endDate }));
  await db.transaction().execute(async (trx) => {
    await repo.replaceEnrolments(trx, workerId, rows);
    await appendAudit(trx, ctx, {
      action: 'insurance.update',
      entityType: 'worker',
      entityId: workerId,
      orgCode: worker.orgCode,
      before: auditView(before),
      after: auditView(input.items.map((it) => ({ ...it, endDate: it.endDate ?? null }))),
    });
  });
  return findWorkerInsurance(ctx, workerId);
}

function alertDetail(r: repo.AlertRow, today: string, rules: ContractRules): string {
  const due = r.due_date ?? '';
  switch (r.kind) {
    case 'contract_ending':
      return due < today ? `劳动合同已于 ${due} 到期，尚未续签或办结` : `劳动合同将于 ${due} 到期`;
    case 'probation_ending':
      return due < today ? `试用期已于 ${due} 结束，尚未转正` : `试用期将于 ${due} 结束`;
    case 'no_contract':
      return '在册人员无履行中的劳动合同';
    default: {
      const mask = Number(r.missing_mask);
      const missing = rules.requiredInsurance.filter((_, i) => (mask & (1 << i)) !== 0).map(kindLabel);
      return `未参保：${missing.join('、')}`;
    }
  }
}

/**
 * Contract alerts in scope, sorted by due date: contracts ending within `withinDays` (or overdue),
 * probations ending within the rules' window while the worker is still on probation, workers on
 * the roll with no active contract, and workers on the roll missing any of 五险一金 today.
 */
export async function findContractAlerts(
  ctx: OpContext,
  query: TContractAlertQuery,
  rules: ContractRules = CONTRACT_RULES,
): Promise<{ items: TContractAlert[]; total: number }> {
  let org: repo.AlertOrgFilter | null = null;
  if (query.orgCode) {
    const row = await findOrgInScope(ctx, query.orgCode);
    if (!row) return { items: [], total: 0 };
    org = { orgCode: row.code, orgLevel: row.level };
  }
  const today = todayDate();
  const { items, total } = await repo.findContractAlerts(
    ctx.deps.db.kysely,
    ctx.scope,
    org,
    {
      today,
      contractEndBy: addDays(today, query.withinDays),
      probationEndBy: addDays(today, rules.probationEndingWithinDays),
      requiredKinds: rules.requiredInsurance,
      onRollStatuses: ON_ROLL_STATUSES,
    },
    query.pageSize,
    (query.page - 1) * query.pageSize,
  );
  return {
    items: items.map((r) => ({
      kind: r.kind,
      workerId: Number(r.worker_id),
      workerName: r.worker_name,
      orgCode: r.org_code,
      orgName: r.org_name,
      ...(r.due_date ? { dueDate: r.due_date } : {}),
      detail: alertDetail(r, today, rules),
    })),
    total,
  };
}
