import { z } from 'zod';
import { PERMISSIONS } from './roles.ts';

export const ZLogin = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const ZChangePassword = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const ZMe = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  orgLevel: z.number().int(),
  workerId: z.number().int().nullable(),
  mustChangePassword: z.boolean(),
  permissions: z.array(z.enum(PERMISSIONS)),
});
export type TMe = z.infer<typeof ZMe>;
