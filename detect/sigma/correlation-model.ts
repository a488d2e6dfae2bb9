// Phase 2 for Sigma correlation documents (`correlation:` key): plain data → a typed
// correlation, with everything that can be checked inside the one document (type,
// timespan, condition, aliases' shape) reported at its spot. What the referenced rules
// are is only known once the whole library is read: compile-correlation.ts does that.
import { z } from 'zod';
import { severitySchema } from '../../core/schemas/alert.ts';
import { correlationTypes, type CorrelationCondition, type CorrelationType } from '../correlation/contract.ts';
import { RuleError, type ProblemReport, type SourceLocation } from './rule-error.ts';
import { reportSchemaIssues, ruleStatuses } from './rule-model.ts';
import type { RuleSource, YamlPath } from './rule-source.ts';

const text = z.string().min(1);
const textList = z.array(z.string());
const oneOrMany = z.union([text, z.array(text).min(1)]).transform((value) => (typeof value === 'string' ? [value] : value));

const correlationSchema = z.looseObject({
  title: text.max(256),
  // As for detection rules: alerts and metrics are keyed by it.
  id: text.max(128),
  name: text.max(256).optional(),
  status: z.enum(ruleStatuses).optional(),
  description: z.string().optional(),
  author: z.string().optional(),
  date: z.string().optional(),
  modified: z.string().optional(),
  references: textList.default([]),
  tags: textList.default([]),
  falsepositives: z
    .union([z.string(), textList])
    .transform((value) => (typeof value === 'string' ? [value] : value))
    .default([]),
  level: severitySchema.default('medium'),
  generate: z.boolean().optional(),
  // Strict: a misspelt `group_by` or `timeframe` would otherwise change what fires.
  correlation: z.strictObject({
    type: z.enum(correlationTypes),
    rules: oneOrMany,
    'group-by': z
      .union([text, z.array(text)])
      .transform((value) => (typeof value === 'string' ? [value] : value))
      .default([]),
    // Checked below, for messages that say what a timespan and a condition look like.
    timespan: z.unknown().optional(),
    condition: z.unknown().optional(),
    aliases: z.record(text, z.record(text, text)).default({}),
    generate: z.boolean().optional(),
  }),
});

/** A correlation document that is well formed on its own; its references are not resolved yet. */
export interface ParsedCorrelation {
  readonly id: string;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: z.output<typeof severitySchema>;
  readonly status: string | undefined;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly falsepositives: readonly string[];
  readonly type: CorrelationType;
  /** Referenced rules as written (ids or names). */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  /** alias → (rule id or name as written → field). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly timespanMs: number;
  readonly condition: CorrelationCondition | undefined;
  readonly generate: boolean;
  readonly location: SourceLocation;
  /** For the errors found when the references are resolved. */
  readonly source: RuleSource;
}

/** Whether a parsed document is a Sigma correlation rule. */
export function isCorrelationDocument(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'correlation' in data;
}

const temporalTypes: ReadonlySet<CorrelationType> = new Set(['temporal', 'temporal_ordered']);
const valueTypes: ReadonlySet<CorrelationType> = new Set(['value_count', 'value_sum', 'value_avg', 'value_percentile']);

