// GET /api/v1/rules/library/:id: one rule with its description and its own YAML.
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { ruleSummarySchema } from './get-rules.ts';

const ruleDetailSchema = ruleSummarySchema.extend({
  description: z.string().nullable(),
  falsepositives: z.array(z.string()),
  references: z.array(z.string()),
  author: z.string().nullable(),
  yaml: z.string(),
});
export type RuleDetail = z.infer<typeof ruleDetailSchema>;

export const ruleQueryKey = (id: string) => ['rules', 'rule', id] as const;

export function useRule(id: string) {
  return useQuery({
    queryKey: ruleQueryKey(id),
    queryFn: ({ signal }) => apiRequest(`/rules/library/${encodeURIComponent(id)}`, { schema: ruleDetailSchema, signal }),
  });
}
