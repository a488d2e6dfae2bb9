// The dashboard's time range: quick ranges that stay relative in the URL (now-24h) and,
// when the URL holds fixed bounds (a shared link, a click from a chart), those bounds.
import { useTranslation } from 'react-i18next';
import { formatTimestamp } from '../../../lib/format-time.ts';
import { dashboardRanges, type DashboardPlace } from '../lib/dashboard-range.ts';

export function RangeBar({ place, bounds, onChange }: { place: DashboardPlace; bounds: { from: string; to: string }; onChange: (next: DashboardPlace) => void }) {
  const { t } = useTranslation('dashboard');
  const current = place.to === null ? dashboardRanges.find((r) => place.from === `now-${r}`) : undefined;
  return (
    <div className="dash-range" role="group" aria-label={t('range')}>
      {dashboardRanges.map((range) => (
        <button
          key={range}
          type="button"
          className={`btn btn-small${current === range ? ' btn-primary' : ''}`}
          aria-pressed={current === range}
          onClick={() => onChange({ ...place, from: `now-${range}`, to: null })}
        >
          {t(`ranges.${range}`)}
        </button>
      ))}
      <span className="muted small" data-testid="dash-range-text">
        {current === undefined ? `${t('ranges.custom')}: ` : ''}
        {t('rangeText', { from: formatTimestamp(bounds.from), to: formatTimestamp(bounds.to) })}
      </span>
    </div>
  );
}
