import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, buildUrl } from './client';
import type { Page } from './types';

export type ImportStatus = 'validating' | 'validated' | 'invalid' | 'committing' | 'committed' | 'failed' | 'cancelled';

export interface ImportJob {
  id: number;
  status: ImportStatus;
  orgCode: string;
  fileName: string;
  fileSize: number;
  fileKind: string | null;
  sheets: { index: number; name: string; isHidden: boolean; rowCount: number }[];
  sheetName: string | null;
  updateExisting: boolean;
  progress: { phase: string; done: number; total: number | null } | null;
  counts: {
    totalRows: number;
    errorRows: number;
    errors: number;
    warnings: number;
    create: number;
    update: number;
    unchanged: number;
    skip: number;
  };
  columns: { key: string; label: string; header: string }[];
  unknownColumns: string[];
  error: { code: string; message: string } | null;
  canCommit: boolean;
  createdAt: string;
  createdByName: string | null;
  validatedAt: string | null;
  committedAt: string | null;
}

export interface ImportIssue {
  rowNumber: number;
  field: string | null;
  column: string | null;
  severity: 'error' | 'warning';
  message: string;
  text: string;
}

export interface ImportPreviewRow {
  rowNumber: number;
  action: 'create' | 'update' | 'unchanged' | 'skip';
  workerId: number | null;
  name: string;
  idNumberMasked: string;
  orgCode: string;
  changes: { field: string; old: unknown; new: unknown }[];
  view: Record<string, string | null>;
}

const BUSY: ImportStatus[] = ['validating', 'committing'];
export const isBusy = (job: ImportJob | undefined) => job !== undefined && BUSY.includes(job.status);

export const importKeys = {
  all: ['worker-imports'] as const,
  job: (id: number) => ['worker-imports', 'job', id] as const,
};

/** One import, polled while it is being checked or committed. */
export function useImportJob(id: number | undefined) {
  return useQuery({
    queryKey: importKeys.job(id ?? 0),
    queryFn: () => api.get<ImportJob>(`/workers/imports/${id}`),
    enabled: id !== undefined,
    refetchInterval: (q) => (isBusy(q.state.data) ? 600 : false),
  });
}

export function useImportJobs(page: number) {
  return useQuery({
    queryKey: [...importKeys.all, 'list', page],
    queryFn: () => api.get<Page<ImportJob>>('/workers/imports', { page, pageSize: 10 }),
    placeholderData: keepPreviousData,
  });
}

export function useImportIssues(id: number | undefined, severity: 'error' | 'warning', page: number, enabled: boolean) {
  return useQuery({
    queryKey: [...importKeys.all, 'issues', id, severity, page],
    queryFn: () => api.get<Page<ImportIssue>>(`/workers/imports/${id}/issues`, { severity, page, pageSize: 20 }),
    enabled: enabled && id !== undefined,
    placeholderData: keepPreviousData,
  });
}

export function useImportPreview(id: number | undefined, action: 'create' | 'update', page: number, enabled: boolean) {
  return useQuery({
    queryKey: [...importKeys.all, 'rows', id, action, page],
    queryFn: () => api.get<Page<ImportPreviewRow>>(`/workers/imports/${id}/rows`, { action, page, pageSize: 20 }),
    enabled: enabled && id !== undefined,
    placeholderData: keepPreviousData,
  });
}

/** Sends the file itself (not JSON) as the request body. */
export function uploadImportFile(file: File, orgCode: string, updateExisting: boolean): Promise<ImportJob> {
  return apiRequest<ImportJob>('/workers/imports', {
    method: 'POST',
    query: { orgCode, fileName: file.name, updateExisting: updateExisting ? '1' : '0' },
    file,
  });
}

export function useUploadImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { file: File; orgCode: string; updateExisting: boolean }) => uploadImportFile(v.file, v.orgCode, v.updateExisting),
    onSuccess: (job) => {
      qc.setQueryData(importKeys.job(job.id), job);
      void qc.invalidateQueries({ queryKey: importKeys.all });
    },
  });
}

function useJobAction<V>(fn: (v: V) => Promise<ImportJob>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (job) => {
      qc.setQueryData(importKeys.job(job.id), job);
      void qc.invalidateQueries({ queryKey: importKeys.all });
      void qc.invalidateQueries({ queryKey: ['workers'] });
    },
  });
}

export const useRevalidateImport = () =>
  useJobAction((v: { id: number; sheet?: string; updateExisting?: boolean }) =>
    api.post<ImportJob>(`/workers/imports/${v.id}/validate`, { sheet: v.sheet, updateExisting: v.updateExisting }),
  );
export const useCommitImport = () => useJobAction((id: number) => api.post<ImportJob>(`/workers/imports/${id}/commit`));
export const useCancelImport = () => useJobAction((id: number) => api.post<ImportJob>(`/workers/imports/${id}/cancel`));

export const importTemplateUrl = () => buildUrl('/workers/import/template');
export const importMarkedUrl = (id: number) => buildUrl(`/workers/imports/${id}/marked`);
