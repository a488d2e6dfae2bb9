// One alert in full: what fired, where, when, the raw events behind it (as text), the
// notes and the change history, and the controls to move it through the workflow.
import { useEffect, useId, useRef, useState } from 'react';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { SeverityBadge } from '../../../components/ui/severity-badge.tsx';
import { StatusBadge, statusLabel, statusOrder } from '../../../components/ui/status-badge.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { eventHeadline, eventSubject, readField } from '../../../lib/event-fields.ts';
import { formatCount, formatFullTimestamp } from '../../../lib/format-time.ts';
import { updateAlert, type AlertUpdate } from '../api/update-alert.ts';
import { useAlertDetail } from '../hooks/use-alert-detail.ts';
import type { Alert, RawEvent } from '../types/alert.ts';
import { revealControls } from '../../../lib/visible-text.ts';

export interface AlertDetailProps {
  alertId: string;
  /** The list's live copy, if the alert is in the list. */
  live: Alert | undefined;
  username: string;
  canEdit: boolean;
  onClose: () => void;
  onUpdated: (alert: Alert) => void;
}

export function AlertDetailPanel({ alertId, live, username, canEdit, onClose, onUpdated }: AlertDetailProps) {
  const { alert, events, loading, error, applyUpdate } = useAlertDetail(alertId, live);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [alertId]);

  return (
    <aside className="detail" aria-label="Alert detail">
      <header className="detail-head">
        {alert ? <SeverityBadge severity={alert.severity} /> : null}
        <h2 ref={headingRef} tabIndex={-1}>
          {alert?.rule.title ?? (loading ? 'Loading…' : 'Alert')}
        </h2>
        {alert ? <StatusBadge status={alert.status} /> : null}
        <button type="button" className="btn btn-ghost close" onClick={onClose} aria-label="Close detail" title="Close (Esc)">
          ✕
        </button>
      </header>
      <ErrorLine message={error} />
      {alert ? (
        <div className="detail-body">
          <AlertFacts alert={alert} />
          <AlertActions
            key={alert.id}
            alert={alert}
            username={username}
            canEdit={canEdit}
            onUpdated={(a) => {
              applyUpdate(a);
              onUpdated(a);
            }}
          />
          <section aria-label="Events">
            <h3>
              Events <span className="muted">({events.length === alert.count ? formatCount(events.length) : `${formatCount(events.length)} of ${formatCount(alert.count)}`})</span>
            </h3>
            {loading && events.length === 0 ? <p className="muted">Loading events…</p> : null}
            <ol className="event-list">
              {events.map((ev, i) => (
                <EventItem key={readField(ev, 'event.id') ?? i} event={ev} defaultOpen={events.length === 1} />
              ))}
            </ol>
          </section>
          <AlertNotes alert={alert} />
          <AlertHistory alert={alert} />
        </div>
      ) : null}
    </aside>
  );
}

function AlertFacts({ alert }: { alert: Alert }) {
  const groupEntries = Object.entries(alert.group);
  return (
    <dl className="facts">
      <dt>Unit</dt>
      <dd>{revealControls(alert.organization.name || alert.organization.id)}</dd>
      <dt>Host</dt>
      <dd className="mono">
        {revealControls(alert.host.name ?? '—')}
        {alert.host.id && alert.host.id !== alert.host.name ? <span className="muted"> ({revealControls(alert.host.id)})</span> : null}
      </dd>
      <dt>Rule</dt>
      <dd>
        <span className="mono">{alert.rule.id}</span> <span className="muted">· {alert.rule.kind} · level {alert.rule.level}</span>
      </dd>
      <dt>ATT&amp;CK</dt>
      <dd>
        {alert.attack.tactics.length + alert.attack.techniques.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <span className="tags">
            {alert.attack.tactics.map((t) => (
              <span key={`ta-${t}`} className="tag">
                {t}
              </span>
            ))}
            {alert.attack.techniques.map((t) => (
              <span key={`te-${t}`} className="tag tag-tech">
                {t}
              </span>
            ))}
          </span>
        )}
      </dd>
      <dt>Group</dt>
      <dd className="mono">
        {groupEntries.length === 0 ? <span className="muted">—</span> : groupEntries.map(([k, v]) => (
          <div key={k}>
            <span className="muted">{revealControls(k)}</span> = {revealControls(v)}
          </div>
        ))}
      </dd>
      <dt>First seen</dt>
      <dd className="mono">{formatFullTimestamp(alert.first_seen)}</dd>
      <dt>Last seen</dt>
      <dd className="mono">{formatFullTimestamp(alert.last_seen)}</dd>
      <dt>Count</dt>
      <dd className="mono">{formatCount(alert.count)}</dd>
      <dt>Assignee</dt>
      <dd>{alert.assignee ?? <span className="muted">unassigned</span>}</dd>
    </dl>
  );
}

