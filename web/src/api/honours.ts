import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildUrl } from './client';
import type { Page } from './types';

/** Honours lists (表彰名单) of final assessment cycles. */

export interface HonourMember {
  workerId: number;
  name: string;
  orgCode: string;
  orgName: string | null;
  /** Hundredths of a point. */
  total: number | null;
  rank: number;
}

export interface Honour {
  id: number;
  cycleId: number;
  cycleName: string;
  orgCode: string;
  orgName: string | null;
  title: string;
  documentNo: string | null;
  decidedOn: string;
  memberCount: number;
  createdByName: string | null;
  createdAt: string;
}

export interface HonourIssueInput {
  orgCode: string;
  title: string;
  documentNo?: string | null;
  decidedOn: string;
}

export const honourKeys = {
  all: ['honours'] as const,
  candidates: (cycleId: number, orgCode: string) => ['honours', 'candidates', cycleId, orgCode] as const,
  list: (cycleId: number) => ['honours', 'list', cycleId] as const,
  members: (id: number) => ['honours', 'members', id] as const,
  worker: (workerId: string) => ['honours', 'worker', workerId] as const,
};

export function useHonourCandidates(cycleId: number, orgCode: string, enabled: boolean) {
  return useQuery({
    queryKey: honourKeys.candidates(cycleId, orgCode),
    queryFn: () => api.get<HonourMember[]>(`/assessment/cycles/${cycleId}/honours/candidates`, { orgCode }),
    enabled,
  });
}

export function useCycleHonours(cycleId: number) {
  return useQuery({
    queryKey: honourKeys.list(cycleId),
    queryFn: () => api.get<Page<Honour>>('/assessment/honours', { cycleId, pageSize: 200 }),
  });
}

export function useHonourMembers(id: number | undefined) {
  return useQuery({
    queryKey: honourKeys.members(id ?? 0),
    queryFn: () => api.get<HonourMember[]>(`/assessment/honours/${id}/members`),
    enabled: id !== undefined,
  });
}

export function useWorkerHonours(workerId: string) {
  return useQuery({
    queryKey: honourKeys.worker(workerId),
    queryFn: () => api.get<{ items: Honour[] }>(`/workers/${encodeURIComponent(workerId)}/honours`),
  });
}

export function useIssueHonours(cycleId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: HonourIssueInput) => api.post<Honour>(`/assessment/cycles/${cycleId}/honours`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: honourKeys.all }),
  });
}

export function honourExportUrl(id: number): string {
  return buildUrl(`/assessment/honours/${id}/export`, {});
}
