// Quick ranges for a host or unit page's timeline, kept in the URL (?from=now-7d).
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { placeRanges, readRange } from '../lib/place-range.ts';

export function PlaceRange() {
  const { t } = useTranslation('places');
  const [params, setParams] = useSearchParams();
  const range = readRange(params);
  const current = range.to === null ? placeRanges.find((r) => range.from === `now-${r}`) : undefined;
  return (
    <div className="dash-range" role="group" aria-label={t('range')}>
      {placeRanges.map((r) => (
        <button
          key={r}
          type="button"
          className={`btn btn-small${current === r ? ' btn-primary' : ''}`}
          aria-pressed={current === r}
          onClick={() => {
            const next = new URLSearchParams(params);
            next.set('from', `now-${r}`);
            next.delete('to');
            setParams(next, { replace: true });
          }}
        >
          {t(`ranges.${r}`)}
        </button>
      ))}
    </div>
  );
}
