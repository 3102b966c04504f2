import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Page, User, UserInput, UserPatch, UserQuery } from './types';

export function useUsers(query: UserQuery) {
  return useQuery({
    queryKey: ['users', 'list', query] as const,
    queryFn: () => api.get<Page<User>>('/users', { ...query }),
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UserInput) => api.post<{ user: User; temporaryPassword?: string }>('/users', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: User['id']; patch: UserPatch }) => api.patch<User>(`/users/${encodeURIComponent(String(id))}`, patch),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useResetPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: User['id']) => api.post<{ temporaryPassword: string }>(`/users/${encodeURIComponent(String(id))}/reset-password`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
}
