import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';

export const ZHonourParams = z.object({ id: z.coerce.number().int().positive() });
export const ZCandidatesQuery = z.object({ orgCode: ZOrgCode.optional() });

/** Issuing an honours decision (表彰决定) for a region or street of a final cycle. */
export const ZHonourIssue = z.object({
  orgCode: ZOrgCode,
  title: z.string().trim().min(1, '请填写表彰名称').max(100),
  documentNo: z.string().trim().max(100).nullable().optional(),
  decidedOn: z.iso.date('日期格式应为 YYYY-MM-DD'),
});
export type THonourIssue = z.infer<typeof ZHonourIssue>;

export const ZHonourListQuery = ZPaging.extend({ cycleId: z.coerce.number().int().positive().optional() });
export type THonourListQuery = z.infer<typeof ZHonourListQuery>;

/** A worker rated 优秀 in a final cycle, ranked by total score within the list's subtree. */
export const ZHonourCandidate = z.object({
  workerId: z.number().int(),
  name: z.string(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  /** Hundredths of a point. */
  total: z.number().int().nullable(),
  rank: z.number().int(),
});
export type THonourCandidate = z.infer<typeof ZHonourCandidate>;

export const ZHonour = z.object({
  id: z.number().int(),
  cycleId: z.number().int(),
  cycleName: z.string(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  title: z.string(),
  documentNo: z.string().nullable(),
  decidedOn: z.string(),
  memberCount: z.number().int(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export type THonour = z.infer<typeof ZHonour>;
