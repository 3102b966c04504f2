import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from './client';
import type { Page } from './types';

export type AssessmentResultCode = 'excellent' | 'competent' | 'basically_competent' | 'incompetent';
export type CycleStatus = 'open' | 'computed' | 'publicity' | 'final';
export type BallotMode = 'codes' | 'open';
export type BallotStatus = 'pending' | 'open' | 'closed';

export interface AssessmentTemplateView {
  dimensions: { key: string; nameZh: string; weightBp: number }[];
  raterGroups: { key: string; nameZh: string; weightBp: number; source: 'sheet' | 'ballot' }[];
  vetoItems: { key: string; nameZh: string; result: string }[];
  quorum: { minBallots: number; minOrdinaryShareBp: number };
  excellentCap: { shareBp: number };
}

/** 年度, 半年 or 季度 assessment. */
export type CyclePeriod = 'annual' | 'half_year' | 'quarter';

export interface Cycle {
  id: number;
  orgCode: string;
  orgName: string | null;
  name: string;
  period: string;
  year: number;
  /** The half (1–2) or quarter (1–4); null for an annual cycle. */
  part: number | null;
  /** '2026年度', '2026年上半年', '2026年第三季度'. */
  periodLabel: string;
  status: CycleStatus;
  statusLabel: string;
  template: AssessmentTemplateView;
  sheetRaters: Record<string, string>;
  publicityDays: number;
  publicityUntil: string | null;
  participantCount: number;
  createdAt: string;
  computedAt: string | null;
  finalisedAt: string | null;
}

export interface CommunityBallot {
  communityCode: string;
  communityName: string | null;
  streetCode: string;
  ballotMode: BallotMode;
  ballotStatus: BallotStatus;
  linkToken: string | null;
  codesIssued: number;
  codesUsed: number;
  ballots: number;
  ordinaryResidentBallots: number;
  openedAt: string | null;
  closedAt: string | null;
  approvedAt: string | null;
}

export interface Tally {
  communityCode: string;
  validBallots: number;
  ordinaryResidentBallots: number;
  quorumMet: boolean;
  quorumReasons: string[];
  workers: { workerId: number; name: string; satisfied: number; basically_satisfied: number; dissatisfied: number }[];
  comments: string[];
}

export interface ScoreSheet {
  groupKey: string;
  groupName: string;
  dimensions: { key: string; nameZh: string; weightBp: number }[];
  rows: { workerId: number; name: string; post: string; postLabel: string; orgCode: string; scores: Record<string, number> | null }[];
}

export interface CycleResult {
  workerId: number;
  name: string;
  orgCode: string;
  orgName: string | null;
  streetCode: string;
  groups: { key: string; nameZh: string; weightBp: number; raters: number; score: number | null; missingReason?: string }[];
  flags: string[];
  total: number | null;
  band: AssessmentResultCode | null;
  finalResult: AssessmentResultCode | null;
  reasons: Record<string, unknown>[];
  explanation: string;
}

export interface Participant {
  workerId: number;
  name: string;
  post: string;
  orgCode: string;
  streetCode: string;
  vetoes: string[];
  decidedTotal: number | null;
  note: string | null;
}

