// POST /api/v1/notifications/channels/:name/test (admins): the notify stage sends a test
// message on the channel and the server waits for the outcome. 200: delivered; 502: the
// channel refused or failed (the message says why); 504: no notify process sent it.
import { z } from 'zod';
import { ApiError, apiRequest, describeError } from '../../../lib/api-client.ts';
import { deliverySchema } from './deliveries.ts';

export type TestOutcome = { kind: 'sent'; at: string | null } | { kind: 'failed' | 'not_sent' | 'error'; message: string };

export async function sendTest(channel: string): Promise<TestOutcome> {
  try {
    const res = await apiRequest(`/notifications/channels/${encodeURIComponent(channel)}/test`, { method: 'POST', schema: z.object({ delivery: deliverySchema }) });
    return { kind: 'sent', at: res.delivery.sentAt };
  } catch (err) {
    if (err instanceof ApiError && err.status === 502) return { kind: 'failed', message: err.message };
    if (err instanceof ApiError && err.status === 504) return { kind: 'not_sent', message: err.message };
    return { kind: 'error', message: describeError(err) };
  }
}
