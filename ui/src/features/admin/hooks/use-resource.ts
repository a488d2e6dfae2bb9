// A list from the server for an admin screen, through TanStack Query: loaded when the
// screen opens, shared between screens under the same key (the units list), reloaded
// on demand after a change, and the last good list kept on screen while a reload runs
// or fails.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { describeError } from '../../../lib/api-client.ts';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function useResource<T>(key: readonly string[], load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => load(signal), staleTime: 0 });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    data: query.data ?? null,
    error: query.isError ? describeError(query.error) : null,
    loading: query.isFetching,
    reload,
  };
}
