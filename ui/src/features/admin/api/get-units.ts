// GET /api/v1/units: the units the signed-in person may see (the server applies the scope).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { unitSchema, type Unit } from '../types/admin.ts';

const unitsResponseSchema = z.object({ items: z.array(unitSchema) });

export async function getUnits(signal?: AbortSignal): Promise<Unit[]> {
  return (await apiRequest('/units', { schema: unitsResponseSchema, signal })).items;
}