/** The typed correlation, or `undefined` after reporting every problem found. */
export function parseCorrelation(source: RuleSource, report: ProblemReport): ParsedCorrelation | undefined {
  const parsed = correlationSchema.safeParse(source.data);
  if (!parsed.success) {
    reportSchemaIssues(parsed.error.issues, source, report);
    return undefined;
  }
  const before = report.errors.length;
  const model = parsed.data;
  const block = model.correlation;
  const { type } = block;
  const problem = (path: YamlPath, reason: string, key = false) =>
    report.add(new RuleError('rule_correlation', reason, source.locate(['correlation', ...path], { key })));

  const minimum = temporalTypes.has(type) ? 2 : 1;
  if (block.rules.length < minimum) {
    problem(['rules'], `correlation.rules: a ${type} correlation names at least ${minimum} rules`);
  }
  const writtenRules = (source.data as { correlation: { rules: unknown } }).correlation.rules;
  firstDuplicate(block.rules, (index, value) =>
    problem(Array.isArray(writtenRules) ? ['rules', index] : ['rules'], `correlation.rules: '${value}' is named twice`),
  );
  firstDuplicate(block['group-by'], (index, value) =>
    problem(['group-by', index], `correlation.group-by: '${value}' is named twice`),
  );

  // A missing timespan points at `correlation:`, the block that should hold it.
  const timespanMs = parseTimespan(block.timespan, (reason) =>
    block.timespan === undefined
      ? report.add(new RuleError('rule_correlation', reason, source.locate(['correlation'], { key: true })))
      : problem(['timespan'], reason),
  );
  const condition = parseCondition(block.condition, type, source, report);

  if (model.generate !== undefined && block.generate !== undefined && model.generate !== block.generate) {
    problem(['generate'], 'correlation.generate: contradicts the top-level generate', true);
  }
  if (report.errors.length > before || timespanMs === undefined || condition === 'invalid') return undefined;
  return {
    id: model.id,
    name: model.name,
    title: model.title,
    level: model.level,
    status: model.status,
    description: model.description,
    tags: model.tags,
    falsepositives: model.falsepositives,
    type,
    rules: block.rules,
    groupBy: block['group-by'],
    aliases: block.aliases,
    timespanMs,
    condition,
    generate: model.generate ?? block.generate ?? false,
    location: source.locate(['id']),
    source,
  };
}

function firstDuplicate(values: readonly string[], onDuplicate: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) onDuplicate(index, value);
    seen.add(value);
  });
}

const unitMs: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `<positive integer><s|m|h|d>` → milliseconds, as the Sigma correlation spec writes a timespan. */
function parseTimespan(written: unknown, fail: (reason: string) => void): number | undefined {
  const shape = 'a positive whole number and a unit s, m, h or d, like 30s, 5m, 1h or 7d';
  if (written === undefined) {
    fail(`correlation.timespan: required (${shape})`);
    return undefined;
  }
  const match = typeof written === 'string' ? /^([1-9][0-9]*)([smhd])$/.exec(written) : null;
  const [, amount, unit] = match ?? [];
  const ms = amount === undefined || unit === undefined ? undefined : Number(amount) * (unitMs[unit] ?? 0);
  if (ms === undefined || !Number.isSafeInteger(ms)) {
    fail(`correlation.timespan: expected ${shape}, not '${String(written)}'`);
    return undefined;
  }
  return ms;
}

const boundKeys = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
type BoundKey = (typeof boundKeys)[number];
const lowerBounds: ReadonlySet<string> = new Set(['gt', 'gte']);

/**
 * The condition map: one bound, or two that leave some value possible (a range, or a
 * bound and `neq`), plus `field` for value_* types and `percentile` for value_percentile.
 * `undefined` is the temporal types' "every referenced rule occurred".
 */
