import { z } from 'zod';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { EXIT_CASE_STATES } from './rules/exit-case.ts';

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const STATE_CODES = EXIT_CASE_STATES.map((s) => s.code) as [string, ...string[]];

export const ZExitCaseParams = z.object({ id: z.coerce.number().int().positive() });

export const ZExitRulesQuery = z.object({ orgCode: ZOrgCode });
export const ZExitRulesView = z.object({
  /** The org whose version applies (an ancestor, or `CN` for the built-in defaults). */
  sourceOrgCode: z.string(),
  effectiveFrom: z.string().nullable(),
  isDefault: z.boolean(),
  rules: z.record(z.string(), z.unknown()),
});
export const ZExitRulesSave = z.object({ orgCode: ZOrgCode, effectiveFrom: ZDate, rules: z.unknown() });

export const ZExitRun = z.object({ orgCode: ZOrgCode, asOf: ZDate.optional() });

export const ZHandoverItem = z.object({ key: z.string(), nameZh: z.string(), done: z.boolean() });

export const ZExitCaseEvent = z.object({
  fromState: z.string().nullable(),
  toState: z.string(),
  at: z.string(),
  effectiveDate: z.string().nullable(),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
});

export const ZExitCase = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  ruleKey: z.string(),
  ruleName: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  state: z.enum(STATE_CODES),
  stateLabel: z.string(),
  nextStates: z.array(z.string()),
  dueDate: z.string(),
  explanation: z.string(),
  handover: z.array(ZHandoverItem),
  noticeDate: z.string().nullable(),
  handoverDate: z.string().nullable(),
  terminatedDate: z.string().nullable(),
  exitedDate: z.string().nullable(),
  documents: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
  createdAt: z.string(),
  events: z.array(ZExitCaseEvent).optional(),
});
export type TExitCase = z.infer<typeof ZExitCase>;

export const ZExitRunResult = z.object({
  asOf: z.string(),
  considered: z.number().int(),
  created: z.array(ZExitCase),
  skipped: z.array(z.object({ workerId: z.number().int(), reason: z.string() })),
});

export const ZExitCaseListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  orgCode: ZOrgCode.optional(),
  state: z.enum(STATE_CODES).optional(),
});

export const ZExitCaseAdvance = z.object({
  to: z.enum(['notified', 'handover', 'contract_terminated', 'exited']),
  /** The date the step takes effect (notice served, handover started, contract ended, exit). */
  date: ZDate,
  /** Documents of the step (notice number, signed receipt, …). */
  documents: z.string().trim().max(500).optional(),
  note: z.string().trim().max(500).optional(),
});
export const ZExitCaseWithdraw = z.object({ reason: z.string().trim().min(1, '请填写撤回理由').max(500) });
export const ZExitHandoverUpdate = z.object({ done: z.array(z.string()).max(50) });
