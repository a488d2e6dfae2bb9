// The Health view: is detection keeping up, were events too late for correlation (they
// are counted, never silently dropped), did a correlation rule hit its caps, and which
// sources went silent or send with clocks ahead. Polled every few seconds; everything
// is rendered as text, times with their zone, units by name. On a database without
// events it says so instead of reading the idle watermark as "behind". Unit-scoped
// users get no SOC-wide counts from the server, and the view says why.
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatCount, formatFullTimestamp, formatTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getStats } from '../api/get-stats.ts';
import { HEALTH_POLL_MS, isUnavailable, useHealth, type Health } from '../api/get-health.ts';
import { useSourceNames, type SourceNames } from '../api/get-source-names.ts';
import { ClocksAhead } from './clocks-ahead.tsx';
import { EmptyRow } from './empty-row.tsx';

/** A duration as people say it: "42 s", "3 min 5 s", "2 h 10 min" (in the chosen language). */
export function formatDuration(ms: number, t: TFunction<'health'>): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return t('duration.s', { s });
  const min = Math.floor(s / 60);
  if (min < 120) return t('duration.min', { min, s: s % 60 });
  return t('duration.h', { h: formatCount(Math.floor(min / 60)), min: min % 60 });
}

const isoOf = (epochMs: number) => new Date(epochMs).toISOString();

