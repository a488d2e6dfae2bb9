// GET /api/v1/notifications/routing (admins): notify.yml as the server reads it — where it
// lives, each channel's kind, unit, language, redacted target and rate, whether the
// running notify stage uses it and its dead letters; the routing rules. Scoped by the
// server to the admin's units.
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

const routingChannelSchema = z.object({
  name: z.string(),
  type: z.string(),
  unit: z.string().nullable(),
  language: z.string(),
  target: z.string().nullable(),
  perMinute: z.number(),
  digestMinutes: z.number(),
  active: z.boolean(),
  deadLetters: z.number(),
});
export type RoutingChannel = z.infer<typeof routingChannelSchema>;

const list = z.array(z.string()).optional();
const ruleSchema = z.object({
  name: z.string(),
  match: z.object({ severity: z.string().optional(), unit: list, rule: list, tactic: list, kind: list }),
  channels: z.array(z.string()),
  unitChannels: z.boolean(),
});
export type RoutingRule = z.infer<typeof ruleSchema>;

const routingSchema = z.object({
  file: z.string().nullable(),
  readable: z.boolean(),
  problem: z.string().nullable(),
  editable: z.boolean(),
  channels: z.array(routingChannelSchema),
  rules: z.array(ruleSchema),
});
export type Routing = z.infer<typeof routingSchema>;

export const routingQueryKey = ['notifications', 'routing'] as const;

export function useRouting() {
  return useQuery({
    queryKey: routingQueryKey,
    queryFn: ({ signal }) => apiRequest('/notifications/routing', { schema: routingSchema, signal }),
    staleTime: 0,
  });
}
