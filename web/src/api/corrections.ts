import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Correction, CorrectionInput, CorrectionQuery, Page } from './types';

export const correctionKeys = {
  all: ['corrections'] as const,
  list: (q: CorrectionQuery) => ['corrections', 'list', q] as const,
  worker: (workerId: string) => ['corrections', 'worker', workerId] as const,
};

const workerPath = (id: string) => `/workers/${encodeURIComponent(id)}`;

/** The review queue (or any status) in the caller's scope. */
export function useCorrections(query: CorrectionQuery) {
  return useQuery({
    queryKey: correctionKeys.list(query),
    queryFn: () => api.get<Page<Correction>>('/corrections', { ...query }),
    placeholderData: keepPreviousData,
  });
}

export function useWorkerCorrections(workerId: string) {
  return useQuery({
    queryKey: correctionKeys.worker(workerId),
    queryFn: () => api.get<Page<Correction>>(`${workerPath(workerId)}/corrections`, { pageSize: 200 }),
  });
}

/** After a request is filed or decided: the lists, and the worker record it may have changed. */
async function afterCorrectionChange(qc: QueryClient) {
  await Promise.all([qc.invalidateQueries({ queryKey: correctionKeys.all }), qc.invalidateQueries({ queryKey: ['workers'] })]);
}

export function useRequestCorrection(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CorrectionInput) => api.post<Correction>(`${workerPath(workerId)}/corrections`, input),
    onSuccess: () => afterCorrectionChange(qc),
  });
}

export function useApproveCorrection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<Correction>(`/corrections/${id}/approve`),
    onSuccess: () => afterCorrectionChange(qc),
  });
}

export function useRejectCorrection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => api.post<Correction>(`/corrections/${id}/reject`, { reason }),
    onSuccess: () => afterCorrectionChange(qc),
  });
}

export function useWithdrawCorrection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<Correction>(`/corrections/${id}/withdraw`),
    onSuccess: () => afterCorrectionChange(qc),
  });
}
