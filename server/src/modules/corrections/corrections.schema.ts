import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { ZWorkerUpdate } from '../workers/workers.schema.ts';

/**
 * Fields a worker may ask to have corrected on their own record: personal details they know best.
 * Identity (name, ID number), placement, posts, status, dates of service and grades stay with the
 * street office, which edits them directly.
 */
export const CORRECTABLE_FIELDS = [
  'formerName',
  'phone',
  'address',
  'hukou',
  'emergencyContactName',
  'emergencyContactPhone',
  'ethnicity',
  'politicalStatus',
  'partyJoinDate',
  'education',
  'educationMode',
  'school',
  'major',
  'qualificationLevel',
  'certificateNo',
  'certificateDate',
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/** Fields held encrypted on the record: masked in requests, the new value encrypted at rest. */
export const PERSONAL_FIELDS: readonly CorrectableField[] = ['phone', 'emergencyContactPhone'];

export const CORRECTION_STATUS_CODES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

const workerFields = ZWorkerUpdate.shape;
/** The proposed values, validated by the same schemas as the worker edit (PATCH /workers/{id}). */
const ZCorrectionChanges = z
  .strictObject(Object.fromEntries(CORRECTABLE_FIELDS.map((f) => [f, workerFields[f]])) as Pick<typeof workerFields, CorrectableField>, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `以下字段不能申请更正（请联系街道办理）：${iss.keys.join('、')}` : undefined),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: '请至少填写一项更正内容' });

export const ZCorrectionCreate = z.object({
  changes: ZCorrectionChanges,
  /** Why the record is wrong (e.g. "手机号已更换"). */
  reason: z.string().trim().min(1, '请说明更正原因').max(500),
});
export type TCorrectionCreate = z.infer<typeof ZCorrectionCreate>;

export const ZCorrectionReject = z.object({
  /** Shown to the worker. */
  reason: z.string().trim().min(1, '驳回须填写原因').max(500),
});
export type TCorrectionReject = z.infer<typeof ZCorrectionReject>;

export const ZCorrectionChange = z.object({
  field: z.enum(CORRECTABLE_FIELDS),
  /** The value on the record when the request was filed; phone numbers masked. */
  oldValue: z.string().nullable(),
  /** The proposed value; phone numbers masked. */
  newValue: z.string().nullable(),
});
export type TCorrectionChange = z.infer<typeof ZCorrectionChange>;

export const ZCorrection = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  /** The worker's org when the request was filed. */
  orgCode: z.string(),
  orgName: z.string().nullable(),
  status: z.enum(CORRECTION_STATUS_CODES),
  changes: z.array(ZCorrectionChange),
  reason: z.string(),
  requesterName: z.string().nullable(),
  reviewerName: z.string().nullable(),
  /** Why it was rejected (or the reviewer's note). */
  reviewReason: z.string().nullable(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
});
export type TCorrection = z.infer<typeof ZCorrection>;

export const ZCorrectionListQuery = ZPaging.extend({
  status: z.enum(CORRECTION_STATUS_CODES).optional(),
  orgCode: ZOrgCode.optional(),
});
export type TCorrectionListQuery = z.infer<typeof ZCorrectionListQuery>;

export const ZCorrectionParams = z.object({ id: z.coerce.number().int().positive() });
