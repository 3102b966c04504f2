import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { CurrentUserContext, useMe } from '../api/auth';
import { ErrorResult, Forbidden, FullPageSpin } from './status';

/** Routes below need a session; a user who must change the password is held at /change-password. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (me.data.mustChangePassword && location.pathname !== '/change-password') {
    return <Navigate to="/change-password" replace />;
  }
  return (
    <CurrentUserContext.Provider value={me.data}>
      <Outlet />
    </CurrentUserContext.Provider>
  );
}

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { data } = useMe();
  if (!data?.permissions.includes(permission)) return <Forbidden />;
  return <>{children}</>;
}
