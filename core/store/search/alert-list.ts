// Alert lists and alert counts of the search store: keyset pages in any sort order
// with search_after (tokens from alert-sort.ts) and group counts as a terms
// aggregation. Same contract as the embedded store's embedded-alert-query.ts.
import type { Scope } from '../../ports/scope.ts';
import { MAX_ALERT_GROUPS, type AlertFilter, type AlertGroupField, type AlertGroups, type AlertQuery, type Page } from '../../ports/store.ts';
import type { Alert } from '../../schemas/alert.ts';
import { DEFAULT_ALERT_SORT, decodeAlertPageToken, encodeAlertPageToken, type SortValue } from '../alert-sort.ts';
import { clampLimit, normalizeRange, TOTAL_COUNT_CAP } from '../search-bounds.ts';
import { ALERT_GROUP_FIELDS, alertQueryFilters, alertSortClauses, MISSING_GROUP_KEY } from './alert-query-dsl.ts';
import { rangeFilters, scopeFilters, type Filter } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { search, storedDocument } from './search-page.ts';

interface SortedAnswer {
  hits: { total: { value: number; relation: 'eq' | 'gte' }; hits: { _source: Alert; sort: SortValue[] }[] };
}

function filtersOf(filter: AlertFilter, scope: Scope): Filter[] | null {
  const scoped = scopeFilters(scope);
  if (scoped === null) return null;
  return [...scoped, ...rangeFilters('last_seen', normalizeRange(filter)), ...alertQueryFilters(filter)];
}

export async function searchAlertPage(client: SearchClient, index: string, query: AlertQuery, scope: Scope): Promise<Page<Alert>> {
  const sort = query.sort ?? DEFAULT_ALERT_SORT;
  const limit = clampLimit(query.limit);
  const clauses = alertSortClauses(sort);
  const start = query.cursor === undefined ? null : decodeAlertPageToken(query.cursor, sort, clauses.length);
  const filters = filtersOf(query, scope);
  if (filters === null) return { items: [], total: 0, totalIsExact: true, next: null };
  const answer = await search<SortedAnswer>(client, index, {
    query: { bool: { filter: filters } },
    sort: clauses,
    ...(start === null ? {} : { search_after: start.values }),
    // One more than asked tells whether another page exists (next: null on the last).
    size: limit + 1,
    track_total_hits: TOTAL_COUNT_CAP + 1,
  });
  const hits = answer.hits.hits;
  const more = hits.length > limit;
  if (more) hits.length = limit;
  const last = hits[hits.length - 1];
  const counted = answer.hits.total.value;
  return {
    items: hits.map((hit) => storedDocument(hit._source)),
    total: Math.min(counted, TOTAL_COUNT_CAP),
    totalIsExact: answer.hits.total.relation === 'eq' && counted <= TOTAL_COUNT_CAP,
    next: more && last !== undefined ? encodeAlertPageToken(sort, last.sort) : null,
  };
}

interface GroupAnswer {
  hits: { total: { value: number } };
  aggregations?: {
    groups: {
      buckets: { key: string; doc_count: number; latest?: { hits: { hits: { _source: Record<string, unknown> }[] } } }[];
    };
  };
}

/** A dotted path read from a document (`rule.title`). */
function pathValue(source: Record<string, unknown>, path: string): unknown {
  let value: unknown = source;
  for (const part of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

export async function groupAlertCounts(
  client: SearchClient,
  index: string,
  filter: AlertFilter,
  by: AlertGroupField,
  scope: Scope,
): Promise<AlertGroups> {
  const filters = filtersOf(filter, scope);
  if (filters === null) return { groups: [], total: 0 };
  const { field, label } = ALERT_GROUP_FIELDS[by];
  const answer = await search<GroupAnswer>(client, index, {
    query: { bool: { filter: filters } },
    size: 0,
    track_total_hits: true,
    aggs: {
      groups: {
        terms: { field, size: MAX_ALERT_GROUPS, missing: MISSING_GROUP_KEY, order: [{ _count: 'desc' }, { _key: 'asc' }] },
        ...(label === undefined
          ? {}
          : { aggs: { latest: { top_hits: { size: 1, sort: [{ last_seen: { order: 'desc' } }], _source: [label] } } } }),
      },
    },
  });
  const buckets = answer.aggregations?.groups.buckets ?? [];
  return {
    groups: buckets.map((bucket) => {
      const key = bucket.key === MISSING_GROUP_KEY ? null : bucket.key;
      const source = bucket.latest?.hits.hits[0]?._source;
      const named = label === undefined || source === undefined ? undefined : pathValue(source, label);
      return { key, label: typeof named === 'string' ? named : (key ?? ''), count: bucket.doc_count };
    }),
    total: answer.hits.total.value,
  };
}
