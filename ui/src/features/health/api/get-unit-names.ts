// GET /api/v1/units, read by the Health view only to name the units it lists (the server
// scopes the list). Read once per visit: units are renamed rarely, and a failure just
// leaves the ids showing, which still identify the unit.
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { apiRequest, isAbort } from '../../../lib/api-client.ts';

const unitsSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });

export async function getUnitNames(signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
  const { items } = await apiRequest('/units', { schema: unitsSchema, signal });
  return new Map(items.map((unit) => [unit.id, unit.name]));
}

/** Unit names by id; empty until read, and empty for good if they can not be read. */
export function useUnitNames(): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    const controller = new AbortController();
    getUnitNames(controller.signal)
      .then(setNames)
      .catch((err: unknown) => {
        if (!isAbort(err)) setNames(new Map());
      });
    return () => controller.abort();
  }, []);
  return names;
}
