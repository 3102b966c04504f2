import { z } from 'zod';

export const ZOrgCode = z
  .string()
  .trim()
  .regex(/^(CN|\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, '组织代码应为统计用区划代码（2、4、6、9或12位数字）');

export const ZOrg = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number().int(),
  parentCode: z.string().nullable(),
  population: z.number().int().nullable(),
  households: z.number().int().nullable(),
  hasChildren: z.boolean(),
  path: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type TOrg = z.infer<typeof ZOrg>;

export const ZOrgParams = z.object({ code: ZOrgCode });

export const ZOrgSearchQuery = z.object({
  q: z.string().trim().min(1).max(50),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZOrgUpdate = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    population: z.number().int().min(0).max(100_000_000).nullable().optional(),
    households: z.number().int().min(0).max(50_000_000).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' });
export type TOrgUpdate = z.infer<typeof ZOrgUpdate>;
