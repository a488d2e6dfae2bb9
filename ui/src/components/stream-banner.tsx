// Said at the top of every page while the live alert stream is down: since when (so
// the analyst knows how old the list is), when the next attempt is, and "retry now".
import { useTranslation } from 'react-i18next';
import { formatTimestamp } from '../lib/format-time.ts';
import { retryStreamNow, useStreamState } from '../lib/stream-state.ts';
import { useNow } from '../lib/use-now.ts';

export function StreamBanner() {
  const { t } = useTranslation();
  const stream = useStreamState();
  const down = stream.status === 'reconnecting';
  const now = useNow(500, down && stream.nextRetryAt !== null);
  if (!down) return null;
  const since = stream.offlineSince === null ? null : formatTimestamp(new Date(stream.offlineSince).toISOString());
  const seconds = stream.nextRetryAt === null ? null : Math.max(0, Math.ceil((stream.nextRetryAt - now) / 1000));
  return (
    <div className="stream-banner" role="alert">
      <span>
        {since ? t('connection.offlineBanner', { since }) : t('connection.reconnecting')}
        {seconds !== null ? ` ${t('connection.retryIn', { seconds })}` : ''}
      </span>
      <button type="button" className="btn" onClick={retryStreamNow}>
        {t('connection.retryNow')}
      </button>
    </div>
  );
}
