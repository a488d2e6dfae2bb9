// Compiles one Sigma rule file, phase by phase as pySigma does: YAML → typed rule →
// detection trees (field names mapped to ECS by the processing pipelines) and
// condition trees → closures. The result is a plain function of an event; nothing
// about the rule is parsed or renamed again while events stream past. A file may hold
// several documents (`---`); meta filter and correlation documents are read here too,
// and rule-set.ts applies them to the rules of the whole library.
import type { Severity } from '../../core/schemas/alert.ts';
import type { EventPredicate } from './compile-detection.ts';
import { compileDetectionBlock } from './compile-detection-block.ts';
import type { ConditionNode } from './condition-parser.ts';
import type { DetectionNode } from './detection-tree.ts';
import type { MatchableEvent } from './field-access.ts';
import { isCorrelationDocument, parseCorrelation, type ParsedCorrelation } from './correlation-model.ts';
import { compileFilter, isFilterDocument, type CompiledFilter } from './meta-filter.ts';
import { shippedPipelines, type LogsourceRoute, type PipelineSet } from './pipeline-set.ts';
import { ProblemReport, RuleError, type SourceLocation } from './rule-error.ts';
import { parseRuleModel, type Logsource, type SigmaRule } from './rule-model.ts';
import { readRuleDocuments, type RuleDocument, type RuleSource } from './rule-source.ts';

export interface CompiledRule {
  readonly id: string;
  /** Sigma 2's optional unique name, by which filters and correlations may refer to it. */
  readonly name: string | undefined;
  readonly title: string;
  readonly level: Severity;
  readonly status: SigmaRule['status'];
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly logsource: Logsource;
  readonly falsepositives: readonly string[];
  readonly references: readonly string[];
  readonly author: string | undefined;
  /** Fields an analyst should look at first when the rule fires. */
  readonly fields: readonly string[];
  /** The rule's file, at its `id`. */
  readonly location: SourceLocation;
  /** The events its logsource sees; rules with the same `route.key` share a route. */
  readonly route: LogsourceRoute;
  /** The intermediate forms, for explanations and golden tests. */
  readonly detection: ReadonlyMap<string, DetectionNode>;
  readonly conditions: readonly ConditionNode[];
  /** Ids (or titles) of the meta filters applied to it, in order. */
  readonly filters: readonly string[];
  /** The detection alone, for callers that already checked `route.accepts`. */
  readonly matchesDetection: (event: MatchableEvent) => boolean;
  /** Logsource and detection: whether this event fires the rule. */
  readonly matches: (event: MatchableEvent) => boolean;
  /**
   * The event paths a field name of this rule's taxonomy reads (first present wins),
   * through its logsource's pipelines: how a correlation's group-by reads its events.
   * Names the pipelines do not know come back as written.
   */
  readonly mapField: (name: string) => readonly string[];
}

export interface CompileOptions {
  /** Report every problem in the file instead of stopping at the first. */
  readonly collectErrors?: boolean;
  /** Routing and field mapping; the shipped pipelines unless given (`noPipelines` for none). */
  readonly pipelines?: PipelineSet;
  /** Values of `%name%` placeholders for the `expand` modifier (site lists: admins, DCs). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

export interface CompileResult {
  /** Present only when the file is a rule and had no problems. */
  readonly rule: CompiledRule | undefined;
  /** Present only when the file is a meta filter and had no problems. */
  readonly filter?: CompiledFilter | undefined;
  /** Present only when the file is a correlation and had no problems; rule-set.ts resolves it. */
  readonly correlation?: ParsedCorrelation | undefined;
  readonly errors: readonly RuleError[];
}

/** Every document of a rule file, compiled; a broken document is reported and skipped. */
export interface RuleFileResult {
  readonly rules: readonly CompiledRule[];
  readonly filters: readonly CompiledFilter[];
  /** Checked on their own; their references are resolved with the whole library (buildRuleSet). */
  readonly correlations: readonly ParsedCorrelation[];
  readonly errors: readonly RuleError[];
}