function parseCondition(
  written: unknown,
  type: CorrelationType,
  source: RuleSource,
  report: ProblemReport,
): CorrelationCondition | undefined | 'invalid' {
  const before = report.errors.length;
  const at = (key?: string, asKey = true) =>
    source.locate(key === undefined ? ['correlation', 'condition'] : ['correlation', 'condition', key], { key: asKey });
  const problem = (reason: string, where: SourceLocation) => report.add(new RuleError('rule_correlation', reason, where));
  if (written === undefined) {
    if (temporalTypes.has(type)) return undefined;
    const reason = `correlation.condition: required for ${type} correlations (like gte: 10)`;
    problem(reason, source.locate(['correlation'], { key: true }));
    return 'invalid';
  }
  if (written === null || typeof written !== 'object' || Array.isArray(written)) {
    problem('correlation.condition: expected a map of bounds (gt, gte, lt, lte, eq, neq)', at(undefined, false));
    return 'invalid';
  }

  const bounds: [BoundKey, number][] = [];
  let field: string | undefined;
  let percentile: number | undefined;
  for (const [key, value] of Object.entries(written)) {
    if ((boundKeys as readonly string[]).includes(key)) {
      const number = toNumber(value);
      if (number === undefined) {
        problem(`correlation.condition.${key}: expected a number, not '${String(value)}'`, at(key, false));
      } else {
        bounds.push([key as BoundKey, number]);
      }
    } else if (key === 'field') {
      if (typeof value === 'string' && value !== '') field = value;
      else problem(`correlation.condition.field: expected a field name, not '${String(value)}'`, at(key, false));
    } else if (key === 'percentile') {
      const number = toNumber(value);
      if (number === undefined || number < 0 || number > 100) {
        problem(`correlation.condition.percentile: expected a number from 0 to 100, not '${String(value)}'`, at(key, false));
      } else percentile = number;
    } else {
      const reason = `correlation.condition.${key}: unknown key (expected gt, gte, lt, lte, eq, neq, field or percentile)`;
      problem(reason, at(key));
    }
  }

  const [first, second, third] = bounds;
  if (first === undefined) {
    // A condition whose only bound was misspelt already has its error.
    if (report.errors.length === before) {
      problem('correlation.condition: needs a bound: gt, gte, lt, lte, eq or neq', at(undefined, true));
    }
  } else if (third !== undefined) {
    const named = bounds.map(([key]) => key).join(', ');
    problem(`correlation.condition: at most two bounds (a range), not ${named}`, at(third[0]));
  } else if (second !== undefined) {
    const reason = contradiction(first, second);
    if (reason !== undefined) problem(`correlation.condition: ${reason}`, at(second[0]));
  }

  const takesField = valueTypes.has(type);
  if (takesField && field === undefined && !('field' in written)) {
    const reason = `correlation.condition.field: required for ${type} correlations (the field whose values are aggregated)`;
    problem(reason, at(undefined, true));
  } else if (!takesField && 'field' in written) {
    problem(`correlation.condition.field: ${type} correlations aggregate no field`, at('field'));
  }
  if (type === 'value_percentile' && percentile === undefined && !('percentile' in written)) {
    problem('correlation.condition.percentile: required for value_percentile correlations (0 to 100)', at(undefined, true));
  } else if (type !== 'value_percentile' && 'percentile' in written) {
    problem(`correlation.condition.percentile: only value_percentile correlations take one, not ${type}`, at('percentile'));
  }
  if (report.errors.length > before) return 'invalid';
  return {
    ...Object.fromEntries(bounds),
    ...(field === undefined ? {} : { field }),
    ...(percentile === undefined ? {} : { percentile }),
  };
}

/** Why two bounds leave no value, or cannot be combined; `undefined` when they make sense together. */
function contradiction([a, x]: [BoundKey, number], [b, y]: [BoundKey, number]): string | undefined {
  if (a === 'eq' || b === 'eq') return `eq cannot be combined with ${a === 'eq' ? b : a}`;
  if (a === 'neq' || b === 'neq') return undefined;
  if (lowerBounds.has(a) === lowerBounds.has(b)) {
    return `${a} and ${b} both bound the value from ${lowerBounds.has(a) ? 'below' : 'above'}`;
  }
  const [[lowKey, low], [highKey, high]] = lowerBounds.has(a) ? [[a, x], [b, y]] : [[b, y], [a, x]];
  const empty = lowKey === 'gte' && highKey === 'lte' ? low > high : low >= high;
  return empty ? `no value is ${lowKey} ${low} and ${highKey} ${high}` : undefined;
}

/** YAML integers are read as bigints (rule-source.ts); a condition only needs numbers. */
function toNumber(value: unknown): number | undefined {
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}
