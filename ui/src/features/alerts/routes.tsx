// The alerts feature's routes and its console-wide provider (the live stream), added
// to the console by app/route-table.tsx.
import type { RouteObject } from 'react-router';
import { AlertsPage } from './components/alerts-page.tsx';

export { AlertsLiveProvider } from './hooks/alerts-live.tsx';

export const alertsRoutes: RouteObject[] = [
  { path: 'alerts', element: <AlertsPage /> },
  { path: 'alerts/:id', element: <AlertsPage /> },
];
