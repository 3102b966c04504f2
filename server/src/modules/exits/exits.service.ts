import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { ancestorCodes, NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { findWorkerContracts, terminateContract } from '../contracts/contracts.service.ts';
import { postCategoryOf, type ExitReason } from '../meta/enums.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import { findSanctionsInForceForWorkersUnscoped } from '../sanctions/sanctions.service.ts';
import { changeWorkerStatus } from '../workers/workers.lifecycle.service.ts';
import { getWorker, todayDate } from '../workers/workers.service.ts';
import type { AssessmentResult } from '../assessment/rules/template.ts';
import * as repo from './exits.repo.ts';
import type { TExitCase } from './exits.schema.ts';
import { DEFAULT_HANDOVER_CHECKLIST, assertTransition, exitCaseStateLabel, nextStates, type ExitCaseState } from './rules/exit-case.ts';
import {
  DEFAULT_EXIT_RULES,
  EXIT_ACTIONS,
  parseExitRules,
  proposeExitCases,
  type ExitRule,
  type ExitRules,
  type ExitWorkerInput,
} from './rules/exit-rules.ts';

interface HandoverItem {
  key: string;
  nameZh: string;
  done: boolean;
}

const conflict = (message: string, messageEn: string) => new AppError('CONFLICT', { message, messageEn });

/** The exit rules in force for an org on a date: the newest version at the nearest ancestor, else the defaults. */
export async function resolveExitRules(ctx: OpContext, orgCode: string, on = todayDate()) {
  const codes = orgCode === NATION_CODE ? [NATION_CODE] : [NATION_CODE, ...ancestorCodes(orgCode), orgCode];
  const [hit] = await repo.findRuleSets(ctx.deps.db.kysely, codes, on);
  if (!hit) return { sourceOrgCode: NATION_CODE, effectiveFrom: null, isDefault: true, rules: DEFAULT_EXIT_RULES };
  return { sourceOrgCode: hit.org_code, effectiveFrom: hit.effective_from, isDefault: false, rules: parseExitRules(JSON.parse(hit.rules)) };
}

export async function getExitRules(ctx: OpContext, orgCode: string) {
  if (!(await findOrgInScope(ctx, orgCode))) throw AppError.notFound();
  const r = await resolveExitRules(ctx, orgCode);
  return { ...r, rules: r.rules as unknown as Record<string, unknown> };
}

/** Saves a new version of a region's exit rules (rules are data, versioned by effective date). */
export async function saveExitRules(ctx: OpContext, input: { orgCode: string; effectiveFrom: string; rules: unknown }) {
  const org = await findOrgInScope(ctx, input.orgCode);
  if (!org) throw AppError.notFound();
  let rules: ExitRules;
  try {
    rules = parseExitRules(input.rules);
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      const issues = ((err.details as { issues: { field: string; message: string }[] }).issues ?? []).map((i) => ({
        ...i,
        field: `rules.${i.field}`,
      }));
      throw new AppError('VALIDATION_FAILED', { message: err.message, details: { issues } });
    }
    throw err;
  }
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    const id = await repo.insertRuleSet(trx, {
      org_code: org.code,
      effective_from: input.effectiveFrom,
      rules: JSON.stringify(rules),
      created_by: ctx.actor?.id ?? null,
      created_at: nowIso(),
    });
    await appendAudit(trx, ctx, {
      action: 'exit_rules.save',
      entityType: 'exit_rule_set',
      entityId: id,
      orgCode: org.code,
      after: { effectiveFrom: input.effectiveFrom, rules: rules.rules.map((r) => r.key) },
    });
  });
  return getExitRules(ctx, org.code);
}

function exitReasonFor(rule: ExitRule): ExitReason {
  if (rule.action === 'retire' || rule.kind === 'retirement_age') return 'retirement';
  if (rule.kind === 'sanction') return 'dismissal';
  if (rule.kind === 'assessment_result' && rule.action === 'terminate') return 'assessment_unqualified';
  return 'contract_expiry';
}

