// GET /api/v1/events/fields: the top values of each field among the newest matches of
// the current search (a sample of at most `sampleSize` events, which the sidebar states).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const eventFieldsSchema = z.object({
  sampled: z.number().int().nonnegative(),
  sampleSize: z.number().int().positive(),
  fields: z.array(
    z.object({
      field: z.string(),
      events: z.number().int().nonnegative(),
      values: z.array(z.object({ value: z.string(), count: z.number().int().nonnegative() })),
    }),
  ),
});
export type EventFields = z.infer<typeof eventFieldsSchema>;

export function getEventFields(input: { q: string; from?: string; to?: string }, signal?: AbortSignal): Promise<EventFields> {
  return apiRequest('/events/fields', { query: input, schema: eventFieldsSchema, signal });
}
