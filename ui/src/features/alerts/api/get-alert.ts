// GET /api/v1/alerts/:id: the alert with the (sampled) raw events behind it.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { alertSchema, rawEventSchema } from '../types/alert.ts';

export const alertDetailSchema = z.object({
  alert: alertSchema,
  events: z.array(rawEventSchema),
});
export type AlertDetail = z.infer<typeof alertDetailSchema>;

export function getAlert(id: string, signal?: AbortSignal): Promise<AlertDetail> {
  return apiRequest(`/alerts/${encodeURIComponent(id)}`, { schema: alertDetailSchema, signal });
}
