// Administration at /admin/units, /admin/agents and /admin/users (admins only).
import { Navigate, Outlet, type RouteObject } from 'react-router';
import { RequireRole } from '../../app/components/require-role.tsx';
import { useUser } from '../../app/session.tsx';
import { AgentsScreen } from './components/agents-screen.tsx';
import { UnitsScreen } from './components/units-screen.tsx';
import { UsersScreen } from './components/users-screen.tsx';

function AdminLayout() {
  return (
    <RequireRole roles={['admin']}>
      <main className="console-main">
        <Outlet />
      </main>
    </RequireRole>
  );
}

function UnitsPage() {
  const user = useUser();
  return <UnitsScreen socWide={user.units === 'all'} />;
}

function UsersPage() {
  const user = useUser();
  return <UsersScreen me={user.username} socWide={user.units === 'all'} />;
}

export const adminRoutes: RouteObject[] = [
  {
    path: 'admin',
    element: <AdminLayout />,
    children: [
      { index: true, element: <Navigate to="/admin/units" replace /> },
      { path: 'units', element: <UnitsPage /> },
      { path: 'agents', element: <AgentsScreen /> },
      { path: 'users', element: <UsersPage /> },
    ],
  },
];
