import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

/** Shapes of the sanction register API (处分登记). */

export const SANCTION_KINDS = [
  'warning',
  'demerit',
  'major_demerit',
  'demotion',
  'party_probation',
  'party_expulsion',
  'dismissal',
  'criminal_liability',
] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];
export type SanctionStatus = 'in_force' | 'revoked';

export interface SanctionListItem {
  id: number;
  workerId: number;
  workerName: string;
  orgCode: string;
  orgName: string | null;
  kind: SanctionKind;
  kindLabel: string;
  decidedOn: string;
  endsOn: string | null;
  /** In force and within its influence period today. */
  isInInfluencePeriod: boolean;
  authority: string;
  documentNo: string | null;
  status: SanctionStatus;
  statusLabel: string;
  revokedAt: string | null;
  createdAt: string;
}

/** A sanction on the worker's tab, with its reasons. */
export interface Sanction extends SanctionListItem {
  reason: string;
  revokedReason: string | null;
}

export interface SanctionInput {
  kind: SanctionKind;
  decidedOn: string;
  endsOn?: string | null;
  authority: string;
  documentNo?: string | null;
  reason: string;
}

export interface SanctionQuery {
  orgCode?: string;
  year?: number;
  kind?: SanctionKind;
  status?: SanctionStatus;
  page?: number;
  pageSize?: number;
}

export const sanctionKeys = {
  worker: (workerId: string) => ['sanctions', 'worker', workerId] as const,
  list: (q: SanctionQuery) => ['sanctions', 'list', q] as const,
};

const workerPath = (id: string) => `/workers/${encodeURIComponent(id)}`;

export function useWorkerSanctions(workerId: string) {
  return useQuery({
    queryKey: sanctionKeys.worker(workerId),
    queryFn: () => api.get<{ items: Sanction[] }>(`${workerPath(workerId)}/sanctions`),
  });
}

export function useSanctions(query: SanctionQuery, enabled = true) {
  return useQuery({
    queryKey: sanctionKeys.list(query),
    queryFn: () => api.get<Page<SanctionListItem>>('/sanctions', { ...query }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

async function afterSanctionChange(qc: QueryClient, workerId: string) {
  await Promise.all([
    qc.invalidateQueries({ queryKey: sanctionKeys.worker(workerId) }),
    qc.invalidateQueries({ queryKey: ['sanctions', 'list'] }),
  ]);
}

export function useRecordSanction(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SanctionInput) => api.post<Sanction>(`${workerPath(workerId)}/sanctions`, input),
    onSuccess: () => afterSanctionChange(qc, workerId),
  });
}

export function useRevokeSanction(workerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => api.post<Sanction>(`/sanctions/${id}/revoke`, { reason }),
    onSuccess: () => afterSanctionChange(qc, workerId),
  });
}