async function presentCases(ctx: OpContext, rows: repo.ExitCaseRow[], withEvents = false): Promise<TExitCase[]> {
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  const out: TExitCase[] = [];
  for (const r of rows) {
    const state = r.state as ExitCaseState;
    const c: TExitCase = {
      id: Number(r.id),
      workerId: Number(r.worker_id),
      workerName: r.worker_name,
      orgCode: r.org_code,
      orgName: names.get(r.org_code) ?? null,
      ruleKey: r.rule_key,
      ruleName: r.rule_name,
      action: r.action,
      actionLabel: EXIT_ACTIONS.find((a) => a.code === r.action)?.label ?? r.action,
      state,
      stateLabel: exitCaseStateLabel(state),
      nextStates: nextStates(state),
      dueDate: r.due_date,
      explanation: r.explanation,
      handover: JSON.parse(r.handover) as HandoverItem[],
      noticeDate: r.notice_date,
      handoverDate: r.handover_date,
      terminatedDate: r.terminated_date,
      exitedDate: r.exited_date,
      documents: r.documents,
      withdrawnReason: r.withdrawn_reason,
      createdAt: r.created_at,
    };
    if (withEvents) {
      c.events = (await repo.findCaseEvents(ctx.deps.db.kysely, Number(r.id))).map((e) => ({
        fromState: e.from_state,
        toState: e.to_state,
        at: e.at,
        effectiveDate: e.effective_date,
        actorName: e.actor_name,
        note: e.note,
      }));
    }
    out.push(c);
  }
  return out;
}

async function getCaseRowOrThrow(ctx: OpContext, id: number) {
  const row = await repo.getCaseInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

export async function getExitCase(ctx: OpContext, id: number): Promise<TExitCase> {
  return (await presentCases(ctx, [await getCaseRowOrThrow(ctx, id)], true))[0]!;
}

export async function findExitCases(
  ctx: OpContext,
  query: { page: number; pageSize: number; orgCode?: string | undefined; state?: string | undefined },
) {
  let orgLevel: number | undefined;
  if (query.orgCode) {
    const org = await findOrgInScope(ctx, query.orgCode);
    if (!org) return { items: [], total: 0 };
    orgLevel = org.level;
  }
  const { items, total } = await repo.findCasesInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { orgCode: query.orgCode, orgLevel, state: query.state },
    query.pageSize,
    (query.page - 1) * query.pageSize,
  );
  return { items: await presentCases(ctx, items), total };
}

/**
 * Runs the exit rules over an org's workers as of a date (today by default): last final results from
 * `assessment_results`, the active labour contract, birth date, gender, post and in-force sanctions from the
 * register. Opens one proposed case per matched worker with the rule that triggered it and its explanation;
 * workers with an open case are skipped. Idempotent: running twice opens nothing new.
 */
