// The signed-in console around every page: the features' console-wide providers (the
// live alert stream), the top bar, the stream banner, the page, and the shortcuts help.
// Signed out, it sends the user to /login?next=<this page> so they come back here.
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ShortcutsHelp } from '../../components/shortcuts-help.tsx';
import { StreamBanner } from '../../components/stream-banner.tsx';
import { useShortcutDispatcher } from '../../lib/shortcuts.ts';
import { consoleProviders } from '../route-table.tsx';
import { useSession } from '../session.tsx';
import { TopBar } from './top-bar.tsx';

function withProviders(children: ReactNode): ReactNode {
  return consoleProviders.reduceRight<ReactNode>((inner, Provider) => <Provider>{inner}</Provider>, children);
}

export function ConsoleLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  useShortcutDispatcher();

  if (session.user === undefined) return <div className="boot muted">{t('loadingApp')}</div>;
  if (session.user === null) {
    const here = `${location.pathname}${location.search}`;
    const next = here === '/' || here === '/alerts' ? '' : `?next=${encodeURIComponent(here)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  return withProviders(
    <div className="console">
      <TopBar user={session.user} onSignOut={() => void session.signOut()} />
      <StreamBanner />
      <Outlet />
      <ShortcutsHelp />
    </div>,
  );
}
