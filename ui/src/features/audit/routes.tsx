// The audit log at /audit (admins only).
import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/components/require-role.tsx';
import { AuditView } from './components/audit-view.tsx';

export const auditRoutes: RouteObject[] = [
  {
    path: 'audit',
    element: (
      <RequireRole roles={['admin']}>
        <main className="console-main">
          <AuditView />
        </main>
      </RequireRole>
    ),
  },
];