/** A file of one document: a rule, a meta filter or a correlation. */
export function compileRule(text: string, file: string, options: CompileOptions = {}): CompileResult {
  const documents = readRuleDocuments(text, file);
  const [first, second] = documents;
  if (second !== undefined || first === undefined) {
    const reason = `this file holds ${documents.length} YAML documents; compileRule takes one (use compileRuleFile)`;
    const where = (second ?? first)?.source.locate([]) ?? { file, line: 1, col: 1 };
    return { rule: undefined, errors: [new RuleError('rule_yaml', reason, where)] };
  }
  return compileDocument(first, options, options.pipelines ?? shippedPipelines().pipelines);
}

/** Every document of a file (rules, meta filters, correlations), each with its own problems. */
export function compileRuleFile(text: string, file: string, options: CompileOptions = {}): RuleFileResult {
  const pipelines = options.pipelines ?? shippedPipelines().pipelines;
  const rules: CompiledRule[] = [];
  const filters: CompiledFilter[] = [];
  const correlations: ParsedCorrelation[] = [];
  const errors: RuleError[] = [];
  for (const document of readRuleDocuments(text, file)) {
    const result = compileDocument(document, options, pipelines);
    errors.push(...result.errors);
    if (result.rule !== undefined) rules.push(result.rule);
    if (result.filter !== undefined) filters.push(result.filter);
    if (result.correlation !== undefined) correlations.push(result.correlation);
  }
  return { rules, filters, correlations, errors };
}

/** One document; without collectErrors its first problem ends it, not the file. */
function compileDocument(document: RuleDocument, options: CompileOptions, pipelines: PipelineSet): CompileResult {
  const report = new ProblemReport(options.collectErrors === true);
  const { source } = document;
  try {
    for (const error of document.yamlErrors) report.add(error);
    if (source.data === undefined) return { rule: undefined, errors: report.errors };
    if (isFilterDocument(source.data)) {
      const filter = compileFilter(source, report, pipelines);
      return { rule: undefined, filter: report.ok ? filter : undefined, errors: report.errors };
    }
    if (isCorrelationDocument(source.data)) {
      const correlation = parseCorrelation(source, report);
      return { rule: undefined, correlation: report.ok ? correlation : undefined, errors: report.errors };
    }
    const rule = compilePhases(source, report, pipelines, options.placeholders);
    return { rule: report.ok ? rule : undefined, errors: report.errors };
  } catch (error) {
    // Without collectErrors the first problem is thrown to end compilation early.
    if (error instanceof RuleError) return { rule: undefined, errors: [error] };
    throw error;
  }
}

function compilePhases(
  source: RuleSource,
  report: ProblemReport,
  pipelines: PipelineSet,
  placeholders?: CompileOptions['placeholders'],
): CompiledRule | undefined {
  const model = parseRuleModel(source, report);
  if (model === undefined) return undefined;

  const routed = pipelines.route(model.logsource);
  if (!routed.ok) {
    report.add(new RuleError('rule_logsource', routed.reason, source.locate(['logsource', routed.field])));
  }
  const fieldMapping = pipelines.fieldMapping(model.logsource);
  const block = compileDetectionBlock(
    {
      identifiers: model.detection.identifiers,
      conditions: model.detection.conditions,
      path: ['detection'],
      fieldMapping,
      placeholders,
    },
    source,
    report,
  );
  if (!report.ok || !routed.ok || block === undefined) return undefined;

  const matchesDetection: EventPredicate = block.matches;
  const route: LogsourceRoute = routed.route;
  const { accepts } = route;
  return {
    id: model.id,
    name: model.name,
    title: model.title,
    level: model.level,
    status: model.status,
    description: model.description,
    tags: model.tags,
    logsource: model.logsource,
    falsepositives: model.falsepositives,
    references: model.references,
    author: model.author,
    fields: model.fields,
    location: source.locate(['id']),
    route,
    detection: block.detection,
    conditions: block.conditions,
    filters: [],
    matchesDetection,
    matches: (event) => accepts(event) && matchesDetection(event),
    mapField: (name) => fieldMapping?.get(name) ?? [name],
  };
}
