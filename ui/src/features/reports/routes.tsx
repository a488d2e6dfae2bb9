// Reports at /reports: anyone signed in, for the units they may see (the server decides).
import type { RouteObject } from 'react-router';
import { ReportsScreen } from './components/reports-screen.tsx';

export const reportsRoutes: RouteObject[] = [
  {
    path: 'reports',
    element: (
      <main className="console-main">
        <ReportsScreen />
      </main>
    ),
  },
];
