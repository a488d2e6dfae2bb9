// A place's open alerts (new, acknowledged, in progress), newest first, whatever the
// timeline's range: open work does not age out of view. Each opens the alert.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../../components/ui/error-line.tsx';
import { describeError } from '../../../../lib/api-client.ts';
import { formatCount, formatTimestamp } from '../../../../lib/format-time.ts';
import { revealControls } from '../../../../lib/visible-text.ts';
import { getPlaceAlerts, OPEN_STATUSES } from '../api/get-place-alerts.ts';

const SHOWN = 50;

export function OpenAlerts({ host, unit, listLink }: { host?: string; unit?: string; listLink: string }) {
  const { t } = useTranslation('places');
  const { t: tc } = useTranslation();
  const open = useQuery({
    queryKey: ['place', 'open-alerts', host ?? null, unit ?? null],
    queryFn: ({ signal }) => getPlaceAlerts({ host, unit, status: OPEN_STATUSES, limit: SHOWN }, signal),
  });
  const items = open.data?.items ?? [];
  return (
    <section className="dash-panel dash-panel-wide" aria-label={t('openAlerts')} data-testid="place-open-alerts">
      <h2 className="dash-panel-title">
        {t('openAlerts')} {open.data ? `(${formatCount(open.data.total)})` : ''} <Link to={listLink} className="small">{t('allAlerts')}</Link>
      </h2>
      <ErrorLine message={open.error ? describeError(open.error) : null} />
      {open.isPending ? (
        <p className="muted small">{t('loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted small">{t('noOpenAlerts')}</p>
      ) : (
        <table className="dash-table">
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('severity')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('what')}</th>
              <th scope="col" className="num">{t('count')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((alert) => (
              <tr key={alert.id}>
                <td>{formatTimestamp(alert.last_seen)}</td>
                <td>
                  <span className={`badge sev sev-${alert.severity}`}>{tc(`severity.${alert.severity}`)}</span>
                </td>
                <td>{tc(`status.${alert.status}`, { defaultValue: alert.status })}</td>
                <td className="wrap">
                  <Link to={`/alerts/${encodeURIComponent(alert.id)}`}>{revealControls(alert.rule.title)}</Link>
                  {host === undefined && alert.host?.name ? <span className="muted"> · {revealControls(alert.host.name)}</span> : null}
                </td>
                <td className="num">{formatCount(alert.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
