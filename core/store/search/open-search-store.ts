// The search Store adapter, for Elasticsearch (@elastic/elasticsearch, the distributed
// default) and OpenSearch (@opensearch-project/opensearch). The two differ only in
// the client wrapper chosen here; mappings, queries, aggregations, bulk writes, alert
// concurrency and retention are shared code speaking their common REST API. Every
// read filters by the caller's scope in this layer (scope-filter.ts).
import { z } from 'zod';
import { BadInputError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { scopeAllows, type Actor, type Scope } from '../../ports/scope.ts';
import type { AlertFilter, AlertGroupField, AlertGroups, AlertQuery, EventQuery, Page, RuleHits, Stats, StatsQuery, Store, TimeRange } from '../../ports/store.ts';
import { parseEventQuery } from '../../query/event-query.ts';
import type { Alert, AlertPatch } from '../../schemas/alert.ts';
import type { SecurityEvent } from '../../schemas/event.ts';
import { decodePageToken } from '../page-token.ts';
import { clampLimit, normalizeRange } from '../search-bounds.ts';
import { groupAlertCounts, searchAlertPage } from './alert-list.ts';
import { alertHistogramSearch } from './alert-histogram-aggregation.ts';
import type { AlertHistogram, AlertHistogramQuery } from '../../ports/alert-histogram.ts';
import { getAlertVersion, patchAlert, upsertAlerts } from './alert-upsert.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './bulk-retry.ts';
import { writeEventsInBulk } from './bulk-writer.ts';
import { eventQueryFilters } from './event-query-dsl.ts';
import { eventHistogramSearch } from './event-histogram-aggregation.ts';
import type { EventHistogram, EventHistogramQuery } from '../../ports/event-histogram.ts';
import { indexNames, type IndexNames } from './index-names.ts';
import { setUpIndices } from './index-setup.ts';
import { productClient } from './product-client.ts';
import { rangeFilters, scopeFilters } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { newestFirst, search, searchPage, storedDocument, storeFailure, type SearchAnswer } from './search-page.ts';
import { SEARCH_FIELD } from './search-fields.ts';
import { alertStats, countEvents } from './stats-aggregations.ts';
import { reportFiguresSearch } from './report-aggregations.ts';
import { alertTrendSearch } from './alert-trend-aggregations.ts';
import { ruleHitsSearch } from './rule-hits-aggregation.ts';
import type { AlertTrend, AlertTrendQuery } from '../../ports/alert-trend.ts';
import type { ReportFigures, ReportFiguresQuery } from '../../ports/report-figures.ts';

export interface OpenSearchStoreOptions {
  flavor: 'elasticsearch' | 'opensearch';
  nodes: string[];
  username?: string;
  password?: string;
  tlsCaFile?: string;
  indexPrefix: string;
  eventsRetentionDays: number;
  log?: Logger;
  /** tests only: a Transport class for @elastic/elasticsearch against OpenSearch */
  transport?: unknown;
}

const optionsSchema = z.object({
  flavor: z.enum(['elasticsearch', 'opensearch']),
  nodes: z.array(z.url()).min(1, 'give at least one node URL'),
  eventsRetentionDays: z.number().int().min(1).max(3650),
});

/** Opens the store; creates templates, the retention policy and the alerts index if missing. */
export async function openSearchStore(options: OpenSearchStoreOptions): Promise<Store> {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) throw new BadInputError(`search store: ${z.prettifyError(checked.error)}`, 'config');
  const names = indexNames(options.indexPrefix);
  const client = productClient(options);
  try {
    await setUpIndices(client, names, options.eventsRetentionDays, options.log);
  } catch (error) {
    await client.close();
    throw error;
  }
  return new SearchStore(client, names, DEFAULT_RETRY_POLICY, options.log);
}

const EVENT_SORT = { timeField: '@timestamp', tieField: `${SEARCH_FIELD}.key` } as const;
const ALERT_SORT = { timeField: 'last_seen', tieField: 'id' } as const;

/** getEvents answers at most this many events (ids come from an alert's capped sample). */
const MAX_EVENTS_BY_ID = 10_000;

class SearchStore implements Store {
  constructor(
    private readonly client: SearchClient,
    private readonly names: IndexNames,
    private readonly retry: RetryPolicy,
    private readonly log?: Logger,
  ) {}

  async writeEvents(events: readonly SecurityEvent[]): Promise<void> {
    if (events.length > 0) await writeEventsInBulk(this.client, this.names, events, this.retry, this.log);
  }

