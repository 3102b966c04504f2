import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { ApiError, api } from './client';
import type { Me } from './types';

export const meKey = ['auth', 'me'] as const;

/** The signed-in user, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const res = await api.get<{ user: Me }>('/auth/me', undefined, { skipAuthRedirect: true });
    return res.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/**
 * The user the route guard admitted. Provided by RequireAuth so every page below it sees the same user the guard
 * decided on, even in the render where the session has just ended and the guard is about to redirect.
 */
export const CurrentUserContext = createContext<Me | null>(null);

/** The signed-in user inside authenticated routes. */
export function useCurrentUser(): Me {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser() used outside RequireAuth');
  return me;
}

export function usePermission(): (permission: string) => boolean {
  const { data } = useMe();
  const perms = data?.permissions ?? [];
  return (permission: string) => perms.includes(permission);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => api.post<{ user: Me }>('/auth/login', input, { skipAuthRedirect: true }),
    onSuccess: (res) => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      qc.setQueryData(meKey, res.user);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout', undefined, { skipAuthRedirect: true }),
    onSettled: () => {
      // Null the user first so the route guard redirects, then drop everything the session had loaded.
      qc.setQueryData(meKey, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/auth/password', input, { skipAuthRedirect: true }),
    onSuccess: async () => {
      qc.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, mustChangePassword: false } : me));
      await qc.invalidateQueries({ queryKey: meKey });
    },
  });
}
