import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { EDUCATION_CODES, POLITICAL_STATUS_CODES, POST_CODES, WORKER_STATUS_CODES } from '../meta/enums.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const ZWorkerSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  gender: z.string(),
  birthDate: z.string(),
  age: z.number().int(),
  orgCode: z.string(),
  orgName: z.string(),
  post: z.string(),
  postCategory: z.string(),
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
});
export type TWorker = z.infer<typeof ZWorker>;

export const ZWorkerCreate = z.object({
  name: z.string().trim().min(1).max(50),
  idNumber: z.string().trim().min(1).max(40),
  orgCode: ZOrgCode,
  post: z.enum(POST_CODES),
  status: z.enum(WORKER_STATUS_CODES).default('active'),
  phone: z.string().trim().max(30).nullable().optional(),
  education: z.enum(EDUCATION_CODES).nullable().optional(),
  politicalStatus: z.enum(POLITICAL_STATUS_CODES).nullable().optional(),
  workStartDate: ZDate.nullable().optional(),
});
export type TWorkerCreate = z.infer<typeof ZWorkerCreate>;

export const ZWorkerUpdate = z
  .object({
    name: z.string().trim().min(1).max(50).optional(),
    idNumber: z.string().trim().min(1).max(40).optional(),
    orgCode: ZOrgCode.optional(),
    post: z.enum(POST_CODES).optional(),
    status: z.enum(WORKER_STATUS_CODES).optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    education: z.enum(EDUCATION_CODES).nullable().optional(),
    politicalStatus: z.enum(POLITICAL_STATUS_CODES).nullable().optional(),
    workStartDate: ZDate.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' });
export type TWorkerUpdate = z.infer<typeof ZWorkerUpdate>;

export const ZWorkerListQuery = ZPaging.extend({
  orgCode: ZOrgCode.optional(),
  q: z.string().trim().max(50).optional(),
  status: z.enum(WORKER_STATUS_CODES).optional(),
  post: z.enum(POST_CODES).optional(),
});
export type TWorkerListQuery = z.infer<typeof ZWorkerListQuery>;

export const ZWorkerParams = z.object({ id: z.coerce.number().int().positive() });

export const ZRevealRequest = z.object({
  fields: z
    .array(z.enum(['idNumber', 'phone']))
    .min(1)
    .max(2)
    .default(['idNumber']),
});
export const ZRevealResponse = z.object({ idNumber: z.string().optional(), phone: z.string().nullable().optional() });
