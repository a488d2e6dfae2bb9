// GET /api/v1/events for a host or unit page's timeline: the newest events of a query
// over a range. Events stay raw (attacker-controlled): read them with lib/event-fields.
import { z } from 'zod';
import { apiRequest } from '../../../../lib/api-client.ts';

const pageSchema = z.object({ items: z.array(z.unknown()), total: z.number() });
export type PlaceEventPage = z.infer<typeof pageSchema>;

export function getPlaceEvents(query: { q: string; from?: string; to?: string; limit: number }, signal?: AbortSignal): Promise<PlaceEventPage> {
  return apiRequest('/events', { query, schema: pageSchema, signal });
}