function AlertActions({
  alert,
  username,
  canEdit,
  onUpdated,
}: {
  alert: Alert;
  username: string;
  canEdit: boolean;
  onUpdated: (alert: Alert) => void;
}) {
  const noteId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(update: AlertUpdate, clearNote: boolean) {
    setBusy(true);
    setError(null);
    try {
      const updated = await updateAlert(alert.id, update);
      onUpdated(updated);
      if (clearNote) setNote('');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const trimmed = note.trim();
  const disabled = busy || !canEdit;
  return (
    <section className="actions" aria-label="Actions">
      <div className="status-buttons" role="group" aria-label="Set status">
        {statusOrder.map((s) => (
          <button
            key={s}
            type="button"
            className={`btn btn-status st-btn-${s}`}
            aria-pressed={alert.status === s}
            disabled={disabled || alert.status === s}
            onClick={() => void send(trimmed ? { status: s, note: trimmed } : { status: s }, trimmed !== '')}
          >
            {statusLabel(s)}
          </button>
        ))}
      </div>
      <div className="assign-row">
        {alert.assignee === username ? (
          <button type="button" className="btn" disabled={disabled} onClick={() => void send({ assignee: null }, false)}>
            Unassign me
          </button>
        ) : (
          <button type="button" className="btn" disabled={disabled} onClick={() => void send({ assignee: username }, false)}>
            Assign to me
          </button>
        )}
        {!canEdit ? <span className="muted">Read-only: viewers cannot change alerts.</span> : null}
      </div>
      <label htmlFor={noteId} className="note-label">
        Note
      </label>
      <textarea
        id={noteId}
        className="note-box"
        rows={2}
        value={note}
        maxLength={10_000}
        disabled={!canEdit}
        placeholder="What you found or did (sent with a status change, or on its own)"
        onChange={(e) => setNote(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && trimmed) {
            e.preventDefault();
            void send({ note: trimmed }, true);
          }
        }}
      />
      <div className="note-row">
        <button type="button" className="btn" disabled={disabled || !trimmed} onClick={() => void send({ note: trimmed }, true)}>
          Add note
        </button>
        <span className="muted hint">Ctrl+Enter</span>
      </div>
      <ErrorLine message={error} />
    </section>
  );
}

function EventItem({ event, defaultOpen }: { event: RawEvent; defaultOpen: boolean }) {
  const at = readField(event, '@timestamp');
  const subject = eventSubject(event);
  const host = readField(event, 'host.name') ?? readField(event, 'host.id');
  return (
    <li>
      <details open={defaultOpen}>
        <summary>
          <span className="mono muted">{at ? formatFullTimestamp(at) : '—'}</span>{' '}
          <span className="ev-headline">{eventHeadline(event)}</span>
          {host ? <span className="mono muted"> · {host}</span> : null}
          {subject ? <span className="mono ev-subject">{subject}</span> : null}
        </summary>
        <JsonView value={event} label="Raw event" />
      </details>
    </li>
  );
}

function AlertNotes({ alert }: { alert: Alert }) {
  return (
    <section aria-label="Notes">
      <h3>
        Notes <span className="muted">({alert.notes.length})</span>
      </h3>
      {alert.notes.length === 0 ? <p className="muted">No notes yet.</p> : null}
      <ol className="notes">
        {alert.notes.map((n, i) => (
          <li key={`${n.at}-${i}`}>
            <div className="muted">
              <span className="mono">{formatFullTimestamp(n.at)}</span> · {n.author}
            </div>
            <p className="note-text">{n.text}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function historyValue(field: string, value: string | null): string {
  if (value === null || value === '') return '—';
  const status = statusOrder.find((s) => s === value);
  return field === 'status' && status ? statusLabel(status) : value;
}

function AlertHistory({ alert }: { alert: Alert }) {
  return (
    <section aria-label="History">
      <h3>
        History <span className="muted">({alert.history.length})</span>
      </h3>
      {alert.history.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <table className="history">
          <tbody>
            {alert.history.map((h, i) => (
              <tr key={`${h.at}-${i}`}>
                <td className="mono muted">{formatFullTimestamp(h.at)}</td>
                <td>{h.actor}</td>
                <td>
                  {h.field === 'note' ? (
                    'added a note'
                  ) : (
                    <>
                      {h.field}: <span className="muted">{historyValue(h.field, h.from)}</span> → {historyValue(h.field, h.to)}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
