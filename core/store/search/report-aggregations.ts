// The report's figures from the search store, as aggregations over the caller's scope
// and the range [from, to): events by @timestamp, alerts by last_seen, the same
// answers the embedded store gives (core/store/report-queries-sql.ts). Histories are
// stored, not indexed, so triage sums page through the range's alerts (their severity,
// first_seen and history only) and apply the shared rule (triage-times.ts).
import type { Scope } from '../../ports/scope.ts';
import { MAX_REPORT_TOP, type ReportFigures, type ReportFiguresQuery } from '../../ports/report-figures.ts';
import type { HistoryEntry, Severity } from '../../schemas/alert.ts';
import { emptyReportFigures, sortEventSeverities } from '../report-queries-sql.ts';
import { toUtcIso } from '../search-bounds.ts';
import { addTriageSample, emptyTriageTimes } from '../triage-times.ts';
import { rangeFilters, scopeFilters, type Filter } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { search } from './search-page.ts';
import { SEARCH_FIELD } from './search-fields.ts';

/** Stands for "no value" in terms aggregations (a value no event carries). */
const NONE = '\u0000none';
/** The same for a numeric field (event.severity is never negative). */
const NO_NUMBER = -1;
const ITEMS_CAP = 200;
const HISTORY_PAGE = 1000;

interface Bucket<K = string> {
  key: K;
  key_as_string?: string;
  doc_count: number;
}

interface EventAnswer {
  hits: { total: { value: number } };
  aggregations?: {
    per_day: { buckets: Bucket<number>[] };
    modules: { buckets: (Bucket & { severities: { buckets: Bucket<number>[] } })[] };
    antivirus: {
      actions: { buckets: (Bucket & { outcomes: { buckets: Bucket[] } })[] };
      threats: { buckets: (Bucket & { hosts: { value: number } })[] };
    };
  };
}

interface AlertAnswer {
  hits: { total: { value: number } };
  aggregations?: {
    per_day: { buckets: (Bucket<number> & { severity: { buckets: Bucket<Severity>[] } })[] };
    hosts: { buckets: Bucket<[string, string]>[] };
  };
}

interface RuleAlertSource {
  host?: { id?: string; name?: string };
  organization: { id: string };
  group?: Record<string, string>;
  last_seen: string;
}

export interface ReportIndices {
  events: string;
  alerts: string;
}

