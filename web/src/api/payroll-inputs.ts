import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, apiRequest, buildUrl } from './client';
import type { PayrollRun } from './payroll';
import type { Page, WorkerSummary } from './types';

export const PAY_INPUT_KINDS = [
  'allowance',
  'tax_free_allowance',
  'pre_tax_deduction',
  'post_tax_deduction',
  'special_deduction',
  'other_tax_deduction',
] as const;
export type PayInputKind = (typeof PAY_INPUT_KINDS)[number];

export interface PayInput {
  id: number;
  workerId: number;
  workerName: string;
  orgCode: string;
  month: string;
  kind: PayInputKind;
  code: string;
  name: string;
  amountFen: number;
  note: string | null;
}

export interface PayInputSave {
  workerId: number;
  month: string;
  kind: PayInputKind;
  code: string;
  name: string;
  amountFen: number;
  note?: string;
}

export interface ImportResult {
  isDryRun: boolean;
  totalRows: number;
  saved: number;
  errors: { rowNumber: number; column: string | null; message: string }[];
}

export interface FloorReport {
  orgCode: string;
  year: number;
  floorYear: number;
  floorFen: number | null;
  isDemoFloor: boolean;
  workersChecked: number;
  items: {
    workerId: number;
    workerName: string;
    orgCode: string;
    orgName: string;
    months: number;
    grossFen: number;
    annualisedGrossFen: number;
    shortfallFen: number;
    message: string;
  }[];
}

const keys = {
  inputs: (q: object) => ['payroll', 'inputs', q] as const,
  runsOfMonth: (month: string) => ['payroll', 'runs', 'month', month] as const,
  floor: (q: object) => ['payroll', 'floor-report', q] as const,
  workerSearch: (q: object) => ['workers', 'pick', q] as const,
};

/** A page of a month's inputs of the workers under an org node (in the caller's scope); `q` matches a name. */
export function usePayInputs(query: { orgCode: string; month: string; page: number; pageSize: number; q?: string }) {
  return useQuery({
    queryKey: keys.inputs(query),
    queryFn: () => api.get<Page<PayInput>>('/pay-inputs', { ...query, q: query.q || undefined }),
    placeholderData: keepPreviousData,
  });
}

/** The runs of a month in scope (to warn that inputs changed after a compute need a recompute). */
export function usePayrollRunsOfMonth(month: string) {
  return useQuery({
    queryKey: keys.runsOfMonth(month),
    queryFn: () => api.get<Page<PayrollRun>>('/payroll-runs', { month, pageSize: 200 }),
  });
}

export function useSavePayInput() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PayInputSave) => api.post<PayInput>('/pay-inputs', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['payroll', 'inputs'] }),
  });
}

export function useDeletePayInput() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest<void>(`/pay-inputs/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['payroll', 'inputs'] }),
  });
}

/**
 * Uploads a sheet (the body is the file itself) to an import route. Row errors come back as the
 * result whether the server answered 200 (dry run) or 400 (a commit refused: nothing written).
 */
async function uploadSheet(path: string, query: Record<string, string>, file: File): Promise<ImportResult> {
  try {
    return await apiRequest<ImportResult>(path, { method: 'POST', query: { ...query, fileName: file.name }, file });
  } catch (err) {
    const errors = err instanceof ApiError ? (err.details as { errors?: ImportResult['errors'] } | undefined)?.errors : undefined;
    if (errors) return { isDryRun: query.dryRun === '1', totalRows: 0, saved: 0, errors };
    throw err;
  }
}

/** Imports a sheet of a month's inputs; `isDryRun` only checks. */
export function uploadPayInputs(file: File, month: string, isDryRun: boolean): Promise<ImportResult> {
  return uploadSheet('/pay-inputs/import', { month, dryRun: isDryRun ? '1' : '0' }, file);
}

/** Imports a sheet of opening tax balances (期初累计); `isDryRun` only checks. */
export function uploadTaxOpenings(file: File, isDryRun: boolean): Promise<ImportResult> {
  return uploadSheet('/payroll/tax-openings/import', { dryRun: isDryRun ? '1' : '0' }, file);
}

export interface TaxOpening {
  id: number;
  workerId: number;
  workerName: string;
  orgCode: string;
  orgName: string;
  year: number;
  throughMonth: string;
  taxMonths: number;
  cumGrossFen: number;
  cumTaxFreeFen: number;
  cumInsuranceFen: number;
  cumSpecialFen: number;
  cumOtherFen: number;
  cumTaxFen: number;
  note: string | null;
  updatedAt: string;
}

export function useTaxOpenings(query: { orgCode: string; year: number; page: number; pageSize: number }) {
  return useQuery({
    queryKey: ['payroll', 'tax-openings', query],
    queryFn: () => api.get<Page<TaxOpening>>('/payroll/tax-openings', { ...query }),
    placeholderData: keepPreviousData,
  });
}

export type TaxOpeningSave = Pick<
  TaxOpening,
  | 'year'
  | 'throughMonth'
  | 'taxMonths'
  | 'cumGrossFen'
  | 'cumTaxFreeFen'
  | 'cumInsuranceFen'
  | 'cumSpecialFen'
  | 'cumOtherFen'
  | 'cumTaxFen'
> & { note?: string };

export function useSaveTaxOpening() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ workerId, ...body }: TaxOpeningSave & { workerId: number }) =>
      apiRequest<TaxOpening>(`/workers/${workerId}/tax-opening`, { method: 'PUT', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['payroll', 'tax-openings'] }),
  });
}

/** Workers under an org node matching a name, for a picker. */
export function useWorkerPick(query: { orgCode: string; q: string }) {
  return useQuery({
    queryKey: keys.workerSearch(query),
    queryFn: () => api.get<Page<WorkerSummary>>('/workers', { orgCode: query.orgCode, q: query.q || undefined, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
}

export function useFloorReport(query: { orgCode: string; year: number }) {
  return useQuery({
    queryKey: keys.floor(query),
    queryFn: () => api.get<FloorReport>('/payroll/floor-report', { ...query }),
  });
}

export function floorReportExportUrl(query: { orgCode: string; year: number }): string {
  return buildUrl('/payroll/floor-report/export', { ...query });
}
