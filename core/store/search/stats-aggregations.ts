// The console's counts as aggregations: events in range; alerts by status and by
// severity; the top 10 rules (titled by their most recently seen alert, so a retitled
// rule shows its new title) and the top 10 (host, unit) pairs, largest first, ties by
// name, as the embedded store orders them.
import type { Stats } from '../../ports/store.ts';
import type { AlertStatus, Severity } from '../../schemas/alert.ts';
import type { Filter } from './scope-filter.ts';
import { search, storeFailure } from './search-page.ts';
import type { SearchClient } from './search-client.ts';
import { SEARCH_FIELD } from './search-fields.ts';

export const TOP_N = 10;

const byCountThenKey = [{ _count: 'desc' }, { _key: 'asc' }];

export function alertAggregations(): Record<string, unknown> {
  return {
    by_status: { terms: { field: 'status', size: 16 } },
    by_severity: { terms: { field: 'severity', size: 16 } },
    top_rules: {
      terms: { field: 'rule.id', size: TOP_N, order: byCountThenKey },
      aggs: { latest: { top_hits: { size: 1, sort: [{ last_seen: { order: 'desc' } }], _source: ['rule.title'] } } },
    },
    top_hosts: {
      multi_terms: { terms: [{ field: `${SEARCH_FIELD}.host` }, { field: 'organization.id' }], size: TOP_N, order: byCountThenKey },
    },
  };
}

interface Bucket<K> {
  key: K;
  doc_count: number;
}

interface AlertAggregationAnswer {
  /** Absent only when no shard answered (no alerts index). */
  aggregations?: {
    by_status: { buckets: Bucket<AlertStatus>[] };
    by_severity: { buckets: Bucket<Severity>[] };
    top_rules: {
      buckets: (Bucket<string> & { latest: { hits: { hits: { _source: { rule?: { title?: string } } }[] } } })[];
    };
    top_hosts: { buckets: Bucket<[string, string]>[] };
  };
}

export async function countEvents(client: SearchClient, index: string, filters: Filter[]): Promise<number> {
  const answer = await client.request<{ count: number }>({
    method: 'POST',
    path: `/${index}/_count`,
    querystring: { ignore_unavailable: true, allow_no_indices: true },
    body: { query: { bool: { filter: filters } } },
  });
  if (answer.status !== 200) throw storeFailure('count', answer.status, answer.body);
  return answer.body.count;
}

export async function alertStats(client: SearchClient, index: string, filters: Filter[]): Promise<Omit<Stats, 'events'>> {
  const answer = await search<AlertAggregationAnswer>(client, index, {
    query: { bool: { filter: filters } },
    size: 0,
    track_total_hits: false,
    aggs: alertAggregations(),
  });
  const aggs = answer.aggregations;
  const stats: Omit<Stats, 'events'> = { alerts: 0, alertsByStatus: {}, alertsBySeverity: {}, topRules: [], topHosts: [] };
  if (aggs === undefined) return stats;
  for (const bucket of aggs.by_status.buckets) {
    stats.alertsByStatus[bucket.key] = bucket.doc_count;
    stats.alerts += bucket.doc_count;
  }
  for (const bucket of aggs.by_severity.buckets) stats.alertsBySeverity[bucket.key] = bucket.doc_count;
  stats.topRules = aggs.top_rules.buckets.map((bucket) => ({
    rule: bucket.key,
    title: bucket.latest.hits.hits[0]?._source.rule?.title ?? bucket.key,
    count: bucket.doc_count,
  }));
  stats.topHosts = aggs.top_hosts.buckets.map((bucket) => ({ host: bucket.key[0], unit: bucket.key[1], count: bucket.doc_count }));
  return stats;
}
