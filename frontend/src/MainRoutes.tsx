import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { getPreferences } from './api/settings';
import { Center, Loader } from '@mantine/core';
import { AppLayout } from './components/AppLayout';
import { CHANNELS_PATH, SEARCH_PATH } from './navigation';
import { AuditView } from './views/audit/AuditView';
import { CalendarView } from './views/calendar/CalendarView';
import { InboxView } from './views/inbox/InboxView';
import { ResponseTimesView } from './views/inbox/ResponseTimesView';
import { ChannelsView } from './views/channels/ChannelsView';
import { ComposeView } from './views/compose/ComposeView';
import { NotFoundView } from './views/NotFoundView';
import { PostPage } from './views/posts/PostPage';
import { QueueTimesPanel } from './views/queue/QueueTimesPanel';
import { QueueView } from './views/queue/QueueView';
import { SearchView } from './views/search/SearchView';
import { PublishingStatusProvider } from './views/queue/usePublishingStatus';
import { DiagnosticsPanel } from './views/settings/DiagnosticsPanel';
import { GeneralPanel } from './views/settings/GeneralPanel';
import { InboxSettingsPanel } from './views/settings/InboxSettingsPanel';
import { SettingsView } from './views/settings/SettingsView';
import { TeamsPanel } from './views/settings/TeamsPanel';
import { isClockSetting, setClockSetting } from './time/format';

// The Measure views bring the chart library: loaded on their first visit.
const MeasureRoutes = lazy(() => import('./views/measure/MeasureRoutes'));

export function MainRoutes() {
  // The Clock setting applies to every time shown; until it is read, the system's clock.
  useEffect(() => {
    getPreferences()
      .then((prefs) => {
        const clock: unknown = (prefs as { clock?: unknown } | undefined)?.clock;
        if (isClockSetting(clock)) {
          setClockSetting(clock);
        }
      })
      .catch(() => undefined);
  }, []);
  return (
    <Routes>
      <Route
        element={
          <PublishingStatusProvider>
            <AppLayout />
          </PublishingStatusProvider>
        }
      >
        <Route index element={<Navigate to={CHANNELS_PATH} replace />} />
        <Route path={CHANNELS_PATH} element={<ChannelsView />} />
        <Route path="/compose" element={<ComposeView />} />
        <Route path="/compose/:postId" element={<ComposeView />} />
        <Route path="/queue" element={<QueueView />} />
        <Route path="/calendar" element={<CalendarView />} />
        <Route path="/inbox" element={<InboxView />} />
        <Route path="/inbox/response-times" element={<ResponseTimesView />} />
        <Route
          path="/measure/*"
          element={
            <Suspense
              fallback={
                <Center py="xl" role="status" aria-label="Opening Measure">
                  <Loader size="sm" />
                </Center>
              }
            >
              <MeasureRoutes />
            </Suspense>
          }
        />
        <Route path="/posts/:postId" element={<PostPage />} />
        <Route path="/audit" element={<AuditView />} />
        <Route path={SEARCH_PATH} element={<SearchView />} />
        <Route path="/settings" element={<SettingsView />}>
          <Route index element={<Navigate to="general" replace />} />
          <Route path="general" element={<GeneralPanel />} />
          <Route path="teams" element={<TeamsPanel />} />
          <Route path="queue" element={<QueueTimesPanel />} />
          <Route path="inbox" element={<InboxSettingsPanel />} />
          <Route path="diagnostics" element={<DiagnosticsPanel />} />
        </Route>
        <Route path="*" element={<NotFoundView />} />
      </Route>
    </Routes>
  );
}
