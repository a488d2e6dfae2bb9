// One alert in full, at /alerts/:id: what fired and what the rule's Sigma file says
// about it (description, known false positives, references), ATT&CK with technique
// names linked to attack.mitre.org, the hosts and events that made it (a correlation
// or spread alert lists every host), source → destination for network alerts, pivots
// (this host's events in this window, other alerts of the rule or host), triage
// (status, assignee, note), notes and history. Kept current by the live stream.
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { JsonView } from '../../../components/ui/json-view.tsx';
import { ApiError, describeError } from '../../../lib/api-client.ts';
import { eventHeadline, eventSubject, readField } from '../../../lib/event-fields.ts';
import { formatCount, formatFullTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getAlert, type AlertDetail } from '../api/get-alert.ts';
import { updateAlert, type AlertUpdate } from '../api/update-alert.ts';
import { useAlertsLive } from '../hooks/alerts-live.tsx';
import { tacticInfo, techniqueName, techniqueUrl } from '../lib/attack-names.ts';
import { isNewerOrSame, type Alert, type AlertStatus, type RawEvent } from '../types/alert.ts';
import { SeverityTag, StatusTag } from './alert-tags.tsx';
import { AlertNotifications } from '../../notifications/components/alert-notifications.tsx';

const statuses: AlertStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive'];
/** Pivot windows reach a little before and after the alert, where the story usually is. */
const PIVOT_MARGIN_MS = 15 * 60_000;

export interface AlertDetailPaneProps {
  id: string;
  me: string;
  canEdit: boolean;
  onClose(): void;
  onUpdated(alert: Alert): void;
  /** Adds a filter to the list (host, unit, rule, tactic). */
  onFilter(name: 'host' | 'unit' | 'rule' | 'tactic', value: string): void;
}

export const alertDetailKey = (id: string) => ['alerts', 'detail', id] as const;

export function AlertDetailPane({ id, me, canEdit, onClose, onUpdated, onFilter }: AlertDetailPaneProps) {
  const { t } = useTranslation('alerts');
  const live = useAlertsLive();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: alertDetailKey(id), queryFn: ({ signal }) => getAlert(id, signal), retry: false });
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [id]);

  // A frame for this alert (someone else triaged it, detect counted it again) shows here.
  useEffect(
    () =>
      live.subscribe((alerts) => {
        const mine = alerts.filter((a) => a.id === id).at(-1);
        if (!mine) return;
        queryClient.setQueryData<AlertDetail>(alertDetailKey(id), (old) =>
          old && isNewerOrSame(mine, old.alert) ? { ...old, alert: mine } : old,
        );
        if (mine.count !== detail.data?.alert.count) void queryClient.invalidateQueries({ queryKey: alertDetailKey(id) });
      }),
    [live, id, queryClient, detail.data?.alert.count],
  );

  const applyUpdate = (alert: Alert) => {
    queryClient.setQueryData<AlertDetail>(alertDetailKey(id), (old) => (old ? { ...old, alert } : old));
    onUpdated(alert);
  };

  const alert = detail.data?.alert;
  const notFound = detail.error instanceof ApiError && detail.error.status === 404;
  return (
    <aside className="alert-detail" aria-label={t('detail.label')}>
      <header className="detail-head">
        {alert ? <SeverityTag severity={alert.severity} /> : null}
        <h2 ref={headingRef} tabIndex={-1} title={alert ? revealControls(alert.rule.title) : undefined}>
          {alert ? revealControls(alert.rule.title) : t('list.loading')}
        </h2>
        {alert ? <StatusTag status={alert.status} /> : null}
        <button type="button" className="btn btn-ghost close" onClick={onClose} aria-label={t('detail.close')} title={t('detail.close')}>
          ✕
        </button>
      </header>
      {notFound ? <p className="muted">{t('detail.notFound')}</p> : <ErrorLine message={detail.error ? describeError(detail.error) : null} />}
      {alert && detail.data ? (
        <div className="detail-body">
          <TriageControls key={alert.id} alert={alert} me={me} canEdit={canEdit} onUpdated={applyUpdate} />
          <Facts alert={alert} onFilter={onFilter} />
          <RuleSection detail={detail.data} />
          <EvidenceSection alert={alert} events={detail.data.events} />
          <Notes alert={alert} />
          <History alert={alert} />
          <AlertNotifications alertId={alert.id} />
        </div>
      ) : null}
    </aside>
  );
}