export async function runExitProposals(ctx: OpContext, input: { orgCode: string; asOf?: string | undefined }) {
  const org = await findOrgInScope(ctx, input.orgCode);
  if (!org) throw AppError.notFound();
  const asOf = input.asOf ?? todayDate();
  const { rules } = await resolveExitRules(ctx, org.code, asOf);
  const db = ctx.deps.db.kysely;
  const scope = { orgCode: org.code, level: org.level };
  const workers = await repo.findRunWorkers(db, scope);
  const ids = workers.map((w) => Number(w.id));
  const [contracts, results, open, sanctions] = await Promise.all([
    repo.findRunActiveContracts(db, ids),
    repo.findRunResults(db, ids),
    repo.findWorkersWithOpenCase(db, ids),
    findSanctionsInForceForWorkersUnscoped(db, ids, { to: asOf }),
  ]);
  const contractOf = new Map(contracts.map((c) => [Number(c.worker_id), c]));
  const resultsOf = new Map<number, { year: number; result: AssessmentResult }[]>();
  for (const r of results) {
    const list = resultsOf.get(Number(r.worker_id)) ?? [];
    list.push({ year: Number(r.year), result: r.result as AssessmentResult });
    resultsOf.set(Number(r.worker_id), list);
  }
  const sanctionsOf = new Map<number, ExitWorkerInput['sanctions']>();
  for (const s of sanctions) sanctionsOf.set(s.workerId, [...(sanctionsOf.get(s.workerId) ?? []), { kind: s.kind, date: s.decidedOn }]);
  const inputs: ExitWorkerInput[] = workers.map((w) => {
    const c = contractOf.get(Number(w.id));
    const category = postCategoryOf(w.post);
    return {
      id: Number(w.id),
      gender: w.gender === 'M' ? 'male' : 'female',
      birthDate: w.birth_date,
      postCategory: category === 'principal' || category === 'deputy' ? category : 'staff',
      results: resultsOf.get(Number(w.id)) ?? [],
      contractTerm: c ? { start: c.start_date, end: c.end_date } : null,
      contractRenewed: false,
      // In-force sanctions from the register (revoked ones do not count).
      sanctions: sanctionsOf.get(Number(w.id)) ?? [],
    };
  });
  const proposals = proposeExitCases(rules, inputs, asOf);
  const byId = new Map(workers.map((w) => [Number(w.id), w]));
  const skipped: { workerId: number; reason: string }[] = [];
  const createdIds: number[] = [];
  const now = nowIso();
  const handover = JSON.stringify(DEFAULT_HANDOVER_CHECKLIST.map((i) => ({ key: i.key, nameZh: i.nameZh, done: false })));
  await db.transaction().execute(async (trx) => {
    for (const p of proposals) {
      if (open.has(p.workerId)) {
        skipped.push({ workerId: p.workerId, reason: '已有未结束的退出案件' });
        continue;
      }
      const w = byId.get(p.workerId)!;
      const rule = rules.rules.find((r) => r.key === p.ruleKey)!;
      const id = await repo.insertCase(trx, {
        worker_id: p.workerId,
        org_code: w.org_code,
        worker_name: w.name,
        rule_key: p.ruleKey,
        rule_name: rule.nameZh,
        action: p.action,
        exit_reason: exitReasonFor(rule),
        state: 'proposed',
        due_date: p.dueDate,
        explanation: p.explanationZh,
        also_matched: JSON.stringify(p.alsoMatched),
        handover,
        notice_date: null,
        handover_date: null,
        terminated_date: null,
        exited_date: null,
        contract_id: contractOf.get(p.workerId) ? Number(contractOf.get(p.workerId)!.id) : null,
        documents: null,
        withdrawn_reason: null,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
        updated_at: now,
      });
      await repo.insertCaseEvent(trx, {
        case_id: id,
        from_state: null,
        to_state: 'proposed',
        at: now,
        effective_date: asOf,
        actor_id: ctx.actor?.id ?? null,
        actor_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
        note: p.explanationZh,
      });
      await appendAudit(trx, ctx, {
        action: 'exit_case.propose',
        entityType: 'exit_case',
        entityId: id,
        orgCode: w.org_code,
        after: { workerId: p.workerId, ruleKey: p.ruleKey, action: p.action, dueDate: p.dueDate },
      });
      createdIds.push(id);
    }
  });
  const created = [];
  for (const id of createdIds) created.push(await getExitCase(ctx, id));
  return { asOf, considered: workers.length, created, skipped };
}

async function recordStep(
  ctx: OpContext,
  row: repo.ExitCaseRow,
  to: ExitCaseState,
  patch: Record<string, unknown>,
  effectiveDate: string | null,
  note: string | null,
) {
  const now = nowIso();
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateCaseIfState(trx, Number(row.id), row.state, { ...patch, state: to, updated_at: now }))) {
      throw conflict('退出案件已被他人处理，请刷新后重试', 'The case changed meanwhile');
    }
    await repo.insertCaseEvent(trx, {
      case_id: Number(row.id),
      from_state: row.state,
      to_state: to,
      at: now,
      effective_date: effectiveDate,
      actor_id: ctx.actor?.id ?? null,
      actor_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
      note,
    });
    await appendAudit(trx, ctx, {
      action: `exit_case.${to}`,
      entityType: 'exit_case',
      entityId: Number(row.id),
      orgCode: row.org_code,
      before: { state: row.state },
      after: { state: to, effectiveDate, note, ...patch },
    });
  });
  return getExitCase(ctx, Number(row.id));
}

/**
 * Moves a case one step: written notice → handover (checklist) → contract terminated (the labour contract
 * is ended through the contracts service) → exited (the worker's status becomes 已退出 through the
 * lifecycle service). Each step keeps its date and documents and is audited.
 */
