import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Page, RevealResult, Worker, WorkerInput, WorkerPatch, WorkerQuery, WorkerSummary } from './types';

export const workerKeys = {
  all: ['workers'] as const,
  list: (q: WorkerQuery) => ['workers', 'list', q] as const,
  detail: (id: string) => ['workers', 'detail', id] as const,
};

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
    queryFn: () => api.get<Worker>(`/workers/${encodeURIComponent(id as string)}`),
    enabled: !!id,
  });
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
    mutationFn: (patch: WorkerPatch) => api.patch<Worker>(`/workers/${encodeURIComponent(id)}`, patch),
    onSuccess: async (worker) => {
      qc.setQueryData(workerKeys.detail(id), worker);
      await Promise.all([qc.invalidateQueries({ queryKey: ['workers', 'list'] }), qc.invalidateQueries({ queryKey: ['dashboard'] })]);
    },
  });
}

export function useRevealWorker(id: string) {
  return useMutation({
    mutationFn: (fields: ('idNumber' | 'phone')[]) => api.post<RevealResult>(`/workers/${encodeURIComponent(id)}/reveal`, { fields }),
  });
}
