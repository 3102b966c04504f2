import { z } from 'zod';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { ASSESSMENT_PERIOD_CODES, ASSESSMENT_RESULT_CODES, BALLOT_CHOICE_CODES } from './rules/template.ts';
import { VOTER_KIND_CODES } from './rules/ballot-rules.ts';

/** Who fills a sheet-sourced rater group. */
export const SHEET_RATER_KINDS = ['street_office', 'community_lead', 'peers'] as const;
export type SheetRaterKind = (typeof SHEET_RATER_KINDS)[number];

export const CYCLE_STATUSES = ['open', 'computed', 'publicity', 'final'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];
export const CYCLE_STATUS_LABELS: Record<CycleStatus, string> = {
  open: '评议中',
  computed: '已计算（审核中）',
  publicity: '公示中',
  final: '已定档',
};

export const BALLOT_MODES = ['codes', 'open'] as const;
export type BallotMode = (typeof BALLOT_MODES)[number];

export const ZIdParams = z.object({ id: z.coerce.number().int().positive() });
export const ZCycleCommunityParams = z.object({ id: z.coerce.number().int().positive(), code: ZOrgCode });
export const ZCycleWorkerParams = z.object({ id: z.coerce.number().int().positive(), workerId: z.coerce.number().int().positive() });

export const ZCycleCreate = z.object({
  /** The region opening the cycle; its subtree's workers in active or probation status are assessed. */
  orgCode: ZOrgCode,
  name: z.string().trim().min(1).max(50),
  year: z.number().int().min(2000).max(2100),
  /** An AssessmentTemplate; omitted → the default template. Validated with Chinese messages naming the field. */
  template: z.unknown().optional(),
  /** Who fills each sheet group; default: `peers` → peers, `community` → community_lead, others → street_office. */
  sheetRaters: z.record(z.string(), z.enum(SHEET_RATER_KINDS)).optional(),
  /** Days of publicity (公示) after the region's approval. */
  publicityDays: z.number().int().min(0).max(30).default(5),
  /** 年度 (default), 半年 or 季度; overrides the template's period when given. */
  period: z.enum(ASSESSMENT_PERIOD_CODES).optional(),
  /** Which half (1–2) or quarter (1–4) of `year`; required for those periods, absent for an annual cycle. */
  part: z.number().int().min(1).max(4).nullable().optional(),
});
export type TCycleCreate = z.input<typeof ZCycleCreate>;

export const ZCycle = z.object({
  id: z.number().int(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  name: z.string(),
  period: z.string(),
  year: z.number().int(),
  /** The half (1–2) or quarter (1–4); null for an annual cycle. */
  part: z.number().int().nullable(),
  /** '2026年度', '2026年上半年', '2026年第三季度'. */
  periodLabel: z.string(),
  status: z.enum(CYCLE_STATUSES),
  statusLabel: z.string(),
  template: z.record(z.string(), z.unknown()),
  sheetRaters: z.record(z.string(), z.string()),
  publicityDays: z.number().int(),
  publicityUntil: z.string().nullable(),
  participantCount: z.number().int(),
  createdAt: z.string(),
  computedAt: z.string().nullable(),
  finalisedAt: z.string().nullable(),
});
export type TCycle = z.infer<typeof ZCycle>;

export const ZCycleListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  orgCode: ZOrgCode.optional(),
  year: z.coerce.number().int().optional(),
});