export async function advanceExitCase(
  ctx: OpContext,
  id: number,
  input: { to: ExitCaseState; date: string; documents?: string | undefined; note?: string | undefined },
) {
  const row = await getCaseRowOrThrow(ctx, id);
  const from = row.state as ExitCaseState;
  const handover = JSON.parse(row.handover) as HandoverItem[];
  assertTransition(from, input.to, { pendingHandoverItems: handover.filter((h) => !h.done).map((h) => h.nameZh) });
  const documents = input.documents ? [row.documents, `${input.date} ${input.documents}`].filter(Boolean).join('\n') : row.documents;
  const note = input.note ?? null;
  switch (input.to) {
    case 'notified':
      return recordStep(ctx, row, 'notified', { notice_date: input.date, documents }, input.date, note);
    case 'handover':
      return recordStep(ctx, row, 'handover', { handover_date: input.date, documents }, input.date, note);
    case 'contract_terminated': {
      const active = (await findWorkerContracts(ctx, Number(row.worker_id))).find((c) => c.status === 'active');
      if (active) {
        await terminateContract(ctx, active.id, { date: input.date, reason: `${row.rule_name}（退出案件 #${row.id}）` });
      }
      const extra = active ? `解除或终止劳动合同（合同 #${active.id}）` : '无履行中的劳动合同';
      return recordStep(
        ctx,
        row,
        'contract_terminated',
        { terminated_date: input.date, contract_id: active?.id ?? row.contract_id, documents },
        input.date,
        [note, extra].filter(Boolean).join('；'),
      );
    }
    case 'exited': {
      // Already 已退出 (an earlier attempt that failed after this point, or the worker page): the case
      // still completes, so a retry converges instead of failing on the status transition forever.
      const alreadyExited = (await getWorker(ctx, Number(row.worker_id))).status === 'exited';
      if (!alreadyExited) {
        await changeWorkerStatus(ctx, Number(row.worker_id), {
          status: 'exited',
          effectiveDate: input.date,
          exitReason: row.exit_reason as ExitReason,
          reason: `${row.rule_name}（退出案件 #${row.id}）`,
        });
      }
      const extra = alreadyExited ? '人员此前已为“已退出”状态' : null;
      return recordStep(
        ctx,
        row,
        'exited',
        { exited_date: input.date, documents },
        input.date,
        [note, extra].filter(Boolean).join('；') || null,
      );
    }
    default:
      throw conflict('不支持的步骤', 'Unsupported step');
  }
}

/** Withdraws an open case with a reason. */
export async function withdrawExitCase(ctx: OpContext, id: number, reason: string) {
  const row = await getCaseRowOrThrow(ctx, id);
  assertTransition(row.state as ExitCaseState, 'withdrawn', { reason });
  return recordStep(ctx, row, 'withdrawn', { withdrawn_reason: reason.trim() }, null, reason.trim());
}

/** Ticks handover checklist items as done (while the case is in handover). */
export async function updateHandover(ctx: OpContext, id: number, done: string[]) {
  const row = await getCaseRowOrThrow(ctx, id);
  if (row.state !== 'handover') throw conflict('只有处于“工作交接中”的案件可以更新交接清单', 'The case is not in handover');
  const items = JSON.parse(row.handover) as HandoverItem[];
  done.forEach((k, i) => {
    if (!items.some((h) => h.key === k)) throw AppError.field(`done.${i}`, `交接事项“${k}”不存在`);
  });
  const next = items.map((h) => ({ ...h, done: done.includes(h.key) }));
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.updateCaseIfState(trx, id, 'handover', { handover: JSON.stringify(next), updated_at: nowIso() }))) {
      throw conflict('退出案件已被他人处理，请刷新后重试', 'The case changed meanwhile');
    }
    await appendAudit(trx, ctx, {
      action: 'exit_case.handover_update',
      entityType: 'exit_case',
      entityId: id,
      orgCode: row.org_code,
      before: { done: items.filter((h) => h.done).map((h) => h.key) },
      after: { done },
    });
  });
  return getExitCase(ctx, id);
}
