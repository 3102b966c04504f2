import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, buildUrl } from './client';
import type { Page } from './types';

/** Shapes of the grades API (docs/api-foundation.md, 岗位等级). */

export type GradeRunKind = 'initial' | 'promotion';
export type GradeRunStatus = 'computing' | 'previewed' | 'applying' | 'approved' | 'applied' | 'failed' | 'cancelled';
export type GradeChange = 'initial' | 'step' | 'early_step' | 'none' | 'error';
export type AssessmentResultCode = 'excellent' | 'competent' | 'basically_competent' | 'incompetent';

export interface GradeBand {
  key: string;
  nameZh: string;
  minLevel: number;
  maxLevel: number;
  postCategories?: string[];
  posts?: string[];
}

/** A grade scheme rule set (server: ZGradeScheme). */
export interface GradeSchemeRules {
  key: string;
  nameZh: string;
  source?: string;
  isIllustrative?: boolean;
  stepYears: number;
  bands: GradeBand[];
  educationCreditYears: Record<string, number>;
  qualificationBonus: { mode: 'levels'; levels: Record<string, number> } | { mode: 'allowance'; monthlyFen: Record<string, number> };
  countingResults?: AssessmentResultCode[];
  earlyStep?: { consecutiveExcellentYears: number; maxEarlySteps: number };
}

export interface GradeSchemeVersion {
  id: number;
  regionCode: string;
  regionName: string | null;
  schemeKey: string;
  effectiveFrom: string;
  rules: GradeSchemeRules;
  createdAt: string;
}

export interface GradeSchemeView {
  effective: GradeSchemeVersion | null;
  versions: GradeSchemeVersion[];
}

export interface WorkerGrade {
  id: number;
  workerId: number;
  orgCode: string;
  schemeId: number;
  schemeKey: string | null;
  schemeName: string | null;
  band: string;
  bandName: string | null;
  level: number;
  effectiveDate: string;
  lastStepDate: string;
  earlyStepsUsed: number;
  source: 'initial' | 'promotion' | 'reband' | 'manual';
  runId: number | null;
  isCurrent: boolean;
  textZh: string;
  createdAt: string;
}

export interface AssessmentResultRow {
  id: number;
  workerId: number;
  year: number;
  result: AssessmentResultCode;
  source: 'manual' | 'import' | 'cycle';
  note: string | null;
  isFinal: boolean;
  updatedAt: string;
}

export interface GradeRunCounts {
  total: number;
  initial: number;
  step: number;
  early_step: number;
  none: number;
  error: number;
}

export interface GradeRun {
  id: number;
  orgCode: string;
  orgName: string | null;
  kind: GradeRunKind;
  runYear: number | null;
  effectiveDate: string | null;
  status: GradeRunStatus;
  counts: GradeRunCounts;
  createdAt: string;
  approvedAt: string | null;
  appliedAt: string | null;
  /** Why the run stopped (failed computation, interrupted approval). */
  error: string | null;
}

export interface GradeRunItem {
  id: number;
  workerId: number;
  workerName: string;
  orgCode: string;
  orgName: string | null;
  fromBand: string | null;
  fromBandName: string | null;
  fromLevel: number | null;
  toBand: string | null;
  toBandName: string | null;
  toLevel: number | null;
  change: GradeChange;
  textZh: string;
  error: string | null;
}

export interface GradeRunCreate {
  orgCode: string;
  kind: GradeRunKind;
  runYear?: number;
  effectiveDate?: string;
}

export const gradeKeys = {
  scheme: (code: string) => ['grades', 'scheme', code] as const,
  worker: (id: string) => ['grades', 'worker', id] as const,
  results: (id: string) => ['grades', 'results', id] as const,
  runs: (q: object) => ['grades', 'runs', q] as const,
  run: (id: number) => ['grades', 'run', id] as const,
  items: (id: number, q: object) => ['grades', 'run', id, 'items', q] as const,
};

const workerPath = (id: string) => `/workers/${encodeURIComponent(id)}`;

export function useGradeScheme(orgCode: string | undefined) {
  return useQuery({
    queryKey: gradeKeys.scheme(orgCode ?? ''),
    queryFn: () => api.get<GradeSchemeView>(`/orgs/${encodeURIComponent(orgCode!)}/grade-scheme`),
    enabled: !!orgCode,
  });
}

