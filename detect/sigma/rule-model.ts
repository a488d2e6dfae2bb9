// Phase 2 of rule compilation: plain data → a typed Sigma rule. Only the rule's shape is
// checked here; what the detection identifiers hold is the next phase's job, because
// its errors need finer locations than a schema can give.
import { z } from 'zod';
import { severitySchema } from '../../core/schemas/alert.ts';
import { RuleError, type ProblemReport } from './rule-error.ts';
import type { RuleSource, YamlPath } from './rule-source.ts';

export const ruleStatuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

const text = z.string().min(1);
const textList = z.array(z.string());

export const logsourceSchema = z.looseObject({
  category: text.optional(),
  product: text.optional(),
  service: text.optional(),
  definition: z.string().optional(),
});
export type Logsource = z.infer<typeof logsourceSchema>;

export const detectionSchema = z
  .looseObject({
    condition: z.union([text, z.array(text).min(1)]),
  })
  .transform(({ condition, ...identifiers }) => ({
    conditions: typeof condition === 'string' ? [condition] : condition,
    identifiers: identifiers as Record<string, unknown>,
  }));
export type SigmaDetection = z.output<typeof detectionSchema>;

/** A Sigma detection rule; unknown top-level keys are allowed, as Sigma allows them. */
export const sigmaRuleSchema = z.looseObject({
  title: text.max(256),
  // Sigma makes the id optional; Vigil needs it: alert ids and metrics are keyed by it.
  id: text.max(128),
  name: text.max(256).optional(),
  status: z.enum(ruleStatuses).optional(),
  description: z.string().optional(),
  level: severitySchema.default('medium'),
  tags: textList.default([]),
  logsource: logsourceSchema.default({}),
  detection: detectionSchema,
  falsepositives: z
    .union([z.string(), textList])
    .transform((value) => (typeof value === 'string' ? [value] : value))
    .default([]),
  references: textList.default([]),
  author: z.string().optional(),
  date: z.string().optional(),
  modified: z.string().optional(),
  fields: textList.default([]),
});
export type SigmaRule = z.output<typeof sigmaRuleSchema>;

/**
 * Keys that mark Sigma documents Vigil does not compile yet (meta filters and
 * correlations are told apart before a document gets here).
 */
const otherDocumentKinds: Record<string, string> = {
  action: 'rule collections (action: global/repeat/reset)',
};

/** The typed rule, or `undefined` after reporting why the data is not one. */
export function parseRuleModel(source: RuleSource, report: ProblemReport): SigmaRule | undefined {
  const { data } = source;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    for (const [key, what] of Object.entries(otherDocumentKinds)) {
      if (key in data) {
        const where = source.locate([key], { key: true });
        report.add(new RuleError('rule_unsupported', `${what} are not supported yet`, where));
        return undefined;
      }
    }
  }
  const parsed = sigmaRuleSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  reportSchemaIssues(parsed.error.issues, source, report);
  return undefined;
}

/**
 * Schema problems as located `rule_schema` errors, `path: message`. An unknown key
 * points at the key itself, not at the map that holds it.
 */
export function reportSchemaIssues(issues: readonly z.core.$ZodIssue[], source: RuleSource, report: ProblemReport): void {
  for (const issue of issues) {
    const path: YamlPath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const where = [...path, key].join('.');
        report.add(new RuleError('rule_schema', `${where}: unknown key`, source.locate([...path, key], { key: true })));
      }
      continue;
    }
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    report.add(new RuleError('rule_schema', `${where}${issue.message}`, source.locate(path)));
  }
}
