import { Navigate, Route, Routes } from 'react-router-dom';
import { AppLayout } from './components/AppLayout';
import { VIEWS } from './navigation';
import { NotBuiltView } from './views/NotBuiltView';
import { NotFoundView } from './views/NotFoundView';
import { DiagnosticsPanel } from './views/settings/DiagnosticsPanel';
import { SettingsView } from './views/settings/SettingsView';

export function MainRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to="/channels" replace />} />
        {VIEWS.filter((view) => view.planned).map((view) => (
          <Route key={view.path} path={view.path} element={<NotBuiltView view={view} />} />
        ))}
        <Route path="/settings" element={<SettingsView />}>
          <Route index element={<Navigate to="diagnostics" replace />} />
          <Route path="diagnostics" element={<DiagnosticsPanel />} />
        </Route>
        <Route path="*" element={<NotFoundView />} />
      </Route>
    </Routes>
  );
}
