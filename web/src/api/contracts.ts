import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import type { Contract, ContractAlert, ContractRenew, ContractSign, Enrolment, EnrolmentInput, Page } from './types';

export const contractKeys = {
  contracts: (workerId: string) => ['contracts', 'worker', workerId] as const,
  insurance: (workerId: string) => ['contracts', 'insurance', workerId] as const,
  alerts: (q: ContractAlertQuery) => ['alerts', 'contracts', q] as const,
};

export interface ContractAlertQuery {
  orgCode?: string;
  withinDays?: number;
  page?: number;
  pageSize?: number;
}

const workerPath = (id: string) => `/workers/${encodeURIComponent(id)}`;

export function useWorkerContracts(workerId: string) {
  return useQuery({
    queryKey: contractKeys.contracts(workerId),
    queryFn: () => api.get<{ items: Contract[] }>(`${workerPath(workerId)}/contracts`),
  });
}

export function useWorkerInsurance(workerId: string) {
  return useQuery({
    queryKey: contractKeys.insurance(workerId),
    queryFn: () => api.get<{ items: Enrolment[] }>(`${workerPath(workerId)}/insurance`),
  });
}

export function useContractAlerts(query: ContractAlertQuery, enabled = true) {
  return useQuery({
    queryKey: contractKeys.alerts(query),
    queryFn: () => api.get<Page<ContractAlert>>('/alerts/contracts', { ...query }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

async function afterContractChange(qc: QueryClient, workerId: string) {
  await Promise.all([qc.invalidateQueries({ queryKey: contractKeys.contracts(workerId) }), qc.invalidateQueries({ queryKey: ['alerts'] })]);
}

export function useSignContract(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ContractSign) => api.post<Contract>(`${workerPath(workerId)}/contracts`, input),
    onSuccess: () => afterContractChange(qc, workerId),
  });
}

export function useRenewContract(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: number; input: ContractRenew }) => api.post<Contract>(`/contracts/${id}/renew`, input),
    onSuccess: () => afterContractChange(qc, workerId),
  });
}

export function useTerminateContract(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, date, reason }: { id: number; date: string; reason: string }) =>
      api.post<Contract>(`/contracts/${id}/terminate`, { date, reason }),
    onSuccess: () => afterContractChange(qc, workerId),
  });
}

export function useReplaceInsurance(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (items: EnrolmentInput[]) =>
      apiRequest<{ items: Enrolment[] }>(`${workerPath(workerId)}/insurance`, { method: 'PUT', body: { items } }),
    onSuccess: async (res) => {
      qc.setQueryData(contractKeys.insurance(workerId), res);
      await qc.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}
