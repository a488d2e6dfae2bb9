// POST /api/v1/rules/library/:id/test { events }: runs the rule on pasted events (NDJSON
// or a JSON array) with the server's detection engine. Each event is named by the line
// it starts on; lines that are not events come back as problems with line and column.
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

const ruleTestSchema = z.object({
  id: z.string(),
  kind: z.enum(['detection', 'correlation']),
  problems: z.array(z.object({ line: z.number().int(), column: z.number().int().optional(), message: z.string() })),
  events: z.array(
    z.object({
      line: z.number().int(),
      matched: z.boolean(),
      reason: z.enum(['logsource', 'detection']).optional(),
      rules: z.array(z.string()).optional(),
    }),
  ),
  firings: z.array(z.object({ group: z.record(z.string(), z.string()), time: z.string(), count: z.number().int(), lines: z.array(z.number().int()) })),
});
export type RuleTest = z.infer<typeof ruleTestSchema>;

export function useTestRule(id: string) {
  return useMutation({
    mutationKey: ['rules', 'test', id],
    mutationFn: (events: string) =>
      apiRequest(`/rules/library/${encodeURIComponent(id)}/test`, { method: 'POST', body: { events }, schema: ruleTestSchema }),
  });
}
