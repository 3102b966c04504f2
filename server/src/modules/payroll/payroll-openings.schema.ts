import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';
import { ZMonth } from './payroll.schema.ts';

const ZYear = z.coerce.number().int().min(2000).max(2100);
/** Fen: a non-negative integer (100 fen = 1 yuan). */
const ZFenAmount = z
  .number({ error: '应为整数（分）' })
  .int('应为整数（分）')
  .min(0, '不能为负数')
  .max(Number.MAX_SAFE_INTEGER, '金额过大');

export const ZWorkerParams = z.object({ id: z.coerce.number().int().positive() });

/** One worker's opening tax balances of a year (期初累计), January through `throughMonth`. */
export const ZTaxOpeningSave = z.object({
  year: ZYear,
  throughMonth: ZMonth,
  taxMonths: z.number().int('应为整数').min(1, '应为 1–12').max(12, '应为 1–12'),
  cumGrossFen: ZFenAmount,
  cumTaxFreeFen: ZFenAmount,
  cumInsuranceFen: ZFenAmount,
  cumSpecialFen: ZFenAmount,
  cumOtherFen: ZFenAmount,
  cumTaxFen: ZFenAmount,
  note: z.string().trim().max(200).optional(),
});
export type TTaxOpeningSave = z.infer<typeof ZTaxOpeningSave>;

export const ZTaxOpeningQuery = ZPaging.extend({ orgCode: ZOrgCode.optional(), year: ZYear });
export type TTaxOpeningQuery = z.infer<typeof ZTaxOpeningQuery>;

export const ZTaxOpening = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  year: z.number().int(),
  throughMonth: z.string(),
  taxMonths: z.number().int(),
  cumGrossFen: z.number().int(),
  cumTaxFreeFen: z.number().int(),
  cumInsuranceFen: z.number().int(),
  cumSpecialFen: z.number().int(),
  cumOtherFen: z.number().int(),
  cumTaxFen: z.number().int(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
export type TTaxOpening = z.infer<typeof ZTaxOpening>;

export const ZTaxOpeningImportQuery = z.object({
  /** `1`: check every row and report, write nothing. */
  dryRun: z.enum(['0', '1']).default('0'),
  fileName: z.string().trim().min(1).max(200).optional(),
});

export const ZRowError = z.object({ rowNumber: z.number().int(), column: z.string().nullable(), message: z.string() });

export const ZImportResult = z.object({
  isDryRun: z.boolean(),
  totalRows: z.number().int(),
  /** Rows written (0 on a dry run or when any row has an error: all or nothing). */
  saved: z.number().int(),
  errors: z.array(ZRowError),
});
export type TImportResult = z.infer<typeof ZImportResult>;

export const ZPayInputParams = z.object({ id: z.coerce.number().int().positive() });

export const ZPayInputImportQuery = ZTaxOpeningImportQuery.extend({ month: ZMonth });
