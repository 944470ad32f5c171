import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';

import { ApiError } from './api/errors';
import { onConnect } from './api/live';
import { getSession, refresh, subscribe } from './api/session';
import { AppLayout } from './components/AppLayout';
import { homeOf } from './components/nav';
import { SignIn } from './pages/SignIn';

const Communities = lazy(() => import('./pages/Communities'));
const Community = lazy(() => import('./pages/Community'));
const Board = lazy(() => import('./pages/Board'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const MonthlyReport = lazy(() => import('./pages/MonthlyReport'));
const IssuePage = lazy(() => import('./pages/IssuePage'));
const ReportIssue = lazy(() => import('./pages/ReportIssue'));
const MyIssues = lazy(() => import('./pages/MyIssues'));
const CompoundPage = lazy(() => import('./pages/CompoundPage'));
const HeatingPage = lazy(() => import('./pages/HeatingPage'));
const Accounts = lazy(() => import('./pages/Accounts'));
const Sessions = lazy(() => import('./pages/Sessions'));
const AuditLog = lazy(() => import('./pages/AuditLog'));
const NotFound = lazy(() => import('./pages/NotFound'));

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or missing object will not appear by asking again.
      retry: (count, error) =>
        count < 2 && error instanceof ApiError && ['NETWORK', 'UNAVAILABLE'].includes(error.code),
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
  },
});

/** Ant Design's defaults darkened where their contrast with white is under WCAG AA (4.5:1). */
const THEME = {
  colorPrimary: '#0958d9',
  colorLink: '#0958d9',
  colorLinkHover: '#003eb3',
  colorPrimaryHover: '#003eb3',
  colorError: '#cf1322',
  colorSuccess: '#237804',
  colorWarning: '#ad4e00',
  colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
  colorTextDescription: 'rgba(0, 0, 0, 0.65)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  // No animation for people who asked their system for less motion.
  motion: typeof window === 'undefined' || !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
};

function useSession() {
  return useSyncExternalStore(subscribe, getSession);
}

function Routed() {
  const session = useSession();
  const [booting, setBooting] = useState(true);
  useEffect(() => {
    // A reload keeps the refresh cookie: sign in again silently if it is still good.
    refresh().finally(() => setBooting(false));
  }, []);
  useEffect(() => {
    if (!session) queries.clear();
  }, [session]);
  // Whenever the live connection opens, every screen re-reads: nothing that changed before
  // its subscriptions started (or while the connection was lost) is missed.
  useEffect(() => onConnect(() => void queries.invalidateQueries()), []);
  if (booting && !session) {
    return (
      <div className="center-screen">
        <Spin size="large" />
      </div>
    );
  }
  if (!session) return <SignIn />;
  return (
    <Suspense
      fallback={
        <div className="center-screen">
          <Spin size="large" />
        </div>
      }
    >
      <Routes>
        <Route element={<AppLayout session={session} />}>
          <Route index element={<Navigate to={homeOf(session)} replace />} />
          <Route path="communities" element={<Communities />} />
          <Route path="communities/:id" element={<Community />} />
          <Route path="dashboard" element={<Dashboard />} />
          <Route path="reports" element={<MonthlyReport />} />
          <Route path="issues" element={<Board />} />
          <Route path="issues/new" element={<ReportIssue />} />
          <Route path="issues/:id" element={<IssuePage />} />
          <Route path="my-issues" element={<MyIssues />} />
          <Route path="compounds/:id" element={<CompoundPage />} />
          <Route path="heating/:id" element={<HeatingPage />} />
          <Route path="accounts" element={<Accounts />} />
          <Route path="sessions" element={<Sessions />} />
          <Route path="audit" element={<AuditLog />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ token: THEME }}>
        <QueryClientProvider client={queries}>
          <BrowserRouter>
            <Routed />
          </BrowserRouter>
        </QueryClientProvider>
    </ConfigProvider>
  );
}
