import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { AuditEntry, AuditQuery, AuditVerifyResult, Page } from './types';

export function useAuditLog(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit', 'list', query] as const,
    queryFn: () => api.get<Page<AuditEntry>>('/audit', { ...query }),
    placeholderData: keepPreviousData,
  });
}

export function useVerifyAudit() {
  return useMutation({
    mutationFn: () => api.get<AuditVerifyResult>('/audit/verify'),
  });
}
