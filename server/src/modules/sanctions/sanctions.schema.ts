import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { SANCTION_KIND_CODES, SANCTION_STATUSES } from './rules/sanction-rules.ts';

const ZDate = z.iso.date('日期格式应为 YYYY-MM-DD').describe('YYYY-MM-DD');
const STATUS_CODES = SANCTION_STATUSES.map((s) => s.code) as [string, ...string[]];
const ZKind = z.enum(SANCTION_KIND_CODES, { error: '处分种类无效' });

export const ZSanctionWorkerParams = z.object({ id: z.coerce.number().int().positive() });
export const ZSanctionParams = z.object({ id: z.coerce.number().int().positive() });

/** Recording a sanction (登记处分); the date rules are checked by the service (checkSanctionDates). */
export const ZSanctionCreate = z.object({
  kind: ZKind,
  decidedOn: ZDate,
  /** End of the influence period (影响期), when the decision sets one. */
  endsOn: ZDate.nullable().optional(),
  authority: z.string().trim().min(1, '请填写决定机关').max(100),
  documentNo: z.string().trim().max(100).nullable().optional(),
  reason: z.string().trim().min(1, '请填写处分事由').max(1000),
});
export type TSanctionCreate = z.infer<typeof ZSanctionCreate>;

/** Revoking a sanction (撤销), e.g. overturned on review: the reason is required. */
export const ZSanctionRevoke = z.object({ reason: z.string().trim().min(1, '请填写撤销原因').max(1000) });
export type TSanctionRevoke = z.infer<typeof ZSanctionRevoke>;

export const ZSanctionListQuery = ZPaging.extend({
  orgCode: ZOrgCode.optional(),
  /** Sanctions decided in this calendar year. */
  year: z.coerce.number().int().min(1949).max(2100).optional(),
  kind: ZKind.optional(),
  status: z.enum(STATUS_CODES).optional(),
});
export type TSanctionListQuery = z.infer<typeof ZSanctionListQuery>;

/** A sanction as the worker's tab shows it (reasons decrypted: the caller may read the worker). */
export const ZSanction = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  kind: z.string(),
  kindLabel: z.string(),
  decidedOn: z.string(),
  endsOn: z.string().nullable(),
  /** In force and within its influence period today. */
  isInInfluencePeriod: z.boolean(),
  authority: z.string(),
  documentNo: z.string().nullable(),
  reason: z.string(),
  status: z.enum(STATUS_CODES),
  statusLabel: z.string(),
  revokedReason: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TSanction = z.infer<typeof ZSanction>;

/** A row of the register list: no free-text reasons (open the worker's tab for those). */
export const ZSanctionListItem = ZSanction.omit({ reason: true, revokedReason: true });
export type TSanctionListItem = z.infer<typeof ZSanctionListItem>;

export const ZWorkerSanctions = z.object({ items: z.array(ZSanction) });
