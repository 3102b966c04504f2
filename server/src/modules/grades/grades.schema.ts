import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { ASSESSMENT_RESULT_CODES } from './rules/assessment-results.ts';
import { ZIsoDate } from './rules/full-years.ts';
import { ZGradeScheme } from './rules/grade-scheme.ts';

const ZDate = ZIsoDate.describe('YYYY-MM-DD');

export const GRADE_RUN_KINDS = ['initial', 'promotion'] as const;
export const GRADE_RUN_STATUSES = ['computing', 'previewed', 'applying', 'approved', 'applied', 'failed', 'cancelled'] as const;
export const GRADE_CHANGES = ['initial', 'step', 'early_step', 'none', 'error'] as const;
export const GRADE_SOURCES = ['initial', 'promotion', 'reband', 'manual'] as const;

export const ZWorkerIdParams = z.object({ id: z.coerce.number().int().positive() });
export const ZRunParams = z.object({ id: z.coerce.number().int().positive() });

/** One saved version of a grade scheme. */
export const ZGradeSchemeVersion = z.object({
  id: z.number().int(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  schemeKey: z.string(),
  effectiveFrom: z.string(),
  rules: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TGradeSchemeVersion = z.infer<typeof ZGradeSchemeVersion>;

export const ZGradeSchemeView = z.object({
  /** The version in force today for this node (own or inherited; the national default at least). */
  effective: ZGradeSchemeVersion.nullable(),
  /** Every version set on this node itself, newest first. */
  versions: z.array(ZGradeSchemeVersion),
});
export type TGradeSchemeView = z.infer<typeof ZGradeSchemeView>;

export const ZGradeSchemeCreate = z.object({ effectiveFrom: ZDate, rules: ZGradeScheme });
export type TGradeSchemeCreate = z.infer<typeof ZGradeSchemeCreate>;

export const ZWorkerGrade = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  orgCode: z.string(),
  schemeId: z.number().int(),
  schemeKey: z.string().nullable(),
  schemeName: z.string().nullable(),
  band: z.string(),
  bandName: z.string().nullable(),
  level: z.number().int(),
  effectiveDate: z.string(),
  lastStepDate: z.string(),
  earlyStepsUsed: z.number().int(),
  source: z.string(),
  runId: z.number().int().nullable(),
  isCurrent: z.boolean(),
  /** The Chinese explanation: which rules, years and results produced the grade. */
  textZh: z.string(),
  explanation: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TWorkerGrade = z.infer<typeof ZWorkerGrade>;

export const ZWorkerGrades = z.object({ current: ZWorkerGrade.nullable(), items: z.array(ZWorkerGrade) });

export const ZAssessmentResult = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  orgCode: z.string(),
  year: z.number().int(),
  result: z.string(),
  source: z.string(),
  cycleId: z.number().int().nullable(),
  note: z.string().nullable(),
  /** A result written by an assessment cycle is final and cannot be edited here. */
  isFinal: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TAssessmentResult = z.infer<typeof ZAssessmentResult>;

export const ZAssessmentResults = z.object({ items: z.array(ZAssessmentResult) });

const ZYear = z.int().min(1980).max(2100);

/** Manual entry: upserts the listed years; `result: null` removes a manually entered year. */
export const ZAssessmentResultsPut = z.object({
  items: z
    .array(
      z.object({
        year: ZYear,
        result: z.enum(ASSESSMENT_RESULT_CODES).nullable(),
        note: z.string().trim().max(200).nullable().optional(),
      }),
    )
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.year)).size === items.length, '同一年度只能填写一次'),
});
export type TAssessmentResultsPut = z.infer<typeof ZAssessmentResultsPut>;

/** Manual grade setting (手动调整): band and level within the band's range, and why. */
export const ZWorkerGradeSet = z.object({
  band: z.string().trim().min(1).max(50),
  level: z.int().min(1).max(99),
  reason: z.string().trim().min(1, '必填').max(500),
  /** When the grade takes effect (default today). */
  effectiveDate: ZDate.optional(),
});
export type TWorkerGradeSet = z.infer<typeof ZWorkerGradeSet>;

/** The columns of an assessment results import (姓名, 身份证号, 年度, 考核结果). */
export const ZAssessmentImportQuery = z.object({
  /** `true`: check every row and report, write nothing. */
  dryRun: z.enum(['true', 'false']).default('true'),
  fileName: z.string().trim().max(200).optional(),
});

export const ZAssessmentImportRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
  /** `第N行 列名：message` */
  text: z.string(),
});
export type TAssessmentImportRowError = z.infer<typeof ZAssessmentImportRowError>;

export const ZAssessmentImportResult = z.object({
  dryRun: z.boolean(),
  /** True when every row is valid (and, unless a dry run, written). */
  ok: z.boolean(),
  counts: z.object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errors: z.number().int(),
  }),
  errors: z.array(ZAssessmentImportRowError),
  fileSha256: z.string(),
});
export type TAssessmentImportResult = z.infer<typeof ZAssessmentImportResult>;

export const ZGradeRunCreate = z
  .object({
    orgCode: ZOrgCode,
    kind: z.enum(GRADE_RUN_KINDS),
    /** Promotion: the year whose 1 January the steps take effect. */
    runYear: ZYear.optional(),
    /** Initial grading: the grading date (defaults to today). */
    effectiveDate: ZDate.optional(),
  })
  .refine((r) => r.kind !== 'promotion' || r.runYear !== undefined, { path: ['runYear'], message: '晋级须填写年度' });
export type TGradeRunCreate = z.infer<typeof ZGradeRunCreate>;

export const ZGradeRunCounts = z.object({
  total: z.number().int(),
  initial: z.number().int(),
  step: z.number().int(),
  early_step: z.number().int(),
  none: z.number().int(),
  error: z.number().int(),
});
export type TGradeRunCounts = z.infer<typeof ZGradeRunCounts>;

export const ZGradeRun = z.object({
  id: z.number().int(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  kind: z.string(),
  runYear: z.number().int().nullable(),
  /** The date the new grades take effect. */
  effectiveDate: z.string().nullable(),
  status: z.string(),
  counts: ZGradeRunCounts,
  createdBy: z.number().int().nullable(),
  approvedBy: z.number().int().nullable(),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
  /** Why a run stopped (a failed computation, an interrupted approval); null otherwise. */
  error: z.string().nullable(),
});
export type TGradeRun = z.infer<typeof ZGradeRun>;

export const ZGradeRunQuery = ZPaging.extend({
  orgCode: ZOrgCode.optional(),
  kind: z.enum(GRADE_RUN_KINDS).optional(),
  status: z.enum(GRADE_RUN_STATUSES).optional(),
});
export type TGradeRunQuery = z.infer<typeof ZGradeRunQuery>;

export const ZGradeRunItem = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  orgCode: z.string(),
  orgName: z.string().nullable(),
  fromBand: z.string().nullable(),
  fromBandName: z.string().nullable(),
  fromLevel: z.number().int().nullable(),
  toBand: z.string().nullable(),
  toBandName: z.string().nullable(),
  toLevel: z.number().int().nullable(),
  change: z.string(),
  textZh: z.string(),
  error: z.string().nullable(),
  explanation: z.record(z.string(), z.unknown()).nullable(),
});
export type TGradeRunItem = z.infer<typeof ZGradeRunItem>;

export const ZGradeRunItemQuery = ZPaging.extend({ change: z.enum(GRADE_CHANGES).optional() });
export type TGradeRunItemQuery = z.infer<typeof ZGradeRunItemQuery>;
