// GET /api/v1/alerts/:id: the alert, the (sampled) raw events behind it, and what the
// rule's Sigma file says about it (description, false positives, references).
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { alertSchema, rawEventSchema } from '../types/alert.ts';

export const ruleInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  falsepositives: z.array(z.string()),
  references: z.array(z.string()),
  tags: z.array(z.string()),
  level: z.string().nullable(),
  author: z.string().nullable(),
  file: z.string(),
});
export type RuleInfo = z.infer<typeof ruleInfoSchema>;

export const alertDetailSchema = z.object({
  alert: alertSchema,
  events: z.array(rawEventSchema),
  rule_info: ruleInfoSchema.nullable().default(null),
});
export type AlertDetail = z.infer<typeof alertDetailSchema>;

export function getAlert(id: string, signal?: AbortSignal): Promise<AlertDetail> {
  return apiRequest(`/alerts/${encodeURIComponent(id)}`, { schema: alertDetailSchema, signal });
}
