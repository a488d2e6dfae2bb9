// A report's key figures as the console shows them: the headline numbers beside the
// previous period's, antivirus outcomes and alerts per day as bars (a reader would rather
// look than read), the top threats and hosts, triage times against their targets per
// severity, and the agents silent at the end. Every name in it came from events, so it
// is rendered as text.
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../../i18n/i18n.ts';
import { formatCount, formatZonedTimestamp } from '../../../lib/format-time.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { Headline, Report } from '../api/get-report.ts';

const headlineKeys = ['events', 'alerts', 'urgentAlerts', 'detections', 'failed', 'reinfections', 'silentAgentAlerts', 'mttaMs', 'mttrMs'] as const;
const outcomes = ['blocked', 'quarantined', 'cleaned', 'deleted', 'failed', 'other'] as const;

function useDuration(): (ms: number | null) => string {
  const { t } = useTranslation('reports');
  return (ms) => {
    if (ms === null) return t('headline.noValue');
    const minutes = ms / 60_000;
    const n = (value: number) => new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 1 }).format(value);
    if (minutes < 90) return t('duration.m', { n: n(minutes) });
    if (minutes < 48 * 60) return t('duration.h', { n: n(minutes / 60) });
    return t('duration.d', { n: n(minutes / 1440) });
  };
}

function day(iso: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** The last day a [from, to) period includes. */
const lastDay = (iso: string) => day(new Date(Date.parse(iso) - 1).toISOString());

function Bars({ rows, label, header }: { rows: Array<[string, number]>; label: string; header: [string, string] }) {
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <table className="admin-table report-bars" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{header[0]}</th>
          <th scope="col" className="num">
            {header[1]}
          </th>
          <th scope="col" aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, n]) => (
          <tr key={name}>
            <td>{revealControls(name)}</td>
            <td className="num">{formatCount(n)}</td>
            <td className="report-bar-cell" aria-hidden="true">
              <span className="report-bar" style={{ width: `${(100 * n) / max}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReportSummary({ report }: { report: Report }) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const { unitName } = useUnitNames();
  const duration = useDuration();
  const value = (h: Headline, key: (typeof headlineKeys)[number]) => (key === 'mttaMs' || key === 'mttrMs' ? duration(h[key]) : formatCount(h[key]));
  const perDay = Object.entries(report.figures.alertsPerDay).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="report-summary">
      <h3 className="report-heading">{t('heading', { unit: report.unit ? revealControls(report.unit.name) : t('wholeSoc') })}</h3>
      <p className="muted">
        {t('covering', { from: day(report.from), to: lastDay(report.to), prevFrom: day(report.previous.from), prevTo: lastDay(report.previous.to) })}
      </p>
      <dl className="health-facts report-headline" aria-label={t('headline.label')}>
        {headlineKeys.map((key) => (
          <div key={key} className="health-fact" data-figure={key}>
            <dt>{t(`headline.${key}`)}</dt>
            <dd>{value(report.headline, key)}</dd>
            <span className="health-sub muted">{t('headline.change', { value: value(report.previousHeadline, key) })}</span>
          </div>
        ))}
      </dl>
      <div className="report-grid">
        <section className="health-section" aria-label={t('antivirus.title')}>
          <h3>{t('antivirus.title')}</h3>
          <Bars
            label={t('antivirus.table')}
            header={[t('antivirus.outcome'), t('antivirus.count')]}
            rows={outcomes.map((o) => [t(`antivirus.outcomes.${o}`), report.antivirus[o] ?? 0])}
          />
        </section>
        <section className="health-section" aria-label={t('perDay.title')}>
          <h3>{t('perDay.title')}</h3>
          <Bars label={t('perDay.table')} header={[t('perDay.day'), t('perDay.alerts')]} rows={perDay} />
        </section>
        <section className="health-section" aria-label={t('threats.title')}>
          <h3>{t('threats.title')}</h3>
          <table className="admin-table" aria-label={t('threats.table')}>
            <thead>
              <tr>
                <th scope="col">{t('threats.name')}</th>
                <th scope="col" className="num">
                  {t('threats.count')}
                </th>
                <th scope="col" className="num">
                  {t('threats.hosts')}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.figures.threats.length === 0 ? (
                <tr className="empty-row">
                  <td colSpan={3}>{t('threats.none')}</td>
                </tr>
              ) : (
                report.figures.threats.map((threat) => (
                  <tr key={threat.name}>
                    <td className="mono cell-clip">{revealControls(threat.name)}</td>
                    <td className="num">{formatCount(threat.count)}</td>
                    <td className="num">{formatCount(threat.hosts)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </section>
        <section className="health-section" aria-label={t('hosts.title')}>
          <h3>{t('hosts.title')}</h3>
          <table className="admin-table" aria-label={t('hosts.table')}>
            <thead>
              <tr>
                <th scope="col">{t('hosts.host')}</th>
                <th scope="col">{t('hosts.unit')}</th>
                <th scope="col" className="num">
                  {t('hosts.alerts')}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.figures.hosts.length === 0 ? (
                <tr className="empty-row">
                  <td colSpan={3}>{t('hosts.none')}</td>
                </tr>
              ) : (
                report.figures.hosts.map((host) => (
                  <tr key={`${host.unit}/${host.host}`}>
                    <td className="mono">{revealControls(host.host)}</td>
                    <td>{revealControls(unitName(host.unit))}</td>
                    <td className="num">{formatCount(host.alerts)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </section>
      </div>
      <section className="health-section" aria-label={t('triage.title')}>
        <h3>{t('triage.title')}</h3>
        <table className="admin-table" aria-label={t('triage.table')}>
          <thead>
            <tr>
              <th scope="col">{t('triage.severity')}</th>
              <th scope="col" className="num">
                {t('triage.alerts')}
              </th>
              <th scope="col">{t('triage.mtta')}</th>
              <th scope="col">{t('triage.mttr')}</th>
            </tr>
          </thead>
          <tbody>
            {report.triage.map((row) => {
              const verdict = (met: boolean | null) => (met === null ? '' : ` · ${met ? t('triage.met') : t('triage.missed')}`);
              return (
                <tr key={row.severity}>
                  <td>{tc(`severity.${row.severity}`, { defaultValue: row.severity })}</td>
                  <td className="num">{formatCount(row.alerts)}</td>
                  <td className={row.acknowledgeMet === false ? 'report-missed' : undefined}>
                    {duration(row.mttaMs)} ({duration(row.target.acknowledgeMs)}){verdict(row.acknowledgeMet)}
                  </td>
                  <td className={row.resolveMet === false ? 'report-missed' : undefined}>
                    {duration(row.mttrMs)} ({duration(row.target.resolveMs)}){verdict(row.resolveMet)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section className="health-section" aria-label={t('silent.title')}>
        <h3>{t('silent.title')}</h3>
        {report.silentAgents.length === 0 ? (
          <p className="muted">{t('silent.none')}</p>
        ) : (
          <table className="admin-table" aria-label={t('silent.table')}>
            <thead>
              <tr>
                <th scope="col">{t('silent.agent')}</th>
                <th scope="col">{t('silent.unit')}</th>
                <th scope="col">{t('silent.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {report.silentAgents.map((agent) => (
                <tr key={agent.id}>
                  <td>{revealControls(agent.name)}</td>
                  <td>{revealControls(unitName(agent.unit))}</td>
                  <td className="mono">{agent.lastSeen ? formatZonedTimestamp(agent.lastSeen) : t('silent.never')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
