// The Rules page at /rules and /rules/:id (SOC analysts and admins; the server refuses
// viewers too).
import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/components/require-role.tsx';
import { RulesPage } from './components/rules-page.tsx';

const page = (
  <RequireRole roles={['admin', 'analyst']}>
    <RulesPage />
  </RequireRole>
);

export const rulesRoutes: RouteObject[] = [
  { path: 'rules', element: page },
  { path: 'rules/:id', element: page },
];
