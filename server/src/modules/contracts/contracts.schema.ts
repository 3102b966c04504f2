import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { CONTRACT_RULES, CONTRACT_TYPE_CODES, INSURANCE_KIND_CODES } from './contract-rules.ts';

function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const ZDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isCalendarDate, '不是有效的日期');

export const ZContract = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  /** The worker's org at signing. */
  orgCode: z.string(),
  contractType: z.string(),
  partyName: z.string(),
  contractNo: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  probationEndDate: z.string().nullable(),
  signedDate: z.string(),
  status: z.string(),
  renewalOf: z.number().int().nullable(),
  terminatedDate: z.string().nullable(),
  terminationReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TContract = z.infer<typeof ZContract>;

const contractTerms = {
  endDate: ZDate.nullable().optional(),
  probationEndDate: ZDate.nullable().optional(),
  signedDate: ZDate.optional(),
  contractNo: z.string().trim().max(50).nullable().optional(),
  partyName: z.string().trim().min(1).max(100).optional(),
};

export const ZContractSign = z.object({ contractType: z.enum(CONTRACT_TYPE_CODES), startDate: ZDate, ...contractTerms });
export type TContractSign = z.infer<typeof ZContractSign>;

/** A renewal: the type defaults to the old contract's, the start to the day after its end. */
export const ZContractRenew = z.object({
  contractType: z.enum(CONTRACT_TYPE_CODES).optional(),
  startDate: ZDate.optional(),
  ...contractTerms,
});
export type TContractRenew = z.infer<typeof ZContractRenew>;

export const ZContractTerminate = z.object({ date: ZDate, reason: z.string().trim().min(1).max(200) });
export type TContractTerminate = z.infer<typeof ZContractTerminate>;

export const ZEnrolment = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  kind: z.string(),
  contributionBaseFen: z.number().int(),
  startDate: z.string(),
  endDate: z.string().nullable(),
});
export type TEnrolment = z.infer<typeof ZEnrolment>;

export const ZEnrolmentInput = z.object({
  kind: z.enum(INSURANCE_KIND_CODES),
  contributionBaseFen: z.number().int('须为整数（单位：分）').positive('须为正整数（单位：分）').max(100_000_000),
  startDate: ZDate,
  endDate: ZDate.nullable().optional(),
});
export const ZInsuranceReplace = z.object({ items: z.array(ZEnrolmentInput).max(60) });
export type TInsuranceReplace = z.infer<typeof ZInsuranceReplace>;

export const ZContractAlert = z.object({
  kind: z.string(),
  workerId: z.number().int(),
  workerName: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  dueDate: z.string().optional(),
  detail: z.string(),
});
export type TContractAlert = z.infer<typeof ZContractAlert>;

export const ZContractAlertQuery = ZPaging.extend({
  orgCode: ZOrgCode.optional(),
  withinDays: z.coerce.number().int().min(1).max(366).default(CONTRACT_RULES.contractEndingWithinDays),
});
export type TContractAlertQuery = z.infer<typeof ZContractAlertQuery>;

export const ZWorkerIdParams = z.object({ id: z.coerce.number().int().positive() });
export const ZContractParams = z.object({ id: z.coerce.number().int().positive() });
