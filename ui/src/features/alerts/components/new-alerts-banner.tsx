// "N new alerts": where live alerts wait while the analyst is working in the list (or
// has paused it), so no row moves under the pointer. A click shows them.
import { useTranslation } from 'react-i18next';

export function NewAlertsBanner({ count, paused, onShow }: { count: number; paused: boolean; onShow: () => void }) {
  const { t } = useTranslation('alerts');
  if (count === 0 && !paused) return null;
  return (
    <div className="new-alerts" role="status" aria-live="polite">
      {count > 0 ? (
        <button type="button" className="btn btn-primary new-alerts-button" onClick={onShow}>
          {t('live.newAlerts', { count })} · {t('live.showNew')}
        </button>
      ) : null}
      {paused ? <span className="muted">{t('live.paused')}</span> : null}
    </div>
  );
}
