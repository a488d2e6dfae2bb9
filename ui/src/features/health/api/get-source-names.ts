// Names for the ids the Health view lists: units from GET /api/v1/units (everyone, the
// server scopes it) and, for admins, agents from GET /api/v1/agents (admin only, so asked
// only after GET /api/v1/auth/me says admin: nobody else gets a refused request). Read
// once per visit: renames are rare, and any failure just leaves the ids showing, which
// still identify the source.
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { apiRequest, isAbort } from '../../../lib/api-client.ts';

const unitsSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
const agentsSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
const meSchema = z.object({ user: z.object({ role: z.string() }) });

export interface SourceNames {
  readonly units: ReadonlyMap<string, string>;
  readonly agents: ReadonlyMap<string, string>;
}

const NONE: SourceNames = { units: new Map(), agents: new Map() };

const byId = (items: readonly { id: string; name: string }[]) => new Map(items.map((item) => [item.id, item.name]));

export async function getSourceNames(signal?: AbortSignal): Promise<SourceNames> {
  const [units, me] = await Promise.all([
    apiRequest('/units', { schema: unitsSchema, signal }),
    apiRequest('/auth/me', { schema: meSchema, signal }),
  ]);
  const agents = me.user.role === 'admin' ? (await apiRequest('/agents', { schema: agentsSchema, signal })).items : [];
  return { units: byId(units.items), agents: byId(agents) };
}

/** Names by id; empty until read, and empty for good if they can not be read. */
export function useSourceNames(): SourceNames {
  const [names, setNames] = useState<SourceNames>(NONE);
  useEffect(() => {
    const controller = new AbortController();
    getSourceNames(controller.signal)
      .then(setNames)
      .catch((err: unknown) => {
        if (!isAbort(err)) setNames(NONE);
      });
    return () => controller.abort();
  }, []);
  return names;
}
