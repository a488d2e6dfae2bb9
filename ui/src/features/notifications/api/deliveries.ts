// A notification delivery as the API answers it (core/ports/notifications.ts's Delivery),
// read leniently: the console shows what it knows and ignores what it does not.
import { z } from 'zod';

export const deliveryStates = ['pending', 'sent', 'folded', 'dead', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export const deliverySchema = z.object({
  id: z.number(),
  channel: z.string(),
  kind: z.string(),
  alertId: z.string().nullable(),
  unit: z.string().nullable(),
  state: z.enum(deliveryStates),
  attempts: z.number(),
  createdAt: z.string(),
  dueAt: z.string(),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
  payload: z
    .object({ type: z.string(), alert: z.object({ title: z.string(), host: z.object({ name: z.string().optional() }).optional() }).optional() })
    .optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const attemptSchema = z.object({ at: z.string(), ok: z.boolean(), error: z.string().nullable() });
export type DeliveryAttempt = z.infer<typeof attemptSchema>;
