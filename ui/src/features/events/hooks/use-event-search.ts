// The event search as server state: one infinite query per (q, from, to) taken from the
// URL, pages appended by "load more". A failed search has no data, so the previous
// search's results are never shown under its error.
import { useInfiniteQuery } from '@tanstack/react-query';
import { resolveBound } from '../../../lib/time-range.ts';
import { searchEvents } from '../api/search-events.ts';

export const EVENT_PAGE_SIZE = 100;

export interface EventSearchParams {
  q: string;
  from: string | null;
  to: string | null;
}

export function useEventSearch(params: EventSearchParams | null) {
  return useInfiniteQuery({
    queryKey: ['events', params?.q ?? null, params?.from ?? null, params?.to ?? null],
    enabled: params !== null,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      searchEvents(
        { q: params?.q ?? '', from: resolveBound(params?.from), to: resolveBound(params?.to), limit: EVENT_PAGE_SIZE, cursor: pageParam },
        signal,
      ),
    getNextPageParam: (last) => last.next,
    // A search is a question asked now: asking again asks the server again.
    staleTime: 0,
    gcTime: 60_000,
  });
}