export async function reportFiguresSearch(
  client: SearchClient,
  indices: ReportIndices,
  query: ReportFiguresQuery,
  scope: Scope,
): Promise<ReportFigures> {
  const figures = emptyReportFigures();
  const scoped = scopeFilters(scope);
  if (scoped === null) return figures;
  const range = { from: toUtcIso(query.from, 'from'), to: toUtcIso(query.to, 'to') };
  const top = Math.max(1, Math.min(MAX_REPORT_TOP, Math.trunc(query.top)));
  const timeZone = offsetZone(query.utcOffsetMinutes);
  const eventFilters = [...scoped, ...rangeFilters('@timestamp', range)];
  const alertFilters = [...scoped, ...rangeFilters('last_seen', range)];
  const perDay = (field: string) => ({
    date_histogram: { field, calendar_interval: '1d', time_zone: timeZone, format: 'yyyy-MM-dd', min_doc_count: 1 },
  });

  const [events, alerts] = await Promise.all([
    search<EventAnswer>(client, indices.events, {
      query: { bool: { filter: eventFilters } },
      size: 0,
      track_total_hits: true,
      aggs: {
        per_day: perDay('@timestamp'),
        modules: {
          terms: { field: 'event.module', missing: NONE, size: 1000 },
          aggs: { severities: { terms: { field: 'event.severity', missing: NO_NUMBER, size: 1000 } } },
        },
        antivirus: {
          filter: { bool: { should: [{ term: { 'event.module': 'antivirus' } }, { term: { 'event.category': 'malware' } }], minimum_should_match: 1 } },
          aggs: {
            actions: {
              terms: { field: 'event.action', missing: NONE, size: 100 },
              aggs: { outcomes: { terms: { field: 'event.outcome', missing: NONE, size: 10 } } },
            },
            threats: {
              terms: { field: 'rule.name', size: top, order: [{ _count: 'desc' }, { _key: 'asc' }] },
              aggs: { hosts: { cardinality: { field: 'host.name' } } },
            },
          },
        },
      },
    }),
    search<AlertAnswer>(client, indices.alerts, {
      query: { bool: { filter: alertFilters } },
      size: 0,
      track_total_hits: true,
      aggs: {
        per_day: { ...perDay('last_seen'), aggs: { severity: { terms: { field: 'severity', size: 16 } } } },
        hosts: {
          multi_terms: {
            terms: [{ field: `${SEARCH_FIELD}.host` }, { field: 'organization.id' }],
            size: top,
            order: [{ _count: 'desc' }, { _key: 'asc' }],
          },
        },
      },
    }),
  ]);

  for (const bucket of events.aggregations?.per_day.buckets ?? []) {
    figures.eventsPerDay[bucket.key_as_string ?? ''] = bucket.doc_count;
    figures.events += bucket.doc_count;
  }
  for (const module of events.aggregations?.modules.buckets ?? []) {
    for (const severity of module.severities.buckets) {
      figures.eventSeverities.push({ module: orNull(module.key), severity: severity.key === NO_NUMBER ? null : severity.key, count: severity.doc_count });
    }
  }
  sortEventSeverities(figures.eventSeverities);
  for (const action of events.aggregations?.antivirus.actions.buckets ?? []) {
    for (const outcome of action.outcomes.buckets) {
      figures.antivirusActions.push({ action: orNull(action.key), outcome: orNull(outcome.key), count: outcome.doc_count });
    }
  }
  figures.antivirusActions.sort((a, b) => b.count - a.count || compareNullable(a.action, b.action) || compareNullable(a.outcome, b.outcome));
  figures.threats = (events.aggregations?.antivirus.threats.buckets ?? []).map((b) => ({ name: b.key, count: b.doc_count, hosts: b.hosts.value }));

  for (const day of alerts.aggregations?.per_day.buckets ?? []) {
    figures.alertsPerDay[day.key_as_string ?? ''] = day.doc_count;
    figures.alerts += day.doc_count;
    for (const { key, doc_count } of day.severity.buckets) {
      figures.alertsBySeverity[key] = (figures.alertsBySeverity[key] ?? 0) + doc_count;
      (figures.triage[key] ??= emptyTriageTimes()).alerts += doc_count;
    }
  }
  figures.hosts = (alerts.aggregations?.hosts.buckets ?? []).map((b) => ({ host: b.key[0], unit: b.key[1], alerts: b.doc_count }));

  await addTriage(client, indices.alerts, alertFilters, figures);
  figures.reinfections = await ruleAlerts(client, indices.alerts, alertFilters, query.reinfectionRules, (s) => ({
    host: s.host?.name ?? s.host?.id ?? '',
    unit: s.organization.id,
    threat: s.group?.['rule.name'] ?? '',
    lastSeen: s.last_seen,
  }));
  figures.silentAgentAlerts = await ruleAlerts(client, indices.alerts, alertFilters, query.silentAgentRules, (s) => ({
    agent: s.group?.['agent.id'] ?? s.host?.name ?? s.host?.id ?? '',
    unit: s.organization.id,
    lastSeen: s.last_seen,
  }));
  return figures;
}

async function addTriage(client: SearchClient, index: string, filters: Filter[], figures: ReportFigures): Promise<void> {
  let after: unknown[] | undefined;
  for (;;) {
    const answer = await search<{ hits: { hits: { _source: { severity: Severity; first_seen: string; history?: HistoryEntry[] }; sort: unknown[] }[] } }>(
      client,
      index,
      {
        query: { bool: { filter: filters } },
        _source: ['severity', 'first_seen', 'history'],
        sort: [{ last_seen: { order: 'asc', unmapped_type: 'date' } }, { id: { order: 'asc', unmapped_type: 'keyword' } }],
        size: HISTORY_PAGE,
        track_total_hits: false,
        ...(after === undefined ? {} : { search_after: after }),
      },
    );
    const hits = answer.hits.hits;
    for (const { _source } of hits) {
      if (_source.history && _source.history.length > 0) {
        addTriageSample(figures.triage, { severity: _source.severity, firstSeen: _source.first_seen, history: _source.history });
      }
    }
    if (hits.length < HISTORY_PAGE) return;
    after = hits[hits.length - 1]?.sort;
  }
}

async function ruleAlerts<T>(
  client: SearchClient,
  index: string,
  filters: Filter[],
  rules: readonly string[],
  item: (source: RuleAlertSource) => T,
): Promise<{ count: number; items: T[] }> {
  if (rules.length === 0) return { count: 0, items: [] };
  const answer = await search<{ hits: { total: { value: number }; hits: { _source: RuleAlertSource }[] } }>(client, index, {
    query: { bool: { filter: [...filters, { terms: { 'rule.id': [...rules] } }] } },
    _source: ['host', 'organization', 'group', 'last_seen'],
    sort: [{ last_seen: { order: 'desc', unmapped_type: 'date' } }, { id: { order: 'asc', unmapped_type: 'keyword' } }],
    size: ITEMS_CAP,
    track_total_hits: true,
  });
  return { count: answer.hits.total.value, items: answer.hits.hits.map((hit) => item(hit._source)) };
}

/** +07:00 for 420 minutes: the zone days are cut in. */
function offsetZone(minutes: number): string {
  const m = Math.trunc(minutes);
  const abs = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function orNull(key: string): string | null {
  return key === NONE ? null : key;
}

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
