import { z } from 'zod';
import { COMMUNITY_CAP_RANGE, STAFFING_PER_10K_RANGE } from './staffing-rules.ts';

export const ZStaffingStandardCreate = z.object({
  per10k: z.number().int().min(STAFFING_PER_10K_RANGE.min).max(STAFFING_PER_10K_RANGE.max),
  communityCap: z.number().int().min(COMMUNITY_CAP_RANGE.min).max(COMMUNITY_CAP_RANGE.max).nullable().optional(),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
  note: z.string().trim().max(200).nullable().optional(),
});
export type TStaffingStandardCreate = z.infer<typeof ZStaffingStandardCreate>;

/** The standard in force for a node, and where it comes from (the explanation of the figure). */
export const ZEffectiveStandard = z.object({
  per10k: z.number().int(),
  communityCap: z.number().int().nullable(),
  /** `default` = the published default; `rule` = a region's rule (see orgCode, effectiveFrom). */
  source: z.enum(['default', 'rule']),
  orgCode: z.string().nullable(),
  orgName: z.string().nullable(),
  effectiveFrom: z.string().nullable(),
  ruleId: z.number().int().nullable(),
});
export type TEffectiveStandard = z.infer<typeof ZEffectiveStandard>;

export const ZStaffingRule = z.object({
  id: z.number().int(),
  orgCode: z.string(),
  per10k: z.number().int(),
  communityCap: z.number().int().nullable(),
  effectiveFrom: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

export const ZStaffingStandardView = z.object({ effective: ZEffectiveStandard, versions: z.array(ZStaffingRule) });
