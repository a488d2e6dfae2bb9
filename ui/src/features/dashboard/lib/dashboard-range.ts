// The dashboard's time range as it lives in the URL (/dashboard?from=now-24h or
// ?from=<ISO>&to=<ISO>, plus ?unit=), as the Events view keeps its own, and the ISO
// bounds a request needs. The default is the last 24 hours.
import { resolveBound } from '../../../lib/time-range.ts';

export const dashboardRanges = ['1h', '24h', '7d', '30d'] as const;
export type DashboardRange = (typeof dashboardRanges)[number];
export const DEFAULT_RANGE: DashboardRange = '24h';

export interface DashboardPlace {
  /** As in the URL: `now-24h` or an ISO time. */
  from: string;
  to: string | null;
  unit: string | null;
}

export function readPlace(params: URLSearchParams): DashboardPlace {
  const from = params.get('from');
  return {
    from: from && resolveBound(from) !== undefined ? from : `now-${DEFAULT_RANGE}`,
    to: params.get('to') && resolveBound(params.get('to')) !== undefined ? params.get('to') : null,
    unit: params.get('unit')?.trim() || null,
  };
}

/** ISO bounds for now: a relative `from` ends now. */
export function placeBounds(place: DashboardPlace, now = Date.now()): { from: string; to: string } {
  return { from: resolveBound(place.from, now) ?? new Date(now - 86_400_000).toISOString(), to: resolveBound(place.to, now) ?? new Date(now).toISOString() };
}

export function placeSearch(place: DashboardPlace): string {
  const params = new URLSearchParams();
  if (place.from !== `now-${DEFAULT_RANGE}` || place.to !== null) params.set('from', place.from);
  if (place.to !== null) params.set('to', place.to);
  if (place.unit !== null) params.set('unit', place.unit);
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}
