// Sigma meta filters (Sigma 2.1 filters specification): a document with `filter:` that
// names rules (by id or name) and a detection; each named rule's condition becomes
// `original and not filter`. It is how a SOC tunes out accepted false positives
// (an admin tool, a scanner) across many rules without editing the rules themselves.
import { z } from 'zod';
import type { EventPredicate } from './compile-detection.ts';
import { compileDetectionBlock } from './compile-detection-block.ts';
import type { CompiledRule } from './compile-rule.ts';
import type { PipelineSet } from './pipeline-set.ts';
import { RuleError, type ProblemReport, type SourceLocation } from './rule-error.ts';
import { logsourceSchema, type Logsource } from './rule-model.ts';
import type { RuleSource, YamlPath } from './rule-source.ts';

const text = z.string().min(1);

const filterSchema = z.looseObject({
  title: text.max(256),
  id: text.max(128).optional(),
  name: text.max(256).optional(),
  description: z.string().optional(),
  author: z.string().optional(),
  date: z.string().optional(),
  modified: z.string().optional(),
  logsource: logsourceSchema,
  filter: z.looseObject({
    rules: z.union([text, z.array(text).min(1)]).transform((value) => (typeof value === 'string' ? [value] : value)),
    condition: z.union([text, z.array(text).min(1)]),
  }),
});

export interface CompiledFilter {
  readonly id: string | undefined;
  readonly title: string;
  readonly logsource: Logsource;
  /** Ids or names of the rules it amends, with where each is written. */
  readonly rules: readonly { readonly ref: string; readonly location: SourceLocation }[];
  /** True for the events the filter removes from its rules' matches. */
  readonly matches: EventPredicate;
  readonly location: SourceLocation;
}

/** Whether a parsed document is a meta filter rather than a detection rule. */
export function isFilterDocument(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'filter' in data && !('detection' in data);
}

export function compileFilter(source: RuleSource, report: ProblemReport, pipelines: PipelineSet): CompiledFilter | undefined {
  const parsed = filterSchema.safeParse(source.data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path: YamlPath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const where = path.length > 0 ? `${path.join('.')}: ` : '';
      report.add(new RuleError('rule_schema', `${where}${issue.message}`, source.locate(path)));
    }
    return undefined;
  }
  const model = parsed.data;
  const routed = pipelines.route(model.logsource);
  if (!routed.ok) report.add(new RuleError('rule_logsource', routed.reason, source.locate(['logsource', routed.field])));
  const { condition, ...identifiers } = model.filter;
  const block = compileDetectionBlock(
    {
      identifiers,
      conditions: typeof condition === 'string' ? [condition] : condition,
      path: ['filter'],
      reserved: new Set(['rules']),
      fieldMapping: pipelines.fieldMapping(model.logsource),
    },
    source,
    report,
  );
  if (block === undefined || !routed.ok) return undefined;
  const written = (source.data as { filter: { rules: unknown } }).filter.rules;
  return {
    id: model.id,
    title: model.title,
    logsource: model.logsource,
    rules: model.filter.rules.map((ref, index) => ({
      ref,
      location: source.locate(Array.isArray(written) ? ['filter', 'rules', index] : ['filter', 'rules']),
    })),
    matches: block.matches,
    location: source.locate(model.id === undefined ? ['title'] : ['id']),
  };
}

/**
 * The rules with every filter that names them applied. A filter naming a rule that
 * is not loaded, or one of another log source, is an error: a tuning that silently
 * does nothing would leave its false positives firing.
 */
export function applyFilters(
  rules: readonly CompiledRule[],
  filters: readonly CompiledFilter[],
): { rules: CompiledRule[]; errors: RuleError[] } {
  const errors: RuleError[] = [];
  const byRef = new Map<string, number>();
  rules.forEach((rule, index) => {
    byRef.set(rule.id, index);
    if (rule.name !== undefined && !byRef.has(rule.name)) byRef.set(rule.name, index);
  });
  const amended = [...rules];
  for (const filter of filters) {
    for (const { ref, location } of filter.rules) {
      const index = byRef.get(ref);
      const rule = index === undefined ? undefined : amended[index];
      if (index === undefined || rule === undefined) {
        errors.push(new RuleError('rule_filter', `filter '${filter.title}' names rule '${ref}', which is not loaded`, location));
        continue;
      }
      const mismatch = logsourceMismatch(filter.logsource, rule.logsource);
      if (mismatch !== undefined) {
        const reason = `filter '${filter.title}' is for logsource ${mismatch}, which rule '${ref}' does not have`;
        errors.push(new RuleError('rule_filter', reason, location));
        continue;
      }
      amended[index] = withFilter(rule, filter);
    }
  }
  return { rules: amended, errors };
}

function withFilter(rule: CompiledRule, filter: CompiledFilter): CompiledRule {
  const original = rule.matchesDetection;
  const removes = filter.matches;
  const matchesDetection: EventPredicate = (event) => original(event) && !removes(event);
  const { accepts } = rule.route;
  return {
    ...rule,
    filters: [...rule.filters, filter.id ?? filter.title],
    matchesDetection,
    matches: (event) => accepts(event) && matchesDetection(event),
  };
}

/** The first key of the filter's logsource the rule does not share, as `key: value`. */
function logsourceMismatch(filter: Logsource, rule: Logsource): string | undefined {
  for (const key of ['category', 'product', 'service'] as const) {
    const wanted = filter[key]?.toLowerCase();
    if (wanted !== undefined && rule[key]?.toLowerCase() !== wanted) return `${key}: ${wanted}`;
  }
  return undefined;
}