export function HealthView({ unitScoped }: { unitScoped: boolean }) {
  const { t } = useTranslation('health');
  const query = useHealth();
  // Whether any event exists that this user may see: an empty database has a watermark
  // too (idle sources count as "now"), which is no news.
  const stats = useQuery({ queryKey: ['stats'], queryFn: ({ signal }) => getStats(signal), refetchInterval: HEALTH_POLL_MS });
  const names = useSourceNames();
  const health = query.data ?? null;
  const unavailable = query.isError && isUnavailable(query.error);
  const error = query.isError && !unavailable ? describeError(query.error) : null;
  const seconds = HEALTH_POLL_MS / 1000;
  return (
    <section className="health-pane" aria-label={t('title')}>
      <div className="health-head">
        <h2>{t('title')}</h2>
        <span className="muted">
          {query.dataUpdatedAt ? t('updated', { time: formatTimestamp(isoOf(query.dataUpdatedAt)), seconds }) : t('refreshes', { seconds })}
        </span>
      </div>
      {unavailable ? (
        <p role="status" className="health-unavailable">
          {t('unavailable', { seconds })}
        </p>
      ) : null}
      <ErrorLine message={error ? t('refreshFailed', { message: error }) : null} />
      {health ? (
        <HealthDetails health={health} now={Date.now()} unitScoped={unitScoped} names={names} noEvents={stats.data?.events === 0} />
      ) : null}
      {!health && !query.isError ? <p className="muted">{t('loading')}</p> : null}
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
  noEvents,
}: {
  health: Health;
  now: number;
  unitScoped: boolean;
  names: SourceNames;
  noEvents: boolean;
}) {
  const { t } = useTranslation('health');
  const { correlation, lag, silentSources } = health.detection;
  const { rules } = health;
  const late = Object.entries(correlation.late)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const cappedRules = [...new Set([...Object.keys(correlation.groupsRefused), ...Object.keys(correlation.entriesDropped)])]
    .map((rule) => ({ rule, refused: correlation.groupsRefused[rule] ?? 0, dropped: correlation.entriesDropped[rule] ?? 0 }))
    .filter((c) => c.refused > 0 || c.dropped > 0)
    .sort((a, b) => b.refused + b.dropped - (a.refused + a.dropped) || a.rule.localeCompare(b.rule));
  const waiting = lag ? lag.events + lag.signals : null;

  return (
    <div className="health-body">
      <dl className="health-facts" aria-label={t('facts')}>
        <Fact label={t('watermark')}>
          {correlation.watermark === null || noEvents ? (
            unitScoped ? t('noEventsUnit') : t('noEvents')
          ) : (
            <>
              <span className="mono" title={t('watermarkHint')}>
                {formatFullTimestamp(isoOf(correlation.watermark))}
              </span>
              {waiting !== null ? (
                <span className="health-sub">{waiting === 0 ? t('keepingUp') : t('behind', { count: waiting, formatted: formatCount(waiting) })}</span>
              ) : null}
            </>
          )}
        </Fact>
        {lag ? (
          <>
            <Fact label={t('eventsWaiting')} warn={lag.events > 0 && lag.catchUp !== undefined && lag.catchUp.seconds === null}>
              {formatCount(lag.events)}
              {lag.events > 0 && lag.catchUp ? (
                <span className="health-sub">
                  {lag.catchUp.seconds === null
                    ? t('notCatchingUp', { drain: formatCount(Math.round(lag.catchUp.drainPerSecond)), inflow: formatCount(Math.round(lag.catchUp.inflowPerSecond)) })
                    : t('catchUpIn', { duration: formatCatchUp(lag.catchUp.seconds, t), drain: formatCount(Math.round(lag.catchUp.drainPerSecond)) })}
                </span>
              ) : null}
            </Fact>
            <Fact label={t('signalsWaiting')}>{formatCount(lag.signals)}</Fact>
          </>
        ) : null}
        {correlation.activeGroups !== undefined ? <Fact label={t('activeGroups')}>{formatCount(correlation.activeGroups)}</Fact> : null}
        <Fact label={t('correlationRules')}>{formatCount(correlation.rules)}</Fact>
        <Fact label={t('rulesLoaded')}>{formatCount(rules.loaded)}</Fact>
        <Fact label={t('ruleProblems')} warn={rules.errorCount > 0}>
          {formatCount(rules.errorCount)}
        </Fact>
      </dl>

      {rules.errors.length > 0 ? (
        <section className="health-section" aria-label={t('ruleProblems')}>
          <h3 className="is-warning">{t('ruleProblems')}</h3>
          <ul className="health-problems mono">
            {rules.errors.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        </section>
      ) : rules.errorCount > 0 ? (
        <p className="muted">{t('ruleProblemsHidden')}</p>
      ) : null}

      {unitScoped ? (
        <p className="muted hint" role="note">
          {t('socWideOnly')}
        </p>
      ) : (
        <>
          <section className="health-section" aria-label={t('lateTitle')}>
            <h3>{t('lateTitle')}</h3>
            <p className="muted hint">{t('lateHint')}</p>
            <table className="health-table" aria-label={t('lateTable')}>
              <thead>
                <tr>
                  <th scope="col">{t('correlationRule')}</th>
                  <th scope="col" className="num">
                    {t('lateEvents')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {late.length === 0 ? (
                  <EmptyRow columns={2}>{t('noLate')}</EmptyRow>
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

          <section className="health-section" aria-label={t('recentLate')}>
            <h3>{t('recentLate')}</h3>
            <table className="health-table" aria-label={t('recentLate')}>
              <thead>
                <tr>
                  <th scope="col">{t('correlationRule')}</th>
                  <th scope="col">{t('eventId')}</th>
                  <th scope="col">{t('eventTime')}</th>
                  <th scope="col" className="num">
                    {t('howLate')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {correlation.recentLate.length === 0 ? (
                  <EmptyRow columns={4}>{t('noLate')}</EmptyRow>
                ) : (
                  correlation.recentLate.map((l, i) => (
                    <tr key={`${l.eventId}-${i}`}>
                      <RuleCell id={l.correlation} titles={correlation.titles} />
                      <td className="mono cell-clip">{l.eventId}</td>
                      <td className="mono">{formatFullTimestamp(isoOf(l.time))}</td>
                      <td className="num">{formatDuration(l.watermark - l.time, t)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </section>

          <section className="health-section" aria-label={t('capsTitle')}>
            <h3 className={cappedRules.length > 0 ? 'is-warning' : undefined}>{t('capsTitle')}</h3>
            <p className="muted hint">{t('capsHint')}</p>
            <table className="health-table" aria-label={t('capsTable')}>
              <thead>
                <tr>
                  <th scope="col">{t('correlationRule')}</th>
                  <th scope="col" className="num">
                    {t('groupsRefused')}
                  </th>
                  <th scope="col" className="num">
                    {t('entriesDropped')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {cappedRules.length === 0 ? (
                  <EmptyRow columns={3}>{t('noCaps')}</EmptyRow>
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
        </>
      )}

      <section className="health-section" aria-label={t('silentTitle')}>
        <h3 className={silentSources.length > 0 ? 'is-warning' : undefined}>{t('silentTitle')}</h3>
        <table className="health-table" aria-label={t('silentTitle')}>
          <thead>
            <tr>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('source')}</th>
              <th scope="col">{t('unit')}</th>
              <th scope="col">{t('lastSeen')}</th>
              <th scope="col" className="num">
                {t('silentFor')}
              </th>
            </tr>
          </thead>
          <tbody>
            {silentSources.length === 0 ? (
              <EmptyRow columns={5}>{t('noSilent')}</EmptyRow>
            ) : (
              silentSources.map((s) => {
                const name = s.kind === 'agent' ? names.agents.get(s.id) : names.units.get(s.id);
                return (
                  <tr key={`${s.kind}:${s.id}`}>
                    <td>{s.kind === 'agent' ? t('agent') : t('unitKind')}</td>
                    <td className={name ? 'cell-clip' : 'mono cell-clip'} title={revealControls(s.id)}>
                      {revealControls(name ?? s.id)}
                    </td>
                    <td className="cell-clip" title={revealControls(s.unit)}>
                      {revealControls(names.units.get(s.unit) ?? s.unit)}
                    </td>
                    <td className="mono" title={s.lastSeen}>
                      {formatFullTimestamp(s.lastSeen)}
                    </td>
                    <td className="num">{Number.isNaN(Date.parse(s.lastSeen)) ? '—' : formatDuration(now - Date.parse(s.lastSeen), t)}</td>
                  </tr>
                );
              })
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

/** "40 seconds", "3 minutes", "2 hours": rounded up, as an estimate should be read. */
function formatCatchUp(seconds: number, t: TFunction<'health'>): string {
  if (seconds < 90) return t('seconds', { count: Math.max(1, Math.ceil(seconds)) });
  if (seconds < 90 * 60) return t('minutes', { count: Math.ceil(seconds / 60) });
  return t('hours', { count: Math.ceil(seconds / 3600) });
}
