// POST /api/v1/units: a new unit (SOC-wide admins only; 409 when the id exists).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { unitSchema, type Unit } from '../types/admin.ts';

const createUnitResponseSchema = z.object({ unit: unitSchema });

export async function createUnit(unit: Unit): Promise<Unit> {
  return (await apiRequest('/units', { method: 'POST', body: unit, schema: createUnitResponseSchema })).unit;
}
