// GET /api/v1/rules/library: every rule of the rules folder with its level, tags, file,
// whether it is switched on (and by whom), and its hits: the times it matched in the
// last 30 days in the caller's scope (one alert groups many matches), its alerts, and
// when the newest was last seen. Also the rule set's
// load status (rules in force, problems of the last load).
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const ruleKindSchema = z.enum(['detection', 'correlation']);
export type RuleKind = z.infer<typeof ruleKindSchema>;

export const ruleSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: ruleKindSchema,
  level: z.string().nullable(),
  tags: z.array(z.string()),
  file: z.string(),
  line: z.number().int(),
  enabled: z.boolean(),
  switchedBy: z.string().nullable(),
  switchedAt: z.string().nullable(),
});

const libraryRuleSchema = ruleSummarySchema.extend({
  /** Times it matched (the sum of its alerts' counts), not alerts. */
  hits: z.number().int().nonnegative(),
  alerts: z.number().int().nonnegative(),
  lastHit: z.string().nullable(),
});
export type LibraryRule = z.infer<typeof libraryRuleSchema>;

const librarySchema = z.object({
  since: z.string(),
  loaded: z.number().int(),
  errors: z.array(z.string()),
  items: z.array(libraryRuleSchema),
});
export type RuleLibrary = z.infer<typeof librarySchema>;

export const rulesQueryKey = ['rules', 'library'] as const;

export function getRules(signal?: AbortSignal): Promise<RuleLibrary> {
  return apiRequest('/rules/library', { schema: librarySchema, signal });
}

export function useRules() {
  return useQuery({ queryKey: rulesQueryKey, queryFn: ({ signal }) => getRules(signal), refetchInterval: 30_000 });
}
