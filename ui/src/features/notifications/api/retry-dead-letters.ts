// POST /api/v1/notifications/dead-letters/:id/retry and .../dead-letters/retry (all the
// admin may see, or one channel's): the dead letters go back to the notify stage's queue.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { deliverySchema } from './deliveries.ts';

export async function retryDeadLetter(id: number): Promise<void> {
  await apiRequest(`/notifications/dead-letters/${id}/retry`, { method: 'POST', schema: z.object({ delivery: deliverySchema }) });
}

/** Answers how many were requeued. */
export async function retryAllDeadLetters(channel?: string): Promise<number> {
  const res = await apiRequest('/notifications/dead-letters/retry', {
    method: 'POST',
    body: channel === undefined ? {} : { channel },
    schema: z.object({ requeued: z.number() }),
  });
  return res.requeued;
}
