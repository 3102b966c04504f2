import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Org, OrgPatch, Page } from './types';

export const orgKeys = {
  all: ['orgs'] as const,
  detail: (code: string) => ['orgs', 'detail', code] as const,
  children: (code: string) => ['orgs', 'children', code] as const,
  search: (q: string) => ['orgs', 'search', q] as const,
};

const ORG_STALE = 5 * 60_000;
const CHILD_PAGE = 200;
const MAX_CHILD_PAGES = 20;

export function fetchOrg(code: string): Promise<Org> {
  return api.get<Org>(`/orgs/${encodeURIComponent(code)}`);
}

/** All children of an org (the endpoint pages at most 200 at a time). */
export async function fetchAllChildren(code: string): Promise<Org[]> {
  const items: Org[] = [];
  for (let page = 1; page <= MAX_CHILD_PAGES; page++) {
    const res = await api.get<Page<Org>>(`/orgs/${encodeURIComponent(code)}/children`, { page, pageSize: CHILD_PAGE });
    items.push(...res.items);
    if (res.items.length < CHILD_PAGE || items.length >= res.total) break;
  }
  return items;
}

function seedOrgs(qc: QueryClient, orgs: Org[]) {
  for (const org of orgs) qc.setQueryData(orgKeys.detail(org.code), org);
}

/** Children through the query cache; every child is also cached as a detail entry. */
export async function loadChildren(qc: QueryClient, code: string): Promise<Org[]> {
  const items = await qc.fetchQuery({
    queryKey: orgKeys.children(code),
    queryFn: () => fetchAllChildren(code),
    staleTime: ORG_STALE,
  });
  seedOrgs(qc, items);
  return items;
}

export function useOrg(code: string | undefined | null) {
  return useQuery({
    queryKey: orgKeys.detail(code ?? ''),
    queryFn: () => fetchOrg(code as string),
    enabled: !!code,
    staleTime: ORG_STALE,
  });
}

export function useOrgSearch(q: string, pageSize = 20) {
  const qc = useQueryClient();
  const term = q.trim();
  return useQuery({
    queryKey: [...orgKeys.search(term), pageSize],
    queryFn: async () => {
      const res = await api.get<Page<Org>>('/orgs', { q: term, pageSize });
      seedOrgs(qc, res.items);
      return res;
    },
    enabled: term.length > 0,
    staleTime: 60_000,
  });
}

export function useUpdateOrg() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, patch }: { code: string; patch: OrgPatch }) => api.patch<Org>(`/orgs/${encodeURIComponent(code)}`, patch),
    onSuccess: async (org) => {
      qc.setQueryData(orgKeys.detail(org.code), org);
      if (org.parentCode) {
        qc.setQueryData<Org[]>(orgKeys.children(org.parentCode), (list) => list?.map((o) => (o.code === org.code ? org : o)));
      }
      await Promise.all([qc.invalidateQueries({ queryKey: ['orgs', 'search'] }), qc.invalidateQueries({ queryKey: ['dashboard'] })]);
    },
  });
}
