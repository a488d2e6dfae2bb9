// The Events view's histogram from the search store, the same answer the embedded store
// gives (core/store/event-histogram-sql.ts): a date histogram on @timestamp whose
// buckets start at `from` (an offset), over the same filters searchEvents uses.
import type { EventHistogram, EventHistogramQuery } from '../../ports/event-histogram.ts';
import type { Scope } from '../../ports/scope.ts';
import { parseEventQuery } from '../../query/event-query.ts';
import { histogramBounds } from '../event-histogram-bounds.ts';
import { eventQueryFilters } from './event-query-dsl.ts';
import { rangeFilters, scopeFilters } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { search } from './search-page.ts';

interface HistogramAnswer {
  aggregations?: { over_time: { buckets: { key: number; doc_count: number }[] } };
}

export async function eventHistogramSearch(client: SearchClient, index: string, query: EventHistogramQuery, scope: Scope): Promise<EventHistogram> {
  const parsed = parseEventQuery(query.q ?? '');
  const bounds = histogramBounds(query);
  const scoped = scopeFilters(scope);
  if (scoped === null) return { buckets: [] };
  const answer = await search<HistogramAnswer>(client, index, {
    query: { bool: { filter: [...scoped, ...rangeFilters('@timestamp', bounds), ...eventQueryFilters(parsed)] } },
    size: 0,
    track_total_hits: false,
    aggs: {
      over_time: {
        date_histogram: { field: '@timestamp', fixed_interval: `${bounds.bucketMs}ms`, offset: `${bounds.fromMs % bounds.bucketMs}ms`, min_doc_count: 1 },
      },
    },
  });
  return {
    buckets: (answer.aggregations?.over_time.buckets ?? []).map(({ key, doc_count }) => ({ start: new Date(key).toISOString(), count: doc_count })),
  };
}
