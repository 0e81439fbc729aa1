import { Route, Routes } from 'react-router-dom';
import { NotFoundView } from '../NotFoundView';
import { BestTimesView } from './BestTimesView';
import { ContentView } from './ContentView';
import { MeasureLayout } from './MeasureLayout';
import { OverviewView } from './OverviewView';

/**
 * #/measure, #/measure/content and #/measure/best-times under one header.
 * The module is loaded on the first visit (with the chart library).
 */
export default function MeasureRoutes() {
  return (
    <Routes>
      <Route element={<MeasureLayout />}>
        <Route index element={<OverviewView />} />
        <Route path="content" element={<ContentView />} />
        <Route path="best-times" element={<BestTimesView />} />
      </Route>
      <Route path="*" element={<NotFoundView />} />
    </Routes>
  );
}
