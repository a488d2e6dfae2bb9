// The app shell and its tiny router: checking the session → sign-in or console. A 401
// from any API call (session expired or revoked) lands back on sign-in with a notice.
import { useCallback, useEffect, useState } from 'react';
import { getMe } from '../features/auth/api/get-me.ts';
import { logout } from '../features/auth/api/logout.ts';
import { SignInPage } from '../features/auth/components/sign-in-page.tsx';
import type { User } from '../features/auth/types/user.ts';
import { describeError, onUnauthorized } from '../lib/api-client.ts';
import { ConsoleRoute } from './routes/console-route.tsx';

type Route = { name: 'checking' } | { name: 'sign-in'; notice: string | null } | { name: 'console'; user: User };

export function App() {
  const [route, setRoute] = useState<Route>({ name: 'checking' });
  const [bootError, setBootError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    getMe(controller.signal)
      .then((user) => setRoute(user ? { name: 'console', user } : { name: 'sign-in', notice: null }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setBootError(describeError(err));
        setRoute({ name: 'sign-in', notice: null });
      });
    return () => controller.abort();
  }, []);

  useEffect(
    () =>
      onUnauthorized(() =>
        setRoute((r) => (r.name === 'console' ? { name: 'sign-in', notice: 'Your session ended. Sign in again.' } : r)),
      ),
    [],
  );

  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setRoute({ name: 'sign-in', notice: 'Signed out.' });
    }
  }, []);

  useEffect(() => {
    if (route.name !== 'console') document.title = 'Vigil';
  }, [route.name]);

  switch (route.name) {
    case 'checking':
      return <div className="boot muted">Loading Vigil…</div>;
    case 'sign-in':
      return <SignInPage notice={route.notice ?? bootError} onSignedIn={(user) => setRoute({ name: 'console', user })} />;
    case 'console':
      return <ConsoleRoute user={route.user} onSignOut={signOut} />;
  }
}
