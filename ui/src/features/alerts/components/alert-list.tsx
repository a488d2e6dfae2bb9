// The live alert table: dense, newest activity on top, rows touched by the stream
// flash briefly. Keyboard: ↑/↓ or j/k move between rows, Enter opens, Home/End jump.
import { useRef, type KeyboardEvent } from 'react';
import { SeverityBadge } from '../../../components/ui/severity-badge.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { formatCount, formatFullTimestamp, formatTimestamp } from '../../../lib/format-time.ts';
import { groupSummary, hostLabel, type Alert } from '../types/alert.ts';
import { revealControls, revealOptional } from '../../../lib/visible-text.ts';

export interface AlertListProps {
  alerts: Alert[];
  fresh: Record<string, number>;
  selectedId: string | null;
  onSelect: (id: string) => void;
  loading: boolean;
  filtered: boolean;
}

export function AlertList({ alerts, fresh, selectedId, onSelect, loading, filtered }: AlertListProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const now = new Date();
  const focusIndex = Math.max(0, alerts.findIndex((a) => a.id === selectedId));

  function moveFocus(from: HTMLElement, where: 'prev' | 'next' | 'first' | 'last') {
    const rows = Array.from(bodyRef.current?.querySelectorAll<HTMLElement>('tr[data-alert-id]') ?? []);
    const i = rows.indexOf(from);
    const target =
      where === 'first' ? rows[0] : where === 'last' ? rows[rows.length - 1] : where === 'prev' ? rows[i - 1] : rows[i + 1];
    target?.focus();
    target?.scrollIntoView({ block: 'nearest' });
  }

  function onRowKeyDown(ev: KeyboardEvent<HTMLTableRowElement>, id: string) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const row = ev.currentTarget;
    switch (ev.key) {
      case 'ArrowDown':
      case 'j':
        moveFocus(row, 'next');
        break;
      case 'ArrowUp':
      case 'k':
        moveFocus(row, 'prev');
        break;
      case 'Home':
        moveFocus(row, 'first');
        break;
      case 'End':
        moveFocus(row, 'last');
        break;
      case 'Enter':
      case ' ':
        onSelect(id);
        break;
      default:
        return;
    }
    ev.preventDefault();
  }

  return (
    <table className="alert-table" aria-label="Alerts" aria-busy={loading}>
      <colgroup>
        <col className="c-sev" />
        <col className="c-title" />
        <col className="c-unit" />
        <col className="c-host" />
        <col className="c-count" />
        <col className="c-time" />
        <col className="c-status" />
        <col className="c-assignee" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Alert</th>
          <th scope="col">Unit</th>
          <th scope="col">Host</th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col">Last seen</th>
          <th scope="col">Status</th>
          <th scope="col">Assignee</th>
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {alerts.length === 0 ? (
          <tr className="empty-row">
            <td colSpan={8}>
              {loading ? 'Loading alerts…' : filtered ? 'No alerts match these filters.' : 'No alerts. All quiet.'}
            </td>
          </tr>
        ) : (
          alerts.map((alert, i) => {
            const token = fresh[alert.id];
            const selected = alert.id === selectedId;
            const extra = groupSummary(alert);
            const classes = [
              `sev-row-${alert.severity}`,
              selected ? 'is-selected' : '',
              token === undefined ? '' : token % 2 === 0 ? 'fresh-a' : 'fresh-b',
            ]
              .filter(Boolean)
              .join(' ');
            return (
              <tr
                key={alert.id}
                data-alert-id={alert.id}
                className={classes}
                tabIndex={i === focusIndex ? 0 : -1}
                aria-current={selected ? 'true' : undefined}
                onClick={() => onSelect(alert.id)}
                onKeyDown={(ev) => onRowKeyDown(ev, alert.id)}
              >
                <td>
                  <SeverityBadge severity={alert.severity} />
                </td>
                <td className="cell-title" title={revealControls(alert.rule.title)}>
                  <span className="title">{revealControls(alert.rule.title)}</span>
                  {extra.length > 0 ? <span className="group"> {extra.join(' · ')}</span> : null}
                </td>
                <td className="cell-clip" title={revealControls(alert.organization.name)}>
                  {revealControls(alert.organization.name || alert.organization.id)}
                </td>
                <td className="cell-clip mono" title={revealOptional(alert.host.id)}>
                  {hostLabel(alert)}
                </td>
                <td className="num mono">{formatCount(alert.count)}</td>
                <td className="mono" title={formatFullTimestamp(alert.last_seen)}>
                  {formatTimestamp(alert.last_seen, now)}
                </td>
                <td>
                  <StatusBadge status={alert.status} />
                </td>
                <td className="cell-clip muted">{alert.assignee ?? ''}</td>
              </tr>
            );
          })
        )}
      </tbody>
    </table>
  );
}
