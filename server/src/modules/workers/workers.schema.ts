import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import {
  EDUCATION_CODES,
  EDUCATION_MODE_CODES,
  ETHNICITY_CODES,
  EXIT_REASON_CODES,
  LEAVE_TYPE_CODES,
  POLITICAL_STATUS_CODES,
  POST_CODES,
  QUALIFICATION_LEVEL_CODES,
  WORKER_STATUS_CODES,
} from '../meta/enums.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';

function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const ZDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isCalendarDate, '不是有效的日期');
const ZText = (max: number) => z.string().trim().max(max).nullable().optional();

export const ZWorkerSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  gender: z.string(),
  birthDate: z.string(),
  age: z.number().int(),
  orgCode: z.string(),
  orgName: z.string(),
  /** The primary post. */
  post: z.string(),
  /** Every post held, the primary included (一肩挑 holds several). */
  posts: z.array(z.string()),
  /** Derived from the highest-ranking post held. */
  postCategory: z.string(),
  /** 一肩挑: Party secretary and committee director at once. */
  isConcurrent: z.boolean(),
  status: z.string(),
  education: z.string().nullable(),
  phoneMasked: z.string().nullable(),
});
export type TWorkerSummary = z.infer<typeof ZWorkerSummary>;

export const ZWorker = ZWorkerSummary.extend({
  streetCode: z.string().nullable(),
  streetName: z.string().nullable(),
  politicalStatus: z.string().nullable(),
  workStartDate: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  formerName: z.string().nullable(),
  ethnicity: z.string().nullable(),
  partyJoinDate: z.string().nullable(),
  educationMode: z.string().nullable(),
  school: z.string().nullable(),
  major: z.string().nullable(),
  address: z.string().nullable(),
  hukou: z.string().nullable(),
  emergencyContactName: z.string().nullable(),
  emergencyContactPhoneMasked: z.string().nullable(),
  joinCommunityDate: z.string().nullable(),
  qualificationLevel: z.string().nullable(),
  certificateNo: z.string().nullable(),
  certificateDate: z.string().nullable(),
  probationEndDate: z.string().nullable(),
  statusDate: z.string().nullable(),
  statusReason: z.string().nullable(),
  leaveType: z.string().nullable(),
  leaveEndDate: z.string().nullable(),
  exitReason: z.string().nullable(),
  exitDate: z.string().nullable(),
});
export type TWorker = z.infer<typeof ZWorker>;

/** Record fields shared by create and update (besides name, ID number, org, post and status). */
const recordFields = {
  phone: z.string().trim().max(30).nullable().optional(),
  education: z.enum(EDUCATION_CODES).nullable().optional(),
  politicalStatus: z.enum(POLITICAL_STATUS_CODES).nullable().optional(),
  workStartDate: ZDate.nullable().optional(),
  posts: z.array(z.enum(POST_CODES)).min(1).max(POST_CODES.length).optional(),
  /** Checked against the ID number when sent. */
  gender: z.enum(['M', 'F']).optional(),
  /** Checked against the ID number when sent. */
  birthDate: ZDate.optional(),
  formerName: ZText(50),
  ethnicity: z.enum(ETHNICITY_CODES).nullable().optional(),
  partyJoinDate: ZDate.nullable().optional(),
  educationMode: z.enum(EDUCATION_MODE_CODES).nullable().optional(),
  school: ZText(100),
  major: ZText(100),
  address: ZText(200),
  hukou: ZText(200),
  emergencyContactName: ZText(50),
  emergencyContactPhone: z.string().trim().max(30).nullable().optional(),
  joinCommunityDate: ZDate.nullable().optional(),
  qualificationLevel: z.enum(QUALIFICATION_LEVEL_CODES).nullable().optional(),
  certificateNo: ZText(50),
  certificateDate: ZDate.nullable().optional(),
  probationEndDate: ZDate.nullable().optional(),
};

export const ZWorkerCreate = z.object({
  name: z.string().trim().min(1).max(50),
  /** 18 characters, or a 15-digit legacy number (converted). */
  idNumber: z.string().trim().min(1).max(40),
  orgCode: ZOrgCode,
  post: z.enum(POST_CODES).optional(),
  status: z.enum(WORKER_STATUS_CODES).default('active'),
  ...recordFields,
});
export type TWorkerCreate = z.input<typeof ZWorkerCreate>;

