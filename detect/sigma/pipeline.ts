// One processing pipeline file (rules/pipelines/*.yml), pySigma-like: which Sigma log
// sources it gives meaning to, which Vigil events those log sources see (written as a
// Sigma detection block over ECS fields, so agent authors read one language), and how
// the Sigma taxonomy's field names map to ECS for rules of those log sources. Parsed
// with zod; every problem is a located RuleError, as for rules.
import { z } from 'zod';
import type { EventPredicate } from './compile-detection.ts';
import { compileDetectionBlock } from './compile-detection-block.ts';
import { withUnmappedPrefix, type FieldMapping } from './field-mapping.ts';
import { ProblemReport, RuleError, type SourceLocation } from './rule-error.ts';
import { readRuleSource, type YamlPath } from './rule-source.ts';

export type LogsourceField = 'category' | 'product' | 'service';
export const logsourceFields: readonly LogsourceField[] = ['category', 'product', 'service'];

const name = z.string().regex(/^[a-z0-9_-]+$/, 'lowercase letters, digits, _ and - only');
const logsourceValue = z.string().min(1).transform((value) => value.toLowerCase());
const fieldName = z.string().min(1);

/** A Sigma detection block over ECS fields: which events a log source sees. */
const eventsBlock = z.looseObject({ condition: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]) });

const pipelineSchema = z.strictObject({
  name,
  description: z.string().optional(),
  /** On a field two pipelines of one rule both map, the higher priority wins. */
  priority: z.union([z.bigint().transform(Number), z.number().int()]).default(0),
  logsources: z
    .array(
      z
        .strictObject({
          category: logsourceValue.optional(),
          product: logsourceValue.optional(),
          service: logsourceValue.optional(),
          /** This log source's own events block, instead of the pipeline's. */
          events: eventsBlock.optional(),
        })
        .refine(
          (entry) => logsourceFields.filter((field) => entry[field] !== undefined).length === 1,
          'each entry names exactly one of category, product, service',
        ),
    )
    .min(1),
  /** The events of every log source above that has no `events` of its own; absent: every event. */
  events: eventsBlock.optional(),
  fieldmappings: z.record(fieldName, z.union([fieldName, z.array(fieldName).min(1)])).default({}),
  /** Where names no pipeline of the rule maps are read (`winlog.event_data.`); names with a dot stay as written. */
  fieldprefix: z.string().regex(/^[^.\s][^\s]*\.$/, 'a dotted field path ending with a dot').optional(),
});

export interface PipelineLogsource {
  readonly field: LogsourceField;
  readonly value: string;
  readonly location: SourceLocation;
  /** Whether an event belongs to this log source. */
  readonly accepts: EventPredicate;
}

export interface Pipeline {
  readonly name: string;
  readonly description: string | undefined;
  readonly priority: number;
  readonly file: string;
  readonly location: SourceLocation;
  readonly logsources: readonly PipelineLogsource[];
  /** With `fieldPrefix` applied to the names it does not map. */
  readonly fieldMapping: FieldMapping;
  readonly fieldPrefix: string | undefined;
}

export interface PipelineResult {
  readonly pipeline: Pipeline | undefined;
  readonly errors: readonly RuleError[];
}

/** Compiles one pipeline file; every problem is reported, none thrown. */
export function compilePipeline(text: string, file: string): PipelineResult {
  const report = new ProblemReport(true);
  const source = readRuleSource(text, file, report);
  if (source.data === undefined) return { pipeline: undefined, errors: report.errors };
  const parsed = pipelineSchema.safeParse(source.data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path: YamlPath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const where = path.length > 0 ? `${path.join('.')}: ` : '';
      report.add(new RuleError('rule_pipeline', `${where}${issue.message}`, source.locate(path)));
    }
    return { pipeline: undefined, errors: report.errors };
  }
  const model = parsed.data;

  const compileEvents = (block: z.infer<typeof eventsBlock> | undefined, path: YamlPath): EventPredicate => {
    if (block === undefined) return () => true;
    const { condition, ...identifiers } = block;
    const conditions = typeof condition === 'string' ? [condition] : condition;
    return compileDetectionBlock({ identifiers, conditions, path }, source, report)?.matches ?? (() => false);
  };
  const shared = compileEvents(model.events, ['events']);
  const logsources = model.logsources.flatMap((entry, index): PipelineLogsource[] => {
    const field = logsourceFields.find((candidate) => entry[candidate] !== undefined);
    const value = field === undefined ? undefined : entry[field];
    if (field === undefined || value === undefined) return [];
    const accepts = entry.events === undefined ? shared : compileEvents(entry.events, ['logsources', index, 'events']);
    return [{ field, value, location: source.locate(['logsources', index, field]), accepts }];
  });
  if (!report.ok) return { pipeline: undefined, errors: report.errors };

  const mapped = new Map(
    Object.entries(model.fieldmappings).map(([from, to]) => [from, typeof to === 'string' ? [to] : to] as const),
  );
  const fieldMapping = model.fieldprefix === undefined ? mapped : withUnmappedPrefix(mapped, model.fieldprefix);
  return {
    pipeline: {
      name: model.name,
      description: model.description,
      priority: model.priority,
      file,
      location: source.locate(['name']),
      logsources,
      fieldMapping,
      fieldPrefix: model.fieldprefix,
    },
    errors: [],
  };
}
