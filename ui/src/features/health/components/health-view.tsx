// The Health view: is detection keeping up, were events too late for correlation (they
// are counted, never silently dropped), did a correlation rule hit its caps, and which
// sources went silent or send with clocks ahead. Polled every few seconds; everything
// is rendered as text.
import type { ReactNode } from 'react';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { formatCount, formatFullTimestamp, formatTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { HEALTH_POLL_MS, useHealth, type Health } from '../api/get-health.ts';
import { useSourceNames, type SourceNames } from '../api/get-source-names.ts';
import { ClocksAhead } from './clocks-ahead.tsx';
import { EmptyRow } from './empty-row.tsx';

/** A duration as people say it: "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min ${s % 60} s`;
  return `${formatCount(Math.floor(min / 60))} h ${min % 60} min`;
}

const isoOf = (epochMs: number) => new Date(epochMs).toISOString();

function behindNow(watermark: number, now: number): string {
  const behind = now - watermark;
  return behind >= 0 ? `${formatDuration(behind)} behind now` : `${formatDuration(-behind)} ahead of this computer's clock`;
}

export function HealthView({ unitScoped }: { unitScoped: boolean }) {
  const { health, fetchedAt, unavailable, error } = useHealth();
  const names = useSourceNames();
  return (
    <section className="health-pane" aria-label="Detection health">
      <div className="health-head">
        <h2>Detection health</h2>
        <span className="muted">
          {fetchedAt ? `Updated ${formatTimestamp(isoOf(fetchedAt))} · ` : ''}refreshes every {HEALTH_POLL_MS / 1000} s
        </span>
      </div>
      {unavailable ? (
        <p role="status" className="health-unavailable">
          Detection health is not available. The detect stage does not report it right now; retrying every{' '}
          {HEALTH_POLL_MS / 1000} s.
        </p>
      ) : null}
      <ErrorLine message={error ? `Could not refresh detection health: ${error}` : null} />
      {health ? <HealthDetails health={health} now={Date.now()} unitScoped={unitScoped} names={names} /> : null}
      {!health && !unavailable && !error ? <p className="muted">Loading detection health…</p> : null}
    </section>
  );
}

/** A correlation rule by its title, with its id on hover (and as the text when the title is unknown). */
function RuleCell({ id, titles }: { id: string; titles: Readonly<Record<string, string>> }) {
  const title = titles[id];
  return title === undefined ? (
    <td className="mono cell-clip">{id}</td>
  ) : (
    <td className="cell-clip" title={id}>
      {title}
    </td>
  );
}

function HealthDetails({
  health,
  now,
  unitScoped,
  names,
}: {
  health: Health;
  now: number;
  unitScoped: boolean;
  names: SourceNames;
}) {
  const { correlation, lag, silentSources } = health.detection;
  const { rules } = health;
  const late = Object.entries(correlation.late)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const cappedRules = [...new Set([...Object.keys(correlation.groupsRefused), ...Object.keys(correlation.entriesDropped)])]
    .map((rule) => ({ rule, refused: correlation.groupsRefused[rule] ?? 0, dropped: correlation.entriesDropped[rule] ?? 0 }))
    .filter((c) => c.refused > 0 || c.dropped > 0)
    .sort((a, b) => b.refused + b.dropped - (a.refused + a.dropped) || a.rule.localeCompare(b.rule));

  return (
    <div className="health-body">
      <dl className="health-facts" aria-label="Detection">
        <Fact label="Watermark">
          {correlation.watermark === null ? (
            'No events yet'
          ) : (
            <>
              <span className="mono">{formatFullTimestamp(isoOf(correlation.watermark))}</span>
              <span className="health-sub">{behindNow(correlation.watermark, now)}</span>
            </>
          )}
        </Fact>
        <Fact label="Events waiting for detect">{formatCount(lag.events)}</Fact>
        <Fact label="Signals waiting for correlation">{formatCount(lag.signals)}</Fact>
        <Fact label="Active correlation groups">{formatCount(correlation.activeGroups)}</Fact>
        <Fact label="Correlation rules">{formatCount(correlation.rules)}</Fact>
        <Fact label="Rules loaded">{formatCount(rules.loaded)}</Fact>
        <Fact label="Rule problems" warn={rules.errorCount > 0}>
          {formatCount(rules.errorCount)}
        </Fact>
      </dl>

      {rules.errors.length > 0 ? (
        <section className="health-section" aria-label="Rule problems">
          <h3 className="is-warning">Rule problems</h3>
          <ul className="health-problems mono">
            {rules.errors.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        </section>
      ) : rules.errorCount > 0 ? (
        <p className="muted">The last rule load had problems; an analyst or admin can read them.</p>
      ) : null}

      <section className="health-section" aria-label="Late events per correlation rule">
        <h3>Late events per correlation rule</h3>
        <p className="muted hint">Events later than the allowed lateness are counted here and not applied to correlation windows.</p>
        <table className="health-table" aria-label="Late events per rule">
          <thead>
            <tr>
              <th scope="col">Correlation rule</th>
              <th scope="col" className="num">
                Late events
              </th>
            </tr>
          </thead>
          <tbody>
            {late.length === 0 ? (
              <EmptyRow columns={2}>No late events</EmptyRow>
            ) : (
              late.map(([rule, n]) => (
                <tr key={rule}>
                  <RuleCell id={rule} titles={correlation.titles} />
                  <td className="num">{formatCount(n)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>

      <section className="health-section" aria-label="Recent late events">
        <h3>Recent late events</h3>
        <table className="health-table" aria-label="Recent late events">
          <thead>
            <tr>
              <th scope="col">Correlation rule</th>
              <th scope="col">Event id</th>
              <th scope="col">Event time</th>
              <th scope="col" className="num">
                How late
              </th>
            </tr>
          </thead>
          <tbody>
            {correlation.recentLate.length === 0 ? (
              <EmptyRow columns={4}>
                {unitScoped
                  ? 'Shown to SOC-wide users only: this list holds late events of every unit.'
                  : 'No late events'}
              </EmptyRow>
            ) : (
              correlation.recentLate.map((l, i) => (
                <tr key={`${l.eventId}-${i}`}>
                  <RuleCell id={l.correlation} titles={correlation.titles} />
                  <td className="mono cell-clip">{l.eventId}</td>
                  <td className="mono">{formatFullTimestamp(isoOf(l.time))}</td>
                  <td className="num">{formatDuration(l.watermark - l.time)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>

      <section className="health-section" aria-label="Caps hit">
        <h3 className={cappedRules.length > 0 ? 'is-warning' : undefined}>Caps hit</h3>
        <p className="muted hint">
          A rule at its group cap refuses new groups; a group at its entry cap drops its oldest entries. Either can miss a
          detection.
        </p>
        <table className="health-table" aria-label="Caps hit per rule">
          <thead>
            <tr>
              <th scope="col">Correlation rule</th>
              <th scope="col" className="num">
                Groups refused
              </th>
              <th scope="col" className="num">
                Entries dropped
              </th>
            </tr>
          </thead>
          <tbody>
            {cappedRules.length === 0 ? (
              <EmptyRow columns={3}>No caps hit</EmptyRow>
            ) : (
              cappedRules.map((c) => (
                <tr key={c.rule} className="warn-row">
                  <RuleCell id={c.rule} titles={correlation.titles} />
                  <td className="num">{formatCount(c.refused)}</td>
                  <td className="num">{formatCount(c.dropped)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>

      <section className="health-section" aria-label="Silent sources">
        <h3 className={silentSources.length > 0 ? 'is-warning' : undefined}>Silent sources</h3>
        <table className="health-table" aria-label="Silent sources">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Id</th>
              <th scope="col">Unit</th>
              <th scope="col">Last seen</th>
              <th scope="col" className="num">
                Silent for
              </th>
            </tr>
          </thead>
          <tbody>
            {silentSources.length === 0 ? (
              <EmptyRow columns={5}>No silent sources</EmptyRow>
            ) : (
              silentSources.map((s) => (
                <tr key={`${s.kind}:${s.id}`}>
                  <td>{s.kind === 'agent' ? 'Agent' : 'Unit'}</td>
                  <td className="mono cell-clip">{revealControls(s.id)}</td>
                  <td className="cell-clip" title={revealControls(s.unit)}>
                    {revealControls(names.units.get(s.unit) ?? s.unit)}
                  </td>
                  <td className="mono" title={s.lastSeen}>
                    {formatFullTimestamp(s.lastSeen)}
                  </td>
                  <td className="num">{Number.isNaN(Date.parse(s.lastSeen)) ? '—' : formatDuration(now - Date.parse(s.lastSeen))}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>

      <ClocksAhead agents={health.detection.futureTimestamps} names={names} />
    </div>
  );
}

function Fact({ label, warn = false, children }: { label: string; warn?: boolean; children: ReactNode }) {
  return (
    <div className={`health-fact${warn ? ' is-warning' : ''}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
