// The notifications of one alert, for its history in the alert detail: each channel it
// went to, whether it was sent (or is pending, folded into a digest, dead), when, after
// how many attempts, and the receiver's last error. What a unit's people see is limited
// by the server to their unit's channels.
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { ApiError, describeError } from '../../../lib/api-client.ts';
import { formatFullTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { useAlertNotifications, type AlertDelivery } from '../api/get-alert-notifications.ts';
import '../notifications.css';

function when(d: AlertDelivery): string {
  const last = d.attemptLog.at(-1)?.at;
  return formatFullTimestamp(d.sentAt ?? last ?? d.dueAt);
}

export function AlertNotifications({ alertId }: { alertId: string }) {
  const { t } = useTranslation('notifications');
  const query = useAlertNotifications(alertId);
  // A server without a notifications outbox has no such route: nothing to show.
  if (query.error instanceof ApiError && query.error.status === 404) return null;
  const items = query.data?.items ?? [];
  return (
    <section aria-label={t('alert.title')} className="alert-notifications">
      <h3>
        {t('alert.title')} <span className="muted">({items.length})</span>
      </h3>
      <ErrorLine message={query.error ? t('alert.loadFailed', { message: describeError(query.error) }) : null} />
      {query.isSuccess && items.length === 0 ? <p className="muted">{t('alert.none')}</p> : null}
      {items.length > 0 ? (
        <table className="history notify-history" aria-label={t('alert.table')}>
          <thead>
            <tr>
              <th scope="col">{t('alert.channel')}</th>
              <th scope="col">{t('alert.status')}</th>
              <th scope="col">{t('alert.time')}</th>
              <th scope="col">{t('alert.error')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-delivery-state={d.state}>
                <td className="mono">{revealControls(d.channel)}</td>
                <td>
                  <span className={`notify-state notify-state-${d.state}`}>{t(`states.${d.state}`)}</span>{' '}
                  <span className="muted">{t('alert.attempts', { count: d.attempts })}</span>
                </td>
                <td className="mono muted">{when(d)}</td>
                <td className="notify-bad">{d.lastError ? revealControls(d.lastError) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
