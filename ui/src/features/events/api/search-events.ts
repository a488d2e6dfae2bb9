// GET /api/v1/events: search the events the caller may see (field:value terms and free
// text), newest first, one page at a time.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const eventPageSchema = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  total: z.number().int().nonnegative(),
  totalIsExact: z.boolean(),
  next: z.string().nullable(),
});
export type EventPage = z.infer<typeof eventPageSchema>;

export interface SearchEventsInput {
  q: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string | null;
}

export function searchEvents(input: SearchEventsInput, signal?: AbortSignal): Promise<EventPage> {
  return apiRequest('/events', {
    query: { q: input.q, from: input.from, to: input.to, limit: input.limit, cursor: input.cursor },
    schema: eventPageSchema,
    signal,
  });
}
