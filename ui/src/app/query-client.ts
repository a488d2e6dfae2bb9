// Server state for every screen goes through TanStack Query (caching, de-duplicated
// requests, refetch on reconnect, and loading/error states we no longer hand-write).
// A 4xx is an answer, not a hiccup: it is never retried.
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/api-client.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (failures, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}
