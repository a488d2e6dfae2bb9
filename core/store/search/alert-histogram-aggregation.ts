// The alert workbench's histogram from the search store, the same answer the embedded
// store gives (core/store/embedded-alert-histogram.ts): the list's filter as query DSL
// (alert-query-dsl.ts), min/max of last_seen when a bound is open, then a date
// histogram on last_seen whose buckets start at the plan's `from` (an offset), with a
// terms count of severities inside each.
import type { AlertHistogram, AlertHistogramQuery } from '../../ports/alert-histogram.ts';
import type { Scope } from '../../ports/scope.ts';
import type { Severity } from '../../schemas/alert.ts';
import { histogramAnswer, histogramPlan } from '../alert-histogram-plan.ts';
import { normalizeRange } from '../search-bounds.ts';
import { alertQueryFilters } from './alert-query-dsl.ts';
import { rangeFilters, scopeFilters } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { search } from './search-page.ts';

interface SpanAnswer {
  aggregations?: { earliest: { value: number | null }; latest: { value: number | null } };
}

interface HistogramAnswer {
  aggregations?: {
    over_time: { buckets: { key: number; doc_count: number; severity: { buckets: { key: Severity; doc_count: number }[] } }[] };
  };
}

const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export async function alertHistogramSearch(
  client: SearchClient,
  index: string,
  query: AlertHistogramQuery,
  scope: Scope,
  now = Date.now(),
): Promise<AlertHistogram> {
  const bounds = normalizeRange(query);
  const scoped = scopeFilters(scope);
  const filters = scoped === null ? null : [...scoped, ...rangeFilters('last_seen', bounds), ...alertQueryFilters(query)];
  let data = { earliest: null as string | null, latest: null as string | null };
  if (filters !== null && (bounds.from === undefined || bounds.to === undefined)) {
    const span = await search<SpanAnswer>(client, index, {
      query: { bool: { filter: filters } },
      size: 0,
      aggs: { earliest: { min: { field: 'last_seen' } }, latest: { max: { field: 'last_seen' } } },
    });
    data = { earliest: isoOrNull(span.aggregations?.earliest.value), latest: isoOrNull(span.aggregations?.latest.value) };
  }
  const plan = histogramPlan(bounds, data, query.buckets, now);
  if (filters === null) return histogramAnswer(plan, []);
  const ranged = [...filters, ...rangeFilters('last_seen', { from: new Date(plan.fromMs).toISOString(), to: new Date(plan.toMs).toISOString() })];
  const answer = await search<HistogramAnswer>(client, index, {
    query: { bool: { filter: ranged } },
    size: 0,
    aggs: {
      over_time: {
        date_histogram: {
          field: 'last_seen',
          fixed_interval: `${plan.bucketMs}ms`,
          offset: `${((plan.fromMs % plan.bucketMs) + plan.bucketMs) % plan.bucketMs}ms`,
          min_doc_count: 1,
        },
        aggs: { severity: { terms: { field: 'severity', size: 16 } } },
      },
    },
  });
  const rows: { bucket: number; severity: Severity; n: number }[] = [];
  for (const bucket of answer.aggregations?.over_time.buckets ?? []) {
    const position = Math.round((bucket.key - plan.fromMs) / plan.bucketMs);
    for (const { key, doc_count } of bucket.severity.buckets) rows.push({ bucket: position, severity: key, n: doc_count });
  }
  return histogramAnswer(plan, rows);
}
