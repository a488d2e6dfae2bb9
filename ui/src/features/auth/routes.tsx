// The signed-in user's own account at /account. (/login is the shell's: app/routes.tsx.)
import type { RouteObject } from 'react-router';
import { useUser } from '../../app/session.tsx';
import { AccountView } from './components/account-view.tsx';

function AccountPage() {
  const user = useUser();
  return (
    <main className="console-main">
      <AccountView user={user} />
    </main>
  );
}

export const accountRoutes: RouteObject[] = [{ path: 'account', element: <AccountPage /> }];
