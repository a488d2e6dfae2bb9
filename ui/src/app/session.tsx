// Who is signed in, for every route: the session query (GET /auth/session), signing in
// and out, and the notice the sign-in page shows after a session ended. A 401 from any
// API call (session expired or revoked) clears the session; the console layout then
// sends the user to /login?next=<where they were>.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getMe } from '../features/auth/api/get-me.ts';
import { logout } from '../features/auth/api/logout.ts';
import type { User } from '../features/auth/types/user.ts';
import { describeError, onUnauthorized } from '../lib/api-client.ts';

export const sessionQueryKey = ['session'] as const;

export interface Session {
  /** undefined while the first answer is awaited. */
  user: User | null | undefined;
  /** Why the last session ended, or why it could not be checked; for the sign-in page. */
  notice: string | null;
  signedIn(user: User): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({ queryKey: sessionQueryKey, queryFn: ({ signal }) => getMe(signal), staleTime: Infinity, retry: false });

  // Another person's data must not survive in the cache across sessions.
  const forgetEverythingBut = useCallback(
    (user: User | null) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionQueryKey[0] });
      queryClient.setQueryData(sessionQueryKey, user);
    },
    [queryClient],
  );

  useEffect(
    () =>
      onUnauthorized(() => {
        if (queryClient.getQueryData(sessionQueryKey)) setNotice(t('session.ended'));
        forgetEverythingBut(null);
      }),
    [queryClient, forgetEverythingBut, t],
  );

  const value = useMemo<Session>(
    () => ({
      user: query.isError ? null : query.data,
      notice: notice ?? (query.isError ? describeError(query.error) : null),
      signedIn: (user) => {
        setNotice(null);
        forgetEverythingBut(user);
      },
      signOut: async () => {
        try {
          await logout();
        } finally {
          setNotice(t('session.signedOut'));
          forgetEverythingBut(null);
        }
      },
    }),
    [query.data, query.isError, query.error, notice, forgetEverythingBut, t],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only inside the console layout, which renders nothing without one. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser outside the signed-in console');
  return user;
}

/** A same-origin path to go back to after signing in; anything else becomes /alerts. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/alerts';
}
