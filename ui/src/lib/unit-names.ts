// Units are shown by name everywhere, never by id: GET /api/v1/units (anyone signed in;
// the server lists the units they may see), read once per session through TanStack
// Query. Until it answers, or if it cannot, a unit shows as its id, which still
// identifies it (and says so in a tooltip).
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { z } from 'zod';
import { apiRequest } from './api-client.ts';

const unitsSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });

export const unitNamesQueryKey = ['units', 'names'] as const;

export function useUnitNames(): { names: ReadonlyMap<string, string>; unitName: (id: string) => string } {
  const query = useQuery({
    queryKey: unitNamesQueryKey,
    queryFn: async ({ signal }) => {
      const res = await apiRequest('/units', { schema: unitsSchema, signal });
      return new Map(res.items.map((u) => [u.id, u.name] as const));
    },
    staleTime: 5 * 60_000,
  });
  const names = query.data ?? emptyNames;
  const unitName = useCallback((id: string) => names.get(id) || id, [names]);
  return { names, unitName };
}

const emptyNames: ReadonlyMap<string, string> = new Map();
