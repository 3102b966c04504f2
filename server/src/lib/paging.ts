import { z } from 'zod';

/** `page` (1-based) and `pageSize` query parameters shared by every list endpoint. */
export const ZPaging = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TPaging = z.infer<typeof ZPaging>;

export function pageOffset(p: TPaging): number {
  return (p.page - 1) * p.pageSize;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export function zPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}
