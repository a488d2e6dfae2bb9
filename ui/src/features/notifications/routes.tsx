// Notifications at /admin/notifications (admins; the server scopes it to their units).
import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/components/require-role.tsx';
import { NotificationsScreen } from './components/notifications-screen.tsx';

export const notificationsRoutes: RouteObject[] = [
  {
    path: 'admin/notifications',
    element: (
      <RequireRole roles={['admin']}>
        <main className="console-main">
          <NotificationsScreen />
        </main>
      </RequireRole>
    ),
  },
];
