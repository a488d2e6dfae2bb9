// PATCH /api/v1/units/:id: a unit's display name (its id never changes).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { unitSchema, type Unit } from '../types/admin.ts';

const renameUnitResponseSchema = z.object({ unit: unitSchema });

export async function renameUnit(id: string, name: string): Promise<Unit> {
  return (
    await apiRequest(`/units/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name }, schema: renameUnitResponseSchema })
  ).unit;
}
