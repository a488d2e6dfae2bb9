// Where each dashboard figure leads: a filtered Alerts list (its URL parameters are
// the workbench's: status, rule, host, unit, severity, range or from/to; see
// features/alerts/types/list-query.ts) or an Events search (q, from, to), always over
// the dashboard's range, so a click shows exactly the items behind the figure.
import { queryValue } from '../../../lib/query-value.ts';

export interface Bounds {
  from: string;
  to: string;
}

/** The quick range the alerts list knows (`range=24h`) when the dashboard's is one. */
const ALERT_PRESETS = new Set(['15m', '1h', '24h', '7d']);

function rangeParams(bounds: Bounds, relativeFrom: string | null): Record<string, string> {
  const preset = relativeFrom?.startsWith('now-') ? relativeFrom.slice(4) : null;
  if (preset !== null && ALERT_PRESETS.has(preset)) return { range: preset };
  return { from: bounds.from, to: bounds.to };
}

export interface AlertFilter {
  rule?: string;
  host?: string;
  unit?: string;
  severity?: string;
}

/** Every status: the dashboard counts all alerts seen in the range, triaged or not. */
export function alertsLink(filter: AlertFilter, bounds: Bounds, relativeFrom: string | null = null): string {
  const params = new URLSearchParams({ status: 'all' });
  for (const [name, value] of Object.entries(filter)) if (value) params.set(name, value);
  for (const [name, value] of Object.entries(rangeParams(bounds, relativeFrom))) params.set(name, value);
  return `/alerts?${params.toString()}`;
}

export function eventsLink(q: string, bounds: Bounds, unit: string | null = null): string {
  const scoped = unit === null ? q : `organization.id:${queryValue(unit)} ${q}`;
  return `/events?${new URLSearchParams({ q: scoped, from: bounds.from, to: bounds.to }).toString()}`;
}

export function hostPage(host: string, unit: string | null): string {
  return `/hosts/${encodeURIComponent(host)}${unit ? `?unit=${encodeURIComponent(unit)}` : ''}`;
}

export function unitPage(unit: string): string {
  return `/units/${encodeURIComponent(unit)}`;
}
