// The dashboard's alert trend from the search store, the same answer the embedded store
// gives (core/store/alert-trend-sql.ts): a date histogram on last_seen whose buckets
// start at `from` (an offset), severities inside, a terms count per unit, and the triage
// sums from paging through the range's alert histories (stored, not indexed).
import type { AlertTrend, AlertTrendQuery } from '../../ports/alert-trend.ts';
import type { Scope } from '../../ports/scope.ts';
import type { HistoryEntry, Severity } from '../../schemas/alert.ts';
import { addTriageSample } from '../triage-times.ts';
import { foldUnitTriage, trendBounds, unitTriageEntry, type UnitTriage } from '../trend-buckets.ts';
import { rangeFilters, scopeFilters, type Filter } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { search } from './search-page.ts';

const HISTORY_PAGE = 1000;
/** More units than any SOC has (2,300 at ten times our largest province). */
const MAX_UNITS = 20_000;

interface Bucket<K> {
  key: K;
  doc_count: number;
}

interface TrendAnswer {
  aggregations?: {
    over_time: { buckets: (Bucket<number> & { severity: { buckets: Bucket<Severity>[] } })[] };
    units: { buckets: Bucket<string>[] };
  };
}

export async function alertTrendSearch(client: SearchClient, index: string, query: AlertTrendQuery, scope: Scope): Promise<AlertTrend> {
  const bounds = trendBounds(query);
  const scoped = scopeFilters(scope);
  if (scoped === null) return { buckets: [], units: [] };
  const filters = [...scoped, ...rangeFilters('last_seen', bounds)];
  const answer = await search<TrendAnswer>(client, index, {
    query: { bool: { filter: filters } },
    size: 0,
    aggs: {
      over_time: {
        date_histogram: { field: 'last_seen', fixed_interval: `${bounds.bucketMs}ms`, offset: `${bounds.fromMs % bounds.bucketMs}ms`, min_doc_count: 1 },
        aggs: { severity: { terms: { field: 'severity', size: 16 } } },
      },
      units: { terms: { field: 'organization.id', size: MAX_UNITS } },
    },
  });
  const buckets: AlertTrend['buckets'] = (answer.aggregations?.over_time.buckets ?? []).map((bucket) => {
    const bySeverity: Partial<Record<Severity, number>> = {};
    for (const { key, doc_count } of bucket.severity.buckets) bySeverity[key] = doc_count;
    return { start: new Date(bucket.key).toISOString(), bySeverity };
  });
  const units: UnitTriage = new Map();
  for (const { key, doc_count } of answer.aggregations?.units.buckets ?? []) unitTriageEntry(units, key).alerts = doc_count;
  await addUnitTriage(client, index, filters, units);
  return { buckets, units: foldUnitTriage(units) };
}

async function addUnitTriage(client: SearchClient, index: string, filters: Filter[], units: UnitTriage): Promise<void> {
  let after: unknown[] | undefined;
  for (;;) {
    const answer = await search<{
      hits: { hits: { _source: { organization: { id: string }; severity: Severity; first_seen: string; history?: HistoryEntry[] }; sort: unknown[] }[] };
    }>(client, index, {
      query: { bool: { filter: filters } },
      _source: ['organization.id', 'severity', 'first_seen', 'history'],
      sort: [{ last_seen: { order: 'asc', unmapped_type: 'date' } }, { id: { order: 'asc', unmapped_type: 'keyword' } }],
      size: HISTORY_PAGE,
      track_total_hits: false,
      ...(after === undefined ? {} : { search_after: after }),
    });
    const hits = answer.hits.hits;
    for (const { _source } of hits) {
      if (_source.history && _source.history.length > 0) {
        addTriageSample(unitTriageEntry(units, _source.organization.id).bySeverity, {
          severity: _source.severity,
          firstSeen: _source.first_seen,
          history: _source.history,
        });
      }
    }
    if (hits.length < HISTORY_PAGE) return;
    after = hits[hits.length - 1]?.sort;
  }
}
