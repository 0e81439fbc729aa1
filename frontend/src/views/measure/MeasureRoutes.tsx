import { Route, Routes } from 'react-router-dom';
import { NotFoundView } from '../NotFoundView';
import { BestTimesView } from './BestTimesView';
import { CompareView } from './CompareView';
import { ContentView } from './ContentView';
import { DashboardPage } from './DashboardPage';
import { DashboardsView } from './DashboardsView';
import { MeasureLayout } from './MeasureLayout';
import { OverviewView } from './OverviewView';

/**
 * #/measure, #/measure/content, #/measure/best-times, the user's
 * dashboards (#/measure/dashboards[/:id]) and #/measure/compare under one
 * header.
 * The module is loaded on the first visit (with the chart library).
 */
export default function MeasureRoutes() {
  return (
    <Routes>
      <Route element={<MeasureLayout />}>
        <Route index element={<OverviewView />} />
        <Route path="content" element={<ContentView />} />
        <Route path="best-times" element={<BestTimesView />} />
        <Route path="dashboards" element={<DashboardsView />} />
        <Route path="dashboards/:id" element={<DashboardPage />} />
        <Route path="compare" element={<CompareView />} />
      </Route>
      <Route path="*" element={<NotFoundView />} />
    </Routes>
  );
}
