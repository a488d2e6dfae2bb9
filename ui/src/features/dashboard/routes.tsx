// The Dashboard at /dashboard (?from=&to=&unit= in the URL).
import type { RouteObject } from 'react-router';
import { DashboardPage } from './components/dashboard-page.tsx';

export const dashboardRoutes: RouteObject[] = [{ path: 'dashboard', element: <DashboardPage /> }];