export interface Appeal {
  id: number;
  cycleId: number;
  workerId: number;
  workerName: string | null;
  orgCode: string;
  text: string;
  status: 'pending' | 'upheld' | 'rejected';
  response: string | null;
  adjustedResult: AssessmentResultCode | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface Approval {
  orgCode: string;
  level: number;
  approvedByName: string | null;
  approvedAt: string;
}

export interface MyResult {
  cycleId: number;
  cycleName: string;
  year: number;
  status: CycleStatus;
  publicityUntil: string | null;
  result: CycleResult;
  appeals: Appeal[];
}

export interface PublicBallot {
  cycleName: string;
  communityName: string;
  mode: BallotMode;
  status: BallotStatus;
  used: boolean;
  workers: { id: number; name: string; post: string; postLabel: string }[];
  voterKinds: { code: string; label: string }[];
  choices: { code: string; label: string }[];
  commentMaxChars: number;
}

export const RESULT_LABELS: Record<AssessmentResultCode, string> = {
  excellent: '优秀',
  competent: '称职',
  basically_competent: '基本称职',
  incompetent: '不称职',
};

/** Hundredths of a point as read: 8750 → '87.50'. */
export function formatScore(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : (v / 100).toFixed(2);
}

const base = (id: number) => `/assessment/cycles/${id}`;
export const assessmentKeys = {
  all: ['assessment'] as const,
  cycles: (page: number) => ['assessment', 'cycles', page] as const,
  cycle: (id: number) => ['assessment', 'cycle', id] as const,
  part: (id: number, part: string, extra?: string) => ['assessment', 'cycle', id, part, extra ?? ''] as const,
  mine: ['assessment', 'mine'] as const,
};

export function useCycles(page: number) {
  return useQuery({
    queryKey: assessmentKeys.cycles(page),
    queryFn: () => api.get<Page<Cycle>>('/assessment/cycles', { page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
}
export function useCycle(id: number) {
  return useQuery({ queryKey: assessmentKeys.cycle(id), queryFn: () => api.get<Cycle>(base(id)) });
}
export function useCommunities(id: number, live = false) {
  return useQuery({
    queryKey: assessmentKeys.part(id, 'communities'),
    queryFn: () => api.get<CommunityBallot[]>(`${base(id)}/communities`),
    refetchInterval: live ? 10_000 : false,
  });
}
export function useTally(id: number, code: string | undefined) {
  return useQuery({
    queryKey: assessmentKeys.part(id, 'tally', code),
    queryFn: () => api.get<Tally>(`${base(id)}/communities/${code}/tally`),
    enabled: !!code,
  });
}
export function useSheet(id: number, group: string | undefined) {
  return useQuery({
    queryKey: assessmentKeys.part(id, 'sheet', group),
    queryFn: () => api.get<ScoreSheet>(`${base(id)}/sheet`, { group }),
    enabled: !!group,
  });
}
export function useResults(id: number) {
  return useQuery({ queryKey: assessmentKeys.part(id, 'results'), queryFn: () => api.get<CycleResult[]>(`${base(id)}/results`) });
}
export function useParticipants(id: number) {
  return useQuery({ queryKey: assessmentKeys.part(id, 'participants'), queryFn: () => api.get<Participant[]>(`${base(id)}/participants`) });
}
export function useApprovals(id: number) {
  return useQuery({ queryKey: assessmentKeys.part(id, 'approvals'), queryFn: () => api.get<Approval[]>(`${base(id)}/approvals`) });
}
export function useAppeals(id: number) {
  return useQuery({ queryKey: assessmentKeys.part(id, 'appeals'), queryFn: () => api.get<Appeal[]>(`${base(id)}/appeals`) });
}
export function useMyResults(enabled: boolean) {
  return useQuery({ queryKey: assessmentKeys.mine, queryFn: () => api.get<MyResult[]>('/assessment/my-results'), enabled });
}

/** Any write on a cycle: refresh everything about assessment. */
function useCycleMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: assessmentKeys.all }) });
}

export const useOpenCycle = () =>
  useCycleMutation(
    (input: {
      orgCode: string;
      name: string;
      year: number;
      period?: CyclePeriod;
      part?: number | null;
      publicityDays?: number;
      template?: unknown;
    }) => api.post<Cycle>('/assessment/cycles', input),
  );
export const useIssueCodes = (id: number) =>
  useCycleMutation((input: { code: string; count: number }) =>
    api.post<{ codes: string[]; printHtml: string }>(`${base(id)}/communities/${input.code}/ballot-codes`, { count: input.count }),
  );
export const useOpenBallot = (id: number) =>
  useCycleMutation((input: { code: string; mode: BallotMode }) =>
    api.post<CommunityBallot>(`${base(id)}/communities/${input.code}/open`, { mode: input.mode }),
  );
export const useCloseBallot = (id: number) =>
  useCycleMutation((code: string) => api.post<CommunityBallot>(`${base(id)}/communities/${code}/close`));
export const useSaveSheet = (id: number) =>
  useCycleMutation((input: { group: string; entries: { workerId: number; scores: Record<string, number> }[] }) =>
    apiRequest<ScoreSheet>(`${base(id)}/sheet`, { method: 'PUT', body: input }),
  );
export const useCompute = (id: number) => useCycleMutation(() => api.post<CycleResult[]>(`${base(id)}/compute`));
export const useApprove = (id: number) => useCycleMutation((orgCode: string) => api.post<Approval[]>(`${base(id)}/approvals`, { orgCode }));
export const useFinalise = (id: number) => useCycleMutation(() => api.post<Cycle>(`${base(id)}/finalise`));
export const useUpdateParticipant = (id: number) =>
  useCycleMutation((input: { workerId: number; vetoes?: string[]; decidedTotal?: number | null }) =>
    api.patch<Participant>(`${base(id)}/participants/${input.workerId}`, { vetoes: input.vetoes, decidedTotal: input.decidedTotal }),
  );
export const useFileAppeal = () =>
  useCycleMutation((input: { cycleId: number; text: string }) => api.post<Appeal>(`${base(input.cycleId)}/appeals`, { text: input.text }));
export const useResolveAppeal = () =>
  useCycleMutation((input: { id: number; status: 'upheld' | 'rejected'; response: string; adjustedResult?: AssessmentResultCode }) =>
    api.post<Appeal>(`/assessment/appeals/${input.id}/resolve`, {
      status: input.status,
      response: input.response,
      adjustedResult: input.adjustedResult,
    }),
  );

export function usePublicBallot(token: string) {
  return useQuery({
    queryKey: ['public-ballot', token],
    queryFn: () => api.get<PublicBallot>(`/public/ballots/${encodeURIComponent(token)}`),
  });
}
export function useCastBallot(token: string) {
  return useMutation({
    mutationFn: (input: { voterKind: string; ratings: { workerId: number; choice: string }[]; comment?: string }) =>
      api.post<{ ok: true; message: string }>(`/public/ballots/${encodeURIComponent(token)}`, input, { skipAuthRedirect: true }),
  });
}
