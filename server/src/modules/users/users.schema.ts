import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ROLE_CODES } from '../meta/enums.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';

export const ZUsername = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为3至32位字母、数字或 _ . -');

export const ZUser = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  isDisabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZUserCreate = z.object({
  username: ZUsername,
  displayName: z.string().trim().min(1).max(50),
  role: z.enum(ROLE_CODES),
  orgCode: ZOrgCode,
  password: z.string().min(1).max(128).optional(),
});
export type TUserCreate = z.infer<typeof ZUserCreate>;

export const ZUserUpdate = z
  .object({
    displayName: z.string().trim().min(1).max(50).optional(),
    role: z.enum(ROLE_CODES).optional(),
    orgCode: ZOrgCode.optional(),
    isDisabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' });
export type TUserUpdate = z.infer<typeof ZUserUpdate>;

export const ZUserListQuery = ZPaging.extend({
  orgCode: ZOrgCode.optional(),
  q: z.string().trim().max(50).optional(),
  role: z.enum(ROLE_CODES).optional(),
});
export type TUserListQuery = z.infer<typeof ZUserListQuery>;

export const ZUserParams = z.object({ id: z.coerce.number().int().positive() });