  async writeAlerts(alerts: readonly Alert[]): Promise<Alert[]> {
    return alerts.length === 0 ? [] : upsertAlerts(this.client, this.names.alerts, alerts, this.retry);
  }

  async updateAlert(id: string, patch: AlertPatch, actor: Actor, scope: Scope): Promise<Alert> {
    const at = new Date().toISOString();
    return patchAlert(this.client, this.names.alerts, { id, patch, actor, scope, at }, this.retry);
  }

  async getAlert(id: string, scope: Scope): Promise<Alert | null> {
    // Real-time: sees an alert written a moment ago, with no refresh (alert-upsert.ts).
    const found = await getAlertVersion(this.client, this.names.alerts, id);
    return found !== null && scopeAllows(scope, found.alert.organization.id) ? found.alert : null;
  }

  async getEvents(ids: readonly string[], scope: Scope): Promise<SecurityEvent[]> {
    const scoped = scopeFilters(scope);
    if (ids.length === 0 || scoped === null) return [];
    const answer = await search<SearchAnswer<SecurityEvent>>(this.client, this.names.eventsPattern, {
      query: { bool: { filter: [...scoped, { terms: { 'event.id': [...new Set(ids)] } }] } },
      sort: newestFirst(EVENT_SORT.timeField, EVENT_SORT.tieField),
      size: MAX_EVENTS_BY_ID,
      track_total_hits: false,
    });
    return answer.hits.hits.map((hit) => storedDocument(hit._source));
  }

  async searchEvents(query: EventQuery, scope: Scope): Promise<Page<SecurityEvent>> {
    const limit = clampLimit(query.limit);
    const parsed = parseEventQuery(query.q ?? '');
    const range = normalizeRange(query);
    const after = query.cursor === undefined ? null : decodePageToken(query.cursor);
    const scoped = scopeFilters(scope);
    if (scoped === null) return emptyPage();
    const filters = [...scoped, ...rangeFilters(EVENT_SORT.timeField, range), ...eventQueryFilters(parsed)];
    return searchPage<SecurityEvent>(this.client, { index: this.names.eventsPattern, filters, ...EVENT_SORT, after, limit });
  }

  async eventHistogram(query: EventHistogramQuery, scope: Scope): Promise<EventHistogram> {
    return eventHistogramSearch(this.client, this.names.eventsPattern, query, scope);
  }

  async searchAlerts(query: AlertQuery, scope: Scope): Promise<Page<Alert>> {
    return searchAlertPage(this.client, this.names.alerts, query, scope);
  }

  async groupAlerts(filter: AlertFilter, by: AlertGroupField, scope: Scope): Promise<AlertGroups> {
    return groupAlertCounts(this.client, this.names.alerts, filter, by, scope);
  }

  async ruleHits(range: TimeRange, scope: Scope): Promise<RuleHits[]> {
    return ruleHitsSearch(this.client, this.names.alerts, range, scope);
  }

  async alertHistogram(query: AlertHistogramQuery, scope: Scope): Promise<AlertHistogram> {
    return alertHistogramSearch(this.client, this.names.alerts, query, scope);
  }

  async stats(query: StatsQuery, scope: Scope): Promise<Stats> {
    const range = normalizeRange(query);
    const scoped = scopeFilters(scope);
    if (scoped === null) return { events: 0, alerts: 0, alertsByStatus: {}, alertsBySeverity: {}, topRules: [], topHosts: [] };
    const [events, alerts] = await Promise.all([
      countEvents(this.client, this.names.eventsPattern, [...scoped, ...rangeFilters(EVENT_SORT.timeField, range)]),
      alertStats(this.client, this.names.alerts, [...scoped, ...rangeFilters(ALERT_SORT.timeField, range)]),
    ]);
    return { events, ...alerts };
  }

  async reportFigures(query: ReportFiguresQuery, scope: Scope): Promise<ReportFigures> {
    return reportFiguresSearch(this.client, { events: this.names.eventsPattern, alerts: this.names.alerts }, query, scope);
  }

  async alertTrend(query: AlertTrendQuery, scope: Scope): Promise<AlertTrend> {
    return alertTrendSearch(this.client, this.names.alerts, query, scope);
  }

  async refresh(): Promise<void> {
    const answer = await this.client.request({
      method: 'POST',
      path: `/${this.names.eventsPattern},${this.names.alerts}/_refresh`,
      querystring: { ignore_unavailable: true, allow_no_indices: true },
    });
    if (answer.status !== 200) throw storeFailure('refresh', answer.status, answer.body);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function emptyPage<T>(): Page<T> {
  return { items: [], total: 0, totalIsExact: true, next: null };
}
