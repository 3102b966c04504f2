import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  Page,
  RevealResult,
  Worker,
  WorkerAssignment,
  WorkerHistoryEntry,
  WorkerInput,
  WorkerPatch,
  WorkerQuery,
  WorkerStatusChange,
  WorkerSummary,
  WorkerTransfer,
} from './types';

export const workerKeys = {
  all: ['workers'] as const,
  list: (q: WorkerQuery) => ['workers', 'list', q] as const,
  detail: (id: string) => ['workers', 'detail', id] as const,
  assignments: (id: string) => ['workers', 'assignments', id] as const,
  history: (id: string, page: number, pageSize: number) => ['workers', 'history', id, page, pageSize] as const,
};

const path = (id: string) => `/workers/${encodeURIComponent(id)}`;

export function useWorkers(query: WorkerQuery) {
  return useQuery({
    queryKey: workerKeys.list(query),
    queryFn: () => api.get<Page<WorkerSummary>>('/workers', { ...query }),
    placeholderData: keepPreviousData,
  });
}

export function useWorker(id: string | undefined) {
  return useQuery({
    queryKey: workerKeys.detail(id ?? ''),
    queryFn: () => api.get<Worker>(path(id as string)),
    enabled: !!id,
  });
}

/** After any change to one worker: the new record, and everything derived from it refetched. */
async function afterWorkerChange(qc: QueryClient, id: string, worker: Worker) {
  qc.setQueryData(workerKeys.detail(id), worker);
  await Promise.all([
    qc.invalidateQueries({ queryKey: ['workers', 'list'] }),
    qc.invalidateQueries({ queryKey: ['workers', 'assignments', id] }),
    qc.invalidateQueries({ queryKey: ['workers', 'history', id] }),
    qc.invalidateQueries({ queryKey: ['dashboard'] }),
    qc.invalidateQueries({ queryKey: ['alerts'] }),
  ]);
}

export function useCreateWorker() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkerInput) => api.post<Worker>('/workers', input),
    onSuccess: async (worker) => {
      qc.setQueryData(workerKeys.detail(String(worker.id)), worker);
      await Promise.all([qc.invalidateQueries({ queryKey: ['workers', 'list'] }), qc.invalidateQueries({ queryKey: ['dashboard'] })]);
    },
  });
}

export function useUpdateWorker(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: WorkerPatch) => api.patch<Worker>(path(id), patch),
    onSuccess: (worker) => afterWorkerChange(qc, id, worker),
  });
}

export function useChangeWorkerStatus(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkerStatusChange) => api.post<Worker>(`${path(id)}/status`, input),
    onSuccess: (worker) => afterWorkerChange(qc, id, worker),
  });
}

export function useTransferWorker(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkerTransfer) => api.post<Worker>(`${path(id)}/transfer`, input),
    onSuccess: (worker) => afterWorkerChange(qc, id, worker),
  });
}

export function useWorkerAssignments(id: string) {
  return useQuery({
    queryKey: workerKeys.assignments(id),
    queryFn: () => api.get<{ items: WorkerAssignment[] }>(`${path(id)}/assignments`),
  });
}

export function useWorkerHistory(id: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: workerKeys.history(id, page, pageSize),
    queryFn: () => api.get<Page<WorkerHistoryEntry>>(`${path(id)}/history`, { page, pageSize }),
    placeholderData: keepPreviousData,
  });
}

export type RevealField = 'idNumber' | 'phone' | 'emergencyContactPhone';

export function useRevealWorker(id: string) {
  return useMutation({
    mutationFn: (fields: RevealField[]) => api.post<RevealResult>(`${path(id)}/reveal`, { fields }),
  });
}
