// One keyset page, newest first by (time, tie-breaker), with search_after, plus a
// total counted up to TOTAL_COUNT_CAP: the same contract as the embedded store's
// pages, and the same opaque paging tokens (page-token.ts).
import { UnavailableError, VigilError } from '../../errors.ts';
import type { Page } from '../../ports/store.ts';
import { encodePageToken, type PageKey } from '../page-token.ts';
import { TOTAL_COUNT_CAP } from '../search-bounds.ts';
import type { Filter } from './scope-filter.ts';
import type { SearchClient } from './search-client.ts';
import { SEARCH_FIELD } from './search-fields.ts';

export interface PageRequest {
  index: string;
  filters: Filter[];
  /** Date field sorted newest first. */
  timeField: string;
  /** Unique keyword field breaking ties in time. */
  tieField: string;
  after: PageKey | null;
  limit: number;
}

interface Hit<T> {
  _source: T;
  sort: [number, string];
}

export interface SearchAnswer<T> {
  hits: { total: { value: number; relation: 'eq' | 'gte' }; hits: Hit<T>[] };
}

export async function searchPage<T>(client: SearchClient, request: PageRequest): Promise<Page<T>> {
  const answer = await search<SearchAnswer<T>>(client, request.index, {
    query: { bool: { filter: request.filters } },
    sort: newestFirst(request.timeField, request.tieField),
    ...(request.after === null ? {} : { search_after: [Date.parse(request.after.ts), request.after.id] }),
    // One more than asked tells whether another page exists (next: null on the last).
    size: request.limit + 1,
    // Counting stops one past the cap, so "exactly 10,000" and "more" can be told apart.
    track_total_hits: TOTAL_COUNT_CAP + 1,
  });
  const hits = answer.hits.hits;
  const more = hits.length > request.limit;
  if (more) hits.length = request.limit;
  const last = hits[hits.length - 1];
  const counted = answer.hits.total.value;
  const exact = answer.hits.total.relation === 'eq' && counted <= TOTAL_COUNT_CAP;
  return {
    items: hits.map((hit) => storedDocument(hit._source)),
    total: Math.min(counted, TOTAL_COUNT_CAP),
    totalIsExact: exact,
    next: more && last !== undefined ? encodePageToken({ ts: new Date(last.sort[0]).toISOString(), id: last.sort[1] }) : null,
  };
}

/**
 * Sort newest first, ties broken by a unique keyword. `unmapped_type` lets a search
 * run before the first event created any events index.
 */
export function newestFirst(timeField: string, tieField: string): Record<string, unknown>[] {
  return [
    { [timeField]: { order: 'desc', unmapped_type: 'date' } },
    { [tieField]: { order: 'desc', unmapped_type: 'keyword' } },
  ];
}

/** `_search` on an index or pattern; any answer but 200 is the store failing. */
export async function search<T>(client: SearchClient, index: string, body: Record<string, unknown>): Promise<T> {
  const answer = await client.request<T>({
    method: 'POST',
    path: `/${index}/_search`,
    querystring: { ignore_unavailable: true, allow_no_indices: true },
    body,
  });
  if (answer.status !== 200) throw storeFailure('search', answer.status, answer.body);
  return answer.body;
}

/**
 * A document as written. The mappings leave the search fields out of _source; a read
 * that still sees them (a real-time get from the translog) drops them here. Not
 * re-validated with zod: this store wrote it from validated values (as embedded does).
 */
export function storedDocument<T>(source: T): T {
  if (typeof source === 'object' && source !== null && SEARCH_FIELD in source) {
    const { [SEARCH_FIELD]: _omitted, ...rest } = source as Record<string, unknown>;
    return rest as T;
  }
  return source;
}

/** Overload (429) and server errors may pass on a retry; anything else is a bug to see. */
export function storeFailure(what: string, status: number, body: unknown): VigilError {
  const message = `search store: ${what} failed (${status}): ${JSON.stringify(body).slice(0, 2000)}`;
  if (status === 429 || status >= 500) return new UnavailableError(message, 'store');
  return new VigilError('store_failed', message, 'store', 500, { status });
}
