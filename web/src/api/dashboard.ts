import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { DashboardSummary } from './types';

export function useDashboardSummary(orgCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['dashboard', 'summary', orgCode ?? ''] as const,
    queryFn: () => api.get<DashboardSummary>('/dashboard/summary', { orgCode }),
    enabled: enabled && !!orgCode,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
