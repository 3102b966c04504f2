import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { meKey } from './api/auth';
import { ApiError, setApiEventHandlers } from './api/client';
import type { Me } from './api/types';
import { RequireAuth, RequirePermission } from './components/guards';
import { FullPageSpin, NotFound } from './components/status';
import { I18nProvider, useLang } from './i18n';

const LoginPage = lazy(() => import('./pages/auth/LoginPage'));
const ChangePasswordPage = lazy(() => import('./pages/auth/ChangePasswordPage'));
const AppLayout = lazy(() => import('./layout/AppLayout'));
const HomePage = lazy(() => import('./pages/home/HomePage'));
const WorkersPage = lazy(() => import('./pages/workers/WorkersPage'));
const WorkerDetailPage = lazy(() => import('./pages/workers/WorkerDetailPage'));
const WorkerImportPage = lazy(() => import('./pages/workers/import/WorkerImportPage'));
const OrgsPage = lazy(() => import('./pages/orgs/OrgsPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const CorrectionsPage = lazy(() => import('./pages/corrections/CorrectionsPage'));
const GradeRunsPage = lazy(() => import('./pages/grades/GradeRunsPage'));
const PayrollPage = lazy(() => import('./pages/payroll/PayrollPage'));
const MyPayslipsPage = lazy(() => import('./pages/payroll/MyPayslipsPage'));
const PayInputsPage = lazy(() => import('./pages/payroll/PayInputsPage'));
const FloorReportPage = lazy(() => import('./pages/payroll/FloorReportPage'));
const AssessmentPage = lazy(() => import('./pages/assessment/AssessmentPage'));
const CycleDetailPage = lazy(() => import('./pages/assessment/CycleDetailPage'));
const PublicBallotPage = lazy(() => import('./pages/assessment/PublicBallotPage'));
const ExitsPage = lazy(() => import('./pages/exits/ExitsPage'));
const SanctionsPage = lazy(() => import('./pages/sanctions/SanctionsPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers will not change on a retry
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
    mutations: { retry: false },
  },
});

/** Lets the fetch wrapper send the user to /login (401) or /change-password (403 PASSWORD_CHANGE_REQUIRED). */
function ApiEvents() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(
    () =>
      setApiEventHandlers({
        onUnauthorized: () => {
          qc.setQueryData(meKey, null);
          const here = window.location.pathname + window.location.search;
          if (window.location.pathname !== '/login') navigate('/login', { replace: true, state: { from: here } });
        },
        onPasswordChangeRequired: () => {
          qc.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, mustChangePassword: true } : me));
          if (window.location.pathname !== '/change-password') navigate('/change-password', { replace: true });
        },
      }),
    [navigate, qc],
  );
  return null;
}

function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/ballot/:token" element={<PublicBallotPage />} />
        <Route element={<RequireAuth />}>
          <Route path="/change-password" element={<ChangePasswordPage />} />
          <Route element={<AppLayout />}>
            <Route index element={<HomePage />} />
            <Route
              path="workers"
              element={
                <RequirePermission permission="workers:read">
                  <WorkersPage />
                </RequirePermission>
              }
            />
            <Route
              path="workers/import"
              element={
                <RequirePermission permission="workers:write">
                  <WorkerImportPage />
                </RequirePermission>
              }
            />
            <Route
              path="workers/:id"
              element={
                <RequirePermission permission="workers:read">
                  <WorkerDetailPage />
                </RequirePermission>
              }
            />
            <Route
              path="corrections"
              element={
                <RequirePermission permission="workers:read">
                  <CorrectionsPage />
                </RequirePermission>
              }
            />
            <Route
              path="grades"
              element={
                <RequirePermission permission="grades:read">
                  <GradeRunsPage />
                </RequirePermission>
              }
            />
            <Route
              path="payroll"
              element={
                <RequirePermission permission="payroll:read">
                  <PayrollPage />
                </RequirePermission>
              }
            />
            <Route
              path="pay-inputs"
              element={
                <RequirePermission permission="payroll:read">
                  <PayInputsPage />
                </RequirePermission>
              }
            />
            <Route
              path="floor-report"
              element={
                <RequirePermission permission="payroll:read">
                  <FloorReportPage />
                </RequirePermission>
              }
            />
            <Route
              path="my-payslips"
              element={
                <RequirePermission permission="payslips:read">
                  <MyPayslipsPage />
                </RequirePermission>
              }
            />
            <Route
              path="assessment"
              element={
                <RequirePermission permission="assessment:read">
                  <AssessmentPage />
                </RequirePermission>
              }
            />
            <Route
              path="assessment/:id"
              element={
                <RequirePermission permission="assessment:read">
                  <CycleDetailPage />
                </RequirePermission>
              }
            />
            <Route
              path="exits"
              element={
                <RequirePermission permission="exits:read">
                  <ExitsPage />
                </RequirePermission>
              }
            />
            <Route
              path="sanctions"
              element={
                <RequirePermission permission="sanctions:read">
                  <SanctionsPage />
                </RequirePermission>
              }
            />
            <Route path="orgs" element={<OrgsPage />} />
            <Route
              path="users"
              element={
                <RequirePermission permission="users:manage">
                  <UsersPage />
                </RequirePermission>
              }
            />
            <Route
              path="audit"
              element={
                <RequirePermission permission="audit:read">
                  <AuditPage />
                </RequirePermission>
              }
            />
            <Route path="home" element={<Navigate to="/" replace />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Route>
      </Routes>
    </Suspense>
  );
}

function LocalizedApp() {
  const { lang } = useLang();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1d4ed8', borderRadius: 6 } }}>
      <AntApp>
        <BrowserRouter>
          <ApiEvents />
          <AppRoutes />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <LocalizedApp />
      </I18nProvider>
    </QueryClientProvider>
  );
}
