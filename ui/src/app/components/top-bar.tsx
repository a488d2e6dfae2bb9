// The console's top bar: brand, view switch, stream status, who is signed in with
// their scope, and sign out. Admins also get the administration views.
import type { StreamStatus } from '../../lib/alert-stream.ts';

export type ConsoleView = 'alerts' | 'events' | 'health' | 'units' | 'agents' | 'users' | 'audit' | 'account';

/** The administration views, offered to admins only (the server refuses everyone else anyway). */
const adminViews: ReadonlyArray<readonly [ConsoleView, string]> = [
  ['units', 'Units'],
  ['agents', 'Agents'],
  ['users', 'Users'],
  ['audit', 'Audit log'],
];

const connectionText: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

export interface TopBarProps {
  username: string;
  role: string;
  scope: string;
  connection: StreamStatus;
  view: ConsoleView;
  onView: (view: ConsoleView) => void;
  onSignOut: () => void;
}

export function TopBar({ username, role, scope, connection, view, onView, onSignOut }: TopBarProps) {
  return (
    <header className="topbar">
      <span className="brand">Vigil</span>
      <nav className="views" aria-label="Views">
        <button type="button" className="view-tab" aria-current={view === 'alerts' ? 'page' : undefined} onClick={() => onView('alerts')}>
          Alerts
        </button>
        <button type="button" className="view-tab" aria-current={view === 'events' ? 'page' : undefined} onClick={() => onView('events')}>
          Events
        </button>
        <button type="button" className="view-tab" aria-current={view === 'health' ? 'page' : undefined} onClick={() => onView('health')}>
          Health
        </button>
        {role === 'admin' ? (
          <span className="view-group" role="group" aria-label="Administration">
            {adminViews.map(([name, text]) => (
              <button key={name} type="button" className="view-tab" aria-current={view === name ? 'page' : undefined} onClick={() => onView(name)}>
                {text}
              </button>
            ))}
          </span>
        ) : null}
      </nav>
      <span className="spacer" />
      <span className={`conn conn-${connection}`} role="status" aria-label={`Stream: ${connectionText[connection]}`}>
        <span className="conn-dot" aria-hidden="true" />
        {connectionText[connection]}
      </span>
      <button
        type="button"
        className="who"
        title={`Role: ${role} · ${scope}. Your account and password`}
        aria-current={view === 'account' ? 'page' : undefined}
        onClick={() => onView('account')}
      >
        <span className="who-name">{username}</span>
        <span className="who-role">{role}</span>
        <span className="who-scope">{scope}</span>
      </button>
      <button type="button" className="btn btn-ghost" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
