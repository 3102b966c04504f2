import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { StaffingStandardInput, StaffingStandardView } from './types';

export const staffingKey = (code: string) => ['staffing', code] as const;

export function useStaffingStandard(code: string) {
  return useQuery({
    queryKey: staffingKey(code),
    queryFn: () => api.get<StaffingStandardView>(`/orgs/${encodeURIComponent(code)}/staffing-standard`),
  });
}

export function useAddStaffingStandard(code: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: StaffingStandardInput) =>
      api.post<StaffingStandardView>(`/orgs/${encodeURIComponent(code)}/staffing-standard`, input),
    onSuccess: async (view) => {
      qc.setQueryData(staffingKey(code), view);
      // Descendants inherit the standard: drop every cached view and the dashboard figures.
      await Promise.all([qc.invalidateQueries({ queryKey: ['staffing'] }), qc.invalidateQueries({ queryKey: ['dashboard'] })]);
    },
  });
}
