// The alert list's state as it lives in the URL (`/alerts?status=open&sort=-severity&
// group=rule`), so every filter set, sort and grouping survives a reload and can be
// sent to a colleague. Defaults are left out of the URL: a bare /alerts is the open
// alerts, newest first. `matchesListQuery` applies the same filter to live alerts with
// the server's meaning (api/alert-routes.ts), so a frame joins only the lists it fits.
import type { Alert, AlertStatus, Severity } from './alert.ts';
import { alertStatusSchema, severitySchema } from './alert.ts';

export const sortFields = ['time', 'severity', 'status', 'rule', 'host', 'unit', 'assignee', 'count'] as const;
export type SortField = (typeof sortFields)[number];
export const groupFields = ['rule', 'host', 'unit', 'threat'] as const;
export type GroupField = (typeof groupFields)[number];
export const rangePresets = ['15m', '1h', '24h', '7d'] as const;
export type RangePreset = (typeof rangePresets)[number];
const rangeMs: Record<RangePreset, number> = { '15m': 15 * 60_000, '1h': 3600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

export const openStatuses: AlertStatus[] = ['new', 'acknowledged', 'in_progress'];

export interface AlertListQuery {
  /** Empty: every status. */
  status: AlertStatus[];
  severity: Severity[];
  q: string;
  host: string | null;
  unit: string | null;
  rule: string | null;
  tactic: string | null;
  /** A username, `me` or `none`. */
  assignee: string | null;
  range: RangePreset | null;
  from: string | null;
  to: string | null;
  sort: { field: SortField; direction: 'asc' | 'desc' };
  group: GroupField | null;
}

export const defaultListQuery: AlertListQuery = {
  status: openStatuses,
  severity: [],
  q: '',
  host: null,
  unit: null,
  rule: null,
  tactic: null,
  assignee: null,
  range: null,
  from: null,
  to: null,
  sort: { field: 'time', direction: 'desc' },
  group: null,
};

function list<T extends string>(value: string | null, allowed: { safeParse: (v: unknown) => { success: boolean } }): T[] {
  if (!value) return [];
  return value.split(',').filter((v): v is T => allowed.safeParse(v).success);
}

const text = (params: URLSearchParams, name: string) => {
  const v = params.get(name)?.trim();
  return v ? v.slice(0, 500) : null;
};

export function parseListQuery(params: URLSearchParams): AlertListQuery {
  const status = params.get('status');
  const sort = params.get('sort') ?? '-time';
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as SortField;
  const group = params.get('group') as GroupField | null;
  const range = params.get('range') as RangePreset | null;
  return {
    status: status === null || status === 'open' ? openStatuses : status === 'all' ? [] : list<AlertStatus>(status, alertStatusSchema),
    severity: list<Severity>(params.get('severity'), severitySchema),
    q: params.get('q')?.slice(0, 500) ?? '',
    host: text(params, 'host'),
    unit: text(params, 'unit'),
    rule: text(params, 'rule'),
    tactic: text(params, 'tactic'),
    assignee: text(params, 'assignee'),
    range: range !== null && (rangePresets as readonly string[]).includes(range) ? range : null,
    from: text(params, 'from'),
    to: text(params, 'to'),
    sort: (sortFields as readonly string[]).includes(field) ? { field, direction: descending ? 'desc' : 'asc' } : defaultListQuery.sort,
    group: group !== null && (groupFields as readonly string[]).includes(group) ? group : null,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v) => b.includes(v));

/** The URL search of a query, defaults left out, in a stable order. */
export function listQuerySearch(query: AlertListQuery): string {
  const params = new URLSearchParams();
  if (!sameSet(query.status, openStatuses)) params.set('status', query.status.length === 0 ? 'all' : query.status.join(','));
  if (query.severity.length > 0) params.set('severity', query.severity.join(','));
  if (query.q.trim() !== '') params.set('q', query.q);
  for (const name of ['host', 'unit', 'rule', 'tactic', 'assignee', 'range', 'from', 'to'] as const) {
    const value = query[name];
    if (value !== null) params.set(name, value);
  }
  if (query.sort.field !== 'time' || query.sort.direction !== 'desc') {
    params.set('sort', `${query.sort.direction === 'desc' ? '-' : ''}${query.sort.field}`);
  }
  if (query.group !== null) params.set('group', query.group);
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}

/** The time bounds a query asks for now (a preset range ends now). */
export function queryBounds(query: AlertListQuery, now = Date.now()): { from?: string; to?: string } {
  if (query.range !== null) return { from: new Date(now - rangeMs[query.range]).toISOString() };
  return { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
}

/** The REST query parameters of a list query (without paging). */
export function listQueryParams(query: AlertListQuery, now = Date.now()): Record<string, string | string[] | undefined> {
  return {
    status: query.status,
    severity: query.severity,
    q: query.q.trim() || undefined,
    host: query.host ?? undefined,
    unit: query.unit ?? undefined,
    rule: query.rule ?? undefined,
    tactic: query.tactic ?? undefined,
    assignee: query.assignee ?? undefined,
    ...queryBounds(query, now),
  };
}

/** Whether a live alert belongs in the list this query shows (the server's meaning). */
export function matchesListQuery(alert: Alert, query: AlertListQuery, me: string, now = Date.now()): boolean {
  if (query.status.length > 0 && !query.status.includes(alert.status)) return false;
  if (query.severity.length > 0 && !query.severity.includes(alert.severity)) return false;
  if (query.host !== null && alert.host.id !== query.host && alert.host.name !== query.host) return false;
  if (query.unit !== null && alert.organization.id !== query.unit) return false;
  if (query.rule !== null && alert.rule.id !== query.rule) return false;
  if (query.tactic !== null && !alert.attack.tactics.includes(query.tactic)) return false;
  if (query.assignee !== null) {
    const wanted = query.assignee === 'me' ? me : query.assignee === 'none' ? null : query.assignee;
    if (alert.assignee !== wanted) return false;
  }
  const needle = query.q.trim().toLowerCase();
  if (needle !== '') {
    const haystack = [alert.rule.title, alert.rule.id, alert.host.name ?? '', alert.host.id ?? ''];
    if (!haystack.some((h) => h.toLowerCase().includes(needle))) return false;
  }
  const bounds = queryBounds(query, now);
  const seen = Date.parse(alert.last_seen);
  if (bounds.from !== undefined && seen < Date.parse(bounds.from)) return false;
  if (bounds.to !== undefined && seen >= Date.parse(bounds.to)) return false;
  return true;
}
