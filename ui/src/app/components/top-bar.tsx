// The console's top bar: brand, the views (links, so each can be opened in a new tab or
// sent to a colleague), stream status, language, who is signed in with their scope,
// and sign out. Admins also get the administration views, folded into one menu: with
// eleven views the bar no longer fit 1280 px in Vietnamese.
import { useEffect, useRef } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import type { User } from '../../features/auth/types/user.ts';
import { useStreamState } from '../../lib/stream-state.ts';
import { useUnitNames } from '../../lib/unit-names.ts';
import { revealControls } from '../../lib/visible-text.ts';

const mainViews = [
  ['/dashboard', 'dashboard:nav'],
  ['/alerts', 'views.alerts'],
  ['/events', 'views.events'],
  ['/health', 'views.health'],
  ['/reports', 'reports:nav'],
] as const;

/** Offered to admins only (the server refuses everyone else anyway). */
const adminViews = [
  ['/admin/units', 'views.units'],
  ['/admin/agents', 'views.agents'],
  ['/admin/users', 'views.users'],
  ['/admin/notifications', 'notifications:nav'],
  ['/audit', 'views.audit'],
] as const;

/**
 * The administration views behind one "Administration" entry (a native <details>, so it
 * opens by keyboard too); it closes when a view is chosen, on Escape and on a click
 * elsewhere, and is marked current while one of its views is open.
 */
function AdminMenu({ tab }: { tab: (state: { isActive: boolean }) => string }) {
  const { t } = useTranslation();
  const menu = useRef<HTMLDetailsElement>(null);
  const { pathname } = useLocation();
  const current = adminViews.some(([to]) => pathname === to || pathname.startsWith(`${to}/`));
  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  return (
    <details className="view-menu" ref={menu}>
      <summary className={`view-tab${current ? ' active' : ''}`} aria-current={current ? 'true' : undefined}>
        {t('views.administration')}
      </summary>
      <span className="view-menu-list" role="group" aria-label={t('views.administration')}>
        {adminViews.map(([to, key]) => (
          <NavLink
            key={to}
            to={to}
            className={tab}
            onClick={() => {
              if (menu.current) menu.current.open = false;
            }}
          >
            {t(key)}
          </NavLink>
        ))}
      </span>
    </details>
  );
}

export function useScopeText(user: User): string {
  const { t } = useTranslation();
  const { unitName } = useUnitNames();
  if (user.units === 'all') return t('scope.all');
  if (user.units.length === 0) return t('scope.none');
  if (user.units.length <= 2) return revealControls(user.units.map(unitName).join(', '));
  return t('scope.many', { count: user.units.length });
}

export function TopBar({ user, onSignOut }: { user: User; onSignOut: () => void }) {
  const { t } = useTranslation();
  const { status } = useStreamState();
  const scope = useScopeText(user);
  const role = t(`roles.${user.role}`);
  const connection = t(`connection.${status}`);
  const tab = ({ isActive }: { isActive: boolean }) => `view-tab${isActive ? ' active' : ''}`;
  return (
    <header className="topbar">
      <span className="brand">Vigil</span>
      <nav className="views" aria-label={t('views.label')}>
        {mainViews.map(([to, key]) => (
          <NavLink key={to} to={to} className={tab}>
            {t(key)}
          </NavLink>
        ))}
        {user.role !== 'viewer' ? <NavLink to="/rules" className={tab}>{t('rules:nav')}</NavLink> : null}
        {user.role === 'admin' ? <AdminMenu tab={tab} /> : null}
      </nav>
      <span className="spacer" />
      <span className={`conn conn-${status}`} role="status" aria-label={t('connection.label', { state: connection })}>
        <span className="conn-dot" aria-hidden="true" />
        {connection}
      </span>
      <LanguageSwitch />
      <NavLink to="/account" className="who" title={t('topbar.accountTitle', { role, scope })}>
        <span className="who-name">{user.username}</span>
        <span className="who-role">{role}</span>
        <span className="who-scope">{scope}</span>
      </NavLink>
      <button type="button" className="btn btn-ghost" onClick={onSignOut}>
        {t('topbar.signOut')}
      </button>
    </header>
  );
}