export function useSaveGradeScheme(orgCode: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { effectiveFrom: string; rules: unknown }) =>
      api.post<GradeSchemeView>(`/orgs/${encodeURIComponent(orgCode)}/grade-scheme`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['grades', 'scheme'] }),
  });
}

export function useWorkerGrades(workerId: string) {
  return useQuery({
    queryKey: gradeKeys.worker(workerId),
    queryFn: () => api.get<{ current: WorkerGrade | null; items: WorkerGrade[] }>(`${workerPath(workerId)}/grades`),
  });
}

export function useAssessmentResults(workerId: string) {
  return useQuery({
    queryKey: gradeKeys.results(workerId),
    queryFn: () => api.get<{ items: AssessmentResultRow[] }>(`${workerPath(workerId)}/assessment-results`),
  });
}

export function usePutAssessmentResults(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (items: { year: number; result: AssessmentResultCode | null; note?: string | null }[]) =>
      apiRequest<{ items: AssessmentResultRow[] }>(`${workerPath(workerId)}/assessment-results`, { method: 'PUT', body: { items } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: gradeKeys.results(workerId) }),
  });
}

export interface GradeRunQuery {
  orgCode?: string;
  kind?: GradeRunKind;
  status?: GradeRunStatus;
  page?: number;
  pageSize?: number;
}

export function useGradeRuns(query: GradeRunQuery) {
  return useQuery({
    queryKey: gradeKeys.runs(query),
    queryFn: () => api.get<Page<GradeRun>>('/grade-runs', { ...query }),
    placeholderData: keepPreviousData,
  });
}

export function useGradeRun(id: number | undefined) {
  return useQuery({
    queryKey: gradeKeys.run(id ?? 0),
    queryFn: () => api.get<GradeRun>(`/grade-runs/${id}`),
    enabled: !!id,
  });
}

export function useGradeRunItems(id: number | undefined, query: { change?: GradeChange; page?: number; pageSize?: number }) {
  return useQuery({
    queryKey: gradeKeys.items(id ?? 0, query),
    queryFn: () => api.get<Page<GradeRunItem>>(`/grade-runs/${id}/items`, { ...query }),
    enabled: !!id,
    placeholderData: keepPreviousData,
  });
}

export function useCreateGradeRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: GradeRunCreate) => api.post<GradeRun>('/grade-runs', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['grades', 'runs'] }),
  });
}

export function useGradeRunAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'approve' | 'cancel' }) => api.post<GradeRun>(`/grade-runs/${id}/${action}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['grades'] }),
  });
}

/** Manual grade setting (street HR, region admin): band and level within the band, with a reason. */
export interface WorkerGradeSet {
  band: string;
  level: number;
  reason: string;
  effectiveDate?: string;
}

export function useSetWorkerGrade(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkerGradeSet) =>
      apiRequest<{ current: WorkerGrade | null; items: WorkerGrade[] }>(`${workerPath(workerId)}/grade`, { method: 'PUT', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: gradeKeys.worker(workerId) }),
  });
}

/** One row error of an assessment results import: `第N行 列名：message`. */
export interface AssessmentImportRowError {
  row: number;
  column: string | null;
  message: string;
  text: string;
}

export interface AssessmentImportResult {
  dryRun: boolean;
  ok: boolean;
  counts: { rows: number; created: number; updated: number; unchanged: number; errors: number };
  errors: AssessmentImportRowError[];
  fileSha256: string;
}

export const assessmentImportTemplateUrl = () => buildUrl('/assessment-results/import/template');

/**
 * Sends an assessment results file (the bytes themselves). A dry run answers the row errors; an
 * import with row errors fails with them in the error's `details.rowErrors`.
 */
export function uploadAssessmentResults(file: File, dryRun: boolean): Promise<AssessmentImportResult> {
  return apiRequest<AssessmentImportResult>('/assessment-results/import', {
    method: 'POST',
    query: { dryRun: dryRun ? 'true' : 'false', fileName: file.name },
    file,
  });
}

export function useImportAssessmentResults() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { file: File; dryRun: boolean }) => uploadAssessmentResults(v.file, v.dryRun),
    onSuccess: (r) => {
      if (!r.dryRun) void qc.invalidateQueries({ queryKey: ['grades', 'results'] });
    },
  });
}