export const ZWorkerUpdate = z
  .object({
    name: z.string().trim().min(1).max(50).optional(),
    idNumber: z.string().trim().min(1).max(40).optional(),
    orgCode: ZOrgCode.optional(),
    post: z.enum(POST_CODES).optional(),
    /** Only the confirmation of a probationer (试用期 → 在岗); other changes go through POST /workers/{id}/status. */
    status: z.enum(WORKER_STATUS_CODES).optional(),
    ...recordFields,
  })
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' });
export type TWorkerUpdate = z.infer<typeof ZWorkerUpdate>;

export const ZWorkerStatusChange = z.object({
  status: z.enum(WORKER_STATUS_CODES),
  effectiveDate: ZDate,
  /** Free-text note; required when the exit reason is `other`. */
  reason: z.string().trim().max(200).nullable().optional(),
  /** Required for `on_leave`. */
  leaveType: z.enum(LEAVE_TYPE_CODES).optional(),
  /** Expected end of the leave. */
  leaveEndDate: ZDate.nullable().optional(),
  /** Required for `exited`. */
  exitReason: z.enum(EXIT_REASON_CODES).optional(),
  /** Explicit reinstatement of an exited worker (street office only). */
  reinstate: z.boolean().default(false),
});
export type TWorkerStatusChange = z.input<typeof ZWorkerStatusChange>;

export const ZWorkerTransfer = z.object({
  toOrgCode: ZOrgCode,
  effectiveDate: ZDate,
  reason: z.string().trim().max(200).nullable().optional(),
});
export type TWorkerTransfer = z.infer<typeof ZWorkerTransfer>;

/** Columns the list can be sorted by (API name → column); ties are broken by id. */
export const WORKER_SORT_COLUMNS = {
  orgCode: 'org_code',
  name: 'name',
  birthDate: 'birth_date',
  workStartDate: 'work_start_date',
  joinCommunityDate: 'join_community_date',
} as const;

export const ZWorkerListQuery = ZPaging.extend({
  orgCode: ZOrgCode.optional(),
  /** Sort column (default: org code, then id). Sorting a province-wide list by name reads every match. */
  sort: z.enum(['orgCode', 'name', 'birthDate', 'workStartDate', 'joinCommunityDate']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  /** Name prefix, pinyin initials (`zs` finds 张三) or a whole ID number. */
  q: z.string().trim().max(50).optional(),
  status: z.enum(WORKER_STATUS_CODES).optional(),
  post: z.enum(POST_CODES).optional(),
  education: z.enum(EDUCATION_CODES).optional(),
  politicalStatus: z.enum(POLITICAL_STATUS_CODES).optional(),
  qualificationLevel: z.enum(QUALIFICATION_LEVEL_CODES).optional(),
  ageMin: z.coerce.number().int().min(0).max(120).optional(),
  ageMax: z.coerce.number().int().min(0).max(120).optional(),
  /** Workers whose active labour contract ends on or before this date. */
  /** `1`: only workers on the roll (probation, active, on leave), as the dashboard counts them. */
  onRoll: z.enum(['0', '1']).optional(),
  contractEndBefore: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
    .optional(),
});
export type TWorkerListQuery = z.infer<typeof ZWorkerListQuery>;

export const ZWorkerParams = z.object({ id: z.coerce.number().int().positive() });

export const ZRevealRequest = z.object({
  fields: z
    .array(z.enum(['idNumber', 'phone', 'emergencyContactPhone']))
    .min(1)
    .max(3)
    .default(['idNumber']),
});
export const ZRevealResponse = z.object({
  idNumber: z.string().optional(),
  phone: z.string().nullable().optional(),
  emergencyContactPhone: z.string().nullable().optional(),
});

export const ZWorkerAssignment = z.object({
  orgCode: z.string(),
  orgName: z.string(),
  /** Inclusive. */
  fromDate: z.string(),
  /** Exclusive (the date of the next move); null for the current placement. */
  toDate: z.string().nullable(),
  reason: z.string().nullable(),
});
export type TWorkerAssignment = z.infer<typeof ZWorkerAssignment>;

export const ZWorkerHistoryEntry = z.object({
  id: z.number().int(),
  ts: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  /** `create`, `update`, `status` or `transfer`. */
  action: z.string(),
  /** API field name, e.g. `idNumber`, `status`, `orgCode`. */
  field: z.string(),
  /** Personal data appears masked only. */
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  orgCode: z.string(),
});
export type TWorkerHistoryEntry = z.infer<typeof ZWorkerHistoryEntry>;
