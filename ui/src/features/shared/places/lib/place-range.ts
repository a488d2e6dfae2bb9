// A host or unit page's range in the URL (?from=now-24h, the default, or ?from=&to=), as the
// Events view keeps its own; the ISO bounds a request needs; the links to a place's lists.
import { resolveBound } from '../../../../lib/time-range.ts';

export const placeRanges = ['1h', '24h', '7d', '30d'] as const;
export const DEFAULT_PLACE_RANGE = 'now-24h';

export function readRange(params: URLSearchParams): { from: string; to: string | null } {
  const from = params.get('from');
  const to = params.get('to');
  return {
    from: from && resolveBound(from) !== undefined ? from : DEFAULT_PLACE_RANGE,
    to: to && resolveBound(to) !== undefined ? to : null,
  };
}

export function rangeBounds(range: { from: string; to: string | null }, now = Date.now()): { from: string; to: string } {
  return { from: resolveBound(range.from, now) ?? new Date(now - 86_400_000).toISOString(), to: resolveBound(range.to, now) ?? new Date(now).toISOString() };
}

/**
 * Where a place's figures over the range lead: the Events search of its events and the
 * Alerts list of its alerts (every status), both over the same bounds.
 */
export function placeLinks(place: { eventsQ: string; host?: string | undefined; unit?: string | undefined }, bounds: { from: string; to: string }): { eventsLink: string; alertsLink: string } {
  const alerts = new URLSearchParams({ status: 'all' });
  if (place.host) alerts.set('host', place.host);
  if (place.unit) alerts.set('unit', place.unit);
  alerts.set('from', bounds.from);
  alerts.set('to', bounds.to);
  return {
    eventsLink: `/events?${new URLSearchParams({ q: place.eventsQ, from: bounds.from, to: bounds.to }).toString()}`,
    alertsLink: `/alerts?${alerts.toString()}`,
  };
}
