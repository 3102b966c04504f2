import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildUrl } from './client';
import type { Page } from './types';

export type PayrollRunStatus = 'draft' | 'computing' | 'computed' | 'approved' | 'paid' | 'failed';
export type SlipLineKind = 'earning' | 'preTaxDeduction' | 'insurance' | 'tax' | 'postTaxDeduction';

export interface PayrollRun {
  id: number;
  orgCode: string;
  orgName: string;
  month: string;
  status: PayrollRunStatus;
  phase: string | null;
  isRunning: boolean;
  progress: { done: number; total: number | null };
  slipCount: number;
  errorCount: number;
  totals: { grossFen: number; employeeInsuranceFen: number; employerInsuranceFen: number; taxFen: number; netFen: number };
  rulesUsed: { versions?: string[]; taxRule?: string } | null;
  isDemo: boolean;
  error: string | null;
  createdByName: string | null;
  approvedByName: string | null;
  createdAt: string;
  computedAt: string | null;
  approvedAt: string | null;
  paidAt: string | null;
}

export interface PayslipSummary {
  id: number;
  runId: number;
  workerId: number;
  workerName: string;
  idNumberMasked: string;
  orgCode: string;
  orgName: string;
  month: string;
  isFinal: boolean;
  band: string;
  level: number;
  grossFen: number;
  employeeInsuranceFen: number;
  employerInsuranceFen: number;
  taxFen: number;
  netFen: number;
}

export interface SlipLine {
  code: string;
  nameZh: string;
  kind: SlipLineKind;
  amountFen: number;
  ruleRef: string;
}

export interface Payslip extends PayslipSummary {
  lines: SlipLine[];
  rules: { payTable: string; insuranceRule: string; taxRule: string };
  taxMonths: number;
  cumulativeGrossFen: number;
  cumulativeTaxFen: number;
}

export interface PayrollRunError {
  workerId: number;
  workerName: string;
  orgCode: string;
  orgName: string;
  code: string;
  message: string;
}

export interface RuleVersion {
  id: number;
  regionCode: string;
  key: string | null;
  effectiveFrom: string;
  isDemo: boolean;
  rules: unknown;
  createdAt: string;
}

export interface PaySettings {
  regionCode: string;
  payTables: RuleVersion[];
  insuranceRules: RuleVersion[];
  wageFloors: { regionCode: string; year: number; averageAnnualWageFen: number; isDemo: boolean; source: string | null }[];
}

export const payrollKeys = {
  all: ['payroll'] as const,
  runs: (q: object) => ['payroll', 'runs', q] as const,
  run: (id: number) => ['payroll', 'run', id] as const,
  slips: (id: number, q: object) => ['payroll', 'run', id, 'slips', q] as const,
  errors: (id: number, q: object) => ['payroll', 'run', id, 'errors', q] as const,
  slip: (id: number) => ['payroll', 'slip', id] as const,
  mine: (q: object) => ['payroll', 'mine', q] as const,
  settings: (regionCode: string) => ['payroll', 'settings', regionCode] as const,
};

/** Fen as yuan with two decimals and thousands separators, exactly (no floating point). */
export function formatFen(fen: number): string {
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fen < 0 ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

export function usePayrollRuns(query: { orgCode?: string | undefined; page: number; pageSize: number }) {
  return useQuery({
    queryKey: payrollKeys.runs(query),
    queryFn: () => api.get<Page<PayrollRun>>('/payroll-runs', { ...query }),
    placeholderData: keepPreviousData,
  });
}

/** One run; polls while it is computing so the progress bar moves. */
export function usePayrollRun(id: number | undefined) {
  return useQuery({
    queryKey: payrollKeys.run(id ?? 0),
    queryFn: () => api.get<PayrollRun>(`/payroll-runs/${id}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data?.status === 'computing' ? 1000 : false),
  });
}

export function usePayrollRunSlips(id: number | undefined, query: { page: number; pageSize: number; q?: string }) {
  return useQuery({
    queryKey: payrollKeys.slips(id ?? 0, query),
    queryFn: () => api.get<Page<PayslipSummary>>(`/payroll-runs/${id}/slips`, { ...query }),
    enabled: !!id,
    placeholderData: keepPreviousData,
  });
}

export function usePayrollRunErrors(id: number | undefined, query: { page: number; pageSize: number }) {
  return useQuery({
    queryKey: payrollKeys.errors(id ?? 0, query),
    queryFn: () => api.get<Page<PayrollRunError>>(`/payroll-runs/${id}/errors`, { ...query }),
    enabled: !!id,
  });
}

export function usePayslip(id: number | undefined) {
  return useQuery({ queryKey: payrollKeys.slip(id ?? 0), queryFn: () => api.get<Payslip>(`/payslips/${id}`), enabled: !!id });
}

export function useMyPayslips(query: { page: number; pageSize: number }) {
  return useQuery({
    queryKey: payrollKeys.mine(query),
    queryFn: () => api.get<Page<PayslipSummary>>('/me/payslips', { ...query }),
  });
}

export function useCreatePayrollRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { orgCode: string; month: string }) => api.post<PayrollRun>('/payroll-runs', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: payrollKeys.all }),
  });
}

/** compute / approve / paid on a run. */
export function usePayrollRunAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'compute' | 'approve' | 'paid' }) =>
      api.post<PayrollRun>(`/payroll-runs/${id}/${action}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: payrollKeys.all }),
  });
}

export function payrollExportUrl(id: number, kind: 'payroll' | 'bank' | 'summary'): string {
  return buildUrl(`/payroll-runs/${id}/export`, { kind });
}

export function usePaySettings(regionCode: string | undefined) {
  return useQuery({
    queryKey: payrollKeys.settings(regionCode ?? ''),
    queryFn: () => api.get<PaySettings>('/payroll/settings', { regionCode }),
    enabled: !!regionCode,
  });
}

export function useSavePayRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      kind,
      regionCode,
      effectiveFrom,
      rules,
    }: {
      kind: 'pay-tables' | 'insurance-rules';
      regionCode: string;
      effectiveFrom: string;
      rules: unknown;
    }) => api.post<PaySettings>(`/payroll/${kind}`, { regionCode, effectiveFrom, rules }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['payroll', 'settings'] }),
  });
}
