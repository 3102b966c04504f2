import { z } from 'zod';
import { ZPaging } from '../../lib/paging.ts';
import { ZOrgCode } from '../orgs/orgs.schema.ts';

export const ZMonth = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const ZId = z.coerce.number().int().positive();

export const RUN_STATUSES = ['draft', 'computing', 'computed', 'approved', 'paid', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const PAY_INPUT_KINDS = [
  'allowance',
  'tax_free_allowance',
  'pre_tax_deduction',
  'post_tax_deduction',
  'special_deduction',
  'other_tax_deduction',
] as const;

export const ZRunParams = z.object({ id: ZId });
export const ZSlipParams = z.object({ id: ZId });

export const ZRunCreate = z.object({ orgCode: ZOrgCode, month: ZMonth });
export type TRunCreate = z.infer<typeof ZRunCreate>;

export const ZRunListQuery = ZPaging.extend({
  orgCode: ZOrgCode.optional(),
  month: ZMonth.optional(),
  status: z.enum(RUN_STATUSES).optional(),
});
export type TRunListQuery = z.infer<typeof ZRunListQuery>;

export const ZRunSlipsQuery = ZPaging.extend({ q: z.string().trim().max(50).optional() });

export const ZRun = z.object({
  id: z.number().int(),
  orgCode: z.string(),
  orgName: z.string(),
  month: z.string(),
  status: z.enum(RUN_STATUSES),
  phase: z.string().nullable(),
  isRunning: z.boolean(),
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
  slipCount: z.number().int(),
  errorCount: z.number().int(),
  totals: z.object({
    grossFen: z.number().int(),
    employeeInsuranceFen: z.number().int(),
    employerInsuranceFen: z.number().int(),
    taxFen: z.number().int(),
    netFen: z.number().int(),
  }),
  rulesUsed: z.unknown().nullable(),
  isDemo: z.boolean(),
  error: z.string().nullable(),
  createdByName: z.string().nullable(),
  approvedByName: z.string().nullable(),
  createdAt: z.string(),
  computedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
});
export type TRun = z.infer<typeof ZRun>;

export const ZSlipLine = z.object({
  code: z.string(),
  nameZh: z.string(),
  kind: z.enum(['earning', 'preTaxDeduction', 'insurance', 'tax', 'postTaxDeduction']),
  amountFen: z.number().int(),
  ruleRef: z.string(),
});

export const ZSlipSummary = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  idNumberMasked: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  month: z.string(),
  isFinal: z.boolean(),
  band: z.string(),
  level: z.number().int(),
  grossFen: z.number().int(),
  employeeInsuranceFen: z.number().int(),
  employerInsuranceFen: z.number().int(),
  taxFen: z.number().int(),
  netFen: z.number().int(),
});
export type TSlipSummary = z.infer<typeof ZSlipSummary>;

export const ZSlip = ZSlipSummary.extend({
  lines: z.array(ZSlipLine),
  rules: z.object({ payTable: z.string(), insuranceRule: z.string(), taxRule: z.string() }),
  taxMonths: z.number().int(),
  cumulativeGrossFen: z.number().int(),
  cumulativeTaxFen: z.number().int(),
});
export type TSlip = z.infer<typeof ZSlip>;

export const ZRunError = z.object({
  workerId: z.number().int(),
  workerName: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  code: z.string(),
  message: z.string(),
});

export const ZExportQuery = z.object({ kind: z.enum(['payroll', 'bank', 'summary']).default('payroll') });

export const ZPayInputCreate = z.object({
  workerId: z.number().int().positive(),
  month: ZMonth,
  kind: z.enum(PAY_INPUT_KINDS),
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, '代码应为小写字母、数字、下划线'),
  name: z.string().trim().min(1).max(40),
  amountFen: z.number().int().min(0).max(100_000_000),
  note: z.string().trim().max(200).optional(),
});
export type TPayInputCreate = z.infer<typeof ZPayInputCreate>;

export const ZPayInputQuery = ZPaging.extend({
  month: ZMonth,
  orgCode: ZOrgCode.optional(),
  workerId: z.coerce.number().int().positive().optional(),
  /** Part of the worker's name. */
  q: z.string().trim().max(50).optional(),
});
export type TPayInputQuery = z.infer<typeof ZPayInputQuery>;

export const ZPayInput = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  workerName: z.string(),
  orgCode: z.string(),
  month: z.string(),
  kind: z.enum(PAY_INPUT_KINDS),
  code: z.string(),
  name: z.string(),
  amountFen: z.number().int(),
  note: z.string().nullable(),
});

export const ZSettingsQuery = z.object({ regionCode: ZOrgCode });

export const ZPayTableCreate = z.object({ regionCode: ZOrgCode, effectiveFrom: ZDate, rules: z.unknown() });
export const ZInsuranceRuleCreate = z.object({ regionCode: ZOrgCode, effectiveFrom: ZDate, rules: z.unknown() });
export const ZWageFloorCreate = z.object({
  regionCode: ZOrgCode,
  year: z.number().int().min(2000).max(2100),
  averageAnnualWageFen: z.number().int().min(1).max(100_000_000_000),
  source: z.string().trim().max(200).optional(),
});

const ZRuleVersion = z.object({
  id: z.number().int(),
  regionCode: z.string(),
  key: z.string().nullable(),
  effectiveFrom: z.string(),
  isDemo: z.boolean(),
  rules: z.unknown(),
  createdAt: z.string(),
});

export const ZPaySettings = z.object({
  regionCode: z.string(),
  payTables: z.array(ZRuleVersion),
  insuranceRules: z.array(ZRuleVersion),
  wageFloors: z.array(
    z.object({
      regionCode: z.string(),
      year: z.number().int(),
      averageAnnualWageFen: z.number().int(),
      isDemo: z.boolean(),
      source: z.string().nullable(),
    }),
  ),
});
export type TPaySettings = z.infer<typeof ZPaySettings>;

export const ZFloorReportQuery = z.object({ orgCode: ZOrgCode, year: z.coerce.number().int().min(2000).max(2100) });
export const ZFloorReport = z.object({
  orgCode: z.string(),
  year: z.number().int(),
  floorYear: z.number().int(),
  floorFen: z.number().int().nullable(),
  isDemoFloor: z.boolean(),
  workersChecked: z.number().int(),
  items: z.array(
    z.object({
      workerId: z.number().int(),
      workerName: z.string(),
      orgCode: z.string(),
      orgName: z.string(),
      months: z.number().int(),
      grossFen: z.number().int(),
      annualisedGrossFen: z.number().int(),
      shortfallFen: z.number().int(),
      message: z.string(),
    }),
  ),
});
