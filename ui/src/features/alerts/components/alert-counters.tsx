// Critical and High open-alert counters: only alerts still to be handled count (new,
// acknowledged, in progress), and a click shows exactly the alerts counted.
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../../lib/format-time.ts';
import { useOpenCounts } from '../hooks/use-open-counts.ts';
import type { Severity } from '../types/alert.ts';

export function AlertCounters({ onShow }: { onShow: (severity: Severity | null) => void }) {
  const { t } = useTranslation('alerts');
  const { counts } = useOpenCounts();
  const value = (n: number | undefined) => (counts === undefined ? '…' : formatCount(n ?? 0));
  return (
    <section className="alert-counters" aria-label={t('counters.label')}>
      <button type="button" className="counter counter-critical" title={t('counters.showCritical')} onClick={() => onShow('critical')}>
        <span className="counter-value" data-testid="open-critical">
          {value(counts?.bySeverity.critical)}
        </span>
        <span className="counter-label">{t('counters.critical')}</span>
      </button>
      <button type="button" className="counter counter-high" title={t('counters.showHigh')} onClick={() => onShow('high')}>
        <span className="counter-value" data-testid="open-high">
          {value(counts?.bySeverity.high)}
        </span>
        <span className="counter-label">{t('counters.high')}</span>
      </button>
      <button type="button" className="counter" onClick={() => onShow(null)}>
        <span className="counter-value" data-testid="open-total">
          {value(counts?.total)}
        </span>
        <span className="counter-label">{t('counters.open')}</span>
      </button>
    </section>
  );
}