function FilterButton({ name, value, onFilter }: { name: 'host' | 'unit' | 'rule' | 'tactic'; value: string; onFilter: AlertDetailPaneProps['onFilter'] }) {
  const { t } = useTranslation('alerts');
  // Shown text: controls such as U+202E appear as marks, never reorder the tooltip.
  const label = t('detail.addFilter', { field: name, value: revealControls(value) });
  return (
    <button type="button" className="btn btn-ghost btn-tiny" title={label} aria-label={label} onClick={() => onFilter(name, value)}>
      ⊕
    </button>
  );
}

function Facts({ alert, onFilter }: { alert: Alert; onFilter: AlertDetailPaneProps['onFilter'] }) {
  const { t } = useTranslation('alerts');
  const { t: tc } = useTranslation();
  const host = alert.host.name ?? alert.host.id;
  const from = new Date(Date.parse(alert.first_seen) - PIVOT_MARGIN_MS).toISOString();
  const to = new Date(Date.parse(alert.last_seen) + PIVOT_MARGIN_MS).toISOString();
  const hostField = alert.host.name !== undefined ? 'host.name' : 'host.id';
  const eventsLink = host ? `/events?${new URLSearchParams({ q: `${hostField}:"${host}"`, from, to }).toString()}` : null;
  return (
    <section aria-label={t('detail.facts')}>
      <dl className="facts">
        <dt>{t('detail.unit')}</dt>
        <dd>
          {alert.organization.id !== '*' ? <Link to={`/units/${encodeURIComponent(alert.organization.id)}`}>{revealControls(alert.organization.name || alert.organization.id)}</Link> : revealControls(alert.organization.name || alert.organization.id)} <span className="muted mono">({revealControls(alert.organization.id)})</span>
          {alert.organization.id !== '*' ? <FilterButton name="unit" value={alert.organization.id} onFilter={onFilter} /> : null}
        </dd>
        <dt>{t('detail.host')}</dt>
        <dd className="mono">
          {host ? <Link to={`/hosts/${encodeURIComponent(host)}${alert.organization.id !== '*' ? `?unit=${encodeURIComponent(alert.organization.id)}` : ''}`}>{revealControls(host)}</Link> : '–'}
          {alert.host.id && alert.host.id !== alert.host.name ? <span className="muted"> ({revealControls(alert.host.id)})</span> : null}
          {host ? <FilterButton name="host" value={host} onFilter={onFilter} /> : null}
        </dd>
        <dt>{t('detail.rule')}</dt>
        <dd>
          <span className="mono">{revealControls(alert.rule.id)}</span>{' '}
          <span className="muted">
            · {t(`detail.kind.${alert.rule.kind}`)} · {t('detail.level', { level: tc(`severity.${alert.rule.level}`) })}
          </span>
          <FilterButton name="rule" value={alert.rule.id} onFilter={onFilter} />
        </dd>
        <dt>{t('detail.attack')}</dt>
        <dd>
          {alert.attack.tactics.length + alert.attack.techniques.length === 0 ? (
            '–'
          ) : (
            <ul className="attack-list">
              {alert.attack.tactics.map((tactic) => {
                const info = tacticInfo(tactic);
                return (
                  <li key={`ta-${tactic}`}>
                    {info.url ? (
                      <a href={info.url} target="_blank" rel="noreferrer noopener">
                        {info.name}
                      </a>
                    ) : (
                      info.name
                    )}
                    <FilterButton name="tactic" value={tactic} onFilter={onFilter} />
                  </li>
                );
              })}
              {alert.attack.techniques.map((technique) => (
                <li key={`te-${technique}`}>
                  <a href={techniqueUrl(technique)} target="_blank" rel="noreferrer noopener">
                    <span className="mono">{technique}</span> {techniqueName(technique) ?? ''}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('detail.firstSeen')}</dt>
        <dd className="mono">{formatFullTimestamp(alert.first_seen)}</dd>
        <dt>{t('detail.lastSeen')}</dt>
        <dd className="mono">{formatFullTimestamp(alert.last_seen)}</dd>
        <dt>{t('detail.count')}</dt>
        <dd className="mono">{formatCount(alert.count)}</dd>
        <dt>{t('detail.assignee')}</dt>
        <dd>{alert.assignee !== null ? revealControls(alert.assignee) : <span className="muted">{t('detail.unassigned')}</span>}</dd>
        {Object.keys(alert.group).length > 0 ? (
          <>
            <dt>{t('detail.group')}</dt>
            <dd className="mono">
              {Object.entries(alert.group).map(([k, v]) => (
                <div key={k}>
                  <span className="muted">{revealControls(k)}</span> = {revealControls(v)}
                </div>
              ))}
            </dd>
          </>
        ) : null}
        <dt>{t('detail.pivots')}</dt>
        <dd className="pivots">
          {eventsLink && host ? <Link to={eventsLink}>{t('detail.hostEvents', { host: revealControls(host) })}</Link> : null}
          <Link to={`/alerts?status=all&rule=${encodeURIComponent(alert.rule.id)}`}>{t('detail.ruleAlerts')}</Link>
          {host ? <Link to={`/alerts?status=all&host=${encodeURIComponent(host)}`}>{t('detail.hostAlerts')}</Link> : null}
        </dd>
      </dl>
    </section>
  );
}

function RuleSection({ detail }: { detail: AlertDetail }) {
  const { t } = useTranslation('alerts');
  const info = detail.rule_info;
  if (info === null) return <p className="muted">{t('detail.noRuleInfo')}</p>;
  return (
    <section aria-label={t('detail.description')} className="rule-info">
      <h3>{t('detail.description')}</h3>
      {info.description ? <p className="rule-description">{info.description}</p> : <p className="muted">–</p>}
      {info.falsepositives.length > 0 ? (
        <>
          <h4>{t('detail.falsePositives')}</h4>
          <ul>
            {info.falsepositives.map((fp, i) => (
              <li key={i}>{fp}</li>
            ))}
          </ul>
        </>
      ) : null}
      {info.references.length > 0 ? (
        <>
          <h4>{t('detail.references')}</h4>
          <ul>
            {info.references.map((ref) => (
              <li key={ref}>
                {/* Rule files are shared content: only a web address becomes a link. */}
                {/^https?:\/\//i.test(ref) ? (
                  <a href={ref} target="_blank" rel="noreferrer noopener">
                    {ref}
                  </a>
                ) : (
                  ref
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {/* Sigma's licence (DRL 1.1) asks that a match shown to a user names the rule's author. */}
      {info.author ? (
        <p className="muted small rule-author">
          {t('detail.ruleAuthor')}: {info.author}
        </p>
      ) : null}
      <p className="muted small">
        {t('detail.ruleFile')}: <span className="mono">{info.file}</span>
      </p>
    </section>
  );
}

/** The hosts, and for network events source → destination, of the events behind the alert. */
function EvidenceSection({ alert, events }: { alert: Alert; events: RawEvent[] }) {
  const { t } = useTranslation('alerts');
  const hosts = [...new Set(events.map((ev) => readField(ev, 'host.name') ?? readField(ev, 'host.id')).filter((h): h is string => h !== undefined))];
  const flows = [
    ...new Set(
      events
        .map((ev) => {
          const src = readField(ev, 'source.ip');
          const dst = readField(ev, 'destination.ip');
          if (src === undefined && dst === undefined) return undefined;
          const port = readField(ev, 'destination.port');
          return `${src ?? '?'} → ${dst ?? '?'}${port ? `:${port}` : ''}`;
        })
        .filter((f): f is string => f !== undefined),
    ),
  ];
  return (
    <section aria-label={t('detail.events')}>
      {hosts.length > 1 || alert.rule.kind === 'correlation' ? (
        <>
          <h3>{t('detail.hosts')}</h3>
          <ul className="host-list mono">
            {hosts.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        </>
      ) : null}
      {flows.length > 0 ? (
        <>
          <h3>
            {t('detail.network')} <span className="muted">({t('detail.source')} → {t('detail.destination')})</span>
          </h3>
          <ul className="flow-list mono">
            {flows.slice(0, 20).map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>
        {t('detail.events')} <span className="muted">({t('detail.eventsCount', { shown: formatCount(events.length), count: formatCount(alert.count) })})</span>
      </h3>
      <ol className="event-list">
        {events.map((ev, i) => {
          const at = readField(ev, '@timestamp');
          const host = readField(ev, 'host.name') ?? readField(ev, 'host.id');
          const subject = eventSubject(ev);
          return (
            <li key={readField(ev, 'event.id') ?? i}>
              <details open={events.length === 1}>
                <summary>
                  <span className="mono muted">{at ? formatFullTimestamp(at) : '–'}</span> <span>{eventHeadline(ev)}</span>
                  {host ? <span className="mono muted"> · {host}</span> : null}
                  {subject ? <span className="mono ev-subject">{subject}</span> : null}
                </summary>
                <JsonView value={ev} label={t('detail.rawEvent')} />
              </details>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function TriageControls({ alert, me, canEdit, onUpdated }: { alert: Alert; me: string; canEdit: boolean; onUpdated: (a: Alert) => void }) {
  const { t } = useTranslation('alerts');
  const { t: tc } = useTranslation();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(update: AlertUpdate, clearNote: boolean) {
    setBusy(true);
    setError(null);
    try {
      onUpdated(await updateAlert(alert.id, update));
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
    <section className="actions" aria-label={t('detail.actions')}>
      <div className="status-buttons" role="group" aria-label={t('detail.setStatus')}>
        {statuses.map((s) => (
          <button
            key={s}
            type="button"
            className={`btn btn-status st-btn-${s}`}
            aria-pressed={alert.status === s}
            disabled={disabled || alert.status === s}
            onClick={() => void send(trimmed ? { status: s, note: trimmed } : { status: s }, trimmed !== '')}
          >
            {tc(`status.${s}`)}
          </button>
        ))}
      </div>
      <div className="assign-row">
        {alert.assignee === me ? (
          <button type="button" className="btn" disabled={disabled} onClick={() => void send({ assignee: null }, false)}>
            {t('detail.unassignMe')}
          </button>
        ) : (
          <button type="button" className="btn" disabled={disabled} onClick={() => void send({ assignee: me }, false)}>
            {t('detail.assignMe')}
          </button>
        )}
        <input
          className="input assign-input"
          aria-label={t('detail.assignTo')}
          placeholder={t('bulk.assignPlaceholder')}
          value={assignee}
          disabled={!canEdit}
          maxLength={200}
          onChange={(ev) => setAssignee(ev.target.value)}
        />
        <button type="button" className="btn" disabled={disabled || assignee.trim() === ''} onClick={() => void send({ assignee: assignee.trim() }, false)}>
          {t('bulk.assignButton')}
        </button>
      </div>
      {!canEdit ? <p className="muted">{t('detail.readOnly')}</p> : null}
      <label htmlFor={noteId} className="note-label">
        {t('detail.note')}
      </label>
      <textarea
        id={noteId}
        className="note-box"
        rows={2}
        value={note}
        maxLength={10_000}
        disabled={!canEdit}
        placeholder={t('detail.notePlaceholder')}
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
          {t('detail.addNote')}
        </button>
        <span className="muted hint">Ctrl+Enter</span>
      </div>
      <ErrorLine message={error} />
    </section>
  );
}

function Notes({ alert }: { alert: Alert }) {
  const { t } = useTranslation('alerts');
  return (
    <section aria-label={t('detail.notes')}>
      <h3>
        {t('detail.notes')} <span className="muted">({alert.notes.length})</span>
      </h3>
      {alert.notes.length === 0 ? <p className="muted">{t('detail.noNotes')}</p> : null}
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

function History({ alert }: { alert: Alert }) {
  const { t } = useTranslation('alerts');
  const { t: tc } = useTranslation();
  const value = (field: string, v: string | null) => {
    if (v === null || v === '') return '–';
    return field === 'status' && (statuses as string[]).includes(v) ? tc(`status.${v as AlertStatus}`) : revealControls(v);
  };
  return (
    <section aria-label={t('detail.history')}>
      <h3>
        {t('detail.history')} <span className="muted">({alert.history.length})</span>
      </h3>
      {alert.history.length === 0 ? (
        <p className="muted">{t('detail.noHistory')}</p>
      ) : (
        <table className="history">
          <tbody>
            {alert.history.map((h, i) => (
              <tr key={`${h.at}-${i}`}>
                <td className="mono muted">{formatFullTimestamp(h.at)}</td>
                <td>{h.actor}</td>
                <td>
                  {h.field === 'note'
                    ? t('detail.addedNote')
                    : t('detail.changed', {
                        field: h.field === 'status' ? tc('status.label') : t('detail.assignee'),
                        from: value(h.field, h.from),
                        to: value(h.field, h.to),
                      })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
