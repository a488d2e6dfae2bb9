// Mean time to acknowledge and to resolve per unit over the range (the KPIs a SOC
// reports monthly), busiest unit first; each unit leads to its page and its alerts.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { Dashboard } from '../api/get-dashboard.ts';
import { alertsLink, unitPage, type Bounds } from '../lib/drill-links.ts';
import { durationText } from '../lib/duration-text.ts';

export function TriageTable({ rows, bounds, relativeFrom }: { rows: Dashboard['triage']; bounds: Bounds; relativeFrom: string | null }) {
  const { t } = useTranslation('dashboard');
  const { t: tc } = useTranslation();
  return (
    <section className="dash-panel dash-panel-wide" aria-label={t('triage')} data-testid="panel-triage">
      <h2 className="dash-panel-title">{t('triage')}</h2>
      <p className="muted small">{t('triageHint')}</p>
      {rows.length === 0 ? (
        <p className="muted small">{t('empty')}</p>
      ) : (
        <table className="dash-table">
          <thead>
            <tr>
              <th scope="col">{t('unit')}</th>
              <th scope="col" className="num">{t('alerts')}</th>
              <th scope="col" className="num">{t('acknowledged')}</th>
              <th scope="col" className="num">{t('resolved')}</th>
              <th scope="col" className="num">{t('mtta')}</th>
              <th scope="col" className="num">{t('mttr')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.unit}>
                <th scope="row">
                  {row.unit === '*' ? (
                    t('across')
                  ) : (
                    <Link to={unitPage(row.unit)} title={revealControls(row.name)}>
                      {revealControls(row.name)}
                    </Link>
                  )}
                </th>
                <td className="num">
                  <Link to={alertsLink({ unit: row.unit === '*' ? undefined : row.unit }, bounds, relativeFrom)}>{formatCount(row.alerts)}</Link>
                </td>
                <td className="num">{formatCount(row.acknowledged)}</td>
                <td className="num">{formatCount(row.resolved)}</td>
                <td className="num">{row.mttaMs === null ? tc('none') : durationText(row.mttaMs, t)}</td>
                <td className="num">{row.mttrMs === null ? tc('none') : durationText(row.mttrMs, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