export const ZCommunityBallot = z.object({
  communityCode: z.string(),
  communityName: z.string().nullable(),
  streetCode: z.string(),
  ballotMode: z.enum(BALLOT_MODES),
  ballotStatus: z.enum(['pending', 'open', 'closed']),
  /** Public link token of open mode (the street shares the link or prints it as a QR code). */
  linkToken: z.string().nullable(),
  codesIssued: z.number().int(),
  codesUsed: z.number().int(),
  /** Live count of ballots cast (no per-worker figures before the ballot closes). */
  ballots: z.number().int(),
  ordinaryResidentBallots: z.number().int(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
export type TCommunityBallot = z.infer<typeof ZCommunityBallot>;

export const ZBallotOpen = z.object({ mode: z.enum(BALLOT_MODES).default('codes') });
export const ZBallotCodesIssue = z.object({ count: z.number().int().min(1).max(5000) });
export const ZBallotCodesIssued = z.object({
  communityCode: z.string(),
  codes: z.array(z.string()),
  /** A printable page (HTML) with one cut-out slip per code. */
  printHtml: z.string(),
});

export const ZTally = z.object({
  communityCode: z.string(),
  validBallots: z.number().int(),
  ordinaryResidentBallots: z.number().int(),
  quorumMet: z.boolean(),
  quorumReasons: z.array(z.string()),
  workers: z.array(
    z.object({
      workerId: z.number().int(),
      name: z.string(),
      satisfied: z.number().int(),
      basically_satisfied: z.number().int(),
      dissatisfied: z.number().int(),
    }),
  ),
  comments: z.array(z.string()),
});

export const ZSheetQuery = z.object({ group: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/) });
export const ZSheetRow = z.object({
  workerId: z.number().int(),
  name: z.string(),
  post: z.string(),
  postLabel: z.string(),
  orgCode: z.string(),
  scores: z.record(z.string(), z.number().int()).nullable(),
});
export const ZSheet = z.object({
  groupKey: z.string(),
  groupName: z.string(),
  dimensions: z.array(z.object({ key: z.string(), nameZh: z.string(), weightBp: z.number().int() })),
  rows: z.array(ZSheetRow),
});
export const ZSheetSave = z.object({
  group: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  entries: z
    .array(
      z.object({
        workerId: z.number().int().positive(),
        scores: z.record(
          z.string(),
          z.number().int('分数须为整数（单位：0.01分）').min(0, '分数不得小于0').max(10_000, '分数不得超过100分'),
        ),
      }),
    )
    .min(1)
    .max(500),
});
export type TSheetSave = z.infer<typeof ZSheetSave>;

export const ZParticipantUpdate = z.object({
  vetoes: z.array(z.string()).max(30).optional(),
  /** Hundredths; for a worker whose total needs a decision (a missing rater group). */
  decidedTotal: z.number().int().min(0).max(10_000).nullable().optional(),
  note: z.string().trim().max(200).nullable().optional(),
});
export type TParticipantUpdate = z.infer<typeof ZParticipantUpdate>;

export const ZParticipant = z.object({
  workerId: z.number().int(),
  name: z.string(),
  post: z.string(),
  orgCode: z.string(),
  streetCode: z.string(),
  vetoes: z.array(z.string()),
  decidedTotal: z.number().int().nullable(),
  note: z.string().nullable(),
});

export const ZResult = z.object({
  workerId: z.number().int(),
  name: z.string(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  streetCode: z.string(),
  groups: z.array(
    z.object({
      key: z.string(),
      nameZh: z.string(),
      weightBp: z.number().int(),
      raters: z.number().int(),
      score: z.number().int().nullable(),
      missingReason: z.string().optional(),
    }),
  ),
  flags: z.array(z.string()),
  total: z.number().int().nullable(),
  band: z.enum(ASSESSMENT_RESULT_CODES).nullable(),
  finalResult: z.enum(ASSESSMENT_RESULT_CODES).nullable(),
  reasons: z.array(z.record(z.string(), z.unknown())),
  explanation: z.string(),
});
export type TResult = z.infer<typeof ZResult>;

export const ZResultQuery = z.object({ orgCode: ZOrgCode.optional() });

export const ZApprove = z.object({ orgCode: ZOrgCode });
export const ZApproval = z.object({
  orgCode: z.string(),
  level: z.number().int(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string(),
});

export const ZAppealCreate = z.object({ text: z.string().trim().min(1).max(1000) });
export const ZAppealResolve = z.object({
  status: z.enum(['upheld', 'rejected']),
  response: z.string().trim().min(1).max(1000),
  /** For an upheld appeal: the corrected grade. */
  adjustedResult: z.enum(ASSESSMENT_RESULT_CODES).optional(),
});
export const ZAppeal = z.object({
  id: z.number().int(),
  cycleId: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string().nullable(),
  orgCode: z.string(),
  text: z.string(),
  status: z.enum(['pending', 'upheld', 'rejected']),
  response: z.string().nullable(),
  adjustedResult: z.enum(ASSESSMENT_RESULT_CODES).nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type TAppeal = z.infer<typeof ZAppeal>;

export const ZMyResult = z.object({
  cycleId: z.number().int(),
  cycleName: z.string(),
  year: z.number().int(),
  status: z.enum(CYCLE_STATUSES),
  publicityUntil: z.string().nullable(),
  result: ZResult,
  appeals: z.array(ZAppeal),
});

/** The public ballot page: no personal data beyond a worker's name and post. */
export const ZPublicBallot = z.object({
  cycleName: z.string(),
  communityName: z.string(),
  mode: z.enum(BALLOT_MODES),
  status: z.enum(['pending', 'open', 'closed']),
  /** Codes mode: whether this code has already voted. */
  used: z.boolean(),
  workers: z.array(z.object({ id: z.number().int(), name: z.string(), post: z.string(), postLabel: z.string() })),
  voterKinds: z.array(z.object({ code: z.string(), label: z.string() })),
  choices: z.array(z.object({ code: z.string(), label: z.string() })),
  commentMaxChars: z.number().int(),
});

export const ZPublicTokenParams = z.object({ token: z.string().trim().min(6).max(64) });
export const ZPublicBallotBody = z.object({
  voterKind: z.enum(VOTER_KIND_CODES),
  ratings: z.array(z.object({ workerId: z.number().int().positive(), choice: z.enum(BALLOT_CHOICE_CODES) })).max(200),
  comment: z.string().max(2000).optional(),
});
export const ZPublicBallotAccepted = z.object({ ok: z.literal(true), message: z.string() });
