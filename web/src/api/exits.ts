import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import type { Page } from './types';

export type ExitCaseState = 'proposed' | 'notified' | 'handover' | 'contract_terminated' | 'exited' | 'withdrawn';

export interface ExitCase {
  id: number;
  workerId: number;
  workerName: string;
  orgCode: string;
  orgName: string | null;
  ruleKey: string;
  ruleName: string;
  action: string;
  actionLabel: string;
  state: ExitCaseState;
  stateLabel: string;
  nextStates: ExitCaseState[];
  dueDate: string;
  explanation: string;
  handover: { key: string; nameZh: string; done: boolean }[];
  noticeDate: string | null;
  handoverDate: string | null;
  terminatedDate: string | null;
  exitedDate: string | null;
  documents: string | null;
  withdrawnReason: string | null;
  createdAt: string;
  events?: {
    fromState: string | null;
    toState: string;
    at: string;
    effectiveDate: string | null;
    actorName: string | null;
    note: string | null;
  }[];
}

export const exitKeys = { all: ['exits'] as const };

export function useExitCases(query: { orgCode?: string; state?: string; page: number }) {
  return useQuery({
    queryKey: ['exits', 'list', query],
    queryFn: () => api.get<Page<ExitCase>>('/exits/cases', { ...query, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
}
export function useExitCase(id: number | undefined) {
  return useQuery({ queryKey: ['exits', 'case', id], queryFn: () => api.get<ExitCase>(`/exits/cases/${id}`), enabled: id !== undefined });
}
function useExitMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: exitKeys.all }) });
}
export const useExitRun = () =>
  useExitMutation((input: { orgCode: string }) =>
    api.post<{ asOf: string; considered: number; created: ExitCase[]; skipped: { workerId: number; reason: string }[] }>(
      '/exits/runs',
      input,
    ),
  );
export const useAdvanceExitCase = () =>
  useExitMutation((input: { id: number; to: ExitCaseState; date: string; documents?: string; note?: string }) =>
    api.post<ExitCase>(`/exits/cases/${input.id}/advance`, {
      to: input.to,
      date: input.date,
      documents: input.documents,
      note: input.note,
    }),
  );
export const useWithdrawExitCase = () =>
  useExitMutation((input: { id: number; reason: string }) =>
    api.post<ExitCase>(`/exits/cases/${input.id}/withdraw`, { reason: input.reason }),
  );
export const useUpdateHandover = () =>
  useExitMutation((input: { id: number; done: string[] }) =>
    apiRequest<ExitCase>(`/exits/cases/${input.id}/handover`, { method: 'PUT', body: { done: input.done } }),
  );

export type ExitAction = 'terminate' | 'not_renew' | 'retire' | 'expire';
export type ExitRuleKind = 'assessment_result' | 'retirement_age' | 'contract_expiry' | 'sanction';
export type RetirementKind = 'cadre' | 'worker';

/** One exit rule as the server validates it (exit-rules.ts `ZExitRule`); kind-specific fields are optional here. */
export interface ExitRule {
  key: string;
  nameZh: string;
  kind: ExitRuleKind;
  /** false: kept but proposes no case; absent = enabled. */
  enabled?: boolean;
  action: ExitAction;
  result?: 'excellent' | 'competent' | 'basically_competent' | 'incompetent';
  count?: number;
  within?: 'latest_year' | 'contract_term';
  noticeDays?: number;
  withinDays?: number;
  sanctionKinds?: string[];
}

export interface ExitRules {
  rules: ExitRule[];
  femaleRetirementKind: { principal: RetirementKind; deputy: RetirementKind; staff: RetirementKind };
}

/** The rules in force for an org: its own latest version, an ancestor's, or the built-in defaults (`CN`). */
export interface ExitRulesView {
  sourceOrgCode: string;
  effectiveFrom: string | null;
  isDefault: boolean;
  rules: ExitRules;
}

export function useExitRules(orgCode: string) {
  return useQuery({ queryKey: ['exits', 'rules', orgCode], queryFn: () => api.get<ExitRulesView>('/exits/rules', { orgCode }) });
}
export const useSaveExitRules = () =>
  useExitMutation((input: { orgCode: string; effectiveFrom: string; rules: ExitRules }) =>
    apiRequest<ExitRulesView>('/exits/rules', { method: 'PUT', body: input }),
  );
