// Names for the ids the Health view lists: units (everyone; lib/unit-names.ts) and, for
// admins, agents from GET /api/v1/agents (admin only, so nobody else gets a refused
// request). Any failure just leaves the ids showing, which still identify the source.
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { useUser } from '../../../app/session.tsx';
import { apiRequest } from '../../../lib/api-client.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';

const agentsSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });

export interface SourceNames {
  readonly units: ReadonlyMap<string, string>;
  readonly agents: ReadonlyMap<string, string>;
}

const none: ReadonlyMap<string, string> = new Map();

export function useSourceNames(): SourceNames {
  const user = useUser();
  const { names: units } = useUnitNames();
  const agents = useQuery({
    queryKey: ['agents', 'names'],
    enabled: user.role === 'admin',
    queryFn: async ({ signal }) => {
      const res = await apiRequest('/agents', { schema: agentsSchema, signal });
      return new Map(res.items.map((a) => [a.id, a.name] as const));
    },
    staleTime: 60_000,
  });
  return { units, agents: agents.data ?? none };
}
