// A host or unit page's range, read from the URL (?from=now-24h, the default, or
// ?from=&to= after a drag across the activity chart): the range as written, its ISO
// bounds for requests (resolved once per range, so a relative range does not refetch
// on every render), and `narrow`, which pushes a picked range into the URL (Back widens
// it again) keeping the page's other parameters (?unit=).
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { rangeBounds, readRange } from '../lib/place-range.ts';

export function usePlaceRange() {
  const [params, setParams] = useSearchParams();
  const range = readRange(params);
  const rangeKey = `${range.from}|${range.to ?? ''}`;
  // Keyed by the range as written: `range` itself is a new object every render.
  const bounds = useMemo(() => rangeBounds(range), [rangeKey]);
  const narrow = (from: string, to: string) => {
    const next = new URLSearchParams(params);
    next.set('from', from);
    next.set('to', to);
    setParams(next);
  };
  return { range, bounds, narrow };
}
